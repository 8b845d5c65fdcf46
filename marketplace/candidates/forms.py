from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import TextInput

from marketplace import validators
from marketplace.candidates.models import EducationLevel, LanguageCode, LanguageLevel
from marketplace.forms import BaseForm, choices

LEVEL_CHOICES = choices([
    (1, _l("Beginner")),
    (2, _l("Some practice")),
    (3, _l("Confident")),
    (4, _l("Experienced")),
    (5, _l("Expert, can teach others")),
])
SCHEDULE_LABELS = {
    "day": _l("Day shift"),
    "shifts": _l("Shifts"),
    "night": _l("Night shift"),
    "rotational": _l("Rotational (vakhta)"),
}
EDUCATION_LABELS = {
    EducationLevel.SECONDARY: _l("Secondary school"),
    EducationLevel.VOCATIONAL: _l("Vocational (college, including the college of an "
                                  "institution)"),
    EducationLevel.HIGHER: _l("Higher (university)"),
    EducationLevel.COURSE: _l("Course or training"),
}
LANGUAGE_LABELS = {
    LanguageCode.KK: _l("Kazakh"),
    LanguageCode.RU: _l("Russian"),
    LanguageCode.EN: _l("English"),
    LanguageCode.OTHER: _l("Another language"),
}
LANGUAGE_LEVEL_LABELS = {
    LanguageLevel.BASIC: _l("Basic: a few words and phrases"),
    LanguageLevel.CONVERSATIONAL: _l("Conversational"),
    LanguageLevel.FLUENT: _l("Fluent"),
    LanguageLevel.NATIVE: _l("Native"),
}
YEARS_MESSAGE = _l("Enter a number from 0 to 60.")
MAX_SALARY = 100_000_000
EARLIEST = date(1950, 1, 1)


def _enum_choices(labels: dict) -> list:
    return choices([(member.value, label) for member, label in labels.items()])


class AmountField(IntegerField):
    """Whole tenge; spaces people type between thousands ("150 000") are ignored, so the input
    is text (a number input would refuse them) with a numeric keyboard."""

    widget = TextInput()

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = "".join(valuelist[0].split())
        self.data = None
        if text:
            try:
                self.data = int(text)
            except ValueError:
                raise ValueError(_l("Enter the amount in tenge as a whole number, "
                                    "e.g. 150000.")) from None

    def pre_validate(self, form):
        if self.process_errors:  # one message is enough: skip the range check
            raise StopValidation()


