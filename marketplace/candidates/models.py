"""A released person's profile: job wishes, skills, work history, education and languages.
Conviction data lives in its own tables (marketplace.restrictions)."""

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.auth.models import User
from marketplace.db_types import Money, StrEnumType, UTCDateTime, utcnow
from marketplace.extensions import db
from marketplace.reference.models import City, Occupation, Region, Skill


def _flag():
    """A false-by-default flag; the server default fills rows that existed before it."""
    return mapped_column(Boolean, default=False, server_default=false())


# The same values as employers.models.Schedule and matching.SCHEDULES.
SCHEDULES = ("day", "shifts", "night", "rotational")


class EducationLevel(enum.StrEnum):
    SECONDARY = "secondary"
    VOCATIONAL = "vocational"   # incl. the college of a correctional institution
    HIGHER = "higher"
    COURSE = "course"           # a course or training


class LanguageCode(enum.StrEnum):
    KK = "kk"
    RU = "ru"
    EN = "en"
    OTHER = "other"


class LanguageLevel(enum.StrEnum):
    BASIC = "basic"
    CONVERSATIONAL = "conversational"
    FLUENT = "fluent"
    NATIVE = "native"


class CandidateProfile(db.Model):
    __tablename__ = "candidate_profile"
    __table_args__ = (
        CheckConstraint("salary_expectation IS NULL OR salary_expectation > 0",
                        name="salary_positive"),
        # Staff queues and indicators read a region's profiles by registration time; with the
        # id they count and join a region's profiles from the index alone.
        Index("ix_candidate_profile_region_created", "region_id", "created_at", "id"),
        # The staff home counts the region's profiles open to employers.
        Index("ix_candidate_profile_region_discoverable", "region_id",
              postgresql_where=text("discoverable"), sqlite_where=text("discoverable")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), unique=True)
    iin: Mapped[str | None] = mapped_column(String(12), unique=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)
    city_id: Mapped[int | None] = mapped_column(ForeignKey("city.id"))
    # The first of `desired_occupations`, kept in step by the services for older readers.
    desired_occupation_id: Mapped[int | None] = mapped_column(ForeignKey("occupation.id"))
    desired_title: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    experience_years: Mapped[int | None] = mapped_column(SmallInteger)
    # Working hours that suit the candidate: one flag per schedule, simple to filter on.
    schedule_day: Mapped[bool] = _flag()
    schedule_shifts: Mapped[bool] = _flag()
    schedule_night: Mapped[bool] = _flag()
    schedule_rotational: Mapped[bool] = _flag()
    available_from: Mapped[date | None] = mapped_column(Date)
    salary_expectation: Mapped[Decimal | None] = mapped_column(Money())  # KZT a month
    willing_to_relocate: Mapped[bool] = _flag()
    # Explicit, revocable consent to appear in employers' searches and rankings.
    discoverable: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()
    region: Mapped[Region | None] = relationship()
    city: Mapped[City | None] = relationship()
    desired_occupation: Mapped[Occupation | None] = relationship()
    desired_occupation_links: Mapped[list["DesiredOccupation"]] = relationship(
        cascade="all, delete-orphan", order_by="DesiredOccupation.position"
    )
    skills: Mapped[list["CandidateSkill"]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="CandidateSkill.id"
    )
    work_history: Mapped[list["WorkHistoryEntry"]] = relationship(
        back_populates="profile", cascade="all, delete-orphan",
        order_by=lambda: (WorkHistoryEntry.started_on.desc(), WorkHistoryEntry.id.desc())
    )
    education: Mapped[list["EducationEntry"]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="EducationEntry.id"
    )
    languages: Mapped[list["CandidateLanguage"]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="CandidateLanguage.id"
    )

    @property
    def desired_occupations(self) -> list[Occupation]:
        """All wanted occupations, first one first (older rows may only have the column)."""
        chosen = [link.occupation for link in self.desired_occupation_links]
        if not chosen and self.desired_occupation is not None:
            return [self.desired_occupation]
        return chosen

    @property
    def schedules(self) -> frozenset[str]:
        return frozenset(s for s in SCHEDULES if getattr(self, f"schedule_{s}"))

    @schedules.setter
    def schedules(self, wanted) -> None:
        unknown = set(wanted) - set(SCHEDULES)
        if unknown:
            raise ValueError(f"unknown schedules: {sorted(unknown)}")
        for name in SCHEDULES:
            setattr(self, f"schedule_{name}", name in wanted)


