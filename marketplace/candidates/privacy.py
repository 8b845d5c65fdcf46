"""A candidate's own data: a full JSON export, and deletion of the account on request.

Deletion anonymises rather than removes rows that other records need: the account and profile
rows stay (emptied), applications that led to an employment stay (subsidy audits build on them)
pointing to the anonymised profile, live applications are withdrawn. Everything happens in one
flush-only service, so the request's single commit makes it all or nothing.
"""

import json
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from marketplace.audit.models import AuditEvent
from marketplace.audit.services import record
from marketplace.auth.models import User
from marketplace.auth.passwords import verify_password
from marketplace.candidates.models import CandidateProfile
from marketplace.db_types import utcnow
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.hiring import services as hiring
from marketplace.hiring.models import (
    LIVE_STATUSES,
    Application,
    Disclosure,
    Employment,
    Invitation,
    InvitationStatus,
    OfferWithdrawal,
)

EXPORT_FORMAT = "jumys-bar-candidate-export/1"
CONSENT_ACTIONS = ("candidate:register", "candidate:consent_given", "candidate:consent_revoked")
DELETED_NAME = "Deleted user"  # stored, so not translated
# Not an argon2 hash: verify_password() refuses every password against it.
UNUSABLE_PASSWORD_HASH = "!account-deleted"  # noqa: S105 - a marker, not a secret


class WrongPassword(DomainError):
    pass


def deleted_email(user: User) -> str:
    """Keeps the account's e-mail-or-phone CHECK; `.invalid` can never receive mail."""
    return f"deleted-{user.id}@invalid"


# --- export --------------------------------------------------------------------------------

def _value(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row(obj, *names) -> dict:
    return {name: _value(getattr(obj, name)) for name in names}


def _named(row) -> dict | None:
    return {"code": row.code, "name": row.name} if row is not None else None


def _account(user: User) -> dict:  # never the password hash
    return _row(user, "id", "full_name", "email", "phone", "role", "locale", "active",
                "created_at", "last_login_at", "password_changed_at")


def _profile(profile: CandidateProfile) -> dict:
    data = _row(profile, "iin", "desired_title", "summary", "experience_years", "available_from",
                "salary_expectation", "willing_to_relocate", "discoverable", "created_at",
                "updated_at")
    data.update(region=_named(profile.region), city=_named(profile.city),
                desired_occupations=[_named(o) for o in profile.desired_occupations],
                schedules=sorted(profile.schedules))
    return data


def _entries(profile: CandidateProfile) -> dict:
    return {
        "skills": [{"skill": _named(e.skill), "own_wording": e.free_text, "level": e.level,
                    "years": e.years} for e in profile.skills],
        "work_history": [{**_row(e, "employer_name", "job_title", "started_on", "ended_on",
                                 "description"), "occupation": _named(e.occupation)}
                         for e in profile.work_history],
        "education": [_row(e, "institution", "level", "specialty", "finished_year")
                      for e in profile.education],
        "languages": [_row(e, "language", "name", "level") for e in profile.languages],
    }


def _consent_history(profile: CandidateProfile) -> list[dict]:
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == CandidateProfile.__tablename__,
        AuditEvent.object_id == str(profile.id),
        AuditEvent.action.in_(CONSENT_ACTIONS)).order_by(AuditEvent.id))
    return [{"at": _value(e.created_at), "action": e.action,
             "consent": e.details.get("consent", "processing")} for e in events]


def _by(user: User, actor: User | None) -> str:
    if actor is None:
        return "system"
    return "you" if actor.id == user.id else actor.role.value


def _application(user: User, application: Application) -> dict:
    vacancy = application.vacancy
    data = _row(application, "id", "status", "note", "via_invitation", "rejection_reason",
                "offer_response", "offer_responded_at", "created_at", "updated_at")
    data["vacancy"] = {"id": vacancy.id, "title": vacancy.title,
                       "organisation": vacancy.organisation.name}
    data["events"] = [{**_row(e, "created_at", "action", "from_status", "to_status", "reason"),
                       "by": _by(user, e.actor)} for e in application.events]
    disclosure = db.session.scalar(select(Disclosure).where(
        Disclosure.application_id == application.id))
    if disclosure is not None:
        data["disclosure"] = {**disclosure.content, "shared_at": _value(disclosure.shared_at)}
    withdrawal = db.session.scalar(select(OfferWithdrawal).where(
        OfferWithdrawal.application_id == application.id))
    if withdrawal is not None:
        data["offer_withdrawal"] = _row(withdrawal, "reason", "requested_at", "respond_by",
                                        "candidate_response", "responded_at", "outcome")
    return data


def _hiring(user: User, profile: CandidateProfile) -> dict:
    applications = db.session.scalars(select(Application).where(
        Application.profile_id == profile.id).order_by(Application.id)).all()
    invitations = db.session.scalars(select(Invitation).where(
        Invitation.profile_id == profile.id).order_by(Invitation.id))
    employments = db.session.scalars(select(Employment).join(Application).where(
        Application.profile_id == profile.id).order_by(Employment.id))
    return {
        "applications": [_application(user, a) for a in applications],
        "invitations": [{**_row(i, "id", "status", "message", "created_at", "responded_at",
                                "application_id"),
                         "vacancy": {"id": i.vacancy.id, "title": i.vacancy.title,
                                     "organisation": i.vacancy.organisation.name}}
                        for i in invitations],
        "employments": [{**_row(e, "id", "application_id", "start_date", "monthly_wage",
                                "hours_per_week", "contract_type", "status", "recorded_at",
                                "confirmed_at", "end_date", "end_reason"),
                         "vacancy": e.application.vacancy.title,
                         "organisation": e.application.vacancy.organisation.name}
                        for e in employments],
    }


