"""The administrator's changes to reference data: region names, occupations (names, the hazardous
flag, new occupations under an ISCO-08 sub-major group) and skills (names, synonyms per language,
links to occupations, new skills).

Every change writes an audit event with the old and new values (reference data is public, so the
values themselves are safe to keep). A change to a skill or an occupation also records a
"taxonomy" match change: skill names and synonyms are what the matching engine recognises free
text by, and occupation names are how desired and previous jobs are matched, so every worker
rebuilds its index on its next request.

Codes are permanent (the JSON files, court bans and candidates' data refer to them), so they are
chosen once, when a row is added, and never edited.

Beware: `flask load-reference` matches rows by code and writes the JSON files' values over them.
It puts back the files' names, hazardous flags, skill–occupation links and synonyms (synonyms
added here are deleted), so edits made on these pages must also be made in
marketplace/reference/data/*.json to survive the next load. Rows added here, whose codes are not
in the files, are left alone.
"""

import re

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from marketplace.audit.services import record
from marketplace.auth.models import User
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.i18n import current_language
from marketplace.matches.changes import record_change
from marketplace.reference.models import Occupation, Region, Sector, Skill, SkillSynonym
from marketplace.reference.services import LANGS, normalize_term

NAME_MAX = 200
CODE_MAX = 64
CODE_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
ISCO_PATTERN = re.compile(r"\d{4}")
NAME_FIELDS = tuple(f"name_{lang}" for lang in LANGS)
LEVELS = ("major", "sub_major", "occupation")


class InvalidName(DomainError):
    pass


class InvalidCode(DomainError):
    pass


class DuplicateCode(DomainError):
    pass


class InvalidIsco(DomainError):
    pass


class NotASubMajorGroup(DomainError):
    pass


class NotAnOccupation(DomainError):
    pass


class MissingChoice(DomainError):
    pass


class TermInUse(DomainError):
    pass


class AlreadyLinked(DomainError):
    pass


class LastOccupation(DomainError):
    pass


# ---------------------------------------------------------------------------- shared checks

def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _checked_names(names: dict) -> dict:
    """Names in all three languages, whitespace tidied; each required and at most 200 chars."""
    cleaned = {field: _clean(names.get(field)) for field in NAME_FIELDS}
    for field, value in cleaned.items():
        if not value:
            raise InvalidName(_l("Enter the name in all three languages."), field=field)
        if len(value) > NAME_MAX:
            raise InvalidName(_l("A name can have at most %(max)s characters.", max=NAME_MAX),
                              field=field)
    return cleaned


def _checked_code(code: str | None, model) -> str:
    code = (code or "").strip()
    if not CODE_PATTERN.fullmatch(code) or len(code) > CODE_MAX:
        raise InvalidCode(_l("A code is up to %(max)s lowercase Latin letters, digits and "
                             "underscores, starting with a letter, e.g. tile_laying.",
                             max=CODE_MAX), field="code")
    if db.session.scalar(select(model.id).where(model.code == code)) is not None:
        raise DuplicateCode(_l("The code %(code)s is already used: choose another code.",
                               code=code), field="code")
    return code


def _apply(row, values: dict) -> dict:
    """Set the values that differ; returns {field: [old, new]} for the audit event."""
    changes = {}
    for field, value in values.items():
        old = getattr(row, field)
        if old != value:
            changes[field] = [old, value]
            setattr(row, field, value)
    return changes


def _taxonomy_changed() -> None:
    record_change("taxonomy", 0)


# ---------------------------------------------------------------------------- regions

def search_regions(q: str | None) -> list[Region]:
    regions = db.session.scalars(select(Region)).all()
    wanted = normalize_term(q or "")
    if wanted:
        regions = [r for r in regions if wanted in normalize_term(
            " ".join([r.code, *(r.name_in(lang) for lang in LANGS)]))]
    return sorted(regions, key=lambda r: r.name_in(current_language()))


def update_region(region: Region, *, names: dict, actor: User) -> bool:
    """Rename a region; False when nothing changed (then nothing is recorded)."""
    changes = _apply(region, _checked_names(names))
    if changes:
        record("reference:region_update", region, actor=actor, code=region.code, changes=changes)
        db.session.flush()
    return bool(changes)


# ---------------------------------------------------------------------------- occupations

