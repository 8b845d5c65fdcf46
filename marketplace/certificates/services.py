"""Certificate rules: adding and editing by the candidate, review by job-centre staff, who may
download a scan, the public check by code, and the skills that verified certificates back.

Every state change goes through one transition table; services flush, write an audit event and
raise a named DomainError (nothing is written then); the request commits once.
"""

import enum
import re
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from marketplace.audit.services import record
from marketplace.auth.models import Role, User
from marketplace.candidates.models import CandidateProfile
from marketplace.certificates.models import Certificate, CertificateStatus, certificate_skill
from marketplace.db_types import utcnow
from marketplace.employers.models import OrganisationMember, Vacancy
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.hiring.models import Application, ApplicationStatus
from marketplace.notifications.services import link_to, notify
from marketplace.reference.models import Skill
from marketplace.uploads import services as uploads

TEXT_MAX = 200  # title and issuer
REASON_MAX = 2000
_DUPLICATE = _l("You have already added this certificate (same title, issuer and date).")


class CertificateError(DomainError):
    """Base of every certificate rule violation."""


class InvalidCertificate(CertificateError):
    pass


class DuplicateCertificate(CertificateError):
    pass


class IllegalTransition(CertificateError):
    pass


class NotAllowed(CertificateError):
    pass


class Action(enum.StrEnum):
    EDIT = "edit"        # the owner changes or resubmits it
    DELETE = "delete"    # the owner removes it
    VERIFY = "verify"    # staff confirm it
    REJECT = "reject"    # staff refuse it, with a reason
    REVOKE = "revoke"    # staff withdraw an earlier verification, with a reason


_P, _V, _R = CertificateStatus.PENDING, CertificateStatus.VERIFIED, CertificateStatus.REJECTED
DELETED = None  # the "state" after a delete: the row is gone

# (state, action) → next state. Every pair not listed is refused with IllegalTransition.
TRANSITIONS: dict[tuple[CertificateStatus, Action], CertificateStatus | None] = {
    (_P, Action.EDIT): _P,
    (_P, Action.DELETE): DELETED,
    (_P, Action.VERIFY): _V,
    (_P, Action.REJECT): _R,
    (_R, Action.EDIT): _P,        # resubmission: back to the staff queue
    (_R, Action.DELETE): DELETED,
    (_V, Action.REVOKE): _R,
}

_REFUSALS = {
    Action.EDIT: _l("A verified certificate cannot be changed. Ask your job centre if something "
                    "in it is wrong."),
    Action.DELETE: _l("A verified certificate cannot be deleted. Ask your job centre if it "
                      "should be withdrawn."),
    Action.VERIFY: _l("Only a certificate waiting for verification can be verified."),
    Action.REJECT: _l("Only a certificate waiting for verification can be rejected."),
    Action.REVOKE: _l("Only a verified certificate can have its verification withdrawn."),
}


def next_status(status: CertificateStatus, action: Action) -> CertificateStatus | None:
    """The state after `action`; raises IllegalTransition for a move the table does not allow."""
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise IllegalTransition(_REFUSALS[action], status=status.value,
                                action=action.value) from None


# --- reading ---------------------------------------------------------------------------------

def certificates_of(profile_id: int) -> list[Certificate]:
    return list(db.session.scalars(
        select(Certificate).where(Certificate.profile_id == profile_id)
        .options(selectinload(Certificate.skills))
        .order_by(Certificate.issued_on.desc(), Certificate.id.desc())))


def verified_certificates(profile_id: int) -> list[Certificate]:
    """For the badges on a profile: verified ones, expired ones included (the page says so)."""
    return [c for c in certificates_of(profile_id) if c.status is CertificateStatus.VERIFIED]


def certificate_of_owner(user: User, certificate_id: int) -> Certificate | None:
    """The certificate if it belongs to `user`'s own profile, else None (the view answers 404)."""
    return db.session.scalar(
        select(Certificate).join(CandidateProfile)
        .where(Certificate.id == certificate_id, CandidateProfile.user_id == user.id))


_CODE = re.compile(r"[A-Za-z0-9_-]{1,32}")


def by_code(code: str) -> Certificate | None:
    """The certificate with this public code; None for anything that cannot be one."""
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        return None
    return db.session.scalar(select(Certificate).where(Certificate.verification_code == code))


def own_skill_choices(profile: CandidateProfile) -> list[Skill]:
    """The taxonomy skills on the candidate's profile: the ones a certificate may back."""
    skills = {entry.skill.id: entry.skill for entry in profile.skills if entry.skill}
    return sorted(skills.values(), key=lambda skill: skill.name.casefold())


