"""Monthly confirmations of a wage-subsidy claim, the payment run and settling the money when
the claim completes or the employment ends early."""

import csv
import os
import threading
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO
from types import SimpleNamespace

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

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
from marketplace.hiring.employments import end_employment
from marketplace.hiring.models import (
    Application,
    ApplicationStatus,
    ContractType,
    Employment,
    EmploymentStatus,
)
from marketplace.incentives import budget, claims, months, payments, review, services
from marketplace.incentives.models import (
    BudgetEntry,
    Claim,
    ClaimMonth,
    ClaimStatus,
    EntryKind,
    IncentiveProgramme,
    MonthStatus,
    Payment,
    PaymentRun,
)
from marketplace.incentives.months import (
    MONTH_ACTIONS,
    MONTH_TRANSITIONS,
    IllegalMonthTransition,
    MonthRefused,
    add_months,
)
from marketplace.notifications.models import Notification
from marketplace.uploads.services import UploadRejected
from tests.factories import make_candidate

S, M = ClaimStatus, MonthStatus
PROGRAMME = "kz-social-workplace"
WAGE = Decimal("100000.00")            # 35 % = 35 000 a month, 12 months = 420 000
MONTHLY = Decimal("35000.00")
THIS_MONTH = date.today().replace(day=1)
START = add_months(THIS_MONTH, -3)     # three whole months have ended since the start
M1, M2, M3 = START, add_months(START, 1), add_months(START, 2)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")
needs_postgres = pytest.mark.skipif(not ON_POSTGRES, reason=(
    "concurrent payment runs need PostgreSQL: SQLite has a single writer and ignores "
    "SELECT ... FOR UPDATE, so the claim lock under test does not exist there "
    "(set TEST_DATABASE_URL=postgresql+psycopg://...)"))


def proof(data=PDF, filename="pension-contributions.pdf") -> FileStorage:
    return FileStorage(stream=BytesIO(data), filename=filename, content_type="application/pdf")


def _programme() -> IncentiveProgramme:
    return db.session.scalar(select(IncentiveProgramme).where(
        IncentiveProgramme.code == PROGRAMME))


def _claim(claim_id) -> Claim:
    return db.session.get(Claim, claim_id)


def _user(user_id) -> User:
    return db.session.get(User, user_id)


@pytest.fixture
def env(app, make_user, skill_codes):
    """A verified employer in KZ-AST with a funded budget, two staff members there, and
    `new_claim()` giving an approved 12-month claim for a hire that started on START."""
    employer = make_user("employer")
    staff = [make_user("staff") for _ in range(2)]
    _, profile_id = make_candidate(app, make_user, skill_codes)
    with app.app_context():
        services.seed_programmes()
        organisation = db.session.scalar(
            select(EmployerOrganisation).join(OrganisationMember)
            .where(OrganisationMember.user_id == employer.id))
        organisation.status = VerificationStatus.VERIFIED
        budget.allocate(_programme().id, organisation.region_id, Decimal("100000000.00"),
                        actor=None)
        db.session.commit()
        organisation_id, region_id = organisation.id, organisation.region_id

    def new_claim(*, status=S.APPROVED, wage=WAGE):
        with app.app_context():
            vacancy = Vacancy(organisation_id=organisation_id, title="Аспаз",
                              status=VacancyStatus.OPEN, schedule=Schedule.DAY,
                              region_id=region_id)
            employment = Employment(
                application=Application(vacancy=vacancy, profile_id=profile_id,
                                        status=ApplicationStatus.HIRED),
                start_date=START, monthly_wage=wage, hours_per_week=40,
                contract_type=ContractType.PERMANENT, status=EmploymentStatus.CONFIRMED,
                recorded_by_id=employer.id)
            db.session.add(employment)
            db.session.flush()
            owner = _user(employer.id)
            claim = claims.open_claim(employment, _programme(), actor=owner)
            review.submit_claim(claim, actor=owner, no_wage_arrears=True)
            review.start_review(claim, staff=_user(staff[0].id))
            if status is S.APPROVED:
                assert review.approve(claim, staff=_user(staff[1].id), reason="ok")
            db.session.commit()
            return claim.id

    return SimpleNamespace(employer=employer, staff=staff, new_claim=new_claim,
                           region_id=region_id, organisation_id=organisation_id)


