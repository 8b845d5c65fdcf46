"""One matching index per process, built from the database at first use and kept current by
replaying the `match_change` log, so every gunicorn worker converges on the same data.

The index holds what may be shown: discoverable candidates and public vacancies. A profile or
vacancy that stops qualifying is removed on the next replay.
"""

import gc
import threading
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import func, select

import matching
from marketplace.candidates.models import CandidateProfile
from marketplace.employers.models import Vacancy
from marketplace.employers.vacancies import is_public
from marketplace.extensions import db
from marketplace.matches import adapters
from marketplace.matches.models import MatchChange, MatchingWeights

# Past this many unseen changes a rebuild is cheaper than replaying them one by one.
REBUILD_AFTER = 5_000
FREEZE_ABOVE = 10_000
# Changes that every worker answers with a full rebuild: the skills taxonomy changed, or the
# daily refresh (`flask matching-refresh`) that lets ended bans, curfews and expired
# certificates take effect.
REBUILD_ENTITIES = {"taxonomy", "refresh"}
_EXTENSION_KEY = "matching_index"


@dataclass
class _Holder:
    index: matching.MatchIndex | None = None
    seen: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _holder() -> _Holder:
    return current_app.extensions.setdefault(_EXTENSION_KEY, _Holder())


def adopted_weights() -> dict | None:
    row = db.session.scalar(select(MatchingWeights).where(MatchingWeights.adopted.is_(True))
                            .order_by(MatchingWeights.id.desc()).limit(1))
    return dict(row.weights) if row else None


def _latest_change() -> int:
    return db.session.scalar(select(func.max(MatchChange.id))) or 0


def build_index() -> matching.MatchIndex:
    profiles = db.session.scalars(adapters.discoverable_candidates_query()).all()
    index = matching.MatchIndex(
        candidates=adapters.to_candidates(profiles),
        vacancies=[adapters.to_vacancy(v)
                   for v in db.session.scalars(adapters.public_vacancies_query())],
        taxonomy=adapters.taxonomy(),
        weights=adopted_weights(),
    )
    if index.n_candidates + index.n_vacancies > FREEZE_ABOVE:
        # Long-lived profile objects make every full GC pass walk them (≈0.4 s at 100k rows).
        gc.collect()
        gc.freeze()
    return index


def current_index() -> matching.MatchIndex:
    """The process's index, brought up to date with every change committed so far."""
    holder = _holder()
    with holder.lock:
        latest = _latest_change()
        if holder.index is None or latest - holder.seen > REBUILD_AFTER:
            holder.index, holder.seen = build_index(), latest
        elif latest > holder.seen:
            _replay(holder, latest)
        return holder.index


def _replay(holder: _Holder, latest: int) -> None:
    changes = db.session.execute(
        select(MatchChange.entity, MatchChange.entity_id).distinct()
        .where(MatchChange.id > holder.seen, MatchChange.id <= latest)).all()
    if any(entity in REBUILD_ENTITIES for entity, _ in changes):
        holder.index, holder.seen = build_index(), latest
        return
    for entity, entity_id in changes:
        _APPLY[entity](holder.index, entity_id)
    holder.seen = latest


def _apply_candidate(index: matching.MatchIndex, profile_id: int) -> None:
    profile = db.session.get(CandidateProfile, profile_id)
    if profile is not None and profile.discoverable:
        index.upsert_candidate(adapters.to_candidates([profile])[0])
    else:
        index.remove_candidate(profile_id)


def _apply_vacancy(index: matching.MatchIndex, vacancy_id: int) -> None:
    vacancy = db.session.get(Vacancy, vacancy_id)
    if vacancy is not None and is_public(vacancy):
        index.upsert_vacancy(adapters.to_vacancy(vacancy))
    else:
        index.remove_vacancy(vacancy_id)


def _apply_organisation(index: matching.MatchIndex, organisation_id: int) -> None:
    for vacancy_id in db.session.scalars(
            select(Vacancy.id).where(Vacancy.organisation_id == organisation_id)):
        _apply_vacancy(index, vacancy_id)


def _apply_weights(index: matching.MatchIndex, _row_id: int) -> None:
    index.weights = adopted_weights() or dict(matching.DEFAULT_WEIGHTS)


_APPLY = {"candidate": _apply_candidate, "vacancy": _apply_vacancy,
          "organisation": _apply_organisation, "weights": _apply_weights}


def forget_index() -> None:
    """Drop this process's index (tests that empty the tables; the next use rebuilds)."""
    holder = _holder()
    with holder.lock:
        holder.index, holder.seen = None, 0
