"""Synthetic, seeded candidates and vacancies with a hidden ground truth.

Profiles are drawn from occupations (matching/data/occupations.json) and
the shipped kk/ru/en taxonomy, then rendered the way people write them:
any of three languages, synonyms, typos, other word endings and order,
missing fields, false skill claims. The ground truth (real trade, real
skills, location) is kept aside and is what relevance labels come from,
never the engine's own scores.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date
from importlib import resources

from matching.types import (
    SCHEDULES,
    Ban,
    Candidate,
    CandidateSkill,
    Restrictions,
    SkillConcept,
    Taxonomy,
    Vacancy,
)

REGIONS = {
    "KZ-ALA": ("almaty",), "KZ-AST": ("astana",), "KZ-SHY": ("shymkent",),
    "KZ-KAR": ("karaganda", "temirtau"), "KZ-PAV": ("pavlodar", "ekibastuz"),
    "KZ-VOS": ("oskemen", "semey"), "KZ-ATY": ("atyrau",), "KZ-MAN": ("aktau", "zhanaozen"),
    "KZ-AKT": ("aktobe",), "KZ-KUS": ("kostanay", "rudny"),
}
LANGUAGES = ("ru", "kk", "en")
LANGUAGE_WEIGHTS = (0.55, 0.3, 0.15)
_KAZAKH_LETTERS = set("әғқңөұүһі")
_FILLER = {
    "ru": ["ответственный", "без вредных привычек", "готов к обучению", "исполнительный"],
    "kk": ["жауапты", "еңбекқор", "үйренуге дайын", "тәртіпті"],
    "en": ["responsible", "hard-working", "ready to learn", "reliable"],
}


def _load(name: str):
    return json.loads(resources.files("matching.data").joinpath(name).read_text("utf-8"))


def shipped_taxonomy() -> Taxonomy:
    return Taxonomy(tuple(SkillConcept(c["id"], tuple(c["names"])) for c in _load("taxonomy.json")))


def language_of(text: str) -> str:
    if _KAZAKH_LETTERS & set(text.lower()):
        return "kk"
    return "en" if text.isascii() else "ru"


@dataclass(frozen=True)
class Truth:
    """What is really true about a profile, hidden from the engine."""

    occupation: int
    skills: frozenset[str]  # concept ids and "free:<phrase>" ids
    region: str
    relocate: bool = False


class Renderer:
    """Writes skills and titles the way people would, with noise."""

    def __init__(self, rng: random.Random, taxonomy: Taxonomy, noise: float) -> None:
        self.rng, self.noise = rng, noise
        self.names = {c.id: {lang: [] for lang in LANGUAGES} for c in taxonomy.concepts}
        for concept in taxonomy.concepts:
            for name in concept.names:
                self.names[concept.id][language_of(name)].append(name)

    def language(self) -> str:
        return self.rng.choices(LANGUAGES, LANGUAGE_WEIGHTS)[0]

    def pick(self, by_language: dict[str, list[str]], lang: str) -> str:
        options = by_language.get(lang) or [n for names in by_language.values() for n in names]
        return self.rng.choice(options)

    def concept(self, concept_id: str, lang: str) -> str:
        return self.noisy(self.pick(self.names[concept_id], lang))

    def noisy(self, text: str) -> str:
        rng, words = self.rng, text.split()
        if rng.random() < self.noise and len(words) > 1:
            rng.shuffle(words)
        if rng.random() < self.noise:
            words[-1] = self._ending(words[-1])
        if rng.random() < self.noise:
            i = rng.randrange(len(words))
            words[i] = self._typo(words[i])
        text = " ".join(words)
        return text.capitalize() if rng.random() < 0.3 else text

    def _ending(self, word: str) -> str:
        if language_of(word) == "kk":
            return word + self.rng.choice(["ды", "мен", "ге"])
        if word[-1:] in "аяыи":
            return word[:-1] + self.rng.choice(["ой", "и", "у", "е"])
        return word + self.rng.choice(["а", "ом", "ы"]) if word.isalpha() else word

    def _typo(self, word: str) -> str:
        if len(word) < 5:
            return word
        i = self.rng.randrange(1, len(word) - 1)
        op = self.rng.randrange(3)
        if op == 0:
            return word[:i] + word[i + 1 :]
        if op == 1:
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        return word[:i] + self.rng.choice(word) + word[i + 1 :]


class Generator:
    """Seeded source of (candidate, truth) and (vacancy, truth) pairs."""

    def __init__(self, seed: int, noise: float = 0.2, restrictions: bool = False) -> None:
        self.rng = random.Random(seed)
        self.taxonomy = shipped_taxonomy()
        self.occupations = _load("occupations.json")
        self.render = Renderer(self.rng, self.taxonomy, noise)
        self.concept_ids = [c.id for c in self.taxonomy.concepts]
        self.with_restrictions = restrictions

    def _place(self) -> tuple[str, str | None]:
        region = self.rng.choice(list(REGIONS))
        city = self.rng.choice(REGIONS[region]) if self.rng.random() < 0.7 else None
        return region, city

    def _title(self, occ: dict, lang: str) -> str:
        return self.render.noisy(self.render.pick(occ["titles"], lang))

    def _true_skills(self, occ: dict) -> set[str]:
        rng = self.rng
        skills = {c for c in occ["core"] if rng.random() < 0.85}
        skills |= {c for c in occ["extra"] if rng.random() < 0.4}
        skills |= {f"free:{f}" for f in occ["free"] if rng.random() < 0.5}
        if rng.random() < 0.3:
            skills.add(rng.choice(self.concept_ids))
        return skills

    def _claimed(self, true_skills: set[str], lang: str) -> tuple[CandidateSkill, ...]:
        rng, claimed = self.rng, []
        for skill in sorted(true_skills):
            if rng.random() < 0.85:
                name = (self.render.noisy(skill[5:]) if skill.startswith("free:")
                        else self.render.concept(skill, lang))
                claimed.append(CandidateSkill(name, certified=rng.random() < 0.35))
        if rng.random() < 0.3:  # a claim that is not true, never certified
            fake = rng.choice([c for c in self.concept_ids if c not in true_skills])
            claimed.append(CandidateSkill(self.render.concept(fake, lang)))
        rng.shuffle(claimed)
        return tuple(claimed)

    def candidate(self, candidate_id: int) -> tuple[Candidate, Truth]:
        rng, lang = self.rng, self.render.language()
        occ_index = rng.randrange(len(self.occupations))
        occ = self.occupations[occ_index]
        region, city = self._place()
        true_skills = self._true_skills(occ)
        relocate = rng.random() < 0.15
        truth = Truth(occ_index, frozenset(true_skills), region, relocate)
        if rng.random() < 0.03:  # near-empty profile
            return Candidate(candidate_id, region=region), truth
        other = rng.choice(self.occupations)
        years = rng.randrange(0, 16)
        candidate = Candidate(
            id=candidate_id,
            title=self._title(occ, lang) if rng.random() < 0.75 else "",
            desired_titles=(self._title(occ, lang),) if rng.random() < 0.3 else (),
            previous_titles=tuple(
                self._title(o, lang) for o, p in ((occ, 0.5), (other, 0.25)) if rng.random() < p
            ),
            summary=self._summary(lang, years, occ),
            skills=self._claimed(true_skills, lang),
            region=region,
            city=city,
            relocate=relocate,
            experience_years=None if rng.random() < 0.1 else float(years),
            schedules=frozenset(s for s in SCHEDULES if rng.random() < 0.5),
            salary_expectation=None if rng.random() < 0.2 else rng.randrange(150, 450) * 1000.0,
            languages=frozenset({lang} | ({"ru"} if rng.random() < 0.6 else set())),
            restrictions=self._restrictions(region) if self.with_restrictions else Restrictions(),
        )
        return candidate, truth

    def _summary(self, lang: str, years: int, occ: dict) -> str:
        opening = {"ru": f"Опыт работы {years} лет", "kk": f"{years} жыл жұмыс тәжірибесі",
                   "en": f"{years} years of experience"}[lang]
        mention = self._title(occ, lang) if self.rng.random() < 0.5 else ""
        return ". ".join(p for p in (opening, mention, *self.rng.sample(_FILLER[lang], 2)) if p)

    def _restrictions(self, region: str) -> Restrictions:
        rng = self.rng
        bans = ()
        if rng.random() < 0.05:
            until = date(2020 + rng.randrange(10), 1, 1) if rng.random() < 0.7 else None
            banned = frozenset({rng.choice(self.occupations)["code"]})
            bans = (Ban(occupations=banned, until=until),)
        return Restrictions(
            bans=bans,
            curfew=("22:00", "06:00") if rng.random() < 0.2 else None,
            territory=frozenset({region}) if rng.random() < 0.1 else None,
        )

    def vacancy(self, vacancy_id: int | str) -> tuple[Vacancy, Truth]:
        rng, lang = self.rng, self.render.language()
        occ_index = rng.randrange(len(self.occupations))
        occ = self.occupations[occ_index]
        required = [c for c in occ["core"] if rng.random() < 0.9] or [occ["core"][0]]
        optional = [c for c in occ["extra"] if rng.random() < 0.5]
        free = [f for f in occ["free"] if rng.random() < 0.35]
        free_required = [f for f in free if rng.random() < 0.5]
        region, city = self._place()
        schedule = rng.choices([*SCHEDULES, None], [0.5, 0.25, 0.1, 0.1, 0.05])[0]
        salary = rng.randrange(150, 400) * 1000
        title = self._title(occ, lang)
        required_names = [self.render.concept(c, lang) for c in required] + free_required
        optional_names = [self.render.concept(c, lang) for c in optional]
        optional_names += [f for f in free if f not in free_required]
        vacancy = Vacancy(
            id=vacancy_id, title=title, occupation=occ["code"], sector=occ["sector"],
            description=f"{title}. {', '.join(required_names + optional_names)}. "
            + ", ".join(rng.sample(_FILLER[lang], 2)),
            required_skills=tuple(required_names), optional_skills=tuple(optional_names),
            region=region, city=city, schedule=schedule,
            salary_min=float(salary), salary_max=float(salary + 100_000),
            min_experience_years=float(rng.choice([0, 1, 2, 3, 5])),
            languages=frozenset({rng.choice(["ru", "kk"])}) if rng.random() < 0.5 else frozenset(),
        )
        truth_skills = frozenset(required) | {f"free:{f}" for f in free_required}
        return vacancy, Truth(occ_index, truth_skills, region)
