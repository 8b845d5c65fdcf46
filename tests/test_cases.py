"""Case management by job-centre staff: the release record (target-group verification) and the
restrictions on one audited page, encrypted at rest, visible only to the candidate's region;
case manager, notes, tasks, re-offences, the caseload and the queues of the staff home page."""

import html
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text

from marketplace.audit.models import AuditEvent
from marketplace.auth.models import User
from marketplace.candidates.models import CandidateProfile
from marketplace.cases import services
from marketplace.cases.models import Case, CaseNote, CaseTask, ReleaseRecord, Reoffence
from marketplace.employers.models import Schedule, Vacancy
from marketplace.extensions import db
from marketplace.reference.models import Occupation, Region
from marketplace.restrictions.models import CandidateRestriction, RestrictionKind
from tests.factories import make_candidate, make_vacancy

INSTITUTION = "Учреждение ЕЦ-166/18 Караганда"
DOCUMENT = "Справка об освобождении №4471-Б"


@pytest.fixture
def staff(make_user):
    return make_user("staff", full_name="Айгуль Сотрудник")


@pytest.fixture
def candidate(app, make_user, skill_codes):
    """(user, profile_id) of a candidate in Astana, the staff member's region."""
    return make_candidate(app, make_user, skill_codes)


def _page(client, profile_id):
    return client.get(f"/staff/candidates/{profile_id}")


def _post(client, profile_id, path, data):
    return client.post(f"/staff/candidates/{profile_id}/{path}", data=data)


def _release_data(**overrides):
    data = {"release-release_date": "2025-11-20", "release-institution": INSTITUTION,
            "release-document": DOCUMENT}
    data.update(overrides)
    return data


def _events(action):
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                                   .order_by(AuditEvent.id)))


def _user(user_id):
    return db.session.get(User, user_id)


def _profile(profile_id):
    return db.session.get(CandidateProfile, profile_id)


# --- release record ---------------------------------------------------------------------------

def test_recording_the_release_verifies_the_candidate_and_is_encrypted_at_rest(
        app, client, login, staff, candidate):
    _, profile_id = candidate
    login(staff)
    response = _post(client, profile_id, "release", _release_data())
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "the candidate is verified" in page and INSTITUTION in page and DOCUMENT in page
    with app.app_context():
        raw = bytes(db.session.execute(text("SELECT details FROM release_record")).scalar_one())
        assert INSTITUTION.encode() not in raw and DOCUMENT.encode() not in raw
        assert b"4471" not in raw
        assert services.is_verified(profile_id)
        assert _profile(profile_id) not in services.candidates_awaiting_verification(
            _profile(profile_id).region_id)
        [event] = _events("release:record")
        assert event.actor_id == staff.id and event.details["replaced"] is False
        assert INSTITUTION not in str(event.details)


def test_a_second_release_record_replaces_the_first_with_an_audit_event(
        app, client, login, staff, candidate):
    _, profile_id = candidate
    login(staff)
    _post(client, profile_id, "release", _release_data())
    _post(client, profile_id, "release", _release_data(**{
        "release-release_date": "2025-12-01", "release-document": "Справка №9"}))
    with app.app_context():
        release = db.session.scalar(select(ReleaseRecord))
        assert db.session.scalar(select(func.count(ReleaseRecord.id))) == 1
        assert release.release_date == date(2025, 12, 1)
        assert release.details == {"institution": INSTITUTION, "document": "Справка №9"}
        assert [e.details["replaced"] for e in _events("release:record")] == [False, True]


