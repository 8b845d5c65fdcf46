"""The indicators as of the last refresh: every counted item once (IndicatorRow, what the list
behind a figure pages through), the sums per indicator, region and month (IndicatorCell, what the
dashboard adds up) and each region's budget to date (IndicatorBudget).

The tables hold a snapshot that `flask indicators refresh` replaces in one transaction; nothing
else writes them. They name regions, people and organisations by id without foreign keys, so a
snapshot never blocks a change to the live rows it was taken from: names are read live for the
rows of a page, and an anonymised person shows as anonymised at once.
"""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, Date, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db_types import Money, UTCDateTime
from marketplace.extensions import db


class IndicatorRefresh(db.Model):
    """One finished refresh: the figures on the pages are as of `finished_at`, counted with
    `as_of` as today (a retention point counts once it has passed)."""

    __tablename__ = "indicator_refresh"

    id: Mapped[int] = mapped_column(primary_key=True)
    as_of: Mapped[date] = mapped_column(Date)
    first_month: Mapped[date] = mapped_column(Date)
    last_month: Mapped[date] = mapped_column(Date)
    row_count: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class IndicatorRow(db.Model):
    """One counted item of one indicator (facts.Row without the names). `seq` is the item's
    place in the indicator's list, so any scope and period pages through it in the same order
    as the whole list."""

    __tablename__ = "indicator_row"

    indicator: Mapped[str] = mapped_column(String(40), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    region_id: Mapped[int | None] = mapped_column(Integer)
    month: Mapped[date] = mapped_column(Date)
    subject: Mapped[str] = mapped_column(String(40))
    profile_id: Mapped[int | None] = mapped_column(Integer)
    organisation_id: Mapped[int | None] = mapped_column(Integer)
    vacancy_id: Mapped[int | None] = mapped_column(Integer)
    dated_on: Mapped[date | None] = mapped_column(Date)
    checkpoint: Mapped[date | None] = mapped_column(Date)
    stage: Mapped[int | None] = mapped_column(SmallInteger)
    detail: Mapped[str] = mapped_column(String(40), default="")
    hit: Mapped[bool | None] = mapped_column(Boolean)
    measure: Mapped[int | None] = mapped_column(Integer)
    amount: Mapped[Decimal | None] = mapped_column(Money())
    claim_ids: Mapped[str] = mapped_column(Text, default="")  # "12 15": few per hire

    __table_args__ = (
        Index("ix_indicator_row_indicator_month", "indicator", "month", "region_id"),
    )


class IndicatorCell(db.Model):
    """The sums of one indicator's rows in one region and month: how many, how many hits
    (rates; retained jobs for the cost), and the money in tiyn. Whole tiyn add up exactly in
    SQL on every database (SQLite sums NUMERIC as floats)."""

    __tablename__ = "indicator_cell"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator: Mapped[str] = mapped_column(String(40))
    region_id: Mapped[int | None] = mapped_column(Integer)
    month: Mapped[date] = mapped_column(Date)
    rows: Mapped[int] = mapped_column(Integer)
    hits: Mapped[int] = mapped_column(Integer)
    amount_tiyn: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (Index("ix_indicator_cell_month_region", "month", "region_id"),)


class IndicatorBudget(db.Model):
    """A region's subsidy budgets (all programmes) to date: allocated, and paid − clawed back."""

    __tablename__ = "indicator_budget"

    region_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    allocated: Mapped[Decimal] = mapped_column(Money())
    spent: Mapped[Decimal] = mapped_column(Money())
