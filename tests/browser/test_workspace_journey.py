"""Issue 6's journey in a real browser on the demo data: a job-centre officer verifies a
candidate (release record) and a certificate, records a curfew that then hides a night-shift
vacancy from that candidate's recommendations, completes a 3-month check-in and sees the
dashboard change — with axe-core clean on every page visited."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from marketplace.auth.models import User
from marketplace.candidates.models import CandidateProfile
from marketplace.cases.models import CheckIn, ReleaseRecord
from marketplace.certificates.models import Certificate, CertificateStatus
from marketplace.certificates.services import add_certificate
from marketplace.employers.models import Schedule
from marketplace.extensions import db
from marketplace.indicators.services import Scope, compute_dashboard, default_period
from marketplace.matches.services import recommendations
from tests.browser.test_hiring_journey import sign_in, sign_out

pytestmark = pytest.mark.browser

OFFICER = "staff.karaganda@demo.kz"


def _night_vacancies(profile) -> set[int]:
    found = recommendations(profile).page.items
    return {v.id for v, _, _ in found if v.schedule is Schedule.NIGHT}


def _figures(region_id):
    today = date.today()
    results = compute_dashboard(Scope(frozenset({region_id})), default_period(today),
                                today).results
    return {key: result.total for key, result in results.items()}


@pytest.fixture
def demo(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        officer = db.session.scalar(select(User).where(User.email == OFFICER))
        verified = set(db.session.scalars(select(ReleaseRecord.profile_id)))
        # An unverified job seeker of the region to whom a night-shift job is recommended.
        person = next(
            p for p in db.session.scalars(
                select(CandidateProfile).where(CandidateProfile.region_id == officer.region_id)
                .order_by(CandidateProfile.id))
            if p.id not in verified and _night_vacancies(p))
        # They have just uploaded a certificate from the prison college.
        add_certificate(person, title="Электрогазосварщик 3 разряда", issuer="Колледж ЕЦ-166/11",
                        issued_on=date.today() - timedelta(days=200), expires_on=None,
                        actor=person.user)
        check_in = next(
            c for c in db.session.scalars(
                select(CheckIn).where(CheckIn.months_after == 3, CheckIn.outcome.is_(None),
                                      CheckIn.due_on <= date.today() + timedelta(days=7))
                .order_by(CheckIn.due_on.desc(), CheckIn.id))
            if c.employment.application.profile.region_id == officer.region_id)
        db.session.commit()
        return {"person": person.id, "login": person.user.phone,
                "night": _night_vacancies(person), "region": officer.region_id,
                "check_in": check_in.id,
                "check_in_person": check_in.employment.application.profile_id,
                "before": _figures(officer.region_id)}


def test_verify_restrict_check_in_and_see_the_dashboard_change(app, live_server, page, audit,
                                                               demo):
    person = demo["person"]
    sign_in(page, live_server, OFFICER)
    page.wait_for_url("**/staff/")
    audit(page)

    # Target-group verification: the release, from the document the officer has seen.
    page.goto(f"{live_server}/staff/candidates/{person}")
    audit(page)
    page.fill("input[name='release-release_date']",
              (date.today() - timedelta(days=60)).isoformat())
    page.fill("input[name='release-institution']", "Учреждение ЕЦ-166/11")
    page.fill("input[name='release-document']", "Справка об освобождении № 4512")
    page.click(f"form[action='/staff/candidates/{person}/release'] button[type=submit]")
    page.wait_for_load_state()
    audit(page)

    # The certificate the person uploaded.
    page.click("nav a[href='/staff/caseload']")
    audit(page)
    page.goto(f"{live_server}/staff/certificates")
    audit(page)
    with app.app_context():
        certificate_id = db.session.scalar(select(Certificate.id).where(
            Certificate.profile_id == person, Certificate.status == CertificateStatus.PENDING))
    page.click(f"main a[href='/staff/certificates/{certificate_id}']")
    audit(page)
    page.click(f"form[action='/staff/certificates/{certificate_id}/verify'] button")
    page.wait_for_load_state()
    audit(page)

    # A curfew from 22:00 to 06:00: night shifts are no longer possible for this person.
    page.goto(f"{live_server}/staff/candidates/{person}")
    page.fill("input[name='curfew-start']", "22:00")
    page.fill("input[name='curfew-end']", "06:00")
    page.click(f"form[action='/staff/candidates/{person}/restrictions/curfew'] "
               "button[type=submit]")
    page.wait_for_load_state()
    audit(page)

    # The 3-month retention check-in that is due.
    page.click("nav a[href='/staff/caseload']")
    page.goto(f"{live_server}/staff/check-ins")
    audit(page)
    page.goto(f"{live_server}/staff/candidates/{demo['check_in_person']}")
    form = f"form[action$='/check-ins/{demo['check_in']}']"
    page.check(f"{form} input[value=employed]")
    page.fill(f"{form} input[name$='satisfaction']", "9")
    page.click(f"{form} button[type=submit]")
    page.wait_for_load_state()
    audit(page)

    # The dashboard shows the change.
    page.click("nav a[href='/staff/dashboard/']")
    audit(page)
    sign_out(page)
    with app.app_context():
        after = _figures(demo["region"])
        assert db.session.scalar(select(Certificate.status).where(
            Certificate.id == certificate_id)) is CertificateStatus.VERIFIED
        assert db.session.get(CheckIn, demo["check_in"]).satisfaction == 9
    before = demo["before"]
    assert after["verified"].value == before["verified"].value + 1
    assert after["satisfaction"].denominator == (before["satisfaction"].denominator or 0) + 1

    # The person no longer sees the night-shift jobs among their recommendations.
    sign_in(page, live_server, demo["login"])
    page.wait_for_url("**/candidate/")
    page.goto(f"{live_server}/candidate/recommendations")
    audit(page)
    html = page.content()
    assert all(f'href="/jobs/{vacancy_id}"' not in html for vacancy_id in demo["night"])
    assert len(audit.audited) >= 12
