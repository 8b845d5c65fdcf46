"""The hiring blueprint and a helper for forms posted from pages that show no form."""

from flask import Blueprint, flash
from flask_babel import gettext as _

bp = Blueprint("hiring", __name__)


def form_errors(form) -> None:
    """Flash the first error of each field of a form posted from a page that shows no form."""
    for field in form:
        for error in field.errors:
            flash(f"{field.label.text}: {error}", "error")
    if not form.errors:
        flash(_("Please check the form."), "error")
