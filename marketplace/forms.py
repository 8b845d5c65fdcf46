"""Form base class: every string is stripped and checked for characters a browser never sends."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.fields.choices import SelectChoice

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
