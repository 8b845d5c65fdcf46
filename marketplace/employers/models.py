"""Employer organisations, their members and their vacancies."""

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.auth.models import User
from marketplace.db_types import Money, UTCDateTime, utcnow
from marketplace.extensions import db
from marketplace.reference.models import City, Occupation, Region, Sector, Skill


def _enum(cls, name):
    return Enum(cls, name=name, values_callable=lambda e: [m.value for m in e],
                validate_strings=True, create_constraint=True)


class VerificationStatus(enum.StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


class MemberRole(enum.StrEnum):
    OWNER = "owner"
    MEMBER = "member"


class Schedule(enum.StrEnum):
    DAY = "day"
    SHIFTS = "shifts"
    NIGHT = "night"
    ROTATIONAL = "rotational"


class VacancyStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    FILLED = "filled"


class EmployerOrganisation(db.Model):
    __tablename__ = "employer_organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    bin: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    sector_id: Mapped[int | None] = mapped_column(ForeignKey("sector.id"))
    address: Mapped[str] = mapped_column(String(300), default="")
    contact_phone: Mapped[str | None] = mapped_column(String(16))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    status: Mapped[VerificationStatus] = mapped_column(
        _enum(VerificationStatus, "verification_status"), default=VerificationStatus.PENDING
    )
    fair_chance_pledge: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    region: Mapped[Region] = relationship()
    sector: Mapped[Sector | None] = relationship()
    memberships: Mapped[list["OrganisationMember"]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )
    vacancies: Mapped[list["Vacancy"]] = relationship(
        back_populates="organisation", order_by="Vacancy.created_at.desc()"
    )


class OrganisationMember(db.Model):
    __tablename__ = "organisation_member"
    __table_args__ = (UniqueConstraint("organisation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("employer_organisation.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    role: Mapped[MemberRole] = mapped_column(_enum(MemberRole, "member_role"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organisation: Mapped[EmployerOrganisation] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()


class Vacancy(db.Model):
    __tablename__ = "vacancy"
    __table_args__ = (
        CheckConstraint("positions >= 1", name="positions_positive"),
        CheckConstraint("salary_min IS NULL OR salary_min >= 0", name="salary_min_nonneg"),
        CheckConstraint(
            "salary_max IS NULL OR salary_min IS NULL OR salary_max >= salary_min",
            name="salary_range_ordered",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("employer_organisation.id"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    occupation_id: Mapped[int | None] = mapped_column(ForeignKey("occupation.id"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    city_id: Mapped[int | None] = mapped_column(ForeignKey("city.id"))
    address: Mapped[str] = mapped_column(String(300), default="")
    salary_min: Mapped[Decimal | None] = mapped_column(Money())
    salary_max: Mapped[Decimal | None] = mapped_column(Money())
    schedule: Mapped[Schedule] = mapped_column(_enum(Schedule, "schedule"), default=Schedule.DAY)
    positions: Mapped[int] = mapped_column(SmallInteger, default=1)
    start_date: Mapped[date | None] = mapped_column(Date)
    closing_date: Mapped[date | None] = mapped_column(Date)
    hazardous: Mapped[bool] = mapped_column(Boolean, default=False)
    existing_permanent_post: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[VacancyStatus] = mapped_column(
        _enum(VacancyStatus, "vacancy_status"), default=VacancyStatus.DRAFT, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    organisation: Mapped[EmployerOrganisation] = relationship(back_populates="vacancies")
    occupation: Mapped[Occupation | None] = relationship()
    region: Mapped[Region] = relationship()
    city: Mapped[City | None] = relationship()
    skills: Mapped[list["VacancySkill"]] = relationship(
        back_populates="vacancy", cascade="all, delete-orphan"
    )

    @property
    def required_skills(self) -> list[Skill]:
        return [vs.skill for vs in self.skills if vs.required]

    @property
    def optional_skills(self) -> list[Skill]:
        return [vs.skill for vs in self.skills if not vs.required]


class VacancySkill(db.Model):
    __tablename__ = "vacancy_skill"
    __table_args__ = (UniqueConstraint("vacancy_id", "skill_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(
        ForeignKey("vacancy.id", ondelete="CASCADE"), index=True
    )
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"))
    required: Mapped[bool] = mapped_column(Boolean, default=True)

    vacancy: Mapped[Vacancy] = relationship(back_populates="skills")
    skill: Mapped[Skill] = relationship()
