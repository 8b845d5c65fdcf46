"""Bad input gets a message and changes nothing; never a 500 for something a user can type."""

import pytest
from sqlalchemy import func, select

from marketplace.auth.models import User


def _users(app):
    from marketplace.extensions import db

    with app.app_context():
        return db.session.scalar(select(func.count(User.id)))


def _form(app, **overrides):
    from marketplace.extensions import db
    from marketplace.reference.models import Region

    with app.app_context():
        region = db.session.scalar(select(Region.id).order_by(Region.id))
    data = {"full_name": "Ким Виктор", "phone": "+77015550000", "email": "", "region": region,
            "password": "long-enough-1", "confirm": "long-enough-1", "iin": "", "consent": "y"}
    data.update(overrides)
    return data


@pytest.mark.parametrize("overrides, message", [
    ({"iin": "900101300107"}, "This IIN is not valid"),
    ({"iin": "12345"}, "The IIN has 12 digits."),
    ({"phone": "12345"}, "Enter a Kazakhstan mobile number"),
    ({"email": "not-an-email", "phone": ""}, "Invalid email address."),
    ({"full_name": "Я" * 201}, "Field cannot be longer than 200 characters."),
    ({"password": "short", "confirm": "short"}, "The password must be 8 to 128 characters long."),
    ({"confirm": "different-1"}, "The passwords do not match."),
    ({"consent": ""}, "Please give your consent to continue."),
    ({"full_name": "Нул\x00ь"}, "Contains characters that cannot be saved."),
    ({"region": "not-a-number"}, "Invalid Choice: could not coerce."),
])
def test_invalid_registration_shows_a_message_and_creates_nothing(app, client, overrides,
                                                                  message):
    response = client.post("/register/candidate", data=_form(app, **overrides))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _users(app) == 0


def test_invalid_bin_is_explained(app, client):
    from marketplace.extensions import db
    from marketplace.reference.models import Sector

    with app.app_context():
        sector = db.session.scalar(select(Sector.id).order_by(Sector.id))
    response = client.post("/register/employer", data=_form(
        app, email="a@b.kz", organisation_name="ТОО", bin="190540000018", sector=sector))
    assert "This BIN is not valid" in response.get_data(as_text=True)
    assert _users(app) == 0


def _multipart(fields: dict[str, bytes]) -> bytes:
    parts = [b'--B\r\nContent-Disposition: form-data; name="' + name.encode() + b'"\r\n\r\n'
             + value + b"\r\n" for name, value in fields.items()]
    return b"".join(parts) + b"--B--\r\n"


def test_malformed_utf8_gets_a_message_not_a_500(app, client):
    form = {k: str(v).encode() for k, v in _form(app).items()}
    form["full_name"] = b"\xff\xfe\xd0"  # not UTF-8
    response = client.post("/register/candidate", data=_multipart(form),
                           content_type="multipart/form-data; boundary=B")
    assert response.status_code == 200
    assert "Contains characters that cannot be saved." in response.get_data(as_text=True)
    assert _users(app) == 0


def test_raw_non_utf8_urlencoded_body_is_refused_politely(app, client):
    response = client.post("/register/candidate", data=b"full_name=\xff\xfe&phone=\xff",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert "This field is required." in response.get_data(as_text=True)
    assert _users(app) == 0


def test_profile_edit_with_bad_values_keeps_the_saved_profile(app, client, make_user, login):
    from marketplace.candidates.models import CandidateProfile
    from marketplace.extensions import db

    user = make_user("candidate")
    login(user)
    with app.app_context():
        profile = db.session.scalar(select(CandidateProfile).where(
            CandidateProfile.user_id == user.id))
        profile_id, region_id = profile.id, profile.region_id
        profile.desired_title = "Сварщик"
        db.session.commit()
    response = client.post("/candidate/profile", data={
        "desired_title": "x" * 300, "region": region_id, "city": 0,
        "experience_years": "-4", "summary": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Field cannot be longer than 200 characters." in page
    assert "Enter a number from 0 to 60." in page
    with app.app_context():
        assert db.session.get(CandidateProfile, profile_id).desired_title == "Сварщик"


def test_csrf_token_is_required_when_protection_is_on(app, make_user):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        response = client.post("/login", data={"identifier": "x@y.kz", "password": "whatever1"},
                               headers={"Accept-Language": "en"})
        assert response.status_code == 400
        assert "The form has expired" in response.get_data(as_text=True)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_unknown_page_is_a_translated_404(client):
    response = client.get("/no-such-page", headers={"Accept-Language": "ru"})
    assert response.status_code == 404
    assert "Traceback" not in response.get_data(as_text=True)


@pytest.mark.parametrize("path", [
    "/jobs/99999999999999999999", "/jobs/2147483648", "/employer/applications/2147483648",
    "/certificates/99999999999999999999/scan", "/admin/?role=bogus&page=99999999999999999999",
])
def test_absurd_ids_and_filters_are_not_found_not_a_crash(client, make_user, login, path):
    login(make_user("admin" if path.startswith("/admin") else "employer"))
    assert client.get(path).status_code in (200, 404)


def test_absurd_region_id_in_a_profile_form_is_a_message(client, make_user, login):
    login(make_user("candidate"))
    response = client.post("/candidate/profile", data={"region": "9" * 25, "city": "9" * 25})
    assert response.status_code in (200, 422)
    assert "Not a valid choice." in response.get_data(as_text=True)
