"""Candidate profile rules."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.audit.services import record
from marketplace.auth.models import Role, User
from marketplace.auth.services import create_user
from marketplace.candidates.models import CandidateProfile, CandidateSkill
from marketplace.errors import DuplicateIdentifier, DuplicateSkill
from marketplace.extensions import db
from marketplace.reference.services import find_skill, normalize_term


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


def update_profile(profile: CandidateProfile, *, actor: User, **fields) -> CandidateProfile:
    """Apply edited fields; consent changes are audited on their own."""
    consent_before = profile.discoverable
    for name, value in fields.items():
        setattr(profile, name, value)
    record("candidate:update_profile", profile, actor=actor, fields=sorted(fields))
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


COMPLETENESS_STEPS = (
    ("desired_title", _l("Say what job you are looking for")),
    ("skills", _l("Add at least three skills")),
    ("summary", _l("Write a few words about yourself")),
    ("experience_years", _l("Add your years of work experience")),
    ("city", _l("Choose your town")),
)


def completeness(profile: CandidateProfile) -> tuple[int, str | None]:
    """Percentage of the useful fields filled in, and the next most useful one to add."""
    done = {
        "desired_title": bool(profile.desired_title),
        "skills": len(profile.skills) >= 3,
        "summary": len(profile.summary or "") >= 30,
        "experience_years": profile.experience_years is not None,
        "city": profile.city_id is not None,
    }
    missing = [label for key, label in COMPLETENESS_STEPS if not done[key]]
    percent = round(100 * sum(done.values()) / len(done))
    return percent, (missing[0] if missing else None)
