"""Certificates: the transition table over every (state, action) pair, uploads typed by their
content, who may download a scan, the staff queue and review, the public page by code, and the
skills that verified certificates back in matching."""

import io
import re
from datetime import date, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from marketplace.audit.models import AuditEvent
from marketplace.auth.models import User
from marketplace.candidates.models import CandidateProfile
from marketplace.certificates import services
from marketplace.certificates.models import Certificate, CertificateStatus
from marketplace.certificates.services import (
    TRANSITIONS,
    Action,
    DuplicateCertificate,
    IllegalTransition,
    InvalidCertificate,
    NotAllowed,
)
from marketplace.db_types import utcnow
from marketplace.extensions import db
from marketplace.hiring.models import Application, ApplicationStatus
from marketplace.uploads.models import StoredFile
from tests.factories import make_candidate, make_vacancy, skill_by_code

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 64
HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"
FIVE_MB = 5 * 1024 * 1024
TODAY = date.today()


@pytest.fixture(autouse=True)
def upload_dir(app, tmp_path, monkeypatch):
    """Scans land in a folder of this test's own, never under static/ or the real instance."""
    folder = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(folder))
    return folder


@pytest.fixture
def candidate(app, make_user, skill_codes):
    user, profile_id = make_candidate(app, make_user, skill_codes)
    return user, profile_id


@pytest.fixture
def staff(make_user):
    return make_user("staff")


