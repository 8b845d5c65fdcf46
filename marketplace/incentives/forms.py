"""Forms of the claim pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from marketplace.forms import BaseForm, MoneyField
from marketplace.incentives.months import MAX_HOURS_IN_MONTH


class FileClaimForm(BaseForm):
    no_wage_arrears = BooleanField(
        _l("We declare that the organisation has no wage arrears to its employees."))


class DecisionForm(BaseForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


class MonthForm(BaseForm):
    month = SelectField(_l("Month"), validators=[DataRequired()], choices=[])
    hours_worked = IntegerField(_l("Hours worked in the month"), validators=[
        InputRequired(), NumberRange(min=1, max=MAX_HOURS_IN_MONTH)])
    wage_paid = MoneyField(_l("Wage paid for the month, tenge"), validators=[InputRequired()])
    pension_proof = FileField(_l("Proof of pension contributions (PDF, JPEG or PNG, up to 5 MB)"))
