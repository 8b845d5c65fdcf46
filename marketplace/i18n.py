"""Language selection and helpers for the kk/ru/en names stored on reference rows."""

from flask import current_app, g, has_request_context, request
from flask_babel import get_locale
from flask_babel.speaklater import LazyString
from flask_login import current_user
from markupsafe import Markup, escape

LANGUAGE_COOKIE = "lang"


def select_locale() -> str:
    """The signed-in user's choice, then the language cookie, then Accept-Language."""
    languages = current_app.config["LANGUAGES"]
    if getattr(g, "forced_locale", None) in languages:
        return g.forced_locale
    if not has_request_context():  # CLI commands and background work
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    if cookie in languages:
        return cookie
    return request.accept_languages.best_match(languages) or current_app.config[
        "BABEL_DEFAULT_LOCALE"
    ]


def current_language() -> str:
    return str(get_locale() or "ru")


class LocalizedNameMixin:
    """Reference rows carry name_kk / name_ru / name_en; `name` picks the reader's language."""

    def name_in(self, language: str) -> str:
        return getattr(self, f"name_{language}", None) or self.name_ru

    @property
    def name(self) -> str:
        return self.name_in(current_language())


def _escaped_html(lazy) -> Markup:
    return escape(str(lazy))


# Flask-Babel's LazyString tells Jinja it is already HTML (__html__ returns the plain text), so
# a lazy message carrying user input — `_l("Unknown code: %(codes)s", codes=…)` shown under a
# field — would reach the page unescaped. No message of ours contains markup: escape them all.
LazyString.__html__ = _escaped_html
