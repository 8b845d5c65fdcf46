"""Staff acting on a person's behalf: registering them at the desk, recording consent, editing
their profile and applying for them — only with consent, only in the staff member's region,
never for a job a court ban or supervision condition rules out."""

import re

import pytest
from sqlalchemy import func, select

from marketplace.audit.models import AuditEvent
from marketplace.auth.models import Role, User
from marketplace.candidates.models import CandidateProfile, CandidateSkill
from marketplace.cases import consent
from marketplace.cases.models import Case
from marketplace.employers.models import Vacancy
from marketplace.extensions import db
from marketplace.hiring.models import Application
from marketplace.mail import read_outbox
from marketplace.reference.models import Occupation, Region
from marketplace.restrictions import services as restrictions
from tests.factories import make_candidate, make_vacancy

VALID_IIN = "900101300106"
NO_CONSENT = "The person has not given consent for the job centre to act on their behalf."


@pytest.fixture
def staff(make_user, login):
    user = make_user("staff")
    login(user)
    return user


@pytest.fixture
def person(app, make_user, skill_codes):
    """A candidate of the staff member's region (KZ-AST), with skills: (user, profile_id)."""
    return make_candidate(app, make_user, skill_codes, discoverable=False)


def _give_consent(app, profile_id, staff_id, note="signed paper form"):
    with app.app_context():
        consent.record_consent(db.session.get(CandidateProfile, profile_id), note=note,
                               actor=db.session.get(User, staff_id))
        db.session.commit()


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _events(app, action) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _desk_form(**overrides) -> dict:
    data = {"full_name": "Ерлан Сапаров", "phone": "8 (701) 555-44-33", "email": "",
            "iin": VALID_IIN, "language": "ru", "consent": "y",
            "consent_note": "signed paper form"}
    data.update(overrides)
    return data


def _wishes(app, profile_id, **overrides) -> dict:
    with app.app_context():
        region_id = db.session.get(CandidateProfile, profile_id).region_id
    data = {"desired_title": "Повар", "region": region_id, "city": 0, "experience_years": "2",
            "summary": ""}
    data.update(overrides)
    return data


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


# --- registering a person at the desk -------------------------------------------------------

def test_staff_register_a_person_who_then_chooses_their_own_password(app, client, staff):
    response = client.post("/staff/candidates/new", data=_desk_form())
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.phone == "+77015554433"))
        assert user.role is Role.CANDIDATE and user.locale == "ru"
        profile = db.session.scalar(select(CandidateProfile).where(
            CandidateProfile.user_id == user.id))
        staff_user = db.session.get(User, staff.id)
        assert profile.region_id == staff_user.region_id and profile.iin == VALID_IIN
        case = db.session.scalar(select(Case).where(Case.profile_id == profile.id))
        assert case.consent_at is not None and case.consent_note == "signed paper form"
        assert case.consent_recorded_by_id == staff.id
        profile_id, login_ = profile.id, user.login
    assert response.headers["Location"].endswith(f"/staff/candidates/{profile_id}/on-behalf")
    registered = _events(app, "candidate:register_on_behalf")
    assert [(e.actor_id, e.details["on_behalf"]) for e in registered] == [(staff.id, True)]
    assert [e.actor_id for e in _events(app, "case:consent")] == [staff.id]
    assert "Consent recorded" in _page(client, f"/staff/candidates/{profile_id}/on-behalf")

    with app.app_context():
        message = read_outbox()[-1]
    assert message["to"] == "+77015554433"
    link = re.search(r"http://localhost(/password/reset/\S+)", message["body"]).group(1)
    client.post("/logout")
    client.post(link, data={"password": "my-own-secret-1", "confirm": "my-own-secret-1"})
    signed_in = client.post("/login", data={"identifier": login_,
                                            "password": "my-own-secret-1"})
    assert signed_in.headers["Location"].endswith("/candidate/")