class DesiredOccupation(db.Model):
    """Profile ↔ occupation: the occupations a candidate wants, in the order they gave them."""

    __tablename__ = "candidate_desired_occupation"

    profile_id: Mapped[int] = mapped_column(
        ForeignKey("candidate_profile.id", ondelete="CASCADE"), primary_key=True
    )
    occupation_id: Mapped[int] = mapped_column(
        ForeignKey("occupation.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(SmallInteger, default=0)

    occupation: Mapped[Occupation] = relationship()


class CandidateSkill(db.Model):
    """A taxonomy skill, or free text the taxonomy does not know yet."""

    __tablename__ = "candidate_skill"
    __table_args__ = (
        CheckConstraint("skill_id IS NOT NULL OR free_text IS NOT NULL", name="skill_or_text"),
        CheckConstraint("level BETWEEN 1 AND 5", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("candidate_profile.id", ondelete="CASCADE"), index=True
    )
    skill_id: Mapped[int | None] = mapped_column(ForeignKey("skill.id"))
    free_text: Mapped[str | None] = mapped_column(String(200))
    level: Mapped[int] = mapped_column(SmallInteger, default=3)
    years: Mapped[int | None] = mapped_column(SmallInteger)

    profile: Mapped[CandidateProfile] = relationship(back_populates="skills")
    skill: Mapped[Skill | None] = relationship()

    @property
    def label(self) -> str:
        return self.skill.name if self.skill else self.free_text


class WorkHistoryEntry(db.Model):
    __tablename__ = "candidate_work"
    __table_args__ = (
        CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="dates_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("candidate_profile.id", ondelete="CASCADE"), index=True
    )
    employer_name: Mapped[str] = mapped_column(String(200))
    job_title: Mapped[str] = mapped_column(String(200))
    # Set when the job title names a taxonomy occupation in any language.
    occupation_id: Mapped[int | None] = mapped_column(ForeignKey("occupation.id"))
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    description: Mapped[str] = mapped_column(String(2000), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    profile: Mapped[CandidateProfile] = relationship(back_populates="work_history")
    occupation: Mapped[Occupation | None] = relationship()


class EducationEntry(db.Model):
    __tablename__ = "candidate_education"
    __table_args__ = (
        CheckConstraint("finished_year IS NULL OR finished_year >= 1950",
                        name="finished_year_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("candidate_profile.id", ondelete="CASCADE"), index=True
    )
    institution: Mapped[str] = mapped_column(String(200))
    level: Mapped[EducationLevel] = mapped_column(StrEnumType(EducationLevel, "education_level"))
    specialty: Mapped[str] = mapped_column(String(200), default="")
    finished_year: Mapped[int | None] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    profile: Mapped[CandidateProfile] = relationship(back_populates="education")


class CandidateLanguage(db.Model):
    """Kazakh, Russian, English, or another language named in `name`; one row per language."""

    __tablename__ = "candidate_language"
    __table_args__ = (
        UniqueConstraint("profile_id", "language", "name"),
        CheckConstraint("(language = 'other') = (name <> '')", name="name_for_other"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("candidate_profile.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[LanguageCode] = mapped_column(StrEnumType(LanguageCode, "language_code"))
    name: Mapped[str] = mapped_column(String(100), default="")  # only for "other"
    level: Mapped[LanguageLevel] = mapped_column(StrEnumType(LanguageLevel, "language_level"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    profile: Mapped[CandidateProfile] = relationship(back_populates="languages")