def _confirm(env, claim_id, month, *, wage=WAGE, hours=160) -> ClaimMonth:
    entry = months.confirm_month(_claim(claim_id), month, hours_worked=hours,
                                 wage_paid=Decimal(wage), pension_proof=proof(),
                                 actor=_user(env.employer.id))
    db.session.commit()
    return entry


def _accepted(env, claim_id, month, *, wage=WAGE) -> ClaimMonth:
    entry = _confirm(env, claim_id, month, wage=wage)
    months.accept_month(entry, staff=_user(env.staff[0].id))
    db.session.commit()
    return entry


def _entries(claim_id, kind) -> list[BudgetEntry]:
    return list(db.session.scalars(select(BudgetEntry).where(
        BudgetEntry.claim_id == claim_id, BudgetEntry.kind == kind).order_by(BudgetEntry.id)))


def _payments(claim_id=None) -> list[Payment]:
    query = select(Payment).order_by(Payment.claim_id, Payment.month)
    if claim_id is not None:
        query = query.where(Payment.claim_id == claim_id)
    return list(db.session.scalars(query))


# The month table ------------------------------------------------------------------------------

EXPECTED = {(M.SUBMITTED, "accept"): M.ACCEPTED, (M.SUBMITTED, "query"): M.QUERIED,
            (M.QUERIED, "resubmit"): M.SUBMITTED}


def test_the_month_table_is_the_documented_one():
    assert MONTH_TRANSITIONS == EXPECTED


@pytest.mark.parametrize("state", list(M))
@pytest.mark.parametrize("action", MONTH_ACTIONS)
def test_every_month_state_and_action(state, action):
    if (state, action) in EXPECTED:
        assert months.next_month_status(state, action) is EXPECTED[(state, action)]
    else:
        with pytest.raises(IllegalMonthTransition):
            months.next_month_status(state, action)


# Confirming a month ---------------------------------------------------------------------------

def test_the_employer_confirms_an_ended_month(env, db):
    claim_id = env.new_claim()
    claim = _claim(claim_id)
    assert months.claim_months(claim) == [add_months(START, i) for i in range(12)]
    assert months.confirmable_months(claim) == [M1, M2, M3]
    entry = _confirm(env, claim_id, M2, hours=1)
    entry = db.session.get(ClaimMonth, entry.id)
    assert (entry.month, entry.hours_worked, entry.wage_paid) == (M2, 1, WAGE)
    assert entry.status is M.SUBMITTED and entry.amount is None
    assert entry.submitted_by_id == env.employer.id
    assert entry.pension_file.content_type == "application/pdf"
    assert months.confirmable_months(_claim(claim_id)) == [M1, M3]
    assert [m.id for m in months.months_to_check(env.region_id)] == [entry.id]


@pytest.mark.parametrize("hours, wage, field", [
    (0, WAGE, "hours_worked"), (401, WAGE, "hours_worked"), (-5, WAGE, "hours_worked"),
    (None, WAGE, "hours_worked"), (160, Decimal("0"), "wage_paid"),
    (160, Decimal("-1.00"), "wage_paid"), (160, None, "wage_paid"),
])
def test_hours_and_wage_are_checked(env, db, hours, wage, field):
    claim_id = env.new_claim()
    with force_locale("en"), pytest.raises(MonthRefused) as refused:
        months.confirm_month(_claim(claim_id), M1, hours_worked=hours, wage_paid=wage,
                             pension_proof=proof(), actor=_user(env.employer.id))
    assert refused.value.context["field"] == field
    db.session.rollback()
    assert _claim(claim_id).months_confirmed == []


def test_400_hours_is_the_most_accepted(env, db):
    claim_id = env.new_claim()
    assert _confirm(env, claim_id, M1, hours=400).hours_worked == 400


@pytest.mark.parametrize("attachment", [None, FileStorage(stream=BytesIO(b""), filename="")])
def test_the_pension_proof_is_required(env, db, attachment):
    claim_id = env.new_claim()
    with force_locale("en"), pytest.raises(MonthRefused, match="pension") as refused:
        months.confirm_month(_claim(claim_id), M1, hours_worked=160, wage_paid=WAGE,
                             pension_proof=attachment, actor=_user(env.employer.id))
    assert refused.value.context["field"] == "pension_proof"


