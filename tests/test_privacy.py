"""A candidate downloads all their data and deletes their account: anonymised, pseudonymised
where subsidy audits need the records, all or nothing."""

import json
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from marketplace.audit.models import AuditEvent
from marketplace.auth.models import User
from marketplace.candidates import privacy
from marketplace.candidates.models import (
    CandidateLanguage,
    CandidateProfile,
    CandidateSkill,
    EducationEntry,
    WorkHistoryEntry,
)
from marketplace.extensions import db
from marketplace.hiring.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    ContractType,
    Disclosure,
    Employment,
    EmploymentStatus,
    Invitation,
    InvitationStatus,
)
from marketplace.restrictions.models import CandidateRestriction, RestrictionKind
from tests.factories import make_candidate, make_vacancy

IIN = "900101300106"
WORK = {"employer_name": "ТОО «Строймонтаж»", "job_title": "Сварщик",
        "started_on": "2015-03-01", "ended_on": "", "description": "Сварка труб"}


@pytest.fixture
def history(app, client, make_user, login, skill_codes):
    """A discoverable candidate with a full profile, a confirmed hire, a live application with
    a disclosure, a rejected application, a pending invitation and a court restriction."""
    employer = make_user("employer")
    vacancies = [make_vacancy(app, employer, skill_codes, title=f"Вакансия {n}")
                 for n in range(4)]
    user, profile_id = make_candidate(app, make_user, skill_codes, discoverable=False)
    login(user)
    with app.app_context():
        region_id = db.session.get(CandidateProfile, profile_id).region_id
    client.post("/candidate/personal", data={"full_name": "Жасырын Есім", "phone": user.login,
                                             "iin": IIN})
    client.post("/candidate/profile", data={
        "desired_title": "Сварщик", "region": region_id, "city": 0, "summary": "Умею варить",
        "schedule_day": "y", "salary_expectation": "180000", "discoverable": "y"})
    client.post("/candidate/work/new", data=WORK)
    client.post("/candidate/education/new", data={"institution": "Колледж", "level": "vocational"})
    client.post("/candidate/language/new", data={"language": "kk", "level": "native"})
    with app.app_context():
        hired = Application(vacancy_id=vacancies[0], profile_id=profile_id, note="Возьмите меня",
                            status=ApplicationStatus.HIRED)
        hired.events.append(ApplicationEvent(action="apply", to_status="applied",
                                             actor_id=user.id))
        live = Application(vacancy_id=vacancies[1], profile_id=profile_id, note="Готов к работе",
                           status=ApplicationStatus.INTERVIEW)
        rejected = Application(vacancy_id=vacancies[2], profile_id=profile_id,
                               status=ApplicationStatus.REJECTED)
        db.session.add_all([hired, live, rejected])
        db.session.flush()
        db.session.add_all([
            Employment(application=hired, start_date=date(2026, 2, 1),
                       monthly_wage=Decimal("210000.00"), hours_per_week=40,
                       contract_type=ContractType.PERMANENT, recorded_by_id=employer.id,
                       status=EmploymentStatus.CONFIRMED),
            Disclosure(application=live, content={"disclosure": "DISCLOSURE-TEXT", "story": ""}),
            Invitation(vacancy_id=vacancies[3], profile_id=profile_id,
                       invited_by_id=employer.id, message="Приходите"),
            CandidateRestriction(profile_id=profile_id, kind=RestrictionKind.CURFEW,
                                 data={"start": "22:00", "end": "06:00",
                                       "note": "RESTRICTION-MARKER"}),
        ])
        db.session.commit()
        ids = SimpleNamespace(hired=hired.id, live=live.id, rejected=rejected.id)
    return SimpleNamespace(user=user, employer=employer, profile_id=profile_id,
                           applications=ids, vacancies=vacancies)


def test_privacy_page_explains_what_is_stored_and_who_sees_it(client, make_user, login):
    login(make_user("candidate"))
    page = client.get("/candidate/privacy").get_data(as_text=True)
    assert "What we store and who sees it" in page
    assert "ask your case manager" in page
    assert 'action="/candidate/privacy/export"' in page
    assert 'action="/candidate/privacy/delete"' in page


