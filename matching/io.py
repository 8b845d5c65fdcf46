"""Reading candidates, vacancies (JSON lines) and taxonomies (JSON).

Missing fields, blank strings and unknown skill names are fine; a value of
the wrong type is an error that names the file and line.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

from matching.constraints import parse_hhmm
from matching.types import (
    Ban,
    Candidate,
    CandidateSkill,
    Restrictions,
    SkillConcept,
    Taxonomy,
    Vacancy,
)


class InputError(ValueError):
    """A malformed input line; str() is "file:line: reason"."""


def _get(obj: dict, key: str, kinds: tuple[type, ...], default=None):
    value = obj.get(key)
    if value is None:
        return default
    if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
        raise ValueError(f"field {key!r} must be {'/'.join(k.__name__ for k in kinds)}")
    return value


def _text(obj: dict, key: str) -> str:
    return _get(obj, key, (str,), "")


def _code(obj: dict, key: str) -> str | None:
    value = _get(obj, key, (str, int))
    return None if value is None or str(value).strip() == "" else str(value).strip()


def _number(obj: dict, key: str) -> float | None:
    value = _get(obj, key, (int, float))
    return None if value is None else float(value)


def _strings(obj: dict, key: str) -> tuple[str, ...]:
    values = _get(obj, key, (list,), [])
    if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in values):
        raise ValueError(f"field {key!r} must be a list of strings")
    return tuple(str(v) for v in values)


def _id(obj: dict) -> int | str:
    value = obj.get("id")
    if isinstance(value, bool) or not isinstance(value, int | str) or value == "":
        raise ValueError("field 'id' must be a non-empty string or an integer")
    return value


def _skill(item: object) -> CandidateSkill:
    if isinstance(item, str):
        return CandidateSkill(item)
    if not isinstance(item, dict):
        raise ValueError("each skill must be an object or a string")
    return CandidateSkill(
        name=_text(item, "name"),
        certified=_get(item, "certified", (bool,), False),
        skill_id=_code(item, "skill_id"),
        years=_number(item, "years"),
    )


def _ban(item: object) -> Ban:
    if not isinstance(item, dict):
        raise ValueError("each ban must be an object")
    until = _get(item, "until", (str,))
    return Ban(
        occupations=frozenset(_strings(item, "occupations")),
        sectors=frozenset(_strings(item, "sectors")),
        until=date.fromisoformat(until) if until else None,
    )


def _restrictions(obj: dict) -> Restrictions:
    raw = _get(obj, "restrictions", (dict,), {})
    curfew = _get(raw, "curfew", (list, dict))
    if isinstance(curfew, dict):
        curfew = [curfew.get("start"), curfew.get("end")]
    if curfew is not None and (len(curfew) != 2 or any(parse_hhmm(t) is None for t in curfew)):
        raise ValueError("curfew must be two 'HH:MM' times")
    territory = raw.get("territory")
    return Restrictions(
        bans=tuple(_ban(b) for b in _get(raw, "bans", (list,), [])),
        curfew=tuple(curfew) if curfew is not None else None,
        territory=None if territory is None else frozenset(_strings(raw, "territory")),
    )


def _schedules(obj: dict) -> frozenset[str]:
    single = _get(obj, "schedule", (str,))
    return frozenset(_strings(obj, "schedules")) | ({single} if single else set())


def parse_candidate(obj: object) -> Candidate:
    if not isinstance(obj, dict):
        raise ValueError("a candidate must be a JSON object")
    return Candidate(
        id=_id(obj),
        title=_text(obj, "title"),
        desired_titles=_strings(obj, "desired_titles"),
        previous_titles=_strings(obj, "previous_titles"),
        summary=_text(obj, "summary"),
        skills=tuple(_skill(s) for s in _get(obj, "skills", (list,), [])),
        region=_code(obj, "region"),
        city=_code(obj, "city"),
        relocate=_get(obj, "relocate", (bool,), False),
        experience_years=_number(obj, "experience_years"),
        schedules=_schedules(obj),
        salary_expectation=_number(obj, "salary_expectation"),
        languages=frozenset(_strings(obj, "languages")),
        restrictions=_restrictions(obj),
    )


def parse_vacancy(obj: object) -> Vacancy:
    if not isinstance(obj, dict):
        raise ValueError("a vacancy must be a JSON object")
    for key in ("work_start", "work_end"):
        if obj.get(key) is not None and parse_hhmm(obj[key]) is None:
            raise ValueError(f"field {key!r} must be 'HH:MM'")
    return Vacancy(
        id=_id(obj),
        title=_text(obj, "title"),
        occupation=_code(obj, "occupation"),
        sector=_code(obj, "sector"),
        description=_text(obj, "description"),
        required_skills=_strings(obj, "required_skills"),
        optional_skills=_strings(obj, "optional_skills"),
        region=_code(obj, "region"),
        city=_code(obj, "city"),
        schedule=_get(obj, "schedule", (str,)),
        work_start=_get(obj, "work_start", (str,)),
        work_end=_get(obj, "work_end", (str,)),
        salary_min=_number(obj, "salary_min"),
        salary_max=_number(obj, "salary_max"),
        min_experience_years=_number(obj, "min_experience_years"),
        languages=frozenset(_strings(obj, "languages")),
    )


def read_jsonl(path: str | Path, parse: Callable, skip_bad: bool = False) -> tuple[list, int]:
    """Parsed items and the number of skipped lines; raises InputError if not skipping."""
    items, skipped = [], 0
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                items.append(parse(json.loads(line)))
            except (ValueError, TypeError) as error:  # JSONDecodeError is a ValueError
                if not skip_bad:
                    raise InputError(f"{path}:{number}: {error}") from error
                skipped += 1
    return items, skipped


def _concept(item: object) -> SkillConcept:
    if not isinstance(item, dict):
        raise ValueError("each taxonomy entry must be an object")
    concept_id = _code(item, "id") or _code(item, "code")
    if concept_id is None:
        raise ValueError("each taxonomy entry needs an 'id' or 'code'")
    names = list(_strings(item, "names"))
    names += [item[k] for k in ("name_kk", "name_ru", "name_en") if isinstance(item.get(k), str)]
    synonyms = _get(item, "synonyms", (dict, list), {})
    groups = synonyms.values() if isinstance(synonyms, dict) else [synonyms]
    names += [str(name) for group in groups for name in (group or [])]
    return SkillConcept(concept_id, tuple(dict.fromkeys(n for n in names if n.strip())))


def load_taxonomy(path: str | Path) -> Taxonomy:
    """A JSON list of {"id"|"code", "names"} or of the app's skills.json entries."""
    with open(path, encoding="utf-8") as handle:
        try:
            raw = json.load(handle)
        except ValueError as error:
            raise InputError(f"{path}: {error}") from error
    if isinstance(raw, dict):
        raw = raw.get("skills", raw.get("concepts"))
    if not isinstance(raw, list):
        raise InputError(f"{path}: expected a JSON list of skill concepts")
    concepts = []
    for position, item in enumerate(raw, start=1):
        try:
            concepts.append(_concept(item))
        except ValueError as error:
            raise InputError(f"{path}: entry {position}: {error}") from error
    return Taxonomy(tuple(concepts))