# --- the candidate's side --------------------------------------------------------------------

def _today(today: date | None) -> date:
    return today or date.today()


def _clean_text(value, *, field: str, missing) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidCertificate(missing, field=field)
    if len(value) > TEXT_MAX:
        raise InvalidCertificate(_l("Use at most %(max)d characters.", max=TEXT_MAX),
                                 field=field)
    return value


def _check_dates(issued_on: date | None, expires_on: date | None, today: date) -> None:
    if issued_on is None:
        raise InvalidCertificate(_l("Enter the date the certificate was issued."),
                                 field="issued_on")
    if issued_on > today:
        raise InvalidCertificate(_l("The issue date cannot be in the future."),
                                 field="issued_on")
    if expires_on is not None and expires_on < issued_on:
        raise InvalidCertificate(_l("The expiry date cannot be before the issue date."),
                                 field="expires_on")


def _own_skills(profile: CandidateProfile, skill_ids) -> list[Skill]:
    allowed = {skill.id: skill for skill in own_skill_choices(profile)}
    wanted = set(skill_ids or ())
    if not wanted <= allowed.keys():
        raise InvalidCertificate(_l("Choose skills from your own profile."), field="skills")
    return sorted((allowed[i] for i in wanted), key=lambda skill: skill.code)


def _ensure_unique(profile, title, issuer, issued_on, *, except_id=None) -> None:
    """Same title, issuer and date on one profile, ignoring case (in Python: SQLite's lower()
    folds ASCII only, and these are mostly Cyrillic)."""
    same_day = db.session.scalars(select(Certificate).where(
        Certificate.profile_id == profile.id, Certificate.issued_on == issued_on))
    for other in same_day:
        if other.id != except_id and (other.title.casefold(), other.issuer.casefold()) == (
                title.casefold(), issuer.casefold()):
            raise DuplicateCertificate(_DUPLICATE, field="title")


def _ensure_owner_or_staff(certificate_profile: CandidateProfile, actor: User) -> None:
    if actor.role is Role.STAFF or actor.id == certificate_profile.user_id:
        return
    raise NotAllowed(_l("You cannot change this certificate."))


def _has_file(scan) -> bool:
    return scan is not None and bool(getattr(scan, "filename", None))


def _validated(profile, *, title, issuer, issued_on, expires_on, skill_ids, today,
               except_id=None) -> dict:
    title = _clean_text(title, field="title",
                        missing=_l("Enter the title of the certificate."))
    issuer = _clean_text(issuer, field="issuer",
                         missing=_l("Enter who issued the certificate."))
    _check_dates(issued_on, expires_on, _today(today))
    skills = _own_skills(profile, skill_ids)
    _ensure_unique(profile, title, issuer, issued_on, except_id=except_id)
    return {"title": title, "issuer": issuer, "issued_on": issued_on,
            "expires_on": expires_on, "skills": skills}


def _flush_or_duplicate() -> None:
    """The unique constraint catches a double submit that raced past the check above (the
    caller rolls back, which also removes a scan written for it)."""
    try:
        db.session.flush()
    except IntegrityError:
        raise DuplicateCertificate(_DUPLICATE, field="title") from None


def add_certificate(profile: CandidateProfile, *, title: str, issuer: str, issued_on: date,
                    expires_on: date | None, skill_ids=(), scan=None, actor: User,
                    today: date | None = None) -> Certificate:
    """A new certificate waiting for verification, with an optional scan (PDF/JPEG/PNG ≤ 5 MB,
    type read from the content). Raises InvalidCertificate, DuplicateCertificate, UploadRejected
    or NotAllowed; nothing is written then."""
    _ensure_owner_or_staff(profile, actor)
    fields = _validated(profile, title=title, issuer=issuer, issued_on=issued_on,
                        expires_on=expires_on, skill_ids=skill_ids, today=today)
    stored = uploads.save_upload(scan, owner=profile.user) if _has_file(scan) else None
    certificate = Certificate(profile=profile, scan_file=stored,
                              status=CertificateStatus.PENDING, **fields)
    db.session.add(certificate)
    _flush_or_duplicate()
    record("certificate:add", certificate, actor=actor, profile_id=profile.id,
           scan=stored is not None, skills=[s.code for s in fields["skills"]])
    return certificate


