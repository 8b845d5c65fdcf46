"""Registration, sign-in by e-mail or phone, the generic failure message, password reset."""

import re

from sqlalchemy import func, select

from marketplace.audit.models import AuditEvent
from marketplace.auth.models import Role, User
from marketplace.auth.services import authenticate
from marketplace.candidates.models import CandidateProfile
from marketplace.employers.models import EmployerOrganisation, VerificationStatus
from marketplace.mail import read_outbox
from marketplace.reference.models import Region, Sector


def _region_id(app, code="KZ-KAR"):
    with app.app_context():
        from marketplace.extensions import db

        return db.session.scalar(select(Region.id).where(Region.code == code))


def _sector_id(app):
    with app.app_context():
        from marketplace.extensions import db

        return db.session.scalar(select(Sector.id).order_by(Sector.id))


def candidate_form(app, **overrides):
    data = {"full_name": "Серікбаев Ерлан", "phone": "8 701 555 12 34", "email": "",
            "region": _region_id(app), "password": "jumys-izdeimin", "confirm": "jumys-izdeimin",
            "iin": "900101300106", "consent": "y"}
    data.update(overrides)
    return data


def test_candidate_registers_with_phone_only_and_lands_on_home(app, client):
    response = client.post("/register/candidate", data=candidate_form(app))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/candidate/")
    assert client.get("/candidate/").status_code == 200
    with app.app_context():
        from marketplace.extensions import db

        user = db.session.scalar(select(User).where(User.phone == "+77015551234"))
        assert user.role is Role.CANDIDATE and user.email is None
        assert user.password_hash.startswith("$argon2id$")
        profile = db.session.scalar(
            select(CandidateProfile).where(CandidateProfile.user_id == user.id))
        assert profile.iin == "900101300106" and profile.discoverable is False
        actions = set(db.session.scalars(select(AuditEvent.action)))
        assert {"user:create", "candidate:register"} <= actions


def test_employer_registration_creates_pending_organisation_with_owner(app, client):
    response = client.post("/register/employer", data=candidate_form(
        app, email="hr@kurylys.kz", phone="", organisation_name="ТОО «Құрылыс»",
        bin="190540000014", sector=_sector_id(app)))
    assert response.status_code == 302
    with app.app_context():
        from marketplace.extensions import db

        org = db.session.scalar(select(EmployerOrganisation))
        assert org.bin == "190540000014" and org.status is VerificationStatus.PENDING
        assert [m.user.email for m in org.memberships] == ["hr@kurylys.kz"]
    assert "ТОО «Құрылыс»" in client.get("/employer/").get_data(as_text=True)


def test_registration_needs_a_phone_or_an_email(app, client):
    response = client.post("/register/candidate", data=candidate_form(app, phone="", email=""))
    assert response.status_code == 200
    assert "Give a mobile number or an e-mail address." in response.get_data(as_text=True)


def test_duplicate_phone_is_refused_with_a_message_and_nothing_is_written(app, client, make_user):
    make_user("candidate", phone="+77015551234")
    response = client.post("/register/candidate", data=candidate_form(app, iin=""))
    assert "An account with this phone number already exists." in response.get_data(as_text=True)
    with app.app_context():
        from marketplace.extensions import db

        assert db.session.scalar(select(func.count(User.id))) == 1


def test_duplicate_iin_is_refused_and_no_account_is_left_behind(app, client, make_user):
    make_user("candidate", iin="900101300106")
    response = client.post("/register/candidate", data=candidate_form(app))
    assert "A profile with this IIN already exists." in response.get_data(as_text=True)
    with app.app_context():
        from marketplace.extensions import db

        assert db.session.scalar(select(func.count(User.id))) == 1


def test_duplicate_bin_is_refused(app, client, make_user):
    make_user("employer", bin_="190540000014")
    response = client.post("/register/employer", data=candidate_form(
        app, email="other@kurylys.kz", phone="", organisation_name="Другая",
        bin="190540000014", sector=_sector_id(app)))
    assert "This organisation is already registered." in response.get_data(as_text=True)