def test_the_proof_must_be_a_real_document(env, db):
    claim_id = env.new_claim()
    with pytest.raises(UploadRejected):
        months.confirm_month(_claim(claim_id), M1, hours_worked=160, wage_paid=WAGE,
                             pension_proof=proof(b"MZ\x90\x00 not a pdf", "proof.pdf"),
                             actor=_user(env.employer.id))
    db.session.rollback()
    assert _claim(claim_id).months_confirmed == []


LAST = add_months(START, 11)          # the twelfth and last month of the claim


@pytest.mark.parametrize("month, today", [
    (THIS_MONTH, None),                           # not ended yet
    (add_months(START, -1), None),                # before the start
    (M1.replace(day=15), None),                   # not the first day of a month
    (LAST, add_months(LAST, 1) - timedelta(days=1)),   # the last day of that month
    (add_months(START, 12), add_months(START, 14)),    # ended, but after the 12 months
])
def test_only_ended_months_of_the_claim_can_be_confirmed(env, db, month, today):
    claim_id = env.new_claim()
    with force_locale("en"), pytest.raises(MonthRefused, match="cannot be confirmed") as error:
        months.confirm_month(_claim(claim_id), month, hours_worked=160, wage_paid=WAGE,
                             pension_proof=proof(), actor=_user(env.employer.id), today=today)
    assert error.value.context["field"] == "month"


def test_the_last_month_can_be_confirmed_once_it_has_ended(env, db):
    claim_id = env.new_claim()
    entry = months.confirm_month(_claim(claim_id), LAST, hours_worked=160, wage_paid=WAGE,
                                 pension_proof=proof(), actor=_user(env.employer.id),
                                 today=add_months(LAST, 1))
    assert entry.month == LAST and entry.status is M.SUBMITTED


def test_a_claim_not_yet_approved_has_no_months(env, db):
    claim_id = env.new_claim(status=S.IN_REVIEW)
    assert months.confirmable_months(_claim(claim_id)) == []
    with pytest.raises(MonthRefused):
        months.confirm_month(_claim(claim_id), M1, hours_worked=160, wage_paid=WAGE,
                             pension_proof=proof(), actor=_user(env.employer.id))


def test_a_month_is_confirmed_once_unless_queried(env, db):
    claim_id = env.new_claim()
    _confirm(env, claim_id, M1)
    with pytest.raises(IllegalMonthTransition):
        months.confirm_month(_claim(claim_id), M1, hours_worked=100, wage_paid=WAGE,
                             pension_proof=proof(), actor=_user(env.employer.id))
    db.session.rollback()
    [entry] = _claim(claim_id).months_confirmed
    assert entry.hours_worked == 160 and entry.status is M.SUBMITTED


# Accepting and querying -----------------------------------------------------------------------

@pytest.mark.parametrize("wage_paid, amount", [
    ("100000.00", "35000.00"),     # the wage agreed: the approved monthly amount
    ("80000.00", "28000.00"),      # less paid: 35 % of what was paid
    ("150000.00", "35000.00"),     # more paid: never above what the budget reserved
    ("10000.03", "3500.01"),       # 3 500.0105 rounds to the tiyn
])
def test_accepting_fixes_the_months_amount(env, db, wage_paid, amount):
    claim_id = env.new_claim()
    entry = _accepted(env, claim_id, M1, wage=wage_paid)
    entry = db.session.get(ClaimMonth, entry.id)
    assert entry.status is M.ACCEPTED and entry.amount == Decimal(amount)
    assert entry.decided_by_id == env.staff[0].id and entry.decided_at is not None


def test_the_employer_cannot_check_its_own_months(env, db):
    claim_id = env.new_claim()
    entry = _confirm(env, claim_id, M1)
    with pytest.raises(MonthRefused):
        months.accept_month(entry, staff=_user(env.employer.id))
    db.session.rollback()
    with pytest.raises(MonthRefused):
        months.query_month(db.session.get(ClaimMonth, entry.id), staff=_user(env.employer.id),
                           reason="why")
    db.session.rollback()
    assert db.session.get(ClaimMonth, entry.id).status is M.SUBMITTED


