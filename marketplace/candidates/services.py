"""Candidate profile rules: registration, personal data, job wishes, skills, completeness."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from marketplace.audit.services import record
from marketplace.auth.models import Role, User
from marketplace.auth.services import create_user, ensure_login_free
from marketplace.candidates.models import CandidateProfile, CandidateSkill, DesiredOccupation
from marketplace.errors import DomainError, DuplicateIdentifier, DuplicateSkill
from marketplace.extensions import db
from marketplace.reference.models import Occupation
from marketplace.reference.services import LANGS, find_skill, normalize_term

MAX_DESIRED_OCCUPATIONS = 3


class MissingLogin(DomainError):
    """An account needs a mobile number or an e-mail address to sign in with."""


class UnknownOccupation(DomainError):
    pass


def ensure_iin_free(iin: str | None, *, except_profile: CandidateProfile | None = None) -> None:
    if not iin:
        return
    owner = db.session.scalar(select(CandidateProfile).where(CandidateProfile.iin == iin))
    if owner is not None and owner is not except_profile:
        raise DuplicateIdentifier(_l("A profile with this IIN already exists. If it is yours, "
                                     "sign in or contact your job centre."), field="iin")


def register_candidate(*, full_name: str, password: str, region, email=None, phone=None,
                       iin=None, locale=None) -> User:
    """Create a candidate account with an empty, not yet discoverable profile.

    Raises DuplicateAccount or DuplicateIdentifier; nothing is written then.
    """
    ensure_iin_free(iin)
    user = create_user(role=Role.CANDIDATE, full_name=full_name, password=password,
                       email=email, phone=phone, locale=locale)
    profile = CandidateProfile(user=user, iin=iin, region=region)
    db.session.add(profile)
    db.session.flush()
    record("candidate:register", profile, actor=user)
    return user


def profile_for(user: User) -> CandidateProfile | None:
    return db.session.scalar(select(CandidateProfile).where(CandidateProfile.user_id == user.id))


def profile_with_skills(user: User) -> CandidateProfile | None:
    """profile_for, with the skills and their names that the candidate's own pages list."""
    return db.session.scalar(
        select(CandidateProfile).where(CandidateProfile.user_id == user.id)
        .options(selectinload(CandidateProfile.skills).joinedload(CandidateSkill.skill)))


def update_personal(profile: CandidateProfile, *, actor: User, full_name: str,
                    phone: str | None, iin: str | None) -> None:
    """Name and phone (on the account) and IIN (on the profile). `phone` is normalised.

    Raises DuplicateAccount (phone taken), DuplicateIdentifier (IIN taken) or MissingLogin
    (no phone and no e-mail left); nothing is changed then.
    """
    user = profile.user
    if not phone and not user.email:
        raise MissingLogin(_l("Give a mobile number: you sign in with it."), field="phone")
    if phone and phone != user.phone:
        ensure_login_free(email=None, phone=phone)
    ensure_iin_free(iin, except_profile=profile)
    changed = [name for name, old, new in (("full_name", user.full_name, full_name),
                                           ("phone", user.phone, phone),
                                           ("iin", profile.iin, iin)) if old != new]
    user.full_name, user.phone, profile.iin = full_name, phone, iin
    if changed:  # field names only: the values are personal data
        record("candidate:update_personal", profile, actor=actor, fields=changed)
    db.session.flush()


def occupation_choices(language: str) -> list[str]:
    """Every concrete occupation's name in one language, for the input's suggestion list."""
    rows = db.session.scalars(select(Occupation).where(Occupation.level == "occupation"))
    return sorted(row.name_in(language) for row in rows)


def find_occupation(text: str) -> Occupation | None:
    """The concrete occupation named `text` in any language (case-insensitive), or None."""
    wanted = normalize_term(text)
    if not wanted:
        return None
    for row in db.session.scalars(select(Occupation).where(Occupation.level == "occupation")):
        if wanted in {normalize_term(row.name_in(lang)) for lang in LANGS}:
            return row
    return None


def _resolve_occupations(names: dict[str, str]) -> list[Occupation]:
    """Form field name → typed text; raises UnknownOccupation naming the first bad field."""
    chosen = []
    for field, text in names.items():
        if not text:
            continue
        occupation = find_occupation(text)
        if occupation is None:
            raise UnknownOccupation(
                _l("Choose an occupation from the list, or write the job in your own words in "
                   "\"What job are you looking for?\"."), field=field)
        if occupation not in chosen:
            chosen.append(occupation)
    return chosen[:MAX_DESIRED_OCCUPATIONS]


