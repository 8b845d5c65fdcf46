"""Vacancies: the form, skills, the status machine, double submits, privacy and staff hiding."""

import pytest
from sqlalchemy import func, select

from marketplace.audit.models import AuditEvent
from marketplace.employers.models import (
    EmployerOrganisation,
    OrganisationMember,
    Vacancy,
    VacancyStatus,
    VerificationStatus,
)
from marketplace.employers.vacancies import (
    VACANCY_ACTIONS,
    VACANCY_TRANSITIONS,
    InvalidVacancyTransition,
    next_status,
    split_skill_names,
)
from marketplace.extensions import db
from marketplace.reference.models import Occupation, Region, Skill
from tests.factories import make_vacancy


def org_id_of(app, user):
    with app.app_context():
        return db.session.scalar(select(OrganisationMember.organisation_id)
                                 .where(OrganisationMember.user_id == user.id))


def set_org_status(app, user, status):
    with app.app_context():
        org = db.session.get(EmployerOrganisation, org_id_of(app, user))
        org.status = status
        db.session.commit()


def reference(app):
    """An ordinary and a hazardous occupation, a region with a town, three skills."""
    with app.app_context():
        region = db.session.scalar(select(Region).where(Region.code == "KZ-AST"))
        other = db.session.scalar(select(Region).where(Region.code != "KZ-AST",
                                                       Region.cities.any()))
        occupations = db.session.scalars(select(Occupation).where(
            Occupation.level == "occupation").order_by(Occupation.code)).all()
        safe = next(o for o in occupations if not o.hazardous)
        hazardous = next(o for o in occupations if o.hazardous)
        skills = db.session.scalars(select(Skill).order_by(Skill.code).limit(3)).all()
        return {
            "region": region.id, "city": region.cities[0].id if region.cities else 0,
            "other_city": other.cities[0].id, "safe": safe.id, "hazardous": hazardous.id,
            "skills": [(s.id, s.name_ru, s.name_en, s.name_kk) for s in skills],
        }


def form_data(ref, **overrides):
    skills = ref["skills"]
    data = {
        "title": "Электросварщик", "occupation": ref["safe"],
        "description": "Сварка металлоконструкций.",
        "required_skills": f"{skills[0][1]}, {skills[1][2].upper()}",
        "optional_skills": skills[2][3], "region": ref["region"], "city": ref["city"],
        "address": "ул. Абая, 1", "salary_min": "250 000", "salary_max": "300000,50",
        "schedule": "shifts", "positions": "2", "start_date": "2030-01-10",
        "closing_date": "2030-01-31", "hazardous": "auto", "submission_key": "first-form-key-0001",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def vacancy_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count(Vacancy.id)))


@pytest.fixture
def employer(app, make_user, login):
    user = make_user("employer")
    login(user)
    return user


def test_split_skill_names_keeps_commas_inside_brackets():
    assert split_skill_names("Сварка, Векторная графика (Illustrator, CorelDRAW);\nWeld\n,, "
                             "сварка") == ["Сварка", "Векторная графика (Illustrator, CorelDRAW)",
                                           "Weld"]


@pytest.mark.parametrize("status", list(VacancyStatus))
@pytest.mark.parametrize("action", VACANCY_ACTIONS)
def test_every_status_and_action_pair(status, action):
    expected = VACANCY_TRANSITIONS.get((status, action))
    if expected is None:
        with pytest.raises(InvalidVacancyTransition):
            next_status(status, action)
    else:
        assert next_status(status, action) is expected


def test_transition_table_is_the_documented_one():
    assert VACANCY_TRANSITIONS == {
        (VacancyStatus.DRAFT, "publish"): VacancyStatus.OPEN,
        (VacancyStatus.OPEN, "close"): VacancyStatus.CLOSED,
        (VacancyStatus.OPEN, "fill"): VacancyStatus.FILLED,
        (VacancyStatus.CLOSED, "reopen"): VacancyStatus.OPEN,
        (VacancyStatus.FILLED, "reopen"): VacancyStatus.OPEN,
    }