def test_staff_of_another_region_cannot_check_months(env, db, make_user):
    almaty = make_user("staff", region_code="KZ-ALM")
    claim_id = env.new_claim()
    entry = _confirm(env, claim_id, M1)
    with force_locale("en"), pytest.raises(MonthRefused, match="region"):
        months.accept_month(entry, staff=_user(almaty.id))
    db.session.rollback()
    assert db.session.get(ClaimMonth, entry.id).status is M.SUBMITTED


def test_an_accepted_month_cannot_be_accepted_or_queried_again(env, db):
    claim_id = env.new_claim()
    entry = _accepted(env, claim_id, M1)
    with pytest.raises(IllegalMonthTransition):
        months.accept_month(entry, staff=_user(env.staff[1].id))
    db.session.rollback()
    with pytest.raises(IllegalMonthTransition):
        months.query_month(db.session.get(ClaimMonth, entry.id), staff=_user(env.staff[1].id),
                           reason="changed my mind")
    db.session.rollback()
    entry = db.session.get(ClaimMonth, entry.id)
    assert entry.status is M.ACCEPTED and entry.decided_by_id == env.staff[0].id


@pytest.mark.parametrize("reason", ["", "  ", None])
def test_a_query_needs_a_reason(env, db, reason):
    claim_id = env.new_claim()
    entry = _confirm(env, claim_id, M1)
    with pytest.raises(MonthRefused) as refused:
        months.query_month(entry, staff=_user(env.staff[0].id), reason=reason)
    assert refused.value.context["field"] == "reason"
    db.session.rollback()
    assert db.session.get(ClaimMonth, entry.id).status is M.SUBMITTED


def test_a_query_tells_the_employer_who_corrects_the_month(env, db):
    claim_id = env.new_claim()
    entry = _confirm(env, claim_id, M1, wage="1000.00")
    months.query_month(entry, staff=_user(env.staff[0].id),
                       reason=" The wage looks like a typo ")
    db.session.commit()
    entry = db.session.get(ClaimMonth, entry.id)
    assert entry.status is M.QUERIED and entry.query_reason == "The wage looks like a typo"
    [note] = db.session.scalars(select(Notification).where(
        Notification.user_id == env.employer.id, Notification.kind == "month_queried")).all()
    assert note.params["month"] == M1.strftime("%m.%Y")
    assert note.params["reason"] == "The wage looks like a typo"

    # A correction without the proof is refused and leaves the month queried ...
    with pytest.raises(MonthRefused):
        months.confirm_month(_claim(claim_id), M1, hours_worked=160, wage_paid=WAGE,
                             pension_proof=None, actor=_user(env.employer.id))
    db.session.rollback()
    assert db.session.get(ClaimMonth, entry.id).status is M.QUERIED
    # ... the corrected one goes back to the staff, and is accepted on the corrected wage.
    corrected = _confirm(env, claim_id, M1, wage=WAGE)
    assert corrected.id == entry.id and corrected.status is M.SUBMITTED
    months.accept_month(corrected, staff=_user(env.staff[0].id))
    db.session.commit()
    assert db.session.get(ClaimMonth, entry.id).amount == MONTHLY


# The payment run ------------------------------------------------------------------------------

