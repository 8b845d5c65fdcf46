"""The public vacancy search: the same visibility rule as matching, filters, and keywords
through the full-text index (most relevant first, then newest); newest first without keywords.

Keywords become index terms (jobs.text, jobs.query) and are looked up in the database's own
full-text index: a GIN-indexed tsvector on PostgreSQL, an FTS5 table on SQLite. Both hold the
same terms, so both find the same vacancies; ranking weighs a match in the title 10, in the
occupation or skills 4 and in the description or employer's name 1 (ts_rank on PostgreSQL,
bm25 on SQLite), and equal ranks fall back to the newest.
"""

from decimal import Decimal

from sqlalchemy import bindparam, column, false, func, literal_column, select, table
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.orm import contains_eager, defer, selectinload

from marketplace.employers.models import EmployerOrganisation, Schedule, Vacancy
from marketplace.employers.vacancies import public_conditions
from marketplace.extensions import db
from marketplace.jobs import query as keywords
from marketplace.jobs.index import taxonomy
from marketplace.jobs.models import FTS_TABLE, TSVECTOR_COLUMN

PER_PAGE = 20
WEIGHTS = (10.0, 4.0, 1.0)  # title, tags (occupation, skills), body (description, employer)

_tsvector = table("vacancy_search", column("vacancy_id"), column(TSVECTOR_COLUMN))
_fts = table(FTS_TABLE, column("rowid"))


def search_query(*, q=None, region=None, occupation=None, schedule=None, salary=None,
                 fair_chance=False, subsidy=False, exclude=()):
    """A select() of public vacancies matching every given filter, ordered by relevance to `q`
    then newest first; `exclude` holds ids ruled out for the reader by a restriction."""
    query = (select(Vacancy).join(Vacancy.organisation).where(*public_conditions())
             .options(contains_eager(Vacancy.organisation),
                      selectinload(Vacancy.region), selectinload(Vacancy.city),
                      # the list shows neither: don't carry kilobytes a row to the page
                      defer(Vacancy.description), defer(Vacancy.search_text)))
    if exclude:
        query = query.where(Vacancy.id.not_in(sorted(exclude)))
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
    newest = (func.coalesce(Vacancy.published_at, Vacancy.created_at).desc(),
              Vacancy.id.desc())
    if not (q or "").strip():
        return query.order_by(*newest)
    known = taxonomy(db.session)
    segments = keywords.parse(q, known.synonyms, known.kazakh)
    if not segments:  # only punctuation: no word can match it
        return query.where(false()).order_by(*newest)
    query, relevance = _match(query, segments)
    return query.order_by(relevance, *newest)


def _match(query, segments):
    """`query` limited to vacancies whose index matches, and the ORDER BY term of relevance."""
    if db.session.get_bind().dialect.name == "postgresql":
        wanted = bindparam("keywords", keywords.to_tsquery(segments), type_=TSQUERY)
        document = _tsvector.c[TSVECTOR_COLUMN]
        # ts_rank takes weights for D, C, B, A, each at most 1; the index writes title as A,
        # tags as B, body as C.
        title, tags, body = (weight / max(WEIGHTS) for weight in WEIGHTS)
        weights = literal_column(f"'{{0,{body},{tags},{title}}}'::real[]")
        return (query.join(_tsvector, _tsvector.c.vacancy_id == Vacancy.id)
                .where(document.op("@@")(wanted)),
                func.ts_rank(weights, document, wanted).desc())
    fts = literal_column(FTS_TABLE)
    return (query.join(_fts, _fts.c.rowid == Vacancy.id)
            .where(fts.op("MATCH")(keywords.to_fts5(segments))),
            func.bm25(fts, *WEIGHTS).asc())  # bm25 is lower for better matches


def search(filters: dict, *, page: int, exclude=()):
    """One page (Flask-SQLAlchemy Pagination: items, total, page, pages) of matching vacancies."""
    return db.paginate(search_query(**filters, exclude=exclude), page=page, per_page=PER_PAGE,
                       error_out=False, count=True)
