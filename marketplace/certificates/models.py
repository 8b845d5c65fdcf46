"""Certificates a candidate earned (often at the vocational school of a correctional institution),
verified by job-centre staff and checkable by anyone who holds the public verification code."""

import enum
import secrets
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.auth.models import User
from marketplace.candidates.models import CandidateProfile
from marketplace.db_types import StrEnumType, UTCDateTime, utcnow
from marketplace.extensions import db
from marketplace.reference.models import Skill
from marketplace.uploads.models import StoredFile


class CertificateStatus(enum.StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


def new_verification_code() -> str:
    """12 URL-safe characters (72 random bits): unguessable, short enough to type."""
    return secrets.token_urlsafe(9)


certificate_skill = Table(
    "certificate_skill",
    db.Model.metadata,
    Column("certificate_id", ForeignKey("certificate.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", ForeignKey("skill.id", ondelete="CASCADE"), primary_key=True),
)


class Certificate(db.Model):
    __tablename__ = "certificate"
    __table_args__ = (
        # A double-submitted form cannot store the same certificate twice.
        UniqueConstraint("profile_id", "title", "issuer", "issued_on"),
        CheckConstraint("expires_on IS NULL OR expires_on >= issued_on", name="dates_ordered"),
        CheckConstraint("status <> 'verified' OR (verified_by_id IS NOT NULL "
                        "AND verified_at IS NOT NULL)", name="verified_has_reviewer"),
        CheckConstraint("status <> 'rejected' OR rejection_reason IS NOT NULL",
                        name="rejected_has_reason"),
        # The staff queue: a status's certificates, the longest waiting first.
        Index("ix_certificate_status_submitted", "status", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("candidate_profile.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    issuer: Mapped[str] = mapped_column(String(200))
    issued_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    scan_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"))
    status: Mapped[CertificateStatus] = mapped_column(
        StrEnumType(CertificateStatus, "certificate_status"),
        default=CertificateStatus.PENDING, index=True)
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    verification_code: Mapped[str] = mapped_column(String(32), unique=True,
                                                   default=new_verification_code)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When it last entered the staff queue (creation or resubmission): the queue's age.
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    profile: Mapped[CandidateProfile] = relationship()
    scan_file: Mapped[StoredFile | None] = relationship()
    verified_by: Mapped[User | None] = relationship()
    skills: Mapped[list[Skill]] = relationship(secondary=certificate_skill,
                                               order_by=Skill.code)

    def is_expired(self, today: date | None = None) -> bool:
        return self.expires_on is not None and self.expires_on < (today or date.today())

    def counts_in_matching(self, today: date | None = None) -> bool:
        """Verified and still valid: backs its skills in the rankings."""
        return self.status is CertificateStatus.VERIFIED and not self.is_expired(today)
