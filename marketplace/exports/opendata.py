"""The anonymised open-data table: programme figures by region and month, fit to publish.

What is counted (months in UTC; the region is the candidate's region), as the dashboard's
indicators of the same names count it, as of their last refresh:
  registered        candidate profiles created in the month
  verified          target-group verifications (release records) made in the month
  applications      applications sent in the month
  hires             confirmed employments that started in the month
  subsidised_hires  those hires with a claim the job centre approved (approved, active,
                    completed or terminated since)
  reincarcerations  re-incarcerations recorded as happening in the month

How nobody can be singled out:
1. Any count below 5 is written "<5", zero included, so a published table does not tell "none"
   from "a few".
2. Every region appears for every month from the first month with any figure to the last, busy
   or not, so a missing row tells nothing either.
3. There are no totals: no national row, no total over months, and no column that is the sum or
   difference of others (subsidised hires are a part of hires, but the unsubsidised rest is not
   published). So no published figure minus other published figures equals a suppressed one.

Why drop totals rather than suppress a second cell: with a national row per month, a single
"<5" in a column would need a second, complementary cell withheld. But the complementary cell is
chosen by a public rule (the smallest other one), so its value is bounded by its neighbours, and
hidden cells are bounded by 0–4: when two hidden cells sum to 8 both are 4, when the smallest
published neighbour is 5 the complementary cell is exactly 5, and the small one follows by
subtraction. Getting that right needs the heavier machinery statistical offices use (controlled
rounding, audited suppression patterns). Without totals the table is safe by construction, and a
reader who sums the regions gets an honest lower bound, which the description says.
"""

from collections import Counter
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.indicators.board import counted_or_raise
from marketplace.indicators.models import IndicatorCell
from marketplace.reference.models import Region

THRESHOLD = 5
SUPPRESSED = "<5"
MEASURES = ("registered", "verified", "applications", "hires", "subsidised_hires",
            "reincarcerations")
HEADER = ["month", "region_code", "region_name", *MEASURES]

DESCRIPTION = _l(
    "Counts by region and month with no personal data. Any count below 5 is shown as “<5”, and "
    "the table has no totals, so a hidden count cannot be worked out by subtraction; a sum of "
    "the regions is therefore a lower bound.")


# Counting -------------------------------------------------------------------------------------

# Each measure is a dashboard indicator with the same definition, read from the same stored
# aggregates (marketplace/indicators/aggregates.py).
INDICATOR_OF = {"registered": "registered", "verified": "verified",
                "applications": "applications", "hires": "hires",
                "subsidised_hires": "subsidised", "reincarcerations": "reincarcerations"}


def count_by_region_and_month() -> Counter:
    """Exact counts keyed by (measure, region id, first day of the month), as of the last
    refresh of the indicators; candidates without a region cannot be placed. Not for
    publishing: `table` suppresses them."""
    measure_of = {key: measure for measure, key in INDICATOR_OF.items()}
    query = (select(IndicatorCell.indicator, IndicatorCell.region_id, IndicatorCell.month,
                    IndicatorCell.rows)
             .where(IndicatorCell.indicator.in_(measure_of),
                    IndicatorCell.region_id.is_not(None)))
    return Counter({(measure_of[key], region_id, month): rows
                    for key, region_id, month, rows in db.session.execute(query)})


# Publishing -----------------------------------------------------------------------------------

def suppress(count: int) -> int | str:
    return SUPPRESSED if count < THRESHOLD else count


def _months_between(first: date, last: date) -> list[date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def publishable_rows(counts: Counter, regions: list[Region]) -> list[tuple]:
    """Every region for every month of the covered period, each count suppressed below 5."""
    if not counts:
        return []
    months = _months_between(min(key[2] for key in counts), max(key[2] for key in counts))
    return [(f"{month:%Y-%m}", region.code, region.name,
             *(suppress(counts[measure, region.id, month]) for measure in MEASURES))
            for month in months for region in regions]


def table() -> tuple[list[str], list[tuple]]:
    counted_or_raise()
    regions = list(db.session.scalars(select(Region).order_by(Region.code)))
    return list(HEADER), publishable_rows(count_by_region_and_month(), regions)
