"""Programme rules: validation, effective dates and the exact money formulas."""

from datetime import date
from decimal import Decimal

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.incentives import services
from marketplace.incentives.models import IncentiveProgramme, ProgrammeRuleVersion
from marketplace.incentives.rules import InvalidRules, parse_rules, rules_to_json

SUBSIDY = parse_rules({"wage_share": "0.35", "monthly_cap": "85000.00", "max_months": 12,
                       "min_hours_per_week": 20})
TAX = parse_rules({"hours_tiers": [{"min_hours": 120, "share": "0.25"},
                                   {"min_hours": 400, "share": "0.40"}],
                   "first_year_wage_cap": "3000000.00"})


@pytest.mark.parametrize("data, message", [
    ({"wage_shares": "0.35"}, "Unknown rule: wage_shares"),
    ({"wage_share": "abc"}, "wage_share must be a number."),
    ({"monthly_cap": "-1"}, "monthly_cap must not be negative."),
    ({"wage_share": "1.5"}, "wage_share must be between 0 and 1."),
    ({"max_months": "12"}, "max_months must be a whole number."),
    ({"max_months": True}, "max_months must be a whole number."),
    ({"monthly_cap": "NaN"}, "monthly_cap must not be negative."),
])
def test_invalid_rules_are_refused_with_a_reason(app, data, message):
    with app.app_context(), force_locale("en"), pytest.raises(InvalidRules, match=message):
        parse_rules(data)


def test_rules_round_trip_keeps_decimals_exact():
    data = rules_to_json(SUBSIDY)
    assert data["wage_share"] == "0.35" and data["monthly_cap"] == "85000.00"
    assert parse_rules(data) == SUBSIDY


@pytest.mark.parametrize("wage, hours, expected", [
    ("200000.00", 40, "70000.00"),      # 35 %
    ("300000.00", 40, "85000.00"),      # capped at the minimum wage
    ("123456.78", 40, "43209.87"),      # 43 209.873 → to the tiyn
    ("100000.10", 40, "35000.04"),      # 35 000.035 → halves round up
    ("200000.00", 19, "0.00"),          # below the hours floor
])
def test_monthly_subsidy_is_exact_to_the_tiyn(wage, hours, expected):
    amount = services.monthly_subsidy(SUBSIDY, monthly_wage=Decimal(wage), hours_per_week=hours)
    assert amount == Decimal(expected) and amount.as_tuple().exponent == -2


@pytest.mark.parametrize("wages, hours, expected", [
    ("2400000.00", 119, "0.00"),
    ("2400000.00", 120, "600000.00"),   # 25 % tier
    ("2400000.00", 400, "960000.00"),   # 40 % tier
    ("5000000.00", 400, "1200000.00"),  # on at most the capped base
])
def test_tax_incentive_tiers(wages, hours, expected):
    assert services.tax_incentive(TAX, first_year_wages=Decimal(wages),
                                  hours_worked=hours) == Decimal(expected)


def test_the_version_in_force_follows_the_hire_start_date(app):
    with app.app_context():
        services.seed_programmes()
        programme = db.session.scalar(select(IncentiveProgramme).where(
            IncentiveProgramme.code == "kz-social-workplace"))
        assert services.version_in_force(programme, date(2023, 6, 30)) is None
        first = services.version_in_force(programme, date(2023, 7, 1))
        assert first.effective_from == date(2023, 7, 1)
        assert services.version_in_force(programme, date(2025, 12, 11)) == first
        assert services.version_in_force(programme, date(2025, 12, 12)).effective_from == date(
            2025, 12, 12)
        services.add_rule_version(programme, effective_from=date(2026, 4, 1),
                                  rules={"wage_share": "0.30", "monthly_cap": "90000.00"},
                                  source="test", actor=None)
        rules = services.rules_in_force(programme, date(2026, 5, 1))
        assert rules.wage_share == Decimal("0.30")
        assert services.rules_in_force(programme, date(2026, 3, 31)).wage_share == Decimal(
            "0.35")


def test_a_second_version_on_the_same_date_is_refused(app):
    with app.app_context():
        services.seed_programmes()
        programme = db.session.scalar(select(IncentiveProgramme))
        start = programme.versions[0].effective_from
        with force_locale("en"), pytest.raises(services.DuplicateRuleVersion):
            services.add_rule_version(programme, effective_from=start, rules={},
                                      source="", actor=None)


def test_seeding_is_idempotent_and_keeps_admin_edits(app):
    with app.app_context():
        assert services.seed_programmes() == 2
        programme = db.session.scalar(select(IncentiveProgramme).where(
            IncentiveProgramme.code == "tax-incentive-certificate"))
        programme.name_en = "Edited by the admin"
        db.session.commit()
        assert services.seed_programmes() == 0
        assert db.session.get(IncentiveProgramme, programme.id).name_en == "Edited by the admin"
        assert db.session.scalar(select(func.count(ProgrammeRuleVersion.id))) == 3


def test_load_reference_seeds_the_programmes(app):
    result = app.test_cli_runner().invoke(args=["load-reference"])
    assert result.exit_code == 0, result.output
    assert "new incentive programmes 2" in result.output
