"""The full candidate profile: personal data, job wishes, work history, education, languages,
completeness, and that nobody reaches another candidate's entries."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from marketplace.audit.models import AuditEvent
from marketplace.candidates.models import (
    CandidateLanguage,
    CandidateProfile,
    DesiredOccupation,
    EducationEntry,
    WorkHistoryEntry,
)
from marketplace.extensions import db
from marketplace.reference.models import Occupation
from tests.factories import make_candidate

VALID_IIN = "900101300106"  # check digit 6 (see tests/test_identifiers.py)
OTHER_VALID_IIN = "850615400016"


def _profile(user) -> CandidateProfile:
    return db.session.scalar(select(CandidateProfile).where(CandidateProfile.user_id == user.id))


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _occupations(app, n=2) -> list[tuple[int, str, str, str]]:
    with app.app_context():
        rows = db.session.scalars(select(Occupation).where(Occupation.level == "occupation")
                                  .order_by(Occupation.code).limit(n))
        return [(o.id, o.name_en, o.name_ru, o.name_kk) for o in rows]


def _region_id(app, user) -> int:
    with app.app_context():
        return _profile(user).region_id


def _wishes(app, user, **overrides) -> dict:
    data = {"desired_title": "Сварщик", "region": _region_id(app, user), "city": 0,
            "experience_years": "3", "summary": ""}
    data.update(overrides)
    return data


@pytest.fixture
def candidate(make_user, login):
    user = make_user("candidate")
    login(user)
    return user


# --- personal data -------------------------------------------------------------------------

def test_personal_data_saves_name_normalised_phone_and_iin(app, client, candidate):
    page = client.get("/candidate/personal")
    assert page.status_code == 200 and candidate.login in page.get_data(as_text=True)
    response = client.post("/candidate/personal", data={
        "full_name": "Серік Ахметов", "phone": "8 (705) 111-22-33", "iin": VALID_IIN})
    assert response.status_code == 302
    with app.app_context():
        profile = _profile(candidate)
        assert (profile.user.full_name, profile.user.phone, profile.iin) == (
            "Серік Ахметов", "+77051112233", VALID_IIN)
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "candidate:update_personal"))
        assert event.details == {"fields": ["full_name", "phone", "iin"]}
        assert VALID_IIN not in str(event.details)


@pytest.mark.parametrize("overrides, message", [
    ({"iin": "900101300107"}, "This IIN is not valid"),
    ({"iin": "12345"}, "The IIN has 12 digits."),
    ({"phone": "12345"}, "Enter a Kazakhstan mobile number"),
    ({"phone": ""}, "Give a mobile number: you sign in with it."),
    ({"full_name": ""}, "This field is required."),
    ({"full_name": "Я" * 201}, "Field cannot be longer than 200 characters."),
    ({"full_name": "Нул\x00ь"}, "Contains characters that cannot be saved."),
])
def test_bad_personal_data_is_explained_and_changes_nothing(app, client, candidate, overrides,
                                                            message):
    data = {"full_name": "Новое Имя", "phone": candidate.login, "iin": ""}
    data.update(overrides)
    response = client.post("/candidate/personal", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        profile = _profile(candidate)
        assert profile.user.full_name != "Новое Имя" and profile.user.phone == candidate.login


def test_phone_and_iin_of_someone_else_are_refused(app, client, make_user, login):
    other = make_user("candidate", iin=OTHER_VALID_IIN)
    me = make_user("candidate")
    login(me)
    taken_phone = client.post("/candidate/personal", data={
        "full_name": "Я", "phone": other.login, "iin": ""})
    assert "An account with this phone number already exists." in taken_phone.get_data(
        as_text=True)
    taken_iin = client.post("/candidate/personal", data={
        "full_name": "Я", "phone": me.login, "iin": OTHER_VALID_IIN})
    assert "A profile with this IIN already exists." in taken_iin.get_data(as_text=True)
    with app.app_context():
        profile = _profile(me)
        assert profile.iin is None and profile.user.phone == me.login
    # Keeping one's own phone and IIN is not a clash.
    assert client.post("/candidate/personal", data={
        "full_name": "Я", "phone": me.login, "iin": ""}).status_code == 302


def test_candidate_with_email_may_drop_the_phone(app, client, make_user, login):
    user = make_user("candidate", email="me@example.kz")
    login(user)
    response = client.post("/candidate/personal", data={"full_name": "Я", "phone": "", "iin": ""})
    assert response.status_code == 302
    with app.app_context():
        assert _profile(user).user.phone is None


# --- job wishes ----------------------------------------------------------------------------

def test_job_wishes_save_schedules_salary_relocation_and_occupations(app, client, candidate):
    (first_id, first_en, _, _), (second_id, _, second_ru, _) = _occupations(app)
    response = client.post("/candidate/profile", data=_wishes(
        app, candidate, occupation_1=first_en.upper(), occupation_2=second_ru,
        occupation_3=first_en, schedule_day="y", schedule_rotational="y",
        available_from="2026-12-01", salary_expectation="150 000", willing_to_relocate="y",
        discoverable="y"))
    assert response.status_code == 302
    with app.app_context():
        profile = _profile(candidate)
        assert profile.schedules == {"day", "rotational"}
        assert (profile.schedule_day, profile.schedule_night) == (True, False)
        assert profile.salary_expectation == Decimal("150000")
        assert profile.available_from == date(2026, 12, 1)
        assert profile.willing_to_relocate is True
        assert [o.id for o in profile.desired_occupations] == [first_id, second_id]
        assert profile.desired_occupation_id == first_id
        consent = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "candidate:consent_given"))
        assert consent.details == {"consent": "discoverable"}
    page = client.get("/candidate/profile").get_data(as_text=True)
    assert 'value="150000"' in page and 'value="2026-12-01"' in page

    # Reordering and dropping occupations keeps one row per occupation, in the new order.
    client.post("/candidate/profile", data=_wishes(app, candidate, occupation_1=second_ru))
    with app.app_context():
        profile = _profile(candidate)
        assert [o.id for o in profile.desired_occupations] == [second_id]
        assert profile.schedules == frozenset() and profile.salary_expectation is None
        assert db.session.scalar(select(func.count()).select_from(DesiredOccupation)) == 1


@pytest.mark.parametrize("overrides, message", [
    ({"salary_expectation": "0"}, "Enter an amount in tenge from 1 to 100,000,000."),
    ({"salary_expectation": "-5"}, "Enter an amount in tenge from 1 to 100,000,000."),
    ({"salary_expectation": "9" * 30}, "Enter an amount in tenge from 1 to 100,000,000."),
    ({"salary_expectation": "much"}, "Enter the amount in tenge as a whole number"),
    ({"available_from": "2099-01-01"}, "Choose a date within the next three years."),
    ({"available_from": "tomorrow"}, "Not a valid date value."),
    ({"occupation_2": "Космонавт-сварщик"}, "Choose an occupation from the list"),
    ({"occupation_1": "x" * 201}, "Field cannot be longer than 200 characters."),
    ({"summary": "x" * 4001}, "Field cannot be longer than 4000 characters."),
])
def test_bad_job_wishes_are_explained_and_change_nothing(app, client, candidate, overrides,
                                                         message):
    response = client.post("/candidate/profile", data=_wishes(
        app, candidate, desired_title="Повар", schedule_night="y", **overrides))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    with app.app_context():
        profile = _profile(candidate)
        assert profile.desired_title == "" and profile.schedule_night is False
        assert profile.desired_occupations == []


def test_occupation_suggestions_are_in_the_readers_language(app, client, candidate):
    (_, name_en, name_ru, name_kk), = _occupations(app, 1)
    page = client.get("/candidate/profile", headers={"Accept-Language": "ru"})
    assert f'<option value="{name_ru}">' in page.get_data(as_text=True)
    client.post("/language", data={"lang": "kk", "next": "/candidate/profile"})
    assert f'<option value="{name_kk}">' in client.get("/candidate/profile").get_data(
        as_text=True)


def test_skill_suggestions_are_in_the_readers_language(app, client, candidate, skill_codes):
    from marketplace.reference.models import Skill

    with app.app_context():
        skill = db.session.scalar(select(Skill).where(Skill.code == skill_codes[0]))
        names = skill.name_kk, skill.name_en
    client.post("/language", data={"lang": "kk", "next": "/candidate/"})
    assert f'<option value="{names[0]}">' in client.get("/candidate/").get_data(as_text=True)


def test_schedules_refuse_unknown_values(app):
    with pytest.raises(ValueError, match="unknown schedules"):
        CandidateProfile().schedules = {"weekends"}


# --- work history, education, languages ----------------------------------------------------

WORK = {"employer_name": "ТОО «Строймонтаж»", "job_title": "Сварщик",
        "started_on": "2015-03-01", "ended_on": "2018-06-30", "description": "Сварка труб"}


def test_work_history_add_double_submit_edit_and_delete(app, client, candidate):
    assert client.get("/candidate/work/new").status_code == 200
    assert client.post("/candidate/work/new", data=WORK).status_code == 302
    assert client.post("/candidate/work/new", data=WORK).status_code == 302  # double submit
    assert _count(app, WorkHistoryEntry) == 1
    with app.app_context():
        entry = db.session.scalar(select(WorkHistoryEntry))
        entry_id = entry.id
        assert entry.started_on == date(2015, 3, 1)
        assert entry.occupation is None or entry.occupation.level == "occupation"
    assert "ТОО «Строймонтаж»" in client.get(f"/candidate/work/{entry_id}/edit").get_data(
        as_text=True)
    response = client.post(f"/candidate/work/{entry_id}/edit",
                           data={**WORK, "job_title": "Бригадир", "ended_on": ""})
    assert response.status_code == 302
    with app.app_context():
        entry = db.session.get(WorkHistoryEntry, entry_id)
        assert (entry.job_title, entry.ended_on) == ("Бригадир", None)
    home = client.get("/candidate/").get_data(as_text=True)
    assert "Бригадир" in home and "ТОО «Строймонтаж»" in home
    assert client.post(f"/candidate/work/{entry_id}/delete").status_code == 302
    assert _count(app, WorkHistoryEntry) == 0


def test_job_title_that_names_an_occupation_is_linked_to_it(app, client, candidate):
    (occupation_id, _, name_ru, _), = _occupations(app, 1)
    client.post("/candidate/work/new", data={**WORK, "job_title": name_ru})
    with app.app_context():
        assert db.session.scalar(select(WorkHistoryEntry)).occupation_id == occupation_id


@pytest.mark.parametrize("overrides, message", [
    ({"ended_on": "2014-01-01"}, "The end date cannot be before the start date."),
    ({"started_on": ""}, "Enter the date you started."),
    ({"started_on": "1949-12-31"}, "Enter a date between 1950 and today."),
    ({"started_on": "2999-01-01", "ended_on": ""}, "Enter a date between 1950 and today."),
    ({"started_on": "31.02.2015"}, "Not a valid date value."),
    ({"employer_name": ""}, "This field is required."),
    ({"employer_name": "x" * 201}, "Field cannot be longer than 200 characters."),
    ({"job_title": "x" * 201}, "Field cannot be longer than 200 characters."),
    ({"description": "x" * 2001}, "Field cannot be longer than 2000 characters."),
])
def test_bad_work_history_is_explained_and_saves_nothing(app, client, candidate, overrides,
                                                         message):
    response = client.post("/candidate/work/new", data={**WORK, **overrides})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(app, WorkHistoryEntry) == 0


EDUCATION = {"institution": "Колледж при учреждении ЕЦ-166/18", "level": "vocational",
             "specialty": "Электросварщик", "finished_year": "2020"}


def test_education_add_double_submit_edit_and_delete(app, client, candidate):
    assert client.post("/candidate/education/new", data=EDUCATION).status_code == 302
    assert client.post("/candidate/education/new", data=EDUCATION).status_code == 302
    assert _count(app, EducationEntry) == 1
    with app.app_context():
        entry_id = db.session.scalar(select(EducationEntry.id))
    page = client.get(f"/candidate/education/{entry_id}/edit").get_data(as_text=True)
    assert 'selected value="vocational"' in page
    client.post(f"/candidate/education/{entry_id}/edit",
                data={**EDUCATION, "level": "course", "finished_year": ""})
    with app.app_context():
        entry = db.session.get(EducationEntry, entry_id)
        assert (entry.level.value, entry.finished_year) == ("course", None)
    assert "Электросварщик" in client.get("/candidate/").get_data(as_text=True)
    client.post(f"/candidate/education/{entry_id}/delete")
    assert _count(app, EducationEntry) == 0


@pytest.mark.parametrize("overrides, message", [
    ({"level": "phd"}, "Not a valid choice."),
    ({"finished_year": "1949"}, "Enter a year from 1950 to"),
    ({"finished_year": str(date.today().year + 7)}, "Enter a year from 1950 to"),
    ({"finished_year": "two thousand"}, "Not a valid integer value."),
    ({"institution": ""}, "This field is required."),
    ({"institution": "x" * 201}, "Field cannot be longer than 200 characters."),
    ({"specialty": "x" * 201}, "Field cannot be longer than 200 characters."),
])
def test_bad_education_is_explained_and_saves_nothing(app, client, candidate, overrides,
                                                      message):
    response = client.post("/candidate/education/new", data={**EDUCATION, **overrides})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(app, EducationEntry) == 0


def test_languages_are_unique_per_language(app, client, candidate):
    kazakh = {"language": "kk", "name": "", "level": "native"}
    assert client.post("/candidate/language/new", data=kazakh).status_code == 302
    assert client.post("/candidate/language/new", data=kazakh).status_code == 302  # double
    clash = client.post("/candidate/language/new", data={**kazakh, "level": "basic"})
    assert clash.status_code == 422
    assert "This language is already in your profile" in clash.get_data(as_text=True)
    for name in ("Узбекский", "Уйгурский"):
        assert client.post("/candidate/language/new", data={
            "language": "other", "name": name, "level": "fluent"}).status_code == 302
    same_other = client.post("/candidate/language/new", data={
        "language": "other", "name": " узбекский ", "level": "basic"})
    assert same_other.status_code == 422
    with app.app_context():
        rows = db.session.scalars(select(CandidateLanguage).order_by(CandidateLanguage.id)).all()
        assert [(r.language.value, r.name) for r in rows] == [
            ("kk", ""), ("other", "Узбекский"), ("other", "Уйгурский")]
        uyghur_id = rows[2].id
    # Editing one "other" language into another that is already listed is refused too.
    response = client.post(f"/candidate/language/{uyghur_id}/edit", data={
        "language": "other", "name": "Узбекский", "level": "fluent"})
    assert response.status_code == 422
    assert client.post(f"/candidate/language/{uyghur_id}/edit", data={
        "language": "en", "name": "ignored", "level": "basic"}).status_code == 302
    with app.app_context():
        row = db.session.get(CandidateLanguage, uyghur_id)
        assert (row.language.value, row.name, row.level.value) == ("en", "", "basic")


@pytest.mark.parametrize("data, message", [
    ({"language": "other", "name": "", "level": "basic"}, "Write the name of the language."),
    ({"language": "other", "name": "x" * 101, "level": "basic"},
     "Field cannot be longer than 100 characters."),
    ({"language": "de", "name": "", "level": "basic"}, "Not a valid choice."),
    ({"language": "kk", "name": "", "level": "perfect"}, "Not a valid choice."),
])
def test_bad_language_is_explained_and_saves_nothing(app, client, candidate, data, message):
    response = client.post("/candidate/language/new", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(app, CandidateLanguage) == 0


def test_entries_of_another_candidate_are_404(app, client, make_user, login):
    owner, intruder = make_user("candidate"), make_user("candidate")
    login(owner)
    client.post("/candidate/work/new", data=WORK)
    client.post("/candidate/education/new", data=EDUCATION)
    client.post("/candidate/language/new", data={"language": "ru", "level": "fluent"})
    with app.app_context():
        ids = {"work": db.session.scalar(select(WorkHistoryEntry.id)),
               "education": db.session.scalar(select(EducationEntry.id)),
               "language": db.session.scalar(select(CandidateLanguage.id))}
    client.post("/logout")
    login(intruder)
    for kind, entry_id in ids.items():
        assert client.get(f"/candidate/{kind}/{entry_id}/edit").status_code == 404
        assert client.post(f"/candidate/{kind}/{entry_id}/edit", data=WORK).status_code == 404
        assert client.post(f"/candidate/{kind}/{entry_id}/delete").status_code == 404
    assert "Строймонтаж" not in client.get("/candidate/").get_data(as_text=True)
    for model in (WorkHistoryEntry, EducationEntry, CandidateLanguage):
        assert _count(app, model) == 1


def test_entry_changes_reach_the_matching_change_log(app, client, candidate):
    from marketplace.matches.models import MatchChange

    with app.app_context():
        profile_id = _profile(candidate).id
        before = db.session.scalar(select(func.max(MatchChange.id))) or 0
    client.post("/candidate/language/new", data={"language": "ru", "level": "fluent"})
    with app.app_context():
        assert db.session.scalar(select(MatchChange.id).where(
            MatchChange.id > before, MatchChange.entity == "candidate",
            MatchChange.entity_id == profile_id)) is not None


# --- completeness --------------------------------------------------------------------------

def test_completeness_suggests_the_most_useful_step_first(app, client, make_user, login,
                                                          skill_codes):
    user, profile_id = make_candidate(app, make_user, skill_codes, title="")
    login(user)

    def next_step():
        page = client.get("/candidate/").get_data(as_text=True)
        return page.split("Next step:", 1)[1].split("</strong>", 1)[0] if "Next step:" in page \
            else None

    client.post("/candidate/profile", data=_wishes(app, user, desired_title=""))
    assert "Say what job you are looking for" in next_step()
    client.post("/candidate/profile", data=_wishes(app, user))
    assert "Add a job you have done before" in next_step()  # three skills already there
    client.post("/candidate/work/new", data=WORK)
    assert "Choose the working hours that suit you" in next_step()
    client.post("/candidate/profile", data=_wishes(app, user, schedule_shifts="y"))
    assert "Add the languages you speak" in next_step()
    client.post("/candidate/language/new", data={"language": "kk", "level": "native"})
    assert "Write a few words about yourself" in next_step()
    wishes = _wishes(app, user, schedule_shifts="y", summary="Работал сварщиком, умею читать "
                     "чертежи и варить трубы.")
    client.post("/candidate/profile", data=wishes)
    assert "Say what monthly pay you expect" in next_step()
    client.post("/candidate/profile", data={**wishes, "salary_expectation": "200000"})
    assert "Add your education" in next_step()
    client.post("/candidate/education/new", data=EDUCATION)
    assert "Choose your town" in next_step()
    with app.app_context():
        profile = db.session.get(CandidateProfile, profile_id)
        city_id = profile.region.cities[0].id
    client.post("/candidate/profile", data={**wishes, "salary_expectation": "200000",
                                            "city": city_id})
    page = client.get("/candidate/").get_data(as_text=True)
    assert next_step() is None and "100% complete" in page


# --- migration -----------------------------------------------------------------------------

def test_migration_copies_the_desired_occupation_into_the_new_table(tmp_path):
    from flask_migrate import upgrade
    from sqlalchemy import text

    from marketplace import ROOT, create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.db'}"})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"), revision="0004")
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO occupation (id, code, level, name_kk, name_ru, name_en, hazardous) "
                "VALUES (7, 'welder', 'occupation', 'a', 'b', 'c', false)"))
            connection.execute(text(
                "INSERT INTO user (id, email, password_hash, role, full_name, active, "
                "created_at, password_changed_at) VALUES (1, 'a@b.kz', 'x', 'candidate', 'n', "
                "true, '2026-01-01', '2026-01-01')"))
            connection.execute(text(
                "INSERT INTO candidate_profile (id, user_id, desired_title, summary, "
                "discoverable, created_at, updated_at, desired_occupation_id) "
                "VALUES (3, 1, '', '', false, '2026-01-01', '2026-01-01', 7)"))
        upgrade(directory=str(ROOT / "migrations"), revision="0007")
        with db.engine.connect() as connection:
            assert connection.execute(text(
                "SELECT profile_id, occupation_id, position FROM candidate_desired_occupation"
            )).all() == [(3, 7, 0)]
            assert connection.execute(text(
                "SELECT schedule_day, willing_to_relocate FROM candidate_profile")).all() == [
                (0, 0)]
        db.engine.dispose()
