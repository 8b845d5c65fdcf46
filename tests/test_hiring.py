"""Applications, the pipeline, invitations, fair-chance disclosure, offer withdrawal and hires."""

import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text

from marketplace.audit.models import AuditEvent
from marketplace.auth.models import User
from marketplace.extensions import db
from marketplace.hiring import offers
from marketplace.hiring.models import (
    Application,
    ApplicationStatus,
    Employment,
    EmploymentStatus,
    Invitation,
    OfferResponse,
)
from marketplace.hiring.transitions import (
    APPLICATION_TRANSITIONS,
    CANDIDATE_ACTIONS,
    EMPLOYER_ACTIONS,
    EMPLOYMENT_TRANSITIONS,
    IllegalTransition,
    next_state,
)
from marketplace.mail import read_outbox
from marketplace.notifications.models import Notification
from tests.factories import make_candidate, make_vacancy

S = ApplicationStatus
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

EXPECTED = {
    (S.APPLIED, "shortlist"): S.SHORTLISTED, (S.APPLIED, "interview"): S.INTERVIEW,
    (S.SHORTLISTED, "interview"): S.INTERVIEW, (S.SHORTLISTED, "offer"): S.OFFER,
    (S.INTERVIEW, "offer"): S.OFFER, (S.APPLIED, "reject"): S.REJECTED,
    (S.SHORTLISTED, "reject"): S.REJECTED, (S.INTERVIEW, "reject"): S.REJECTED,
    (S.OFFER, "request_withdrawal"): S.OFFER, (S.OFFER, "finalise_withdrawal"): S.REJECTED,
    (S.OFFER, "keep_offer"): S.OFFER, (S.OFFER, "accept_offer"): S.OFFER,
    (S.OFFER, "refuse_offer"): S.WITHDRAWN, (S.OFFER, "hire"): S.HIRED,
    (S.APPLIED, "withdraw"): S.WITHDRAWN, (S.SHORTLISTED, "withdraw"): S.WITHDRAWN,
    (S.INTERVIEW, "withdraw"): S.WITHDRAWN, (S.OFFER, "withdraw"): S.WITHDRAWN,
}


@pytest.mark.parametrize("state", list(S))
@pytest.mark.parametrize("action", EMPLOYER_ACTIONS + CANDIDATE_ACTIONS)
def test_application_transition_table_every_pair(state, action):
    if (state, action) in EXPECTED:
        assert next_state(APPLICATION_TRANSITIONS, state, action) is EXPECTED[(state, action)]
    else:
        with pytest.raises(IllegalTransition):
            next_state(APPLICATION_TRANSITIONS, state, action)


@pytest.mark.parametrize("state", list(EmploymentStatus))
@pytest.mark.parametrize("action", ["confirm", "end"])
def test_employment_transition_table_every_pair(state, action):
    expected = {(EmploymentStatus.RECORDED, "confirm"): EmploymentStatus.CONFIRMED,
                (EmploymentStatus.CONFIRMED, "end"): EmploymentStatus.ENDED}
    if (state, action) in expected:
        assert next_state(EMPLOYMENT_TRANSITIONS, state, action) is expected[(state, action)]
    else:
        with pytest.raises(IllegalTransition):
            next_state(EMPLOYMENT_TRANSITIONS, state, action)


