from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from marketplace import validators
from marketplace.auth.forms import NewAccountForm
from marketplace.employers.vacancies import resolve_skills
from marketplace.extensions import db
from marketplace.forms import BaseForm, MoneyField, choices
from marketplace.reference.models import City
from marketplace.web import SCHEDULE_LABELS

MAX_AMOUNT = Decimal("999999999999.99")  # Numeric(14, 2)
def positive(form, field):
    if field.data is not None and field.data <= 0:
        raise ValidationError(_l("The amount must be greater than zero."))


def plausible_date(form, field):
    if field.data is not None and not date(2000, 1, 1) <= field.data <= date(2100, 12, 31):
        raise ValidationError(_l("Enter a date between 2000 and 2100."))


def optional_int(value):
    """'' (the "choose…" option) → None; anything else must be a whole number."""
    return None if value in ("", None) else int(value)


def _lower(value):
    return value.lower() if isinstance(value, str) else value


class OrganisationForm(BaseForm):
    name = StringField(_l("Organisation name"), validators=[DataRequired(), Length(max=200)])
    bin = StringField(_l("BIN"), validators=[DataRequired(), validators.bin_])
    region = SelectField(_l("Region"), coerce=int, validators=[InputRequired()])
    sector = SelectField(_l("Sector"), coerce=int, validators=[InputRequired()])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    contact_phone = TelField(_l("Contact phone"), validators=[Length(max=32), validators.phone])
    contact_email = EmailField(_l("Contact e-mail"), filters=[validators.empty_to_none, _lower],
                               validators=[Optional(), Length(max=254), Email()])
    fair_chance_pledge = BooleanField(
        _l("We take the fair-chance pledge: we judge people by their skills and ask about a "
           "conviction only after a conditional offer"))


class InviteForm(BaseForm):
    email = EmailField(_l("Colleague's e-mail"), filters=[_lower],
                       validators=[DataRequired(), Length(max=254), Email()])


class InviteAccountForm(NewAccountForm):
    """A colleague invited by e-mail creates their account (the organisation is known)."""


HAZARD_CHOICES = choices([
    ("auto", _l("As usual for the occupation")),
    ("yes", _l("Yes")),
    ("no", _l("No")),
])


class VacancyForm(BaseForm):
    title = StringField(_l("Job title"), validators=[DataRequired(), Length(max=200)])
    occupation = SelectField(_l("Occupation"), coerce=optional_int, validators=[DataRequired()])
    description = TextAreaField(_l("Description: duties, conditions, what you offer"),
                                validators=[Optional(), Length(max=10000)])
    required_skills = StringField(_l("Required skills"), validators=[Length(max=2000)])
    optional_skills = StringField(_l("Useful skills (optional)"),
                                  validators=[Length(max=2000)])
    region = SelectField(_l("Region"), coerce=int, validators=[InputRequired()])
    city = SelectField(_l("Town"), coerce=int, validators=[Optional()])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    salary_min = MoneyField(_l("Salary from, KZT a month"), validators=[Optional(), positive])
    salary_max = MoneyField(_l("Salary up to, KZT a month"), validators=[Optional(), positive])
    schedule = SelectField(_l("Schedule"), choices=choices(SCHEDULE_LABELS.items()),
                           validators=[InputRequired()])
    positions = IntegerField(
        _l("Number of positions"), default=1,
        validators=[InputRequired(message=_l("Enter a number from 1 to 999.")),
                    NumberRange(min=1, max=999, message=_l("Enter a number from 1 to 999."))])
    start_date = DateField(_l("Start date"), validators=[Optional(), plausible_date])
    closing_date = DateField(_l("Applications close on"),
                             validators=[Optional(), plausible_date])
    hazardous = SelectField(_l("Heavy or hazardous work"), choices=HAZARD_CHOICES,
                            default="auto")
    existing_permanent_post = BooleanField(
        _l("This is an existing permanent post (not a new job)"))
    submission_key = HiddenField()  # see create_vacancy; anything odd is replaced, not shown

    required = ()   # resolved Skill rows, set by validation
    optional = ()

    def validate_city(self, field):
        if field.errors:  # not one of the offered towns: nothing to look up
            return
        city = db.session.get(City, field.data) if field.data else None
        if city is not None and city.region_id != self.region.data:
            raise ValidationError(_l("This town is not in the chosen region."))

    def validate_salary_max(self, field):
        low, high = self.salary_min.data, field.data
        if low is not None and high is not None and high < low:
            raise ValidationError(_l("The upper salary must not be lower than the lower one."))
        if high is not None and high > MAX_AMOUNT:
            raise ValidationError(_l("The amount is too large."))

    def validate_closing_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The closing date cannot be before the start date."))

    def _skills(self, field):
        skills, unknown = resolve_skills(field.data)
        if unknown:
            raise ValidationError(_l(
                "Not found in the skills list: %(names)s. Choose names from the suggestions.",
                names=", ".join(unknown)))
        return skills

    def validate_required_skills(self, field):
        self.required = self._skills(field)

    def validate_optional_skills(self, field):
        self.optional = self._skills(field)
        both = [skill.name for skill in self.optional if skill in self.required]
        if both:
            raise ValidationError(_l("Listed as both required and useful: %(names)s.",
                                     names=", ".join(both)))

    def hazardous_choice(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.hazardous.data)


class ReasonForm(BaseForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


class ResolveForm(BaseForm):
    resolution = TextAreaField(_l("What did the job centre find and do?"),
                               validators=[DataRequired(), Length(max=2000)])


class ReportForm(BaseForm):
    reason = TextAreaField(_l("What is wrong with this vacancy?"),
                           validators=[DataRequired(), Length(max=1000)])


class StatusForm(BaseForm):
    action = StringField(validators=[DataRequired(), Length(max=16)])
