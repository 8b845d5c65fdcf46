"""The administrator's pages for incentive programmes: the rule versions (a change of rules is a
new version with a later effective date; versions already used by claims are never edited) and
the budget given to each region."""

import re
from datetime import date, timedelta
from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from marketplace.auth.models import Role
from marketplace.auth.permissions import role_required
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.forms import BaseForm, MoneyField, choices, show_domain_error
from marketplace.incentives import budget, services
from marketplace.incentives.models import (
    BudgetAccount,
    IncentiveProgramme,
    ProgrammeKind,
    ProgrammeRuleVersion,
)
from marketplace.incentives.rules import Rules, parse_rules
from marketplace.reference.models import Region
from marketplace.reference.services import region_choices
from marketplace.web import money

bp = Blueprint("incentives_admin", __name__, url_prefix="/admin/programmes")

KIND_LABELS = {
    ProgrammeKind.WAGE_SUBSIDY: _l("Wage subsidy"),
    ProgrammeKind.TAX_CERTIFICATE: _l("Tax-incentive certificate"),
    ProgrammeKind.HIRING_GRANT: _l("Hiring grant"),
    ProgrammeKind.TRAINING_GRANT: _l("Training grant"),
}


class EffectiveDateRefused(DomainError):
    pass


# ---------------------------------------------------------------------------------------- forms

class _Date(DateField):
    """An HTML date input whose parse error speaks our language."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter a date, e.g. 2025-06-30.")) from None


class _Whole(IntegerField):
    """A whole number from 0 to `maximum`; empty means "not set"."""

    def __init__(self, label, *, maximum: int, **kwargs):
        self.maximum = maximum
        super().__init__(label, validators=[Optional(), _in_range], **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter a whole number from 0 to %(max)s.",
                                max=self.maximum)) from None


def _in_range(form, field):
    if field.data is not None and not 0 <= field.data <= field.maximum:
        raise ValidationError(_l("Enter a whole number from 0 to %(max)s.", max=field.maximum))


_PERCENT = re.compile(r"\d{1,3}(\.\d{1,2})?")


class PercentField(StringField):
    """A percentage from 0 to 100 with at most two decimals (a decimal comma is accepted)."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        cleaned = (valuelist[0] or "").strip().removesuffix("%").strip().replace(",", ".")
        if not cleaned:
            self.data = None
        elif _PERCENT.fullmatch(cleaned) and Decimal(cleaned) <= 100:
            self.data = Decimal(cleaned)
        else:
            self.data = None
            raise ValueError(_l("Enter a percentage from 0 to 100 with at most two decimals, "
                                "e.g. 35 or 12.5."))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else _plain(self.data)


_TIER = re.compile(r"(\d{1,4})\s*[:=]\s*(\d{1,3}(?:[.,]\d{1,2})?)\s*%?")


def _parse_tiers(text: str) -> list[dict]:
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
    return [{"min_hours": hours, "share": _plain(percent / 100)}
            for hours, percent in sorted(tiers.items())]


def _valid_tiers(form, field):
    _parse_tiers(field.data)


def _tiers_text(tiers) -> str:
    return "\n".join(f"{t.min_hours}: {_plain(t.share * 100)}" for t in tiers)


def _plain(number: Decimal) -> str:
    """35.00 → '35', 0.3500 → '0.35': no trailing zeros and never an exponent."""
    return f"{number.normalize():f}"


def _money_text(amount: Decimal) -> str:
    return f"{amount.quantize(services.TIYN):f}"


def _positive(form, field):
    if field.data is not None and field.data <= 0:
        raise ValidationError(_l("The amount must be greater than zero."))


def _region_chosen(form, field):
    if not field.data:
        raise ValidationError(_l("Choose the region that receives the money."))


_region_chosen.field_flags = {"required": True}


_MONEY_RULES = ("monthly_cap", "first_year_wage_cap", "one_off_amount")
_COUNT_RULES = ("max_months", "min_hours_per_week", "released_within_months",
                "min_operating_months", "filing_deadline_days")
