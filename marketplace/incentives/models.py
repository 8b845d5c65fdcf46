"""Incentive programmes and their rule versions (effective-dated)."""

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
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
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db_types import Money, StrEnumType, UTCDateTime, utcnow
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
    # The job centre that reviews it and the budget it draws on: the employer's region.
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    rule_version_id: Mapped[int] = mapped_column(ForeignKey("programme_rule_version.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("employer_organisation.id"),
                                                 index=True)
    status: Mapped[ClaimStatus] = mapped_column(StrEnumType(ClaimStatus, "claim_status"),
                                                default=ClaimStatus.DRAFT, index=True)
    # Amounts computed by the rule version's formula when the claim is opened or resubmitted:
    # a monthly subsidy × months, or the one-off / certificate amount (months = 0).
    monthly_amount: Mapped[Decimal | None] = mapped_column(Money())
    months: Mapped[int] = mapped_column(SmallInteger, default=0)
    total_amount: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0.00"))
    # The employer's declaration at filing: True = no wage arrears; None = not declared.
    no_wage_arrears: Mapped[bool | None] = mapped_column(Boolean)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Approvals count within one round; returning the claim for information starts a new one.
    review_round: Mapped[int] = mapped_column(SmallInteger, default=1)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    # Printed on the decision letter / certificate and confirmed by a public page.
    document_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    programme: Mapped[IncentiveProgramme] = relationship()
    region: Mapped[Region] = relationship()
    employment = relationship("Employment")
    organisation = relationship("EmployerOrganisation")
    approvals: Mapped[list["ClaimApproval"]] = relationship(order_by="ClaimApproval.id",
                                                            cascade="all, delete-orphan")
    months_confirmed: Mapped[list["ClaimMonth"]] = relationship(
        order_by="ClaimMonth.month", cascade="all, delete-orphan", back_populates="claim")
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


class ClaimApproval(db.Model):
    """One staff member's approval in one review round (four eyes: two different people)."""

    __tablename__ = "claim_approval"
    __table_args__ = (UniqueConstraint("claim_id", "staff_id", "review_round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    review_round: Mapped[int] = mapped_column(SmallInteger)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    staff = relationship("User")


class MonthStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    QUERIED = "queried"      # staff asked the employer to correct or explain


class ClaimMonth(db.Model):
    """The employer's confirmation of one month of an active claim."""

    __tablename__ = "claim_month"
    __table_args__ = (
        UniqueConstraint("claim_id", "month"),
        CheckConstraint("hours_worked BETWEEN 1 AND 400", name="hours_range"),
        CheckConstraint("wage_paid > 0", name="wage_positive"),
        # The payment run and the staff queue look for one month's confirmations by status.
        Index("ix_claim_month_month_status", "month", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"), index=True)
    month: Mapped[date] = mapped_column(Date)   # the first day of the month
    hours_worked: Mapped[int] = mapped_column(SmallInteger)
    wage_paid: Mapped[Decimal] = mapped_column(Money())
    pension_file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id"))
    status: Mapped[MonthStatus] = mapped_column(StrEnumType(MonthStatus, "claim_month_status"),
                                                default=MonthStatus.SUBMITTED, index=True)
    amount: Mapped[Decimal | None] = mapped_column(Money())  # fixed when staff accept
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    query_reason: Mapped[str] = mapped_column(Text, default="")

    claim: Mapped[Claim] = relationship(back_populates="months_confirmed")
    pension_file = relationship("StoredFile")


class BudgetAccount(db.Model):
    """One programme's budget in one region. The row itself holds no money (balances are sums
    of the ledger); it exists to be locked, so that approvals and payments queue up."""

    __tablename__ = "budget_account"
    __table_args__ = (UniqueConstraint("programme_id", "region_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("incentive_programme.id"))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"))

    programme: Mapped[IncentiveProgramme] = relationship()
    region: Mapped[Region] = relationship()


class EntryKind(enum.StrEnum):
    ALLOCATION = "allocation"   # money given to the region for the programme
    RESERVE = "reserve"         # set aside for an approved claim
    RELEASE = "release"         # back from a claim that was rejected, ended or under-spent
    PAYMENT = "payment"         # paid for a month (out of the claim's reserve)
    CLAWBACK = "clawback"       # paid for a month not worked: owed back by the employer


class BudgetEntry(db.Model):
    """Append-only: a correction is a new entry, never an edit (enforced below)."""

    __tablename__ = "budget_entry"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("budget_account.id"), index=True)
    kind: Mapped[EntryKind] = mapped_column(StrEnumType(EntryKind, "budget_entry_kind"))
    amount: Mapped[Decimal] = mapped_column(Money())
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claim.id"), index=True)
    month: Mapped[date | None] = mapped_column(Date)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    account: Mapped[BudgetAccount] = relationship()


class LedgerIsAppendOnly(RuntimeError):
    pass


@event.listens_for(BudgetEntry, "before_update")
@event.listens_for(BudgetEntry, "before_delete")
def _refuse_change(mapper, connection, target):
    raise LedgerIsAppendOnly("budget entries are never changed or deleted")


class PaymentRun(db.Model):
    __tablename__ = "payment_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date, index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    paid_count: Mapped[int] = mapped_column(default=0)
    failed_count: Mapped[int] = mapped_column(default=0)
    total: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0.00"))
    order_file: Mapped[str] = mapped_column(String(200), default="")


class Payment(db.Model):
    """One claim-month paid. The unique key is what makes a rerun or a concurrent run safe."""

    __tablename__ = "payment"
    # (claim_id, month) is unique; payment orders and indicators read one month across claims.
    __table_args__ = (UniqueConstraint("claim_id", "month"),
                      CheckConstraint("amount > 0", name="amount_positive"),
                      Index("ix_payment_month", "month"))

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"), index=True)
    month: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Money())
    run_id: Mapped[int] = mapped_column(ForeignKey("payment_run.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    claim: Mapped[Claim] = relationship()