def test_employer_creates_a_draft_with_every_field(app, client, employer):
    ref = reference(app)
    org_id = org_id_of(app, employer)
    page = client.get(f"/employer/organisations/{org_id}/vacancies/new")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<datalist id="skill-names">' in html and "<optgroup" in html
    response = client.post(f"/employer/organisations/{org_id}/vacancies/new",
                           data=form_data(ref))
    assert response.status_code == 302
    with app.app_context():
        vacancy = db.session.scalar(select(Vacancy))
        assert vacancy.status is VacancyStatus.DRAFT and vacancy.organisation_id == org_id
        assert str(vacancy.salary_min) == "250000.00" and str(vacancy.salary_max) == "300000.50"
        assert vacancy.positions == 2 and vacancy.schedule.value == "shifts"
        assert str(vacancy.start_date) == "2030-01-10" and vacancy.city_id == ref["city"]
        assert [s.id for s in vacancy.required_skills] == [ref["skills"][0][0],
                                                           ref["skills"][1][0]]
        assert [s.id for s in vacancy.optional_skills] == [ref["skills"][2][0]]
        assert vacancy.hazardous is False and vacancy.subsidy_eligible
        assert "электросварщик" in vacancy.search_text
        assert ref["skills"][2][2].casefold() in vacancy.search_text, "names in every language"
        assert db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "vacancy:create")) is not None
        assert response.headers["Location"].endswith(f"/employer/vacancies/{vacancy.id}/edit")


def test_double_submitted_form_creates_one_vacancy(app, client, employer):
    ref = reference(app)
    org_id = org_id_of(app, employer)
    first = client.post(f"/employer/organisations/{org_id}/vacancies/new", data=form_data(ref))
    second = client.post(f"/employer/organisations/{org_id}/vacancies/new", data=form_data(ref))
    assert first.headers["Location"] == second.headers["Location"]
    assert vacancy_count(app) == 1
    client.post(f"/employer/organisations/{org_id}/vacancies/new",
                data=form_data(ref, submission_key="second-form-key-0002"))
    assert vacancy_count(app) == 2, "a new form is a new vacancy"
    for odd_key in ("", "short", "k" * 65):
        client.post(f"/employer/organisations/{org_id}/vacancies/new",
                    data=form_data(ref, submission_key=odd_key))
    assert vacancy_count(app) == 5, "a missing or odd key is replaced, never an error"


def test_hazardous_defaults_to_the_occupation_and_can_be_overridden(app, client, employer):
    ref = reference(app)
    org_id = org_id_of(app, employer)
    url = f"/employer/organisations/{org_id}/vacancies/new"
    keys = {name: f"form-key-{name}-0000000" for name in ("auto", "no", "post")}
    client.post(url, data=form_data(ref, occupation=ref["hazardous"],
                                    submission_key=keys["auto"]))
    client.post(url, data=form_data(ref, occupation=ref["hazardous"], hazardous="no",
                                    submission_key=keys["no"]))
    client.post(url, data=form_data(ref, existing_permanent_post="y",
                                    submission_key=keys["post"]))
    with app.app_context():
        rows = {v.submission_key: v for v in db.session.scalars(select(Vacancy))}
        auto, no, post = (rows[keys[name]] for name in ("auto", "no", "post"))
        assert auto.hazardous and not auto.subsidy_eligible
        assert not no.hazardous and no.subsidy_eligible
        assert post.existing_permanent_post and not post.subsidy_eligible


