"""What every `seed-scale` stage shares: the reference data read once into plain records, the
clock of the generated history, seeded random streams and the audit trail being written."""

import random
from bisect import bisect
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate

from flask import current_app, url_for
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.incentives.models import IncentiveProgramme, ProgrammeRuleVersion
from marketplace.incentives.rules import Rules, parse_rules
from marketplace.reference.models import Occupation, Region, Sector, Skill, skill_occupation

HISTORY_DAYS = 425  # about 14 months
# People per region, roughly as the population (millions, 2024); a new region gets DEFAULT.
REGION_WEIGHTS = {"KZ-ALA": 2.2, "KZ-AST": 1.5, "KZ-SHY": 1.2, "KZ-YUZ": 2.1, "KZ-ALM": 1.5,
                  "KZ-ZHA": 1.2, "KZ-KAR": 1.1, "KZ-AKT": 0.95, "KZ-VOS": 0.75, "KZ-KZY": 0.85,
                  "KZ-KUS": 0.83, "KZ-AKM": 0.78, "KZ-MAN": 0.78, "KZ-PAV": 0.75, "KZ-ATY": 0.7,
                  "KZ-ZAP": 0.69, "KZ-ZHT": 0.7, "KZ-ABY": 0.6, "KZ-SEV": 0.53, "KZ-ULT": 0.22}
DEFAULT_WEIGHT = 0.7
# Trades that hire people leaving prison most often weigh more (occupations and employers).
SECTOR_WEIGHTS = {"construction": 4.0, "manufacturing": 2.5, "logistics": 3.0, "transport": 2.0,
                  "hospitality": 2.5, "services": 2.0, "agriculture": 2.0, "utilities": 1.5,
                  "retail": 1.5, "mining_energy": 1.0, "security": 0.8}


@dataclass
class RegionRef:
    id: int
    code: str
    city_ids: list[int]
    city_codes: list[str]


@dataclass
class OccupationRef:
    id: int
    code: str
    sector_id: int | None
    sector_code: str | None
    hazardous: bool
    names: tuple[str, str, str]  # kk, ru, en
    skill_ids: list[int]


@dataclass
class SkillRef:
    id: int
    code: str
    names: tuple[str, str, str]
    synonyms: list[str]


@dataclass
class Programme:
    id: int
    code: str
    names: tuple[str, str, str]
    versions: list[tuple[date, int, Rules]]

    def version_on(self, day: date) -> tuple[int, Rules] | None:
        started = [(v_id, rules) for since, v_id, rules in self.versions if since <= day]
        return started[-1] if started else None


class Weighted:
    """Choosing from a list by fixed weights, by bisecting the running total."""

    def __init__(self, items, weights):
        self.items, self.totals = list(items), list(accumulate(weights))

    def pick(self, rng: random.Random):
        index = bisect(self.totals, rng.random() * self.totals[-1])
        return self.items[min(index, len(self.items) - 1)]  # a float rounding up to the total


@dataclass
class Reference:
    regions: list[RegionRef]
    occupations: list[OccupationRef]
    skills: dict[int, SkillRef]
    sectors: dict[str, int]
    programmes: dict[str, Programme]
    region_pick: Weighted = field(init=False)
    occupation_pick: Weighted = field(init=False)
    by_sector: dict[int | None, list[OccupationRef]] = field(init=False)

    def __post_init__(self):
        self.region_pick = Weighted(self.regions, [REGION_WEIGHTS.get(r.code, DEFAULT_WEIGHT)
                                                   for r in self.regions])
        self.occupation_pick = Weighted(self.occupations, [
            SECTOR_WEIGHTS.get(o.sector_code, 0.5) for o in self.occupations])
        self.by_sector = {}
        for occupation in self.occupations:
            self.by_sector.setdefault(occupation.sector_id, []).append(occupation)
        self.region_by_id = {r.id: r for r in self.regions}
        self.skill_ids = sorted(self.skills)
        self.sector_codes = {i: code for code, i in self.sectors.items()}


def load_reference() -> Reference:
    regions = [RegionRef(r.id, r.code, [c.id for c in r.cities], [c.code for c in r.cities])
               for r in db.session.scalars(select(Region).order_by(Region.code))]
    skills_of: dict[int, list[int]] = {}
    for skill_id, occupation_id in db.session.execute(
            select(skill_occupation.c.skill_id, skill_occupation.c.occupation_id)
            .join(Skill, Skill.id == skill_occupation.c.skill_id).order_by(Skill.code)):
        skills_of.setdefault(occupation_id, []).append(skill_id)
    sectors = {s.code: s.id for s in db.session.scalars(select(Sector))}
    codes = {i: code for code, i in sectors.items()}
    occupations = [OccupationRef(o.id, o.code, o.sector_id, codes.get(o.sector_id), o.hazardous,
                                 (o.name_kk, o.name_ru, o.name_en), skills_of.get(o.id, []))
                   for o in db.session.scalars(select(Occupation).where(
                       Occupation.level == "occupation").order_by(Occupation.code))
                   if skills_of.get(o.id)]
    skills = {s.id: SkillRef(s.id, s.code, (s.name_kk, s.name_ru, s.name_en),
                             sorted(x.name for x in s.synonyms))
              for s in db.session.scalars(select(Skill).order_by(Skill.code))}
    return Reference(regions, occupations, skills, sectors, _programmes())


