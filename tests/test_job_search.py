"""Public job search: who sees what, keywords in any script and case, filters, pages, bad input."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from marketplace.db_types import utcnow
from marketplace.employers.models import (
    EmployerOrganisation,
    OrganisationMember,
    Schedule,
    Vacancy,
    VacancySkill,
    VacancyStatus,
    VerificationStatus,
)
from marketplace.extensions import db
from marketplace.reference.models import Occupation, Region, Skill


@pytest.fixture
def org(app, make_user):
    """A verified organisation in Astana; returns a builder of its vacancies."""
    owner = make_user("employer")
    with app.app_context():
        org_id = db.session.scalar(select(OrganisationMember.organisation_id)
                                   .where(OrganisationMember.user_id == owner.id))
        db.session.get(EmployerOrganisation, org_id).status = VerificationStatus.VERIFIED
        db.session.commit()

    def add(title="Повар", *, region="KZ-AST", status=VacancyStatus.OPEN, hidden=False,
            occupation=None, skills=(), age_days=0, organisation_id=None, **fields):
        with app.app_context():
            vacancy = Vacancy(
                organisation_id=organisation_id or org_id, title=title, status=status,
                region=db.session.scalar(select(Region).where(Region.code == region)),
                occupation=db.session.scalar(select(Occupation).where(
                    Occupation.code == occupation)) if occupation else None,
                published_at=utcnow() - timedelta(days=age_days),
                hidden_at=utcnow() if hidden else None,
                skills=[VacancySkill(skill=db.session.scalar(select(Skill).where(
                    Skill.code == code))) for code in skills],
                **fields)
            db.session.add(vacancy)
            db.session.commit()
            return vacancy.id

    add.owner = owner
    add.org_id = org_id
    return add


def ids_on(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'href="/jobs/(\d+)"', page)]


def search(client, **args):
    response = client.get("/jobs", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_only_public_vacancies_are_listed(app, client, org, make_user):
    public = org("Повар")
    hidden = org("Скрытая", hidden=True)
    drafts = [org("Черновик", status=VacancyStatus.DRAFT),
              org("Закрыта", status=VacancyStatus.CLOSED),
              org("Занята", status=VacancyStatus.FILLED)]
    pending = make_user("employer")
    with app.app_context():
        pending_org = db.session.scalar(select(OrganisationMember.organisation_id)
                                        .where(OrganisationMember.user_id == pending.id))
    unverified = org("Не проверена", organisation_id=pending_org)
    page = search(client)
    assert ids_on(page) == [public]
    assert "1 vacancy found" in page
    for vacancy_id in (hidden, unverified, *drafts):
        assert client.get(f"/jobs/{vacancy_id}").status_code == 404
    detail = client.get(f"/jobs/{public}").get_data(as_text=True)
    assert "Повар" in detail and "Apply for this job" in detail


def test_keywords_ignore_case_in_any_script_and_all_words_must_match(app, client, org):
    welder = org("Электросварщик на стройку", description="Работа в ЦЕХЕ, Ёмкости",
                 occupation="electric_gas_welder")
    cook = org("Повар-универсал", description="Кухня столовой")
    assert ids_on(search(client, q="ЭЛЕКТРОСВАРЩИК")) == [welder]
    assert ids_on(search(client, q="цехе емкости")) == [welder], "ё and е are one letter"
    assert ids_on(search(client, q="повар столовой")) == [cook]
    assert ids_on(search(client, q="повар цехе")) == []
    with app.app_context():
        kk = db.session.scalar(select(Occupation).where(
            Occupation.code == "electric_gas_welder")).name_kk.split()[0].upper()
    assert ids_on(search(client, q=kk)) == [welder], "the occupation's Kazakh name matches"
    assert ids_on(search(client, q="%")) == [] and ids_on(search(client, q="_")) == []


def test_skill_names_in_every_language_are_searchable(app, client, org):
    with app.app_context():
        skill = db.session.scalar(select(Skill).order_by(Skill.code))
        names = (skill.name_kk, skill.name_ru, skill.name_en)
    vacancy_id = org("Разнорабочий", skills=[skill.code])
    for name in names:
        assert ids_on(search(client, q=name.upper())) == [vacancy_id]


def test_filters(app, client, org):
    with app.app_context():
        astana = db.session.scalar(select(Region.id).where(Region.code == "KZ-AST"))
        occupation = db.session.scalar(select(Occupation.id).where(Occupation.code == "cook"))
    day = org("Повар", occupation="cook", schedule=Schedule.DAY,
              salary_min=Decimal("150000"), salary_max=Decimal("200000"))
    night = org("Охранник", region="KZ-SHY", schedule=Schedule.NIGHT,
                salary_min=Decimal("300000"), hazardous=True)
    permanent = org("Кладовщик", schedule=Schedule.SHIFTS, existing_permanent_post=True)
    assert ids_on(search(client, region=astana)) == [permanent, day]
    assert ids_on(search(client, occupation=occupation)) == [day]
    assert ids_on(search(client, schedule="night")) == [night]
    assert ids_on(search(client, salary="200000")) == [night, day]
    assert ids_on(search(client, salary="250000")) == [night]
    assert ids_on(search(client, subsidy="y")) == [day]
    assert ids_on(search(client, fair_chance="y")) == []
    with app.app_context():
        db.session.get(EmployerOrganisation, org.org_id).fair_chance_pledge = True
        db.session.commit()
    page = search(client, fair_chance="y", subsidy="y")
    assert ids_on(page) == [day]
    assert "Fair-chance employer" in page and "Subsidised hiring possible" in page
    assert "150,000 – 200,000 ₸ a month" in page


def test_results_are_newest_first_twenty_a_page_and_the_pager_keeps_filters(app, client, org):
    ids = [org(f"Повар {n}", age_days=n) for n in range(25)]
    org("Сварщик")
    first = search(client, q="повар", schedule="day")
    assert ids_on(first) == ids[:20]
    assert "25 vacancies found" in first
    next_link = re.search(r'href="([^"]*page=2[^"]*)"', first).group(1).replace("&amp;", "&")
    assert "q=%D0%BF%D0%BE%D0%B2%D0%B0%D1%80" in next_link and "schedule=day" in next_link
    second = client.get(next_link).get_data(as_text=True)
    assert ids_on(second) == ids[20:]
    assert ids_on(search(client, q="повар", page="99")) == []


@pytest.mark.parametrize("args", [
    {"region": "abc"}, {"salary": "-5"}, {"salary": "abc"}, {"salary": "9" * 40},
    {"occupation": "999999"}, {"occupation": "1.5"}, {"schedule": "weekends"},
    {"page": "abc"}, {"page": "-3"}, {"q": "x" * 500}, {"q": "нул\x00ь"},
    {"fair_chance": "maybe"}, {"region": ["abc", "1"]},
])
def test_invalid_filters_are_ignored(app, client, org, args):
    vacancy_id = org("Повар")
    page = search(client, **args)
    if "fair_chance" not in args:
        assert ids_on(page) == [vacancy_id]
    assert "Internal" not in page


def test_members_see_their_own_non_public_vacancy_on_the_public_page(app, client, org, login):
    draft = org("Черновик", status=VacancyStatus.DRAFT)
    login(org.owner)
    page = client.get(f"/jobs/{draft}").get_data(as_text=True)
    assert "Only members of your organisation can see this page now." in page
    assert "Apply for this job" not in page
    assert ids_on(search(client)) == []


def test_everyone_can_search_and_read_in_every_language(app, client, org, make_user, login):
    vacancy_id = org("Повар", occupation="cook")
    with app.app_context():
        cook_kk = db.session.scalar(select(Occupation).where(Occupation.code == "cook")).name_kk
    for language in ("kk", "ru", "en"):
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
        assert ids_on(search(client)) == [vacancy_id]
        assert client.get(f"/jobs/{vacancy_id}").status_code == 200
    assert cook_kk in client.get(f"/jobs/{vacancy_id}",
                                 headers={"Accept-Language": "kk"}).get_data(as_text=True)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(make_user("candidate"))
    page = client.get(f"/jobs/{vacancy_id}")
    assert page.status_code == 200 and "Apply for this job" in page.get_data(as_text=True)
    assert ids_on(search(client)) == [vacancy_id]