@pytest.mark.parametrize("overrides, message", [
    ({"title": ""}, "This field is required."),
    ({"title": "Я" * 201}, "Field cannot be longer than 200 characters."),
    ({"occupation": "abc"}, "This field is required."),
    ({"occupation": ""}, "This field is required."),
    ({"occupation": "999999"}, "Not a valid choice."),
    ({"salary_min": "-5"}, "Enter an amount in tenge"),
    ({"salary_min": "0"}, "The amount must be greater than zero."),
    ({"salary_min": "100.555"}, "Enter an amount in tenge"),
    ({"salary_min": "1" * 13}, "Enter an amount in tenge"),
    ({"salary_min": "300000", "salary_max": "200000"},
     "The upper salary must not be lower than the lower one."),
    ({"positions": "0"}, "Enter a number from 1 to 999."),
    ({"positions": "1000"}, "Enter a number from 1 to 999."),
    ({"positions": ""}, "Enter a number from 1 to 999."),
    ({"start_date": "2030-02-10", "closing_date": "2030-02-01"},
     "The closing date cannot be before the start date."),
    ({"start_date": "31.12.2030"}, "Not a valid date value."),
    ({"start_date": "0001-01-01"}, "Enter a date between 2000 and 2100."),
    ({"schedule": "weekends"}, "Not a valid choice."),
    ({"hazardous": "maybe"}, "Not a valid choice."),
    ({"required_skills": "квантовая хирургия, жонглирование"},
     "Not found in the skills list: квантовая хирургия, жонглирование."),
    ({"required_skills": "x" * 2001}, "Field cannot be longer than 2000 characters."),
    ({"description": "д" * 10001}, "Field cannot be longer than 10000 characters."),
    ({"address": "Нул\x00ь"}, "Contains characters that cannot be saved."),
])
def test_invalid_vacancy_input_gets_a_message_and_saves_nothing(app, client, employer,
                                                                 overrides, message):
    ref = reference(app)
    org_id = org_id_of(app, employer)
    response = client.post(f"/employer/organisations/{org_id}/vacancies/new",
                           data=form_data(ref, **overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert vacancy_count(app) == 0


def test_town_must_belong_to_the_region(app, client, employer):
    ref = reference(app)
    org_id = org_id_of(app, employer)
    response = client.post(f"/employer/organisations/{org_id}/vacancies/new",
                           data=form_data(ref, city=ref["other_city"]))
    assert "This town is not in the chosen region." in response.get_data(as_text=True)
    assert vacancy_count(app) == 0


def test_only_the_unknown_skill_names_are_listed(app, client, employer):
    ref = reference(app)
    org_id = org_id_of(app, employer)
    response = client.post(f"/employer/organisations/{org_id}/vacancies/new", data=form_data(
        ref, optional_skills=f"{ref['skills'][2][1]}, жонглирование"))
    assert response.status_code == 422
    assert "Not found in the skills list: жонглирование. Choose" in response.get_data(
        as_text=True)
    assert vacancy_count(app) == 0


def test_a_skill_cannot_be_both_required_and_useful(app, client, employer):
    ref = reference(app)
    org_id = org_id_of(app, employer)
    response = client.post(f"/employer/organisations/{org_id}/vacancies/new",
                           data=form_data(ref, optional_skills=ref["skills"][0][2]))
    assert response.status_code == 422
    assert f"Listed as both required and useful: {ref['skills'][0][2]}." in \
        response.get_data(as_text=True)
    assert vacancy_count(app) == 0


def test_editing_keeps_the_skills_and_replaces_them(app, client, employer):
    ref = reference(app)
    org_id = org_id_of(app, employer)
    client.post(f"/employer/organisations/{org_id}/vacancies/new", data=form_data(ref))
    with app.app_context():
        vacancy_id = db.session.scalar(select(Vacancy.id))
    page = client.get(f"/employer/vacancies/{vacancy_id}/edit").get_data(as_text=True)
    assert ref["skills"][0][2] in page, "skill names shown in the reader's language"
    assert 'value="250000.00"' in page
    response = client.post(f"/employer/vacancies/{vacancy_id}/edit", data=form_data(
        ref, title="Сварщик 5 разряда", required_skills=ref["skills"][2][2], optional_skills="",
        salary_min="", salary_max="", city="0"))
    assert response.status_code == 302
    with app.app_context():
        vacancy = db.session.get(Vacancy, vacancy_id)
        assert vacancy.title == "Сварщик 5 разряда" and vacancy.city_id is None
        assert [s.id for s in vacancy.required_skills] == [ref["skills"][2][0]]
        assert vacancy.optional_skills == [] and vacancy.salary_min is None
        assert "5 разряда" in vacancy.search_text
        assert ref["skills"][0][1].casefold() not in vacancy.search_text


def test_publishing_needs_a_verified_organisation(app, client, employer):
    ref = reference(app)
    org_id = org_id_of(app, employer)
    client.post(f"/employer/organisations/{org_id}/vacancies/new", data=form_data(ref))
    with app.app_context():
        vacancy_id = db.session.scalar(select(Vacancy.id))
    response = client.post(f"/employer/vacancies/{vacancy_id}/status",
                           data={"action": "publish"}, follow_redirects=True)
    assert "the job centre has not verified your organisation" in response.get_data(as_text=True)
    set_org_status(app, employer, VerificationStatus.VERIFIED)
    response = client.post(f"/employer/vacancies/{vacancy_id}/status",
                           data={"action": "publish"}, follow_redirects=True)
    assert "The vacancy is now: Open." in response.get_data(as_text=True)
    with app.app_context():
        vacancy = db.session.get(Vacancy, vacancy_id)
        assert vacancy.status is VacancyStatus.OPEN and vacancy.published_at is not None
    again = client.post(f"/employer/vacancies/{vacancy_id}/status", data={"action": "publish"},
                        follow_redirects=True)
    assert "This change is not possible" in again.get_data(as_text=True)
    for action, status in (("fill", "filled"), ("reopen", "open"), ("close", "closed"),
                           ("reopen", "open")):
        client.post(f"/employer/vacancies/{vacancy_id}/status", data={"action": action})
        with app.app_context():
            assert db.session.get(Vacancy, vacancy_id).status.value == status
    bogus = client.post(f"/employer/vacancies/{vacancy_id}/status", data={"action": "explode"},
                        follow_redirects=True)
    assert "This change is not possible" in bogus.get_data(as_text=True)


def test_a_vacancy_whose_closing_date_passed_cannot_open(app, client, employer):
    ref = reference(app)
    set_org_status(app, employer, VerificationStatus.VERIFIED)
    org_id = org_id_of(app, employer)
    client.post(f"/employer/organisations/{org_id}/vacancies/new", data=form_data(
        ref, start_date="2020-01-01", closing_date="2020-02-01"))
    with app.app_context():
        vacancy_id = db.session.scalar(select(Vacancy.id))
    response = client.post(f"/employer/vacancies/{vacancy_id}/status",
                           data={"action": "publish"}, follow_redirects=True)
    assert "The closing date has passed." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Vacancy, vacancy_id).status is VacancyStatus.DRAFT


def test_another_organisations_draft_is_a_404_everywhere(app, client, make_user, login,
                                                         skill_codes):
    owner, outsider = make_user("employer"), make_user("employer")
    draft_id = make_vacancy(app, owner, skill_codes, status=VacancyStatus.DRAFT)
    login(outsider)
    ref = reference(app)
    assert client.get(f"/employer/vacancies/{draft_id}/edit").status_code == 404
    assert client.post(f"/employer/vacancies/{draft_id}/edit",
                       data=form_data(ref)).status_code == 404
    assert client.post(f"/employer/vacancies/{draft_id}/status",
                       data={"action": "publish"}).status_code == 404
    assert client.get(f"/jobs/{draft_id}").status_code == 404
    assert client.get(f"/employer/organisations/{org_id_of(app, owner)}/vacancies/new"
                      ).status_code == 404
    with app.app_context():
        assert db.session.get(Vacancy, draft_id).status is VacancyStatus.DRAFT
    client.post("/logout")
    login(owner)
    page = client.get(f"/jobs/{draft_id}")
    assert page.status_code == 200
    assert "Only members of your organisation can see this page now." in page.get_data(
        as_text=True)


def test_home_lists_vacancies_with_their_links(app, client, make_user, login, skill_codes):
    owner = make_user("employer")
    vacancy_id = make_vacancy(app, owner, skill_codes)
    login(owner)
    page = client.get("/employer/").get_data(as_text=True)
    org_id = org_id_of(app, owner)
    assert f"/employer/vacancies/{vacancy_id}/edit" in page
    assert f"/employer/vacancies/{vacancy_id}/candidates" in page
    assert f"/employer/organisations/{org_id}/vacancies/new" in page
    assert "New vacancy" in page and "Open" in page


def test_search_text_is_kept_for_vacancies_saved_by_any_code(app, make_user, skill_codes):
    owner = make_user("employer")
    vacancy_id = make_vacancy(app, owner, skill_codes, title="СВАРЩИК Ёлкин")
    with app.app_context():
        vacancy = db.session.get(Vacancy, vacancy_id)
        skill = vacancy.skills[0].skill
        assert "сварщик елкин" in vacancy.search_text
        assert skill.name_kk.casefold() in vacancy.search_text
        vacancy.skills.clear()
        db.session.commit()
        assert skill.name_kk.casefold() not in db.session.get(Vacancy, vacancy_id).search_text


# --- staff hiding -------------------------------------------------------------------------------

def test_staff_hide_and_unhide_with_a_reason(app, client, make_user, login, skill_codes):
    owner = make_user("employer")
    vacancy_id = make_vacancy(app, owner, skill_codes)
    staff = make_user("staff")
    login(staff)
    assert client.get(f"/jobs/{vacancy_id}").status_code == 200
    missing = client.post(f"/staff/vacancies/{vacancy_id}/hide", data={"reason": ""})
    assert missing.status_code == 422 and "This field is required." in missing.get_data(
        as_text=True)
    too_long = client.post(f"/staff/vacancies/{vacancy_id}/hide", data={"reason": "x" * 2001})
    assert too_long.status_code == 422
    response = client.post(f"/staff/vacancies/{vacancy_id}/hide",
                           data={"reason": "Требует оплату за трудоустройство"})
    assert response.status_code == 302
    with app.app_context():
        vacancy = db.session.get(Vacancy, vacancy_id)
        assert vacancy.hidden and vacancy.hidden_by_id == staff.id
        assert db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "vacancy:hide")).details["reason"].startswith("Требует")
    again = client.post(f"/staff/vacancies/{vacancy_id}/hide", data={"reason": "ещё"},
                        follow_redirects=True)
    assert "This vacancy is already hidden." in again.get_data(as_text=True)
    client.post("/logout")
    assert client.get(f"/jobs/{vacancy_id}").status_code == 404
    assert f"/jobs/{vacancy_id}" not in client.get("/jobs").get_data(as_text=True)
    login(owner)
    home = client.get("/employer/").get_data(as_text=True)
    assert "Hidden by the job centre" in home
    assert "Требует оплату" in client.get(f"/jobs/{vacancy_id}").get_data(as_text=True)
    client.post("/logout")
    login(staff)
    client.post(f"/staff/vacancies/{vacancy_id}/unhide", data={"reason": "Исправлено"})
    with app.app_context():
        assert not db.session.get(Vacancy, vacancy_id).hidden


