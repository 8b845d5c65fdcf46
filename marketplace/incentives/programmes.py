"""Managing incentive programmes: creating and editing a programme, adding a rule version from
the administrator's form (form ↔ stored rules), and the readable rows the admin pages show."""

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms.validators import ValidationError

from marketplace.audit.services import record
from marketplace.auth.models import User
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.incentives import budget, services
from marketplace.incentives.models import (
    BudgetAccount,
    IncentiveProgramme,
    ProgrammeKind,
    ProgrammeRuleVersion,
)
from marketplace.incentives.rules import Rules, parse_rules
from marketplace.reference.models import Region
from marketplace.web import money

if TYPE_CHECKING:
    from marketplace.incentives.admin_forms import RuleVersionForm

KIND_LABELS = {
    ProgrammeKind.WAGE_SUBSIDY: _l("Wage subsidy"),
    ProgrammeKind.TAX_CERTIFICATE: _l("Tax-incentive certificate"),
    ProgrammeKind.HIRING_GRANT: _l("Hiring grant"),
    ProgrammeKind.TRAINING_GRANT: _l("Training grant"),
}

CODE_PATTERN = re.compile(r"[a-z0-9-]{3,64}")
CODE_MESSAGE = _l("Use 3 to 64 lowercase Latin letters, digits and hyphens, "
                  "e.g. kz-hiring-grant.")
NAME_MAX = 200


class EffectiveDateRefused(DomainError):
    pass


class InvalidProgrammeCode(DomainError):
    pass


class DuplicateProgrammeCode(DomainError):
    pass


class ProgrammeDatesRefused(DomainError):
    pass


class InvalidProgrammeName(DomainError):
    pass


# ------------------------------------------------------------------------ form ↔ stored rules

_TIER = re.compile(r"(\d{1,4})\s*[:=]\s*(\d{1,3}(?:[.,]\d{1,2})?)\s*%?")

MONEY_RULES = ("monthly_cap", "first_year_wage_cap", "one_off_amount")
COUNT_RULES = ("max_months", "min_hours_per_week", "released_within_months",
               "min_operating_months", "filing_deadline_days")
FLAG_RULES = ("employer_verified", "no_wage_arrears", "retention_duty", "exclude_hazardous",
              "exclude_existing_permanent_post")


def plain(number: Decimal) -> str:
    """35.00 → '35', 0.3500 → '0.35': no trailing zeros and never an exponent."""
    return f"{number.normalize():f}"


def parse_tiers(text: str) -> list[dict]:
    """'120: 25' lines (hours: percent of first-year wages) → the stored tier list."""
    tiers = {}
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        match = _TIER.fullmatch(line.strip())
        percent = Decimal(match.group(2).replace(",", ".")) if match else None
        if percent is None or percent > 100 or int(match.group(1)) in tiers:
            raise ValidationError(_l("Write one tier a line as hours: percent, e.g. 120: 25, "
                                     "each number of hours once."))
        tiers[int(match.group(1))] = percent
    return [{"min_hours": hours, "share": plain(percent / 100)}
            for hours, percent in sorted(tiers.items())]


def _tiers_text(tiers) -> str:
    return "\n".join(f"{t.min_hours}: {plain(t.share * 100)}" for t in tiers)


def _money_text(amount: Decimal) -> str:
    return f"{amount.quantize(services.TIYN):f}"


def prefill(rules: Rules) -> dict:
    """The form's starting values: the rules of the version the new one replaces."""
    data = {name: getattr(rules, name) for name in (*MONEY_RULES, *COUNT_RULES, *FLAG_RULES)}
    data["wage_share"] = None if rules.wage_share is None else rules.wage_share * 100
    data["hours_tiers"] = _tiers_text(rules.hours_tiers)
    return data


def rules_from_form(form: "RuleVersionForm", base: Rules) -> dict:
    """The stored rules dict (exact decimals as strings). Hours tiers the form does not send are
    kept from `base`, and so are the notes, which the form does not edit."""
    data = {}
    if form.wage_share.data is not None:
        data["wage_share"] = plain(form.wage_share.data / 100)
    for name in MONEY_RULES:
        value = getattr(form, name).data
        if value is not None:
            data[name] = _money_text(value)
    for name in COUNT_RULES:
        value = getattr(form, name).data
        if value is not None:
            data[name] = value
    for name in FLAG_RULES:
        data[name] = bool(getattr(form, name).data)
    if form.hours_tiers.raw_data:
        data["hours_tiers"] = parse_tiers(form.hours_tiers.data)
    else:
        data["hours_tiers"] = [{"min_hours": t.min_hours, "share": plain(t.share)}
                               for t in base.hours_tiers]
    if base.notes:
        data["notes"] = dict(base.notes)
    return data


