"""Error pages, security headers and template helpers shared by every page."""

from flask import Flask, render_template, request
from flask_babel import format_date, format_datetime, format_decimal
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError, generate_csrf

from marketplace.auth.permissions import HOME_ENDPOINT
from marketplace.extensions import db
from marketplace.i18n import current_language

ERROR_TEXT = {
    400: (_l("Bad request"), _l("The request could not be understood. Please go back and try "
                                "again.")),
    403: (_l("Access denied"), _l("You do not have permission to open this page.")),
    404: (_l("Page not found"), _l("This page does not exist, or you cannot see it.")),
    405: (_l("Not allowed"), _l("This action is not allowed here.")),
    413: (_l("File too large"), _l("The file you sent is too large.")),
    422: (_l("Check the form"), _l("Some of the data could not be accepted.")),
    429: (_l("Too many attempts"), _l("Too many attempts. Please wait a few minutes and try "
                                      "again.")),
    500: (_l("Something went wrong"), _l("An error occurred on our side. Nothing you entered "
                                         "has been half-saved. Please try again later.")),
}


def _render_error(code: int, detail=None):
    title, text = ERROR_TEXT[code]
    return render_template("errors/error.html", code=code, title=title,
                           text=detail or text), code


def register_error_pages(app: Flask) -> None:
    def handle(error):
        code = getattr(error, "code", 500) or 500
        if code >= 500:
            db.session.rollback()
        return _render_error(code if code in ERROR_TEXT else 500)

    for code in ERROR_TEXT:
        app.register_error_handler(code, handle)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _render_error(400, _l("The form has expired. Please reload the page and submit "
                                     "it again."))


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def set_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if app.config["SESSION_COOKIE_SECURE"]:
            response.headers.setdefault("Strict-Transport-Security",
                                        "max-age=31536000; includeSubDomains")
        if current_user and current_user.is_authenticated:
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def register_template_helpers(app: Flask) -> None:
    @app.context_processor
    def helpers():
        return {
            "csrf_token": generate_csrf,
            "current_language": current_language,
            "home_endpoint": HOME_ENDPOINT.get(getattr(current_user, "role", None)),
            "current_path": request.full_path.rstrip("?") if request else "/",
            "language_names": {"kk": "Қазақша", "ru": "Русский", "en": "English"},
            "money": money,
            "format_date": format_date,
            "format_datetime": format_datetime,
            "status_label": lambda value: STATUS_LABELS.get(value, value),
            "role_label": lambda value: ROLE_LABELS.get(value, value),
            "factor_label": lambda value: FACTOR_LABELS.get(value, value),
            "unread_notifications": _unread_notifications,
            "schedule_label": lambda value: SCHEDULE_LABELS.get(value, value),
        }


STATUS_LABELS = {
    "draft": _l("Draft"), "open": _l("Open"), "closed": _l("Closed"), "filled": _l("Filled"),
    "pending": _l("Waiting for verification"), "verified": _l("Verified"),
    "rejected": _l("Rejected"),
}
FACTOR_LABELS = {
    "skills": _l("Skills"), "title": _l("Desired job"), "experience": _l("Experience"),
    "region": _l("Place"), "schedule": _l("Schedule"), "salary": _l("Salary"),
    "language": _l("Languages"),
}
SCHEDULE_LABELS = {
    "day": _l("Day shift"), "shifts": _l("Shifts"), "night": _l("Night shift"),
    "rotational": _l("Rotational (vakhta)"),
}
ROLE_LABELS = {
    "candidate": _l("Candidate"), "employer": _l("Employer"), "staff": _l("Job-centre staff"),
    "admin": _l("Administrator"),
}


def _unread_notifications() -> int:
    from marketplace.notifications.services import unread_count

    return unread_count(current_user) if current_user.is_authenticated else 0


def money(amount) -> str:
    """KZT with the reader's digit grouping; exact to the tiyn when there are tiyn."""
    if amount is None:
        return "—"
    return format_decimal(amount, format="#,##0.##")
