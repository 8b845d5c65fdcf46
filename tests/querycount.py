"""Counting the SQL statements a block of code sends, as indico's `count_queries` does.

A page that issues one query per row shows up as a count that grows with the rows, so the
tests render a page with few rows and with many and assert the same count:

    def test_page(client, count_queries):
        with count_queries() as queries:
            client.get("/staff/")
        assert queries.count == 7, queries.report()

The listener sits on the app's engine (`before_cursor_execute`), so it sees every statement
the ORM or Core sends through a cursor: lazy loads included; transaction control
(BEGIN/COMMIT/ROLLBACK, which go through the DB-API connection) is not counted.
"""

from contextlib import contextmanager

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine


class QueryCounter:
    """The statements seen so far; `count` (or len()) is how many."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)

    def __len__(self) -> int:
        return self.count

    def report(self) -> str:
        """The statements, numbered, first line of each: a readable assertion message."""
        lines = (f"{n:3}. {' '.join(sql.split())[:160]}"
                 for n, sql in enumerate(self.statements, start=1))
        return f"{self.count} statements:\n" + "\n".join(lines)


@contextmanager
def counting_queries(engine: Engine):
    """Counts the statements sent through `engine` inside the block."""
    counter = QueryCounter()

    def record(conn, cursor, statement, parameters, context, executemany):
        counter.statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def count_queries(app):
    """Factory of counting blocks on the test app's engine: `with count_queries() as q:`."""
    from marketplace.extensions import db

    with app.app_context():
        engine = db.engine

    def make():
        return counting_queries(engine)

    return make


def assert_constant_queries(counts: dict[int, QueryCounter], what: str = "") -> None:
    """Fails unless every size gave the same number of statements, showing the two lists
    that differ; `counts` maps a number of rows to the counter of the page with that many,
    `what` names the page in the message."""
    sizes = sorted(counts)
    first = counts[sizes[0]]
    for size in sizes[1:]:
        other = counts[size]
        assert other.count == first.count, (
            f"{what}: {first.count} statements with {sizes[0]} rows but {other.count} with "
            f"{size}\n"
            f"--- {sizes[0]} rows: {first.report()}\n--- {size} rows: {other.report()}")
