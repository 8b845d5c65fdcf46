"""WTForms validators for identifiers, with translated messages."""

from flask_babel import lazy_gettext as _l
from wtforms.validators import StopValidation, ValidationError

from marketplace.identifiers import is_valid_bin, is_valid_iin, normalize_phone


def iin(form, field):
    if field.data and not is_valid_iin(field.data):
        raise ValidationError(_l("This IIN is not valid: check the 12 digits."))


def bin_(form, field):
    if not is_valid_bin(field.data or ""):
        raise ValidationError(_l("This BIN is not valid: check the 12 digits."))


def phone(form, field):
    """Normalises a Kazakhstan mobile number in place (+7XXXXXXXXXX)."""
    if not field.data:
        field.data = None
        return
    normalized = normalize_phone(field.data)
    if normalized is None:
        raise StopValidation(_l("Enter a Kazakhstan mobile number, e.g. +7 701 123 45 67."))
    field.data = normalized


def empty_to_none(value):
    return value or None
