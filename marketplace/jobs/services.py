"""The public vacancy search: the same visibility rule as matching, filters, newest first."""

from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, selectinload

from marketplace.employers.models import EmployerOrganisation, Schedule, Vacancy
from marketplace.employers.vacancies import public_conditions
from marketplace.extensions import db
from marketplace.reference.services import normalize_term

PER_PAGE = 20
MAX_WORDS = 10


def keyword_words(text: str | None) -> list[str]:
    """Casefolded words, matched against Vacancy.search_text (folded the same way in Python,
    because SQLite's lower() and LIKE fold ASCII letters only)."""
    return list(dict.fromkeys(normalize_term(text).split()))[:MAX_WORDS]


def search_query(*, q=None, region=None, occupation=None, schedule=None, salary=None,
                 fair_chance=False, subsidy=False, exclude=()):
    """A select() of public vacancies matching every given filter, newest first; `exclude`
    holds ids ruled out for the reader by a restriction."""
    query = (select(Vacancy).join(Vacancy.organisation).where(*public_conditions())
             .options(contains_eager(Vacancy.organisation),
                      selectinload(Vacancy.region), selectinload(Vacancy.city)))
    if exclude:
        query = query.where(Vacancy.id.not_in(sorted(exclude)))
    for word in keyword_words(q):
        query = query.where(Vacancy.search_text.contains(word, autoescape=True))
    if region:
        query = query.where(Vacancy.region_id == region)
    if occupation:
        query = query.where(Vacancy.occupation_id == occupation)
    if schedule:
        query = query.where(Vacancy.schedule == Schedule(schedule))
    if salary:
        query = query.where(func.coalesce(Vacancy.salary_max, Vacancy.salary_min)
                            >= Decimal(salary))
    if fair_chance:
        query = query.where(EmployerOrganisation.fair_chance_pledge.is_(True))
    if subsidy:
        query = query.where(Vacancy.hazardous.is_(False),
                            Vacancy.existing_permanent_post.is_(False))
    newest = func.coalesce(Vacancy.published_at, Vacancy.created_at)
    return query.order_by(newest.desc(), Vacancy.id.desc())


def search(filters: dict, *, page: int, exclude=()):
    """One page (Flask-SQLAlchemy Pagination: items, total, page, pages) of matching vacancies."""
    return db.paginate(search_query(**filters, exclude=exclude), page=page, per_page=PER_PAGE,
                       error_out=False, count=True)
