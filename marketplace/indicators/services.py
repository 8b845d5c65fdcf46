"""The monitoring dashboard's indicators: what each one counts (its definition is shown on the
page), how its rows become a figure, and who sees which regions.

Every figure is made of rows (facts.Row) and the list behind the figure shows exactly those rows.
People are counted in their own region (CandidateProfile.region_id), subsidy money in the region
whose budget paid it, employers in the region where the organisation is registered.
"""

import re
import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import partial

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.auth.models import Role, User
from marketplace.cases.models import ReoffenceKind
from marketplace.extensions import db
from marketplace.incentives.budget import balance_for
from marketplace.indicators.facts import ZERO, Facts, Period, Row, add_months, month_of
from marketplace.reference.models import Region

DEFAULT_MONTHS = 12
MAX_MONTHS = 24  # keeps the page under 100 KB with every region
RETENTION_MONTHS = (3, 6, 12)
AFTER_SUBSIDY_QUARTERS = (2, 4)

# How a list of rows becomes one figure.
COUNT, DISTINCT, RATE, MEDIAN, MONEY, COST = "count", "distinct", "rate", "median", "money", "cost"


@dataclass(frozen=True)
class Figure:
    """`value` is the figure shown; rates also carry numerator / denominator, medians the
    number of people (denominator), costs the money (numerator) and the retained jobs."""

    value: int | float | Decimal | None
    numerator: int | Decimal | None = None
    denominator: int | None = None
    rows: int = 0  # rows behind it: a figure without rows has no list to open


@dataclass(frozen=True)
class Column:
    label: object   # a lazy string
    field: str      # facts.Row attribute
    kind: str       # how the list template shows it: text, date, month, number, yesno, money…


@dataclass(frozen=True)
class Indicator:
    key: str
    section: str
    title: object
    definition: object
    kind: str
    read: Callable[[Facts], list[Row]]
    columns: tuple[Column, ...]
    # Counts a state that lasts (an open vacancy) rather than events: stored only up to the
    # last month in which anything happened (aggregates.refresh).
    lasting: bool = False


SECTIONS = {
    "candidates": _l("Candidates"),
    "hires": _l("Applications, hires and employers"),
    "time": _l("Time to the first job"),
    "retention": _l("Staying in work"),
    "after_subsidy": _l("After the subsidy"),
    "money": _l("Subsidy money"),
    "reoffending": _l("Re-offending"),
}

NAME = Column(_l("Candidate"), "name", "text")
EMPLOYER = Column(_l("Employer"), "employer", "text")
STARTED = Column(_l("Job started"), "on", "date")
CLAIMS = Column(_l("Subsidy claims"), "claim_ids", "claims")
CHECKPOINT = Column(_l("Looked at on"), "checkpoint", "date")
HIRE_COLUMNS = (NAME, EMPLOYER, STARTED, CLAIMS)


def _retention(months: int) -> Indicator:
    return Indicator(
        f"retention_{months}", "retention",
        _l("Employed %(months)d months after the hire", months=months),
        _l("Of the hires whose %(months)d-month point (the same day %(months)d months after the "
           "start) fell in the month and has passed: the share still employed that day, that "
           "is, with no end date before it and no check-in up to then recording that the "
           "person had left.", months=months),
        RATE, partial(Facts.retention, months=months),
        (NAME, EMPLOYER, STARTED, CHECKPOINT, Column(_l("Still employed"), "hit", "yesno")))


def _after_subsidy(quarters: int) -> Indicator:
    return Indicator(
        f"after_subsidy_{quarters}q", "after_subsidy",
        _l("In work %(quarters)d quarters after the subsidy ended", quarters=quarters),
        _l("People whose subsidised job's subsidy has ended (every approved claim completed or "
           "ended early, at least one month paid), looked at on the last day of the month "
           "%(quarters)d quarters after the last paid month, counted in that month once it has "
           "passed: the share then employed by any employer.", quarters=quarters),
        RATE, partial(Facts.after_subsidy, quarters=quarters),
        (NAME, EMPLOYER, Column(_l("Subsidy ended"), "on", "date"), CHECKPOINT,
         Column(_l("In work"), "hit", "yesno"), CLAIMS))