def _read_order(path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_a_run_pays_accepted_months_once(env, db, tmp_path):
    first, second, unchecked = env.new_claim(), env.new_claim(), env.new_claim()
    _accepted(env, first, M1)
    _accepted(env, second, M1, wage="80000.00")
    _confirm(env, unchecked, M1)                 # submitted, not accepted: not paid
    _accepted(env, first, M2)                    # another month: not in this run

    summary = payments.run_payments(M1, order_dir=tmp_path)
    assert summary.failed == [] and summary.already_paid == 0
    assert sorted(p.claim_id for p in summary.paid) == [first, second]
    assert summary.total == Decimal("63000.00")
    assert [(p.claim_id, p.month, p.amount) for p in _payments()] == [
        (first, M1, MONTHLY), (second, M1, Decimal("28000.00"))]
    for claim_id in (first, second):
        claim = _claim(claim_id)
        assert claim.status is S.ACTIVE
        assert [e.action for e in claim.events][-1] == "activate"
        assert claim.events[-1].actor_id is None
    assert _claim(unchecked).status is S.APPROVED
    assert [e.amount for e in _entries(first, EntryKind.PAYMENT)] == [MONTHLY]

    run = db.session.get(PaymentRun, summary.run_id)
    assert run.finished_at is not None and (run.paid_count, run.failed_count) == (2, 0)
    assert run.total == Decimal("63000.00") and run.order_file == summary.order_file.name
    rows = _read_order(summary.order_file)
    assert rows[0] == list(payments.ORDER_COLUMNS)
    organisation = db.session.get(EmployerOrganisation, env.organisation_id)
    assert sorted(rows[1:]) == sorted(
        [str(p.id), str(run.id), M1.strftime("%Y-%m"), str(p.claim_id), organisation.bin,
         organisation.name, PROGRAMME, f"{p.amount:.2f}"] for p in _payments())
    assert {row[-1] for row in rows[1:]} == {"35000.00", "28000.00"}

    again = payments.run_payments(M1, order_dir=tmp_path)
    assert again.paid == [] and again.failed == [] and again.total == 0
    assert _read_order(again.order_file) == [list(payments.ORDER_COLUMNS)]
    assert again.order_file != summary.order_file, "each run has its own order file"
    assert len(_payments()) == 2
    assert db.session.scalar(select(func.count(BudgetEntry.id)).where(
        BudgetEntry.kind == EntryKind.PAYMENT)) == 2

    # The next month: the claim is active already and stays so.
    next_month = payments.run_payments(M2, order_dir=tmp_path)
    assert [p.claim_id for p in next_month.paid] == [first]
    claim = _claim(first)
    assert claim.status is S.ACTIVE
    assert [e.action for e in claim.events].count("activate") == 1
    assert budget.claim_balance(first).committed == Decimal("420000.00") - 2 * MONTHLY


def test_a_failure_rolls_back_only_that_claim(env, db, tmp_path, monkeypatch):
    good, bad = env.new_claim(), env.new_claim()
    _accepted(env, good, M1)
    _accepted(env, bad, M1)
    real_pay = budget.pay

    def pay(claim, month, amount, **kwargs):
        entry = real_pay(claim, month, amount, **kwargs)
        if claim.id == bad:
            raise RuntimeError("treasury gateway timed out")
        return entry

    monkeypatch.setattr(budget, "pay", pay)
    summary = payments.run_payments(M1, order_dir=tmp_path)
    assert [p.claim_id for p in summary.paid] == [good]
    assert summary.failed == [(bad, "treasury gateway timed out")]
    run = db.session.get(PaymentRun, summary.run_id)
    assert (run.paid_count, run.failed_count, run.total) == (1, 1, MONTHLY)
    assert len(_read_order(summary.order_file)) == 2
    # Nothing of the failed claim stayed: no payment, no ledger entry, still approved.
    assert _payments(bad) == [] and _entries(bad, EntryKind.PAYMENT) == []
    assert _claim(bad).status is S.APPROVED
    assert _claim(good).status is S.ACTIVE

    monkeypatch.setattr(budget, "pay", real_pay)
    rerun = payments.run_payments(M1, order_dir=tmp_path)
    assert [p.claim_id for p in rerun.paid] == [bad] and rerun.failed == []
    assert [p.claim_id for p in _payments()] == sorted([good, bad])
    assert _claim(bad).status is S.ACTIVE


def _run_in_own_context(app, month, order_dir, barrier, results, key):
    try:
        barrier.wait()
    except threading.BrokenBarrierError:
        results[key] = "barrier broken"
        return
    with app.app_context():
        try:
            summary = payments.run_payments(month, order_dir=order_dir)
            results[key] = ([p.claim_id for p in summary.paid], summary.failed)
        except Exception as error:  # reported by the assertion below
            db.session.rollback()
            results[key] = repr(error)


@pytest.mark.postgres_only
@needs_postgres
def test_two_runs_at_once_pay_each_month_once(app, env, database_url, tmp_path):
    assert database_url.startswith("postgresql")
    claim_ids = [env.new_claim() for _ in range(12)]
    with app.app_context():
        for claim_id in claim_ids:
            _accepted(env, claim_id, M1)

    barrier = threading.Barrier(2, timeout=60)
    results = {}
    threads = [threading.Thread(target=_run_in_own_context,
                                args=(app, M1, tmp_path / key, barrier, results, key))
               for key in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)

    assert all(isinstance(result, tuple) for result in results.values()), results
    assert [failed for _, failed in results.values()] == [[], []]
    paid = [claim_id for ids, _ in results.values() for claim_id in ids]
    assert sorted(paid) == sorted(claim_ids), "each claim paid by exactly one of the runs"
    with app.app_context():
        assert sorted(p.claim_id for p in _payments()) == sorted(claim_ids)
        assert sorted(e.claim_id for e in db.session.scalars(select(BudgetEntry).where(
            BudgetEntry.kind == EntryKind.PAYMENT))) == sorted(claim_ids)
        assert all(_claim(c).status is S.ACTIVE for c in claim_ids)
        assert all(len([e for e in _claim(c).events if e.action == "activate"]) == 1
                   for c in claim_ids)


@pytest.mark.parametrize("month", ["2026-13", "2026-00", "26-1x", "2026/10", ""])
def test_cli_refuses_a_bad_month(app, env, month):
    result = app.test_cli_runner().invoke(args=["payments", "run", "--month", month])
    assert result.exit_code == 2
    assert "--month" in result.output and "expected a month as YYYY-MM" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(PaymentRun.id))) == 0


