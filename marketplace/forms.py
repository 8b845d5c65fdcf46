"""Form base class: every string is stripped and checked for characters a browser never sends."""

import re
import threading
from collections import OrderedDict
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import Select

# Werkzeug decodes malformed UTF-8 to U+FFFD; NUL is refused by PostgreSQL text columns.
_FORBIDDEN = ("\x00", "\ufffd")


def strip_filter(value):
    return value.strip() if isinstance(value, str) else value


class BaseForm(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = tuple(unbound_field.kwargs.get("filters", ()))
            if issubclass(unbound_field.field_class, StringField):
                filters = (strip_filter, *filters)
            return unbound_field.bind(form=form, filters=filters, **options)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for field in self:
            if isinstance(field.data, str) and any(ch in field.data for ch in _FORBIDDEN):
                field.errors = [*field.errors, _l("Contains characters that cannot be saved.")]
                valid = False
        return valid


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms 3.3+ select options."""
    return [SelectChoice(value, label) for value, label in pairs]


_AMOUNT = re.compile(r"\d{1,12}(\.\d{1,2})?")
_SPACES = re.compile(r"[\s\u00a0\u202f']")


class MoneyField(StringField):
    """Tenge: whole or with 2 decimals; spaces, apostrophes and a decimal comma are accepted."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        cleaned = _SPACES.sub("", valuelist[0] or "").replace(",", ".")
        if not cleaned:
            self.data = None
        elif _AMOUNT.fullmatch(cleaned):
            self.data = Decimal(cleaned)
        else:
            self.data = None
            raise ValueError(_l("Enter an amount in tenge, e.g. 250000 or 250000.50."))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data:f}"


class LocalDateField(DateField):
    """An HTML date input whose parse error speaks the reader's language."""

    bad_date_message = _l("Enter a date, e.g. 2025-06-30.")

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(self.bad_date_message) from None


def show_domain_error(form, error, *, default_field: str | None = None) -> None:
    """After a refused service call: roll back, then put the message under the field it concerns
    (`error.context["field"]`, else `default_field`), or at the top of the page."""
    from flask import flash

    from marketplace.extensions import db

    db.session.rollback()
    name = error.context.get("field") or default_field or ""
    field = getattr(form, name, None) if form is not None else None
    if field is None:
        flash(str(error.message), "error")
    else:
        field.errors = [*field.errors, error.message]


class KeptSelect(Select):
    """A <select> rendered once per distinct set of options, selection and attributes, then
    reused by the process. Escaping each option is what a long list costs: the job search's
    occupations (163 in 26 groups) and 20 regions took ≈ 25 ms of every /jobs view."""

    KEPT = 512  # bound: a few languages × selections of a few lists

    def __init__(self, multiple=False):
        super().__init__(multiple)
        self._kept: OrderedDict[tuple, str] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, field, **kwargs):
        if not all(isinstance(c, SelectChoice) for c in field.choices or ()):
            return super().__call__(field, **kwargs)  # dict or tuple choices: not worth a key
        key = (field.id, field.name, tuple(sorted((k, str(v)) for k, v in kwargs.items())),
               tuple(str(c.optgroup or "") for c in field.choices),
               tuple((str(c.value), str(c.label), c.selected, tuple(c.render_kw.items()))
                     for c in field.iter_choices()))
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        html = super().__call__(field, **kwargs)
        with self._lock:
            self._kept[key] = html
            while len(self._kept) > self.KEPT:
                self._kept.popitem(last=False)
        return html
