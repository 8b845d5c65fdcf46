from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from marketplace.forms import BaseForm, MoneyField, choices
from marketplace.hiring.models import ContractType, RejectionReason

REJECTION_LABELS = {
    RejectionReason.SKILLS_MISMATCH: _l("Skills do not match the job"),
    RejectionReason.NOT_ENOUGH_EXPERIENCE: _l("Not enough experience"),
    RejectionReason.SCHEDULE_MISMATCH: _l("Working hours do not suit"),
    RejectionReason.POSITION_FILLED: _l("The position has been filled"),
    RejectionReason.NO_SHOW: _l("Did not come to the interview"),
    RejectionReason.OFFER_WITHDRAWN: _l("Offer withdrawn"),
    RejectionReason.OTHER: _l("Other reason"),
}
CONTRACT_LABELS = {
    ContractType.PERMANENT: _l("Permanent"),
    ContractType.FIXED_TERM: _l("Fixed term"),
    ContractType.SEASONAL: _l("Seasonal"),
    ContractType.PART_TIME: _l("Part time"),
}


class ApplyForm(BaseForm):
    note = TextAreaField(_l("A few words to the employer (optional)"),
                         validators=[Optional(), Length(max=1000)])


class NoteForm(BaseForm):
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=1000)])


class RejectForm(BaseForm):
    reason = SelectField(_l("Reason"), validators=[InputRequired()], choices=choices(
        [(r.value, label) for r, label in REJECTION_LABELS.items()
         if r is not RejectionReason.OFFER_WITHDRAWN]))
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=1000)])


class InviteForm(BaseForm):
    message = TextAreaField(_l("Message (optional)"), validators=[Optional(), Length(max=1000)])


class DisclosureForm(BaseForm):
    disclosure = TextAreaField(
        _l("What you want the employer to know about your conviction"),
        validators=[Optional(), Length(max=4000)])
    story = TextAreaField(_l("Your story: what has changed, what you have learned"),
                          validators=[Optional(), Length(max=4000)])
    share = BooleanField(_l("Share this with the employer"))


class WithdrawalRequestForm(BaseForm):
    reason = TextAreaField(_l("Why do you want to withdraw the offer?"),
                           validators=[DataRequired(), Length(min=20, max=2000)])


class WithdrawalResponseForm(BaseForm):
    response = TextAreaField(_l("Your response"), validators=[DataRequired(), Length(max=4000)])


class HireForm(BaseForm):
    start_date = DateField(_l("Start date"), validators=[InputRequired()])
    monthly_wage = MoneyField(_l("Monthly wage, KZT"), validators=[
        InputRequired(), NumberRange(min=1, max=100_000_000,
                                     message=_l("Enter an amount from 1 to 100 000 000."))])
    hours_per_week = IntegerField(_l("Hours per week"), validators=[
        InputRequired(), NumberRange(min=1, max=60, message=_l("Enter a number from 1 to 60."))])
    contract_type = SelectField(_l("Contract"), validators=[InputRequired()], choices=choices(
        [(c.value, label) for c, label in CONTRACT_LABELS.items()]))
    contract = FileField(_l("Signed contract (PDF, JPEG or PNG, up to 5 MB, optional)"))


class EndEmploymentForm(BaseForm):
    end_date = DateField(_l("Last working day"), validators=[InputRequired()], default=date.today)
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])