@pytest.mark.parametrize("overrides, message", [
    ({"release-release_date": (date.today() + timedelta(days=1)).isoformat()},
     "The date cannot be in the future."),
    ({"release-release_date": "1949-12-31"}, "The date cannot be before 1950."),
    ({"release-release_date": "20.11.2025"}, "Enter a date, e.g. 2025-06-30."),
    ({"release-release_date": ""}, "Enter a date, e.g. 2025-06-30."),
    ({"release-institution": "   "}, "Enter the institution the person left."),
    ({"release-document": "x" * 201}, "Field cannot be longer than 200 characters."),
    ({"release-document": "Справка\x00"}, "Contains characters that cannot be saved."),
])
def test_bad_release_input_is_explained_and_nothing_is_saved(app, client, login, staff,
                                                             candidate, overrides, message):
    _, profile_id = candidate
    login(staff)
    response = _post(client, profile_id, "release", _release_data(**overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(ReleaseRecord)) is None
        assert _events("release:record") == []


def test_the_release_service_refuses_bad_dates(app, staff, candidate):
    _, profile_id = candidate
    with app.app_context():
        for bad in (date.today() + timedelta(days=1), date(1949, 12, 31), None):
            with pytest.raises(services.InvalidCaseEntry) as refused:
                services.record_release(_profile(profile_id), release_date=bad,
                                        institution=INSTITUTION, document=DOCUMENT,
                                        actor=_user(staff.id))
            assert refused.value.context["field"] == "release_date"


# --- the page: audited views, region isolation --------------------------------------------------

def test_every_view_of_the_page_audits_the_release_and_the_restrictions(
        app, client, login, staff, candidate):
    _, profile_id = candidate
    login(staff)
    _post(client, profile_id, "release", _release_data())
    _post(client, profile_id, "restrictions/curfew",
          {"curfew-start": "22:00", "curfew-end": "06:00"})
    with app.app_context():
        before = (len(_events("release:view")), len(_events("restriction:view")))
    page = _page(client, profile_id).get_data(as_text=True)
    assert "at home from 22:00 to 06:00" in page and INSTITUTION in page
    with app.app_context():
        release_views, restriction_views = _events("release:view"), _events("restriction:view")
        assert (len(release_views), len(restriction_views)) == (before[0] + 1, before[1] + 1)
        for event in (release_views[-1], restriction_views[-1]):
            assert event.actor_id == staff.id
            assert "22:00" not in str(event.details) and INSTITUTION not in str(event.details)
        assert restriction_views[-1].object_id == str(profile_id)


def test_a_refused_form_still_audits_the_page_it_shows(app, client, login, staff, candidate):
    _, profile_id = candidate
    login(staff)
    _post(client, profile_id, "release", _release_data())
    with app.app_context():
        before = len(_events("release:view"))
    response = _post(client, profile_id, "notes", {"note-body": ""})
    assert response.status_code == 422 and "Write the note." in response.get_data(as_text=True)
    with app.app_context():
        assert len(_events("release:view")) == before + 1


def test_staff_of_another_region_get_404_and_change_nothing(app, client, login, make_user,
                                                           candidate):
    _, profile_id = candidate
    login(make_user("staff", region_code="KZ-KAR"))
    assert _page(client, profile_id).status_code == 404
    assert _post(client, profile_id, "release", _release_data()).status_code == 404
    assert _post(client, profile_id, "restrictions/curfew",
                 {"curfew-start": "22:00", "curfew-end": "06:00"}).status_code == 404
    assert _post(client, profile_id, "notes", {"note-body": "Позвонил"}).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(ReleaseRecord)) is None
        assert db.session.scalar(select(CandidateRestriction)) is None
        assert db.session.scalar(select(Case)) is None
        assert _events("restriction:view") == [] and _events("release:view") == []


def test_the_page_shows_the_profile_and_stays_small(app, client, login, staff, candidate):
    _, profile_id = candidate
    login(staff)
    response = _page(client, profile_id)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Жасырын Есім" in page and "Сварщик" in page and "Not verified" in page
    assert len(response.data) < 100_000
    assert "<script" not in page and "style=" not in page


# --- restrictions through the page feed matching at once -------------------------------------

def test_a_curfew_recorded_on_the_page_hides_a_night_shift_from_recommendations(
        app, client, login, make_user, staff, candidate, skill_codes):
    from marketplace.matches.services import recommendations

    employer = make_user("employer")
    night_id = make_vacancy(app, employer, skill_codes, title="Ночной сторож склада")
    day_id = make_vacancy(app, employer, skill_codes, title="Дневная работа")
    with app.app_context():
        db.session.get(Vacancy, night_id).schedule = Schedule.NIGHT
        db.session.commit()
    _, profile_id = candidate

    def recommended():
        with app.app_context():
            return {vacancy.id for vacancy, _, _ in
                    recommendations(_profile(profile_id)).page.items}

    assert {night_id, day_id} <= recommended()
    login(staff)
    response = _post(client, profile_id, "restrictions/curfew",
                     {"curfew-start": "22:00", "curfew-end": "06:00"})
    assert response.status_code == 302
    assert night_id not in recommended() and day_id in recommended()
    with app.app_context():
        raw = bytes(db.session.execute(text("SELECT data FROM candidate_restriction"))
                    .scalar_one())
        assert b"22:00" not in raw and b"06:00" not in raw


def _occupation_code():
    return db.session.scalar(select(Occupation.code).where(Occupation.level == "occupation")
                             .order_by(Occupation.code))


