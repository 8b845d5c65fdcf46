"""The one shape of a POST that runs a single service call and goes back to a page."""

from flask import flash, redirect
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from marketplace.errors import DomainError
from marketplace.extensions import db


def attempt(action, *, success: str, target: str, failure_target: str | None = None):
    """Run one service call; commit and confirm, or roll back and say what was wrong."""
    try:
        action()
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(failure_target or target)
    except IntegrityError:
        # Two identical submissions at once: the database's unique key stopped the second.
        db.session.rollback()
        flash(_("This has already been done: the form was probably sent twice."), "info")
        return redirect(failure_target or target)
    flash(success, "success")
    return redirect(target)
