"""Employer organisations, their members and their vacancies."""

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
    event,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from marketplace.auth.models import User
from marketplace.db_types import Money, StrEnumType, UTCDateTime, utcnow
from marketplace.extensions import db
from marketplace.reference.models import City, Occupation, Region, Sector, Skill


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
        StrEnumType(VerificationStatus, "verification_status"), default=VerificationStatus.PENDING
    )
    fair_chance_pledge: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When the organisation last entered the verification queue (registration or resubmission).
    # (Nullable only because SQLite cannot add a NOT NULL column to existing rows in place.)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=utcnow)
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    region: Mapped[Region] = relationship()
    sector: Mapped[Sector | None] = relationship()
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])
    memberships: Mapped[list["OrganisationMember"]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan",
        order_by="OrganisationMember.id"
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
    role: Mapped[MemberRole] = mapped_column(StrEnumType(MemberRole, "member_role"))
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
        # One vacancy per submitted form: a double-submitted "new vacancy" form finds this row.
        # An index, not a constraint, so SQLite can add it without rebuilding the table.
        Index("uq_vacancy_submission_key", "organisation_id", "submission_key", unique=True),
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
    schedule: Mapped[Schedule] = mapped_column(StrEnumType(Schedule, "schedule"),
                                               default=Schedule.DAY)
    positions: Mapped[int] = mapped_column(SmallInteger, default=1)
    start_date: Mapped[date | None] = mapped_column(Date)
    closing_date: Mapped[date | None] = mapped_column(Date)
    hazardous: Mapped[bool] = mapped_column(Boolean, default=False)
    existing_permanent_post: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[VacancyStatus] = mapped_column(
        StrEnumType(VacancyStatus, "vacancy_status"), default=VacancyStatus.DRAFT, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submission_key: Mapped[str | None] = mapped_column(String(64))
    # Casefolded title, description, occupation and skill names in kk/ru/en, for keyword
    # search (SQLite's lower() folds ASCII only). Kept current by employers.search on flush.
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Set by job-centre staff when the vacancy breaks the rules: it leaves search and matching.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    organisation: Mapped[EmployerOrganisation] = relationship(back_populates="vacancies")
    occupation: Mapped[Occupation | None] = relationship()
    region: Mapped[Region] = relationship()
    city: Mapped[City | None] = relationship()
    skills: Mapped[list["VacancySkill"]] = relationship(
        back_populates="vacancy", cascade="all, delete-orphan"
    )

    @property
    def hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def subsidy_eligible(self) -> bool:
        """Subsidised jobs exclude heavy or hazardous work and existing permanent posts."""
        return not self.hazardous and not self.existing_permanent_post

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


class OrganisationInvite(db.Model):
    """A single-use, expiring invitation to join an organisation; only the token's SHA-256
    is stored, so a database leak does not leak working links."""

    __tablename__ = "organisation_invite"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("employer_organisation.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organisation: Mapped[EmployerOrganisation] = relationship()
    invited_by: Mapped[User] = relationship(foreign_keys=[invited_by_id])

    def usable(self, now: datetime) -> bool:
        return self.accepted_at is None and self.cancelled_at is None and self.expires_at > now


def vacancy_search_text(vacancy: Vacancy, session) -> str:
    """What keyword search matches: casefolded title, description, and the occupation's and
    skills' names in every language (so a Kazakh word finds a vacancy written in Russian)."""
    from marketplace.reference.services import normalize_term

    occupation = vacancy.occupation or (
        session.get(Occupation, vacancy.occupation_id) if vacancy.occupation_id else None)
    parts = [vacancy.title, vacancy.description]
    named = [occupation] if occupation else []
    for entry in vacancy.skills:
        skill = entry.skill or (session.get(Skill, entry.skill_id) if entry.skill_id else None)
        if skill is not None and entry not in session.deleted:
            named.append(skill)
    for row in named:
        parts.extend((row.name_kk, row.name_ru, row.name_en))
    return normalize_term(" ".join(part for part in parts if part))


@event.listens_for(Session, "before_flush")
def _refresh_search_text(session, flush_context, instances):
    """Every save of a vacancy or of its skills, by any code path, refreshes search_text."""
    touched = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Vacancy):
            touched.add(obj)
        elif isinstance(obj, VacancySkill) and obj.vacancy is not None:
            touched.add(obj.vacancy)
    for vacancy in touched:
        if vacancy in session.deleted:
            continue
        text = vacancy_search_text(vacancy, session)
        if vacancy.search_text != text:
            vacancy.search_text = text
