from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from marketplace.employers.forms import optional_int
from marketplace.forms import BaseForm, KeptSelect, choices
from marketplace.web import SCHEDULE_LABELS

FILTERS = ("q", "region", "occupation", "schedule", "salary", "fair_chance", "subsidy")


class JobSearchForm(BaseForm):
    """A GET form: no CSRF token, and invalid values are dropped rather than reported."""

    class Meta:
        csrf = False

    q = StringField(_l("Keywords"), validators=[Optional(), Length(max=200)])
    region = SelectField(_l("Region"), coerce=optional_int, validators=[Optional()],
                         widget=KeptSelect())
    occupation = SelectField(_l("Occupation"), coerce=optional_int, validators=[Optional()],
                             widget=KeptSelect())
    schedule = SelectField(_l("Schedule"), validators=[Optional()], widget=KeptSelect(),
                           choices=choices([("", _l("Any schedule")), *SCHEDULE_LABELS.items()]))
    salary = IntegerField(_l("Salary at least, KZT"), validators=[
        Optional(), NumberRange(min=1, max=999_999_999_999)])
    fair_chance = BooleanField(_l("Only employers with the fair-chance pledge"))
    subsidy = BooleanField(_l("Only jobs eligible for subsidised hiring"))

    def clean(self) -> dict:
        """Validate, then forget every invalid value: the search runs with the rest."""
        self.validate()
        for field in self:
            if field.errors:
                field.data = field.default if field.type == "BooleanField" else None
                field.raw_data = []
                field.errors = []
        return {name: self[name].data for name in FILTERS}

    def query_args(self) -> dict:
        """The active filters, as query-string arguments for the pager's links."""
        args = {}
        for name in FILTERS:
            value = self[name].data
            if value not in (None, "", False):
                args[name] = "y" if value is True else value
        return args