def test_cli_runs_the_payments_and_prints_a_summary(app, env):
    claim_id = env.new_claim()
    with app.app_context():
        _accepted(env, claim_id, M1)
    result = app.test_cli_runner().invoke(args=["payments", "run",
                                                "--month", M1.strftime("%Y-%m")])
    assert result.exit_code == 0, result.output
    with app.app_context():
        run = db.session.scalar(select(PaymentRun))
        assert [p.claim_id for p in _payments()] == [claim_id]
    lines = result.output.splitlines()
    assert lines[0] == (f"Payment run {run.id} for {M1:%Y-%m}: 1 paid, 0 already paid, "
                        "0 failed; total 35000.00 KZT")
    assert lines[1].startswith("Payment order: ") and lines[1].endswith(run.order_file)
    order = os.path.join(app.config["PAYMENT_ORDER_DIR"], run.order_file)
    assert len(_read_order(order)) == 2


def test_cli_reports_failures_with_a_failing_exit_code(app, env, monkeypatch):
    claim_id = env.new_claim()
    with app.app_context():
        _accepted(env, claim_id, M1)

    def pay(*args, **kwargs):
        raise RuntimeError("ledger offline")

    monkeypatch.setattr(budget, "pay", pay)
    result = app.test_cli_runner().invoke(args=["payments", "run", "--month",
                                                M1.strftime("%Y-%m")])
    assert result.exit_code == 1
    assert "0 paid, 0 already paid, 1 failed" in result.output
    assert f"claim {claim_id} failed: ledger offline" in result.output


# Settling: completion and early end -------------------------------------------------------------

def test_paying_every_month_completes_the_claim_and_releases_the_rest(env, db, tmp_path):
    rules = {"wage_share": "0.35", "monthly_cap": "85000.00", "max_months": 3,
             "no_wage_arrears": True}
    services.add_rule_version(_programme(), effective_from=START, rules=rules,
                              source="a three-month pilot", actor=None)
    db.session.commit()
    claim_id = env.new_claim()
    claim = _claim(claim_id)
    assert (claim.months, claim.total_amount) == (3, Decimal("105000.00"))
    _accepted(env, claim_id, M1)
    _accepted(env, claim_id, M2, wage="80000.00")      # 28 000: 7 000 less than reserved
    _accepted(env, claim_id, M3)
    for month in (M1, M2):
        payments.run_payments(month, order_dir=tmp_path)
        assert _claim(claim_id).status is S.ACTIVE
    assert _entries(claim_id, EntryKind.RELEASE) == []

    payments.run_payments(M3, order_dir=tmp_path)
    claim = _claim(claim_id)
    assert claim.status is S.COMPLETED
    assert [e.action for e in claim.events if e.action in ("activate", "complete")] == [
        "activate", "complete"]
    assert claim.events[-1].actor_id is None
    [release] = _entries(claim_id, EntryKind.RELEASE)
    assert release.amount == Decimal("7000.00") and release.note == "settled"
    share = budget.claim_balance(claim_id)
    assert share.committed == 0 and share.paid == Decimal("98000.00")
    balance = budget.balance_for(claim.programme_id, env.region_id)
    assert balance.available == Decimal("100000000.00") - Decimal("98000.00")
    assert balance.balanced and balance.committed == 0


