"""Programmes, effective-dated rule versions and the money formulas (exact Decimals)."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.audit.services import record
from marketplace.auth.models import User
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.incentives.models import (
    IncentiveProgramme,
    ProgrammeKind,
    ProgrammeRuleVersion,
)
from marketplace.incentives.rules import Rules, parse_rules, rules_to_json

TIYN = Decimal("0.01")


class DuplicateRuleVersion(DomainError):
    pass


def to_tiyn(amount: Decimal) -> Decimal:
    """Money is kept to the tiyn; halves round up, as in accounting."""
    return amount.quantize(TIYN, rounding=ROUND_HALF_UP)


def version_in_force(programme: IncentiveProgramme, on: date) -> ProgrammeRuleVersion | None:
    """The latest version that had started by `on` (a claim is judged by the hire's start)."""
    return db.session.scalar(
        select(ProgrammeRuleVersion)
        .where(ProgrammeRuleVersion.programme_id == programme.id,
               ProgrammeRuleVersion.effective_from <= on)
        .order_by(ProgrammeRuleVersion.effective_from.desc()).limit(1))


def rules_in_force(programme: IncentiveProgramme, on: date) -> Rules | None:
    version = version_in_force(programme, on)
    return parse_rules(version.rules) if version else None


def add_rule_version(programme: IncentiveProgramme, *, effective_from: date, rules: dict,
                     source: str, actor: User | None) -> ProgrammeRuleVersion:
    """A new version from `effective_from`; raises InvalidRules or DuplicateRuleVersion."""
    parsed = parse_rules(rules)
    taken = db.session.scalar(select(ProgrammeRuleVersion.id).where(
        ProgrammeRuleVersion.programme_id == programme.id,
        ProgrammeRuleVersion.effective_from == effective_from))
    if taken:
        raise DuplicateRuleVersion(_l("A version starting on this date already exists."))
    version = ProgrammeRuleVersion(programme=programme, effective_from=effective_from,
                                   rules=rules_to_json(parsed), source=source or "",
                                   created_by_id=getattr(actor, "id", None))
    db.session.add(version)
    db.session.flush()
    record("programme:add_rules", version, actor=actor, programme=programme.code,
           effective_from=effective_from.isoformat())
    return version


def monthly_subsidy(rules: Rules, *, monthly_wage: Decimal, hours_per_week: int) -> Decimal:
    """The state's monthly share of a wage: share × wage, capped; zero below the hours floor."""
    if rules.wage_share is None:
        return Decimal("0.00")
    if rules.min_hours_per_week and hours_per_week < rules.min_hours_per_week:
        return Decimal("0.00")
    amount = monthly_wage * rules.wage_share
    if rules.monthly_cap is not None:
        amount = min(amount, rules.monthly_cap)
    return to_tiyn(amount)


def tax_incentive(rules: Rules, *, first_year_wages: Decimal, hours_worked: int) -> Decimal:
    """The share of first-year wages for the highest hours tier reached, on the capped base."""
    reached = [tier for tier in rules.hours_tiers if hours_worked >= tier.min_hours]
    if not reached:
        return Decimal("0.00")
    share = max(reached, key=lambda tier: tier.min_hours).share
    base = first_year_wages
    if rules.first_year_wage_cap is not None:
        base = min(base, rules.first_year_wage_cap)
    return to_tiyn(base * share)


SEED_PROGRAMMES = (
    {
        "code": "kz-social-workplace",
        "kind": ProgrammeKind.WAGE_SUBSIDY,
        "names": ("Әлеуметтік жұмыс орны: жалақыға субсидия",
                  "Социальное рабочее место: субсидия на зарплату",
                  "Social workplace wage subsidy"),
        "active_from": date(2016, 1, 1),
        "versions": (
            (date(2023, 7, 1), "Social Code art. 111; Government Resolution 476",
             {"wage_share": "0.35", "monthly_cap": "85000.00", "max_months": 12,
              "released_within_months": 12, "min_operating_months": 12,
              "no_wage_arrears": True, "retention_duty": True,
              "notes": {"monthly_cap": "the minimum wage; update when the budget law changes"}}),
            (date(2025, 12, 12), "Order of 12 Dec 2025: employer conditions",
             {"wage_share": "0.35", "monthly_cap": "85000.00", "max_months": 12,
              "released_within_months": 12, "min_operating_months": 12,
              "no_wage_arrears": True, "retention_duty": True,
              "notes": {"monthly_cap": "the minimum wage; update when the budget law changes"}}),
        ),
    },
    {
        "code": "tax-incentive-certificate",
        "kind": ProgrammeKind.TAX_CERTIFICATE,
        "names": ("Салықтық жеңілдік сертификаты", "Сертификат налогового стимула",
                  "Tax-incentive certificate"),
        "active_from": date(2026, 1, 1),
        "versions": (
            (date(2026, 1, 1), "Modelled on the US Work Opportunity Tax Credit (IRC §51)",
             {"hours_tiers": [{"min_hours": 120, "share": "0.25"},
                              {"min_hours": 400, "share": "0.40"}],
              "first_year_wage_cap": "3000000.00", "released_within_months": 12,
              "filing_deadline_days": 28,
              "notes": {"first_year_wage_cap": "no Kazakhstan figure exists: set by the admin"}}),
        ),
    },
)


def seed_programmes() -> int:
    """Create the seeded programmes that are missing; never overwrite an admin's edits."""
    created = 0
    for spec in SEED_PROGRAMMES:
        if db.session.scalar(select(IncentiveProgramme.id).where(
                IncentiveProgramme.code == spec["code"])):
            continue
        kk, ru, en = spec["names"]
        programme = IncentiveProgramme(code=spec["code"], kind=spec["kind"], name_kk=kk,
                                       name_ru=ru, name_en=en, active_from=spec["active_from"])
        db.session.add(programme)
        db.session.flush()
        for effective_from, source, rules in spec["versions"]:
            add_rule_version(programme, effective_from=effective_from, rules=rules,
                             source=source, actor=None)
        created += 1
    return created
