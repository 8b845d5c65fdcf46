"""Issue 2's journey in a real browser: register as a candidate, switch to Kazakh, sign out,
sign in again — axe-core clean on every page visited."""

import re

import pytest

pytestmark = pytest.mark.browser

PHONE = "+7 705 123 45 67"
PASSWORD = "jana-omir-2026"


def test_candidate_registers_switches_to_kazakh_and_signs_in_again(live_server, page, audit):
    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("lang") == "ru"
    audit(page)

    page.click("a[href='/register/candidate']")
    page.wait_for_url("**/register/candidate")
    audit(page)

    page.click("button[type=submit].button")  # empty form: errors are announced
    assert page.locator(".error").count() >= 3
    audit(page)

    page.fill("input[name=full_name]", "Оспанов Дәурен")
    page.fill("input[name=phone]", PHONE)
    page.select_option("select[name=region]", label="Карагандинская область")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=confirm]", PASSWORD)
    page.check("input[name=consent]")
    page.click("button[type=submit].button")
    page.wait_for_url("**/candidate/")
    assert "Оспанов Дәурен" in page.content()
    audit(page)

    page.click("button[name=lang][value=kk]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "kk"
    assert page.url.endswith("/candidate/")
    audit(page)

    page.click("form[action='/logout'] button")
    page.wait_for_url(re.compile(r".*/$"))
    assert page.locator("html").get_attribute("lang") == "kk", "the cookie keeps Kazakh"
    audit(page)

    page.goto(live_server + "/login")
    audit(page)
    page.fill("input[name=identifier]", "87051234567")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].button")
    page.wait_for_url("**/candidate/")
    assert page.locator("html").get_attribute("lang") == "kk"
    assert "Оспанов Дәурен" in page.content()
    audit(page)

    assert len(audit.audited) == 8