def test_court_ban_from_the_select_lists_and_lifting_it(app, client, login, staff, candidate):
    _, profile_id = candidate
    with app.app_context():
        code = _occupation_code()
        name = db.session.scalar(select(Occupation).where(Occupation.code == code)).name_en
    login(staff)
    page = _page(client, profile_id).get_data(as_text=True)
    assert f'value="{code}"' in page, "occupations are offered by code in a select"
    until = (date.today() + timedelta(days=200)).isoformat()
    response = _post(client, profile_id, "restrictions/court-ban",
                     {"ban-occupations": [code], "ban-until": until})
    assert response.status_code == 302
    page = _page(client, profile_id).get_data(as_text=True)
    assert name in page
    with app.app_context():
        restriction = db.session.scalar(select(CandidateRestriction))
        assert restriction.data == {"occupations": [code], "sectors": [], "until": until}
        assert code.encode() not in bytes(db.session.execute(
            text("SELECT data FROM candidate_restriction")).scalar_one())
    response = _post(client, profile_id, f"restrictions/{restriction.id}/lift", {})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(CandidateRestriction, restriction.id).lifted_at is not None
        assert len(_events("restriction:lift")) == 1
    assert "No restrictions in force." in _page(client, profile_id).get_data(as_text=True)


def test_territory_by_region(app, client, login, staff, candidate):
    _, profile_id = candidate
    login(staff)
    response = _post(client, profile_id, "restrictions/territory",
                     {"territory-regions": ["KZ-AST", "KZ-AKM"]})
    assert response.status_code == 302
    with app.app_context():
        restriction = db.session.scalar(select(CandidateRestriction))
        assert restriction.kind is RestrictionKind.TERRITORY
        assert restriction.data["regions"] == ["KZ-AKM", "KZ-AST"]
        astana = db.session.scalar(select(Region).where(Region.code == "KZ-AST")).name_en
    assert astana in _page(client, profile_id).get_data(as_text=True)


@pytest.mark.parametrize("path, data, message", [
    ("restrictions/curfew", {"curfew-start": "25:00", "curfew-end": "06:00"},
     "Enter the curfew as two different times"),
    ("restrictions/curfew", {"curfew-start": "22:00", "curfew-end": ""}, "Enter a time"),
    ("restrictions/court-ban", {"ban-occupations": ["no-such-job"]}, "Unknown code: no-such-job"),
    ("restrictions/court-ban", {}, "Name at least one occupation or sector."),
    ("restrictions/territory", {"territory-regions": ["KZ-AST"], "territory-until": "2001-01-01"},
     "The end date is in the past."),
    ("restrictions/territory", {}, "Name at least one region or town."),
])
def test_bad_restrictions_are_explained_and_nothing_is_saved(app, client, login, staff,
                                                             candidate, path, data, message):
    _, profile_id = candidate
    login(staff)
    response = _post(client, profile_id, path, data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(CandidateRestriction)) is None


def test_a_restriction_of_another_candidate_cannot_be_lifted(app, client, login, make_user,
                                                              staff, candidate, skill_codes):
    _, profile_id = candidate
    _, other_id = make_candidate(app, make_user, skill_codes)
    login(staff)
    _post(client, other_id, "restrictions/curfew", {"curfew-start": "22:00", "curfew-end": "06:00"})
    with app.app_context():
        restriction_id = db.session.scalar(select(CandidateRestriction.id))
    assert _post(client, profile_id, f"restrictions/{restriction_id}/lift", {}).status_code == 404
    with app.app_context():
        assert db.session.get(CandidateRestriction, restriction_id).lifted_at is None


# --- case manager, next step, notes, tasks ---------------------------------------------------

def test_assign_to_me_and_to_a_colleague_of_the_region_only(app, client, login, make_user,
                                                            staff, candidate):
    _, profile_id = candidate
    colleague = make_user("staff", full_name="Берик Коллега")
    stranger = make_user("staff", region_code="KZ-KAR")
    login(staff)
    assert _post(client, profile_id, "manager", {"manager-manager": staff.id}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Case)).manager_id == staff.id
    page = _page(client, profile_id).get_data(as_text=True)
    assert "Берик Коллега" in page, "the colleague is offered in the list"
    assert _post(client, profile_id, "manager",
                 {"manager-manager": colleague.id}).status_code == 302
    response = _post(client, profile_id, "manager", {"manager-manager": stranger.id})
    assert response.status_code == 422
    assert "Choose a staff member of the candidate's region." in html.unescape(
        response.get_data(as_text=True))
    response = _post(client, profile_id, "manager", {"manager-manager": "abc"})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(Case)).manager_id == colleague.id
        assert [e.details["manager_id"] for e in _events("case:assign")] == [staff.id,
                                                                             colleague.id]