_FLAG_RULES = ("employer_verified", "no_wage_arrears", "retention_duty", "exclude_hazardous",
               "exclude_existing_permanent_post")


class RuleVersionForm(BaseForm):
    effective_from = _Date(_l("In force from"), validators=[InputRequired()])
    source = TextAreaField(_l("Source: the order or law the rules follow"), validators=[
        DataRequired(_l("Name the order or law the new rules follow.")), Length(max=2000)])
    wage_share = PercentField(_l("Share of the wage paid, %"))
    monthly_cap = MoneyField(_l("At most a month, KZT"))
    max_months = _Whole(_l("Months paid at most"), maximum=120)
    min_hours_per_week = _Whole(_l("Minimum hours a week"), maximum=168)
    hours_tiers = TextAreaField(_l("Hours tiers (hours worked in the first year: percent of "
                                   "first-year wages)"), validators=[_valid_tiers])
    first_year_wage_cap = MoneyField(_l("First-year wages counted at most, KZT"))
    one_off_amount = MoneyField(_l("One-off amount, KZT"))
    released_within_months = _Whole(_l("Released from prison within, months"), maximum=600)
    min_operating_months = _Whole(_l("Employer operating for at least, months"), maximum=1200)
    filing_deadline_days = _Whole(_l("Claim to be filed within, days of the start"),
                                  maximum=3650)
    employer_verified = BooleanField(_l("The employer must be verified by the job centre"))
    no_wage_arrears = BooleanField(_l("The employer must have no wage arrears"))
    retention_duty = BooleanField(_l("Retention duty: an employer with 10 or more subsidised "
                                     "hires last year must have kept at least a tenth of them"))
    exclude_hazardous = BooleanField(_l("Heavy or hazardous work is excluded"))
    exclude_existing_permanent_post = BooleanField(_l("Existing permanent posts are excluded"))


def prefill(rules: Rules) -> dict:
    """The form's starting values: the rules of the version the new one replaces."""
    data = {name: getattr(rules, name) for name in (*_MONEY_RULES, *_COUNT_RULES, *_FLAG_RULES)}
    data["wage_share"] = None if rules.wage_share is None else rules.wage_share * 100
    data["hours_tiers"] = _tiers_text(rules.hours_tiers)
    return data


def rules_from_form(form: RuleVersionForm, base: Rules) -> dict:
    """The stored rules dict (exact decimals as strings). Hours tiers the form does not send are
    kept from `base`, and so are the notes, which the form does not edit."""
    data = {}
    if form.wage_share.data is not None:
        data["wage_share"] = _plain(form.wage_share.data / 100)
    for name in _MONEY_RULES:
        value = getattr(form, name).data
        if value is not None:
            data[name] = _money_text(value)
    for name in _COUNT_RULES:
        value = getattr(form, name).data
        if value is not None:
            data[name] = value
    for name in _FLAG_RULES:
        data[name] = bool(getattr(form, name).data)
    if form.hours_tiers.raw_data:
        data["hours_tiers"] = _parse_tiers(form.hours_tiers.data)
    else:
        data["hours_tiers"] = [{"min_hours": t.min_hours, "share": _plain(t.share)}
                               for t in base.hours_tiers]
    if base.notes:
        data["notes"] = dict(base.notes)
    return data


class AllocationForm(BaseForm):
    region = SelectField(_l("Region"), coerce=int, validators=[_region_chosen], choices=[])
    amount = MoneyField(_l("Amount, KZT"), validators=[InputRequired(), _positive])
    note = TextAreaField(_l("Note (optional)"), validators=[Length(max=1000)])


def allocation_form(programme: IncentiveProgramme, **kwargs) -> AllocationForm:
    form = AllocationForm(**kwargs)
    if programme.region_id:  # a regional programme is funded in its own region only
        options = choices([(programme.region_id, programme.region.name)])
    else:
        options = region_choices()
    form.region.choices = [*choices([(0, _("Not chosen"))]), *options]
    return form