def _end(env, claim_id, end_date, reason="The employee resigned"):
    employment = _claim(claim_id).employment
    end_employment(employment, end_date=end_date, reason=reason,
                   actor=_user(env.employer.id))
    db.session.commit()


def test_an_early_end_claws_back_months_after_it(env, db, tmp_path):
    claim_id = env.new_claim()
    _accepted(env, claim_id, M1)
    m2 = _confirm(env, claim_id, M2)
    months.query_month(m2, staff=_user(env.staff[0].id), reason="Wrong hours")
    db.session.commit()
    _accepted(env, claim_id, M3)
    payments.run_payments(M1, order_dir=tmp_path)
    payments.run_payments(M3, order_dir=tmp_path)
    assert budget.claim_balance(claim_id).committed == Decimal("350000.00")

    # The employee left on the 20th of the second month: the third was paid but not worked.
    _end(env, claim_id, M2.replace(day=20))
    claim = _claim(claim_id)
    assert claim.status is S.TERMINATED
    assert claim.events[-1].action == "terminate"
    assert claim.events[-1].reason == "The employee resigned"
    assert months.claim_months(claim) == [M1, M2]
    [clawback] = _entries(claim_id, EntryKind.CLAWBACK)
    assert (clawback.month, clawback.amount) == (M3, MONTHLY)
    # Everything is released except one month's amount for the worked, unpaid second month.
    [release] = _entries(claim_id, EntryKind.RELEASE)
    assert release.amount == Decimal("315000.00")
    assert budget.claim_balance(claim_id).committed == MONTHLY

    # The corrected second month is still paid, and then the rest is released.
    corrected = _confirm(env, claim_id, M2, wage="60000.00", hours=100)
    months.accept_month(corrected, staff=_user(env.staff[0].id))
    db.session.commit()
    summary = payments.run_payments(M2, order_dir=tmp_path)
    assert [p.amount for p in summary.paid] == [Decimal("21000.00")]
    claim = _claim(claim_id)
    assert claim.status is S.TERMINATED
    share = budget.claim_balance(claim_id)
    assert share.committed == 0 and share.paid == Decimal("91000.00")
    assert share.clawed_back == MONTHLY
    assert [e.amount for e in _entries(claim_id, EntryKind.RELEASE)] == [
        Decimal("315000.00"), Decimal("14000.00")]
    assert budget.balance_for(claim.programme_id, env.region_id).balanced


def test_a_month_after_the_end_is_never_paid(env, db, tmp_path):
    """Months accepted before the end was recorded are not paid for after the end, and the
    money kept for the worked month stays for it."""
    claim_id = env.new_claim()
    _accepted(env, claim_id, M1)
    _accepted(env, claim_id, M2)
    _accepted(env, claim_id, M3)
    payments.run_payments(M1, order_dir=tmp_path)
    _end(env, claim_id, M2.replace(day=10))
    assert budget.claim_balance(claim_id).committed == MONTHLY

    after_end = payments.run_payments(M3, order_dir=tmp_path)
    assert after_end.paid == [] and after_end.failed == []
    assert [p.month for p in _payments(claim_id)] == [M1]

    worked = payments.run_payments(M2, order_dir=tmp_path)
    assert [p.amount for p in worked.paid] == [MONTHLY] and worked.failed == []
    assert budget.claim_balance(claim_id).committed == 0


def test_an_end_before_any_payment_releases_all_but_the_worked_months(env, db):
    claim_id = env.new_claim()
    _end(env, claim_id, M1.replace(day=28))
    claim = _claim(claim_id)
    assert claim.status is S.TERMINATED
    assert _entries(claim_id, EntryKind.CLAWBACK) == []
    assert budget.claim_balance(claim_id).committed == MONTHLY
    assert months.confirmable_months(claim) == [M1]


def test_ending_an_employment_leaves_other_claims_alone(env, db):
    ended, other = env.new_claim(), env.new_claim()
    _end(env, ended, M3.replace(day=1))
    assert _claim(ended).status is S.TERMINATED
    assert _claim(other).status is S.APPROVED
    assert budget.claim_balance(other).committed == Decimal("420000.00")