def test_export_is_a_json_download_of_everything_but_staff_data(app, client, history):
    response = client.post("/candidate/privacy/export")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    text = response.get_data(as_text=True)
    data = json.loads(text)
    assert data["account"]["full_name"] == "Жасырын Есім"
    assert data["account"]["phone"] == history.user.login
    assert data["profile"]["iin"] == IIN
    assert data["profile"]["schedules"] == ["day"]
    assert data["profile"]["salary_expectation"] == "180000.00"
    assert len(data["skills"]) == 3 and data["skills"][0]["skill"]["code"]
    assert data["work_history"][0]["employer_name"] == "ТОО «Строймонтаж»"
    assert data["education"][0]["level"] == "vocational"
    assert data["languages"] == [{"language": "kk", "name": "", "level": "native"}]
    assert [e["action"] for e in data["consent_history"]] == [
        "candidate:register", "candidate:consent_given"]
    applications = {a["id"]: a for a in data["applications"]}
    assert applications[history.applications.hired]["vacancy"]["title"] == "Вакансия 0"
    assert applications[history.applications.hired]["events"][0]["by"] == "you"
    assert applications[history.applications.live]["disclosure"]["disclosure"] == (
        "DISCLOSURE-TEXT")
    assert applications[history.applications.rejected]["status"] == "rejected"
    assert data["invitations"][0]["message"] == "Приходите"
    assert data["employments"][0]["monthly_wage"] == "210000.00"
    assert "case manager" in data["held_by_job_centre"]
    assert "certificates" in data
    # Staff data and secrets stay out.
    assert "RESTRICTION-MARKER" not in text and "22:00" not in text
    assert "password_hash" not in text and "argon2" not in text
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "candidate:export_data",
            AuditEvent.actor_id == history.user.id)) is not None


def test_certificates_are_exported_and_deleted_with_their_scans(app, client, history):
    import io
    from pathlib import Path

    from marketplace.certificates.models import Certificate
    from marketplace.uploads.services import upload_dir

    client.post("/candidate/certificates", content_type="multipart/form-data", data={
        "title": "Электрогазосварщик", "issuer": "Колледж при учреждении ЕЦ-166/11",
        "issued_on": "2025-06-01", "scan": (io.BytesIO(b"%PDF-1.4 scan"), "scan.pdf")})
    with app.app_context():
        certificate = db.session.scalar(select(Certificate))
        assert certificate is not None, "the certificate form accepted the upload"
        scan_path = Path(upload_dir()) / certificate.scan_file.storage_key
    assert scan_path.exists()
    exported = json.loads(client.post("/candidate/privacy/export").get_data(as_text=True))
    assert [c["title"] for c in exported["certificates"]] == ["Электрогазосварщик"]
    assert exported["certificates"][0]["scan"] == "scan.pdf"
    client.post("/candidate/privacy/delete", data={"confirm": "y",
                                                   "password": "correct-horse-9"})
    with app.app_context():
        assert db.session.scalar(select(Certificate)) is None
    assert not scan_path.exists()


@pytest.mark.parametrize("data, message", [
    ({"confirm": "y", "password": "wrong-password"}, "The password is not correct."),
    ({"password": "correct-horse-9"}, "Tick the box to confirm."),
    ({"confirm": "y", "password": ""}, "This field is required."),
    ({"confirm": "y", "password": "x" * 129}, "Field cannot be longer than 128 characters."),
])
def test_deletion_needs_the_tick_and_the_password(app, client, history, data, message):
    response = client.post("/candidate/privacy/delete", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        user = db.session.get(User, history.user.id)
        assert user.active and user.full_name == "Жасырын Есім"
    assert client.get("/candidate/").status_code == 200


def test_deletion_anonymises_keeps_hires_withdraws_the_rest_and_signs_out(app, client,
                                                                         history):
    response = client.post("/candidate/privacy/delete",
                           data={"confirm": "y", "password": history.user.password})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/candidate/").status_code == 302  # signed out
    with app.app_context():
        user = db.session.get(User, history.user.id)
        assert user.full_name == "Deleted user"
        assert user.email == f"deleted-{user.id}@invalid" and user.phone is None
        assert user.active is False and not user.password_hash.startswith("$argon2")
        profile = db.session.get(CandidateProfile, history.profile_id)
        assert profile.iin is None and profile.discoverable is False
        assert (profile.desired_title, profile.summary) == ("", "")
        assert profile.salary_expectation is None and profile.schedules == frozenset()
        assert profile.desired_occupations == []
        for model in (CandidateSkill, WorkHistoryEntry, EducationEntry, CandidateLanguage):
            assert db.session.scalar(select(model).where(
                model.profile_id == history.profile_id)) is None
        apps = history.applications
        hired = db.session.get(Application, apps.hired)
        assert hired.status is ApplicationStatus.HIRED and hired.profile_id == profile.id
        assert hired.note == ""
        assert db.session.scalar(select(Employment).where(
            Employment.application_id == apps.hired)).monthly_wage == Decimal("210000.00")
        live = db.session.get(Application, apps.live)
        assert live.status is ApplicationStatus.WITHDRAWN and live.note == ""
        assert live.events[-1].action == "withdraw"
        assert db.session.get(Application, apps.rejected).status is ApplicationStatus.REJECTED
        assert db.session.scalar(select(Disclosure)) is None
        assert db.session.scalar(select(Invitation)).status is InvitationStatus.DECLINED
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "candidate:delete_account"))
        assert event.details == {"applications_kept": 1, "applications_withdrawn": 1}
        assert db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "candidate:consent_revoked")) is not None
    # The old login no longer works, and the person may register again later.
    failed = client.post("/login", data={"identifier": history.user.login,
                                         "password": history.user.password})
    assert "Wrong login or password." in failed.get_data(as_text=True)
    with app.app_context():
        region_id = db.session.get(CandidateProfile, history.profile_id).region_id
    again = client.post("/register/candidate", data={
        "full_name": "Жасырын Есім", "phone": history.user.login, "email": "",
        "region": region_id, "password": "long-enough-1", "confirm": "long-enough-1",
        "iin": IIN, "consent": "y"})
    assert again.status_code == 302


