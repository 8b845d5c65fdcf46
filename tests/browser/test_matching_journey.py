"""Issue 3's pages in a real browser on the demo data: an employer opens the ranked
candidates of a vacancy, a candidate opens their recommendations — axe-core clean."""

import pytest

from marketplace.demo.seed import DEMO_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output


def sign_in(page, base, login):
    page.goto(base + "/login")
    page.fill("input[name=identifier]", login)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit].button")


def test_employer_ranked_candidates_and_candidate_recommendations(live_server, page, audit,
                                                                  demo):
    sign_in(page, live_server, "employer1@demo.kz")
    page.wait_for_url("**/employer/")
    audit(page)
    page.click("a[href*='/candidates'] >> nth=0")
    page.wait_for_url("**/candidates")
    cards = page.locator("article.match")
    assert cards.count() >= 1
    scores = [int(s) for s in page.locator(".score-value").all_inner_texts()]
    assert scores == sorted(scores, reverse=True), "best first"
    assert "Оспанов" not in page.content() and "+7701" not in page.content(), "anonymised"
    page.locator("details summary").first.click()
    assert page.locator("table.factors").first.is_visible()
    audit(page)

    page.click("form[action='/logout'] button")
    sign_in(page, live_server, "+77010000001")
    page.wait_for_url("**/candidate/")
    page.click("main a[href='/candidate/recommendations']")
    page.wait_for_url("**/recommendations")
    assert page.locator("article.match").count() >= 1
    audit(page)
    page.click("button[name=lang][value=kk]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "kk"
    assert "Сізге арналған бос орындар" in page.content()
    audit(page)
