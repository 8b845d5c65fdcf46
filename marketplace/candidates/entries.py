"""Work history, education and languages: entries a candidate adds, edits and deletes.

Adding takes a row lock on the profile (PostgreSQL) and returns an identical existing entry
instead of creating a second one, so a double-submitted form never makes duplicates. Every
change touches the profile, which puts it in the matching index's change log.
"""

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.audit.services import record
from marketplace.auth.models import User
from marketplace.candidates.models import (
    CandidateLanguage,
    CandidateProfile,
    EducationEntry,
    LanguageCode,
    WorkHistoryEntry,
)
from marketplace.candidates.services import find_occupation
from marketplace.db_types import utcnow
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.reference.services import normalize_term

WORK_FIELDS = ("employer_name", "job_title", "started_on", "ended_on", "description")
EDUCATION_FIELDS = ("institution", "level", "specialty", "finished_year")
LANGUAGE_FIELDS = ("language", "name", "level")


class InvalidDates(DomainError):
    pass


class DuplicateLanguage(DomainError):
    pass


class LanguageNameMissing(DomainError):
    pass


def _lock(profile: CandidateProfile) -> None:
    """Serialise concurrent additions to one profile (SQLite serialises writes anyway)."""
    db.session.execute(select(CandidateProfile.id).where(CandidateProfile.id == profile.id)
                       .with_for_update())


def _touch(profile: CandidateProfile) -> None:
    profile.updated_at = utcnow()


def _same(entry, fields: dict) -> bool:
    return all(getattr(entry, name) == value for name, value in fields.items())


def _add(profile: CandidateProfile, collection: str, model, fields: dict, *, actor: User,
         kind: str, **derived):
    """`fields` identify a double submission; `derived` values are set but not compared."""
    _lock(profile)
    existing = next((e for e in getattr(profile, collection) if _same(e, fields)), None)
    if existing is not None:
        return existing
    entry = model(**fields, **derived)
    getattr(profile, collection).append(entry)
    _touch(profile)
    db.session.flush()
    record(f"candidate:add_{kind}", profile, actor=actor, entry_id=entry.id)
    return entry


def _update(entry, fields: dict, *, actor: User, kind: str, **derived) -> None:
    changed = sorted(name for name, value in fields.items() if getattr(entry, name) != value)
    for name in changed:
        setattr(entry, name, fields[name])
    for name, value in derived.items():
        setattr(entry, name, value)
    if changed:
        _touch(entry.profile)
        record(f"candidate:update_{kind}", entry.profile, actor=actor, entry_id=entry.id,
               fields=changed)
    db.session.flush()


def _remove(entry, collection: str, *, actor: User, kind: str) -> None:
    profile = entry.profile
    getattr(profile, collection).remove(entry)
    _touch(profile)
    record(f"candidate:remove_{kind}", profile, actor=actor, entry_id=entry.id)
    db.session.flush()


# --- work history --------------------------------------------------------------------------

def _work_fields(employer_name: str, job_title: str, started_on: date, ended_on: date | None,
                 description: str) -> dict:
    if ended_on is not None and ended_on < started_on:
        raise InvalidDates(_l("The end date cannot be before the start date."),
                           field="ended_on")
    return {"employer_name": employer_name, "job_title": job_title, "started_on": started_on,
            "ended_on": ended_on, "description": description or ""}


def add_work(profile: CandidateProfile, *, actor: User, **values) -> WorkHistoryEntry:
    """A job done before. The job title is linked to the occupation it names, if any.

    Raises InvalidDates when it ends before it starts."""
    fields = _work_fields(**values)
    return _add(profile, "work_history", WorkHistoryEntry, fields, actor=actor, kind="work",
                occupation=find_occupation(fields["job_title"]))


def update_work(entry: WorkHistoryEntry, *, actor: User, **values) -> None:
    """Raises InvalidDates when it ends before it starts."""
    fields = _work_fields(**values)
    _update(entry, fields, actor=actor, kind="work",
            occupation=find_occupation(fields["job_title"]))


def remove_work(entry: WorkHistoryEntry, *, actor: User) -> None:
    _remove(entry, "work_history", actor=actor, kind="work")


# --- education -----------------------------------------------------------------------------

def add_education(profile: CandidateProfile, *, actor: User, **values) -> EducationEntry:
    fields = {**values, "specialty": values.get("specialty") or ""}
    return _add(profile, "education", EducationEntry, fields, actor=actor, kind="education")


def update_education(entry: EducationEntry, *, actor: User, **values) -> None:
    _update(entry, {**values, "specialty": values.get("specialty") or ""}, actor=actor,
            kind="education")


def remove_education(entry: EducationEntry, *, actor: User) -> None:
    _remove(entry, "education", actor=actor, kind="education")


# --- languages -----------------------------------------------------------------------------

def _language_fields(profile: CandidateProfile, *, language: LanguageCode, name: str, level,
                     entry: CandidateLanguage | None = None
                     ) -> tuple[dict, CandidateLanguage | None]:
    """The row's values and another row of the profile for the same language, if any."""
    name = " ".join((name or "").split()) if language is LanguageCode.OTHER else ""
    if language is LanguageCode.OTHER and not name:
        raise LanguageNameMissing(_l("Write the name of the language."), field="name")
    clash = next((other for other in profile.languages if other is not entry
                  and other.language is language
                  and normalize_term(other.name) == normalize_term(name)), None)
    return {"language": language, "name": name, "level": level}, clash


def add_language(profile: CandidateProfile, *, actor: User, language: LanguageCode, name: str,
                 level) -> CandidateLanguage:
    """Raises DuplicateLanguage when the language is already listed with another level (the
    same language at the same level is a double submission: the existing row is returned)."""
    _lock(profile)
    fields, clash = _language_fields(profile, language=language, name=name, level=level)
    if clash is not None and clash.level != level:
        raise DuplicateLanguage(_l("This language is already in your profile: change its "
                                   "level there."), field="language")
    return clash or _add(profile, "languages", CandidateLanguage, fields, actor=actor,
                         kind="language")


def update_language(entry: CandidateLanguage, *, actor: User, language: LanguageCode,
                    name: str, level) -> None:
    """Raises DuplicateLanguage when another row already lists this language."""
    fields, clash = _language_fields(entry.profile, language=language, name=name, level=level,
                                     entry=entry)
    if clash is not None:
        raise DuplicateLanguage(_l("This language is already in your profile."),
                                field="language")
    _update(entry, fields, actor=actor, kind="language")


def remove_language(entry: CandidateLanguage, *, actor: User) -> None:
    _remove(entry, "languages", actor=actor, kind="language")
