"""The monthly payment run: `flask payments run --month YYYY-MM`.

Pays every accepted month of that calendar month once, and every one-off grant approved by the
end of that month that has not been paid yet. Each claim is its own transaction: the
claim row is locked, the payment looked for again under the lock, then the payment, its ledger
entry and the claim's new state are committed together. So a rerun, or a second run at the same
time, finds the month paid and skips it (and the unique key on claim + month would stop it even
if the lock did not); a failure on one claim rolls back that claim only and is reported.
"""

import csv
import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from marketplace.audit.services import record
from marketplace.db_types import utcnow
from marketplace.extensions import db
from marketplace.hiring.models import Employment
from marketplace.incentives import budget
from marketplace.incentives.claims import move_claim
from marketplace.incentives.models import (
    Claim,
    ClaimMonth,
    ClaimStatus,
    IncentiveProgramme,
    MonthStatus,
    Payment,
    PaymentRun,
    ProgrammeKind,
)
from marketplace.incentives.months import PAYABLE, add_months, claim_months, settle

log = logging.getLogger(__name__)
# Paid whole by the first run after approval, with no monthly confirmations.
ONE_OFF = (ProgrammeKind.HIRING_GRANT, ProgrammeKind.TRAINING_GRANT)


@dataclass
class RunSummary:
    run_id: int
    month: date
    paid: list[Payment] = field(default_factory=list)
    already_paid: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)
    order_file: Path | None = None

    @property
    def total(self) -> Decimal:
        return sum((p.amount for p in self.paid), Decimal("0.00"))


def parse_month(text: str) -> date:
    """'2026-10' → date(2026, 10, 1); ValueError with a readable message otherwise."""
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        return date(year, month, 1)
    except (ValueError, AttributeError):
        raise ValueError(f"expected a month as YYYY-MM, got {text!r}") from None


def due_claim_ids(month: date) -> list[int]:
    """Claims with an accepted, non-zero confirmation for `month` and no payment for it yet,
    where `month` is not after the month the employment ended (a terminated claim pays only
    the months worked, even if a later month had been accepted before the end was recorded)."""
    paid = select(Payment.claim_id).where(Payment.month == month)
    return list(db.session.scalars(
        select(ClaimMonth.claim_id).join(Claim)
        .join(Employment, Employment.id == Claim.employment_id)
        .where(ClaimMonth.month == month, ClaimMonth.status == MonthStatus.ACCEPTED,
               ClaimMonth.amount > 0, Claim.status.in_(PAYABLE),
               or_(Employment.end_date.is_(None), ClaimMonth.month <= Employment.end_date),
               ClaimMonth.claim_id.not_in(paid))
        .order_by(ClaimMonth.claim_id)))


def due_grant_ids(month: date) -> list[int]:
    """One-off grants approved by the end of `month` and never paid: paid whole, once."""
    return list(db.session.scalars(
        select(Claim.id).join(IncentiveProgramme)
        .where(IncentiveProgramme.kind.in_(ONE_OFF), Claim.status == ClaimStatus.APPROVED,
               Claim.decided_at < datetime.combine(add_months(month, 1), time(), UTC),
               Claim.id.not_in(select(Payment.claim_id)))
        .order_by(Claim.id)))


def _amount_due(claim: Claim, month: date):
    """The amount to pay for `month`, or None if nothing is due (paid already, or the month
    is outside the employment)."""
    if claim.programme.kind in ONE_OFF:
        paid = db.session.scalar(select(Payment.id).where(Payment.claim_id == claim.id))
        return None if paid or claim.status is not ClaimStatus.APPROVED else claim.total_amount
    if claim.status not in PAYABLE or month not in claim_months(claim):
        return None  # the employment ended before this month meanwhile
    if db.session.scalar(select(Payment.id).where(Payment.claim_id == claim.id,
                                                  Payment.month == month)):
        return None
    return db.session.scalar(select(ClaimMonth.amount).where(ClaimMonth.claim_id == claim.id,
                                                             ClaimMonth.month == month))


def pay_claim_month(claim_id: int, month: date, run: PaymentRun) -> Payment | None:
    """Pay one claim-month (or a one-off grant) inside the current transaction; None if
    nothing is due any more."""
    claim = db.session.scalar(select(Claim).where(Claim.id == claim_id).with_for_update())
    amount = _amount_due(claim, month)
    if amount is None:
        return None
    payment = Payment(claim_id=claim_id, month=month, amount=amount, run_id=run.id)
    db.session.add(payment)
    db.session.flush()
    budget.pay(claim, month, amount, note=f"payment run {run.id}")
    if claim.status is ClaimStatus.APPROVED:
        move_claim(claim, "activate", actor=None)
    settle(claim)
    record("payment:made", payment, claim=claim_id, month=month.isoformat(),
           amount=str(amount), run=run.id)
    return payment


def run_payments(month: date, *, order_dir: Path | None = None) -> RunSummary:
    run = PaymentRun(month=month)
    db.session.add(run)
    db.session.commit()
    summary = RunSummary(run_id=run.id, month=month)
    for claim_id in sorted({*due_claim_ids(month), *due_grant_ids(month)}):
        try:
            payment = pay_claim_month(claim_id, month, run)
            db.session.commit()
        except IntegrityError:
            # A concurrent run paid it between our check and our insert.
            db.session.rollback()
            payment = None
        except Exception as error:  # one claim must never stop the run: report it, go on
            db.session.rollback()
            message = str(getattr(error, "message", error))
            log.warning("payment run %s: claim %s failed: %s", run.id, claim_id, message)
            summary.failed.append((claim_id, message))
            continue
        if payment is None:
            summary.already_paid += 1
        else:
            summary.paid.append(payment)
    summary.order_file = write_payment_order(summary, order_dir)
    run = db.session.get(PaymentRun, summary.run_id)
    run.finished_at = utcnow()
    run.paid_count, run.failed_count = len(summary.paid), len(summary.failed)
    run.total = summary.total
    run.order_file = summary.order_file.name
    db.session.commit()
    return summary


ORDER_COLUMNS = ("order_no", "run", "month", "claim", "bin", "organisation", "programme",
                 "amount_kzt")


def _cell(value: str) -> str:
    """A text cell a spreadsheet will not run as a formula (names are typed by users)."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def write_payment_order(summary: RunSummary, order_dir: Path | None = None) -> Path:
    """The treasury's payment order: one row per payment made by this run."""
    folder = Path(order_dir or current_app.config["PAYMENT_ORDER_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"payment-order-{summary.month:%Y-%m}-run-{summary.run_id}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(ORDER_COLUMNS)
        for payment in summary.paid:
            claim = db.session.get(Claim, payment.claim_id)
            writer.writerow((payment.id, summary.run_id, f"{payment.month:%Y-%m}", claim.id,
                             claim.organisation.bin, _cell(claim.organisation.name),
                             claim.programme.code, f"{payment.amount:.2f}"))
    return path