@pytest.mark.parametrize("start, days, expected", [
    (date(2026, 11, 26), 5, date(2026, 12, 3)),   # Thursday → next Thursday
    (date(2026, 11, 28), 5, date(2026, 12, 4)),   # Saturday → Friday
    (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Friday → Monday
])
def test_business_days_skip_weekends(start, days, expected):
    assert offers.add_business_days(start, days) == expected


@pytest.fixture
def world(app, make_user, skill_codes):
    """A verified employer with an open vacancy, a candidate, and a staff member of the
    candidate's region."""
    employer = make_user("employer")
    vacancy_id = make_vacancy(app, employer, skill_codes, title="Сварщик в цех")
    candidate, profile_id = make_candidate(app, make_user, skill_codes)
    staff = make_user("staff", region_code="KZ-AST")
    return type("World", (), {"employer": employer, "vacancy_id": vacancy_id,
                              "candidate": candidate, "profile_id": profile_id,
                              "staff": staff})


def _as(client, login, user):
    client.post("/logout")
    login(user)


def _application(app) -> Application:
    with app.app_context():
        application = db.session.scalar(select(Application))
        db.session.expunge_all()
        return application


def _status(app, application_id):
    with app.app_context():
        return db.session.get(Application, application_id).status


def _apply(client, login, world, note="Готов работать"):
    _as(client, login, world.candidate)
    return client.post(f"/jobs/{world.vacancy_id}/apply", data={"note": note})


def _to_offer(app, client, login, world):
    _apply(client, login, world)
    application_id = _application(app).id
    _as(client, login, world.employer)
    for action in ("shortlist", "interview", "offer"):
        response = client.post(f"/employer/applications/{application_id}/advance",
                               data={"action": action})
        assert response.status_code == 302
    return application_id


def test_apply_notifies_the_employer_and_twice_creates_one_application(app, client, login,
                                                                        world):
    assert _apply(client, login, world).status_code == 302
    again = client.post(f"/jobs/{world.vacancy_id}/apply", data={"note": ""},
                        follow_redirects=True)
    assert "You have already applied for this vacancy." in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Application.id))) == 1
        employer_note = db.session.scalar(select(Notification).where(
            Notification.user_id == world.employer.id))
        assert employer_note.kind == "application_received"
        assert any(m["to"] == world.employer.login for m in read_outbox())


def test_employer_moves_the_application_and_every_move_is_recorded(app, client, login, world):
    application_id = _to_offer(app, client, login, world)
    with app.app_context():
        application = db.session.get(Application, application_id)
        assert application.status is S.OFFER
        assert [e.to_status for e in application.events] == [
            "applied", "shortlisted", "interview", "offer"]
        assert all(e.actor_id for e in application.events)
        kinds = set(db.session.scalars(select(Notification.kind).where(
            Notification.user_id == world.candidate.id)))
        assert {"status_shortlisted", "status_interview", "status_offer"} <= kinds


def test_rejection_needs_a_reason_from_the_list(app, client, login, world):
    _apply(client, login, world)
    application_id = _application(app).id
    _as(client, login, world.employer)
    client.post(f"/employer/applications/{application_id}/reject", data={"reason": "bogus"})
    assert _status(app, application_id) is S.APPLIED
    client.post(f"/employer/applications/{application_id}/reject",
                data={"reason": "position_filled", "note": "Взяли другого"})
    assert _status(app, application_id) is S.REJECTED


def test_illegal_move_changes_nothing_and_explains(app, client, login, world):
    _apply(client, login, world)
    application_id = _application(app).id
    _as(client, login, world.employer)
    page = client.post(f"/employer/applications/{application_id}/hire", data={
        "start_date": date.today().isoformat(), "monthly_wage": "200000",
        "hours_per_week": "40", "contract_type": "permanent"}, follow_redirects=True)
    assert "only after the candidate accepted the offer" in page.get_data(as_text=True)
    assert _status(app, application_id) is S.APPLIED


def test_candidate_withdraws(app, client, login, world):
    _apply(client, login, world)
    application_id = _application(app).id
    client.post(f"/candidate/applications/{application_id}/withdraw")
    assert _status(app, application_id) is S.WITHDRAWN


def test_offer_answer_is_recorded_and_the_job_centre_is_told(app, client, login, world):
    application_id = _to_offer(app, client, login, world)
    _as(client, login, world.candidate)
    client.post(f"/candidate/applications/{application_id}/offer", data={"answer": "accept"})
    with app.app_context():
        application = db.session.get(Application, application_id)
        assert application.offer_response is OfferResponse.ACCEPTED
        staff_note = db.session.scalar(select(Notification).where(
            Notification.user_id == world.staff.id))
        assert staff_note.kind == "offer_response_for_centre"


def test_refusing_the_offer_withdraws(app, client, login, world):
    application_id = _to_offer(app, client, login, world)
    _as(client, login, world.candidate)
    client.post(f"/candidate/applications/{application_id}/offer", data={"answer": "refuse"})
    assert _status(app, application_id) is S.WITHDRAWN


