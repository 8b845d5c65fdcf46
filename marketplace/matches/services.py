"""Ranked pages for employers and candidates, and training the weights from outcomes."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

import matching
from marketplace.audit.services import record
from marketplace.candidates.models import CandidateProfile, CandidateSkill
from marketplace.employers.models import Vacancy, VacancySkill
from marketplace.extensions import db
from marketplace.matches import adapters
from marketplace.matches.changes import record_change
from marketplace.matches.index import adopted_weights, current_index
from marketplace.matches.models import MatchingWeights, MatchOutcome, Outcome

PER_PAGE = 10


@dataclass(frozen=True)
class RankedPage:
    """One page of results: (row, score, explanation) triples, best first."""

    items: list[tuple[object, float, dict]]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _rows_in_order(model, ids, *options) -> dict:
    rows = db.session.scalars(select(model).where(model.id.in_(ids)).options(*options))
    return {row.id: row for row in rows}


def _page(result: matching.Page, model, page: int, *options) -> RankedPage:
    ids = [m.id for m in result.items]
    rows = _rows_in_order(model, ids, *options)
    items = [(rows[m.id], m.score, m.explanation) for m in result.items if m.id in rows]
    return RankedPage(items, result.total, page, PER_PAGE)


def ranked_candidates(vacancy: Vacancy, *, page: int = 1, today: date | None = None
                      ) -> RankedPage:
    """Discoverable candidates for this vacancy, best first. Candidates whose court ban or
    supervision condition rules the job out are absent, with no reason given."""
    result = current_index().rank_candidates(
        adapters.to_vacancy(vacancy), top_k=PER_PAGE, offset=(page - 1) * PER_PAGE, today=today)
    return _page(result, CandidateProfile, page,
                 selectinload(CandidateProfile.skills).selectinload(CandidateSkill.skill))


@dataclass(frozen=True)
class Recommendations:
    page: RankedPage
    skill_gap: list[dict]
    blocked: int
    incomplete: bool


def recommendations(profile: CandidateProfile, *, page: int = 1, today: date | None = None
                    ) -> Recommendations:
    index = current_index()
    candidate = adapters.to_candidates([profile])[0]
    result = index.recommend_vacancies(candidate, top_k=PER_PAGE, offset=(page - 1) * PER_PAGE,
                                       today=today)
    ranked = _page(result, Vacancy, page,
                   selectinload(Vacancy.skills).selectinload(VacancySkill.skill))
    incomplete = any(e.get("incomplete_profile") for _, _, e in ranked.items) or not (
        profile.skills or profile.desired_title)
    return Recommendations(
        page=ranked,
        skill_gap=index.skill_gap(candidate, top_n=5, today=today),
        blocked=len(index.blocked_vacancies(candidate, today=today)),
        incomplete=incomplete,
    )


def training_examples() -> list[tuple[matching.Vacancy, matching.Candidate, int]]:
    outcomes = db.session.scalars(select(MatchOutcome).order_by(MatchOutcome.id)).all()
    vacancies = _rows_in_order(Vacancy, {o.vacancy_id for o in outcomes})
    profiles = _rows_in_order(CandidateProfile, {o.candidate_id for o in outcomes})
    return [(adapters.to_vacancy(vacancies[o.vacancy_id]),
             adapters.to_candidate(profiles[o.candidate_id]),
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


def skill_labels(explanations) -> dict[str, str]:
    """Taxonomy codes in explanations → skill names in the reader's language."""
    from marketplace.reference.models import Skill

    codes = set()
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
    candidate = adapters.to_candidates([profile])[0]
    restrictions = candidate.restrictions
    if not (restrictions.bans or restrictions.curfew or restrictions.territory):
        return set()
    return set(current_index().blocked_vacancies(candidate, today=today))