def _first_job(key, title, definition, since) -> Indicator:
    return Indicator(key, "time", title, definition, MEDIAN,
                     lambda facts: facts.first_job(since(facts)),
                     (NAME, EMPLOYER, Column(_l("First job started"), "on", "date"),
                      Column(_l("Days"), "measure", "number")))


def _reoffences(key, kind, title, definition) -> Indicator:
    return Indicator(key, "reoffending", title, definition, COUNT,
                     partial(Facts.reoffences, kind=kind),
                     (NAME, Column(_l("Month"), "on", "month")))


_CATALOGUE = (
    Indicator("registered", "candidates", _l("Registered candidates"),
              _l("Candidate profiles created in the month (by the person or by staff)."),
              COUNT, Facts.registered, (NAME, Column(_l("Registered"), "on", "date"))),
    Indicator("verified", "candidates", _l("Verified candidates"),
              _l("Candidates whose release the job centre verified in the month, that is, for "
                 "whom a release record was made."),
              COUNT, Facts.verified, (NAME, Column(_l("Verified"), "on", "date"))),
    Indicator("applications", "hires", _l("Applications"),
              _l("Applications sent in the month by the region's candidates, to any employer."),
              COUNT, Facts.applications,
              (NAME, Column(_l("Vacancy"), "detail", "text"), EMPLOYER,
               Column(_l("Sent"), "on", "date"))),
    Indicator("hires", "hires", _l("Hires"),
              _l("Hires confirmed by the candidate (including jobs that have ended since), by "
                 "the month the job started."),
              COUNT, Facts.started, HIRE_COLUMNS),
    Indicator("subsidised", "hires", _l("Subsidised hires"),
              _l("Hires started in the month with a subsidy claim that was granted (approved, "
                 "being paid, completed or ended early)."),
              COUNT, partial(Facts.started, subsidised=True), HIRE_COLUMNS),
    Indicator("unsubsidised", "hires", _l("Unsubsidised hires"),
              _l("Hires started in the month without a granted subsidy claim."),
              COUNT, partial(Facts.started, subsidised=False), HIRE_COLUMNS),
    Indicator("employers", "hires", _l("Employers taking part"),
              _l("Organisations registered in the region with a vacancy open during the month "
                 "(published and not yet closed, filled or hidden) or a hire that started in "
                 "the month. Over a period each organisation counts once."),
              DISTINCT, Facts.employers,
              (EMPLOYER, Column(_l("Taking part through"), "detail", "reason")), lasting=True),
    _first_job("days_from_release", _l("Days from release to the first job"),
               _l("Median number of days from the release date to the start of the first "
                  "confirmed job starting on or after it, for people whose first job started in "
                  "the month."), Facts.release_dates),
    _first_job("days_from_registration", _l("Days from registration to the first job"),
               _l("Median number of days from registration on the service to the start of the "
                  "first confirmed job starting on or after it, for people whose first job "
                  "started in the month."), Facts.registration_dates),
    *(_retention(months) for months in RETENTION_MONTHS),
    Indicator("satisfaction", "retention", _l("Satisfaction at check-ins (0–10)"),
              _l("Median satisfaction score (0 to 10) that people gave at the retention "
                 "check-ins (1, 3, 6 and 12 months after a hire) staff recorded in the month. "
                 "A score of 6 or below raises a call-back."),
              MEDIAN, Facts.satisfaction,
              (NAME, EMPLOYER, Column(_l("Check-in"), "stage", "stage"),
               Column(_l("Recorded"), "on", "date"), Column(_l("Outcome"), "detail", "outcome"),
               Column(_l("Satisfaction"), "measure", "number"))),
    *(_after_subsidy(quarters) for quarters in AFTER_SUBSIDY_QUARTERS),
    Indicator("spend", "money", _l("Net subsidy spend, ₸"),
              _l("Subsidy payments for the month minus clawbacks for it (money owed back for "
                 "time not worked), in the region whose budget paid them."),
              MONEY, Facts.spend,
              (Column(_l("Month"), "on", "month"), EMPLOYER,
               Column(_l("Entry"), "detail", "entry"), Column(_l("Amount, ₸"), "amount", "money"),
               Column(_l("Claim"), "claim_ids", "claims"))),
    Indicator("cost_per_retained_job", "money", _l("Cost per retained job, ₸"),
              _l("Net subsidy paid so far for the subsidised hires whose 6-month point fell in "
                 "the month and has passed, divided by how many of them were still employed "
                 "that day."),
              COST, Facts.cost_per_retained_job,
              (NAME, EMPLOYER, STARTED, CHECKPOINT, Column(_l("Still employed"), "hit", "yesno"),
               Column(_l("Net subsidy, ₸"), "amount", "money"), CLAIMS)),
    _reoffences("reincarcerations", ReoffenceKind.REINCARCERATION,
                _l("Recorded re-incarcerations"),
                _l("Returns to a penitentiary institution that staff recorded, by the month "
                   "they happened. Only what staff learn of is counted.")),
    _reoffences("new_convictions", ReoffenceKind.NEW_CONVICTION, _l("Recorded new convictions"),
                _l("New convictions that staff recorded, by the month they happened. Only what "
                   "staff learn of is counted.")),
)
INDICATORS = {indicator.key: indicator for indicator in _CATALOGUE}