def test_deletion_is_all_or_nothing(app, client, history, monkeypatch):
    def broken_hook(*args, **kwargs):
        raise RuntimeError("certificates store unavailable")

    monkeypatch.setattr(privacy, "erase_certificates", broken_hook)
    with pytest.raises(RuntimeError):
        client.post("/candidate/privacy/delete",
                    data={"confirm": "y", "password": history.user.password})
    with app.app_context():
        user = db.session.get(User, history.user.id)
        assert user.active and user.full_name == "Жасырын Есім"
        profile = db.session.get(CandidateProfile, history.profile_id)
        assert profile.iin == IIN and profile.discoverable and len(profile.skills) == 3
        assert db.session.get(Application, history.applications.live).status is (
            ApplicationStatus.INTERVIEW)
        assert db.session.scalar(select(Disclosure)) is not None
        assert db.session.scalar(select(Invitation)).status is InvitationStatus.PENDING
        assert db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "candidate:delete_account")) is None


def test_deletion_erases_what_staff_wrote_and_keeps_the_counted_dates(app, client, history):
    from marketplace.cases.models import (
        Case,
        CaseNote,
        CaseTask,
        ReleaseRecord,
        Reoffence,
        ReoffenceKind,
    )

    with app.app_context():
        staff_id = history.employer.id  # any account id will do as the author here
        case = Case(profile_id=history.profile_id, next_step="Позвонить матери",
                    consent_note="Подписал форму")
        case.notes.append(CaseNote(author_id=staff_id, body="NOTE-MARKER"))
        case.tasks.append(CaseTask(title="TASK-MARKER", due_on=date(2026, 12, 1)))
        db.session.add_all([case, ReleaseRecord(
            profile_id=history.profile_id, release_date=date(2026, 1, 15),
            details={"institution": "INSTITUTION-MARKER", "document": "DOC-MARKER"},
            verified_by_id=staff_id), Reoffence(
            profile_id=history.profile_id, kind=ReoffenceKind.NEW_CONVICTION,
            occurred_on=date(2026, 6, 1), details={"note": "REOFFENCE-MARKER"},
            recorded_by_id=staff_id)])
        db.session.commit()
    client.post("/candidate/privacy/delete",
                data={"confirm": "y", "password": history.user.password})
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.profile_id == history.profile_id))
        assert (case.next_step, case.consent_note) == ("", "")
        assert db.session.scalar(select(CaseNote)) is None
        assert db.session.scalar(select(CaseTask)) is None
        release = db.session.scalar(select(ReleaseRecord))
        assert release.details == {} and release.release_date == date(2026, 1, 15)
        reoffence = db.session.scalar(select(Reoffence))
        assert reoffence.details == {} and reoffence.kind is ReoffenceKind.NEW_CONVICTION
        restriction = db.session.scalar(select(CandidateRestriction))
        assert restriction.data == {} and restriction.lifted_at is not None
