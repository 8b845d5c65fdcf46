"""Loading the versioned reference files and offering them to forms."""

import json
from pathlib import Path

from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from marketplace.extensions import db
from marketplace.forms import choices
from marketplace.i18n import current_language
from marketplace.reference.models import City, Occupation, Region, Sector, Skill, SkillSynonym

DATA_DIR = Path(__file__).parent / "data"
LANGS = ("kk", "ru", "en")


def _read(name: str) -> list[dict]:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _upsert(model, code: str, **values):
    row = db.session.scalar(select(model).where(model.code == code))
    if row is None:
        row = model(code=code)
        db.session.add(row)
    for key, value in values.items():
        setattr(row, key, value)
    return row


def _names(item: dict) -> dict:
    return {f"name_{lang}": item[f"name_{lang}"] for lang in LANGS}


def load_regions() -> int:
    for item in _read("regions.json"):
        region = _upsert(Region, item["code"], kind=item["kind"], **_names(item))
        for city in item["cities"]:
            _upsert(City, city["code"], region=region, **_names(city))
    return len(_read("regions.json"))


def load_sectors() -> dict[str, Sector]:
    return {s["code"]: _upsert(Sector, s["code"], **_names(s)) for s in _read("sectors.json")}


def load_occupations(sectors: dict[str, Sector]) -> dict[str, Occupation]:
    items = _read("occupations.json")
    by_code = {
        item["code"]: _upsert(
            Occupation, item["code"], level=item["level"], isco=item.get("isco"),
            hazardous=bool(item.get("hazardous")), sector=sectors.get(item.get("sector")),
            **_names(item),
        )
        for item in items
    }
    for item in items:  # parents may come after their children in the file
        by_code[item["code"]].parent = by_code.get(item.get("parent"))
    return by_code


def load_skills(occupations: dict[str, Occupation]) -> int:
    items = _read("skills.json")
    for item in items:
        skill = _upsert(Skill, item["code"], **_names(item))
        skill.occupations = [occupations[c] for c in item.get("occupations", [])]
        wanted = {(lang, name.strip()) for lang, names in item.get("synonyms", {}).items()
                  for name in names if name.strip()}
        skill.synonyms = [s for s in skill.synonyms if (s.language, s.name) in wanted]
        have = {(s.language, s.name) for s in skill.synonyms}
        skill.synonyms.extend(SkillSynonym(language=lang, name=name)
                              for lang, name in sorted(wanted - have))
    return len(items)


def load_reference_data() -> dict[str, int]:
    """Idempotent: inserts what is new and updates names of what exists (matched by code)."""
    regions = load_regions()
    sectors = load_sectors()
    occupations = load_occupations(sectors)
    skills = load_skills(occupations)
    db.session.flush()
    return {"regions": regions, "sectors": len(sectors), "occupations": len(occupations),
            "skills": skills}


def _sorted_choices(rows) -> list[SelectChoice]:
    language = current_language()
    pairs = sorted(((row.id, row.name_in(language)) for row in rows), key=lambda c: c[1])
    return choices(pairs)


def region_choices() -> list[SelectChoice]:
    return _sorted_choices(db.session.scalars(select(Region)))


def sector_choices() -> list[SelectChoice]:
    return _sorted_choices(db.session.scalars(select(Sector)))


def normalize_term(text: str) -> str:
    return " ".join((text or "").casefold().replace("ё", "е").split())


def find_skill(text: str) -> Skill | None:
    """The taxonomy skill whose name or synonym, in any language, is `text` (case-insensitive).

    Done in Python because SQLite's lower() only folds ASCII, not Cyrillic.
    """
    wanted = normalize_term(text)
    if not wanted:
        return None
    for skill in db.session.scalars(select(Skill)):
        if wanted in {normalize_term(skill.name_in(lang)) for lang in LANGS}:
            return skill
    synonym = next((s for s in db.session.scalars(select(SkillSynonym))
                    if normalize_term(s.name) == wanted), None)
    return synonym.skill if synonym else None


def skill_names(language: str) -> list[str]:
    """Every skill's name in one language, for the input's suggestion list."""
    return sorted(skill.name_in(language) for skill in db.session.scalars(select(Skill)))


MAX_ID = 2**31 - 1


def city_choices(region_id: int | None) -> list[SelectChoice]:
    """Towns of a region; an absurd id from a tampered form is simply no region."""
    if not isinstance(region_id, int) or not 0 < region_id <= MAX_ID:
        return []
    return _sorted_choices(db.session.scalars(select(City).where(City.region_id == region_id)))
