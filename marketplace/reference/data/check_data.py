"""Validate the versioned reference data files in this directory.

Usage: python marketplace/reference/data/check_data.py
Exits 0 when every check passes; otherwise prints every problem found and exits 1.
Pure standard library, no project imports.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
LANGS = ("kk", "ru", "en")
NAME_FIELDS = tuple(f"name_{lang}" for lang in LANGS)

SECTOR_CODES = {
    "construction",
    "manufacturing",
    "transport",
    "logistics",
    "retail",
    "hospitality",
    "agriculture",
    "mining_energy",
    "utilities",
    "services",
    "it_communications",
    "finance",
    "education",
    "healthcare",
    "security",
    "public_administration",
    "culture",
}
SLUG_RE = re.compile(r"^[a-z][a-z0-9_]*$")
REGION_CODE_RE = re.compile(r"^KZ-[A-Z]{3}$")
MIN_CONCRETE_OCCUPATIONS = 110
MIN_SKILLS = 320
MIN_SKILLS_MULTILANG_SYNONYMS = 250
MIN_SKILL_LINKS_PER_OCCUPATION = 3
MIN_KK_DIFFERS_FROM_RU = 0.8

errors: list[str] = []


def err(msg: str) -> None:
    errors.append(msg)


def norm(text: str) -> str:
    return text.strip().casefold()


def load(name: str) -> list:
    path = DATA_DIR / name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        err(f"{name}: file not found at {path}")
        return []
    except json.JSONDecodeError as exc:
        err(f"{name}: invalid JSON: {exc}")
        return []
    if not isinstance(data, list):
        err(f"{name}: top level must be a JSON list")
        return []
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            err(f"{name}[{i}]: every entry must be an object")
            return []
    return data


def check_names(where: str, obj: dict, fields=NAME_FIELDS) -> None:
    for field in fields:
        value = obj.get(field)
        if not isinstance(value, str) or not value.strip():
            err(f"{where}: '{field}' missing or empty")
        elif value != value.strip():
            err(f"{where}: '{field}' has leading/trailing whitespace")


def check_unique(name: str, codes: list) -> None:
    for code, n in Counter(codes).items():
        if n > 1:
            err(f"{name}: code {code!r} used {n} times")


def check_kk_vs_ru(name: str, items: list) -> None:
    named = [
        x for x in items if isinstance(x.get("name_kk"), str) and isinstance(x.get("name_ru"), str)
    ]
    if not named:
        return
    differ = sum(1 for x in named if norm(x["name_kk"]) != norm(x["name_ru"]))
    share = differ / len(named)
    if share < MIN_KK_DIFFERS_FROM_RU:
        same = [x.get("code") for x in named if norm(x["name_kk"]) == norm(x["name_ru"])]
        err(
            f"{name}: only {share:.0%} of Kazakh names differ from Russian "
            f"(need {MIN_KK_DIFFERS_FROM_RU:.0%}); identical: {same[:15]}"
        )


def check_sectors(sectors: list) -> set[str]:
    codes = [s.get("code") for s in sectors]
    check_unique("sectors.json", codes)
    if set(codes) != SECTOR_CODES or len(codes) != len(SECTOR_CODES):
        err(
            f"sectors.json: must hold exactly the {len(SECTOR_CODES)} fixed sectors; "
            f"missing {sorted(SECTOR_CODES - set(codes))}, "
            f"unexpected {sorted(set(codes) - SECTOR_CODES, key=str)}"
        )
    for s in sectors:
        check_names(f"sectors.json[{s.get('code')}]", s)
    return set(codes)


def check_regions(regions: list) -> None:
    if len(regions) != 20:
        err(f"regions.json: expected 20 regions, found {len(regions)}")
    kinds = Counter(r.get("kind") for r in regions)
    if kinds.get("oblast") != 17 or kinds.get("city") != 3 or len(kinds) != 2:
        err(f"regions.json: expected 17 'oblast' + 3 'city', found {dict(kinds)}")
    check_unique("regions.json", [r.get("code") for r in regions])
    city_codes = []
    for r in regions:
        where = f"regions.json[{r.get('code')}]"
        if not isinstance(r.get("code"), str) or not REGION_CODE_RE.match(r["code"]):
            err(f"{where}: code must look like 'KZ-ABC'")
        check_names(where, r)
        centre = r.get("centre")
        if not isinstance(centre, dict):
            err(f"{where}: 'centre' must be an object with kk/ru/en")
        else:
            check_names(f"{where}.centre", centre, LANGS)
        cities = r.get("cities")
        if not isinstance(cities, list) or not cities:
            err(f"{where}: 'cities' must be a non-empty list")
            continue
        if r.get("kind") == "city" and len(cities) != 1:
            err(f"{where}: a city of republican significance lists only itself")
        if r.get("kind") == "oblast" and not 2 <= len(cities) <= 6:
            err(f"{where}: an oblast lists 2-6 main towns, found {len(cities)}")
        for c in cities:
            code = c.get("code") if isinstance(c, dict) else None
            if not isinstance(code, str) or not SLUG_RE.match(code):
                err(f"{where}: city code {code!r} must be a lowercase ascii slug")
                continue
            city_codes.append(code)
            check_names(f"{where}.cities[{code}]", c)
        if isinstance(centre, dict) and not any(
            isinstance(c, dict) and c.get("name_ru") == centre.get("ru") for c in cities
        ):
            err(f"{where}: administrative centre {centre.get('ru')!r} is not among its cities")
    check_unique("regions.json cities", city_codes)
    check_kk_vs_ru("regions.json", regions)


def check_occupations(occupations: list, sector_codes: set[str]) -> set[str]:
    check_unique("occupations.json", [o.get("code") for o in occupations])
    by_level = defaultdict(list)
    for o in occupations:
        by_level[o.get("level")].append(o)
    unknown_levels = set(by_level) - {"major", "sub_major", "occupation"}
    if unknown_levels:
        err(f"occupations.json: unknown levels {sorted(map(str, unknown_levels))}")

    majors = {o.get("code") for o in by_level["major"]}
    subs = {o.get("code") for o in by_level["sub_major"]}
    if majors != {str(d) for d in range(10)}:
        err(f"occupations.json: need the 10 ISCO-08 major groups '0'..'9', found {sorted(majors)}")
    if len(by_level["sub_major"]) != 43:
        err(f"occupations.json: need 43 sub-major groups, found {len(by_level['sub_major'])}")
    concrete = by_level["occupation"]
    if len(concrete) < MIN_CONCRETE_OCCUPATIONS:
        err(
            f"occupations.json: need >= {MIN_CONCRETE_OCCUPATIONS} concrete occupations, "
            f"found {len(concrete)}"
        )

    for o in by_level["major"]:
        where = f"occupations.json[{o.get('code')}]"
        check_names(where, o)
        if o.get("parent") is not None:
            err(f"{where}: a major group has parent null")
        if "sector" in o:
            err(f"{where}: major groups carry no sector")
    for o in by_level["sub_major"]:
        code = o.get("code")
        where = f"occupations.json[{code}]"
        check_names(where, o)
        if not (isinstance(code, str) and re.fullmatch(r"\d{2}", code)):
            err(f"{where}: sub-major code must be 2 digits")
        elif o.get("parent") != code[0]:
            err(f"{where}: parent must be {code[0]!r}, found {o.get('parent')!r}")
        if o.get("parent") not in majors:
            err(f"{where}: parent {o.get('parent')!r} is not a major group")
        if "sector" in o:
            err(f"{where}: sub-major groups carry no sector")
    for o in concrete:
        code = o.get("code")
        where = f"occupations.json[{code}]"
        check_names(where, o)
        if not isinstance(code, str) or not SLUG_RE.match(code):
            err(f"{where}: code must be a lowercase ascii slug")
        isco = o.get("isco")
        parent = o.get("parent")
        if not (isinstance(isco, str) and re.fullmatch(r"\d{4}", isco)):
            err(f"{where}: 'isco' must be a 4-digit string, found {isco!r}")
        elif parent != isco[:2]:
            err(f"{where}: parent {parent!r} does not match ISCO unit group {isco}")
        if parent not in subs:
            err(f"{where}: parent {parent!r} is not a sub-major group")
        if o.get("sector") not in sector_codes:
            err(f"{where}: unknown sector {o.get('sector')!r}")
        if not isinstance(o.get("hazardous"), bool):
            err(f"{where}: 'hazardous' must be true/false")
    check_kk_vs_ru("occupations.json", occupations)
    return {o.get("code") for o in concrete}


def check_skills(skills: list, concrete: set[str]) -> None:
    if len(skills) < MIN_SKILLS:
        err(f"skills.json: need >= {MIN_SKILLS} skills, found {len(skills)}")
    check_unique("skills.json", [s.get("code") for s in skills])

    # every name of every skill, normalised -> skill codes that carry it
    name_owner: dict[str, set[str]] = defaultdict(set)
    for s in skills:
        for field in NAME_FIELDS:
            if isinstance(s.get(field), str):
                name_owner[norm(s[field])].add(s.get("code"))

    synonym_owner: dict[str, str] = {}
    multilang = 0
    links: Counter[str] = Counter()
    for s in skills:
        code = s.get("code")
        where = f"skills.json[{code}]"
        if not isinstance(code, str) or not SLUG_RE.match(code):
            err(f"{where}: code must be a lowercase ascii slug")
        check_names(where, s)

        syn = s.get("synonyms")
        if not isinstance(syn, dict) or set(syn) != set(LANGS):
            err(f"{where}: 'synonyms' must be an object with exactly kk/ru/en lists")
            syn = {}
        total, langs_used = 0, 0
        seen_here: set[str] = set()
        for lang in LANGS:
            values = syn.get(lang, [])
            if not isinstance(values, list):
                err(f"{where}: synonyms.{lang} must be a list")
                continue
            if values:
                langs_used += 1
            for value in values:
                if not isinstance(value, str) or not value.strip():
                    err(f"{where}: empty synonym in {lang}")
                    continue
                total += 1
                key = norm(value)
                if key in seen_here:
                    err(f"{where}: synonym {value!r} repeated within the skill")
                seen_here.add(key)
                owners = name_owner.get(key, set())
                if code in owners:
                    err(f"{where}: synonym {value!r} equals the skill's own name")
                if owners - {code}:
                    err(f"{where}: synonym {value!r} equals the name of {sorted(owners - {code})}")
                other = synonym_owner.get(key)
                if other is not None and other != code:
                    err(f"{where}: synonym {value!r} is also a synonym of {other!r}")
                synonym_owner.setdefault(key, code)
        if total == 0:
            err(f"{where}: needs at least one synonym")
        if langs_used >= 2:
            multilang += 1

        occs = s.get("occupations")
        if not isinstance(occs, list) or not occs:
            err(f"{where}: 'occupations' must be a non-empty list")
            continue
        for occ in occs:
            if occ not in concrete:
                err(f"{where}: unknown concrete occupation {occ!r}")
        for occ, n in Counter(occs).items():
            if n > 1:
                err(f"{where}: occupation {occ!r} listed twice")
        links.update(set(occs))

    if multilang < MIN_SKILLS_MULTILANG_SYNONYMS:
        err(
            f"skills.json: only {multilang} skills have synonyms in >= 2 languages "
            f"(need {MIN_SKILLS_MULTILANG_SYNONYMS})"
        )
    for occ in sorted(concrete, key=str):
        if links[occ] < MIN_SKILL_LINKS_PER_OCCUPATION:
            err(
                f"skills.json: occupation {occ!r} is linked from {links[occ]} skills "
                f"(need {MIN_SKILL_LINKS_PER_OCCUPATION})"
            )
    check_kk_vs_ru("skills.json", skills)


def main() -> int:
    regions = load("regions.json")
    sectors = load("sectors.json")
    occupations = load("occupations.json")
    skills = load("skills.json")
    if errors:  # unreadable files: further checks would only add noise
        print("\n".join(errors), file=sys.stderr)
        return 1

    sector_codes = check_sectors(sectors)
    check_regions(regions)
    concrete = check_occupations(occupations, sector_codes)
    check_skills(skills, concrete)

    if errors:
        print(f"reference data: {len(errors)} problem(s)", file=sys.stderr)
        for msg in errors:
            print(f"  - {msg}", file=sys.stderr)
        return 1
    n_concrete = len(concrete)
    print(
        f"reference data OK: {len(regions)} regions, {len(sectors)} sectors, "
        f"{len(occupations) - n_concrete} ISCO groups + {n_concrete} occupations, "
        f"{len(skills)} skills"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
