"""Turning candidates and vacancies into numeric rows, in batches.

Everything a query needs for the whole population lives in numpy columns
and sparse rows; per-profile Python work happens once, at ingestion.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from matching.constraints import EMPTY_SEGMENTS, ban_until, curfew_segments, work_segments
from matching.store import Codebook
from matching.strings import SkillResolver, StringTable
from matching.text import TextEncoder, normalise
from matching.types import SCHEDULES, Candidate, Taxonomy, Vacancy

# A certified skill is proven; a self-declared one counts, but less.
CERTIFIED, SELF_DECLARED = 1.0, 0.6
REQUIRED_WEIGHT, OPTIONAL_WEIGHT = 2.0, 1.0
MAX_LANGUAGES = 63  # languages are bits of a uint64 mask


class RowsBuilder:
    """Collects sparse rows as {column: value} dicts, then emits CSR."""

    def __init__(self) -> None:
        self.indptr, self.indices, self.data = [0], [], []

    def add(self, row: dict[int, float]) -> None:
        self.indices.extend(row.keys())
        self.data.extend(row.values())
        self.indptr.append(len(self.indices))

    def csr(self) -> sp.csr_matrix:
        n_cols = max(self.indices, default=-1) + 1
        return sp.csr_matrix(
            (np.asarray(self.data, np.float32), np.asarray(self.indices, np.int32), self.indptr),
            shape=(len(self.indptr) - 1, n_cols),
        )


@dataclass
class Batch:
    """Rows for several profiles: dense column lists and sparse row builders."""

    dense: dict[str, list] = field(default_factory=dict)
    sparse: dict[str, RowsBuilder] = field(default_factory=dict)

    def put(self, **values: object) -> None:
        for name, value in values.items():
            self.dense.setdefault(name, []).append(value)

    def put_segments(self, prefix: str, segments: tuple[int, int, int, int]) -> None:
        """Clock segments as four int columns: prefix0..prefix3."""
        self.put(**{f"{prefix}{i}": value for i, value in enumerate(segments)})

    def row(self, name: str, row: dict[int, float]) -> None:
        self.sparse.setdefault(name, RowsBuilder()).add(row)


def _number(value: float | None) -> float:
    return float(value) if value is not None and math.isfinite(float(value)) else math.nan


def _has_letters(text: object) -> bool:
    return isinstance(text, str) and any(ch.isalpha() for ch in text)


class Context:
    """Shared vocabulary: taxonomy, encoder, string tables and codebooks."""

    def __init__(self, taxonomy: Taxonomy, fit_texts: Iterable[str]) -> None:
        names = [name for c in taxonomy.concepts for name in c.names]
        self.taxonomy = taxonomy
        self.encoder = TextEncoder([*names, *fit_texts])
        self.resolver = SkillResolver(taxonomy, self.encoder)
        self.concept_index = {c.id: i for i, c in enumerate(taxonomy.concepts)}
        self.locations, self.occupations = Codebook(), Codebook()
        self.sectors, self.languages = Codebook(), Codebook()
        self.cand_free, self.vac_free = StringTable(self.encoder), StringTable(self.encoder)
        self.cand_titles, self.vac_titles = StringTable(self.encoder), StringTable(self.encoder)

    @property
    def n_concepts(self) -> int:
        return max(len(self.concept_index), 1)

    def language_mask(self, codes: Iterable[str]) -> int:
        mask = 0
        for code in codes:
            bit = self.languages.add(normalise(code))
            if 0 <= bit < MAX_LANGUAGES:
                mask |= 1 << bit
        return mask


def fit_texts(candidates: Sequence[Candidate], vacancies: Sequence[Vacancy]) -> list[str]:
    """Texts whose n-grams make up the vocabulary."""
    texts: list[str] = []
    for c in candidates:
        texts += [c.title, *c.desired_titles, *c.previous_titles, *(s.name for s in c.skills)]
    for v in vacancies:
        texts += [v.title, *v.required_skills, *v.optional_skills]
    return texts


def candidate_titles(c: Candidate) -> tuple[list[str], list[str]]:
    """Normalised (desired incl. current title, previous) title strings."""
    desired = [t for t in (normalise(x) for x in (c.title, *c.desired_titles)) if t]
    previous = [t for t in (normalise(x) for x in c.previous_titles) if t]
    return desired, previous


def vacancy_titles(v: Vacancy) -> list[str]:
    texts = [v.title, v.occupation if _has_letters(v.occupation) else ""]
    return [t for t in (normalise(x) for x in texts) if t]


def is_incomplete(c: Candidate) -> bool:
    """Too little to judge: no skills and no titles, or under two signals."""
    has_skills = any(normalise(s.name) or s.skill_id for s in c.skills)
    has_titles = any(candidate_titles(c))
    signals = [
        has_skills,
        has_titles,
        c.experience_years is not None,
        bool(c.region or c.city),
        bool(c.schedules),
        bool(c.languages),
    ]
    return not (has_skills or has_titles) or sum(signals) < 2


def candidate_batch(ctx: Context, candidates: Sequence[Candidate]) -> Batch:
    batch = Batch()
    skill_rows = _candidate_skill_rows(ctx, candidates)
    # One encoder call for all new titles; per-row adds below are lookups.
    ctx.cand_titles.add(t for c in candidates for part in candidate_titles(c) for t in part)
    for c, (concepts, free) in zip(candidates, skill_rows, strict=True):
        desired, previous = candidate_titles(c)
        batch.row("concepts", concepts)
        batch.row("free", free)
        batch.row("desired", {i: 1.0 for i in ctx.cand_titles.add(desired)})
        batch.row("previous", {i: 1.0 for i in ctx.cand_titles.add(previous)})
        _candidate_constraints(ctx, c, batch)
        batch.put(
            region=ctx.locations.add(c.region),
            city=ctx.locations.add(c.city),
            relocate=bool(c.relocate),
            experience=_number(c.experience_years),
            schedules=sum(1 << SCHEDULES.index(s) for s in c.schedules if s in SCHEDULES),
            salary=_number(c.salary_expectation),
            languages=ctx.language_mask(c.languages),
            incomplete=is_incomplete(c),
        )
    return batch


def _candidate_constraints(ctx: Context, c: Candidate, batch: Batch) -> None:
    curfew = curfew_segments(c.restrictions.curfew)
    territory = c.restrictions.territory
    occupations, sectors = ban_until(c.restrictions.bans)
    batch.row("ban_occupations", {ctx.occupations.add(k): u for k, u in occupations.items()})
    batch.row("ban_sectors", {ctx.sectors.add(k): u for k, u in sectors.items()})
    batch.row("territory", {ctx.locations.add(code): 1.0 for code in territory or ()})
    batch.put(has_curfew=curfew is not None, has_territory=territory is not None)
    batch.put_segments("curfew", curfew or EMPTY_SEGMENTS)


def skill_strength(certified: bool) -> float:
    return CERTIFIED if certified else SELF_DECLARED


def _candidate_skill_rows(ctx: Context, candidates: Sequence[Candidate]):
    """Per candidate: {concept: strength} and {free string id: strength}."""
    names = [s.name for c in candidates for s in c.skills]
    resolved = dict(zip(names, ctx.resolver.resolve_many(names), strict=True))
    free_keys = [r.key for r in resolved.values() if r.concept_id is None and r.key]
    free_ids = dict(zip(free_keys, ctx.cand_free.add(free_keys), strict=True))
    rows = []
    for c in candidates:
        concepts: dict[int, float] = {}
        free: dict[int, float] = {}
        for skill in c.skills:
            res = resolved[skill.name]
            concept = skill.skill_id if skill.skill_id in ctx.concept_index else res.concept_id
            quality = 1.0 if concept == skill.skill_id else res.quality
            strength = skill_strength(skill.certified)
            if concept is not None:
                col = ctx.concept_index[concept]
                concepts[col] = max(concepts.get(col, 0.0), strength * quality)
            elif res.key:
                col = free_ids[res.key]
                free[col] = max(free.get(col, 0.0), strength)
        rows.append((concepts, free))
    return rows


def vacancy_batch(ctx: Context, vacancies: Sequence[Vacancy]) -> Batch:
    batch = Batch()
    names = [n for v in vacancies for n in (*v.required_skills, *v.optional_skills)]
    resolved = dict(zip(names, ctx.resolver.resolve_many(names), strict=True))
    ctx.vac_free.add(r.key for r in resolved.values() if r.concept_id is None and r.key)
    ctx.vac_titles.add(t for v in vacancies for t in vacancy_titles(v))
    for v in vacancies:
        concepts, free = _vacancy_skill_rows(ctx, v, resolved)
        batch.row("concepts", concepts)
        batch.row("free", free)
        batch.row("titles", {i: 1.0 for i in ctx.vac_titles.add(vacancy_titles(v))})
        hours = work_segments(v.schedule, v.work_start, v.work_end)
        top = v.salary_max if v.salary_max is not None else v.salary_min
        batch.put(
            region=ctx.locations.add(v.region),
            city=ctx.locations.add(v.city),
            occupation=ctx.occupations.add(v.occupation),
            sector=ctx.sectors.add(v.sector),
            schedule=SCHEDULES.index(v.schedule) + 1 if v.schedule in SCHEDULES else 0,
            rotational=v.schedule == "rotational",
            hours_known=hours is not None,
            salary_top=_number(top),
            min_experience=_number(v.min_experience_years),
            languages=ctx.language_mask(v.languages),
            skill_weight=sum(concepts.values()) + sum(free.values()),
        )
        batch.put_segments("hours", hours or EMPTY_SEGMENTS)
    return batch


def _vacancy_skill_rows(ctx: Context, v: Vacancy, resolved: dict):
    concepts: dict[int, float] = {}
    free: dict[int, float] = {}
    lists = ((v.required_skills, REQUIRED_WEIGHT), (v.optional_skills, OPTIONAL_WEIGHT))
    for names, weight in lists:
        for name in names:
            res = resolved[name]
            if res.concept_id is not None:
                col = ctx.concept_index[res.concept_id]
                concepts[col] = max(concepts.get(col, 0.0), weight)
            elif res.key:
                (col,) = ctx.vac_free.add([res.key])
                free[col] = max(free.get(col, 0.0), weight)
    return concepts, free
