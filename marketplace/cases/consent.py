"""Acting on a person's behalf: the consent staff record, and every change made under it.

Many released persons have little digital experience, so job-centre staff may create their
account, edit their profile and apply for jobs for them — only after recording how the person
agreed. Each function here checks that consent first (`require_consent`) and writes an audit
event with `on_behalf=True`, next to the event the underlying candidate or hiring service
writes with the staff member as actor.
"""

import secrets

from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.audit.services import record
from marketplace.auth.models import User
from marketplace.auth.services import make_reset_token
from marketplace.candidates import services as candidates
from marketplace.candidates.models import CandidateProfile, CandidateSkill
from marketplace.cases.models import Case
from marketplace.db_types import utcnow
from marketplace.employers.models import Vacancy
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.hiring import services as hiring
from marketplace.hiring.models import Application
from marketplace.mail import send_message
from marketplace.matches.services import blocked_vacancy_ids
from marketplace.notifications.services import link_to, notify


class ConsentMissing(DomainError):
    """Staff may act on a person's behalf only with their recorded consent."""


class ConsentNoteMissing(DomainError):
    pass


class NoRegion(DomainError):
    """A staff member without a region cannot register people (they would belong nowhere)."""


class AlreadyApplied(DomainError):
    pass


class VacancyRestricted(DomainError):
    pass


def case_of(profile: CandidateProfile) -> Case | None:
    return db.session.scalar(select(Case).where(Case.profile_id == profile.id))


def has_consent(profile: CandidateProfile) -> bool:
    case = case_of(profile)
    return case is not None and case.consent_at is not None


def require_consent(profile: CandidateProfile) -> Case:
    """The person's case with consent on record; raises ConsentMissing otherwise."""
    case = case_of(profile)
    if case is None or case.consent_at is None:
        raise ConsentMissing(_l("The person has not given consent for the job centre to act on "
                                "their behalf."))
    return case


def _record_on_behalf(action: str, obj, *, actor: User, **details) -> None:
    record(action, obj, actor=actor, on_behalf=True, **details)


# --- consent -------------------------------------------------------------------------------

def record_consent(profile: CandidateProfile, *, note: str, actor: User) -> Case:
    """Record (or renew) the person's consent; `note` says how it was given, e.g. "signed
    paper form". Opens the person's case if there is none yet."""
    note = (note or "").strip()
    if not note:
        raise ConsentNoteMissing(_l("Say how the person gave their consent, e.g. \"signed paper "
                                    "form\"."), field="consent_note")
    case = case_of(profile)
    if case is None:
        case = Case(profile_id=profile.id)
        db.session.add(case)
    case.consent_at = utcnow()
    case.consent_note = note
    case.consent_recorded_by_id = actor.id
    db.session.flush()
    # How consent was given is the staff member's wording, not personal data of the person.
    record("case:consent", case, actor=actor, profile_id=profile.id, note=note)
    return case


def withdraw_consent(profile: CandidateProfile, *, actor: User) -> Case:
    """The person no longer wants the job centre to act for them. When and how consent had
    been given stays in the audit log."""
    case = require_consent(profile)
    case.consent_at = None
    case.consent_note = ""
    case.consent_recorded_by_id = None
    db.session.flush()
    record("case:consent_withdrawn", case, actor=actor, profile_id=profile.id)
    return case


# --- a new person at the desk ---------------------------------------------------------------

def register_person(*, full_name: str, email: str | None, phone: str | None, iin: str | None,
                    locale: str | None, consent_note: str, actor: User) -> CandidateProfile:
    """Create the account and profile of a person at the desk, in the staff member's region,
    with their consent recorded, and send them a link to choose their own password.

    The account gets a random password nobody sees. Raises DuplicateAccount (phone or e-mail
    taken), DuplicateIdentifier (IIN taken), ConsentNoteMissing or NoRegion; nothing is
    written then.
    """
    if actor.region_id is None:
        raise NoRegion(_l("Your account is not attached to a region. Ask an administrator to "
                          "set it."))
    if not (consent_note or "").strip():  # checked first: a refusal must leave no account
        raise ConsentNoteMissing(_l("Say how the person gave their consent, e.g. \"signed paper "
                                    "form\"."), field="consent_note")
    user = candidates.register_candidate(
        full_name=full_name, password=secrets.token_urlsafe(32), region=actor.region,
        email=email, phone=phone, iin=iin, locale=locale)
    profile = candidates.profile_for(user)
    record_consent(profile, note=consent_note, actor=actor)
    _record_on_behalf("candidate:register_on_behalf", profile, actor=actor)
    send_password_link(user, actor=actor)
    return profile