def test_a_note_about_a_conversation_is_the_last_contact(app, client, login, staff, candidate):
    _, profile_id = candidate
    login(staff)
    _post(client, profile_id, "notes", {"note-body": "Оставил сообщение"})
    with app.app_context():
        assert db.session.scalar(select(Case)).last_contact_at is None
    _post(client, profile_id, "notes", {"note-body": "Поговорили о работе",
                                        "note-was_contact": "y"})
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert case.last_contact_at is not None
        assert [n.body for n in case.notes] == ["Поговорили о работе", "Оставил сообщение"]
        assert db.session.scalar(select(CaseNote).where(CaseNote.was_contact)).author_id == \
            staff.id
    _post(client, profile_id, "next-step", {"step-next_step": "Сходить на собеседование"})
    page = _page(client, profile_id).get_data(as_text=True)
    assert "Поговорили о работе" in page and "Сходить на собеседование" in page


@pytest.mark.parametrize("due, message", [
    (date.today() - timedelta(days=1), "The due date cannot be in the past."),
    (date.today() + timedelta(days=400), "The due date is more than a year ahead."),
    ("31/12/2026", "Enter a date, e.g. 2025-06-30."),
])
def test_bad_task_dates_are_refused(app, client, login, staff, candidate, due, message):
    _, profile_id = candidate
    login(staff)
    due = due.isoformat() if isinstance(due, date) else due
    response = _post(client, profile_id, "tasks", {"task-title": "Позвонить", "task-due_on": due})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(CaseTask)) is None


def test_a_task_is_added_and_done_once(app, client, login, staff, candidate):
    _, profile_id = candidate
    login(staff)
    due = (date.today() + timedelta(days=2)).isoformat()
    assert _post(client, profile_id, "tasks", {"task-title": "Позвонить работодателю",
                                               "task-due_on": due}).status_code == 302
    with app.app_context():
        task_id = db.session.scalar(select(CaseTask.id))
    assert _post(client, profile_id, f"tasks/{task_id}/done", {}).status_code == 302
    again = client.post(f"/staff/candidates/{profile_id}/tasks/{task_id}/done",
                        follow_redirects=True)
    assert "This task has already been done." in again.get_data(as_text=True)
    with app.app_context():
        task = db.session.get(CaseTask, task_id)
        assert task.done_at is not None and task.done_by_id == staff.id
        assert len(_events("case:task_done")) == 1


# --- re-offences -----------------------------------------------------------------------------

def test_a_reoffence_is_recorded_encrypted_and_audited(app, client, login, staff, candidate):
    _, profile_id = candidate
    login(staff)
    response = _post(client, profile_id, "reoffences", {
        "reoffence-kind": "reincarceration", "reoffence-occurred_on": "2026-01-15",
        "reoffence-note": "Задержан по статье 188"})
    assert response.status_code == 302
    with app.app_context():
        reoffence = db.session.scalar(select(Reoffence))
        assert reoffence.kind.value == "reincarceration"
        assert reoffence.details == {"note": "Задержан по статье 188"}
        raw = bytes(db.session.execute(text("SELECT details FROM reoffence")).scalar_one())
        assert b"188" not in raw and "Задержан".encode() not in raw
        [event] = _events("reoffence:record")
        assert event.details["kind"] == "reincarceration" and "188" not in str(event.details)


@pytest.mark.parametrize("data, message", [
    ({"reoffence-kind": "murder", "reoffence-occurred_on": "2026-01-15"},
     "Choose what happened."),
    ({"reoffence-kind": "new_conviction",
      "reoffence-occurred_on": (date.today() + timedelta(days=3)).isoformat()},
     "The date cannot be in the future."),
    ({"reoffence-kind": "new_conviction", "reoffence-occurred_on": "2025-01-01"},
     "The date cannot be before the release date."),
])
def test_bad_reoffences_are_refused(app, client, login, staff, candidate, data, message):
    _, profile_id = candidate
    login(staff)
    _post(client, profile_id, "release", _release_data())
    response = _post(client, profile_id, "reoffences", data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Reoffence)) is None


# --- caseload and queues ---------------------------------------------------------------------

def _case_with_task(app, profile_id, staff_id, due_on, *, manager=True):
    with app.app_context():
        case = services.ensure_case(_profile(profile_id))
        if manager:
            case.manager_id = staff_id
        db.session.add(CaseTask(case_id=case.id, title="Перезвонить", due_on=due_on))
        db.session.commit()


