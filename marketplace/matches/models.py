"""What the matching index needs from the database besides profiles and vacancies.

`MatchChange` is an append-only log of entities whose matching data changed; its highest id is
the index version. Every worker process applies the rows it has not seen, so gunicorn workers
stay consistent without talking to each other.
"""

import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db_types import StrEnumType, UTCDateTime, utcnow
from marketplace.extensions import db


class MatchChange(db.Model):
    __tablename__ = "match_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(16))  # candidate | vacancy | organisation | weights
    entity_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Outcome(enum.StrEnum):
    HIRED = "hired"
    REJECTED_AFTER_INTERVIEW = "rejected_after_interview"


class MatchOutcome(db.Model):
    """A recorded result of a match, the training signal for `flask matching-train`."""

    __tablename__ = "match_outcome"
    __table_args__ = (UniqueConstraint("vacancy_id", "candidate_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancy.id", ondelete="CASCADE"))
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidate_profile.id", ondelete="CASCADE"), index=True
    )
    outcome: Mapped[Outcome] = mapped_column(
        StrEnumType(Outcome, "match_outcome_kind")
    )
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class MatchingWeights(db.Model):
    """Every training run; the newest adopted row holds the weights in force."""

    __tablename__ = "matching_weights"

    id: Mapped[int] = mapped_column(primary_key=True)
    weights: Mapped[dict] = mapped_column(JSON)
    adopted: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(String(32))
    examples: Mapped[int] = mapped_column(Integer)
    current_ndcg: Mapped[float | None] = mapped_column(Float)
    new_ndcg: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