# ----------------------------------------------------------------------------- figures
def figure(kind: str, rows: list[Row]) -> Figure:
    if kind == COUNT:
        return Figure(len(rows), rows=len(rows))
    if kind == DISTINCT:
        return Figure(len({row.subject for row in rows}), rows=len(rows))
    if kind == RATE:
        hits = sum(1 for row in rows if row.hit)
        return Figure(hits / len(rows) if rows else None, hits, len(rows), rows=len(rows))
    if kind == MEDIAN:
        measures = [row.measure for row in rows]
        return Figure(statistics.median(measures) if measures else None, None, len(measures),
                      rows=len(rows))
    total = sum((row.amount for row in rows), ZERO)
    if kind == MONEY:
        return Figure(total, rows=len(rows))
    retained = sum(1 for row in rows if row.hit)  # COST: money per retained job
    value = (total / retained).quantize(Decimal("0.01")) if retained else None
    return Figure(value, total, retained, rows=len(rows))


@dataclass(frozen=True)
class Result:
    indicator: Indicator
    total: Figure
    by_month: dict[date, Figure]
    by_region: dict[int | None, Figure]


def _result(indicator: Indicator, rows: list[Row], period: Period) -> Result:
    months, regions = defaultdict(list), defaultdict(list)
    for row in rows:
        months[row.month].append(row)
        regions[row.region_id].append(row)
    return Result(indicator, figure(indicator.kind, rows),
                  {month: figure(indicator.kind, months[month]) for month in period.months},
                  {region: figure(indicator.kind, found) for region, found in regions.items()})


@dataclass(frozen=True)
class BudgetLine:
    """One region's subsidy budgets (all programmes) against what they paid."""

    region: Region
    allocated: Decimal        # every allocation so far
    spent_to_date: Decimal    # payments − clawbacks so far
    spent_in_period: Decimal  # payments − clawbacks for months in the period

    @property
    def share_used(self) -> float | None:
        return float(self.spent_to_date / self.allocated) if self.allocated else None


def _budget_lines(facts: Facts, spend: Result) -> list[BudgetLine]:
    totals: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for account in facts.budget_accounts():
        balance = balance_for(account.programme_id, account.region_id)
        totals[account.region_id][0] += balance.allocated
        totals[account.region_id][1] += balance.paid - balance.clawed_back
    return [BudgetLine(db.session.get(Region, region_id), allocated, spent,
                       spend.by_region.get(region_id, Figure(ZERO)).value)
            for region_id, (allocated, spent) in sorted(totals.items())]


@dataclass(frozen=True)
class Dashboard:
    scope: "Scope"
    period: Period
    results: dict[str, Result]
    budget: list[BudgetLine]
    regions: list[Region | None]  # regions with any row, for the by-region table
    refreshed: object = None      # models.IndicatorRefresh the figures come from, if stored

    def section(self, key: str) -> list[Result]:
        return [r for r in self.results.values() if r.indicator.section == key]