def test_sign_in_by_email_and_by_phone_in_any_format(client, make_user):
    employer = make_user("employer", email="Boss@Example.kz")
    candidate = make_user("candidate", phone="+77011112233")
    response = client.post("/login", data={"identifier": "boss@example.kz",
                                           "password": employer.password})
    assert response.headers["Location"].endswith("/employer/")
    client.post("/logout")
    response = client.post("/login", data={"identifier": "8 (701) 111-22-33",
                                           "password": candidate.password})
    assert response.headers["Location"].endswith("/candidate/")


def test_wrong_password_and_unknown_login_get_the_same_generic_message(client, make_user):
    user = make_user("candidate")
    wrong_password = client.post("/login", data={"identifier": user.login, "password": "nope-nope"})
    unknown = client.post("/login", data={"identifier": "+77779999999", "password": "nope-nope"})
    for response in (wrong_password, unknown):
        assert response.status_code == 200
        assert "Wrong login or password." in response.get_data(as_text=True)


def test_deactivated_account_cannot_sign_in(app, make_user):
    user = make_user("candidate")
    with app.app_context():
        from marketplace.extensions import db

        db.session.get(User, user.id).active = False
        db.session.commit()
        assert authenticate(user.login, user.password) is None


def test_safe_next_is_followed_and_foreign_next_is_ignored(client, make_user):
    user = make_user("candidate")
    inside = client.post("/login?next=/candidate/profile",
                         data={"identifier": user.login, "password": user.password})
    assert inside.headers["Location"] == "/candidate/profile"
    client.post("/logout")
    outside = client.post("/login?next=//evil.example/x",
                          data={"identifier": user.login, "password": user.password})
    assert outside.headers["Location"].endswith("/candidate/")


def _reset_link(app) -> str:
    with app.app_context():
        body = read_outbox()[-1]["body"]
    return re.search(r"http://localhost(/password/reset/\S+)", body).group(1)


def test_password_reset_round_trip_and_link_is_single_use(app, client, make_user):
    user = make_user("employer")
    response = client.post("/password/forgot", data={"identifier": user.login})
    assert response.status_code == 302
    link = _reset_link(app)
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": "new-secret-77", "confirm": "new-secret-77"})
    assert response.headers["Location"].endswith("/login")
    assert client.post("/login", data={"identifier": user.login,
                                       "password": "new-secret-77"}).status_code == 302
    client.post("/logout")
    reused = client.get(link)
    assert reused.status_code == 302 and reused.headers["Location"].endswith("/password/forgot")


def test_reset_for_unknown_account_says_the_same_and_sends_nothing(app, client):
    response = client.post("/password/forgot", data={"identifier": "ghost@example.kz"},
                           follow_redirects=True)
    assert "If this account exists" in response.get_data(as_text=True)
    with app.app_context():
        assert read_outbox() == []


def test_expired_reset_token_is_refused(app, make_user):
    import pytest

    from marketplace.auth import services
    from marketplace.errors import InvalidToken
    from marketplace.extensions import db

    user = make_user("candidate")
    with app.app_context():
        token = services.make_reset_token(db.session.get(User, user.id))
        app.config["PASSWORD_RESET_MAX_AGE"] = -1
        try:
            with pytest.raises(InvalidToken):
                services.user_for_reset_token(token)
        finally:
            app.config["PASSWORD_RESET_MAX_AGE"] = 3600


def test_production_hashes_use_argon2id_with_rfc_9106_costs(app):
    from marketplace.auth.passwords import hash_password

    with app.app_context():
        app.config["PASSWORD_HASH_FAST"] = False
        try:
            assert hash_password("x" * 12).startswith("$argon2id$v=19$m=65536,t=3,p=4$")
        finally:
            app.config["PASSWORD_HASH_FAST"] = True
