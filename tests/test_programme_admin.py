"""The administrator's programme pages: rule versions with effective dates and regional budgets."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.incentives import budget, services
from marketplace.incentives.models import (
    BudgetAccount,
    BudgetEntry,
    EntryKind,
    IncentiveProgramme,
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
