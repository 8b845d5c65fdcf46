"""The administrator's programme pages: rule versions with effective dates and regional budgets."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from marketplace.audit.models import AuditEvent
from marketplace.extensions import db
from marketplace.incentives import budget, services
from marketplace.incentives.models import (
    BudgetAccount,
    BudgetEntry,
    EntryKind,
    IncentiveProgramme,
    ProgrammeKind,
    ProgrammeRuleVersion,
)
from marketplace.reference.models import Region

SOCIAL = "kz-social-workplace"
TAX = "tax-incentive-certificate"


@pytest.fixture
def admin(make_user, login):
    user = make_user("admin")
    login(user)
    return user


@pytest.fixture
def programmes(app):
    """The seeded programmes (the test database starts without them): code → id."""
    with app.app_context():
        services.seed_programmes()
        db.session.commit()
        rows = db.session.execute(select(IncentiveProgramme.code, IncentiveProgramme.id))
        return {code: programme_id for code, programme_id in rows}


@pytest.fixture
def region_id(app):
    with app.app_context():
        return db.session.scalar(select(Region.id).where(Region.code == "KZ-AST"))


def _versions(app, programme_id):
    with app.app_context():
        return [(v.effective_from, v.rules, v.source, v.created_by_id)
                for v in db.session.scalars(select(ProgrammeRuleVersion).where(
                    ProgrammeRuleVersion.programme_id == programme_id)
                    .order_by(ProgrammeRuleVersion.effective_from))]


def _count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count(model.id)))


def _version_form(start: date, **overrides) -> dict:
    data = {"effective_from": start.isoformat(), "source": "Order No. 42 of the Ministry",
            "wage_share": "40,5", "monthly_cap": "90 000", "max_months": "6",
            "min_hours_per_week": "20", "released_within_months": "12",
            "min_operating_months": "12", "filing_deadline_days": "",
            "one_off_amount": "", "first_year_wage_cap": "", "hours_tiers": "",
            "employer_verified": "y", "no_wage_arrears": "y", "exclude_hazardous": "y"}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_admin_sees_the_programmes_with_the_rules_in_force(client, admin, programmes):
    page = client.get("/admin/programmes/").get_data(as_text=True)
    assert "Social workplace wage subsidy" in page and "Tax-incentive certificate" in page
    assert "Wage subsidy" in page and "Nationwide" in page
    assert f"/admin/programmes/{programmes[SOCIAL]}" in page
    assert "Dec 12, 2025" in page  # the social workplace version in force today


def test_the_list_speaks_the_readers_language(client, admin, programmes):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ru"
    page = client.get("/admin/programmes/").get_data(as_text=True)
    assert "Социальное рабочее место: субсидия на зарплату" in page


def test_admin_home_links_to_the_programmes(client, admin):
    assert "/admin/programmes/" in client.get("/admin/").get_data(as_text=True)


def test_programme_page_shows_readable_rules_and_a_prefilled_form(client, admin, programmes):
    page = client.get(f"/admin/programmes/{programmes[SOCIAL]}").get_data(as_text=True)
    assert "Government Resolution 476" in page and "(in force)" in page
    assert "35 %" in page and "85,000 ₸" in page
    assert 'name="wage_share" type="text" value="35"' in page
    assert 'value="85000.00"' in page
    assert 'checked id="no_wage_arrears"' in page
    assert '<option value="0">Not chosen</option>' in page
    tax = client.get(f"/admin/programmes/{programmes[TAX]}").get_data(as_text=True)
    assert "25 % from 120 hours; 40 % from 400 hours" in tax
    assert "120: 25\n400: 40</textarea>" in tax


def test_adding_a_version_stores_exact_values(app, client, admin, programmes):
    start = date.today() + timedelta(days=30)
    response = client.post(f"/admin/programmes/{programmes[SOCIAL]}/versions",
                           data=_version_form(start))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/programmes/{programmes[SOCIAL]}")
    effective_from, rules, source, created_by = _versions(app, programmes[SOCIAL])[-1]
    assert effective_from == start and source == "Order No. 42 of the Ministry"
    assert created_by == admin.id
    assert rules == {
        "wage_share": "0.405", "monthly_cap": "90000.00", "max_months": 6,
        "min_hours_per_week": 20, "released_within_months": 12, "min_operating_months": 12,
        "employer_verified": True, "no_wage_arrears": True, "retention_duty": False,
        "exclude_hazardous": True, "exclude_existing_permanent_post": False,
        "notes": {"monthly_cap": "the minimum wage; update when the budget law changes"},
    }
    with app.app_context():
        programme = db.session.get(IncentiveProgramme, programmes[SOCIAL])
        assert services.rules_in_force(programme, start).wage_share == Decimal("0.405")
        assert services.rules_in_force(programme, date.today()).wage_share == Decimal("0.35")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "New rules saved" in page and "(scheduled)" in page and "40.5 %" in page


def test_hours_tiers_are_kept_when_the_form_leaves_them(app, client, admin, programmes):
    start = date.today()
    data = _version_form(start, wage_share="", monthly_cap="", hours_tiers=None,
                         first_year_wage_cap="3 500 000")
    assert client.post(f"/admin/programmes/{programmes[TAX]}/versions",
                       data=data).status_code == 302
    rules = _versions(app, programmes[TAX])[-1][1]
    assert rules["hours_tiers"] == [{"min_hours": 120, "share": "0.25"},
                                    {"min_hours": 400, "share": "0.4"}]
    assert rules["first_year_wage_cap"] == "3500000.00" and "wage_share" not in rules


def test_hours_tiers_can_be_changed(app, client, admin, programmes):
    data = _version_form(date.today() + timedelta(days=1), hours_tiers="400: 45\n100: 20,5")
    assert client.post(f"/admin/programmes/{programmes[TAX]}/versions",
                       data=data).status_code == 302
    assert _versions(app, programmes[TAX])[-1][1]["hours_tiers"] == [
        {"min_hours": 100, "share": "0.205"}, {"min_hours": 400, "share": "0.45"}]


@pytest.mark.parametrize("tiers", ["120 - 25", "120: 101", "120: 25\n120: 30"])
def test_unreadable_hours_tiers_are_refused(app, client, admin, programmes, tiers):
    response = client.post(f"/admin/programmes/{programmes[TAX]}/versions",
                           data=_version_form(date.today(), hours_tiers=tiers))
    assert response.status_code == 422
    assert "Write one tier a line" in response.get_data(as_text=True)
    assert len(_versions(app, programmes[TAX])) == 1


def test_a_start_in_the_past_is_refused(app, client, admin, programmes):
    response = client.post(f"/admin/programmes/{programmes[SOCIAL]}/versions",
                           data=_version_form(date.today() - timedelta(days=1)))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "New rules cannot start in the past" in page and 'id="effective_from-error"' in page
    assert len(_versions(app, programmes[SOCIAL])) == 2


def test_a_start_years_ahead_is_refused_as_a_typo(app, client, admin, programmes):
    response = client.post(f"/admin/programmes/{programmes[SOCIAL]}/versions",
                           data=_version_form(date.today() + timedelta(days=4 * 365)))
    assert response.status_code == 422
    assert "Choose a date within the next three years." in response.get_data(as_text=True)
    assert len(_versions(app, programmes[SOCIAL])) == 2


@pytest.mark.parametrize("days", [10, 30])  # before, and on the date of, the latest version
def test_a_start_not_after_the_latest_version_is_refused(app, client, admin, programmes, days):
    url = f"/admin/programmes/{programmes[SOCIAL]}/versions"
    assert client.post(url, data=_version_form(date.today() + timedelta(days=30))).status_code \
        == 302
    response = client.post(url, data=_version_form(date.today() + timedelta(days=days),
                                                   wage_share="50"))
    assert response.status_code == 422
    assert "New rules must start after the latest version" in response.get_data(as_text=True)
    versions = _versions(app, programmes[SOCIAL])
    assert len(versions) == 3 and versions[-1][1]["wage_share"] == "0.405"


@pytest.mark.parametrize("field, value, message", [
    ("wage_share", "100.5", "Enter a percentage from 0 to 100"),
    ("wage_share", "-5", "Enter a percentage from 0 to 100"),
    ("wage_share", "35.555", "Enter a percentage from 0 to 100"),
    ("monthly_cap", "-1", "Enter an amount in tenge"),
    ("max_months", "-1", "Enter a whole number from 0 to 120."),
    ("max_months", "six", "Enter a whole number from 0 to 120."),
    ("effective_from", "next week", "Enter a date"),
    ("effective_from", "", "This field is required."),
    ("source", "  ", "Name the order or law the new rules follow."),
])
def test_bad_rule_values_are_refused(app, client, admin, programmes, field, value, message):
    data = _version_form(date.today() + timedelta(days=5), **{field: value})
    response = client.post(f"/admin/programmes/{programmes[SOCIAL]}/versions", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and f'id="{field}-error"' in page
    assert len(_versions(app, programmes[SOCIAL])) == 2


def test_a_percent_of_exactly_100_and_0_are_allowed(app, client, admin, programmes):
    url = f"/admin/programmes/{programmes[SOCIAL]}/versions"
    assert client.post(url, data=_version_form(date.today(), wage_share="100")).status_code \
        == 302
    assert client.post(url, data=_version_form(date.today() + timedelta(days=1),
                                                wage_share="0")).status_code == 302
    shares = [rules.get("wage_share") for _, rules, _, _ in _versions(app, programmes[SOCIAL])]
    assert shares[-2:] == ["1", "0"]


def test_allocation_adds_a_ledger_entry_and_the_balance_shows_it(app, client, admin, programmes,
                                                                 region_id):
    url = f"/admin/programmes/{programmes[SOCIAL]}/budget"
    response = client.post(url, data={"region": region_id, "amount": "1 250 000,50",
                                      "note": "Budget law 2027"})
    assert response.status_code == 302 and response.headers["Location"].endswith("#budget")
    with app.app_context():
        entry = db.session.scalar(select(BudgetEntry))
        assert entry.kind is EntryKind.ALLOCATION and entry.amount == Decimal("1250000.50")
        assert entry.note == "Budget law 2027" and entry.actor_id == admin.id
        assert entry.account.region_id == region_id
        balance = budget.balance_for(programmes[SOCIAL], region_id)
        assert balance.allocated == balance.available == Decimal("1250000.50")
    page = client.get(f"/admin/programmes/{programmes[SOCIAL]}").get_data(as_text=True)
    assert "allocated to" in page and "1,250,000.5" in page


@pytest.mark.parametrize("amount, message", [
    ("0", "The amount must be greater than zero."),
    ("0.00", "The amount must be greater than zero."),
    ("-100", "Enter an amount in tenge"),
    ("ten thousand", "Enter an amount in tenge"),
    ("1e6", "Enter an amount in tenge"),
    ("", "This field is required."),
])
def test_a_bad_amount_is_refused(app, client, admin, programmes, region_id, amount, message):
    response = client.post(f"/admin/programmes/{programmes[SOCIAL]}/budget",
                           data={"region": region_id, "amount": amount})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and 'id="amount-error"' in page
    assert _count(app, BudgetEntry) == 0 and _count(app, BudgetAccount) == 0


@pytest.mark.parametrize("region", ["0", "abc", "999999"])
def test_a_region_must_be_chosen_from_the_list(app, client, admin, programmes, region):
    response = client.post(f"/admin/programmes/{programmes[SOCIAL]}/budget",
                           data={"region": region, "amount": "1000"})
    assert response.status_code == 422
    assert 'id="region-error"' in response.get_data(as_text=True)
    assert _count(app, BudgetEntry) == 0


def test_a_regional_programme_is_funded_only_in_its_region(app, client, admin, region_id):
    with app.app_context():
        other = db.session.scalar(select(Region.id).where(Region.id != region_id))
        programme = IncentiveProgramme(code="regional", kind="hiring_grant", name_kk="Грант",
                                       name_ru="Грант", name_en="Regional grant",
                                       region_id=region_id, active_from=date(2026, 1, 1))
        db.session.add(programme)
        db.session.commit()
        programme_id = programme.id
    url = f"/admin/programmes/{programme_id}/budget"
    assert client.post(url, data={"region": other, "amount": "1000"}).status_code == 422
    assert client.post(url, data={"region": region_id, "amount": "1000"}).status_code == 302
    page = client.get(f"/admin/programmes/{programme_id}").get_data(as_text=True)
    assert "This programme has no rules yet" in page


# ------------------------------------------------------------------ creating and editing programmes

def _programme_form(**overrides) -> dict:
    data = {"code": "kz-hiring-grant-2027", "kind": "hiring_grant",
            "name_kk": "Жұмысқа алу гранты", "name_ru": "Грант на наём",
            "name_en": "Hiring grant 2027", "region": "0", "active_from": "2027-01-01",
            "active_to": "2027-12-31",
            **_version_form(date(2027, 1, 1), source="Order No. 7 of 2026", wage_share="",
                            monthly_cap="", max_months="", min_hours_per_week="",
                            one_off_amount="150 000", min_operating_months="6")}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _programme_row(app, code):
    with app.app_context():
        programme = db.session.scalar(select(IncentiveProgramme).where(
            IncentiveProgramme.code == code))
        if programme is None:
            return None
        return {"kind": programme.kind, "names": (programme.name_kk, programme.name_ru,
                                                  programme.name_en),
                "region_id": programme.region_id, "active_from": programme.active_from,
                "active_to": programme.active_to, "id": programme.id}


def _audit(app, action):
    with app.app_context():
        return [(e.actor_id, e.object_id, e.details) for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))]


def test_the_pages_link_to_creating_and_editing(client, admin, programmes):
    assert "/admin/programmes/new" in client.get("/admin/programmes/").get_data(as_text=True)
    page = client.get(f"/admin/programmes/{programmes[SOCIAL]}").get_data(as_text=True)
    assert f"/admin/programmes/{programmes[SOCIAL]}/edit" in page
    assert "kz-social-workplace" in page  # the code is shown, as it cannot change


def test_the_new_programme_form_offers_kinds_regions_and_the_default_rules(client, admin):
    response = client.get("/admin/programmes/new")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<option value="hiring_grant">Hiring grant</option>' in page
    assert '<option value="tax_certificate">Tax-incentive certificate</option>' in page
    assert '<option selected value="0">Nationwide</option>' in page and "Astana" in page
    assert 'checked id="employer_verified"' in page
    assert 'checked id="no_wage_arrears"' not in page


def test_the_kind_names_are_translated(client, admin):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ru"
    page = client.get("/admin/programmes/new").get_data(as_text=True)
    assert "Новая программа" in page and "Субсидия на зарплату" in page


def test_creating_a_programme_stores_exact_values(app, client, admin, region_id):
    response = client.post("/admin/programmes/new",
                           data=_programme_form(region=str(region_id)))
    assert response.status_code == 302
    row = _programme_row(app, "kz-hiring-grant-2027")
    assert response.headers["Location"].endswith(f"/admin/programmes/{row['id']}")
    assert row["kind"] is ProgrammeKind.HIRING_GRANT
    assert row["names"] == ("Жұмысқа алу гранты", "Грант на наём", "Hiring grant 2027")
    assert row["region_id"] == region_id
    assert (row["active_from"], row["active_to"]) == (date(2027, 1, 1), date(2027, 12, 31))
    assert _versions(app, row["id"]) == [(date(2027, 1, 1), {
        "one_off_amount": "150000.00", "released_within_months": 12,
        "min_operating_months": 6, "employer_verified": True, "no_wage_arrears": True,
        "retention_duty": False, "exclude_hazardous": True,
        "exclude_existing_permanent_post": False}, "Order No. 7 of 2026", admin.id)]
    assert _audit(app, "programme:create") == [(admin.id, str(row["id"]), {
        "code": "kz-hiring-grant-2027", "kind": "hiring_grant", "region_id": region_id,
        "active_from": "2027-01-01", "active_to": "2027-12-31"})]
    assert len(_audit(app, "programme:add_rules")) == 1
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Hiring grant 2027" in page and "created" in page and "150,000 ₸" in page


def test_a_nationwide_open_ended_programme_may_start_in_the_past(app, client, admin):
    data = _programme_form(active_from="2016-01-01", active_to="",
                           effective_from="2016-01-01", hours_tiers="120: 25\n400: 40")
    assert client.post("/admin/programmes/new", data=data).status_code == 302
    row = _programme_row(app, "kz-hiring-grant-2027")
    assert row["region_id"] is None and row["active_to"] is None
    assert _versions(app, row["id"])[0][1]["hours_tiers"] == [
        {"min_hours": 120, "share": "0.25"}, {"min_hours": 400, "share": "0.4"}]


def _refused(app, response, field, message):
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and f'id="{field}-error"' in page
    assert _count(app, IncentiveProgramme) == 0 or _programme_row(
        app, "kz-hiring-grant-2027") is None
    assert _audit(app, "programme:create") == []


def test_a_taken_code_is_refused(app, client, admin, programmes):
    response = client.post("/admin/programmes/new", data=_programme_form(code=SOCIAL))
    _refused(app, response, "code",
             "A programme with the code kz-social-workplace already exists")
    assert _count(app, IncentiveProgramme) == 2
    assert len(_versions(app, programmes[SOCIAL])) == 2


@pytest.mark.parametrize("code, message", [
    ("", "This field is required."),
    ("ab", "Use 3 to 64 lowercase Latin letters, digits and hyphens"),
    ("Hiring-Grant", "Use 3 to 64 lowercase Latin letters, digits and hyphens"),
    ("hiring grant", "Use 3 to 64 lowercase Latin letters, digits and hyphens"),
    ("hiring_grant", "Use 3 to 64 lowercase Latin letters, digits and hyphens"),
    ("грант-2027", "Use 3 to 64 lowercase Latin letters, digits and hyphens"),
    ("a" * 65, "Use 3 to 64 lowercase Latin letters, digits and hyphens"),
])
def test_a_bad_code_is_refused(app, client, admin, code, message):
    response = client.post("/admin/programmes/new", data=_programme_form(code=code))
    _refused(app, response, "code", message)
    assert _count(app, IncentiveProgramme) == 0


def test_a_code_of_64_characters_is_accepted(app, client, admin):
    code = "a" * 62 + "-1"
    assert client.post("/admin/programmes/new",
                       data=_programme_form(code=code)).status_code == 302
    assert _programme_row(app, code) is not None


def test_an_end_before_the_start_is_refused(app, client, admin):
    response = client.post("/admin/programmes/new",
                           data=_programme_form(active_to="2026-12-31"))
    _refused(app, response, "active_to", "The programme cannot end before it starts")
    assert _count(app, IncentiveProgramme) == 0 and _count(app, ProgrammeRuleVersion) == 0


def test_first_rules_before_the_programme_starts_are_refused(app, client, admin):
    response = client.post("/admin/programmes/new",
                           data=_programme_form(effective_from="2026-12-31"))
    _refused(app, response, "effective_from", "The first rules cannot start before the programme")
    assert _count(app, IncentiveProgramme) == 0 and _count(app, ProgrammeRuleVersion) == 0


def test_first_rules_after_the_programme_ends_are_refused(app, client, admin):
    response = client.post("/admin/programmes/new",
                           data=_programme_form(effective_from="2028-01-01"))
    _refused(app, response, "effective_from", "The first rules must start before the programme")
    assert _count(app, IncentiveProgramme) == 0


@pytest.mark.parametrize("field, value, message", [
    ("kind", "", "Choose the type of programme."),
    ("kind", "lottery", "Not a valid choice."),
    ("name_kk", "  ", "Give the programme a name in every language."),
    ("name_en", "x" * 201, "A name can have at most 200 characters."),
    ("region", "999999", "Not a valid choice."),
    ("region", "north", "Invalid Choice: could not coerce."),
    ("active_from", "", "This field is required."),
    ("active_from", "1 January", "Enter a date"),
    ("active_to", "soon", "Enter a date"),
    ("effective_from", "", "This field is required."),
    ("source", "", "Name the order or law the new rules follow."),
    ("wage_share", "101", "Enter a percentage from 0 to 100"),
    ("one_off_amount", "lots", "Enter an amount in tenge"),
    ("hours_tiers", "120 - 25", "Write one tier a line"),
    ("max_months", "121", "Enter a whole number from 0 to 120."),
])
def test_bad_programme_values_are_refused(app, client, admin, field, value, message):
    response = client.post("/admin/programmes/new", data=_programme_form(**{field: value}))
    _refused(app, response, field, message)
    assert _count(app, IncentiveProgramme) == 0


def _edit_form(**overrides) -> dict:
    data = {"name_kk": "Әлеуметтік жұмыс орны", "name_ru": "Социальное рабочее место",
            "name_en": "Social workplace", "region": "0", "active_to": ""}
    data.update(overrides)
    return data


def test_the_edit_form_is_prefilled(client, admin, programmes):
    page = client.get(f"/admin/programmes/{programmes[SOCIAL]}/edit").get_data(as_text=True)
    assert 'value="Social workplace wage subsidy"' in page
    assert '<option selected value="0">Nationwide</option>' in page
    assert 'name="code"' not in page and 'name="kind"' not in page


def test_editing_a_programme_saves_names_and_region(app, client, admin, programmes,
                                                    region_id):
    url = f"/admin/programmes/{programmes[SOCIAL]}/edit"
    response = client.post(url, data=_edit_form(region=str(region_id),
                                                code="hacked", kind="hiring_grant",
                                                active_from="2030-01-01"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/programmes/{programmes[SOCIAL]}")
    row = _programme_row(app, SOCIAL)  # code, kind and start stay as they were
    assert row["names"] == ("Әлеуметтік жұмыс орны", "Социальное рабочее место",
                            "Social workplace")
    assert row["region_id"] == region_id and row["kind"] is ProgrammeKind.WAGE_SUBSIDY
    assert row["active_from"] == date(2016, 1, 1) and row["active_to"] is None
    assert _audit(app, "programme:update") == [(admin.id, str(programmes[SOCIAL]), {
        "changes": {
            "name_kk": ["Әлеуметтік жұмыс орны: жалақыға субсидия", "Әлеуметтік жұмыс орны"],
            "name_ru": ["Социальное рабочее место: субсидия на зарплату",
                        "Социальное рабочее место"],
            "name_en": ["Social workplace wage subsidy", "Social workplace"],
            "region_id": [None, region_id]}})]
    assert len(_versions(app, programmes[SOCIAL])) == 2
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Programme details saved." in page and "Social workplace" in page


def test_editing_can_close_the_programme(app, client, admin, programmes):
    url = f"/admin/programmes/{programmes[SOCIAL]}/edit"
    data = _edit_form(name_kk="Әлеуметтік жұмыс орны: жалақыға субсидия",
                      name_ru="Социальное рабочее место: субсидия на зарплату",
                      name_en="Social workplace wage subsidy", active_to="2026-06-30")
    assert client.post(url, data=data).status_code == 302
    assert _programme_row(app, SOCIAL)["active_to"] == date(2026, 6, 30)
    assert _audit(app, "programme:update")[0][2] == {
        "changes": {"active_to": [None, "2026-06-30"]}}
    page = client.get("/admin/programmes/").get_data(as_text=True)
    assert "Jan 1, 2016 – Jun 30, 2026" in page


def test_editing_refuses_an_end_before_the_start(app, client, admin, programmes):
    url = f"/admin/programmes/{programmes[TAX]}/edit"
    response = client.post(url, data=_edit_form(active_to="2025-12-31"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The programme cannot end before it starts" in page
    assert 'id="active_to-error"' in page
    row = _programme_row(app, TAX)
    assert row["active_to"] is None and row["names"][2] == "Tax-incentive certificate"
    assert _audit(app, "programme:update") == []


@pytest.mark.parametrize("field, value, message", [
    ("name_ru", "", "Give the programme a name in every language."),
    ("name_kk", "ж" * 201, "A name can have at most 200 characters."),
    ("region", "999999", "Not a valid choice."),
    ("active_to", "31.12.2026", "Enter a date"),
])
def test_editing_refuses_bad_values(app, client, admin, programmes, field, value, message):
    response = client.post(f"/admin/programmes/{programmes[SOCIAL]}/edit",
                           data=_edit_form(**{field: value}))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and f'id="{field}-error"' in page
    assert _programme_row(app, SOCIAL)["names"][2] == "Social workplace wage subsidy"
    assert _audit(app, "programme:update") == []