def test_staff_of_another_region_and_drafts_are_404(app, client, make_user, login, skill_codes):
    owner = make_user("employer")
    open_id = make_vacancy(app, owner, skill_codes)
    draft_id = make_vacancy(app, owner, skill_codes, status=VacancyStatus.DRAFT)
    login(make_user("staff", region_code="KZ-SHY"))
    assert client.get(f"/staff/vacancies/{open_id}").status_code == 404
    assert client.post(f"/staff/vacancies/{open_id}/hide",
                       data={"reason": "x"}).status_code == 404
    client.post("/logout")
    login(make_user("admin"))
    assert client.get(f"/staff/vacancies/{open_id}").status_code == 200
    assert client.get(f"/staff/vacancies/{draft_id}").status_code == 404


def test_simultaneous_double_submit_is_caught_by_the_unique_index(app, client, employer,
                                                                  monkeypatch):
    from marketplace.employers import vacancies

    ref = reference(app)
    org_id = org_id_of(app, employer)
    url = f"/employer/organisations/{org_id}/vacancies/new"
    first = client.post(url, data=form_data(ref))
    real = vacancies.submitted_vacancy
    calls = []

    def racing(organisation, key):  # the service's check misses the first row, as in a race
        calls.append(key)
        return None if len(calls) == 1 else real(organisation, key)

    monkeypatch.setattr(vacancies, "submitted_vacancy", racing)
    second = client.post(url, data=form_data(ref))
    assert second.status_code == 302 and second.headers["Location"] == first.headers["Location"]
    assert vacancy_count(app) == 1 and len(calls) == 2
