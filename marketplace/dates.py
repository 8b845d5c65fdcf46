"""Calendar arithmetic shared by claims, check-ins and the indicators."""

from calendar import monthrange
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier); a day the month lacks becomes its last day
    (31 January + 1 month → 28/29 February). On the 1st it walks whole months."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))
