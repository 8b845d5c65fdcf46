"""Incentive programmes and their rule versions (effective-dated)."""

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db_types import StrEnumType, UTCDateTime, utcnow
from marketplace.extensions import db
from marketplace.i18n import LocalizedNameMixin
from marketplace.reference.models import Region


class ProgrammeKind(enum.StrEnum):
    WAGE_SUBSIDY = "wage_subsidy"          # monthly share of the wage (social workplaces)
    TAX_CERTIFICATE = "tax_certificate"    # share of first-year wages by hours (WOTC-like)
    HIRING_GRANT = "hiring_grant"          # one-off amount per hire
    TRAINING_GRANT = "training_grant"      # one-off amount for on-the-job training


class IncentiveProgramme(LocalizedNameMixin, db.Model):
    __tablename__ = "incentive_programme"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[ProgrammeKind] = mapped_column(StrEnumType(ProgrammeKind, "programme_kind"))
    name_kk: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))  # None: nationwide
    active_from: Mapped[date] = mapped_column(Date)
    active_to: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    region: Mapped[Region | None] = relationship()
    versions: Mapped[list["ProgrammeRuleVersion"]] = relationship(
        back_populates="programme", order_by="ProgrammeRuleVersion.effective_from",
        cascade="all, delete-orphan")


class ProgrammeRuleVersion(db.Model):
    """The rules from `effective_from` until the next version starts. Never edited once a claim
    has used it: a change of rules is a new version."""

    __tablename__ = "programme_rule_version"
    __table_args__ = (UniqueConstraint("programme_id", "effective_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("incentive_programme.id"), index=True)
    effective_from: Mapped[date] = mapped_column(Date)
    rules: Mapped[dict] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(Text, default="")  # the order or law it follows
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    programme: Mapped[IncentiveProgramme] = relationship(back_populates="versions")


class ClaimStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    RETURNED = "returned"        # returned to the employer for more information
    APPROVED = "approved"
    REJECTED = "rejected"
    ACTIVE = "active"            # paying
    COMPLETED = "completed"
    TERMINATED = "terminated"    # the employment ended early


class Claim(db.Model):
    """An employer's claim under one programme for one confirmed employment."""

    __tablename__ = "claim"
    __table_args__ = (UniqueConstraint("employment_id", "programme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employment_id: Mapped[int] = mapped_column(ForeignKey("employment.id"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("incentive_programme.id"), index=True)
    rule_version_id: Mapped[int] = mapped_column(ForeignKey("programme_rule_version.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("employer_organisation.id"),
                                                 index=True)
    status: Mapped[ClaimStatus] = mapped_column(StrEnumType(ClaimStatus, "claim_status"),
                                                default=ClaimStatus.DRAFT, index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    programme: Mapped[IncentiveProgramme] = relationship()
    rule_version: Mapped[ProgrammeRuleVersion] = relationship()
    events: Mapped[list["ClaimEvent"]] = relationship(order_by="ClaimEvent.id",
                                                      cascade="all, delete-orphan")


class ClaimEvent(db.Model):
    """Every move of a claim: who, when, from where to where, and why."""

    __tablename__ = "claim_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
