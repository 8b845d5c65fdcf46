"""The budget ledger: one append-only list of entries per programme and region.

Balances are sums, never stored numbers:
    available = allocations − reserves + releases
    committed = reserves − releases − payments       (set aside for approved claims)
    paid      = payments                             (clawbacks are owed back, not yet received)
so allocations = available + committed + paid always holds ("the ledger balances").

Every write first locks the account row (SELECT … FOR UPDATE on PostgreSQL), so concurrent
approvals queue up and each sees the entries of the one before: none can overspend.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError

from marketplace.audit.services import record
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.incentives.models import BudgetAccount, BudgetEntry, EntryKind

ZERO = Decimal("0.00")
K = EntryKind


class BudgetExceeded(DomainError):
    pass


class InvalidAmount(DomainError):
    pass


@dataclass(frozen=True)
class Balance:
    allocated: Decimal
    reserved: Decimal
    released: Decimal
    paid: Decimal
    clawed_back: Decimal

    @property
    def available(self) -> Decimal:
        return self.allocated - self.reserved + self.released

    @property
    def committed(self) -> Decimal:
        return self.reserved - self.released - self.paid

    @property
    def balanced(self) -> bool:
        """Nothing overspent: no part of the money is below zero. (allocated = available +
        committed + paid holds by the definitions above, so it is not what can go wrong.)"""
        return min(self.available, self.committed, self.paid) >= 0


def locked_account(programme_id: int, region_id: int) -> BudgetAccount:
    """The account row, locked until the transaction ends; created on first use."""
    query = select(BudgetAccount).where(BudgetAccount.programme_id == programme_id,
                                        BudgetAccount.region_id == region_id)
    account = db.session.scalar(query.with_for_update())
    if account is None:
        # Two first uses at once would both insert: the unique key stops one, which retries.
        try:
            with db.session.begin_nested():
                db.session.add(BudgetAccount(programme_id=programme_id, region_id=region_id))
        except IntegrityError:
            pass
        account = db.session.scalar(query.with_for_update())
    return account


def _sums(*conditions) -> Balance:
    def total(kind):
        return func.coalesce(func.sum(case((BudgetEntry.kind == kind, BudgetEntry.amount),
                                           else_=0)), 0)

    row = db.session.execute(
        select(*(total(kind) for kind in K)).where(*conditions)).one()
    values = dict(zip(K, (Decimal(str(v)).quantize(Decimal("0.01")) for v in row), strict=True))
    return Balance(allocated=values[K.ALLOCATION], reserved=values[K.RESERVE],
                   released=values[K.RELEASE], paid=values[K.PAYMENT],
                   clawed_back=values[K.CLAWBACK])


def account_balance(account: BudgetAccount) -> Balance:
    return _sums(BudgetEntry.account_id == account.id)


def balance_for(programme_id: int, region_id: int) -> Balance:
    return _sums(BudgetEntry.account_id == BudgetAccount.id,
                 BudgetAccount.programme_id == programme_id,
                 BudgetAccount.region_id == region_id)


def claim_balance(claim_id: int) -> Balance:
    """The claim's own share: what is still set aside for it, paid and owed back."""
    return _sums(BudgetEntry.claim_id == claim_id)


def _entry(account, kind, amount, *, claim=None, month: date | None = None, actor=None,
           note: str = "") -> BudgetEntry:
    if amount is None or amount <= 0:
        raise InvalidAmount(_l("The amount must be more than zero."))
    entry = BudgetEntry(account_id=account.id, kind=kind, amount=amount,
                        claim_id=getattr(claim, "id", None), month=month,
                        actor_id=getattr(actor, "id", None), note=note)
    db.session.add(entry)
    db.session.flush()
    record(f"budget:{kind.value}", entry, actor=actor, amount=str(amount),
           account=account.id, claim=getattr(claim, "id", None))
    return entry


def allocate(programme_id: int, region_id: int, amount: Decimal, *, actor,
             note: str = "") -> BudgetEntry:
    account = locked_account(programme_id, region_id)
    return _entry(account, K.ALLOCATION, amount, actor=actor, note=note)


def reserve(claim, amount: Decimal, *, actor) -> BudgetEntry:
    """Set money aside for an approved claim, or refuse with how much is left."""
    account = locked_account(claim.programme_id, claim.region_id)
    available = account_balance(account).available
    if amount > available:
        raise BudgetExceeded(
            _l("The remaining budget (%(available)s ₸) cannot cover this claim (%(amount)s ₸).",
               available=f"{available:,.2f}".replace(",", " "),
               amount=f"{amount:,.2f}".replace(",", " ")))
    return _entry(account, K.RESERVE, amount, claim=claim, actor=actor)


def release(claim, amount: Decimal, *, actor, note: str = "") -> BudgetEntry:
    """Give back part of a claim's reserve (never more than is still set aside)."""
    account = locked_account(claim.programme_id, claim.region_id)
    if amount > claim_balance(claim.id).committed:
        raise InvalidAmount(_l("More than the claim's reserve cannot be released."))
    return _entry(account, K.RELEASE, amount, claim=claim, actor=actor, note=note)


def release_remaining(claim, *, actor, note: str = "") -> Decimal:
    """Give back whatever is still set aside for the claim (end, completion)."""
    left = claim_balance(claim.id).committed
    if left > 0:
        release(claim, left, actor=actor, note=note)
    return left


def pay(claim, month: date, amount: Decimal, *, note: str = "") -> BudgetEntry:
    """A payment comes out of the claim's reserve and never beyond it."""
    account = locked_account(claim.programme_id, claim.region_id)
    if amount > claim_balance(claim.id).committed:
        raise BudgetExceeded(_l("The claim's reserved money does not cover this payment."))
    return _entry(account, K.PAYMENT, amount, claim=claim, month=month, note=note)


def claw_back(claim, month: date, amount: Decimal, *, actor, note: str = "") -> BudgetEntry:
    account = locked_account(claim.programme_id, claim.region_id)
    return _entry(account, K.CLAWBACK, amount, claim=claim, month=month, actor=actor, note=note)
