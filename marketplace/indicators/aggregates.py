"""Counting every indicator once for all regions and storing the result (models.py), so that
pages add up stored sums instead of reading every profile, application and payment per request.

`refresh` reads the rows of facts.py for all of history up to the last month with anything in
it, writes them with their sums per indicator, region and month, and the regions' budgets, in
the caller's transaction: readers keep seeing the previous figures until it commits (PostgreSQL
and SQLite both give them the old snapshot), and the refresh row says as of when the figures
are. Refreshing twice gives the same tables (idempotent); two refreshes at once take turns.

Who runs it: the scheduler (cron) with `flask indicators refresh`, or an rq worker
(`enqueue_refresh`). Where nothing has been counted yet, `ensure_refreshed` counts inline on a
development or test server (seconds at most on demo data) but never in production, where a
national count takes a web worker for tens of seconds; the pages then say so instead.
"""

import logging
import time
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from itertools import islice

from flask import current_app
from sqlalchemy import delete, insert, select, text

from marketplace.db_types import utcnow
from marketplace.extensions import db
from marketplace.incentives.budget import balance_for
from marketplace.incentives.models import BudgetAccount
from marketplace.indicators.facts import ZERO, Facts, Period, Row, month_of
from marketplace.indicators.models import (
    IndicatorBudget,
    IndicatorCell,
    IndicatorRefresh,
    IndicatorRow,
)
from marketplace.indicators.services import FIRST_YEAR, INDICATORS, LAST_YEAR, Indicator

logger = logging.getLogger(__name__)

ALL_TIME = Period(date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 1))
REFRESH_LOCK = 0x1D1C_A705  # pg_advisory_xact_lock key: one refresh at a time
INSERT_BATCH = 5_000
ROW_COLUMNS = ("indicator", "seq", "region_id", "month", "subject", "profile_id",
               "organisation_id", "vacancy_id", "dated_on", "checkpoint", "stage", "detail",
               "hit", "measure", "amount", "claim_ids")


def latest_refresh() -> IndicatorRefresh | None:
    return db.session.scalar(select(IndicatorRefresh)
                             .order_by(IndicatorRefresh.finished_at.desc()).limit(1))


def refreshes_on_view() -> bool:
    """Count inline when nothing has been counted yet: on development and test servers only."""
    return current_app.config["APP_ENV"] != "production"


def ensure_refreshed() -> IndicatorRefresh | None:
    """The last refresh; where there is none, a refresh made now if this server may (flushed,
    the caller commits), else None."""
    found = latest_refresh()
    if found is None and refreshes_on_view():
        found = refresh()
    return found


def refresh(today: date | None = None) -> IndicatorRefresh:
    """Count every indicator for every region as of `today` and replace the stored figures.
    Flushes; the caller commits (readers see the old figures until then)."""
    started_at, clock = utcnow(), time.perf_counter()
    today = today or date.today()
    _take_turn()
    for model in (IndicatorRow, IndicatorCell, IndicatorBudget):
        db.session.execute(delete(model))
    cells: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    months: set[date] = {month_of(today)}
    count = 0
    # Events first, over all of history; then what lasts (an open vacancy) up to the last
    # month in which anything happened, so that it is not counted for every month to come.
    facts = Facts(None, ALL_TIME, today)
    for indicator in INDICATORS.values():
        if not indicator.lasting:
            count += _store_rows(indicator, indicator.read(facts), cells, months)
    facts = Facts(None, Period(ALL_TIME.first, max(months)), today)
    for indicator in INDICATORS.values():
        if indicator.lasting:
            count += _store_rows(indicator, indicator.read(facts), cells, months)
    _store_cells(cells)
    _store_budgets()
    _analyse()
    done = IndicatorRefresh(as_of=today, first_month=min(months), last_month=max(months),
                            row_count=count, started_at=started_at, finished_at=utcnow())
    db.session.add(done)
    db.session.flush()
    logger.info("indicators refreshed: %d rows in %.1f s", count, time.perf_counter() - clock)
    return done


def _take_turn() -> None:
    """A second refresh waits for the first to commit (SQLite's writer lock does this itself);
    otherwise both would insert the same (indicator, seq) keys."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": REFRESH_LOCK})


def _analyse() -> None:
    """Fresh planner statistics for the replaced tables (PostgreSQL), so that the first pages
    after a count do not plan for the previous one's row counts. Dead rows are left to
    autovacuum (VACUUM cannot run inside the refresh's transaction)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("ANALYZE indicator_row, indicator_cell, indicator_budget"))


def _store_rows(indicator: Indicator, rows: list[Row], cells: dict, months: set) -> int:
    for row in rows:
        months.add(row.month)
        cell = cells[indicator.key, row.region_id, row.month]
        cell[0] += 1
        cell[1] += bool(row.hit)
        cell[2] += _tiyn(row.amount)
    _bulk_insert(IndicatorRow.__table__, ROW_COLUMNS,
                 (_row_values(indicator.key, seq, row) for seq, row in enumerate(rows, 1)))
    return len(rows)


def _row_values(key: str, seq: int, row: Row) -> tuple:
    # An application's detail is its vacancy's title: read live for the page, not stored.
    detail = "" if row.vacancy_id else row.detail
    return (key, seq, row.region_id, row.month, row.subject, row.profile_id,
            row.organisation_id, row.vacancy_id, row.on, row.checkpoint, row.stage, detail,
            row.hit, row.measure, row.amount, " ".join(map(str, row.claim_ids)))


def _tiyn(amount) -> int:
    return 0 if amount is None else int(amount * 100)


def _store_cells(cells: dict) -> None:
    values = [{"indicator": key, "region_id": region_id, "month": month, "rows": rows,
               "hits": hits, "amount_tiyn": tiyn}
              for (key, region_id, month), (rows, hits, tiyn) in cells.items()]
    for batch in batched(values, INSERT_BATCH):
        db.session.execute(insert(IndicatorCell), batch)


def _store_budgets() -> None:
    """Each region's allocations and net spend to date, over all its programmes."""
    totals: dict[int, list] = defaultdict(lambda: [ZERO, ZERO])
    for account in db.session.scalars(select(BudgetAccount)):
        balance = balance_for(account.programme_id, account.region_id)
        totals[account.region_id][0] += balance.allocated
        totals[account.region_id][1] += balance.paid - balance.clawed_back
    if totals:
        db.session.execute(insert(IndicatorBudget), [
            {"region_id": region_id, "allocated": allocated, "spent": spent}
            for region_id, (allocated, spent) in totals.items()])


def batched(values: Iterable, size: int):
    """Lists of `size` items (itertools.batched arrives with Python 3.12)."""
    values = iter(values)
    while batch := list(islice(values, size)):
        yield batch


def _bulk_insert(table, columns: tuple[str, ...], values: Iterable[tuple]) -> None:
    """COPY on PostgreSQL (a national refresh writes hundreds of thousands of rows), batched
    INSERTs elsewhere; both inside the session's transaction."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        names = ", ".join(f'"{name}"' for name in columns)
        cursor = connection.connection.driver_connection.cursor()
        with cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in values:
                copy.write_row(row)
        return
    for batch in batched(values, INSERT_BATCH):
        connection.execute(table.insert(), [dict(zip(columns, row, strict=True))
                                            for row in batch])
