"""Case management by job-centre staff: the release record (target-group verification), a case
manager per candidate, notes, follow-up tasks, retention check-ins after a hire, re-offending
records (for the indicators) and the consent under which staff act on a person's behalf.

What a conviction or release reveals is encrypted at rest (EncryptedJSON); only the dates the
indicators count by are plain columns.
"""

import enum
from datetime import date, datetime

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

from marketplace.candidates.models import CandidateProfile
from marketplace.db_types import StrEnumType, UTCDateTime, utcnow
from marketplace.extensions import db
from marketplace.restrictions.crypto import EncryptedJSON


class ReleaseRecord(db.Model):
    """Staff record a candidate's release from the document they have seen. The release date is
    kept plain (it decides eligibility and the days-to-first-job indicator); the institution and
    the document are encrypted."""

    __tablename__ = "release_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("candidate_profile.id"), unique=True)
    release_date: Mapped[date] = mapped_column(Date)
    details: Mapped[dict] = mapped_column(EncryptedJSON())  # {"institution", "document"}
    verified_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    verified_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    profile: Mapped[CandidateProfile] = relationship()
    verified_by = relationship("User")


class Case(db.Model):
    """One per candidate who is followed by the job centre."""

    __tablename__ = "case"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("candidate_profile.id"), unique=True)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    next_step: Mapped[str] = mapped_column(Text, default="")
    last_contact_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Consent to act on the person's behalf (create/edit the profile, apply), as recorded by
    # staff: when, how (e.g. "signed form", "in person, spoken") and who recorded it.
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    consent_note: Mapped[str] = mapped_column(Text, default="")
    consent_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    profile: Mapped[CandidateProfile] = relationship()
    manager = relationship("User", foreign_keys=[manager_id])
    notes: Mapped[list["CaseNote"]] = relationship(order_by="CaseNote.id.desc()",
                                                   cascade="all, delete-orphan")
    tasks: Mapped[list["CaseTask"]] = relationship(order_by="CaseTask.due_on",
                                                   cascade="all, delete-orphan",
                                                   back_populates="case")


class CaseNote(db.Model):
    __tablename__ = "case_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    body: Mapped[str] = mapped_column(Text)
    was_contact: Mapped[bool] = mapped_column(default=False)  # spoke with the person
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author = relationship("User")


class TaskKind(enum.StrEnum):
    FOLLOW_UP = "follow_up"
    CALL_BACK = "call_back"      # raised by a low satisfaction score at a check-in


class CaseTask(db.Model):
    __tablename__ = "case_task"
    # Open tasks by due date (the staff home's queue), with the case to join to the region.
    __table_args__ = (Index("ix_case_task_open_due", "due_on", "case_id",
                            postgresql_where=text("done_at IS NULL"),
                            sqlite_where=text("done_at IS NULL")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    kind: Mapped[TaskKind] = mapped_column(StrEnumType(TaskKind, "case_task_kind"),
                                           default=TaskKind.FOLLOW_UP)
    title: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column(Date, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    case: Mapped[Case] = relationship(back_populates="tasks")


class CheckInOutcome(enum.StrEnum):
    EMPLOYED = "employed"    # still employed with this employer
    LEFT = "left"            # left the job (reason recorded)
    UNKNOWN = "unknown"      # could not reach the person or the employer


CHECK_IN_MONTHS = (1, 3, 6, 12)


class CheckIn(db.Model):
    """Retention check-in N months after a hire; created when the hire is confirmed."""

    __tablename__ = "check_in"
    __table_args__ = (
        UniqueConstraint("employment_id", "months_after"),
        CheckConstraint("satisfaction IS NULL OR satisfaction BETWEEN 0 AND 10",
                        name="satisfaction_range"),
        # The check-ins due (staff home, check-ins page): only those without an outcome.
        Index("ix_check_in_open_due", "due_on", postgresql_where=text("outcome IS NULL"),
              sqlite_where=text("outcome IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employment_id: Mapped[int] = mapped_column(ForeignKey("employment.id"), index=True)
    months_after: Mapped[int] = mapped_column(SmallInteger)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    outcome: Mapped[CheckInOutcome | None] = mapped_column(
        StrEnumType(CheckInOutcome, "check_in_outcome"))
    left_reason: Mapped[str] = mapped_column(Text, default="")
    satisfaction: Mapped[int | None] = mapped_column(SmallInteger)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    employment = relationship("Employment")


class ReoffenceKind(enum.StrEnum):
    REINCARCERATION = "reincarceration"
    NEW_CONVICTION = "new_conviction"


class Reoffence(db.Model):
    """Recorded when staff learn of it, for the re-offending indicator only. The kind and month
    are counted; what staff wrote is encrypted."""

    __tablename__ = "reoffence"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("candidate_profile.id"), index=True)
    kind: Mapped[ReoffenceKind] = mapped_column(StrEnumType(ReoffenceKind, "reoffence_kind"))
    occurred_on: Mapped[date] = mapped_column(Date)
    details: Mapped[dict] = mapped_column(EncryptedJSON())  # {"note": …}
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class VacancyReport(db.Model):
    """A user's report that a vacancy looks wrong (fraud, discrimination, not a real job)."""

    __tablename__ = "vacancy_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancy.id"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    resolution: Mapped[str] = mapped_column(Text, default="")

    vacancy = relationship("Vacancy")


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ExportJob(db.Model):
    """A long export or recomputation, run by a worker (rq on Redis) or inline without Redis;
    the page polls it for progress."""

    __tablename__ = "export_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict] = mapped_column(db.JSON, default=dict)
    status: Mapped[JobStatus] = mapped_column(StrEnumType(JobStatus, "export_job_status"),
                                              default=JobStatus.QUEUED)
    done_rows: Mapped[int] = mapped_column(default=0)
    total_rows: Mapped[int] = mapped_column(default=0)
    file_name: Mapped[str] = mapped_column(String(200), default="")
    error: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
