"""The budget ledger: balances are sums of append-only entries, amounts are checked, and
concurrent approvals queue on the account row so a region never commits more than it has."""

import os
import threading
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from marketplace.auth.models import User
from marketplace.employers.models import (
    EmployerOrganisation,
    OrganisationMember,
    Schedule,
    Vacancy,
    VacancyStatus,
    VerificationStatus,
)
from marketplace.extensions import db
from marketplace.hiring.models import (
    Application,
    ApplicationStatus,
    ContractType,
    Employment,
    EmploymentStatus,
)
from marketplace.incentives import budget, claims, review, services
from marketplace.incentives.budget import BudgetExceeded, InvalidAmount
from marketplace.incentives.models import (
    BudgetAccount,
    BudgetEntry,
    Claim,
    ClaimApproval,
    ClaimStatus,
    EntryKind,
    IncentiveProgramme,
    LedgerIsAppendOnly,
)
from marketplace.reference.models import Region
from tests.factories import make_candidate

PROGRAMME = "kz-social-workplace"
WAGE = Decimal("100000.00")         # 35 000 a month × 12 = 420 000: one approval
CLAIM_TOTAL = Decimal("420000.00")
AUG = date(2026, 8, 1)

ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")
needs_postgres = pytest.mark.skipif(not ON_POSTGRES, reason=(
    "concurrency needs PostgreSQL: SQLite has a single writer and ignores "
    "SELECT ... FOR UPDATE, so the row lock under test does not exist there "
    "(set TEST_DATABASE_URL=postgresql+psycopg://...)"))


def _programme() -> IncentiveProgramme:
    return db.session.scalar(select(IncentiveProgramme).where(
        IncentiveProgramme.code == PROGRAMME))


def _region(code) -> Region:
    return db.session.scalar(select(Region).where(Region.code == code))


@pytest.fixture
def env(app, make_user, skill_codes):
    """A verified employer in KZ-AST, three staff members there, and `new_claim(status)`
    opening a claim for a new confirmed employment (draft or in review)."""
    employer = make_user("employer")
    staff = [make_user("staff") for _ in range(3)]
    _, profile_id = make_candidate(app, make_user, skill_codes)
    with app.app_context():
        services.seed_programmes()
        organisation = db.session.scalar(
            select(EmployerOrganisation).join(OrganisationMember)
            .where(OrganisationMember.user_id == employer.id))
        organisation.status = VerificationStatus.VERIFIED
        db.session.commit()
        organisation_id, region_id = organisation.id, organisation.region_id
        programme_id = _programme().id

    def new_claim(status=ClaimStatus.DRAFT):
        with app.app_context():
            vacancy = Vacancy(organisation_id=organisation_id, title="Аспаз",
                              status=VacancyStatus.OPEN, schedule=Schedule.DAY,
                              region_id=region_id)
            employment = Employment(
                application=Application(vacancy=vacancy, profile_id=profile_id,
                                        status=ApplicationStatus.HIRED),
                start_date=date.today(), monthly_wage=WAGE, hours_per_week=40,
                contract_type=ContractType.PERMANENT, status=EmploymentStatus.CONFIRMED,
                recorded_by_id=employer.id)
            db.session.add(employment)
            db.session.flush()
            owner = db.session.get(User, employer.id)
            claim = claims.open_claim(employment, _programme(), actor=owner)
            if status is ClaimStatus.IN_REVIEW:
                review.submit_claim(claim, actor=owner, no_wage_arrears=True)
                review.start_review(claim, staff=db.session.get(User, staff[0].id))
            db.session.commit()
            return claim.id

    return SimpleNamespace(employer=employer, staff=staff, new_claim=new_claim,
                           region_id=region_id, programme_id=programme_id)


def _balance(env) -> budget.Balance:
    return budget.balance_for(env.programme_id, env.region_id)


def _entry_count() -> int:
    return db.session.scalar(select(func.count(BudgetEntry.id)))


def test_balances_are_sums_of_the_ledger(env, db):
    first, second = (db.session.get(Claim, env.new_claim()) for _ in range(2))
    budget.allocate(env.programme_id, env.region_id, Decimal("1000000.00"), actor=None)
    budget.allocate(env.programme_id, env.region_id, Decimal("500000.00"), actor=None,
                    note="second tranche")
    budget.reserve(first, CLAIM_TOTAL, actor=None)
    budget.reserve(second, CLAIM_TOTAL, actor=None)
    budget.pay(first, AUG, Decimal("35000.00"))
    budget.pay(first, date(2026, 9, 1), Decimal("35000.00"))
    budget.claw_back(first, date(2026, 9, 1), Decimal("35000.00"), actor=None)
    budget.release(second, Decimal("100000.50"), actor=None)
    # Another region's budget for the same programme is a separate account.
    budget.allocate(env.programme_id, _region("KZ-ALM").id, Decimal("777.00"), actor=None)
    db.session.commit()

    balance = _balance(env)
    assert balance.allocated == Decimal("1500000.00")
    assert balance.reserved == Decimal("840000.00")
    assert balance.released == Decimal("100000.50")
    assert balance.paid == Decimal("70000.00")
    assert balance.clawed_back == Decimal("35000.00")
    assert balance.available == Decimal("760000.50")      # 1 500 000 − 840 000 + 100 000.50
    assert balance.committed == Decimal("669999.50")      # 840 000 − 100 000.50 − 70 000
    assert balance.balanced
    assert balance.available >= 0 and balance.committed >= 0

    # The claims' own shares add up to the account's commitments.
    shares = [budget.claim_balance(c.id) for c in (first, second)]
    assert [s.committed for s in shares] == [Decimal("350000.00"), Decimal("319999.50")]
    assert sum(s.committed for s in shares) == balance.committed
    assert shares[0].clawed_back == Decimal("35000.00") and shares[1].paid == 0

    account = db.session.scalar(select(BudgetAccount).where(
        BudgetAccount.programme_id == env.programme_id,
        BudgetAccount.region_id == env.region_id))
    assert budget.account_balance(account) == balance
    assert budget.balance_for(env.programme_id, _region("KZ-ALM").id).available == Decimal(
        "777.00")