# ------------------------------------------------------------------------------------- services

def latest_version(programme: IncentiveProgramme) -> ProgrammeRuleVersion | None:
    return programme.versions[-1] if programme.versions else None


def base_rules(programme: IncentiveProgramme) -> Rules:
    """What a new version starts from: the latest version (the one in force today unless a later
    one is already scheduled, which a new version must come after anyway)."""
    latest = latest_version(programme)
    return parse_rules(latest.rules) if latest else Rules()


def add_version_from_form(programme: IncentiveProgramme, form: "RuleVersionForm", *,
                          actor) -> ProgrammeRuleVersion:
    """Check the effective date, then add the version; raises a DomainError, saving nothing."""
    starts = form.effective_from.data
    latest = latest_version(programme)
    if starts < date.today():
        raise EffectiveDateRefused(
            _l("New rules cannot start in the past: choose today or a later date."),
            field="effective_from")
    if starts > date.today() + timedelta(days=3 * 365 + 1):  # a mistyped year, surely
        raise EffectiveDateRefused(_l("Choose a date within the next three years."),
                                   field="effective_from")
    if latest is not None and starts <= latest.effective_from:
        raise EffectiveDateRefused(
            _l("New rules must start after the latest version, which starts on %(date)s.",
               date=format_date(latest.effective_from)), field="effective_from")
    return services.add_rule_version(
        programme, effective_from=starts, rules=rules_from_form(form, base_rules(programme)),
        source=form.source.data, actor=actor)


def _check_names(names: dict[str, str]) -> dict[str, str]:
    cleaned = {}
    for field, name in names.items():
        name = (name or "").strip()
        if not name:
            raise InvalidProgrammeName(_l("Give the programme a name in every language."),
                                       field=field)
        if len(name) > NAME_MAX:
            raise InvalidProgrammeName(_l("A name can have at most %(max)s characters.",
                                          max=NAME_MAX), field=field)
        cleaned[field] = name
    return cleaned


def _check_end(active_from: date, active_to: date | None) -> None:
    if active_to is not None and active_to < active_from:
        raise ProgrammeDatesRefused(
            _l("The programme cannot end before it starts: choose %(date)s or later.",
               date=format_date(active_from)), field="active_to")


def _audit_value(value):
    return value.isoformat() if isinstance(value, date) else value


def create_programme(*, code: str, kind: ProgrammeKind, name_kk: str, name_ru: str,
                     name_en: str, region: Region | None, active_from: date,
                     active_to: date | None, effective_from: date, rules: dict, source: str,
                     actor: User | None) -> IncentiveProgramme:
    """A new programme with its first rule version (which may start in the past: no claim can
    have used a programme that did not exist). Raises InvalidProgrammeCode,
    DuplicateProgrammeCode, InvalidProgrammeName, ProgrammeDatesRefused, EffectiveDateRefused or
    InvalidRules; the caller rolls back on any of them."""
    code = (code or "").strip()
    if not CODE_PATTERN.fullmatch(code):
        raise InvalidProgrammeCode(CODE_MESSAGE, field="code")
    if db.session.scalar(select(IncentiveProgramme.id).where(IncentiveProgramme.code == code)):
        raise DuplicateProgrammeCode(
            _l("A programme with the code %(code)s already exists: choose another code.",
               code=code), field="code")
    names = _check_names({"name_kk": name_kk, "name_ru": name_ru, "name_en": name_en})
    _check_end(active_from, active_to)
    if effective_from < active_from:
        raise EffectiveDateRefused(
            _l("The first rules cannot start before the programme, which starts on %(date)s.",
               date=format_date(active_from)), field="effective_from")
    if active_to is not None and effective_from > active_to:
        raise EffectiveDateRefused(
            _l("The first rules must start before the programme ends on %(date)s.",
               date=format_date(active_to)), field="effective_from")
    programme = IncentiveProgramme(code=code, kind=ProgrammeKind(kind), **names, region=region,
                                   active_from=active_from, active_to=active_to)
    db.session.add(programme)
    db.session.flush()
    record("programme:create", programme, actor=actor, code=code, kind=programme.kind.value,
           region_id=getattr(region, "id", None), active_from=active_from.isoformat(),
           active_to=_audit_value(active_to))
    services.add_rule_version(programme, effective_from=effective_from, rules=rules,
                              source=source, actor=actor)
    db.session.flush()
    return programme