def edit_certificate(certificate: Certificate, *, title: str, issuer: str, issued_on: date,
                     expires_on: date | None, skill_ids=(), scan=None, actor: User,
                     today: date | None = None) -> Certificate:
    """Change a pending or rejected certificate; a rejected one goes back to the staff queue.
    A new scan replaces the old one. Raises IllegalTransition for a verified certificate, and
    the errors of add_certificate."""
    _ensure_owner_or_staff(certificate.profile, actor)
    status = next_status(certificate.status, Action.EDIT)
    fields = _validated(certificate.profile, title=title, issuer=issuer, issued_on=issued_on,
                        expires_on=expires_on, skill_ids=skill_ids, today=today,
                        except_id=certificate.id)
    old_file = certificate.scan_file
    stored = (uploads.save_upload(scan, owner=certificate.profile.user)
              if _has_file(scan) else None)
    previous = certificate.status
    for name, value in fields.items():
        setattr(certificate, name, value)
    if stored is not None:
        certificate.scan_file = stored
    certificate.status, certificate.rejection_reason = status, None
    if previous is not status:
        certificate.submitted_at = utcnow()
    _flush_or_duplicate()
    if stored is not None and old_file is not None:
        uploads.delete_stored(old_file)
    record("certificate:edit", certificate, actor=actor, profile_id=certificate.profile_id,
           from_status=previous.value, to_status=status.value, new_scan=stored is not None)
    db.session.flush()
    return certificate


def delete_certificate(certificate: Certificate, *, actor: User) -> None:
    """Remove a pending or rejected certificate and its scan; raises IllegalTransition for a
    verified one."""
    _ensure_owner_or_staff(certificate.profile, actor)
    next_status(certificate.status, Action.DELETE)
    stored = certificate.scan_file
    record("certificate:delete", certificate, actor=actor, profile_id=certificate.profile_id,
           status=certificate.status.value)
    db.session.delete(certificate)
    db.session.flush()
    if stored is not None:
        uploads.delete_stored(stored)
        db.session.flush()


# --- the job centre's side -------------------------------------------------------------------

def can_review(user: User | None, certificate: Certificate) -> bool:
    """Staff review the certificates of candidates in their own region."""
    return (user is not None and user.role is Role.STAFF and user.region_id is not None
            and certificate.profile.region_id == user.region_id)


def _ensure_reviewer(user: User, certificate: Certificate) -> None:
    if not can_review(user, certificate):
        raise NotAllowed(_l("Only job-centre staff of the candidate's region can review this "
                            "certificate."))


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidCertificate(_l("Give the reason, so the candidate knows what to fix."),
                                 field="reason")
    if len(reason) > REASON_MAX:
        raise InvalidCertificate(_l("Use at most %(max)d characters.", max=REASON_MAX),
                                 field="reason")
    return reason


def _matching_changed(certificate: Certificate) -> None:
    # Verified certificates weigh in the rankings: let the index pick up the candidate again.
    from marketplace.matches.changes import record_change

    record_change("candidate", certificate.profile_id)


def _tell_candidate(certificate: Certificate, kind: str, **params) -> None:
    notify(certificate.profile.user, kind, title=certificate.title,
           link=link_to("certificates.detail", certificate_id=certificate.id), **params)


def verify(certificate: Certificate, *, staff: User) -> Certificate:
    """Pending → verified. Raises NotAllowed or IllegalTransition (e.g. a second click)."""
    _ensure_reviewer(staff, certificate)
    certificate.status = next_status(certificate.status, Action.VERIFY)
    certificate.verified_by_id, certificate.verified_at = staff.id, utcnow()
    certificate.rejection_reason = None
    record("certificate:verify", certificate, actor=staff, profile_id=certificate.profile_id)
    _matching_changed(certificate)
    db.session.flush()
    _tell_candidate(certificate, "certificate_verified")
    return certificate


def reject(certificate: Certificate, *, staff: User, reason: str) -> Certificate:
    """Pending → rejected with a reason the candidate sees. Raises InvalidCertificate (no
    reason), NotAllowed or IllegalTransition."""
    _ensure_reviewer(staff, certificate)
    reason = _reason(reason)
    certificate.status = next_status(certificate.status, Action.REJECT)
    certificate.rejection_reason = reason
    record("certificate:reject", certificate, actor=staff, profile_id=certificate.profile_id,
           reason=reason)
    db.session.flush()
    _tell_candidate(certificate, "certificate_rejected", reason=reason)
    return certificate