def test_other_employers_and_candidates_get_404(app, client, login, world, make_user,
                                                skill_codes):
    application_id = _to_offer(app, client, login, world)
    _as(client, login, make_user("employer"))
    assert client.get(f"/employer/applications/{application_id}").status_code == 404
    assert client.post(f"/employer/applications/{application_id}/advance",
                       data={"action": "shortlist"}).status_code == 404
    other, _ = make_candidate(app, make_user, skill_codes)
    _as(client, login, other)
    assert client.get(f"/candidate/applications/{application_id}").status_code == 404


def test_name_and_contacts_appear_only_after_applying(app, client, login, world):
    _as(client, login, world.employer)
    ranked = client.get(f"/employer/vacancies/{world.vacancy_id}/candidates")
    assert "Жасырын Есім" not in ranked.get_data(as_text=True)
    _apply(client, login, world)
    application_id = _application(app).id
    _as(client, login, world.employer)
    page = client.get(f"/employer/applications/{application_id}").get_data(as_text=True)
    assert "Жасырын Есім" in page and world.candidate.login in page


def test_invitation_accepted_becomes_an_application(app, client, login, world):
    _as(client, login, world.employer)
    ranked = client.get(f"/employer/vacancies/{world.vacancy_id}/candidates")
    token = re.search(r'name="candidate" value="([^"]+)"', ranked.get_data(as_text=True))[1]
    url = f"/employer/vacancies/{world.vacancy_id}/invite"
    client.post(url, data={"candidate": token, "message": "Приходите к нам"})
    client.post(url, data={"candidate": token, "message": "Ещё раз"})
    assert client.post(url, data={"candidate": "forged", "message": ""}).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count(Invitation.id))) == 1
        invitation_id = db.session.scalar(select(Invitation.id))
    _as(client, login, world.candidate)
    assert "Приходите к нам" in client.get("/candidate/invitations").get_data(as_text=True)
    client.post(f"/candidate/invitations/{invitation_id}", data={"answer": "accept"})
    with app.app_context():
        application = db.session.scalar(select(Application))
        assert application.via_invitation and application.status is S.APPLIED
        assert db.session.get(Invitation, invitation_id).application_id == application.id


def test_disclosure_is_seen_only_when_shared_and_each_view_is_audited(app, client, login,
                                                                      world):
    _apply(client, login, world)
    application_id = _application(app).id
    early = client.post(f"/candidate/applications/{application_id}/disclosure",
                        data={"disclosure": "Статья 188", "share": "y"},
                        follow_redirects=True)
    assert "only possible after a conditional offer" in early.get_data(as_text=True)
    _to_offer_from_applied(client, login, world, application_id)
    _as(client, login, world.candidate)
    client.post(f"/candidate/applications/{application_id}/disclosure",
                data={"disclosure": "Статья 188, освобождён в 2025", "story": "Учился на сварщика"})
    _as(client, login, world.employer)
    page = client.get(f"/employer/applications/{application_id}").get_data(as_text=True)
    assert "Статья 188" not in page, "saved but not shared"
    _as(client, login, world.candidate)
    client.post(f"/candidate/applications/{application_id}/disclosure",
                data={"disclosure": "Статья 188, освобождён в 2025", "story": "Учился",
                      "share": "y"})
    _as(client, login, world.employer)
    page = client.get(f"/employer/applications/{application_id}").get_data(as_text=True)
    assert "Статья 188, освобождён в 2025" in page
    with app.app_context():
        views = db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "disclosure:view"))
        assert views == 1
        raw = db.session.execute(text("SELECT content FROM disclosure")).scalar_one()
        assert b"188" not in bytes(raw), "encrypted at rest"


def _to_offer_from_applied(client, login, world, application_id):
    _as(client, login, world.employer)
    for action in ("shortlist", "offer"):
        client.post(f"/employer/applications/{application_id}/advance", data={"action": action})


