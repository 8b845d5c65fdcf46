"""Hard constraints over a whole population, as boolean masks."""

from __future__ import annotations

from datetime import date

import numpy as np

from matching.constraints import (
    COURT_BAN,
    CURFEW,
    TERRITORY,
    active_ban_codes,
    curfew_segments,
    segments_overlap,
)
from matching.features import Context
from matching.query import scalar
from matching.rowstore import RowStore
from matching.store import Codebook
from matching.types import Candidate


def _column_hit(store: RowStore, name: str, n_cols: int, columns: list[int]) -> np.ndarray:
    """Per row: the stored value summed over the given sparse columns."""
    indicator = np.zeros(max(n_cols, 1), dtype=np.float32)
    indicator[[c for c in columns if c >= 0]] = 1.0
    return store.sparse[name].dot(indicator)


def blocked_candidates(ctx: Context, cands: RowStore, vacancy, today: date) -> np.ndarray:
    """Rows of candidates a court or supervision condition keeps from ``vacancy``."""
    today_ordinal = float(today.toordinal())
    occupation, sector = scalar(vacancy, "occupation"), scalar(vacancy, "sector")
    until = _column_hit(cands, "ban_occupations", len(ctx.occupations), [occupation])
    blocked = until >= today_ordinal
    until = _column_hit(cands, "ban_sectors", len(ctx.sectors), [sector])
    blocked |= until >= today_ordinal
    has_curfew = cands.col("has_curfew")
    if not scalar(vacancy, "hours_known"):
        blocked |= has_curfew
    else:
        curfew = tuple(cands.col(f"curfew{i}") for i in range(4))
        hours = tuple(scalar(vacancy, f"hours{i}") for i in range(4))
        blocked |= has_curfew & segments_overlap(curfew, hours)
    places = [scalar(vacancy, "region"), scalar(vacancy, "city")]
    allowed = _column_hit(cands, "territory", len(ctx.locations), places) > 0
    blocked |= cands.col("has_territory") & ~allowed
    return blocked


def _codes(codebook: Codebook, codes) -> list[int]:
    return [i for i in (codebook.get(code) for code in codes) if i >= 0]


def blocked_vacancies(ctx: Context, vacs: RowStore, candidate: Candidate, today: date) -> dict:
    """Per reason code, a mask of vacancy rows closed to ``candidate``.

    Unknown location counts as outside the territory, unknown hours as
    overlapping the curfew: conditions are never gambled on.
    """
    restrictions = candidate.restrictions
    occupations, sectors = active_ban_codes(restrictions.bans, today)
    masks = {
        COURT_BAN: np.isin(vacs.col("occupation"), _codes(ctx.occupations, occupations))
        | np.isin(vacs.col("sector"), _codes(ctx.sectors, sectors)),
    }
    curfew = curfew_segments(restrictions.curfew)
    if curfew is not None:
        hours = tuple(vacs.col(f"hours{i}") for i in range(4))
        masks[CURFEW] = ~vacs.col("hours_known") | segments_overlap(curfew, hours)
    if restrictions.territory is not None:
        allowed = _codes(ctx.locations, restrictions.territory)
        inside = np.isin(vacs.col("region"), allowed) | np.isin(vacs.col("city"), allowed)
        # Rotational work is allowed only where its location is itself inside.
        masks[TERRITORY] = ~inside
    return masks


def any_blocked(masks: dict, n_rows: int) -> np.ndarray:
    blocked = np.zeros(n_rows, dtype=bool)
    for mask in masks.values():
        blocked |= mask
    return blocked