def test_a_job_ending_before_the_decision_shrinks_the_claim_to_the_months_worked(
        env, db, tmp_path):
    claim_id = env.new_claim(status=S.IN_REVIEW)
    _end(env, claim_id, M2.replace(day=15))
    claim = _claim(claim_id)
    assert claim.status is S.IN_REVIEW
    assert (claim.months, claim.total_amount) == (2, Decimal("70000.00"))
    assert review.approve(claim, staff=_user(env.staff[1].id), reason="two months worked")
    db.session.commit()
    assert budget.claim_balance(claim_id).reserved == Decimal("70000.00")
    _accepted(env, claim_id, M1)
    _accepted(env, claim_id, M2)
    payments.run_payments(M1, order_dir=tmp_path)
    payments.run_payments(M2, order_dir=tmp_path)
    claim = _claim(claim_id)
    assert claim.status is S.TERMINATED, "paid out, but it ended early: not 'completed'"
    assert budget.claim_balance(claim_id).committed == 0


def test_a_month_after_the_end_cannot_be_accepted(env, db):
    claim_id = env.new_claim()
    late = _confirm(env, claim_id, M3)
    _end(env, claim_id, M2.replace(day=5))
    with force_locale("en"), pytest.raises(months.MonthRefused, match="ended before"):
        months.accept_month(late, staff=_user(env.staff[0].id))


def test_only_the_employer_or_its_job_centre_confirms_months(env, db, make_user):
    claim_id = env.new_claim()
    stranger = make_user("employer")
    with force_locale("en"), pytest.raises(months.MonthRefused, match="Only the employer"):
        months.confirm_month(_claim(claim_id), M1, hours_worked=160,
                             wage_paid=Decimal("100000.00"), pension_proof=proof(),
                             actor=_user(stranger.id))
    db.session.rollback()
    entry = months.confirm_month(_claim(claim_id), M1, hours_worked=160,
                                 wage_paid=Decimal("100000.00"), pension_proof=proof(),
                                 actor=_user(env.staff[0].id))
    assert entry.submitted_by_id == env.staff[0].id


def test_the_payment_order_never_holds_a_spreadsheet_formula(env, db, tmp_path):
    claim_id = env.new_claim()
    _claim(claim_id).organisation.name = "=HYPERLINK(\"http://x\")"
    db.session.commit()
    _accepted(env, claim_id, M1)
    summary = payments.run_payments(M1, order_dir=tmp_path)
    [_, row] = _read_order(summary.order_file)
    assert row[5] == "'=HYPERLINK(\"http://x\")"


def test_a_one_off_grant_is_paid_whole_once_by_the_next_run(env, db, tmp_path):
    from marketplace.incentives.models import ProgrammeKind

    employment_claim_id = env.new_claim()  # (its own session: before this one writes)
    grant = IncentiveProgramme(code="hiring-grant", kind=ProgrammeKind.HIRING_GRANT,
                               name_kk="Грант", name_ru="Грант", name_en="Hiring grant",
                               active_from=date(2020, 1, 1))
    db.session.add(grant)
    db.session.flush()
    services.add_rule_version(grant, effective_from=date(2020, 1, 1),
                              rules={"one_off_amount": "150000.00"}, source="test", actor=None)
    budget.allocate(grant.id, env.region_id, Decimal("1000000.00"), actor=None)
    employment = _claim(employment_claim_id).employment
    owner = _user(env.employer.id)
    claim = claims.open_claim(employment, grant, actor=owner)
    review.submit_claim(claim, actor=owner, no_wage_arrears=True)
    review.start_review(claim, staff=_user(env.staff[0].id))
    assert review.approve(claim, staff=_user(env.staff[1].id), reason="ok")
    db.session.commit()
    assert months.confirmable_months(claim) == [], "no monthly confirmations for a grant"

    this_month = date.today().replace(day=1)
    first = payments.run_payments(this_month, order_dir=tmp_path)
    assert [(p.claim_id, p.amount) for p in first.paid] == [(claim.id, Decimal("150000.00"))]
    again = payments.run_payments(add_months(this_month, 1), order_dir=tmp_path)
    assert again.paid == [] and again.failed == []
    claim = _claim(claim.id)
    assert claim.status is S.COMPLETED
    assert budget.claim_balance(claim.id).paid == Decimal("150000.00")
    assert budget.claim_balance(claim.id).committed == 0