def test_withdrawing_an_offer_waits_for_the_candidate(app, client, login, world):
    application_id = _to_offer(app, client, login, world)
    short = client.post(f"/employer/applications/{application_id}/withdraw-offer",
                        data={"reason": "Не подходит"}, follow_redirects=True)
    assert "between 20 and 2000 characters" in short.get_data(as_text=True)
    client.post(f"/employer/applications/{application_id}/withdraw-offer",
                data={"reason": "Обязанности включают работу с кассой, что запрещено."})
    early = client.post(f"/employer/applications/{application_id}/withdrawal/final",
                        follow_redirects=True)
    assert "The candidate can still respond until" in early.get_data(as_text=True)
    assert _status(app, application_id) is S.OFFER
    with app.app_context():
        withdrawal = offers.withdrawal_of(db.session.get(Application, application_id))
        assert withdrawal.respond_by == offers.add_business_days(date.today(), 5)
    _as(client, login, world.candidate)
    client.post(f"/candidate/applications/{application_id}/withdrawal-response",
                data={"response": "Суд запретил только работу в банках, касса в магазине "
                                  "разрешена."})
    _as(client, login, world.employer)
    client.post(f"/employer/applications/{application_id}/withdrawal/keep")
    assert _status(app, application_id) is S.OFFER


def test_withdrawal_becomes_final_after_the_window(app, client, login, world):
    application_id = _to_offer(app, client, login, world)
    with app.test_request_context():
        application = db.session.get(Application, application_id)
        employer = db.session.get(User, world.employer.id)
        offers.request_withdrawal(application, reason="Причина достаточно подробная тут.",
                                  actor=employer, today=date.today() - timedelta(days=10))
        db.session.commit()
    client.post(f"/employer/applications/{application_id}/withdrawal/final")
    with app.app_context():
        application = db.session.get(Application, application_id)
        assert application.status is S.REJECTED
        assert application.rejection_reason.value == "offer_withdrawn"


def _accept_offer(app, client, login, world):
    application_id = _to_offer(app, client, login, world)
    _as(client, login, world.candidate)
    client.post(f"/candidate/applications/{application_id}/offer", data={"answer": "accept"})
    _as(client, login, world.employer)
    return application_id


def _hire(client, application_id, **overrides):
    data = {"start_date": date.today().isoformat(), "monthly_wage": "215000.50",
            "hours_per_week": "40", "contract_type": "permanent"}
    data.update(overrides)
    return client.post(f"/employer/applications/{application_id}/hire", data=data,
                       content_type="multipart/form-data", follow_redirects=True)


@pytest.mark.parametrize("overrides, message", [
    ({"monthly_wage": "0"}, "Enter an amount from 1 to 100 000 000."),
    ({"monthly_wage": "abc"}, "Enter an amount in tenge"),
    ({"monthly_wage": "sNaN"}, "Enter an amount in tenge"),
    ({"hours_per_week": "90"}, "Enter a number from 1 to 60."),
    ({"start_date": (date.today() + timedelta(days=400)).isoformat()},
     "The start date is too far in the future."),
    ({"contract": (io.BytesIO(b"MZ\x90\x00 not a pdf"), "contract.pdf")},
     "Only PDF, JPEG or PNG files can be uploaded."),
])
def test_bad_hire_details_are_explained_and_nothing_is_written(app, client, login, world,
                                                               overrides, message):
    application_id = _accept_offer(app, client, login, world)
    page = _hire(client, application_id, **overrides).get_data(as_text=True)
    assert message in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Employment.id))) == 0
    assert _status(app, application_id) is S.OFFER


def test_hire_recorded_confirmed_and_ended(app, client, login, world):
    application_id = _accept_offer(app, client, login, world)
    page = _hire(client, application_id, contract=(io.BytesIO(PDF), "договор.pdf"))
    assert "The hire has been recorded" in page.get_data(as_text=True)
    with app.app_context():
        employment = db.session.scalar(select(Employment))
        assert employment.status is EmploymentStatus.RECORDED
        assert str(employment.monthly_wage) == "215000.50"
        employment_id = employment.id
    with client.get(f"/employments/{employment_id}/contract") as download:
        assert download.data == PDF
        assert "attachment" in download.headers["Content-Disposition"]
    _as(client, login, world.candidate)
    client.post(f"/candidate/employments/{employment_id}/confirm")
    _as(client, login, world.employer)
    client.post(f"/employer/employments/{employment_id}/end",
                data={"end_date": date.today().isoformat(), "reason": "По собственному"})
    with app.app_context():
        employment = db.session.get(Employment, employment_id)
        assert employment.status is EmploymentStatus.ENDED
        assert employment.confirmed_at is not None and employment.end_reason == "По собственному"