def certificate_records(user: User, profile: CandidateProfile) -> list[dict]:
    from marketplace.certificates.services import certificates_of

    return [{**_row(c, "title", "issuer", "issued_on", "expires_on", "status",
                       "rejection_reason", "verification_code", "verified_at", "created_at"),
             "skills": [skill.code for skill in c.skills],
             "scan": c.scan_file.original_name if c.scan_file else None}
            for c in certificates_of(profile.id)]


def export_data(profile: CandidateProfile, *, actor: User) -> dict:
    """Everything we hold about the candidate that they may see, as JSON-ready values.

    Court bans and supervision conditions are staff data: the export says who holds them."""
    user = profile.user
    data = {"format": EXPORT_FORMAT, "exported_at": _value(utcnow()),
            "account": _account(user), "profile": _profile(profile), **_entries(profile),
            "consent_history": _consent_history(profile), **_hiring(user, profile),
            "certificates": certificate_records(user, profile),
            "held_by_job_centre": _("Information about court bans or supervision conditions "
                                    "is held by the job centre. Ask your case manager.")}
    record("candidate:export_data", profile, actor=actor)
    db.session.flush()
    return data


def to_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


# --- deletion ------------------------------------------------------------------------------

def erase_certificates(user: User, profile: CandidateProfile, *, actor: User) -> None:
    """Certificates and their scans go (subsidy audits rely on employments, not on them); the
    files leave the disk only if the whole deletion commits."""
    from marketplace.certificates.services import certificates_of
    from marketplace.uploads.services import delete_stored

    for certificate in certificates_of(profile.id):
        scan = certificate.scan_file
        db.session.delete(certificate)
        db.session.flush()
        if scan is not None:
            delete_stored(scan)
    db.session.flush()


def _close_hiring(profile: CandidateProfile, *, actor: User) -> dict:
    """Live applications are withdrawn; those that led to an employment are kept as they are.
    The candidate's own words (notes, disclosures, responses) go from every application."""
    employed = set(db.session.scalars(select(Employment.application_id).join(Application)
                                      .where(Application.profile_id == profile.id)))
    applications = db.session.scalars(select(Application).where(
        Application.profile_id == profile.id).order_by(Application.id)).all()
    withdrawn = 0
    for application in applications:
        if application.id not in employed and application.status in LIVE_STATUSES:
            hiring.withdraw(application, actor=actor)
            withdrawn += 1
        application.note = ""
    ids = [a.id for a in applications]
    if ids:
        db.session.execute(delete(Disclosure).where(Disclosure.application_id.in_(ids)))
        for withdrawal in db.session.scalars(select(OfferWithdrawal).where(
                OfferWithdrawal.application_id.in_(ids),
                OfferWithdrawal.candidate_response.is_not(None))):
            withdrawal.candidate_response = ""
    for invitation in db.session.scalars(select(Invitation).where(
            Invitation.profile_id == profile.id,
            Invitation.status == InvitationStatus.PENDING)).all():
        hiring.respond_to_invitation(invitation, accept=False, actor=actor)
    return {"applications_kept": len(employed), "applications_withdrawn": withdrawn}


def _empty_profile(profile: CandidateProfile, *, actor: User) -> None:
    if profile.discoverable:
        record("candidate:consent_revoked", profile, actor=actor, consent="discoverable")
    profile.discoverable = False
    profile.iin = None
    profile.desired_title = profile.summary = ""
    profile.desired_occupation = None
    profile.experience_years = profile.available_from = profile.salary_expectation = None
    profile.city = None  # the region stays: it says which job centre kept the records
    profile.schedules = ()
    profile.willing_to_relocate = False
    for collection in (profile.desired_occupation_links, profile.skills, profile.work_history,
                       profile.education, profile.languages):
        collection.clear()


def _anonymise_account(user: User) -> None:
    user.full_name = DELETED_NAME
    user.email = deleted_email(user)
    user.phone = None
    user.password_hash = UNUSABLE_PASSWORD_HASH
    user.active = False


def delete_account(profile: CandidateProfile, *, password: str, actor: User) -> dict:
    """Anonymise the candidate's account at their request; returns what happened to their
    applications. Raises WrongPassword (nothing changed). Flushes; the caller commits once and
    signs the user out."""
    user = profile.user
    if not verify_password(user.password_hash, password or ""):
        raise WrongPassword(_l("The password is not correct."), field="password")
    outcome = _close_hiring(profile, actor=actor)
    erase_certificates(user, profile, actor=actor)
    from marketplace.cases.services import erase_case_words  # cases builds on candidates

    erase_case_words(profile, actor=actor)
    _empty_profile(profile, actor=actor)
    _anonymise_account(user)
    record("candidate:delete_account", profile, actor=actor, **outcome)
    db.session.flush()
    return outcome
