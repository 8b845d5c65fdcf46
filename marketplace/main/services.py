"""The home page's figures, counted at most once a minute per worker.

The figures are a greeting, not a report: a minute-old count is invisible to a visitor, while
counting every public vacancy on every visit made the busiest anonymous page scan the vacancy
table each time. A counter maintained on every publish, close, hide and verification would be a
row every one of those writes contends for; a short cache costs one count per worker a minute.
"""

import time

from flask import current_app
from sqlalchemy import func, select

from marketplace.employers.models import EmployerOrganisation, Vacancy
from marketplace.employers.vacancies import public_conditions
from marketplace.extensions import db

MAX_AGE = 60  # seconds
_KEY = "home_counts"


def home_counts() -> dict[str, int]:
    """{"open_vacancies", "employers"}, from this app's cache while it is fresh."""
    cached = current_app.extensions.get(_KEY)
    now = time.monotonic()
    if cached is not None and cached[0] > now:
        return cached[1]
    row = db.session.execute(select(
        select(func.count(Vacancy.id)).join(EmployerOrganisation)
        .where(*public_conditions()).scalar_subquery().label("open_vacancies"),
        select(func.count(EmployerOrganisation.id)).scalar_subquery().label("employers"),
    )).one()
    counts = dict(row._mapping)
    # One tuple swapped in whole: threads of a worker read either the old or the new figures.
    current_app.extensions[_KEY] = (now + MAX_AGE, counts)
    return counts


def forget_home_counts(app) -> None:
    app.extensions.pop(_KEY, None)