def test_caseload_rows_overdue_first_with_filters_and_counts(app, client, login, make_user,
                                                             staff, skill_codes):
    _, overdue_id = make_candidate(app, make_user, skill_codes)
    _, calm_id = make_candidate(app, make_user, skill_codes)
    _, unassigned_id = make_candidate(app, make_user, skill_codes)
    _, elsewhere_id = make_candidate(app, make_user, skill_codes)
    _case_with_task(app, overdue_id, staff.id, date.today() - timedelta(days=2))
    _case_with_task(app, calm_id, staff.id, date.today() + timedelta(days=5))
    with app.app_context():
        _profile(elsewhere_id).region_id = db.session.scalar(
            select(Region.id).where(Region.code == "KZ-KAR"))
        services.add_note(db.session.scalar(select(Case).where(Case.profile_id == calm_id)),
                          body="Звонок", was_contact=True, actor=_user(staff.id))
        services.set_next_step(db.session.scalar(select(Case).where(
            Case.profile_id == calm_id)), "Резюме", actor=_user(staff.id))
        db.session.commit()
        region_id = _user(staff.id).region_id
        rows = services.caseload(region_id)
        assert [r.profile_id for r in rows][0] == overdue_id
        assert {r.profile_id for r in rows} == {overdue_id, calm_id, unassigned_id}
        by_id = {r.profile_id: r for r in rows}
        assert by_id[overdue_id].overdue and by_id[overdue_id].open_tasks == 1
        assert not by_id[calm_id].overdue and by_id[calm_id].next_step == "Резюме"
        assert by_id[calm_id].last_contact_at is not None
        assert by_id[unassigned_id].manager_name is None
        assert {r.profile_id for r in services.caseload(region_id, manager_id=staff.id)} == {
            overdue_id, calm_id}
        assert [r.profile_id for r in services.caseload(region_id, unassigned=True)] == [
            unassigned_id]
    login(staff)
    page = client.get("/staff/caseload?filter=mine").get_data(as_text=True)
    assert f"/staff/candidates/{overdue_id}" in page and f"/staff/candidates/{calm_id}" in page
    assert f"/staff/candidates/{unassigned_id}" not in page
    assert "overdue" in page and "Резюме" in page and "Айгуль Сотрудник" in page
    page = client.get("/staff/caseload").get_data(as_text=True)
    assert f"/staff/candidates/{unassigned_id}" in page
    assert f"/staff/candidates/{elsewhere_id}" not in page
    assert client.get("/staff/caseload?filter=nonsense").status_code == 200


def test_queue_helpers_are_per_region_and_oldest_first(app, make_user, staff, skill_codes):
    _, first_id = make_candidate(app, make_user, skill_codes)
    _, second_id = make_candidate(app, make_user, skill_codes)
    _, verified_id = make_candidate(app, make_user, skill_codes)
    _, elsewhere_id = make_candidate(app, make_user, skill_codes)
    _case_with_task(app, first_id, staff.id, date.today() + timedelta(days=3))
    _case_with_task(app, elsewhere_id, staff.id, date.today())
    with app.app_context():
        karaganda = db.session.scalar(select(Region.id).where(Region.code == "KZ-KAR"))
        _profile(elsewhere_id).region_id = karaganda
        services.record_release(_profile(verified_id), release_date=date(2025, 5, 1),
                                institution=INSTITUTION, document=DOCUMENT,
                                actor=_user(staff.id))
        db.session.commit()
        astana = _user(staff.id).region_id
        assert [p.id for p in services.candidates_awaiting_verification(astana)] == [
            first_id, second_id]
        assert [p.id for p in services.candidates_awaiting_verification(karaganda)] == [
            elsewhere_id]
        assert [db.session.get(Case, t.case_id).profile_id
                for t in services.open_tasks(astana)] == [first_id]
        assert len(services.open_tasks(karaganda)) == 1


def test_an_offer_waiting_for_the_candidate_shows_on_their_page(app, client, login, make_user,
                                                                staff, candidate, skill_codes):
    from marketplace.hiring.models import Application, ApplicationStatus

    _, profile_id = candidate
    vacancy_id = make_vacancy(app, make_user("employer"), skill_codes, title="Пекарь в цех")
    with app.app_context():
        db.session.add(Application(vacancy_id=vacancy_id, profile_id=profile_id,
                                   status=ApplicationStatus.OFFER))
        db.session.commit()
    login(staff)
    page = _page(client, profile_id).get_data(as_text=True)
    assert "Пекарь в цех" in page and "waiting for the candidate's answer" in page
