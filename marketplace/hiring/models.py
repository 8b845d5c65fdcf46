"""Applications and their pipeline, invitations, fair-chance disclosure, and employments."""

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.auth.models import User
from marketplace.candidates.models import CandidateProfile
from marketplace.db_types import Money, StrEnumType, UTCDateTime, utcnow
from marketplace.employers.models import Vacancy
from marketplace.extensions import db
from marketplace.restrictions.crypto import EncryptedJSON
from marketplace.uploads.models import StoredFile


class ApplicationStatus(enum.StrEnum):
    APPLIED = "applied"
    SHORTLISTED = "shortlisted"
    INTERVIEW = "interview"
    OFFER = "offer"              # a conditional offer
    HIRED = "hired"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


LIVE_STATUSES = (ApplicationStatus.APPLIED, ApplicationStatus.SHORTLISTED,
                 ApplicationStatus.INTERVIEW, ApplicationStatus.OFFER)
_LIVE_SQL = text("status IN ('applied', 'shortlisted', 'interview', 'offer')")


class RejectionReason(enum.StrEnum):
    SKILLS_MISMATCH = "skills_mismatch"
    NOT_ENOUGH_EXPERIENCE = "not_enough_experience"
    SCHEDULE_MISMATCH = "schedule_mismatch"
    POSITION_FILLED = "position_filled"
    NO_SHOW = "no_show"
    OFFER_WITHDRAWN = "offer_withdrawn"
    OTHER = "other"


class OfferResponse(enum.StrEnum):
    ACCEPTED = "accepted"
    REFUSED = "refused"


class Application(db.Model):
    __tablename__ = "application"
    __table_args__ = (
        # One live application per candidate and vacancy (partial index on both backends).
        Index("uq_application_live", "vacancy_id", "profile_id", unique=True,
              sqlite_where=_LIVE_SQL, postgresql_where=_LIVE_SQL),
        # Applications in one status by last change: offers waiting for the answer.
        Index("ix_application_status_updated", "status", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancy.id"), index=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("candidate_profile.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    via_invitation: Mapped[bool] = mapped_column(default=False)
    status: Mapped[ApplicationStatus] = mapped_column(
        StrEnumType(ApplicationStatus, "application_status"), default=ApplicationStatus.APPLIED)
    rejection_reason: Mapped[RejectionReason | None] = mapped_column(
        StrEnumType(RejectionReason, "rejection_reason"))
    offer_response: Mapped[OfferResponse | None] = mapped_column(
        StrEnumType(OfferResponse, "offer_response"))
    offer_responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    vacancy: Mapped[Vacancy] = relationship()
    profile: Mapped[CandidateProfile] = relationship()
    events: Mapped[list["ApplicationEvent"]] = relationship(
        back_populates="application", order_by="ApplicationEvent.id", cascade="all")


class ApplicationEvent(db.Model):
    """Every move of an application: who, when, from where to where, and why."""

    __tablename__ = "application_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    application: Mapped[Application] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class InvitationStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Invitation(db.Model):
    __tablename__ = "invitation"
    __table_args__ = (UniqueConstraint("vacancy_id", "profile_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancy.id"), index=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("candidate_profile.id"), index=True)
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[InvitationStatus] = mapped_column(
        StrEnumType(InvitationStatus, "invitation_status"), default=InvitationStatus.PENDING)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    vacancy: Mapped[Vacancy] = relationship()
    profile: Mapped[CandidateProfile] = relationship()


class Disclosure(db.Model):
    """What the candidate chooses to tell after a conditional offer. Encrypted; the employer
    reads it only while `shared_at` is set, and every read is audited."""

    __tablename__ = "disclosure"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), unique=True)
    content: Mapped[dict] = mapped_column(EncryptedJSON())  # {"disclosure": str, "story": str}
    shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    application: Mapped[Application] = relationship()


class OfferWithdrawal(db.Model):
    """An employer's wish to withdraw a conditional offer after a disclosure: the candidate has
    until `respond_by` to answer before the rejection becomes final."""

    __tablename__ = "offer_withdrawal"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), unique=True)
    reason: Mapped[str] = mapped_column(Text)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    respond_by: Mapped[date] = mapped_column(Date)
    candidate_response: Mapped[str | None] = mapped_column(Text)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(String(16))  # "final" | "reconsidered"
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    application: Mapped[Application] = relationship()


class ContractType(enum.StrEnum):
    PERMANENT = "permanent"
    FIXED_TERM = "fixed_term"
    SEASONAL = "seasonal"
    PART_TIME = "part_time"


class EmploymentStatus(enum.StrEnum):
    RECORDED = "recorded"    # the employer recorded the hire
    CONFIRMED = "confirmed"  # the candidate confirmed it: now an employment record
    ENDED = "ended"


class Employment(db.Model):
    __tablename__ = "employment"
    __table_args__ = (
        CheckConstraint("monthly_wage > 0", name="wage_positive"),
        CheckConstraint("hours_per_week BETWEEN 1 AND 60", name="hours_range"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates_ordered"),
        # Lists of hires, newest first (the region's hires on the staff claims page).
        Index("ix_employment_start_date", "start_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), unique=True)
    start_date: Mapped[date] = mapped_column(Date)
    monthly_wage: Mapped[Decimal] = mapped_column(Money())
    hours_per_week: Mapped[int] = mapped_column(SmallInteger)
    contract_type: Mapped[ContractType] = mapped_column(StrEnumType(ContractType, "contract_type"))
    contract_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"))
    status: Mapped[EmploymentStatus] = mapped_column(
        StrEnumType(EmploymentStatus, "employment_status"), default=EmploymentStatus.RECORDED)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    end_date: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(Text)

    application: Mapped[Application] = relationship()
    contract_file: Mapped[StoredFile | None] = relationship()
