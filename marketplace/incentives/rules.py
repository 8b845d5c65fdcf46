"""Programme rules as data. Real rules change often (2023, Dec 2025, Jan 2026), so every
programme keeps versions with effective dates and a claim is judged by the version in force on
the hire's start date. Values not found in public sources are editable, never hard-coded."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

from marketplace.errors import DomainError


class InvalidRules(DomainError):
    pass


@dataclass(frozen=True)
class HoursTier:
    """Tax-incentive tiers (modelled on the US WOTC): this share of first-year wages once the
    employee has worked at least `min_hours` in the year."""

    min_hours: int
    share: Decimal


@dataclass(frozen=True)
class Rules:
    # Target group
    released_within_months: int | None = None
    # Formula
    wage_share: Decimal | None = None          # monthly subsidy: share of the wage paid
    monthly_cap: Decimal | None = None         # ... at most this much a month (e.g. min. wage)
    max_months: int | None = None
    min_hours_per_week: int | None = None
    hours_tiers: tuple[HoursTier, ...] = ()    # tax certificate
    first_year_wage_cap: Decimal | None = None  # ... on at most this much of first-year wages
    one_off_amount: Decimal | None = None      # hiring or training grant
    # Employer and vacancy conditions
    employer_verified: bool = True
    min_operating_months: int | None = None
    no_wage_arrears: bool = False
    retention_duty: bool = False               # ≥ 10 subsidised hires last year → keep ≥ 10 %
    exclude_hazardous: bool = True
    exclude_existing_permanent_post: bool = True
    filing_deadline_days: int | None = None
    notes: dict = field(default_factory=dict)


_DECIMALS = ("wage_share", "monthly_cap", "first_year_wage_cap", "one_off_amount")
_INTS = ("released_within_months", "max_months", "min_hours_per_week", "min_operating_months",
         "filing_deadline_days")
_BOOLS = ("employer_verified", "no_wage_arrears", "retention_duty", "exclude_hazardous",
          "exclude_existing_permanent_post")


def _decimal(name, value) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise InvalidRules(_l("%(field)s must be a number.", field=name)) from None
    if not number.is_finite() or number < 0:
        raise InvalidRules(_l("%(field)s must not be negative.", field=name))
    return number


def _int(name, value) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidRules(_l("%(field)s must be a whole number.", field=name))
    return value


def parse_rules(data: dict) -> Rules:
    """Validated Rules from the stored JSON; raises InvalidRules with a readable message."""
    unknown = set(data) - set(Rules.__dataclass_fields__)
    if unknown:
        raise InvalidRules(_l("Unknown rule: %(names)s", names=", ".join(sorted(unknown))))
    values = {name: _decimal(name, data.get(name)) for name in _DECIMALS}
    values |= {name: _int(name, data.get(name)) for name in _INTS}
    values |= {name: bool(data[name]) for name in _BOOLS if name in data}
    tiers = tuple(HoursTier(_int("min_hours", t.get("min_hours")),
                            _decimal("share", t.get("share")))
                  for t in data.get("hours_tiers", ()))
    if values["wage_share"] is not None and values["wage_share"] > 1:
        raise InvalidRules(_l("wage_share must be between 0 and 1."))
    return Rules(**values, hours_tiers=tiers, notes=dict(data.get("notes", {})))


def rules_to_json(rules: Rules) -> dict:
    """The JSON form stored in the database (Decimals as strings: exact, never floats)."""
    data = {}
    for name in (*_DECIMALS, *_INTS, *_BOOLS):
        value = getattr(rules, name)
        if value is not None:
            data[name] = str(value) if isinstance(value, Decimal) else value
    if rules.hours_tiers:
        data["hours_tiers"] = [{"min_hours": t.min_hours, "share": str(t.share)}
                               for t in rules.hours_tiers]
    if rules.notes:
        data["notes"] = rules.notes
    return data
