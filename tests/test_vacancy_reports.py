"""Users report vacancies that look wrong; the job centre of the region closes each report."""

from sqlalchemy import select

from marketplace.audit.models import AuditEvent
from marketplace.cases.models import VacancyReport
from marketplace.extensions import db
from tests.factories import make_vacancy


def _report_count(app) -> int:
    with app.app_context():
        return len(db.session.scalars(select(VacancyReport)).all())


def test_a_candidate_reports_a_vacancy_once_and_staff_close_it(app, client, login, make_user,
                                                               skill_codes):
    vacancy_id = make_vacancy(app, make_user("employer"), skill_codes)
    login(make_user("candidate"))
    page = client.get(f"/jobs/{vacancy_id}")
    assert b"Report this vacancy to the job centre" in page.data
    response = client.post(f"/jobs/{vacancy_id}/report",
                           data={"reason": "They asked me to pay for the uniform first."})
    assert response.status_code == 302
    again = client.post(f"/jobs/{vacancy_id}/report", data={"reason": "Still asking money."})
    assert again.status_code == 422 and b"already reported" in again.data
    assert _report_count(app) == 1

    client.post("/logout")
    login(make_user("staff"))  # Astana, the vacancy's region
    queue = client.get("/staff/vacancy-reports")
    assert b"pay for the uniform" in queue.data
    with app.app_context():
        report_id = db.session.scalar(select(VacancyReport.id))
    path = f"/staff/vacancies/{vacancy_id}/reports/{report_id}/resolve"
    assert client.post(path, data={"resolution": ""}).status_code == 422
    assert client.post(path, data={"resolution": "Called the employer; the ad is fixed."}
                       ).status_code == 302
    assert b"Nothing is waiting." in client.get("/staff/vacancy-reports").data
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"vacancy:report", "vacancy:report_resolved"} <= actions


def test_a_too_short_report_is_explained_and_not_saved(app, client, login, make_user,
                                                       skill_codes):
    vacancy_id = make_vacancy(app, make_user("employer"), skill_codes)
    login(make_user("candidate"))
    response = client.post(f"/jobs/{vacancy_id}/report", data={"reason": "bad"})
    assert response.status_code == 422
    assert b"at least 10 characters" in response.data
    assert _report_count(app) == 0


def test_staff_of_another_region_neither_see_nor_close_the_report(app, client, login,
                                                                  make_user, skill_codes):
    vacancy_id = make_vacancy(app, make_user("employer"), skill_codes)
    login(make_user("candidate"))
    client.post(f"/jobs/{vacancy_id}/report", data={"reason": "Not a real job, a scam."})
    client.post("/logout")
    login(make_user("staff", region_code="KZ-KAR"))
    assert b"Not a real job" not in client.get("/staff/vacancy-reports").data
    with app.app_context():
        report_id = db.session.scalar(select(VacancyReport.id))
    response = client.post(f"/staff/vacancies/{vacancy_id}/reports/{report_id}/resolve",
                           data={"resolution": "Closing someone else's report"})
    assert response.status_code == 404
