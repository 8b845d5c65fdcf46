"""Every user-facing string has Kazakh and Russian translations; the language choice sticks."""

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from marketplace import ROOT

TRANSLATIONS = ROOT / "marketplace" / "translations"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def _source_messages() -> set[str]:
    with open(ROOT / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS):
        found.add(message if isinstance(message, str) else message[0])
    return found


def _catalog(language):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po)


@pytest.fixture(scope="module")
def source_messages():
    return _source_messages()


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_message_in_the_code_is_translated(source_messages, language):
    catalog = _catalog(language)
    untranslated = []
    for msgid in sorted(source_messages):
        message = catalog.get(msgid)
        strings = message.string if message else None
        ok = all(strings) if isinstance(strings, tuple | list) else bool(strings)
        if message is None or not ok or message.fuzzy:
            untranslated.append(msgid)
    assert untranslated == [], f"{len(untranslated)} messages lack a {language} translation"


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_placeholders_survive_translation(language):
    import re

    placeholder = re.compile(r"%\((\w+)\)s|%\((\w+)\)d")
    for message in _catalog(language):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        wanted = set(placeholder.findall(ids[0]))
        for string in strings:
            assert set(placeholder.findall(string)) == wanted, (message.id, string)


def test_accept_language_chooses_kazakh(client):
    page = client.get("/", headers={"Accept-Language": "kk-KZ,kk;q=0.9"}).get_data(as_text=True)
    assert '<html lang="kk">' in page


def test_default_language_is_russian(client):
    page = client.get("/", headers={"Accept-Language": ""}).get_data(as_text=True)
    assert '<html lang="ru">' in page


def test_switching_language_sets_a_cookie_that_beats_accept_language(client):
    response = client.post("/language", data={"lang": "kk", "next": "/login"})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    page = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="kk">' in page


def test_unknown_language_and_foreign_next_are_ignored(client):
    response = client.post("/language", data={"lang": "xx", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    assert "lang=" not in response.headers.get("Set-Cookie", "")


def test_signed_in_users_choice_is_saved_on_the_account(app, client, make_user, login):
    from marketplace.auth.models import User
    from marketplace.extensions import db

    user = make_user("candidate")
    login(user)
    client.post("/language", data={"lang": "en", "next": "/candidate/"})
    with app.app_context():
        assert db.session.get(User, user.id).locale == "en"
    client.delete_cookie("lang")
    page = client.get("/candidate/").get_data(as_text=True)
    assert '<html lang="en">' in page


def test_a_lazy_message_carrying_user_input_is_escaped_on_the_page(app):
    from flask import render_template_string
    from flask_babel import lazy_gettext

    with app.test_request_context():
        message = lazy_gettext("Unknown code: %(codes)s", codes="<script>alert(1)</script>")
        page = render_template_string("<p>{{ message }}</p>", message=message)
    assert "<script>" not in page and "&lt;script&gt;" in page