def _set_desired_occupations(profile: CandidateProfile, wanted: list[Occupation]) -> bool:
    links = {link.occupation_id: link for link in profile.desired_occupation_links}
    before = [link.occupation_id for link in profile.desired_occupation_links]
    for occupation_id, link in links.items():
        if occupation_id not in {o.id for o in wanted}:
            profile.desired_occupation_links.remove(link)
    db.session.flush()  # deletes first: a re-added occupation must not meet its old row
    for position, occupation in enumerate(wanted):
        link = links.get(occupation.id)
        if link is None:
            link = DesiredOccupation(occupation=occupation)
            profile.desired_occupation_links.append(link)
        link.position = position
    profile.desired_occupation = wanted[0] if wanted else None
    return before != [o.id for o in wanted]


def update_profile(profile: CandidateProfile, *, actor: User,
                   occupation_names: dict[str, str] | None = None, **fields) -> CandidateProfile:
    """Apply edited job wishes; consent changes are audited on their own.

    `occupation_names` maps form fields to typed occupation names (any language); raises
    UnknownOccupation for a name the taxonomy does not know, changing nothing.
    """
    wanted = _resolve_occupations(occupation_names) if occupation_names is not None else None
    consent_before = profile.discoverable
    for name, value in fields.items():
        setattr(profile, name, value)
    changed = sorted(fields)
    if wanted is not None and _set_desired_occupations(profile, wanted):
        changed.append("desired_occupations")
    record("candidate:update_profile", profile, actor=actor, fields=changed)
    if profile.discoverable != consent_before:
        action = "candidate:consent_given" if profile.discoverable else "candidate:consent_revoked"
        record(action, profile, actor=actor, consent="discoverable")
    db.session.flush()
    return profile


def add_skill(profile: CandidateProfile, *, text: str, level: int, years: int | None,
              actor: User) -> CandidateSkill:
    """A taxonomy skill when `text` names one in any language, free text otherwise.

    Raises DuplicateSkill when the profile already has it.
    """
    skill = find_skill(text)
    for existing in profile.skills:
        if skill:
            same = existing.skill_id == skill.id
        else:
            same = existing.skill_id is None and (
                normalize_term(existing.free_text) == normalize_term(text))
        if same:
            raise DuplicateSkill(_l("This skill is already in your profile."), field="skill")
    entry = CandidateSkill(skill=skill, free_text=None if skill else text, level=level,
                           years=years)
    profile.skills.append(entry)
    db.session.flush()
    record("candidate:add_skill", profile, actor=actor, skill=skill.code if skill else text)
    return entry


def remove_skill(profile: CandidateProfile, entry: CandidateSkill, *, actor: User) -> None:
    profile.skills.remove(entry)
    record("candidate:remove_skill", profile, actor=actor,
           skill=entry.skill.code if entry.skill else entry.free_text)
    db.session.flush()


# The order is the advice: what helps employers (and the matching) most comes first.
COMPLETENESS_STEPS = (
    ("desired_job", _l("Say what job you are looking for")),
    ("skills", _l("Add at least three skills")),
    ("work_history", _l("Add a job you have done before")),
    ("schedule", _l("Choose the working hours that suit you")),
    ("languages", _l("Add the languages you speak")),
    ("summary", _l("Write a few words about yourself")),
    ("salary", _l("Say what monthly pay you expect")),
    ("education", _l("Add your education or a course you took")),
    ("city", _l("Choose your town")),
)


def _steps_done(profile: CandidateProfile) -> dict[str, bool]:
    return {
        "desired_job": bool(profile.desired_title or profile.desired_occupations),
        "skills": len(profile.skills) >= 3,
        "work_history": bool(profile.work_history),
        "schedule": bool(profile.schedules),
        "languages": bool(profile.languages),
        "summary": len(profile.summary or "") >= 30,
        "salary": profile.salary_expectation is not None,
        "education": bool(profile.education),
        "city": profile.city_id is not None,
    }


def completeness(profile: CandidateProfile) -> tuple[int, tuple[str, str] | None]:
    """Percentage of the useful sections filled in, and the next most useful one to add as
    (key, label), or None when everything is there."""
    done = _steps_done(profile)
    missing = [(key, label) for key, label in COMPLETENESS_STEPS if not done[key]]
    percent = round(100 * sum(done.values()) / len(done))
    return percent, (missing[0] if missing else None)