def _occupation_ids_matching(q: str) -> list[int]:
    # In Python: SQLite's lower() does not fold Cyrillic, and there are only a few hundred rows.
    wanted = normalize_term(q)
    return [o.id for o in db.session.scalars(select(Occupation)) if wanted in normalize_term(
        " ".join([o.code, o.isco or "", *(o.name_in(lang) for lang in LANGS)]))]


def occupation_query(*, q: str | None, level: str | None):
    """A select() of occupations in ISCO order (groups before what they contain)."""
    # Groups have no ISCO unit code: their own code ("7", "74") sorts before "7411".
    query = select(Occupation).order_by(func.coalesce(Occupation.isco, Occupation.code),
                                        Occupation.code)
    if level in LEVELS:
        query = query.where(Occupation.level == level)
    if q and normalize_term(q):
        query = query.where(Occupation.id.in_(_occupation_ids_matching(q)))
    return query


def sub_major_groups() -> list[Occupation]:
    return db.session.scalars(select(Occupation).where(Occupation.level == "sub_major")
                              .order_by(Occupation.code)).all()


def concrete_occupations() -> list[Occupation]:
    rows = db.session.scalars(select(Occupation).where(Occupation.level == "occupation")).all()
    return sorted(rows, key=lambda o: o.name_in(current_language()))


def update_occupation(occupation: Occupation, *, names: dict, hazardous: bool,
                      actor: User) -> bool:
    """Rename an occupation or change its hazardous flag (groups have none)."""
    values = _checked_names(names)
    if occupation.level == "occupation":
        values["hazardous"] = bool(hazardous)
    changes = _apply(occupation, values)
    if changes:
        record("reference:occupation_update", occupation, actor=actor, code=occupation.code,
               changes=changes)
        _taxonomy_changed()
        db.session.flush()
    return bool(changes)


def create_occupation(*, code: str, isco: str, parent: Occupation | None, sector: Sector | None,
                      names: dict, hazardous: bool, actor: User) -> Occupation:
    """A concrete occupation under an existing sub-major group, with a new unique code."""
    names = _checked_names(names)
    if parent is None or parent.level != "sub_major":
        raise NotASubMajorGroup(_l("Choose the ISCO-08 sub-major group the occupation belongs "
                                   "to."), field="parent")
    isco = (isco or "").strip()
    if not ISCO_PATTERN.fullmatch(isco) or not isco.startswith(parent.code):
        raise InvalidIsco(_l("The ISCO-08 unit group has 4 digits and starts with the "
                             "sub-major group's code %(code)s.", code=parent.code), field="isco")
    if sector is None:
        raise MissingChoice(_l("Choose the sector."), field="sector")
    code = _checked_code(code, Occupation)
    occupation = Occupation(code=code, level="occupation", isco=isco, parent=parent,
                            sector=sector, hazardous=bool(hazardous), **names)
    db.session.add(occupation)
    db.session.flush()
    record("reference:occupation_create", occupation, actor=actor, code=code, isco=isco,
           parent=parent.code, sector=sector.code, hazardous=bool(hazardous), **names)
    _taxonomy_changed()
    db.session.flush()
    return occupation


# ---------------------------------------------------------------------------- skills

def _all_skills() -> list[Skill]:
    return db.session.scalars(select(Skill).options(selectinload(Skill.synonyms))).all()


def _terms_of(skill: Skill) -> set[str]:
    return {normalize_term(skill.name_in(lang)) for lang in LANGS} | {
        normalize_term(s.name) for s in skill.synonyms}


def _owner_of_term(term: str, *, besides: Skill | None) -> Skill | None:
    """Another skill that already has `term` as a name or a synonym, in any language.

    Names and synonyms are how free text is recognised as a skill (find_skill, matching), so
    one term naming two skills would make the recognition ambiguous.
    """
    wanted = normalize_term(term)
    return next((skill for skill in _all_skills()
                 if skill is not besides and wanted in _terms_of(skill)), None)


def _term_in_use(term: str, other: Skill) -> str:
    # Translated now, not lazily: a lazy string counts as safe HTML in templates, and this
    # message quotes what the admin typed.
    return gettext("“%(term)s” already names the skill “%(skill)s” (%(code)s).",
                   term=term, skill=other.name, code=other.code)