@pytest.mark.parametrize("field, message", [
    ("phone", "An account with this phone number already exists."),
    ("email", "An account with this e-mail already exists."),
    ("iin", "A profile with this IIN already exists."),
])
def test_duplicate_phone_email_or_iin_is_refused_and_nothing_is_saved(
        app, client, make_user, staff, field, message):
    make_user("candidate", phone="+77015554433", email="taken@example.kz", iin=VALID_IIN)
    unique = {"phone": "+77019998877", "email": "new@example.kz", "iin": ""}
    taken = {"phone": "+7 701 555 44 33", "email": "taken@example.kz", "iin": VALID_IIN}
    users = _count(app, User)
    response = client.post("/staff/candidates/new",
                           data=_desk_form(**{**unique, field: taken[field]}))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(app, User) == users and _count(app, Case) == 0
    with app.app_context():
        assert read_outbox() == []


@pytest.mark.parametrize("overrides, message", [
    ({"consent": ""}, "the account cannot be created."),
    ({"consent_note": "  "}, "Say how the person gave their consent."),
    ({"phone": "", "email": ""}, "Give a mobile number or an e-mail address."),
    ({"phone": "12345"}, "Enter a Kazakhstan mobile number"),
])
def test_incomplete_desk_form_is_explained_and_nothing_is_saved(app, client, staff, overrides,
                                                                message):
    users = _count(app, User)
    response = client.post("/staff/candidates/new", data=_desk_form(**overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(app, User) == users


def test_the_person_is_registered_in_the_staff_members_region_whatever_is_posted(
        app, client, make_user, login):
    other = make_user("staff", region_code="KZ-ALA")
    login(other)
    client.post("/staff/candidates/new", data=_desk_form(region="1"))
    with app.app_context():
        profile = db.session.scalar(select(CandidateProfile))
        assert profile.region.code == "KZ-ALA"


# --- consent --------------------------------------------------------------------------------

def test_every_on_behalf_action_is_refused_without_consent(app, client, staff, person):
    _, profile_id = person
    base = f"/staff/candidates/{profile_id}"
    hub = _page(client, f"{base}/on-behalf")
    assert NO_CONSENT in hub and "Apply on their behalf" not in hub
    for url in (f"{base}/profile", f"{base}/skills", f"{base}/personal"):
        refused = client.get(url, follow_redirects=True)
        assert NO_CONSENT in refused.get_data(as_text=True), url
    client.post(f"{base}/profile", data=_wishes(app, profile_id))
    client.post(f"{base}/skills", data={"skill": "Кулинария", "level": "3"})
    client.post(f"{base}/personal", data={"full_name": "Другое Имя", "phone": "+77020000001"})
    with app.app_context():
        profile = db.session.get(CandidateProfile, profile_id)
        assert profile.desired_title == "Сварщик" and len(profile.skills) == 3
        assert profile.user.full_name == "Жасырын Есім"
        skill_id = profile.skills[0].id
    client.post(f"{base}/skills/{skill_id}/delete")
    assert _count(app, CandidateSkill, CandidateSkill.profile_id == profile_id) == 3
    assert not _events(app, "candidate:update_profile")


def test_apply_is_refused_without_consent(app, client, make_user, staff, person, skill_codes):
    _, profile_id = person
    vacancy_id = make_vacancy(app, make_user("employer"), skill_codes)
    refused = client.post(f"/staff/candidates/{profile_id}/apply/{vacancy_id}",
                          data={"note": ""}, follow_redirects=True)
    assert NO_CONSENT in refused.get_data(as_text=True)
    assert _count(app, Application) == 0


def test_consent_needs_a_note_and_can_be_withdrawn(app, client, staff, person):
    _, profile_id = person
    base = f"/staff/candidates/{profile_id}"
    empty = client.post(f"{base}/consent", data={"consent_note": " "})
    assert empty.status_code == 422 and _count(app, Case) == 0
    assert client.post(f"{base}/consent",
                       data={"consent_note": "in person, spoken"}).status_code == 302
    assert "in person, spoken" in _page(client, f"{base}/on-behalf")
    assert client.get(f"{base}/profile").status_code == 200
    assert client.post(f"{base}/consent/withdraw").status_code == 302
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert case.consent_at is None and case.consent_note == ""
    assert client.get(f"{base}/profile").status_code == 302
    assert [e.actor_id for e in _events(app, "case:consent_withdrawn")] == [staff.id]


# --- acting with consent --------------------------------------------------------------------

def test_with_consent_staff_edit_wishes_skills_and_personal_data(app, client, staff, person):
    _, profile_id = person
    _give_consent(app, profile_id, staff.id)
    base = f"/staff/candidates/{profile_id}"
    assert "Повар" not in _page(client, f"{base}/profile")
    response = client.post(f"{base}/profile", data=_wishes(app, profile_id, schedule_day="y"))
    assert response.headers["Location"].endswith(f"{base}/on-behalf")
    assert client.post(f"{base}/skills", data={"skill": "Кулинария", "level": "3"}
                       ).status_code == 302
    assert client.post(f"{base}/personal", data={
        "full_name": "Жасырын Есім", "phone": "8 702 000 00 01", "iin": ""}).status_code == 302
    with app.app_context():
        profile = db.session.get(CandidateProfile, profile_id)
        assert profile.desired_title == "Повар" and profile.schedules == {"day"}
        assert "Кулинария" in [s.label for s in profile.skills]
        assert profile.user.phone == "+77020000001"
        skill_id = profile.skills[0].id
    assert client.post(f"{base}/skills/{skill_id}/delete").status_code == 302
    assert _count(app, CandidateSkill, CandidateSkill.profile_id == profile_id) == 3
    for action in ("candidate:update_profile_on_behalf", "candidate:add_skill_on_behalf",
                   "candidate:update_personal_on_behalf", "candidate:remove_skill_on_behalf"):
        events = _events(app, action)
        assert [(e.actor_id, e.details["on_behalf"]) for e in events] == [(staff.id, True)]
    # The candidate's own service wrote its event too, with the staff member as the actor.
    assert [e.actor_id for e in _events(app, "candidate:update_profile")] == [staff.id]


def test_bad_profile_input_is_explained_with_422(app, client, staff, person):
    _, profile_id = person
    _give_consent(app, profile_id, staff.id)
    base = f"/staff/candidates/{profile_id}"
    bad = client.post(f"{base}/profile", data=_wishes(app, profile_id, experience_years="99"))
    assert bad.status_code == 422 and "Enter a number from 0 to 60." in bad.get_data(
        as_text=True)
    duplicate = client.post(f"{base}/skills", data={"skill": "Кулинария", "level": "3"})
    assert duplicate.status_code == 302
    again = client.post(f"{base}/skills", data={"skill": "кулинария", "level": "3"})
    assert again.status_code == 422
    assert "This skill is already in your profile." in again.get_data(as_text=True)


def test_applying_on_behalf_creates_the_application_once(app, client, make_user, staff, person,
                                                         skill_codes):
    _, profile_id = person
    vacancy_id = make_vacancy(app, make_user("employer"), skill_codes, title="Сварщик на завод")
    _give_consent(app, profile_id, staff.id)
    hub = _page(client, f"/staff/candidates/{profile_id}/on-behalf")
    assert "Сварщик на завод" in hub and "Apply on their behalf" in hub
    url = f"/staff/candidates/{profile_id}/apply/{vacancy_id}"
    sent = client.post(url, data={"note": "Приду в понедельник"}, follow_redirects=True)
    assert "The application has been sent on the person&#39;s behalf." in sent.get_data(
        as_text=True)
    with app.app_context():
        application = db.session.scalar(select(Application))
        assert (application.profile_id, application.vacancy_id) == (profile_id, vacancy_id)
        assert application.note == "Приду в понедельник"
        assert application.events[0].actor_id == staff.id
    event, = _events(app, "application:on_behalf")
    assert (event.actor_id, event.details["on_behalf"], event.details["vacancy_id"]) == (
        staff.id, True, vacancy_id)
    twice = client.post(url, data={"note": ""}, follow_redirects=True)
    assert "This person has already applied for this vacancy." in twice.get_data(as_text=True)
    assert _count(app, Application) == 1


def test_a_restricted_vacancy_is_neither_listed_nor_accepted(app, client, make_user, staff,
                                                             person, skill_codes):
    _, profile_id = person
    employer = make_user("employer")
    banned_id = make_vacancy(app, employer, skill_codes, title="Кассир в банке")
    make_vacancy(app, employer, skill_codes, title="Грузчик на склад")
    with app.app_context():
        occupation = db.session.scalar(select(Occupation).where(
            Occupation.level == "occupation").order_by(Occupation.code))
        db.session.get(Vacancy, banned_id).occupation = occupation
        restrictions.record_court_ban(db.session.get(CandidateProfile, profile_id),
                                      occupations=[occupation.code],
                                      actor=db.session.get(User, staff.id))
        db.session.commit()
    _give_consent(app, profile_id, staff.id)
    hub = _page(client, f"/staff/candidates/{profile_id}/on-behalf")
    assert "Грузчик на склад" in hub and "Кассир в банке" not in hub
    refused = client.post(f"/staff/candidates/{profile_id}/apply/{banned_id}",
                          data={"note": ""}, follow_redirects=True)
    assert "not open to this person because of a court ban" in refused.get_data(as_text=True)
    assert _count(app, Application) == 0


# --- region ---------------------------------------------------------------------------------

def test_staff_of_another_region_get_404_everywhere(app, client, make_user, login, person,
                                                    skill_codes):
    _, profile_id = person
    vacancy_id = make_vacancy(app, make_user("employer"), skill_codes)
    home_staff = make_user("staff")
    _give_consent(app, profile_id, home_staff.id)
    with app.app_context():
        skill_id = db.session.get(CandidateProfile, profile_id).skills[0].id
    login(make_user("staff", region_code="KZ-ALA"))
    base = f"/staff/candidates/{profile_id}"
    for method, url in [("GET", f"{base}/on-behalf"), ("POST", f"{base}/consent"),
                        ("POST", f"{base}/consent/withdraw"), ("GET", f"{base}/profile"),
                        ("POST", f"{base}/profile"), ("GET", f"{base}/skills"),
                        ("POST", f"{base}/skills"), ("POST", f"{base}/skills/{skill_id}/delete"),
                        ("GET", f"{base}/personal"), ("POST", f"{base}/personal"),
                        ("POST", f"{base}/apply/{vacancy_id}")]:
        assert client.open(url, method=method).status_code == 404, (method, url)
    assert _count(app, Application) == 0


def test_a_skill_of_another_person_is_a_404(app, client, make_user, staff, person, skill_codes):
    _, profile_id = person
    _, other_id = make_candidate(app, make_user, skill_codes)
    _give_consent(app, profile_id, staff.id)
    with app.app_context():
        other_skill = db.session.get(CandidateProfile, other_id).skills[0].id
    response = client.post(f"/staff/candidates/{profile_id}/skills/{other_skill}/delete")
    assert response.status_code == 404
    assert _count(app, CandidateSkill, CandidateSkill.id == other_skill) == 1


def test_moving_the_person_to_another_region_hands_them_over(app, client, staff, person):
    _, profile_id = person
    _give_consent(app, profile_id, staff.id)
    with app.app_context():
        other_region = db.session.scalar(select(Region.id).where(Region.code == "KZ-ALA"))
    moved = client.post(f"/staff/candidates/{profile_id}/profile",
                        data=_wishes(app, profile_id, region=other_region))
    assert moved.headers["Location"].endswith("/staff/")
    assert client.get(f"/staff/candidates/{profile_id}/on-behalf").status_code == 404
