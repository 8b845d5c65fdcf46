"""Column types shared by every feature package."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum, Numeric
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite drops the offset otherwise)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; use marketplace.db_types.utcnow()")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


def Money():  # noqa: N802 - reads like a type in column declarations
    """Exact KZT amounts: never floats."""
    return Numeric(14, 2, asdecimal=True)


def StrEnumType(enum_class, name: str):  # noqa: N802 - reads like a type in column declarations
    """A StrEnum stored by its values, as a CHECK on SQLite and a native type on PostgreSQL."""
    return Enum(enum_class, name=name, values_callable=lambda e: [m.value for m in e],
                validate_strings=True, create_constraint=True)