def update_programme(programme: IncentiveProgramme, *, name_kk: str, name_ru: str,
                     name_en: str, region: Region | None, active_to: date | None,
                     actor: User | None) -> IncentiveProgramme:
    """Change the names, the region covered or the end date (an end date closes the programme).
    The code, kind and start date stay: claims and documents refer to them. Raises
    InvalidProgrammeName or ProgrammeDatesRefused, changing nothing."""
    names = _check_names({"name_kk": name_kk, "name_ru": name_ru, "name_en": name_en})
    _check_end(programme.active_from, active_to)
    wanted = {**names, "region_id": getattr(region, "id", None), "active_to": active_to}
    changes = {name: [_audit_value(getattr(programme, name)), _audit_value(value)]
               for name, value in wanted.items() if getattr(programme, name) != value}
    for name in (*names, "active_to"):
        setattr(programme, name, wanted[name])
    programme.region = region
    db.session.flush()
    record("programme:update", programme, actor=actor, changes=changes)
    return programme


# ---------------------------------------------------------------------------------- describing

def _percent(share: Decimal) -> str:
    return f"{format_decimal(share * 100, format='#,##0.##')} %"


def _amount(value: Decimal | None) -> str:
    return "—" if value is None else f"{money(value)} ₸"


def _count(value: int | None) -> str:
    return "—" if value is None else str(value)


def _flag(value: bool) -> str:
    return _("Yes") if value else _("No")


def _tiers(tiers) -> str:
    return "; ".join(_("%(percent)s from %(hours)s hours", percent=_percent(t.share),
                       hours=t.min_hours) for t in tiers) or "—"


RULE_ROWS = (
    (_l("Share of the wage paid"),
     lambda r: "—" if r.wage_share is None else _percent(r.wage_share)),
    (_l("At most a month"), lambda r: _amount(r.monthly_cap)),
    (_l("Months paid at most"), lambda r: _count(r.max_months)),
    (_l("Minimum hours a week"), lambda r: _count(r.min_hours_per_week)),
    (_l("Hours tiers"), lambda r: _tiers(r.hours_tiers)),
    (_l("First-year wages counted at most"), lambda r: _amount(r.first_year_wage_cap)),
    (_l("One-off amount"), lambda r: _amount(r.one_off_amount)),
    (_l("Released from prison within, months"), lambda r: _count(r.released_within_months)),
    (_l("Employer operating for at least, months"), lambda r: _count(r.min_operating_months)),
    (_l("Claim to be filed within, days of the start"),
     lambda r: _count(r.filing_deadline_days)),
    (_l("The employer must be verified by the job centre"),
     lambda r: _flag(r.employer_verified)),
    (_l("The employer must have no wage arrears"), lambda r: _flag(r.no_wage_arrears)),
    (_l("Retention duty"), lambda r: _flag(r.retention_duty)),
    (_l("Heavy or hazardous work is excluded"), lambda r: _flag(r.exclude_hazardous)),
    (_l("Existing permanent posts are excluded"),
     lambda r: _flag(r.exclude_existing_permanent_post)),
)


def rule_table(versions) -> list[tuple]:
    """One row per rule, one readable value per version (oldest first)."""
    parsed = [parse_rules(v.rules) for v in versions]
    return [(label, [describe(rules) for rules in parsed]) for label, describe in RULE_ROWS]


def budget_rows(programme: IncentiveProgramme) -> list[tuple]:
    accounts = db.session.scalars(select(BudgetAccount).where(
        BudgetAccount.programme_id == programme.id)).all()
    rows = [(account.region, budget.balance_for(programme.id, account.region_id))
            for account in accounts]
    return sorted(rows, key=lambda row: row[0].name)