def test_an_empty_ledger_has_zero_balances(env, db):
    balance = _balance(env)
    assert (balance.available, balance.committed, balance.paid) == (0, 0, 0)
    assert balance.balanced


def test_one_account_per_programme_and_region(env, db):
    for _ in range(3):
        budget.allocate(env.programme_id, env.region_id, Decimal("1.00"), actor=None)
    db.session.commit()
    assert db.session.scalar(select(func.count(BudgetAccount.id))) == 1
    assert _balance(env).allocated == Decimal("3.00")


def test_entries_are_never_updated(env, db):
    entry = budget.allocate(env.programme_id, env.region_id, Decimal("1000.00"), actor=None)
    db.session.commit()
    entry.amount = Decimal("1000000.00")
    with pytest.raises(LedgerIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    entry.note = "corrected"
    with pytest.raises(LedgerIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    stored = db.session.get(BudgetEntry, entry.id)
    assert stored.amount == Decimal("1000.00") and stored.note == ""


def test_entries_are_never_deleted(env, db):
    entry = budget.allocate(env.programme_id, env.region_id, Decimal("1000.00"), actor=None)
    db.session.commit()
    db.session.delete(entry)
    with pytest.raises(LedgerIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    assert _entry_count() == 1 and _balance(env).available == Decimal("1000.00")


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("0.00"), Decimal("-0.01"),
                                    Decimal("-1000")])
@pytest.mark.parametrize("operation", ["allocate", "reserve", "release", "pay", "claw_back"])
def test_non_positive_amounts_are_refused(env, db, operation, amount):
    claim = db.session.get(Claim, env.new_claim())
    budget.allocate(env.programme_id, env.region_id, Decimal("1000000.00"), actor=None)
    budget.reserve(claim, CLAIM_TOTAL, actor=None)
    db.session.commit()
    before = _entry_count()
    calls = {
        "allocate": lambda: budget.allocate(env.programme_id, env.region_id, amount,
                                            actor=None),
        "reserve": lambda: budget.reserve(claim, amount, actor=None),
        "release": lambda: budget.release(claim, amount, actor=None),
        "pay": lambda: budget.pay(claim, AUG, amount),
        "claw_back": lambda: budget.claw_back(claim, AUG, amount, actor=None),
    }
    with pytest.raises(InvalidAmount):
        calls[operation]()
    db.session.rollback()
    assert _entry_count() == before


def test_a_missing_amount_is_refused(env, db):
    with pytest.raises(InvalidAmount):
        budget.allocate(env.programme_id, env.region_id, None, actor=None)


def test_no_more_than_the_claims_reserve_is_released(env, db):
    claim = db.session.get(Claim, env.new_claim())
    other = db.session.get(Claim, env.new_claim())
    budget.allocate(env.programme_id, env.region_id, Decimal("1000000.00"), actor=None)
    budget.reserve(claim, CLAIM_TOTAL, actor=None)
    budget.reserve(other, CLAIM_TOTAL, actor=None)
    budget.pay(claim, AUG, Decimal("35000.00"))
    db.session.commit()
    # 385 000 is still set aside for the claim: the other claim's reserve does not count.
    with pytest.raises(InvalidAmount):
        budget.release(claim, Decimal("385000.01"), actor=None)
    db.session.rollback()
    budget.release(claim, Decimal("385000.00"), actor=None)
    db.session.commit()
    with pytest.raises(InvalidAmount):
        budget.release(claim, Decimal("0.01"), actor=None)
    db.session.rollback()
    assert budget.claim_balance(claim.id).committed == 0
    assert budget.release_remaining(claim, actor=None) == 0, "nothing left, nothing written"
    assert budget.release_remaining(other, actor=None) == CLAIM_TOTAL
    db.session.commit()
    assert _balance(env).committed == 0
    assert _balance(env).available == Decimal("965000.00")


def test_no_reserve_beyond_what_is_available(env, db):
    claim = db.session.get(Claim, env.new_claim())
    budget.allocate(env.programme_id, env.region_id, CLAIM_TOTAL - Decimal("0.01"),
                    actor=None)
    db.session.commit()
    with pytest.raises(BudgetExceeded):
        budget.reserve(claim, CLAIM_TOTAL, actor=None)
    db.session.rollback()
    budget.reserve(claim, CLAIM_TOTAL - Decimal("0.01"), actor=None)
    db.session.commit()
    assert _balance(env).available == 0


def test_no_payment_beyond_the_claims_reserve(env, db):
    claim = db.session.get(Claim, env.new_claim())
    budget.allocate(env.programme_id, env.region_id, Decimal("1000000.00"), actor=None)
    budget.reserve(claim, Decimal("35000.00"), actor=None)
    db.session.commit()
    with pytest.raises(BudgetExceeded):
        budget.pay(claim, AUG, Decimal("35000.01"))
    db.session.rollback()
    budget.pay(claim, AUG, Decimal("35000.00"))
    db.session.commit()
    with pytest.raises(BudgetExceeded):
        budget.pay(claim, date(2026, 9, 1), Decimal("0.01"))
    db.session.rollback()
    assert _balance(env).paid == Decimal("35000.00")


@pytest.mark.parametrize("amount", ["0", "-5", "abc", "1.001", "NaN", "Infinity"])
def test_cli_refuses_bad_allocations(app, env, amount):
    result = app.test_cli_runner().invoke(args=[
        "budget-allocate", "--programme", PROGRAMME, "--region", "KZ-AST", "--amount", amount])
    assert result.exit_code == 2
    assert "--amount" in result.output
    with app.app_context():
        assert _entry_count() == 0


def test_cli_refuses_unknown_codes(app, env):
    result = app.test_cli_runner().invoke(args=[
        "budget-allocate", "--programme", "no-such", "--region", "KZ-AST", "--amount", "5"])
    assert result.exit_code == 2 and "unknown programme or region code" in result.output


def test_cli_allocates(app, env):
    runner = app.test_cli_runner()
    for amount in ("1000000", "500.50"):
        result = runner.invoke(args=["budget-allocate", "--programme", PROGRAMME,
                                     "--region", "KZ-AST", "--amount", amount,
                                     "--note", "2026 budget law"])
        assert result.exit_code == 0, result.output
    assert result.output.strip() == "Available now: 1000500.50 KZT"
    with app.app_context():
        notes = db.session.scalars(select(BudgetEntry.note)).all()
        assert notes == ["2026 budget law"] * 2


# Concurrency ---------------------------------------------------------------------------------

CLAIMS, FUNDED = 50, 10


def _approve_in_own_context(app, claim_id, staff_id, barrier, outcomes):
    try:
        barrier.wait()
    except threading.BrokenBarrierError:
        outcomes[claim_id] = "barrier broken"
        return
    with app.app_context():
        try:
            claim = db.session.get(Claim, claim_id)
            done = review.approve(claim, staff=db.session.get(User, staff_id),
                                  reason="Checked")
            db.session.commit()
            outcomes[claim_id] = "approved" if done else "first approval"
        except BudgetExceeded:
            db.session.rollback()
            outcomes[claim_id] = "budget exceeded"
        except Exception as error:  # reported by the assertion below, never swallowed
            db.session.rollback()
            outcomes[claim_id] = repr(error)


@pytest.mark.postgres_only
@needs_postgres
def test_concurrent_approvals_never_overspend(app, env, database_url):
    assert database_url.startswith("postgresql")
    claim_ids = [env.new_claim(ClaimStatus.IN_REVIEW) for _ in range(CLAIMS)]
    with app.app_context():
        budget.allocate(env.programme_id, env.region_id, CLAIM_TOTAL * FUNDED, actor=None)
        db.session.commit()

    barrier = threading.Barrier(CLAIMS, timeout=60)
    outcomes: dict[int, str] = {}
    threads = [threading.Thread(target=_approve_in_own_context, args=(
        app, claim_id, env.staff[i % len(env.staff)].id, barrier, outcomes))
        for i, claim_id in enumerate(claim_ids)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)

    assert sorted(set(outcomes.values())) == ["approved", "budget exceeded"], outcomes
    approved = sorted(c for c, outcome in outcomes.items() if outcome == "approved")
    assert len(approved) == FUNDED
    with app.app_context():
        assert sorted(db.session.scalars(select(Claim.id).where(
            Claim.status == ClaimStatus.APPROVED))) == approved
        assert db.session.scalar(select(func.count(Claim.id)).where(
            Claim.status == ClaimStatus.IN_REVIEW)) == CLAIMS - FUNDED
        reserves = db.session.scalars(select(BudgetEntry).where(
            BudgetEntry.kind == EntryKind.RESERVE)).all()
        assert sorted(e.claim_id for e in reserves) == approved
        assert all(e.amount == CLAIM_TOTAL for e in reserves)
        # Refused approvals left nothing behind.
        assert sorted(db.session.scalars(select(ClaimApproval.claim_id))) == approved
        balance = _balance(env)
        assert balance.available == 0
        assert balance.committed == CLAIM_TOTAL * FUNDED
        assert balance.balanced
