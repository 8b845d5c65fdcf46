"""Forms of the candidate's case page. Each has its own prefix so that the many forms on the
one page never share an element id."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from marketplace.cases.models import CheckInOutcome, ReoffenceKind
from marketplace.forms import BaseForm, LocalDateField, choices
from marketplace.reference.services import MAX_ID

OUTCOME_LABELS = {
    CheckInOutcome.EMPLOYED: _l("Still employed"),
    CheckInOutcome.LEFT: _l("Left the job"),
    CheckInOutcome.UNKNOWN: _l("Unknown: could not reach the person or the employer"),
}
REOFFENCE_LABELS = {
    ReoffenceKind.REINCARCERATION: _l("Re-incarceration"),
    ReoffenceKind.NEW_CONVICTION: _l("New conviction"),
}




class _Choice(SelectField):
    """A value the service checks itself, so a tampered one gets the service's message."""

    def pre_validate(self, form):
        return None


class _Radio(RadioField):
    def pre_validate(self, form):
        return None


class _Score(IntegerField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter a whole number from 0 to 10.")) from None


class _Codes(SelectMultipleField):
    """Reference codes; the service refuses unknown ones with a message naming them."""

    def pre_validate(self, form):
        return None


class ReleaseForm(BaseForm):
    release_date = LocalDateField(_l("Release date"), validators=[InputRequired(
        _l("Enter a date, e.g. 2025-06-30."))])
    institution = StringField(_l("Institution"), validators=[
        DataRequired(_l("Enter the institution the person left.")), Length(max=200)])
    document = StringField(_l("Document seen (kind and number)"), validators=[
        DataRequired(_l("Enter the document you have seen.")), Length(max=200)])


class CourtBanForm(BaseForm):
    occupations = _Codes(_l("Banned occupations"), choices=[])
    sectors = _Codes(_l("Banned sectors"), choices=[])
    until = LocalDateField(_l("Ends on (optional)"), validators=[Optional()])


class CurfewForm(BaseForm):
    start = StringField(_l("Must be at home from (HH:MM)"), validators=[
        DataRequired(_l("Enter a time, e.g. 22:00.")), Length(max=5)])
    end = StringField(_l("Until (HH:MM)"), validators=[
        DataRequired(_l("Enter a time, e.g. 06:00.")), Length(max=5)])
    until = LocalDateField(_l("Ends on (optional)"), validators=[Optional()])


class TerritoryForm(BaseForm):
    regions = _Codes(_l("May work only in these regions"), choices=[])
    until = LocalDateField(_l("Ends on (optional)"), validators=[Optional()])


class _StaffChoice(SelectField):
    """A user id from the list; anything else is no choice (the service checks the person)."""

    def process_formdata(self, valuelist):
        value = valuelist[0] if valuelist else ""
        self.data = int(value) if value.isdigit() and int(value) <= MAX_ID else None

    def pre_validate(self, form):
        if self.data is None:
            raise ValidationError(_l("Choose a staff member."))


class ManagerForm(BaseForm):
    manager = _StaffChoice(_l("Case manager"), choices=[])


class NextStepForm(BaseForm):
    next_step = TextAreaField(_l("Next step"), validators=[Optional(), Length(max=500)])


class NoteForm(BaseForm):
    body = TextAreaField(_l("Note"), validators=[DataRequired(_l("Write the note.")),
                                                 Length(max=5000)])
    was_contact = BooleanField(_l("I spoke with the person (counts as the last contact)"))


class TaskForm(BaseForm):
    title = StringField(_l("What has to be done"), validators=[
        DataRequired(_l("Say what has to be done.")), Length(max=200)])
    due_on = LocalDateField(_l("Due on"), validators=[
        InputRequired(_l("Enter a date, e.g. 2025-06-30."))])


class CheckInForm(BaseForm):
    outcome = _Radio(_l("Outcome"), choices=choices(
        (o.value, label) for o, label in OUTCOME_LABELS.items()),
        validators=[InputRequired(_l("Choose the outcome of the check-in."))])
    left_reason = TextAreaField(_l("Why the person left (required if they left)"),
                                validators=[Optional(), Length(max=2000)])
    satisfaction = _Score(_l("Satisfaction from 0 to 10 (optional)"), validators=[
        Optional(), NumberRange(min=0, max=10, message=_l("Enter a whole number from 0 to 10."))])


class ReoffenceForm(BaseForm):
    kind = _Choice(_l("What happened"), choices=choices(
        (k.value, label) for k, label in REOFFENCE_LABELS.items()),
        validators=[InputRequired(_l("Choose what happened."))])
    occurred_on = LocalDateField(_l("Date"), validators=[InputRequired(
        _l("Enter a date, e.g. 2025-06-30."))])
    note = TextAreaField(_l("Note (optional, encrypted)"), validators=[Optional(),
                                                                       Length(max=5000)])
