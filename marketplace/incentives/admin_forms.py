"""Forms of the administrator's programme pages: a programme, a rule version, an allocation."""

import re
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from marketplace.forms import BaseForm, LocalDateField, MoneyField, choices
from marketplace.incentives.models import IncentiveProgramme
from marketplace.incentives.programmes import (
    CODE_MESSAGE,
    CODE_PATTERN,
    KIND_LABELS,
    NAME_MAX,
    parse_tiers,
    plain,
)
from marketplace.reference.services import region_choices


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
        return "" if self.data is None else plain(self.data)


def _valid_tiers(form, field):
    parse_tiers(field.data)


def _positive(form, field):
    if field.data is not None and field.data <= 0:
        raise ValidationError(_l("The amount must be greater than zero."))


def _region_chosen(form, field):
    if not field.data:
        raise ValidationError(_l("Choose the region that receives the money."))


_region_chosen.field_flags = {"required": True}


class RuleVersionForm(BaseForm):
    effective_from = LocalDateField(_l("In force from"), validators=[InputRequired()])
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


def _name(label):
    return StringField(label, validators=[
        DataRequired(_l("Give the programme a name in every language.")),
        Length(max=NAME_MAX, message=_l("A name can have at most %(max)s characters.",
                                        max=NAME_MAX))])


class EditProgrammeForm(BaseForm):
    """What can change once a programme exists (claims refer to its code, kind and start)."""

    name_kk = _name(_l("Name in Kazakh"))
    name_ru = _name(_l("Name in Russian"))
    name_en = _name(_l("Name in English"))
    region = SelectField(_l("Region covered"), coerce=int, choices=[])
    active_to = LocalDateField(_l("Active until (optional)"), validators=[Optional()])


class NewProgrammeForm(EditProgrammeForm, RuleVersionForm):
    """A programme and its first rule version."""

    code = StringField(_l("Code"), validators=[
        DataRequired(), Regexp(CODE_PATTERN.pattern + r"\Z", message=CODE_MESSAGE)])
    kind = SelectField(_l("Type"), validators=[DataRequired(_l("Choose the type of programme."))],
                       choices=[])
    active_from = LocalDateField(_l("Active from"), validators=[InputRequired()])


def _region_scope(form):
    form.region.choices = [*choices([(0, _("Nationwide"))]), *region_choices()]
    return form


def edit_programme_form(programme: IncentiveProgramme) -> EditProgrammeForm:
    """Prefilled from the programme; the posted values replace them on a submit."""
    return _region_scope(EditProgrammeForm(data={
        "name_kk": programme.name_kk, "name_ru": programme.name_ru,
        "name_en": programme.name_en, "region": programme.region_id or 0,
        "active_to": programme.active_to}))


def new_programme_form(rule_defaults: dict) -> NewProgrammeForm:
    form = _region_scope(NewProgrammeForm(data={"region": 0, **rule_defaults}))
    form.kind.choices = choices([("", _("Not chosen")),
                                 *((kind.value, label) for kind, label in KIND_LABELS.items())])
    return form
