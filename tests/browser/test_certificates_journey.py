"""Certificates in a real browser with CSRF on: a candidate adds one with a scan, staff verify
it, the candidate prints the card with its QR code, anyone checks it by code — axe-core clean."""

import os

import pytest

from tests.conftest import PASSWORD
from tests.factories import make_candidate

pytestmark = pytest.mark.browser

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def sign_in(page, base, login):
    page.goto(base + "/login")
    page.fill("input[name=identifier]", login)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].button")


def test_add_verify_print_and_check_a_certificate(app, live_server, page, audit, make_user,
                                                  skill_codes, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    shots = os.environ.get("CERTIFICATE_SCREENSHOTS")  # a folder: pictures for a person

    def shot(name):
        if shots:
            page.screenshot(path=f"{shots}/{name}.png", full_page=True)

    candidate, _ = make_candidate(app, make_user, skill_codes)
    staff = make_user("staff")
    scan = tmp_path / "сертификат.pdf"
    scan.write_bytes(PNG)  # a PNG under a .pdf name: accepted as what it is

    sign_in(page, live_server, candidate.login)
    page.wait_for_url("**/candidate/")
    page.goto(live_server + "/candidate/certificates")
    audit(page)
    shot("list-empty")
    page.fill("#title", "Электрогазосварщик 3 разряда")
    page.fill("#issuer", "Профессиональное училище учреждения ЕЦ-166/18")
    page.fill("#issued_on", "2024-05-20")
    page.locator("ul.checklist input[type=checkbox]").first.check()
    page.set_input_files("#scan", str(scan))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_url("**/candidate/certificates/*")
    assert page.locator(".status-pending").count() == 1
    audit(page)
    page.click("form[action='/logout'] button")

    sign_in(page, live_server, staff.login)
    page.goto(live_server + "/staff/certificates")
    audit(page)
    shot("queue")
    page.click("main table a")
    audit(page)
    shot("review")
    page.click("form[action$='/verify'] button")
    page.wait_for_url("**/staff/certificates")
    page.click("form[action='/logout'] button")

    sign_in(page, live_server, candidate.login)
    page.goto(live_server + "/candidate/certificates")
    shot("list")
    page.click("main table a")
    page.click("a[href$='/card']")
    page.wait_for_url("**/card")
    assert page.locator("svg.qr[role=img]").is_visible()
    audit(page)
    shot("card")
    if shots:  # the card on paper
        page.set_viewport_size({"width": 1200, "height": 800})
        page.emulate_media(media="print")
        shot("card-print")
        page.emulate_media(media="screen")
        page.set_viewport_size({"width": 360, "height": 740})
    public = page.locator(".certificate-card-url span").inner_text()
    page.click("form[action='/logout'] button")

    page.goto(public)
    assert page.locator(".status-verified").count() == 1
    assert "Жасырын" not in page.content(), "no name on the public page"
    audit(page)
    shot("public")
    page.goto(live_server + "/verify/not-a-real-code")
    assert page.locator("input[name=code]").is_visible()
    audit(page)
