"""The hiring blueprint and the one pattern its POST routes share."""

from flask import Blueprint, flash, redirect
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from marketplace.errors import DomainError
from marketplace.extensions import db

bp = Blueprint("hiring", __name__)


def attempt(action, *, success: str, target: str):
    """Run one service call; commit and confirm, or roll back and say what was wrong."""
    try:
        action()
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    except IntegrityError:
        # Two identical submissions at once: the database's unique key stopped the second.
        db.session.rollback()
        flash(_("This has already been done: the form was probably sent twice."), "info")
    else:
        flash(success, "success")
    return redirect(target)


def form_errors(form) -> None:
    """Flash the first error of each field of a form posted from a page that shows no form."""
    for field in form:
        for error in field.errors:
            flash(f"{field.label.text}: {error}", "error")
    if not form.errors:
        flash(_("Please check the form."), "error")