def _check_names_free(skill: Skill | None, names: dict) -> None:
    for field, value in names.items():
        if skill is not None and value == getattr(skill, field):
            continue  # unchanged names are not re-checked
        other = _owner_of_term(value, besides=skill)
        if other is not None:
            raise TermInUse(_term_in_use(value, other), field=field)


def skill_query(q: str | None):
    """A select() of skills by name in the reader's language; `q` also searches synonyms."""
    language = current_language()
    query = select(Skill).order_by(getattr(Skill, f"name_{language}"), Skill.code)
    wanted = normalize_term(q or "")
    if wanted:
        ids = [s.id for s in _all_skills() if wanted in normalize_term(s.code) or any(
            wanted in term for term in _terms_of(s))]
        query = query.where(Skill.id.in_(ids))
    return query


def update_skill(skill: Skill, *, names: dict, actor: User) -> bool:
    names = _checked_names(names)
    _check_names_free(skill, names)
    changes = _apply(skill, names)
    if changes:
        record("reference:skill_update", skill, actor=actor, code=skill.code, changes=changes)
        _taxonomy_changed()
        db.session.flush()
    return bool(changes)


def _require_concrete(occupation: Occupation | None) -> Occupation:
    if occupation is None or occupation.level != "occupation":
        raise NotAnOccupation(_l("Choose an occupation (not an ISCO group)."),
                              field="occupation")
    return occupation


def create_skill(*, code: str, names: dict, occupation: Occupation | None,
                 actor: User) -> Skill:
    """A new skill with a unique code, linked to its first occupation (every skill has one)."""
    names = _checked_names(names)
    occupation = _require_concrete(occupation)
    code = _checked_code(code, Skill)
    _check_names_free(None, names)
    skill = Skill(code=code, occupations=[occupation], **names)
    db.session.add(skill)
    db.session.flush()
    record("reference:skill_create", skill, actor=actor, code=code,
           occupation=occupation.code, **names)
    _taxonomy_changed()
    db.session.flush()
    return skill


def add_synonym(skill: Skill, *, language: str, name: str, actor: User) -> SkillSynonym:
    if language not in LANGS:
        raise InvalidName(_l("Choose the language of the synonym."), field="language")
    name = _clean(name)
    if not name or len(name) > NAME_MAX:
        raise InvalidName(_l("Enter a synonym of at most %(max)s characters.", max=NAME_MAX),
                          field="name")
    wanted = normalize_term(name)
    if wanted in {normalize_term(skill.name_in(lang)) for lang in LANGS}:
        raise TermInUse(_l("This is already the skill's name."), field="name")
    if wanted in {normalize_term(s.name) for s in skill.synonyms}:
        raise TermInUse(_l("This skill already has this synonym."), field="name")
    other = _owner_of_term(name, besides=skill)
    if other is not None:
        raise TermInUse(_term_in_use(name, other), field="name")
    synonym = SkillSynonym(language=language, name=name)
    skill.synonyms.append(synonym)
    db.session.flush()
    record("reference:synonym_add", skill, actor=actor, code=skill.code, language=language,
           synonym=name)
    _taxonomy_changed()
    db.session.flush()
    return synonym


def remove_synonym(synonym: SkillSynonym, *, actor: User) -> None:
    skill = synonym.skill
    skill.synonyms.remove(synonym)  # delete-orphan: the row goes with the flush
    record("reference:synonym_remove", skill, actor=actor, code=skill.code,
           language=synonym.language, synonym=synonym.name)
    _taxonomy_changed()
    db.session.flush()


def link_occupation(skill: Skill, occupation: Occupation | None, *, actor: User) -> None:
    occupation = _require_concrete(occupation)
    if occupation in skill.occupations:
        raise AlreadyLinked(_l("The skill is already linked to this occupation."),
                            field="occupation")
    skill.occupations.append(occupation)
    record("reference:skill_link", skill, actor=actor, code=skill.code,
           occupation=occupation.code)
    _taxonomy_changed()
    db.session.flush()


def unlink_occupation(skill: Skill, occupation: Occupation, *, actor: User) -> None:
    if len(skill.occupations) <= 1:
        raise LastOccupation(_l("A skill needs at least one occupation: link another one "
                                "before removing this one."))
    skill.occupations.remove(occupation)
    record("reference:skill_unlink", skill, actor=actor, code=skill.code,
           occupation=occupation.code)
    _taxonomy_changed()
    db.session.flush()
