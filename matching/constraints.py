"""Hard constraints from court and supervision conditions.

These are filters, never soft scores: a vacancy a condition rules out is
not shown to the candidate, and the candidate is not shown to the employer.
Whenever the data cannot prove a job is compatible, it is excluded.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np

from matching.types import Ban

MINUTES_PER_DAY = 24 * 60
_HHMM = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")
# Working hours assumed when a vacancy gives none; other schedules
# (shifts, rotational, unknown) may cover any hour.
DEFAULT_HOURS = {"day": ("09:00", "18:00"), "night": ("22:00", "06:00")}
# Reason codes, in the order they are reported when several apply.
COURT_BAN, CURFEW, TERRITORY = "court_ban", "curfew", "territory"
# Stored "until" of an indefinite ban: later than any real date ordinal.
INDEFINITE = float(date.max.toordinal())
EMPTY_SEGMENTS = (0, 0, 0, 0)


def parse_hhmm(text: object) -> int | None:
    """Minutes after midnight for "HH:MM", else None."""
    match = _HHMM.match(text) if isinstance(text, str) else None
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        return None
    return hours * 60 + minutes


def segments(start: object, end: object) -> tuple[int, int, int, int] | None:
    """A clock interval as two half-open minute segments (s1, e1, s2, e2).

    An interval crossing midnight is split in two; start == end means the
    whole day. None if either end is not a valid "HH:MM".
    """
    first, last = parse_hhmm(start), parse_hhmm(end)
    if first is None or last is None:
        return None
    if first < last:
        return (first, last, 0, 0)
    if first > last:
        return (first, MINUTES_PER_DAY, 0, last)
    return (0, MINUTES_PER_DAY, 0, 0)


def curfew_segments(curfew: tuple[str, str] | None) -> tuple[int, int, int, int] | None:
    """Curfew segments; a malformed curfew is taken as the whole day (conservative)."""
    if curfew is None:
        return None
    parsed = segments(*curfew) if len(curfew) == 2 else None
    return parsed or (0, MINUTES_PER_DAY, 0, 0)


def work_segments(schedule: str | None, start: str | None, end: str | None):
    """Vacancy working hours as segments, or None when they could be any hour."""
    explicit = segments(start, end)
    if explicit is not None:
        return explicit
    if schedule in DEFAULT_HOURS:
        return segments(*DEFAULT_HOURS[schedule])
    return None


def segments_overlap(a: tuple, b: tuple) -> np.ndarray | bool:
    """Whether two segment pairs intersect; works on scalars or numpy arrays."""
    hit = False
    for a_start, a_end in ((a[0], a[1]), (a[2], a[3])):
        for b_start, b_end in ((b[0], b[1]), (b[2], b[3])):
            hit = hit | ((a_start < b_end) & (b_start < a_end))
    return hit


def active_ban_codes(bans: tuple[Ban, ...], today: date) -> tuple[set[str], set[str]]:
    """Occupation and sector codes under a ban that is in force today."""
    occupations: set[str] = set()
    sectors: set[str] = set()
    for ban in bans:
        if ban.active(today):
            occupations.update(str(code) for code in ban.occupations)
            sectors.update(str(code) for code in ban.sectors)
    return occupations, sectors


def ban_until(bans: tuple[Ban, ...]) -> tuple[dict[str, float], dict[str, float]]:
    """Latest end date (ordinal) per banned occupation and sector code."""
    occupations: dict[str, float] = {}
    sectors: dict[str, float] = {}
    for ban in bans:
        until = INDEFINITE if ban.until is None else float(ban.until.toordinal())
        for target, codes in ((occupations, ban.occupations), (sectors, ban.sectors)):
            for code in codes:
                target[str(code)] = max(target.get(str(code), 0.0), until)
    return occupations, sectors