def send_password_link(user: User, *, actor: User) -> None:
    """A signed, expiring, single-use link (the password-reset one) to the person's phone or
    e-mail, in their language: they choose their password themselves."""
    link = url_for("auth.reset_password", token=make_reset_token(user), _external=True)
    with force_locale(user.locale or "ru"):
        send_message(to=user.login, subject=_("Jumys Bar: choose your password"),
                     body=_("The job centre has created your Jumys Bar account. To choose your "
                            "password, open this link within an hour: %(link)s\nIf the link has "
                            "expired, open \"Forgot password\" on the sign-in page and enter "
                            "%(login)s.", link=link, login=user.login))
    record("user:password_link_sent", user, actor=actor, on_behalf=True)


# --- the profile ----------------------------------------------------------------------------

def update_profile(profile: CandidateProfile, *, actor: User, **changes) -> CandidateProfile:
    """The candidate's own job-wishes service, under the person's consent."""
    require_consent(profile)
    candidates.update_profile(profile, actor=actor, **changes)
    _record_on_behalf("candidate:update_profile_on_behalf", profile, actor=actor,
                      fields=sorted(key for key in changes if key != "occupation_names"))
    return profile


def update_personal(profile: CandidateProfile, *, actor: User, full_name: str,
                    phone: str | None, iin: str | None) -> None:
    require_consent(profile)
    candidates.update_personal(profile, actor=actor, full_name=full_name, phone=phone, iin=iin)
    _record_on_behalf("candidate:update_personal_on_behalf", profile, actor=actor)


def add_skill(profile: CandidateProfile, *, text: str, level: int, years: int | None,
              actor: User) -> CandidateSkill:
    require_consent(profile)
    entry = candidates.add_skill(profile, text=text, level=level, years=years, actor=actor)
    _record_on_behalf("candidate:add_skill_on_behalf", profile, actor=actor,
                      skill=entry.skill.code if entry.skill else text)
    return entry


def remove_skill(profile: CandidateProfile, entry: CandidateSkill, *, actor: User) -> None:
    require_consent(profile)
    skill = entry.skill.code if entry.skill else entry.free_text
    candidates.remove_skill(profile, entry, actor=actor)
    _record_on_behalf("candidate:remove_skill_on_behalf", profile, actor=actor, skill=skill)


# --- applying -------------------------------------------------------------------------------

def apply(profile: CandidateProfile, vacancy: Vacancy, *, note: str, actor: User
          ) -> Application:
    """Apply through the hiring service, which keeps every rule (open vacancy, one live
    application, restrictions). hiring.apply has no way to say who applied for whom, so the
    staff member is the application's first event actor and "application:on_behalf" names them.
    """
    require_consent(profile)
    # The hiring service refuses these too, but speaks to the candidate ("you"); staff need
    # the same refusal worded about the person they are helping.
    if hiring.live_application(profile, vacancy) is not None:
        raise AlreadyApplied(_l("This person has already applied for this vacancy."))
    if vacancy.id in blocked_vacancy_ids(profile):
        raise VacancyRestricted(_l("This vacancy is not open to this person because of a court "
                                   "ban or supervision conditions recorded in their case."))
    application = hiring.apply(profile, vacancy, note=note, actor=actor)
    _record_on_behalf("application:on_behalf", application, actor=actor,
                      profile_id=profile.id, vacancy_id=vacancy.id)
    # The person must know an application was made in their name, and where to follow it.
    notify(profile.user, "applied_on_behalf",
           link=link_to("hiring.candidate_application", application_id=application.id),
           vacancy=vacancy.title)
    return application
