"""Issue 4's journey in a real browser on the demo data: an employer posts a vacancy, a candidate
finds it and applies, the employer moves the application to a conditional offer, the candidate
shares a disclosure, the employer records the hire and the candidate confirms it — with
axe-core clean on every page visited."""

from datetime import date

import pytest
from sqlalchemy import select

from marketplace.auth.models import User
from marketplace.candidates.models import CandidateProfile
from marketplace.demo.seed import DEMO_PASSWORD
from marketplace.employers.models import Vacancy
from marketplace.extensions import db
from marketplace.hiring.models import Application, Employment, EmploymentStatus

pytestmark = pytest.mark.browser

TITLE = "Сварщик на ремонт вагонов"
CANDIDATE = "+77010000001"


@pytest.fixture
def demo(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        profile = db.session.scalar(select(CandidateProfile).join(User).where(
            User.phone == CANDIDATE))
        return {"skill": profile.skills[0].skill.name_ru}


def sign_in(page, base, login):
    page.goto(base + "/login")
    page.fill("input[name=identifier]", login)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main button[type=submit]")


def sign_out(page):
    page.click("form[action='/logout'] button")


def submit(page, audit=None):
    page.click("main form button[type=submit].button >> nth=-1")
    page.wait_for_load_state()


def test_post_find_apply_offer_disclose_hire_confirm(app, live_server, page, audit, demo):
    # The employer posts a vacancy and publishes it.
    sign_in(page, live_server, "employer1@demo.kz")
    page.wait_for_url("**/employer/")
    audit(page)
    page.click("a[href*='/vacancies/new']")
    audit(page)
    page.fill("input[name=title]", TITLE)
    page.select_option("select[name=occupation]", index=1)
    page.fill("textarea[name=description]", "Ремонт грузовых вагонов, обучение на месте.")
    page.fill("input[name=required_skills]", demo["skill"])
    page.fill("input[name=salary_min]", "250000")
    page.fill("input[name=salary_max]", "320000")
    page.click("main form[method=post]:not(.inline) button[type=submit]")
    page.wait_for_load_state()
    audit(page)
    page.click("button[name=action][value=publish]")
    page.wait_for_load_state()
    assert page.locator(".flash-error").count() == 0, page.locator(".flash-error").all_inner_texts()
    sign_out(page)

    # The candidate finds it and applies.
    sign_in(page, live_server, CANDIDATE)
    page.wait_for_url("**/candidate/")
    page.goto(live_server + "/jobs")
    audit(page)
    page.fill("input[name=q]", "ремонт вагонов")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    audit(page)
    page.click(f"main a:has-text('{TITLE}')")
    page.wait_for_load_state()
    audit(page)
    page.fill("textarea[name=note]", "Есть опыт сварки, готов выйти сразу.")
    page.click("form[action$='/apply'] button")
    page.wait_for_url("**/candidate/applications")
    audit(page)
    sign_out(page)

    # The employer moves the application to a conditional offer.
    sign_in(page, live_server, "employer1@demo.kz")
    page.click(f"tr:has-text('{TITLE}') a[href$='/applications']")
    page.wait_for_load_state()
    audit(page)
    page.click("main .pipeline a >> nth=0")
    page.wait_for_load_state()
    audit(page)
    for move in ("shortlist", "interview", "offer"):
        page.click(f"button[name=action][value={move}]")
        page.wait_for_load_state()
    application_url = page.url
    assert "Conditional offer" in page.content() or "Условное" in page.content()
    audit(page)
    sign_out(page)

    # The candidate accepts and shares a disclosure.
    sign_in(page, live_server, CANDIDATE)
    page.goto(application_url.replace("/employer/applications/", "/candidate/applications/"))
    audit(page)
    page.click("button[name=answer][value=accept]")
    page.wait_for_load_state()
    page.fill("textarea[name=disclosure]", "Осуждён по ст. 188, освобождён в 2025 году.")
    page.fill("textarea[name=story]", "В колонии получил свидетельство сварщика.")
    page.check("input[name=share]")
    page.click("form[action$='/disclosure'] button")
    page.wait_for_load_state()
    audit(page)
    sign_out(page)

    # The employer reads the disclosure and records the hire.
    sign_in(page, live_server, "employer1@demo.kz")
    page.goto(application_url)
    assert "ст. 188" in page.content()
    audit(page)
    page.fill("input[name=start_date]", date.today().isoformat())
    page.fill("input[name=monthly_wage]", "280000")
    page.fill("input[name=hours_per_week]", "40")
    page.click("form[action$='/hire'] button")
    page.wait_for_load_state()
    audit(page)
    sign_out(page)

    # The candidate confirms the hire.
    sign_in(page, live_server, CANDIDATE)
    page.goto(application_url.replace("/employer/applications/", "/candidate/applications/"))
    page.click("form[action$='/confirm'] button")
    page.wait_for_load_state()
    audit(page)
    with app.app_context():
        employment = db.session.scalar(  # the demo has hires of its own
            select(Employment).join(Application).join(Vacancy).where(Vacancy.title == TITLE))
        assert employment.status is EmploymentStatus.CONFIRMED
        assert str(employment.monthly_wage) == "280000.00"
