"""The search index's own table: each vacancy's index terms (jobs.text), in three fields that
weigh differently in ranking. Kept current by jobs.index; read through the database's full-text
structures, which the migration creates and the models do not describe (DATABASE_ONLY)."""

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.extensions import db


class VacancySearch(db.Model):
    __tablename__ = "vacancy_search"

    vacancy_id: Mapped[int] = mapped_column(
        ForeignKey("vacancy.id", ondelete="CASCADE"), primary_key=True, autoincrement=False)
    title: Mapped[str] = mapped_column(Text, default="")  # weighs most
    tags: Mapped[str] = mapped_column(Text, default="")   # occupation, skills and synonyms
    body: Mapped[str] = mapped_column(Text, default="")   # description and employer's name


# What migration 0015 builds that no model can describe portably: on PostgreSQL a generated
# tsvector column and its GIN index, on SQLite an FTS5 virtual table (its shadow tables share its
# name as prefix) and triggers. Autogenerate and the models-match-migrations test skip them by
# these names.
FTS_TABLE = "vacancy_fts"
TSVECTOR_COLUMN = "document"
TSVECTOR_INDEX = "ix_vacancy_search_document"
# Also PostgreSQL's index on an expression (the public listing's newest-first key), which
# autogenerate cannot compare.
EXPRESSION_INDEXES = {TSVECTOR_INDEX, "ix_vacancy_public_listing"}


def is_database_only(name: str | None, type_: str, parent_table: str | None = None) -> bool:
    """True for a database object that exists on purpose without a model (see above)."""
    if name is None:
        return False
    if type_ == "table":
        return name == FTS_TABLE or name.startswith(FTS_TABLE + "_")
    if type_ == "column":
        return parent_table == VacancySearch.__tablename__ and name == TSVECTOR_COLUMN
    return type_ == "index" and name in EXPRESSION_INDEXES


def include_name(name, type_, parent_names) -> bool:
    """Alembic's include_name hook: leaves database-only tables unreflected."""
    return not (type_ == "table" and is_database_only(name, type_))


def include_object(object_, name, type_, reflected, compare_to) -> bool:
    """Alembic's include_object hook: skips the database-only column and index."""
    table = getattr(getattr(object_, "table", None), "name", None)
    return not is_database_only(name, type_, table)