def revoke(certificate: Certificate, *, staff: User, reason: str) -> Certificate:
    """Verified → rejected (e.g. found to be forged); the public page then says so. Raises
    InvalidCertificate (no reason), NotAllowed or IllegalTransition."""
    _ensure_reviewer(staff, certificate)
    reason = _reason(reason)
    certificate.status = next_status(certificate.status, Action.REVOKE)
    certificate.rejection_reason = reason
    certificate.verified_by_id = certificate.verified_at = None
    record("certificate:revoke", certificate, actor=staff, profile_id=certificate.profile_id,
           reason=reason)
    _matching_changed(certificate)
    db.session.flush()
    _tell_candidate(certificate, "certificate_revoked", reason=reason)
    return certificate


def review_queue_query(region_id: int, *,
                       status: CertificateStatus = CertificateStatus.PENDING) -> Select:
    """The region's certificates in one state: pending ones oldest first (the queue), the
    others most recently changed first."""
    order = (Certificate.submitted_at.asc() if status is CertificateStatus.PENDING
             else Certificate.updated_at.desc())
    return (select(Certificate).join(CandidateProfile)
            .where(CandidateProfile.region_id == region_id, Certificate.status == status)
            .order_by(order, Certificate.id))


def age_in_days(certificate: Certificate, today: date | None = None) -> int:
    return max(0, (_today(today) - certificate.submitted_at.date()).days)


# --- downloads -------------------------------------------------------------------------------

def _employer_of_an_application(user: User, profile_id: int) -> bool:
    """`user` belongs to the organisation of a vacancy the candidate applied to (a withdrawn
    application no longer counts: the candidate took it back)."""
    return bool(db.session.scalar(select(exists().where(
        Application.profile_id == profile_id,
        Application.status != ApplicationStatus.WITHDRAWN,
        Application.vacancy_id == Vacancy.id,
        OrganisationMember.organisation_id == Vacancy.organisation_id,
        OrganisationMember.user_id == user.id))))


def can_download(user: User | None, certificate: Certificate) -> bool:
    """Who may download the scan: the owner, staff of the candidate's region, administrators,
    and members of an organisation the candidate applied to. Nobody else (the view answers
    404)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.role is Role.ADMIN:
        return True
    if user.role is Role.STAFF:
        return user.region_id is not None and user.region_id == certificate.profile.region_id
    if user.role is Role.CANDIDATE:
        return certificate.profile.user_id == user.id
    if user.role is Role.EMPLOYER:
        return _employer_of_an_application(user, certificate.profile_id)
    return False


def download(certificate: Certificate, *, user: User):
    """The scan as an attachment, audited; the caller has checked can_download."""
    stored = certificate.scan_file
    record("certificate:download", certificate, actor=user, profile_id=certificate.profile_id,
           file_id=stored.id, role=user.role.value)
    return uploads.send_stored(stored)


# --- matching --------------------------------------------------------------------------------

# Profiles per statement: an IN list never grows with the number of profiles asked about.
ID_CHUNK = 1_000


def certified_skill_codes(profile_ids, today: date | None = None) -> dict[int, set[str]]:
    """{profile_id: codes of skills backed by a verified, unexpired certificate}, with an entry
    (maybe empty) for every profile asked about."""
    ids = list(profile_ids)
    result: dict[int, set[str]] = {pid: set() for pid in ids}
    for start in range(0, len(ids), ID_CHUNK):
        chunk = ids[start:start + ID_CHUNK]
        for profile_id, codes in _certified(Certificate.profile_id.in_(chunk), today).items():
            result[profile_id] |= codes
    return result


def certified_skill_codes_in_range(first_id: int, last_id: int, today: date | None = None
                                   ) -> dict[int, set[str]]:
    """The same for profiles with an id from `first_id` to `last_id` (a bulk build); only
    profiles with a certified skill have an entry."""
    return _certified(Certificate.profile_id.between(first_id, last_id), today)


def _certified(condition, today: date | None) -> dict[int, set[str]]:
    rows = db.session.execute(
        select(Certificate.profile_id, Skill.code)
        .join(certificate_skill, certificate_skill.c.certificate_id == Certificate.id)
        .join(Skill, Skill.id == certificate_skill.c.skill_id)
        .where(condition, Certificate.status == CertificateStatus.VERIFIED,
               (Certificate.expires_on.is_(None)) | (Certificate.expires_on >= _today(today))))
    result: dict[int, set[str]] = {}
    for profile_id, code in rows:
        result.setdefault(profile_id, set()).add(code)
    return result
