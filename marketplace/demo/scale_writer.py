"""Bulk writing for `flask seed-scale`: COPY on PostgreSQL, batched executemany on SQLite.

Rows arrive as tuples of the values the ORM would hold (aware UTC datetimes, Decimals, enum
values, dicts for JSON and encrypted columns). Each column's own SQLAlchemy bind processor turns
them into what the driver stores, so an encrypted column is encrypted by EncryptedJSON itself
and a timestamp is stored exactly as UTCDateTime stores it: the bulk rows cannot differ from
rows written through the ORM. Everything runs on the session's connection, inside its
transaction, so a failed load leaves nothing behind.
"""

import time
from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import Table, func, select, text

from marketplace.extensions import db

SQLITE_BATCH = 5_000


class BulkWriter:
    def __init__(self, session, echo=print):
        self.connection = session.connection()
        self.dialect = self.connection.dialect
        self.raw = self.connection.connection.driver_connection
        self.postgres = self.dialect.name == "postgresql"
        self.echo = echo
        self.rows: dict[str, int] = defaultdict(int)
        self.seconds: dict[str, float] = defaultdict(float)
        self._next_id: dict[str, int] = {}
        self._foreign_keys: list[tuple[str, str, str]] = []

    # --- foreign keys: checked once at the end, not row by row
    def suspend_foreign_keys(self) -> None:
        """On COPY PostgreSQL checks every foreign key row by row, which costs several times
        the insert itself (200,000 candidate_skill rows: 2.3 s without its two keys, 9.0 s
        with them). Like pg_restore, the load drops them and `finish` adds them back, when
        PostgreSQL validates each with one set-based scan: the same guarantee in one pass.
        It all happens inside the transaction, so a failed load gets its keys back too.
        (SQLite's per-row checks are cheap: they stay on.)"""
        if not self.postgres:
            return
        self._foreign_keys = self.connection.execute(text(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' "
            "AND connamespace = current_schema()::regnamespace ORDER BY 1, 2")).all()
        for table, name, _ in self._foreign_keys:
            self.connection.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))

    def _restore_foreign_keys(self) -> None:
        began = time.perf_counter()
        for table, name, definition in self._foreign_keys:
            self.connection.execute(text(
                f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'))
        if self._foreign_keys:
            self.echo(f"  {len(self._foreign_keys)} foreign keys validated in "
                      f"{time.perf_counter() - began:.1f} s")
        self._foreign_keys = []

    # --- ids: chosen here, so children can point at parents before anything is written
    def next_ids(self, table: str, count: int) -> range:
        """`count` fresh primary keys of `table`, after every id it holds."""
        if table not in self._next_id:
            model = db.metadata.tables[table]
            self._next_id[table] = (self.connection.scalar(
                select(func.coalesce(func.max(model.c.id), 0))) or 0) + 1
        first = self._next_id[table]
        self._next_id[table] = first + count
        return range(first, first + count)

    def next_id(self, table: str) -> int:
        return self.next_ids(table, 1)[0]

    # --- writing
    def write(self, table: str, columns: Sequence[str], rows: Iterable[tuple]) -> int:
        """Write every row (a generator is consumed lazily); the time spent producing and
        storing the rows is added to the table's figure."""
        began = time.perf_counter()
        model = db.metadata.tables[table]
        if "id" in model.c:
            # Asked now: a generator that takes ids while COPY holds the connection cannot.
            self.next_ids(table, 0)
        prepared = self._prepare(model, columns, rows)
        count = self._copy(model, columns, prepared) if self.postgres else \
            self._insert(model, columns, prepared)
        self.rows[table] += count
        self.seconds[table] += time.perf_counter() - began
        self.echo(f"  {table:<30} {count:>10,} rows {time.perf_counter() - began:8.1f} s")
        return count

    def _prepare(self, model: Table, columns, rows):
        processors = []
        for index, name in enumerate(columns):
            kind = model.c[name].type
            processor = kind.dialect_impl(self.dialect).bind_processor(self.dialect)
            if processor is not None:
                processors.append((index, processor))
        if not processors:
            yield from rows
            return
        for row in rows:
            values = list(row)
            for index, processor in processors:
                if values[index] is not None:
                    values[index] = processor(values[index])
            yield values

    def _copy(self, model: Table, columns, rows) -> int:
        names = ", ".join(f'"{name}"' for name in columns)
        count = 0
        with self.raw.cursor() as cursor, cursor.copy(
                f'COPY "{model.name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count

    def _insert(self, model: Table, columns, rows) -> int:
        names = ", ".join(f'"{name}"' for name in columns)
        # Names come from the models' metadata, values travel as parameters.
        statement = (f'INSERT INTO "{model.name}" ({names}) '  # noqa: S608
                     f'VALUES ({", ".join("?" for _ in columns)})')
        cursor = self.raw.cursor()
        count, batch = 0, []
        for row in rows:
            batch.append(tuple(row))
            if len(batch) == SQLITE_BATCH:
                cursor.executemany(statement, batch)
                count, batch = count + len(batch), []
        if batch:
            cursor.executemany(statement, batch)
            count += len(batch)
        cursor.close()
        return count

    def finish(self) -> None:
        """The foreign keys come back (validated), and PostgreSQL sequences continue after the
        ids chosen here (SQLite needs neither: its next rowid is always max + 1)."""
        if not self.postgres:
            return
        self._restore_foreign_keys()
        for table in self._next_id:
            if "id" in db.metadata.tables[table].c:
                quoted = f'"{table}"'  # a name from the models' metadata
                self.connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{quoted}', 'id'), "  # noqa: S608
                    f"(SELECT coalesce(max(id), 1) FROM {quoted}))"))