def _programmes() -> dict[str, Programme]:
    found = {}
    for programme in db.session.scalars(select(IncentiveProgramme).order_by(IncentiveProgramme.id)):
        versions = [(v.effective_from, v.id, parse_rules(v.rules)) for v in db.session.scalars(
            select(ProgrammeRuleVersion).where(ProgrammeRuleVersion.programme_id == programme.id)
            .order_by(ProgrammeRuleVersion.effective_from))]
        found[programme.code] = Programme(programme.id, programme.code, (
            programme.name_kk, programme.name_ru, programme.name_en), versions)
    return found


class Clock:
    """The generated history runs from `start` to `end` (midnight UTC today, so the same seed on
    the same day writes the same rows)."""

    def __init__(self, today: date):
        self.today = today
        self.end = datetime.combine(today, time(), UTC)
        self.start = self.end - timedelta(days=HISTORY_DAYS)

    def between(self, rng: random.Random, low: datetime, high: datetime) -> datetime:
        """A moment in [low, high), never after the end of the history."""
        high = min(high, self.end - timedelta(minutes=1))
        if high <= low:
            return min(low, self.end - timedelta(minutes=1))
        return low + timedelta(seconds=rng.randrange(int((high - low).total_seconds()) or 1))

    def soon(self, rng: random.Random, moment: datetime, days: float) -> datetime:
        """A moment within `days` after `moment`, never after the end of the history."""
        return self.between(rng, moment, moment + timedelta(days=days))

    def after(self, rng: random.Random, moment: datetime, low_days: float,
              high_days: float) -> datetime:
        """A moment some days after `moment` (may lie past the end: callers check)."""
        return moment + timedelta(seconds=rng.uniform(low_days, high_days) * 86400)

    def registration(self, rng: random.Random) -> datetime:
        """Registrations grow over the history: later months get more of them."""
        share = rng.random() ** 0.75
        return self.start + timedelta(seconds=share * HISTORY_DAYS * 86400)

    def at(self, day: date, rng: random.Random) -> datetime:
        """A working-hours moment on `day`."""
        return datetime.combine(day, time(rng.randrange(3, 13), rng.randrange(60)), UTC)


def streams(seed: int):
    """One independent random stream per stage: a change in one stage's draws leaves every
    other stage's rows as they were."""
    return lambda stage: random.Random(f"seed-scale:{seed}:{stage}")


class Audit:
    """Audit events gathered during a stage and written with it, as the services record them."""

    COLUMNS = ("id", "created_at", "actor_id", "action", "object_type", "object_id", "details")

    def __init__(self):
        self.rows: list[tuple] = []

    def add(self, action, object_type, object_id, actor_id, at, **details) -> None:
        self.rows.append((action, object_type, object_id, actor_id, at, details))

    def write(self, writer) -> None:
        if not self.rows:
            return
        ids = writer.next_ids("audit_event", len(self.rows))
        rows, self.rows = self.rows, []
        writer.write("audit_event", self.COLUMNS, (
            (i, at, actor, action, kind, str(object_id), details)
            for i, (action, kind, object_id, actor, at, details) in zip(ids, rows, strict=True)))


class Notifications:
    """In-app notifications as the services leave them: parameters to render in the reader's
    language later, a link, and (for most older ones) the moment they were read."""

    COLUMNS = ("id", "user_id", "kind", "params", "link", "created_at", "read_at")

    def __init__(self, clock: Clock, rng: random.Random):
        self.clock, self.rng, self.rows = clock, rng, []

    def add(self, user_id: int, kind: str, params: dict, link: str | None, at: datetime) -> None:
        read = self.clock.soon(self.rng, at, 2) if (
            self.clock.end - at > timedelta(days=2) and self.rng.random() < 0.8) else None
        self.rows.append((user_id, kind, params, link, at, read))

    def write(self, writer) -> None:
        ids = writer.next_ids("notification", len(self.rows))
        rows, self.rows = self.rows, []
        writer.write("notification", self.COLUMNS,
                     ((i, *row) for i, row in zip(ids, rows, strict=True)))


def link_template(endpoint: str, **values) -> str:
    """A notification link with `{}` where the id goes (links are paths, as the services
    write them inside a request)."""
    sentinel = 987654321
    with current_app.test_request_context():
        path = url_for(endpoint, **{key: sentinel for key in values})
    return path.replace(str(sentinel), "{}")
