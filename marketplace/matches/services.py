"""Ranked pages for employers and candidates, and training the weights from outcomes."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

import matching
from marketplace.audit.services import record
from marketplace.candidates.models import CandidateProfile
from marketplace.employers.models import EmployerOrganisation, Vacancy
from marketplace.employers.vacancies import public_conditions
from marketplace.extensions import db
from marketplace.matches import adapters, loading
from marketplace.matches.changes import record_change
from marketplace.matches.index import (
    IndexNotReady,
    adopted_weights,
    current_index,
    remembered,
)
from marketplace.matches.models import MatchingWeights, MatchOutcome, Outcome

PER_PAGE = 10


@dataclass(frozen=True)
class RankedPage:
    """One page of results: (row, score, explanation) triples, best first."""

    items: list[tuple[object, float, dict]]
    total: int
    page: int
    per_page: int
    # No index on this host yet (production, first build failed or running): nothing ranked.
    preparing: bool = False
    # Per row id, the skills as the engine holds them (taxonomy codes or free text), in the
    # profile's order: the cards show them without loading every skill row again.
    skills: dict = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _rows_in_order(model, ids, *options) -> dict:
    rows = db.session.scalars(select(model).where(model.id.in_(ids)).options(*options))
    return {row.id: row for row in rows}


def _page(result: matching.Page, model, page: int, *options, skills=None) -> RankedPage:
    ids = [m.id for m in result.items]
    rows = _rows_in_order(model, ids, *options)
    items = [(rows[m.id], m.score, m.explanation) for m in result.items if m.id in rows]
    return RankedPage(items, result.total, page, PER_PAGE, skills=skills or {})


def ranked_candidates(vacancy: Vacancy, *, page: int = 1, today: date | None = None
                      ) -> RankedPage:
    """Discoverable candidates for this vacancy, best first. Candidates whose court ban or
    supervision condition rules the job out are absent, with no reason given."""
    try:
        result, skills = remembered(("rank", vacancy.id, page, today or date.today()),
                                    lambda index: _rank(index, vacancy, page, today))
    except IndexNotReady:
        return RankedPage([], 0, page, PER_PAGE, preparing=True)
    # Everything the cards show, in a fixed number of statements whatever the page size.
    return _page(result, CandidateProfile, page, selectinload(CandidateProfile.region),
                 selectinload(CandidateProfile.city), skills=skills)


def _rank(index: matching.MatchIndex, vacancy: Vacancy, page: int, today: date | None):
    # A public vacancy is in the index, as current as the change log: no need to read it.
    wanted = index.vacancy(vacancy.id) or adapters.to_vacancy(vacancy)
    result = index.rank_candidates(
        wanted, top_k=PER_PAGE, offset=(page - 1) * PER_PAGE, today=today)
    skills = {m.id: tuple(skill.name for skill in index.candidate(m.id).skills)
              for m in result.items}
    return result, skills


@dataclass(frozen=True)
class Recommendations:
    page: RankedPage
    skill_gap: list[dict]
    blocked: int
    incomplete: bool


def recommendations(profile: CandidateProfile, *, page: int = 1, today: date | None = None
                    ) -> Recommendations:
    """Public vacancies for this candidate, best first, without the ones a condition closes."""
    try:
        candidate, result, gap, blocked = remembered(
            ("recommend", profile.id, page, today or date.today()),
            lambda index: _recommend(index, profile, page, today))
    except IndexNotReady:
        return Recommendations(RankedPage([], 0, page, PER_PAGE, preparing=True), [], 0, False)
    ranked = _page(result, Vacancy, page, selectinload(Vacancy.organisation),
                   selectinload(Vacancy.region), selectinload(Vacancy.city))
    incomplete = any(e.get("incomplete_profile") for _, _, e in ranked.items) or not (
        candidate.skills or profile.desired_title)
    return Recommendations(page=ranked, skill_gap=gap, blocked=blocked, incomplete=incomplete)


def _recommend(index: matching.MatchIndex, profile: CandidateProfile, page: int,
               today: date | None) -> tuple:
    # A discoverable profile is in the index, as current as the change log; others are read.
    candidate = index.candidate(profile.id) or adapters.to_candidate(profile)
    result = index.recommend_vacancies(candidate, top_k=PER_PAGE, offset=(page - 1) * PER_PAGE,
                                       today=today)
    return (candidate, result, index.skill_gap(candidate, top_n=5, today=today),
            len(index.blocked_vacancies(candidate, today=today)))


def training_examples() -> list[tuple[matching.Vacancy, matching.Candidate, int]]:
    outcomes = db.session.execute(select(MatchOutcome.vacancy_id, MatchOutcome.candidate_id,
                                         MatchOutcome.outcome).order_by(MatchOutcome.id)).all()
    vacancies = loading.vacancies_by_id({o.vacancy_id for o in outcomes})
    candidates = loading.candidates_by_id({o.candidate_id for o in outcomes})
    return [(vacancies[o.vacancy_id], candidates[o.candidate_id],
             1 if o.outcome is Outcome.HIRED else 0) for o in outcomes]


def train_weights(*, min_examples: int) -> MatchingWeights:
    """Fit new weights on recorded outcomes; adopt them only if held-out NDCG@10 improves.

    Every run is kept (adopted or not) so the history of the weights can be audited."""
    result = matching.fit_weights(training_examples(), current_weights=adopted_weights(),
                                  min_examples=min_examples, taxonomy=adapters.taxonomy())
    run = MatchingWeights(weights=result.new_weights or result.weights, adopted=result.adopted,
                          reason=result.reason, examples=result.n_examples,
                          current_ndcg=result.current_ndcg, new_ndcg=result.new_ndcg)
    db.session.add(run)
    db.session.flush()
    if result.adopted:
        record_change("weights", run.id)
    record("matching:train", run, adopted=result.adopted, reason=result.reason)
    return run


def skill_labels(explanations, extra=()) -> dict[str, str]:
    """Taxonomy codes in explanations (and `extra` names) → skill names in the reader's
    language; free-text names are not codes and stay as they are."""
    from marketplace.reference.models import Skill

    codes = set(extra)
    for e in explanations:
        for key in ("matched_required", "matched_optional"):
            codes.update(m["skill"] for m in e.get(key, ()))
            codes.update(m["matched_as"] for m in e.get(key, ()))
        codes.update(e.get("missing_required", ()))
        codes.update(g.get("skill_id") or g["skill"] for g in e.get("skill_gap", ()))
    if not codes:
        return {}
    return {s.code: s.name for s in db.session.scalars(select(Skill).where(Skill.code.in_(codes)))}


def blocked_vacancy_ids(profile: CandidateProfile, *, today: date | None = None) -> set[int]:
    """Vacancies a court ban or supervision condition rules out for this candidate: kept out of
    their search results and refused on apply. Only the candidate ever learns of this."""
    candidate = adapters.restrictions_only(profile)
    restrictions = candidate.restrictions
    if not (restrictions.bans or restrictions.curfew or restrictions.territory):
        return set()
    try:
        return set(current_index().blocked_vacancies(candidate, today=today))
    except IndexNotReady:
        # Nothing can prove a job compatible yet: every public one counts as closed.
        return set(db.session.scalars(
            select(Vacancy.id).join(EmployerOrganisation).where(*public_conditions())))
