"""Retention check-ins: planned at 1, 3, 6 and 12 months when the candidate confirms a hire,
recorded once by staff of the candidate's region; a satisfaction of 6 or below raises a
call-back task."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from marketplace.audit.models import AuditEvent
from marketplace.auth.models import User
from marketplace.candidates.models import CandidateProfile
from marketplace.cases import checkins, services
from marketplace.cases.checkins import (
    CheckInAlreadyCompleted,
    InvalidCheckIn,
    add_months,
    complete_check_in,
)
from marketplace.cases.models import CheckIn, CheckInOutcome, TaskKind
from marketplace.extensions import db
from marketplace.hiring.models import (
    Application,
    ApplicationStatus,
    ContractType,
    Employment,
    EmploymentStatus,
)
from marketplace.reference.models import Region
from tests.factories import make_candidate, make_vacancy


@pytest.mark.parametrize("start, months, expected", [
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2028, 1, 31), 1, date(2028, 2, 29)),    # leap year
    (date(2026, 1, 31), 3, date(2026, 4, 30)),
    (date(2026, 8, 31), 6, date(2027, 2, 28)),
    (date(2026, 11, 30), 3, date(2027, 2, 28)),
    (date(2026, 3, 15), 12, date(2027, 3, 15)),
    (date(2026, 12, 1), 1, date(2027, 1, 1)),
])
def test_months_later_keep_the_day_or_take_the_last_day_of_the_month(start, months, expected):
    assert add_months(start, months) == expected


@pytest.fixture
def staff(make_user):
    return make_user("staff")


@pytest.fixture
def hire_of(app, make_user, skill_codes):
    """hire_of(start_date, status=RECORDED, region_code=None) → (candidate, profile_id,
    employment_id): a hire recorded by a real employer for a real candidate."""

    def make(start_date, *, status=EmploymentStatus.RECORDED, region_code=None):
        employer = make_user("employer")
        vacancy_id = make_vacancy(app, employer, skill_codes, title="Оператор линии")
        candidate, profile_id = make_candidate(app, make_user, skill_codes)
        with app.app_context():
            if region_code:
                profile = db.session.get(CandidateProfile, profile_id)
                profile.region_id = db.session.scalar(
                    select(Region.id).where(Region.code == region_code))
            application = Application(vacancy_id=vacancy_id, profile_id=profile_id,
                                      status=ApplicationStatus.HIRED)
            employment = Employment(application=application, start_date=start_date,
                                    monthly_wage=Decimal("250000.00"), hours_per_week=40,
                                    contract_type=ContractType.PERMANENT, status=status,
                                    recorded_by_id=employer.id)
            db.session.add(employment)
            if status is EmploymentStatus.CONFIRMED:
                db.session.flush()
                checkins.schedule_check_ins(employment)
            db.session.commit()
            return candidate, profile_id, employment.id

    return make


def _check_in(employment_id, months):
    return db.session.scalar(select(CheckIn).where(CheckIn.employment_id == employment_id,
                                                   CheckIn.months_after == months))


def _due_dates(employment_id):
    return [(c.months_after, c.due_on) for c in checkins.check_ins_of(employment_id)]


def test_confirming_a_hire_plans_the_four_check_ins(app, client, login, hire_of):
    candidate, _, employment_id = hire_of(date(2026, 1, 31))
    with app.app_context():
        assert _due_dates(employment_id) == [], "nothing before the candidate confirms"
    login(candidate)
    response = client.post(f"/candidate/employments/{employment_id}/confirm")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Employment, employment_id).status is EmploymentStatus.CONFIRMED
        assert _due_dates(employment_id) == [
            (1, date(2026, 2, 28)), (3, date(2026, 4, 30)), (6, date(2026, 7, 31)),
            (12, date(2027, 1, 31))]
        checkins.schedule_check_ins(db.session.get(Employment, employment_id))
        assert len(_due_dates(employment_id)) == 4, "planning twice adds nothing"


def _complete_page(client, profile_id, check_in_id, **data):
    prefix = f"checkin-{check_in_id}-"
    return client.post(f"/staff/candidates/{profile_id}/check-ins/{check_in_id}",
                       data={prefix + key: value for key, value in data.items()})


def _ids(app, employment_id, months):
    with app.app_context():
        return _check_in(employment_id, months).id


def _call_backs():
    from marketplace.cases.models import CaseTask

    return list(db.session.scalars(select(CaseTask).where(CaseTask.kind == TaskKind.CALL_BACK)))


def test_satisfaction_of_six_raises_a_call_back_task(app, client, login, staff, hire_of):
    _, profile_id, employment_id = hire_of(date.today() - timedelta(days=95),
                                           status=EmploymentStatus.CONFIRMED)
    check_in_id = _ids(app, employment_id, 3)
    login(staff)
    page = client.get(f"/staff/candidates/{profile_id}").get_data(as_text=True)
    assert "Record the 3-month check-in" in page
    response = _complete_page(client, profile_id, check_in_id, outcome="employed",
                              satisfaction="6")
    assert response.status_code == 302
    with app.app_context():
        check_in = db.session.get(CheckIn, check_in_id)
        assert check_in.outcome is CheckInOutcome.EMPLOYED and check_in.satisfaction == 6
        assert check_in.recorded_by_id == staff.id and check_in.recorded_at is not None
        [task] = _call_backs()
        assert task.due_on == date.today() + timedelta(days=3)
        assert services.case_of(profile_id).id == task.case_id
        assert "6 of 10" in task.title
        [event] = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "check_in:complete")).all()
        assert event.actor_id == staff.id and event.details["outcome"] == "employed"
    page = client.get(f"/staff/candidates/{profile_id}").get_data(as_text=True)
    assert "Call back (low satisfaction)" in page and "satisfaction 6 of 10" in page


def test_satisfaction_of_seven_raises_nothing(app, client, login, staff, hire_of):
    _, profile_id, employment_id = hire_of(date.today() - timedelta(days=35),
                                           status=EmploymentStatus.CONFIRMED)
    login(staff)
    response = _complete_page(client, profile_id, _ids(app, employment_id, 1),
                              outcome="employed", satisfaction="7")
    assert response.status_code == 302
    with app.app_context():
        assert _call_backs() == []
        assert services.case_of(profile_id) is None


def test_left_needs_a_reason(app, client, login, staff, hire_of):
    _, profile_id, employment_id = hire_of(date.today() - timedelta(days=35),
                                           status=EmploymentStatus.CONFIRMED)
    check_in_id = _ids(app, employment_id, 1)
    login(staff)
    response = _complete_page(client, profile_id, check_in_id, outcome="left",
                              left_reason="  ")
    assert response.status_code == 422
    assert "Give the reason the person left the job." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(CheckIn, check_in_id).outcome is None
    response = _complete_page(client, profile_id, check_in_id, outcome="left",
                              left_reason="Переехал к семье")
    assert response.status_code == 302
    with app.app_context():
        check_in = db.session.get(CheckIn, check_in_id)
        assert check_in.outcome is CheckInOutcome.LEFT
        assert check_in.left_reason == "Переехал к семье" and check_in.satisfaction is None


@pytest.mark.parametrize("data, message", [
    ({"satisfaction": "5"}, "Choose the outcome of the check-in."),
    ({"outcome": "promoted"}, "Choose the outcome of the check-in."),
    ({"outcome": "employed", "satisfaction": "11"}, "Enter a whole number from 0 to 10."),
    ({"outcome": "employed", "satisfaction": "-1"}, "Enter a whole number from 0 to 10."),
    ({"outcome": "employed", "satisfaction": "seven"}, "Enter a whole number from 0 to 10."),
    ({"outcome": "employed", "satisfaction": "6.5"}, "Enter a whole number from 0 to 10."),
])
def test_bad_check_in_input_is_refused_and_nothing_saved(app, client, login, staff, hire_of,
                                                         data, message):
    _, profile_id, employment_id = hire_of(date.today() - timedelta(days=35),
                                           status=EmploymentStatus.CONFIRMED)
    check_in_id = _ids(app, employment_id, 1)
    login(staff)
    response = _complete_page(client, profile_id, check_in_id, **data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(CheckIn, check_in_id).outcome is None
        assert _call_backs() == []


def test_a_completed_check_in_cannot_be_completed_again(app, client, login, staff, hire_of):
    _, profile_id, employment_id = hire_of(date.today() - timedelta(days=35),
                                           status=EmploymentStatus.CONFIRMED)
    check_in_id = _ids(app, employment_id, 1)
    with app.app_context(), force_locale("en"):
        actor = db.session.get(User, staff.id)
        check_in = db.session.get(CheckIn, check_in_id)
        complete_check_in(check_in, outcome="unknown", left_reason="", satisfaction=None,
                          actor=actor)
        db.session.commit()
        with pytest.raises(CheckInAlreadyCompleted, match="already been recorded"):
            complete_check_in(check_in, outcome="employed", left_reason="", satisfaction=2,
                              actor=actor)
        db.session.rollback()
    login(staff)
    response = _complete_page(client, profile_id, check_in_id, outcome="employed",
                              satisfaction="2")
    assert response.status_code == 422
    assert "This check-in has already been recorded." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(CheckIn, check_in_id).outcome is CheckInOutcome.UNKNOWN
        assert _call_backs() == []


def test_a_check_in_months_away_cannot_be_recorded_yet(app, staff, hire_of):
    _, _, employment_id = hire_of(date.today(), status=EmploymentStatus.CONFIRMED)
    with app.app_context(), force_locale("en"):
        check_in = _check_in(employment_id, 6)
        with pytest.raises(InvalidCheckIn, match="not due yet"):
            complete_check_in(check_in, outcome="employed", left_reason="", satisfaction=9,
                              actor=db.session.get(User, staff.id))


def test_the_service_refuses_a_satisfaction_that_is_not_a_whole_number(app, staff, hire_of):
    _, _, employment_id = hire_of(date.today() - timedelta(days=35),
                                  status=EmploymentStatus.CONFIRMED)
    with app.app_context(), force_locale("en"):
        for bad in (11, -1, 5.5, True, "7"):
            with pytest.raises(InvalidCheckIn, match="whole number"):
                complete_check_in(_check_in(employment_id, 1), outcome="employed",
                                  left_reason="", satisfaction=bad,
                                  actor=db.session.get(User, staff.id))
            db.session.rollback()


def test_staff_of_another_region_cannot_record_a_check_in(app, client, login, make_user,
                                                          hire_of):
    _, profile_id, employment_id = hire_of(date.today() - timedelta(days=35),
                                           status=EmploymentStatus.CONFIRMED)
    check_in_id = _ids(app, employment_id, 1)
    login(make_user("staff", region_code="KZ-KAR"))
    assert _complete_page(client, profile_id, check_in_id,
                          outcome="employed").status_code == 404
    assert client.get("/staff/check-ins").get_data(as_text=True).count(
        f"/staff/candidates/{profile_id}") == 0
    with app.app_context():
        assert db.session.get(CheckIn, check_in_id).outcome is None


def test_check_ins_due_per_region_overdue_first(app, client, login, staff, hire_of):
    today = date.today()
    _, early_id, early = hire_of(today - timedelta(days=100), status=EmploymentStatus.CONFIRMED)
    _, soon_id, soon = hire_of(today - timedelta(days=26), status=EmploymentStatus.CONFIRMED)
    _, _, far = hire_of(today - timedelta(days=10), status=EmploymentStatus.CONFIRMED)
    _, _, elsewhere = hire_of(today - timedelta(days=40), status=EmploymentStatus.CONFIRMED,
                              region_code="KZ-KAR")
    with app.app_context():
        # The first hire's 1-month check-in is done; its 3-month one is still due.
        check_in = _check_in(early, 1)
        complete_check_in(check_in, outcome="employed", left_reason="", satisfaction=9,
                          actor=db.session.get(User, staff.id))
        db.session.commit()
        astana = db.session.get(User, staff.id).region_id
        due = services.check_ins_due(astana, today)
        assert [(c.employment_id, c.months_after) for c in due] == [(early, 3), (soon, 1)]
        assert far not in {c.employment_id for c in due}, "more than a week ahead"
        karaganda = db.session.scalar(select(Region.id).where(Region.code == "KZ-KAR"))
        assert [(c.employment_id, c.months_after) for c in services.check_ins_due(
            karaganda, today)] == [(elsewhere, 1)]
    login(staff)
    page = client.get("/staff/check-ins").get_data(as_text=True)
    assert page.index(f"/staff/candidates/{early_id}") < page.index(
        f"/staff/candidates/{soon_id}")
    assert "days overdue" in page and "Оператор линии" in page