def compute_dashboard(scope: "Scope", period: Period, today: date) -> Dashboard:
    """The dashboard computed straight from the rows of facts.py: the definition that the
    stored aggregates (board.read_dashboard) must give, and what the tests compare them with.
    Pages never call it: it reads every row of the scope."""
    facts = Facts(scope.region_ids, period, today)
    results = {key: _result(ind, ind.read(facts), period) for key, ind in INDICATORS.items()}
    seen = {region for result in results.values() for region in result.by_region}
    regions = [db.session.get(Region, rid) for rid in sorted(r for r in seen if r is not None)]
    return Dashboard(scope, period, results, _budget_lines(facts, results["spend"]),
                     regions + ([None] if None in seen else []))


def indicator_rows(indicator: Indicator, scope: "Scope", period: Period,
                   today: date) -> list[Row]:
    """The rows behind a figure (one organisation once for a distinct count), computed straight
    from facts.py: what the stored list (board.list_page) must show, page after page."""
    rows = indicator.read(Facts(scope.region_ids, period, today))
    return _merge_by_subject(rows) if indicator.kind == DISTINCT else rows


def _merge_by_subject(rows: list[Row]) -> list[Row]:
    merged: dict[str, Row] = {}
    for row in rows:
        if row.subject in merged:
            reasons = set(merged[row.subject].detail.split()) | set(row.detail.split())
            row = replace(merged[row.subject], detail=" ".join(sorted(reasons)))
        merged[row.subject] = row
    return list(merged.values())


# ----------------------------------------------------------------------------- who and when
@dataclass(frozen=True)
class Scope:
    """The regions a dashboard covers: None = every region (administrators)."""

    region_ids: frozenset[int] | None
    region: Region | None = None


_REGION_CODE = re.compile(r"[A-Za-z0-9-]{1,16}")


def scope_for(user: User, region_code: str | None) -> Scope | None:
    """Staff see their own region only; administrators every region or the one they choose.
    None (→ 404) for another region's code or an unknown one."""
    code = (region_code or "").strip()
    if code and not _REGION_CODE.fullmatch(code):  # never sent to the database (NUL bytes…)
        return None
    if user.role is Role.ADMIN:
        if not code:
            return Scope(None)
        region = db.session.scalar(select(Region).where(Region.code == code))
        return Scope(frozenset({region.id}), region) if region else None
    region = user.region
    if region is None:
        return Scope(frozenset()) if not code else None
    if code and code != region.code:
        return None
    return Scope(frozenset({region.id}), region)


def all_regions() -> list[Region]:
    return list(db.session.scalars(select(Region).order_by(Region.code)))


_MONTH = re.compile(r"(\d{4})-(\d{2})")
FIRST_YEAR, LAST_YEAR = 2000, 2100  # the service's lifetime; keeps date arithmetic in range


def parse_month(text: str | None) -> date | None:
    match = _MONTH.fullmatch((text or "").strip())
    if not match or not 1 <= int(match[2]) <= 12 or not FIRST_YEAR <= int(match[1]) <= LAST_YEAR:
        return None
    return date(int(match[1]), int(match[2]), 1)


def default_period(today: date) -> Period:
    last = month_of(today)
    return Period(add_months(last, 1 - DEFAULT_MONTHS), last)


def read_period(args, today: date) -> tuple[Period, list[str]]:
    """The months asked for in `month`, or `from` … `to` (YYYY-MM); the last 12 months when
    nothing is asked. Bad input gives the default with a message, never an error page."""
    if args.get("month"):
        month = parse_month(args.get("month"))
        if month:
            return Period(month, month), []
        return default_period(today), [_l("The month was not understood (use YYYY-MM); showing "
                                          "the last 12 months.")]
    first_text, last_text = args.get("from"), args.get("to")
    if not first_text and not last_text:
        return default_period(today), []
    default = default_period(today)
    first = parse_month(first_text) if first_text else default.first
    last = parse_month(last_text) if last_text else default.last
    if first is None or last is None:
        return default, [_l("A month was not understood (use YYYY-MM); showing the last 12 "
                            "months.")]
    if first > last:
        return default, [_l("The first month is after the last one; showing the last 12 "
                            "months.")]
    if len(Period(first, last).months) > MAX_MONTHS:
        return default, [_l("Choose at most %(count)d months; showing the last 12 months.",
                            count=MAX_MONTHS)]
    return Period(first, last), []
