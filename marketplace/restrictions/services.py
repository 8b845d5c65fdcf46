"""Recording, reading and lifting restrictions. Only staff call the recording and viewing
functions; every human view writes an audit event. The matching engine reads codes only."""

import json
import re
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import LargeBinary, select, type_coerce

import matching
from marketplace.audit.services import record
from marketplace.auth.models import User
from marketplace.candidates.models import CandidateProfile
from marketplace.db_types import utcnow
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.reference.models import City, Occupation, Region, Sector
from marketplace.restrictions.crypto import cipher
from marketplace.restrictions.models import CandidateRestriction, RestrictionKind

_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class InvalidRestriction(DomainError):
    pass


def _known_codes(model, codes) -> list[str]:
    codes = sorted(set(codes))
    found = set(db.session.scalars(select(model.code).where(model.code.in_(codes))))
    if found != set(codes):
        raise InvalidRestriction(_l("Unknown code: %(codes)s", codes=", ".join(
            sorted(set(codes) - found))))
    return codes


def _check_until(until: date | None) -> str | None:
    if until is not None and until < date.today():
        raise InvalidRestriction(_l("The end date is in the past."))
    return until.isoformat() if until else None


def _add(profile, kind, data, actor) -> CandidateRestriction:
    restriction = CandidateRestriction(profile=profile, kind=kind, data=data,
                                       recorded_by_id=actor.id)
    db.session.add(restriction)
    db.session.flush()
    # The event names the kind only: the audit log must not leak the content.
    record("restriction:record", restriction, actor=actor, profile_id=profile.id,
           kind=kind.value)
    return restriction


def _lift_active(profile, kind, actor) -> None:
    for old in active_restrictions(profile.id, kind=kind):
        lift(old, actor=actor)


def record_court_ban(profile: CandidateProfile, *, occupations=(), sectors=(),
                     until: date | None = None, actor: User) -> CandidateRestriction:
    """A court's ban on positions/activities; raises InvalidRestriction."""
    if not occupations and not sectors:
        raise InvalidRestriction(_l("Name at least one occupation or sector."))
    data = {"occupations": _known_codes(Occupation, occupations),
            "sectors": _known_codes(Sector, sectors), "until": _check_until(until)}
    return _add(profile, RestrictionKind.COURT_BAN, data, actor)


def record_curfew(profile: CandidateProfile, *, start: str, end: str,
                  until: date | None = None, actor: User) -> CandidateRestriction:
    """Supervision: stay home from `start` to `end` (may cross midnight). Replaces the old one."""
    if not (_TIME.match(start or "") and _TIME.match(end or "")) or start == end:
        raise InvalidRestriction(_l("Enter the curfew as two different times, e.g. 22:00 and "
                                    "06:00."))
    data = {"start": start, "end": end, "until": _check_until(until)}
    _lift_active(profile, RestrictionKind.CURFEW, actor)
    return _add(profile, RestrictionKind.CURFEW, data, actor)


def record_territory(profile: CandidateProfile, *, regions=(), cities=(),
                     until: date | None = None, actor: User) -> CandidateRestriction:
    """Supervision: may work only inside these regions/towns. Replaces the old one."""
    if not regions and not cities:
        raise InvalidRestriction(_l("Name at least one region or town."))
    data = {"regions": _known_codes(Region, regions), "cities": _known_codes(City, cities),
            "until": _check_until(until)}
    _lift_active(profile, RestrictionKind.TERRITORY, actor)
    return _add(profile, RestrictionKind.TERRITORY, data, actor)


def lift(restriction: CandidateRestriction, *, actor: User) -> None:
    restriction.lifted_at = utcnow()
    record("restriction:lift", restriction, actor=actor, profile_id=restriction.profile_id,
           kind=restriction.kind.value)


def active_restrictions(profile_id: int, *, kind: RestrictionKind | None = None):
    query = select(CandidateRestriction).where(CandidateRestriction.profile_id == profile_id,
                                               CandidateRestriction.lifted_at.is_(None))
    if kind is not None:
        query = query.where(CandidateRestriction.kind == kind)
    return list(db.session.scalars(query.order_by(CandidateRestriction.id)))


def view_restrictions(profile: CandidateProfile, *, viewer: User) -> list[CandidateRestriction]:
    """For a staff page: the decrypted restrictions, with an audit event for the view."""
    rows = active_restrictions(profile.id)
    record("restriction:view", profile, actor=viewer, count=len(rows))
    return rows


def _in_force(data: dict, today: date) -> bool:
    return data.get("until") is None or date.fromisoformat(data["until"]) >= today


# Profiles per statement: an IN list never grows with the number of profiles asked about.
ID_CHUNK = 1_000


def matching_restrictions(profile_ids, today: date | None = None
                          ) -> dict[int, matching.Restrictions]:
    """Machine read for the matching filters: codes only, never shown to anyone."""
    ids, found = list(profile_ids), {}
    for start in range(0, len(ids), ID_CHUNK):
        found |= _matching_restrictions(
            CandidateRestriction.profile_id.in_(ids[start:start + ID_CHUNK]), today)
    return found


def matching_restrictions_in_range(first_id: int, last_id: int, today: date | None = None
                                   ) -> dict[int, matching.Restrictions]:
    """The same for every profile with an id from `first_id` to `last_id` (a bulk build)."""
    return _matching_restrictions(CandidateRestriction.profile_id.between(first_id, last_id),
                                  today)


def _matching_restrictions(condition, today: date | None) -> dict[int, matching.Restrictions]:
    today = today or date.today()
    # Columns, not ORM objects, decrypted with one cipher per statement rather than one per
    # row: a national build reads tens of thousands of these.
    rows = db.session.execute(
        select(CandidateRestriction.profile_id, CandidateRestriction.kind,
               type_coerce(CandidateRestriction.data, LargeBinary))
        .where(condition, CandidateRestriction.lifted_at.is_(None))
        .order_by(CandidateRestriction.id)).all()
    grouped: dict[int, dict] = {}
    decrypt = cipher().decrypt
    for profile_id, kind, token in rows:
        parts = grouped.setdefault(profile_id, {"bans": []})
        _add_part(parts, kind, json.loads(decrypt(bytes(token))), today)
    return {pid: matching.Restrictions(bans=tuple(p["bans"]), curfew=p.get("curfew"),
                                       territory=p.get("territory"))
            for pid, p in grouped.items()}


def _add_part(parts: dict, kind: RestrictionKind, data: dict, today: date) -> None:
    until = date.fromisoformat(data["until"]) if data.get("until") else None
    if kind is RestrictionKind.COURT_BAN:
        # The engine checks the end date itself, so a ban ends on time without a rebuild.
        parts["bans"].append(matching.Ban(occupations=frozenset(data["occupations"]),
                                          sectors=frozenset(data["sectors"]), until=until))
    elif not _in_force(data, today):
        return
    elif kind is RestrictionKind.CURFEW:
        parts["curfew"] = (data["start"], data["end"])
    else:
        parts["territory"] = frozenset(data["regions"]) | frozenset(data["cities"])