# ------------------------------------------------------------------------------------- services

def latest_version(programme: IncentiveProgramme) -> ProgrammeRuleVersion | None:
    return programme.versions[-1] if programme.versions else None


def base_rules(programme: IncentiveProgramme) -> Rules:
    """What a new version starts from: the latest version (the one in force today unless a later
    one is already scheduled, which a new version must come after anyway)."""
    latest = latest_version(programme)
    return parse_rules(latest.rules) if latest else Rules()


def add_version_from_form(programme: IncentiveProgramme, form: RuleVersionForm, *,
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


# ---------------------------------------------------------------------------------------- views

def _programme(programme_id) -> IncentiveProgramme:
    return db.session.get(IncentiveProgramme, programme_id) or abort(404)


@bp.route("/")
@role_required(Role.ADMIN)
def programmes():
    today = date.today()
    rows = [(p, services.version_in_force(p, today)) for p in db.session.scalars(
        select(IncentiveProgramme).order_by(IncentiveProgramme.active_from,
                                            IncentiveProgramme.id))]
    return render_template("incentives/admin_programmes.html", rows=rows,
                           kind_label=KIND_LABELS.get)


def _page(programme, *, version_form=None, budget_form=None, status=200):
    if version_form is None:
        version_form = RuleVersionForm(formdata=None, data=prefill(base_rules(programme)))
    if budget_form is None:
        budget_form = allocation_form(programme, formdata=None)
    in_force = services.version_in_force(programme, date.today())
    latest = latest_version(programme)
    return render_template(
        "incentives/admin_programme.html", programme=programme, versions=programme.versions,
        rule_table=rule_table(programme.versions), in_force=in_force, latest=latest,
        budget_rows=budget_rows(programme), version_form=version_form,
        budget_form=budget_form, kind_label=KIND_LABELS.get, today=date.today()), status


@bp.route("/<int:programme_id>")
@role_required(Role.ADMIN)
def programme(programme_id):
    return _page(_programme(programme_id))


@bp.route("/<int:programme_id>/versions", methods=["POST"])
@role_required(Role.ADMIN)
def add_version(programme_id):
    programme = _programme(programme_id)
    form = RuleVersionForm()
    if not form.validate_on_submit():
        return _page(programme, version_form=form, status=422)
    try:
        version = add_version_from_form(programme, form, actor=current_user)
    except DomainError as error:
        show_domain_error(form, error, default_field=(
            "effective_from" if isinstance(error, services.DuplicateRuleVersion) else None))
        return _page(programme, version_form=form, status=422)
    try:
        db.session.commit()
    except IntegrityError:  # the same date added by someone else a moment ago
        db.session.rollback()
        form.effective_from.errors = [_("A version starting on this date already exists.")]
        return _page(programme, version_form=form, status=422)
    flash(_("New rules saved: in force from %(date)s.",
            date=format_date(version.effective_from)), "success")
    return redirect(url_for(".programme", programme_id=programme.id))


@bp.route("/<int:programme_id>/budget", methods=["POST"])
@role_required(Role.ADMIN)
def allocate(programme_id):
    programme = _programme(programme_id)
    form = allocation_form(programme)
    if not form.validate_on_submit():
        return _page(programme, budget_form=form, status=422)
    region = db.session.get(Region, form.region.data) or abort(404)
    try:
        budget.allocate(programme.id, region.id, form.amount.data, actor=current_user,
                        note=form.note.data or "")
    except DomainError as error:
        show_domain_error(form, error, default_field="amount")
        return _page(programme, budget_form=form, status=422)
    db.session.commit()
    flash(_("%(amount)s ₸ allocated to %(region)s.", amount=money(form.amount.data),
            region=region.name), "success")
    return redirect(url_for(".programme", programme_id=programme.id, _anchor="budget"))
