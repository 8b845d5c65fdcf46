"""Public job search: who sees what, keywords in any script and case, filters, pages, bad input."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import delete, select, text

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
from marketplace.jobs.models import VacancySearch
from marketplace.reference.models import Occupation, Region, Skill, SkillSynonym
from tests.querycount import assert_constant_queries


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
    {"q": 'повар " (* ^ -'}, {"q": "повар' | !&:*"},
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


# --- full-text search: word forms, Kazakh suffixes, synonyms, ranking, upkeep ----------------

def test_word_endings_do_not_stop_a_match(client, org):
    welder = org("Электрогазосварщик", occupation="electric_gas_welder")
    plain = org("Сварщик на стройку")
    assert ids_on(search(client, q="электрогазосварщика")) == [welder]
    assert set(ids_on(search(client, q="сварщиков"))) == {plain, welder}, "a compound's head"
    assert set(ids_on(search(client, q="свар"))) == {plain, welder}, "the start of a word"
    assert ids_on(search(client, q="Сварщики на стройке")) == [plain]


def test_a_word_matches_at_its_start_not_inside_another_word(client, org):
    """"ёлка" used to find the butcher: "елка" is inside "разделка" (his skill "Разделка мяса")."""
    butcher = org("Мясник", occupation="butcher", skills=["meat_cutting"])
    tree = org("Монтаж новогодней ёлки")
    for q in ("ёлка", "елка", "ЁЛКИ", "Ёлки"):
        assert ids_on(search(client, q=q)) == [tree], q
    assert ids_on(search(client, q="разделки")) == [butcher]


def test_an_inflected_kazakh_word_finds_its_base_form(app, client, org):
    welder = org("Дәнекерлеуші", description="Құрылысқа дәнекерлеуші керек")
    cook = org("Асхана", occupation="cook")
    assert ids_on(search(client, q="дәнекерлеушіге")) == [welder], "dative"
    assert ids_on(search(client, q="дәнекерлеушілерге")) == [welder], "plural + dative"
    assert ids_on(search(client, q="дәнекерлеу")) == [welder], "a shorter form: prefix"
    assert ids_on(search(client, q="аспазға")) == [cook], "the occupation's Kazakh name"
    assert ids_on(search(client, q="аспаздарға")) == [cook]
    assert ids_on(search(client, q="асханаға")) == [cook]


def test_a_skill_name_or_synonym_finds_the_skills_other_names(app, client, org):
    with app.app_context():
        skill = db.session.scalar(select(Skill).where(Skill.code == "mma_welding"))
        synonyms = {s.language: s.name for s in skill.synonyms}
        other_names = (skill.name_kk, skill.name_en, synonyms["en"], synonyms["kk"])
    assert "РДС" in {s.name for s in skill.synonyms}
    written = org("Сварщик РДС", description="Опыт от 3 лет")  # the skill is not listed
    listed = org("Монтажник", skills=["mma_welding"])
    for name in other_names:
        assert set(ids_on(search(client, q=name))) == {written, listed}, name
    assert ids_on(search(client, q="монтажник РДС")) == [listed]
    assert ids_on(search(client, q="опыт ручной дуговой сварки")) == [written], "word forms"


def test_results_rank_by_where_the_words_are_then_newest(client, org):
    in_body = org("Разнорабочий", description="Помогать сварщику в цеху", age_days=1)
    in_tags = org("Рабочий цеха", occupation="welder", age_days=2)
    in_title_old = org("Сварщик", age_days=5)
    in_title_new = org("Сварщик", age_days=3)
    others = [org("Повар", age_days=4), org("Кладовщик", age_days=6)]
    assert ids_on(search(client, q="сварщик")) == [in_title_new, in_title_old, in_tags, in_body]
    assert ids_on(search(client)) == [in_body, in_tags, in_title_new, *others[:1],
                                      in_title_old, *others[1:]], "without keywords: newest"


def test_the_index_follows_changes_to_vacancies_skills_and_employers(app, client, org):
    vacancy_id = org("Повар", skills=["meat_cutting"])
    with app.app_context():
        vacancy = db.session.get(Vacancy, vacancy_id)
        vacancy.title = "Кондитер"
        vacancy.skills = [VacancySkill(skill=db.session.scalar(
            select(Skill).where(Skill.code == "mma_welding")))]
        db.session.get(EmployerOrganisation, org.org_id).name = "ТОО «Сладкий дом»"
        db.session.commit()
    assert ids_on(search(client, q="повар")) == []
    assert ids_on(search(client, q="разделка")) == []
    for q in ("кондитеры", "электросварка", "Сладкого дома"):
        assert ids_on(search(client, q=q)) == [vacancy_id], q
    with app.app_context():
        skill = db.session.scalar(select(Skill).where(Skill.code == "mma_welding"))
        skill.synonyms.append(SkillSynonym(language="ru", name="штучная сварка"))
        db.session.commit()
    try:
        assert ids_on(search(client, q="штучной сварки")) == [vacancy_id]
    finally:
        with app.app_context():
            db.session.execute(delete(SkillSynonym).where(SkillSynonym.name == "штучная сварка"))
            db.session.commit()


def test_reindex_command_rebuilds_the_index_after_a_bulk_load(app, client, org):
    vacancy_id = org("Электрогазосварщик")
    with app.app_context():
        db.session.execute(delete(VacancySearch))  # as a COPY that bypasses the ORM leaves it
        db.session.commit()
    assert ids_on(search(client, q="электрогазосварщик")) == []
    result = app.test_cli_runner().invoke(args=["search-reindex"])
    assert result.exit_code == 0 and "1 vacancies" in result.output
    assert ids_on(search(client, q="электрогазосварщика")) == [vacancy_id]


def test_postgresql_indexes_exactly_the_terms_the_application_wrote(app, org):
    """The tsvector's `simple` parser must not split or merge the application's terms."""
    org("Сварщик 5-го разряда, MIG/MAG; C++ и 1С", description="Ёмкости 12.5 м³, e-mail",
        occupation="electric_gas_welder", skills=["mma_welding", "tig_welding"])
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL only")
        row = db.session.execute(text(
            "SELECT title || ' ' || tags || ' ' || body AS terms, "
            "tsvector_to_array(document) AS lexemes FROM vacancy_search")).one()
    assert set(row.lexemes) == set(row.terms.split())


def test_search_pages_send_the_same_statements_for_one_vacancy_as_for_twenty(
        app, client, org, count_queries):
    with app.app_context():
        astana = db.session.scalar(select(Region.id).where(Region.code == "KZ-AST"))
    args = {"q": "свар", "region": astana}
    org("Сварщик", occupation="welder", skills=["mma_welding"])
    search(client, **args)  # the taxonomy for query expansion is read once per worker
    counts = {}
    for size in (1, 20):
        while len(ids_on(search(client, **args))) < size:
            org("Сварщик", occupation="welder", skills=["mma_welding", "tig_welding"])
        with count_queries() as counts[size]:
            assert len(ids_on(search(client, **args))) == size
    assert_constant_queries(counts)
    # regions and occupations for the form, the page with its regions, the count
    assert counts[1].count == 5, counts[1].report()


def test_home_page_counts_once_a_minute(app, client, org, count_queries, monkeypatch):
    from marketplace.main import services

    org("Повар")
    services.forget_home_counts(app)
    with count_queries() as first:
        assert "<strong>1</strong> open vacancy" in client.get("/").get_data(as_text=True)
    org("Сварщик")
    with count_queries() as cached:
        assert "<strong>1</strong> open vacancy" in client.get("/").get_data(as_text=True)
    assert first.count == 1 and cached.count == 0, (first.report(), cached.report())
    later = services.time.monotonic() + services.MAX_AGE + 1
    monkeypatch.setattr(services.time, "monotonic", lambda: later)
    assert "<strong>2</strong> open vacancies" in client.get("/").get_data(as_text=True)
    services.forget_home_counts(app)


def test_a_kept_select_renders_like_a_plain_one_and_follows_the_selection(app):
    """The job search's selects are rendered once per options and selection: the HTML must be
    what WTForms would write, and another selection or language must not get a stale list."""
    from werkzeug.datastructures import MultiDict
    from wtforms.widgets import Select

    from marketplace.forms import SelectChoice, choices
    from marketplace.jobs.forms import JobSearchForm

    def rendered(args, labels):
        with app.test_request_context(f"/jobs?{args}"):
            form = JobSearchForm(MultiDict(args and [args.split("=")]))
            form.occupation.choices = (labels if isinstance(labels[0], SelectChoice)
                                       else choices(labels))
            form.region.choices = choices([("", "Any")])
            form.validate()
            return str(form.occupation()), str(Select()(form.occupation))

    labels = [("", "Any"), ("1", "Welder"), ("2", "Cook & <baker>")]
    grouped = [SelectChoice("1", "Welder", optgroup="Metal"),
               SelectChoice("2", "Cook", optgroup="Food")]
    kept, plain = rendered("occupation=2", grouped)
    assert kept == plain and '<optgroup label="Food"><option selected value="2">' in kept
    kept, plain = rendered("occupation=1", labels)
    assert kept == plain and 'selected value="1"' in kept
    kept_again, _ = rendered("occupation=2", labels)
    assert 'selected value="2"' in kept_again and 'selected value="1"' not in kept_again
    translated, _ = rendered("occupation=2", [("", "Кез келген"), ("1", "Дәнекерлеуші"),
                                              ("2", "Аспаз")])
    assert "Дәнекерлеуші" in translated and "Welder" not in translated
    assert "Cook &amp; &lt;baker&gt;" in kept