def _file(data: bytes, name: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


def _add(app, user_id, profile_id, *, title="Электрогазосварщик 3 разряда",
         issuer="Профессиональное училище учреждения ЕЦ-166/18", issued_on=date(2024, 5, 20),
         expires_on=None, skill_codes=(), scan=None):
    with app.app_context():
        profile = db.session.get(CandidateProfile, profile_id)
        skill_ids = [skill_by_code(code).id for code in skill_codes]
        certificate = services.add_certificate(
            profile, title=title, issuer=issuer, issued_on=issued_on, expires_on=expires_on,
            skill_ids=skill_ids, scan=scan, actor=db.session.get(User, user_id))
        db.session.commit()
        return certificate.id


def _set_state(app, certificate_id, status, staff_id=None):
    with app.app_context():
        certificate = db.session.get(Certificate, certificate_id)
        certificate.status = status
        if status is CertificateStatus.VERIFIED:
            certificate.verified_by_id = staff_id
            certificate.verified_at = utcnow()
        if status is CertificateStatus.REJECTED:
            certificate.rejection_reason = "Печать не читается"
        db.session.commit()


def _form(**overrides):
    data = {"title": "Электрогазосварщик 3 разряда",
            "issuer": "Профессиональное училище учреждения ЕЦ-166/18",
            "issued_on": "2024-05-20", "expires_on": ""}
    data.update(overrides)
    return data


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _events(action) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


# --- the transition table --------------------------------------------------------------------

EXPECTED = {
    ("pending", "edit"): "pending", ("pending", "delete"): "deleted",
    ("pending", "verify"): "verified", ("pending", "reject"): "rejected",
    ("pending", "revoke"): None,
    ("verified", "edit"): None, ("verified", "delete"): None, ("verified", "verify"): None,
    ("verified", "reject"): None, ("verified", "revoke"): "rejected",
    ("rejected", "edit"): "pending", ("rejected", "delete"): "deleted",
    ("rejected", "verify"): None, ("rejected", "reject"): None, ("rejected", "revoke"): None,
}
PAIRS = [(state, action) for state in CertificateStatus for action in Action]


def test_the_expected_table_names_every_pair():
    assert {(s.value, a.value) for s, a in PAIRS} == EXPECTED.keys()
    assert {(s.value, a.value) for s, a in TRANSITIONS} == {
        pair for pair, result in EXPECTED.items() if result is not None}


@pytest.mark.parametrize("state, action", PAIRS, ids=[f"{s}-{a}" for s, a in PAIRS])
def test_next_status_over_every_pair(state, action):
    expected = EXPECTED[(state.value, action.value)]
    if expected is None:
        with pytest.raises(IllegalTransition):
            services.next_status(state, action)
    else:
        result = services.next_status(state, action)
        assert (result.value if result else "deleted") == expected


@pytest.mark.parametrize("state, action", PAIRS, ids=[f"{s}-{a}" for s, a in PAIRS])
def test_every_service_obeys_the_table(app, candidate, staff, state, action):
    """Each (state, action) through the real service on a real row: the row ends in the
    expected state, or the move is refused and nothing changes."""
    user, profile_id = candidate
    certificate_id = _add(app, user.id, profile_id)
    _set_state(app, certificate_id, state, staff.id)
    expected = EXPECTED[(state.value, action.value)]
    with app.app_context(), force_locale("en"):
        certificate = db.session.get(Certificate, certificate_id)
        owner, reviewer = db.session.get(User, user.id), db.session.get(User, staff.id)
        calls = {
            Action.EDIT: lambda: services.edit_certificate(
                certificate, title="Сварщик", issuer="Колледж", issued_on=date(2023, 1, 1),
                expires_on=None, actor=owner),
            Action.DELETE: lambda: services.delete_certificate(certificate, actor=owner),
            Action.VERIFY: lambda: services.verify(certificate, staff=reviewer),
            Action.REJECT: lambda: services.reject(certificate, staff=reviewer, reason="Нет"),
            Action.REVOKE: lambda: services.revoke(certificate, staff=reviewer, reason="Нет"),
        }
        if expected is None:
            with pytest.raises(IllegalTransition):
                calls[action]()
            db.session.rollback()
            assert db.session.get(Certificate, certificate_id).status is state
            return
        calls[action]()
        db.session.commit()
        after = db.session.get(Certificate, certificate_id)
        assert (after.status.value if after else "deleted") == expected
        assert _events(f"certificate:{action.value}"), "every change is audited"


# --- adding ----------------------------------------------------------------------------------

def test_add_with_skills_and_scan(app, candidate, skill_codes, upload_dir):
    user, profile_id = candidate
    certificate_id = _add(app, user.id, profile_id, skill_codes=skill_codes[:2],
                          scan=_file(PDF, "диплом.pdf"))
    with app.app_context():
        certificate = db.session.get(Certificate, certificate_id)
        assert certificate.status is CertificateStatus.PENDING
        assert re.fullmatch(r"[A-Za-z0-9_-]{12}", certificate.verification_code)
        assert sorted(s.code for s in certificate.skills) == sorted(skill_codes[:2])
        stored = certificate.scan_file
        assert stored.content_type == "application/pdf" and stored.owner_id == user.id
        files = list(upload_dir.iterdir())
        assert [f.name for f in files] == [stored.storage_key]
        assert "диплом" not in stored.storage_key and files[0].read_bytes() == PDF
        event = _events("certificate:add")[0]
        assert event.actor_id == user.id and event.details["scan"] is True


def test_a_scan_written_for_a_rolled_back_transaction_is_removed(app, candidate, upload_dir):
    user, profile_id = candidate
    with app.app_context():
        services.add_certificate(db.session.get(CandidateProfile, profile_id), title="Повар",
                                 issuer="Колледж", issued_on=date(2024, 1, 1), expires_on=None,
                                 scan=_file(PDF, "a.pdf"), actor=db.session.get(User, user.id))
        assert len(list(upload_dir.iterdir())) == 1
        db.session.rollback()
    assert list(upload_dir.iterdir()) == []


def test_a_replaced_scan_leaves_the_disk_only_on_commit(app, candidate, upload_dir):
    user, profile_id = candidate
    certificate_id = _add(app, user.id, profile_id, scan=_file(PDF, "old.pdf"))
    (old,) = upload_dir.iterdir()

    def replace(commit):
        with app.app_context():
            certificate = db.session.get(Certificate, certificate_id)
            services.edit_certificate(certificate, title="Повар", issuer="Колледж",
                                      issued_on=date(2024, 1, 1), expires_on=None,
                                      scan=_file(PNG, "new.png"),
                                      actor=db.session.get(User, user.id))
            assert old.exists() and len(list(upload_dir.iterdir())) == 2
            db.session.commit() if commit else db.session.rollback()

    replace(commit=False)
    assert list(upload_dir.iterdir()) == [old]
    replace(commit=True)
    (new,) = upload_dir.iterdir()
    assert new != old and new.read_bytes() == PNG


def test_codes_are_random_and_unique(app, candidate):
    user, profile_id = candidate
    ids = [_add(app, user.id, profile_id, title=f"Курс {n}") for n in range(20)]
    with app.app_context():
        codes = {db.session.get(Certificate, i).verification_code for i in ids}
    assert len(codes) == 20


@pytest.mark.parametrize("kwargs, message", [
    ({"title": "  "}, "Enter the title of the certificate."),
    ({"issuer": ""}, "Enter who issued the certificate."),
    ({"title": "x" * 201}, "Use at most 200 characters."),
    ({"issued_on": TODAY + timedelta(days=1)}, "The issue date cannot be in the future."),
    ({"issued_on": date(2024, 5, 20), "expires_on": date(2024, 5, 19)},
     "The expiry date cannot be before the issue date."),
    ({"issued_on": None}, "Enter the date the certificate was issued."),
])
def test_invalid_certificate_is_refused_and_nothing_is_written(app, candidate, kwargs, message):
    user, profile_id = candidate
    with pytest.raises(InvalidCertificate) as refused:
        _add(app, user.id, profile_id, **kwargs)
    with app.app_context(), force_locale("en"):
        assert str(refused.value.message) == message
        assert _count(Certificate) == 0


def test_skills_must_be_the_candidates_own(app, make_user, candidate, skill_codes):
    user, profile_id = candidate
    with app.app_context():
        from marketplace.reference.models import Skill

        foreign = db.session.scalar(select(Skill.code).where(Skill.code.not_in(skill_codes)))
    with pytest.raises(InvalidCertificate) as refused:
        _add(app, user.id, profile_id, skill_codes=[foreign])
    with app.app_context(), force_locale("en"):
        assert str(refused.value.message) == "Choose skills from your own profile."


def test_same_title_issuer_and_date_is_refused_ignoring_case(app, candidate):
    user, profile_id = candidate
    _add(app, user.id, profile_id)
    with pytest.raises(DuplicateCertificate) as refused:
        _add(app, user.id, profile_id, title="ЭЛЕКТРОГАЗОСВАРЩИК 3 РАЗРЯДА")
    with app.app_context(), force_locale("ru"):
        assert str(refused.value.message).startswith("Вы уже добавили этот сертификат")
    _add(app, user.id, profile_id, issued_on=date(2024, 5, 21))  # another date is another one
    with app.app_context():
        assert _count(Certificate) == 2


def test_another_candidate_cannot_add_to_a_profile(app, make_user, candidate):
    _, profile_id = candidate
    intruder = make_user("candidate")
    with app.app_context(), pytest.raises(NotAllowed):
        _add(app, intruder.id, profile_id)


# --- uploads through the page ----------------------------------------------------------------

def _multipart(fields: dict, data: bytes, name: str) -> bytes:
    """A multipart body built in memory: for large files the test client would spool one into
    a temporary file that nobody closes (a ResourceWarning, an error under -W error)."""
    parts = [f'--b\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
             .encode() for key, value in fields.items()]
    parts.append(f'--b\r\nContent-Disposition: form-data; name="scan"; filename="{name}"\r\n'
                 "Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    return b"".join(parts) + b"--b--\r\n"


def _post_add(client, data: bytes, name="scan.pdf", **overrides):
    return client.post("/candidate/certificates", data=_multipart(_form(**overrides), data, name),
                       content_type="multipart/form-data; boundary=b")


def test_add_page_with_a_png_named_pdf_stores_a_png(app, client, login, candidate, upload_dir):
    user, _ = candidate
    login(user)
    response = _post_add(client, PNG, "certificate.pdf")
    assert response.status_code == 302
    with app.app_context():
        certificate = db.session.scalar(select(Certificate))
        assert certificate.scan_file.content_type == "image/png"
    with client.get(f"/certificates/{certificate.id}/scan") as download:
        assert download.status_code == 200 and download.data == PNG
    assert download.mimetype == "image/png"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and "certificate.png" in disposition


@pytest.mark.parametrize("data, name, message", [
    (EXE, "certificate.pdf", "Only PDF, JPEG or PNG files can be uploaded."),
    (HTML, "certificate.pdf", "Only PDF, JPEG or PNG files can be uploaded."),
    (b"%PD", "certificate.pdf", "Only PDF, JPEG or PNG files can be uploaded."),
    (b"", "certificate.pdf", "The file is empty."),
    (PDF + b"\x00" * FIVE_MB, "big.pdf", "The file is larger than 5 MB."),
], ids=["exe", "html", "truncated-magic", "empty", "over-5-MB"])
def test_disguised_or_oversize_upload_is_refused_with_a_message(app, client, login, candidate,
                                                                upload_dir, data, name, message):
    user, _ = candidate
    login(user)
    response = _post_add(client, data, name)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert "Электрогазосварщик 3 разряда" in page, "what was typed is kept"
    with app.app_context():
        assert _count(Certificate) == 0 and _count(StoredFile) == 0
    assert not upload_dir.exists() or list(upload_dir.iterdir()) == []


def test_an_upload_past_the_request_limit_gets_the_too_large_page(client, login, candidate):
    user, _ = candidate
    login(user)
    response = _post_add(client, PDF + b"\x00" * (7 * 1024 * 1024))
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_a_jpeg_is_accepted(app, client, login, candidate):
    user, _ = candidate
    login(user)
    assert _post_add(client, JPEG, "photo.JPG").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(StoredFile.content_type)) == "image/jpeg"


@pytest.mark.parametrize("overrides, message", [
    ({"title": ""}, "Enter the title of the certificate."),
    ({"issued_on": "20.05.2024"}, "Enter a date, e.g. 2025-06-30."),
    ({"issued_on": ""}, "Enter the date the certificate was issued."),
    ({"issued_on": (TODAY + timedelta(days=3)).isoformat()},
     "The issue date cannot be in the future."),
    ({"expires_on": "2020-01-01"}, "The expiry date cannot be before the issue date."),
    ({"title": "Сварка\x00"}, "Contains characters that cannot be saved."),
    ({"skills": "999999"}, "Choose skills from your own profile."),
])
def test_the_form_validates_on_the_server(app, client, login, candidate, overrides, message):
    user, _ = candidate
    login(user)
    response = client.post("/candidate/certificates", data=_form(**overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert _count(Certificate) == 0


def test_messages_are_translated(client, login, candidate):
    user, _ = candidate
    login(user)
    client.post("/language", data={"lang": "ru", "next": "/"})
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    page = client.post("/candidate/certificates",
                       data=_form(issued_on=tomorrow)).get_data(as_text=True)
    assert "The issue date cannot be in the future." not in page
    assert "Дата выдачи не может быть в будущем." in page


def test_a_double_submitted_form_creates_one_certificate(app, client, login, candidate,
                                                         skill_codes):
    user, _ = candidate
    login(user)
    with app.app_context():
        skill_id = skill_by_code(skill_codes[0]).id
    first = client.post("/candidate/certificates", data=_form(skills=str(skill_id)))
    second = client.post("/candidate/certificates", data=_form(skills=str(skill_id)))
    assert first.status_code == 302 and second.status_code == 422
    assert "You have already added this certificate" in second.get_data(as_text=True)
    with app.app_context():
        assert _count(Certificate) == 1


def test_list_shows_status_badges_and_the_skill_checkboxes(app, client, login, candidate,
                                                          staff):
    user, profile_id = candidate
    pending_id = _add(app, user.id, profile_id, title="Повар")
    verified_id = _add(app, user.id, profile_id, title="Сварщик")
    _set_state(app, verified_id, CertificateStatus.VERIFIED, staff.id)
    login(user)
    page = client.get("/candidate/certificates").get_data(as_text=True)
    assert "Waiting for verification" in page and "✓ Verified by the job centre" in page
    assert f"/candidate/certificates/{pending_id}" in page
    assert page.count('type="checkbox"') == 3, "one box per own taxonomy skill"
    assert 'enctype="multipart/form-data"' in page


# --- editing and deleting --------------------------------------------------------------------

def test_editing_a_rejected_certificate_resubmits_it_and_replaces_the_scan(
        app, client, login, candidate, staff, upload_dir):
    user, profile_id = candidate
    certificate_id = _add(app, user.id, profile_id, scan=_file(PDF, "old.pdf"))
    _set_state(app, certificate_id, CertificateStatus.REJECTED)
    with app.app_context():
        old_key = db.session.get(Certificate, certificate_id).scan_file.storage_key
    login(user)
    page = client.get(f"/candidate/certificates/{certificate_id}/edit").get_data(as_text=True)
    assert "Печать не читается" in page
    response = client.post(f"/candidate/certificates/{certificate_id}/edit",
                           data={**_form(title="Сварщик ручной дуговой сварки"),
                                 "scan": (io.BytesIO(PNG), "new.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        certificate = db.session.get(Certificate, certificate_id)
        assert certificate.status is CertificateStatus.PENDING
        assert certificate.rejection_reason is None
        assert certificate.title == "Сварщик ручной дуговой сварки"
        assert certificate.scan_file.content_type == "image/png"
        assert _count(StoredFile) == 1
        assert [f.name for f in upload_dir.iterdir()] == [certificate.scan_file.storage_key]
        assert old_key != certificate.scan_file.storage_key


def test_edit_keeps_the_scan_when_no_new_file_is_chosen(app, client, login, candidate):
    user, profile_id = candidate
    certificate_id = _add(app, user.id, profile_id, scan=_file(PDF, "a.pdf"))
    login(user)
    response = client.post(f"/candidate/certificates/{certificate_id}/edit",
                           data=_form(issuer="Колледж"))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Certificate, certificate_id).scan_file is not None


def test_edit_into_a_duplicate_is_refused(app, client, login, candidate):
    user, profile_id = candidate
    _add(app, user.id, profile_id, title="Повар")
    second = _add(app, user.id, profile_id, title="Пекарь")
    login(user)
    response = client.post(f"/candidate/certificates/{second}/edit", data=_form(title="повар"))
    assert response.status_code == 422
    assert "already added this certificate" in response.get_data(as_text=True)


def test_a_verified_certificate_cannot_be_edited_or_deleted(app, client, login, candidate,
                                                            staff):
    user, profile_id = candidate
    certificate_id = _add(app, user.id, profile_id)
    _set_state(app, certificate_id, CertificateStatus.VERIFIED, staff.id)
    login(user)
    base = f"/candidate/certificates/{certificate_id}"
    edit = client.post(f"{base}/edit", data=_form(title="Другое"), follow_redirects=True)
    assert "A verified certificate cannot be changed" in edit.get_data(as_text=True)
    delete = client.post(f"{base}/delete", follow_redirects=True)
    assert "A verified certificate cannot be deleted" in delete.get_data(as_text=True)
    with app.app_context():
        certificate = db.session.get(Certificate, certificate_id)
        assert certificate.title == "Электрогазосварщик 3 разряда"


def test_delete_removes_the_row_and_the_file(app, client, login, candidate, upload_dir):
    user, profile_id = candidate
    certificate_id = _add(app, user.id, profile_id, scan=_file(PDF, "a.pdf"))
    login(user)
    response = client.post(f"/candidate/certificates/{certificate_id}/delete")
    assert response.status_code == 302
    with app.app_context():
        assert _count(Certificate) == 0 and _count(StoredFile) == 0
        assert _events("certificate:delete")
    assert list(upload_dir.iterdir()) == []


@pytest.mark.parametrize("method, suffix", [
    ("GET", ""), ("GET", "/edit"), ("POST", "/edit"), ("POST", "/delete"), ("GET", "/card"),
])
def test_another_candidates_certificate_is_not_found(app, client, login, make_user, candidate,
                                                     staff, method, suffix):
    user, profile_id = candidate
    certificate_id = _add(app, user.id, profile_id, scan=_file(PDF, "a.pdf"))
    _set_state(app, certificate_id, CertificateStatus.VERIFIED, staff.id)  # so /card exists
    login(make_user("candidate"))
    response = client.open(f"/candidate/certificates/{certificate_id}{suffix}", method=method,
                           data=_form(title="Чужой"))
    assert response.status_code == 404
    assert "Электрогазосварщик" not in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Certificate, certificate_id).title == "Электрогазосварщик 3 разряда"


# --- downloads -------------------------------------------------------------------------------

def _apply(app, profile_id, vacancy_id, status=ApplicationStatus.APPLIED):
    with app.app_context():
        db.session.add(Application(vacancy_id=vacancy_id, profile_id=profile_id, status=status))
        db.session.commit()


@pytest.fixture
def scan_case(app, make_user, candidate, skill_codes):
    """A certificate with a scan; an employer it applied to and one it did not."""
    user, profile_id = candidate
    certificate_id = _add(app, user.id, profile_id, scan=_file(PDF, "a.pdf"))
    applied, other = make_user("employer"), make_user("employer")
    _apply(app, profile_id, make_vacancy(app, applied, skill_codes))
    make_vacancy(app, other, skill_codes)
    return {"certificate_id": certificate_id, "owner": user, "applied": applied,
            "not_applied": other, "profile_id": profile_id}


@pytest.mark.parametrize("who, expected", [
    ("owner", 200), ("other_candidate", 404), ("applied", 200), ("not_applied", 404),
    ("staff", 200), ("staff_elsewhere", 404), ("admin", 200),
])
def test_download_access_matrix(app, client, login, make_user, scan_case, who, expected):
    user = scan_case.get(who) or {
        "other_candidate": lambda: make_user("candidate"),
        "staff": lambda: make_user("staff"),
        "staff_elsewhere": lambda: make_user("staff", region_code="KZ-ALA"),
        "admin": lambda: make_user("admin"),
    }[who]()
    login(user)
    with client.get(f"/certificates/{scan_case['certificate_id']}/scan") as response:
        assert response.status_code == expected
        body = response.data
    with app.app_context():
        events = _events("certificate:download")
        if expected == 200:
            assert body == PDF
            assert response.headers["Content-Disposition"].startswith("attachment")
            assert [e.actor_id for e in events] == [user.id]
        else:
            assert events == []


def test_anonymous_download_goes_to_sign_in(client, scan_case):
    response = client.get(f"/certificates/{scan_case['certificate_id']}/scan")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_withdrawn_application_no_longer_opens_the_scan(app, client, login, make_user,
                                                          candidate, skill_codes):
    user, profile_id = candidate
    certificate_id = _add(app, user.id, profile_id, scan=_file(PDF, "a.pdf"))
    employer = make_user("employer")
    _apply(app, profile_id, make_vacancy(app, employer, skill_codes),
           status=ApplicationStatus.WITHDRAWN)
    login(employer)
    assert client.get(f"/certificates/{certificate_id}/scan").status_code == 404


def test_a_certificate_without_a_scan_has_nothing_to_download(app, client, login, candidate):
    user, profile_id = candidate
    certificate_id = _add(app, user.id, profile_id)
    login(user)
    assert client.get(f"/certificates/{certificate_id}/scan").status_code == 404


def test_scans_are_not_under_static(app, client, login, candidate, upload_dir):
    user, profile_id = candidate
    certificate_id = _add(app, user.id, profile_id, scan=_file(PDF, "a.pdf"))
    with app.app_context():
        key = db.session.get(Certificate, certificate_id).scan_file.storage_key
    assert client.get(f"/static/{key}").status_code == 404
    assert "static" not in str(upload_dir)


# --- the job centre --------------------------------------------------------------------------

def test_queue_lists_the_regions_pending_certificates_oldest_first_with_age(
        app, client, login, make_user, candidate, staff):
    user, profile_id = candidate
    old_id = _add(app, user.id, profile_id, title="Старый сертификат")
    new_id = _add(app, user.id, profile_id, title="Новый сертификат")
    done_id = _add(app, user.id, profile_id, title="Уже проверенный")
    _set_state(app, done_id, CertificateStatus.VERIFIED, staff.id)
    elsewhere = make_user("candidate", region_code="KZ-ALA")
    with app.app_context():
        other_profile = db.session.scalar(select(CandidateProfile.id).where(
            CandidateProfile.user_id == elsewhere.id))
        old = db.session.get(Certificate, old_id)
        old.submitted_at = old.submitted_at - timedelta(days=9)
        db.session.commit()
    _add(app, elsewhere.id, other_profile, title="Из другого региона")
    login(staff)
    page = client.get("/staff/certificates").get_data(as_text=True)
    assert page.index("Старый сертификат") < page.index("Новый сертификат")
    assert "9 days" in page and "0 days" in page
    assert "Уже проверенный" not in page and "Из другого региона" not in page
    assert f"/staff/certificates/{new_id}" in page
    verified = client.get("/staff/certificates?status=verified").get_data(as_text=True)
    assert "Уже проверенный" in verified and "Новый сертификат" not in verified
    assert client.get("/staff/certificates?status=nonsense").status_code == 200


def test_staff_verify_then_a_second_click_changes_nothing(app, client, login, candidate,
                                                          staff):
    user, profile_id = candidate
    certificate_id = _add(app, user.id, profile_id)
    login(staff)
    page = client.get(f"/staff/certificates/{certificate_id}").get_data(as_text=True)
    assert "Verify certificate" in page and "Reject certificate" in page
    assert client.post(f"/staff/certificates/{certificate_id}/verify").status_code == 302
    again = client.post(f"/staff/certificates/{certificate_id}/verify", follow_redirects=True)
    assert "Only a certificate waiting for verification can be verified." in again.get_data(
        as_text=True)
    with app.app_context():
        certificate = db.session.get(Certificate, certificate_id)
        assert certificate.status is CertificateStatus.VERIFIED
        assert certificate.verified_by_id == staff.id and certificate.verified_at is not None
        assert len(_events("certificate:verify")) == 1


def test_reject_needs_a_reason_that_the_candidate_then_sees(app, client, login, candidate,
                                                            staff):
    user, profile_id = candidate
    certificate_id = _add(app, user.id, profile_id)
    login(staff)
    empty = client.post(f"/staff/certificates/{certificate_id}/reject",
                        data={"reject-reason": "   "})
    assert empty.status_code == 422
    assert "Give the reason, so the candidate knows what to fix." in empty.get_data(as_text=True)
    done = client.post(f"/staff/certificates/{certificate_id}/reject",
                       data={"reject-reason": "Печать не читается, принесите оригинал"})
    assert done.status_code == 302
    with app.app_context():
        event = _events("certificate:reject")[0]
        assert event.actor_id == staff.id
    client.post("/logout")
    login(user)
    page = client.get(f"/candidate/certificates/{certificate_id}").get_data(as_text=True)
    assert "Печать не читается, принесите оригинал" in page
    assert "Not accepted by the job centre" in page


def test_revoke_needs_a_reason_and_the_public_page_follows(app, client, login, candidate,
                                                          staff):
    user, profile_id = candidate
    certificate_id = _add(app, user.id, profile_id)
    login(staff)
    client.post(f"/staff/certificates/{certificate_id}/verify")
    assert "Withdraw verification" in client.get(
        f"/staff/certificates/{certificate_id}").get_data(as_text=True)
    empty = client.post(f"/staff/certificates/{certificate_id}/revoke",
                        data={"revoke-reason": ""})
    assert empty.status_code == 422
    client.post(f"/staff/certificates/{certificate_id}/revoke",
                data={"revoke-reason": "Учреждение отозвало сертификат"})
    with app.app_context():
        certificate = db.session.get(Certificate, certificate_id)
        assert certificate.status is CertificateStatus.REJECTED
        assert certificate.verified_by_id is None and _events("certificate:revoke")
        code = certificate.verification_code
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "Not verified: a job centre has not confirmed this certificate." in page
    assert "Учреждение отозвало" not in page, "the reason stays internal"


def test_staff_of_another_region_cannot_review(app, client, login, make_user, candidate):
    user, profile_id = candidate
    certificate_id = _add(app, user.id, profile_id)
    outsider = make_user("staff", region_code="KZ-ALA")
    login(outsider)
    assert client.get(f"/staff/certificates/{certificate_id}").status_code == 404
    assert client.post(f"/staff/certificates/{certificate_id}/verify").status_code == 404
    with app.app_context(), pytest.raises(NotAllowed):
        services.verify(db.session.get(Certificate, certificate_id),
                        staff=db.session.get(User, outsider.id))


def test_only_staff_verify(app, candidate):
    user, profile_id = candidate
    certificate_id = _add(app, user.id, profile_id)
    with app.app_context(), pytest.raises(NotAllowed):
        services.verify(db.session.get(Certificate, certificate_id),
                        staff=db.session.get(User, user.id))


# --- the public page and the card ------------------------------------------------------------

def _verified(app, client, login, candidate, staff, **kwargs):
    user, profile_id = candidate
    certificate_id = _add(app, user.id, profile_id, **kwargs)
    with app.app_context():
        certificate = db.session.get(Certificate, certificate_id)
        services.verify(certificate, staff=db.session.get(User, staff.id))
        db.session.commit()
        return certificate_id, certificate.verification_code


def test_public_page_shows_the_certificate_and_nothing_personal(app, client, login, make_user,
                                                                 staff, skill_codes):
    user = make_user("candidate", full_name="Айбек Секретов", iin="900101300017",
                     email="aibek@example.kz")
    with app.app_context():
        profile_id = db.session.scalar(select(CandidateProfile.id).where(
            CandidateProfile.user_id == user.id))
    _, code = _verified(app, client, login, (user, profile_id), staff,
                        expires_on=date(2030, 1, 1))
    response = client.get(f"/verify/{code}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["X-Robots-Tag"] == "noindex"
    assert "Электрогазосварщик 3 разряда" in page
    assert "Профессиональное училище учреждения ЕЦ-166/18" in page
    assert "Verified by a job centre on" in page
    assert "May 20, 2024" in page and "Jan 1, 2030" in page
    for personal in ("Айбек", "Секретов", "900101300017", "aibek@example.kz", "+7702"):
        assert personal not in page


def test_public_page_says_when_a_verified_certificate_has_expired(app, client, login,
                                                                  candidate, staff):
    _, code = _verified(app, client, login, candidate, staff, issued_on=date(2020, 1, 1),
                        expires_on=date(2021, 1, 1))
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "but it expired on Jan 1, 2021" in page


def test_public_page_of_a_pending_certificate_says_not_verified(app, client, candidate):
    user, profile_id = candidate
    certificate_id = _add(app, user.id, profile_id)
    with app.app_context():
        code = db.session.get(Certificate, certificate_id).verification_code
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "Not verified yet" in page and "Verified by a job centre on" not in page


@pytest.mark.parametrize("code", ["no-such-code", "x" * 200, "%00", "' OR 1=1 --"])
def test_unknown_code_gets_a_friendly_404(client, code):
    response = client.get(f"/verify/{code}")
    assert response.status_code == 404
    assert "Certificate not found" in response.get_data(as_text=True)


def test_code_form_leads_to_the_page(client):
    response = client.get("/verify?code=+abc123+")
    assert response.status_code == 302 and response.headers["Location"] == "/verify/abc123"
    assert "Enter the code printed on the card." in client.get("/verify?code=").get_data(
        as_text=True)


def test_printable_card_has_an_inline_qr_code_to_the_public_page(app, client, login,
                                                                 candidate, staff):
    certificate_id, code = _verified(app, client, login, candidate, staff)
    login(candidate[0])
    response = client.get(f"/candidate/certificates/{certificate_id}/card")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    svg = re.search(r"<svg[^>]*>.*?</svg>", page, re.S).group(0)
    assert 'role="img"' in svg and 'aria-label="QR code linking to the verification page"' in svg
    assert "<path" in svg and "<script" not in svg
    assert f"http://localhost/verify/{code}" in page
    assert "css/certificates.css" in page
    assert "Content-Security-Policy" in response.headers


def test_card_of_an_unverified_certificate_is_not_printed(app, client, login, candidate):
    user, profile_id = candidate
    certificate_id = _add(app, user.id, profile_id)
    login(user)
    response = client.get(f"/candidate/certificates/{certificate_id}/card",
                          follow_redirects=True)
    assert "The card can be printed once the job centre has verified" in response.get_data(
        as_text=True)


def test_verified_badges_macro(app, client, login, candidate, staff):
    from flask import render_template_string

    _verified(app, client, login, candidate, staff)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        profile = db.session.get(CandidateProfile, candidate[1])
        html = render_template_string(
            '{% from "certificates/_badges.html" import certificate_badges %}'
            "{{ certificate_badges(profile) }}", profile=profile)
    assert "✓ Verified certificate" in html and "Электрогазосварщик 3 разряда" in html


# --- matching --------------------------------------------------------------------------------

def test_certified_skill_codes_come_from_verified_unexpired_certificates(
        app, client, login, make_user, candidate, staff, skill_codes):
    user, profile_id = candidate
    a, b, c = skill_codes
    _verified(app, client, login, candidate, staff, title="Действующий", skill_codes=[a])
    _verified(app, client, login, candidate, staff, title="Истёкший", skill_codes=[b],
              issued_on=date(2020, 1, 1), expires_on=date(2021, 1, 1))
    _add(app, user.id, profile_id, title="Не проверен", skill_codes=[c])
    revoked_id, _ = _verified(app, client, login, candidate, staff, title="Отозван",
                              skill_codes=[c])
    other = make_user("candidate")
    with app.app_context():
        services.revoke(db.session.get(Certificate, revoked_id),
                        staff=db.session.get(User, staff.id), reason="Подделка")
        db.session.commit()
        other_id = db.session.scalar(select(CandidateProfile.id).where(
            CandidateProfile.user_id == other.id))
        codes = services.certified_skill_codes(p for p in (profile_id, other_id))
        assert codes == {profile_id: {a}, other_id: set()}
        assert services.certified_skill_codes([profile_id], today=date(2020, 6, 1)) == {
            profile_id: {a, b}}
        assert services.certified_skill_codes([]) == {}


def test_verifying_tells_the_matching_index(app, client, login, candidate, staff):
    from marketplace.matches.models import MatchChange

    _, profile_id = candidate
    _verified(app, client, login, candidate, staff)
    with app.app_context():
        assert db.session.scalar(select(MatchChange).where(
            MatchChange.entity == "candidate", MatchChange.entity_id == profile_id))


def test_the_candidate_is_told_when_staff_decide(app, client, make_user, login):
    """Verification, rejection and revocation each reach the candidate as a notification."""
    from marketplace.notifications.models import Notification

    certificates = services
    candidate = make_user("candidate", region_code="KZ-AST")
    staff = make_user("staff", region_code="KZ-AST")
    with app.test_request_context():
        profile = db.session.scalar(select(CandidateProfile).where(
            CandidateProfile.user_id == candidate.id))
        owner, reviewer = db.session.get(User, candidate.id), db.session.get(User, staff.id)
        first = certificates.add_certificate(profile, title="Повар", issuer="Колледж",
                                             issued_on=date(2025, 1, 1), expires_on=None,
                                             actor=owner)
        second = certificates.add_certificate(profile, title="Пекарь", issuer="Колледж",
                                              issued_on=date(2025, 2, 1), expires_on=None,
                                              actor=owner)
        certificates.verify(first, staff=reviewer)
        certificates.reject(second, staff=reviewer, reason="Нет печати")
        certificates.revoke(first, staff=reviewer, reason="Подделка")
        db.session.commit()
        kinds = db.session.scalars(select(Notification.kind).where(
            Notification.user_id == candidate.id).order_by(Notification.id)).all()
    assert kinds == ["certificate_verified", "certificate_rejected", "certificate_revoked"]
    login(candidate)
    page = client.get("/notifications/").get_data(as_text=True)
    assert "did not verify your certificate “Пекарь”: Нет печати" in page