def test_a_hire_is_not_an_employment_until_the_candidate_confirms(app, client, login, world,
                                                                  make_user):
    application_id = _accept_offer(app, client, login, world)
    _hire(client, application_id)
    with app.app_context():
        employment_id = db.session.scalar(select(Employment.id))
    response = client.post(f"/employer/employments/{employment_id}/end",
                           data={"end_date": date.today().isoformat(), "reason": "x"},
                           follow_redirects=True)
    assert "This step is not possible at the current stage." in response.get_data(as_text=True)
    _as(client, login, make_user("candidate"))
    assert client.post(f"/candidate/employments/{employment_id}/confirm").status_code == 404


def test_notifications_page_and_unread_counter(app, client, login, world):
    _apply(client, login, world)
    _as(client, login, world.employer)
    page = client.get("/notifications/").get_data(as_text=True)
    assert "New application for “Сварщик в цех”." in page
    assert 'class="counter"' in page
    client.post("/notifications/read")
    assert 'class="counter"' not in client.get("/notifications/").get_data(as_text=True)


def test_a_racing_duplicate_application_gets_a_message_not_a_500(app, client, login, world,
                                                                  monkeypatch):
    """Simulate the second of two simultaneous submissions: the check passes, the unique index
    stops the insert."""
    from marketplace.hiring import services as hiring_services

    _apply(client, login, world)
    monkeypatch.setattr(hiring_services, "live_application", lambda profile, vacancy: None)
    response = client.post(f"/jobs/{world.vacancy_id}/apply", data={"note": ""},
                           follow_redirects=True)
    assert response.status_code == 200
    assert "the form was probably sent twice" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Application.id))) == 1


def test_disclosure_is_hidden_after_withdrawal_and_can_be_unshared(app, client, login, world):
    application_id = _to_offer(app, client, login, world)
    _as(client, login, world.candidate)
    client.post(f"/candidate/applications/{application_id}/disclosure",
                data={"disclosure": "Статья 188", "story": "", "share": "y"})
    client.post(f"/candidate/applications/{application_id}/withdraw")
    _as(client, login, world.employer)
    page = client.get(f"/employer/applications/{application_id}").get_data(as_text=True)
    assert "Статья 188" not in page, "not after the candidate withdrew"
    _as(client, login, world.candidate)
    client.post(f"/candidate/applications/{application_id}/disclosure", data={})
    with app.app_context():
        disclosure = offers.disclosure_of(db.session.get(Application, application_id))
        assert disclosure.shared_at is None


def test_contract_download_is_limited_to_the_region_and_audited(app, client, login, world,
                                                                 make_user):
    application_id = _accept_offer(app, client, login, world)
    _hire(client, application_id, contract=(io.BytesIO(PDF), "contract.pdf"))
    with app.app_context():
        employment_id = db.session.scalar(select(Employment.id))
    _as(client, login, make_user("staff", region_code="KZ-ALA"))
    assert client.get(f"/employments/{employment_id}/contract").status_code == 404
    _as(client, login, world.staff)  # the candidate's region
    with client.get(f"/employments/{employment_id}/contract") as download:
        assert download.status_code == 200
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "employment:contract_download"))
        assert event.actor_id == world.staff.id


@pytest.mark.parametrize("start, days, expected", [
    (date(2026, 12, 14), 5, date(2026, 12, 22)),  # Independence Day, Wed 16 Dec, is off
    # Nauryz 2026: 21–22 March fall on the weekend, so 24 and 25 March are off too.
    (date(2026, 3, 20), 1, date(2026, 3, 26)),
    (date(2025, 12, 31), 1, date(2026, 1, 5)),    # 1–2 Jan off, then the weekend
])
def test_business_days_skip_public_holidays(start, days, expected):
    assert offers.add_business_days(start, days) == expected


def test_a_religious_holiday_on_a_weekend_is_not_carried_over():
    off = offers.days_off(2024)  # 7 January 2024 was a Sunday
    assert date(2024, 1, 7) in off and date(2024, 1, 8) not in off
