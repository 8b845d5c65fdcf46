"""The dashboard, the list behind a figure and the export tables, read from the stored
aggregates (models.py) as of the last refresh.

Counts, rates and money add up the sums per indicator, region and month (IndicatorCell) with
GROUP BY; the distinct count counts distinct subjects among the stored rows; medians read only
their own indicators' measures for the scope and period (a few thousand numbers at national
size) and take the median in Python, as the definition does. A list pages through the stored
rows in their original order and reads names only for the rows of its page.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, true

from marketplace.audit.services import record
from marketplace.auth.models import User
from marketplace.candidates.models import CandidateProfile
from marketplace.employers.models import EmployerOrganisation, Vacancy
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.indicators import aggregates
from marketplace.indicators.facts import ZERO, Period, Row
from marketplace.indicators.models import IndicatorBudget, IndicatorCell, IndicatorRow
from marketplace.indicators.services import (
    COST,
    COUNT,
    DISTINCT,
    INDICATORS,
    MEDIAN,
    MONEY,
    RATE,
    BudgetLine,
    Dashboard,
    Figure,
    Indicator,
    Result,
    Scope,
    figure,
)
from marketplace.pagination import RowPage
from marketplace.reference.models import Region

PAGE_SIZE = 50
SUMMED = (COUNT, RATE, MONEY, COST)


class NotCounted(DomainError):
    """Nothing has been counted yet on a server that does not count on demand."""


def counted_or_raise():
    """The last refresh (made now where the server may), or NotCounted."""
    found = aggregates.ensure_refreshed()
    if found is None:
        raise NotCounted(_l("The figures have not been counted yet. They are counted at "
                            "regular intervals; please try again later."))
    return found


def _in_regions(column, region_ids):
    return true() if region_ids is None else column.in_(region_ids)


def _from_sums(kind: str, rows: int, hits: int, tiyn: int) -> Figure:
    """The figure `facts` rows would give, from their count, hits and money in tiyn."""
    if kind == COUNT:
        return Figure(rows, rows=rows)
    if kind == RATE:
        return Figure(hits / rows if rows else None, hits, rows, rows=rows)
    money = Decimal(tiyn).scaleb(-2)
    if kind == MONEY:
        return Figure(money, rows=rows)
    value = (money / hits).quantize(Decimal("0.01")) if hits else None  # COST: per retained
    return Figure(value, money, hits, rows=rows)


class Aggregates:
    """The figures of some indicators for regions (None = all) and whole months."""

    def __init__(self, region_ids: frozenset[int] | None, period: Period,
                 indicators: list[Indicator]):
        self.region_ids, self.period = region_ids, period
        self.kinds = {indicator.key: indicator.kind for indicator in indicators}

    def _keys(self, *kinds: str) -> list[str]:
        return [key for key, kind in self.kinds.items() if kind in kinds]

    def _where(self, model, keys: list[str]) -> tuple:
        return (model.indicator.in_(keys), model.month.between(self.period.first,
                                                               self.period.last),
                _in_regions(model.region_id, self.region_ids))

    def figures(self, *group: str) -> dict[tuple, Figure]:
        """{(indicator key, *values of the `group` columns): figure}; groups without rows are
        left out. `group` names columns: "month", "region_id" or none (the whole scope)."""
        found = {}
        if keys := self._keys(*SUMMED):
            found.update(self._summed(keys, group))
        if keys := self._keys(DISTINCT):
            found.update(self._distinct(keys, group))
        if self._keys(MEDIAN):
            found.update(self._medians(group))
        return found

    def _summed(self, keys, group) -> dict[tuple, Figure]:
        columns = [getattr(IndicatorCell, name) for name in group]
        query = (select(IndicatorCell.indicator, *columns, func.sum(IndicatorCell.rows),
                        func.sum(IndicatorCell.hits), func.sum(IndicatorCell.amount_tiyn))
                 .where(*self._where(IndicatorCell, keys))
                 .group_by(IndicatorCell.indicator, *columns))
        # PostgreSQL sums a BIGINT into NUMERIC: int() makes it whole again.
        return {(key, *values): _from_sums(self.kinds[key], int(rows), int(hits), int(tiyn))
                for key, *values, rows, hits, tiyn in db.session.execute(query)}

    def _distinct(self, keys, group) -> dict[tuple, Figure]:
        columns = [getattr(IndicatorRow, name) for name in group]
        query = (select(IndicatorRow.indicator, *columns, func.count(),
                        func.count(IndicatorRow.subject.distinct()))
                 .where(*self._where(IndicatorRow, keys))
                 .group_by(IndicatorRow.indicator, *columns))
        return {(key, *values): Figure(subjects, rows=rows)
                for key, *values, rows, subjects in db.session.execute(query)}

    @cached_property
    def _measures(self) -> list[tuple]:
        query = (select(IndicatorRow.indicator, IndicatorRow.month, IndicatorRow.region_id,
                        IndicatorRow.measure)
                 .where(*self._where(IndicatorRow, self._keys(MEDIAN))))
        return db.session.execute(query).all()

    def _medians(self, group) -> dict[tuple, Figure]:
        grouped = defaultdict(list)
        for key, month, region_id, measure in self._measures:
            values = {"month": month, "region_id": region_id}
            grouped[(key, *(values[name] for name in group))].append(measure)
        return {found: Figure(statistics.median(measures), None, len(measures),
                              rows=len(measures))
                for found, measures in grouped.items()}


# ----------------------------------------------------------------------------- the dashboard
def read_dashboard(scope: Scope, period: Period, refreshed) -> Dashboard:
    """Every indicator for the scope and period, by month, by region and in total."""
    sums = Aggregates(scope.region_ids, period, list(INDICATORS.values()))
    by_month, by_region, totals = sums.figures("month"), sums.figures("region_id"), sums.figures()
    results = {}
    for key, indicator in INDICATORS.items():
        empty = figure(indicator.kind, [])
        results[key] = Result(
            indicator, totals.get((key,), empty),
            {month: by_month.get((key, month), empty) for month in period.months},
            {region_id: fig for (found, region_id), fig in by_region.items() if found == key})
    seen = {region_id for (_key, region_id) in by_region}
    return Dashboard(scope, period, results, _budget_lines(scope, results["spend"]),
                     _regions(seen - {None}) + ([None] if None in seen else []), refreshed)


def _regions(ids: set[int]) -> list[Region]:
    if not ids:
        return []
    return list(db.session.scalars(select(Region).where(Region.id.in_(ids)).order_by(Region.id)))


def _budget_lines(scope: Scope, spend: Result) -> list[BudgetLine]:
    query = (select(IndicatorBudget, Region).join(Region, Region.id == IndicatorBudget.region_id)
             .where(_in_regions(IndicatorBudget.region_id, scope.region_ids))
             .order_by(IndicatorBudget.region_id))
    return [BudgetLine(region, budget.allocated, budget.spent,
                       spend.by_region.get(region.id, Figure(ZERO)).value)
            for budget, region in db.session.execute(query)]


def figures_by_region_and_month(region_ids: frozenset[int] | None,
                                 period: Period) -> dict[tuple, Figure]:
    """{(indicator key, region id, month): figure} for the export table."""
    return Aggregates(region_ids, period, list(INDICATORS.values())).figures("region_id",
                                                                              "month")


# ----------------------------------------------------------------------------- the lists
@dataclass
class ListPage(RowPage):
    """One page of the list behind a figure: `total` rows in all (each subject once for a
    distinct count), with the figure they make; the shared pager macro reads it."""

    figure: Figure | None = None

    @property
    def rows(self) -> list[Row]:
        return self.items


def list_page(indicator: Indicator, scope: Scope, period: Period, page: int, *,
              viewer: User) -> ListPage:
    """A page of the rows behind a figure, with an audit event: the list names people of the
    programme's target group. A page past the end shows the last one."""
    sums = Aggregates(scope.region_ids, period, [indicator]).figures()
    total_figure = sums.get((indicator.key,), figure(indicator.kind, []))
    total = total_figure.value if indicator.kind == DISTINCT else total_figure.rows
    page = min(page, max(1, -(-total // PAGE_SIZE)))
    where = (IndicatorRow.indicator == indicator.key,
             IndicatorRow.month.between(period.first, period.last),
             _in_regions(IndicatorRow.region_id, scope.region_ids))
    stored = (_first_of_each_subject(where, page) if indicator.kind == DISTINCT
              else _page_of_rows(where, page)) if total else []
    record("indicators:list", actor=viewer, object_type="indicator", object_id=indicator.key,
           region=scope.region.code if scope.region else None, first=period.first.isoformat(),
           last=period.last.isoformat(), count=total, page=page)
    db.session.flush()
    return ListPage(_with_names(stored), page, PAGE_SIZE, total, figure=total_figure)


def _page_of_rows(where, page: int) -> list[tuple[IndicatorRow, str]]:
    found = db.session.scalars(select(IndicatorRow).where(*where).order_by(IndicatorRow.seq)
                               .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))
    return [(row, row.detail) for row in found]


def _first_of_each_subject(where, page: int) -> list[tuple[IndicatorRow, str]]:
    """Each subject once, at its first row, with the reasons of all its rows in the period
    (an organisation that had an open vacancy in one month and a hire in another)."""
    first = func.min(IndicatorRow.seq)
    seqs = db.session.scalars(select(first).where(*where).group_by(IndicatorRow.subject)
                              .order_by(first).limit(PAGE_SIZE)
                              .offset((page - 1) * PAGE_SIZE)).all()
    rows = db.session.scalars(select(IndicatorRow).where(where[0], IndicatorRow.seq.in_(seqs))
                              .order_by(IndicatorRow.seq)).all()
    reasons = defaultdict(set)
    for subject, detail in db.session.execute(
            select(IndicatorRow.subject, IndicatorRow.detail).where(
                *where, IndicatorRow.subject.in_([row.subject for row in rows]))):
        reasons[subject].update(detail.split())
    return [(row, " ".join(sorted(reasons[row.subject]))) for row in rows]


def _names(query, ids: set) -> dict:
    """{id: name} of `query` (id, name) for `ids`; no query for none."""
    if not ids:
        return {}
    return dict(db.session.execute(query.where(query.selected_columns[0].in_(ids))).all())


def _with_names(stored: list[tuple[IndicatorRow, str]]) -> list[Row]:
    """facts.Row again, with today's names of the page's people, organisations and vacancies
    (one query each)."""
    people = _names(select(CandidateProfile.id, User.full_name)
                    .join(User, User.id == CandidateProfile.user_id),
                    {row.profile_id for row, _ in stored} - {None})
    organisations = _names(select(EmployerOrganisation.id, EmployerOrganisation.name),
                           {row.organisation_id for row, _ in stored} - {None})
    titles = _names(select(Vacancy.id, Vacancy.title),
                    {row.vacancy_id for row, _ in stored} - {None})
    return [Row(row.region_id, row.month, row.subject, name=people.get(row.profile_id, ""),
                on=row.dated_on, employer=organisations.get(row.organisation_id, ""),
                detail=titles.get(row.vacancy_id, "") if row.vacancy_id else detail,
                measure=row.measure, stage=row.stage, checkpoint=row.checkpoint, hit=row.hit,
                amount=row.amount, claim_ids=tuple(int(c) for c in row.claim_ids.split()),
                profile_id=row.profile_id, organisation_id=row.organisation_id,
                vacancy_id=row.vacancy_id)
            for row, detail in stored]