class PersonalForm(BaseForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    phone = TelField(_l("Mobile number"), validators=[Length(max=32), validators.phone])
    iin = StringField(_l("IIN (optional)"), filters=[validators.empty_to_none],
                      validators=[Optional(), Length(max=12, min=12,
                                  message=_l("The IIN has 12 digits.")), validators.iin])


class ProfileForm(BaseForm):
    """Job wishes: what, where, when, for how much, and whether employers may find them."""

    desired_title = StringField(_l("What job are you looking for?"),
                                validators=[Optional(), Length(max=200)])
    occupation_1 = StringField(_l("Occupation from the list"),
                               validators=[Optional(), Length(max=200)])
    occupation_2 = StringField(_l("Another occupation (optional)"),
                               validators=[Optional(), Length(max=200)])
    occupation_3 = StringField(_l("One more occupation (optional)"),
                               validators=[Optional(), Length(max=200)])
    experience_years = IntegerField(
        _l("Years of work experience"),
        validators=[Optional(), NumberRange(min=0, max=60, message=YEARS_MESSAGE)],
    )
    region = SelectField(_l("Region"), coerce=int, validators=[InputRequired()])
    city = SelectField(_l("Town"), coerce=int, validators=[Optional()])
    willing_to_relocate = BooleanField(_l("I am ready to move to another town for work"))
    schedule_day = BooleanField(SCHEDULE_LABELS["day"])
    schedule_shifts = BooleanField(SCHEDULE_LABELS["shifts"])
    schedule_night = BooleanField(SCHEDULE_LABELS["night"])
    schedule_rotational = BooleanField(SCHEDULE_LABELS["rotational"])
    available_from = DateField(_l("I can start work from"), validators=[Optional()])
    salary_expectation = AmountField(
        _l("Expected monthly pay, tenge (optional)"),
        validators=[Optional(), NumberRange(
            min=1, max=MAX_SALARY,
            message=_l("Enter an amount in tenge from 1 to 100,000,000."))],
    )
    summary = TextAreaField(_l("About you: what you can do, what you have done"),
                            validators=[Optional(), Length(max=4000)])
    discoverable = BooleanField(
        _l("Employers may find my profile in searches (without my name and contacts)")
    )

    OCCUPATION_FIELDS = ("occupation_1", "occupation_2", "occupation_3")

    def validate_available_from(self, field):
        if field.data and field.data > date.today() + timedelta(days=3 * 366):
            raise ValidationError(_l("Choose a date within the next three years."))


class SkillForm(BaseForm):
    skill = StringField(_l("Skill"), validators=[DataRequired(), Length(max=200)])
    level = SelectField(_l("Level"), coerce=int, choices=LEVEL_CHOICES, default=3)
    years = IntegerField(
        _l("Years"),
        validators=[Optional(), NumberRange(min=0, max=60, message=YEARS_MESSAGE)],
    )


class WorkForm(BaseForm):
    employer_name = StringField(_l("Employer"), validators=[DataRequired(), Length(max=200)],
                                description=_l("The organisation or person you worked for."))
    job_title = StringField(_l("Job title"), validators=[DataRequired(), Length(max=200)],
                            description=_l("For example: welder, cook, driver."))
    started_on = DateField(_l("Started"), validators=[InputRequired(
        message=_l("Enter the date you started."))])
    ended_on = DateField(_l("Ended"), validators=[Optional()],
                         description=_l("Leave empty if you still work there."))
    description = TextAreaField(_l("What you did (optional)"),
                                validators=[Optional(), Length(max=2000)])

    def validate_started_on(self, field):
        if field.data and not EARLIEST <= field.data <= date.today():
            raise ValidationError(_l("Enter a date between 1950 and today."))

    def validate_ended_on(self, field):
        if field.data and self.started_on.data and field.data < self.started_on.data:
            raise ValidationError(_l("The end date cannot be before the start date."))
        if field.data and field.data > date.today() + timedelta(days=366):
            raise ValidationError(_l("Enter a date no more than a year from today."))


class EducationForm(BaseForm):
    institution = StringField(_l("School, college, university or course provider"),
                              validators=[DataRequired(), Length(max=200)])
    level = SelectField(_l("Level"), choices=_enum_choices(EDUCATION_LABELS),
                        validators=[InputRequired()])
    specialty = StringField(_l("Specialty or course name (optional)"),
                            validators=[Optional(), Length(max=200)])
    finished_year = IntegerField(_l("Year finished (optional)"), validators=[Optional()],
                                 description=_l("If you are still studying, the year you "
                                                "expect to finish."))

    def validate_finished_year(self, field):
        latest = date.today().year + 6
        if field.data is not None and not 1950 <= field.data <= latest:
            raise ValidationError(_l("Enter a year from 1950 to %(latest)s.", latest=latest))


class LanguageForm(BaseForm):
    language = SelectField(_l("Language"), choices=_enum_choices(LANGUAGE_LABELS),
                           validators=[InputRequired()])
    name = StringField(_l("Name of the other language"), validators=[Optional(), Length(max=100)],
                       description=_l("Only if you chose \"Another language\"."))
    level = SelectField(_l("How well you speak it"), choices=_enum_choices(LANGUAGE_LEVEL_LABELS),
                        validators=[InputRequired()])

    def validate_name(self, field):
        if self.language.data == LanguageCode.OTHER.value and not field.data:
            raise ValidationError(_l("Write the name of the language."))


class DeleteAccountForm(BaseForm):
    confirm = BooleanField(
        _l("I understand that my profile and account will be deleted and this cannot be undone"),
        validators=[DataRequired(message=_l("Tick the box to confirm."))])
    password = PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=128)])
