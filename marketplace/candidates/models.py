"""A released person's profile and skills. Conviction data will live in its own tables."""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.auth.models import User
from marketplace.db_types import UTCDateTime, utcnow
from marketplace.extensions import db
from marketplace.reference.models import City, Occupation, Region, Skill


class CandidateProfile(db.Model):
    __tablename__ = "candidate_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), unique=True)
    iin: Mapped[str | None] = mapped_column(String(12), unique=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)
    city_id: Mapped[int | None] = mapped_column(ForeignKey("city.id"))
    desired_occupation_id: Mapped[int | None] = mapped_column(ForeignKey("occupation.id"))
    desired_title: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    experience_years: Mapped[int | None] = mapped_column(SmallInteger)
    # Explicit, revocable consent to appear in employers' searches and rankings.
    discoverable: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()
    region: Mapped[Region | None] = relationship()
    city: Mapped[City | None] = relationship()
    desired_occupation: Mapped[Occupation | None] = relationship()
    skills: Mapped[list["CandidateSkill"]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="CandidateSkill.id"
    )


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
