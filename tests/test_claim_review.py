"""Filing a claim and the job centre's decision on it: checks at filing, four eyes above the
threshold, reasons, review rounds, the budget reserve and the employer's notifications."""

import json
import os
import threading
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import current_app
from flask_babel import force_locale
from sqlalchemy import func, select

from marketplace.auth.models import User
from marketplace.employers.models import (
    EmployerOrganisation,
    MemberRole,
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
from marketplace.incentives.claims import ClaimRefused, IllegalClaimTransition
from marketplace.incentives.models import (
    BudgetEntry,
    Claim,
    ClaimApproval,
    ClaimStatus,
    EntryKind,
    IncentiveProgramme,
)
from marketplace.notifications.models import Notification
from marketplace.reference.models import Region
from tests.factories import make_candidate

S = ClaimStatus
PROGRAMME = "kz-social-workplace"
# 35 % of the wage, capped at 85 000 a month, for 12 months:
SMALL_WAGE = Decimal("100000.00")   # 35 000 × 12 = 420 000: one approval (≤ 500 000)
LARGE_WAGE = Decimal("250000.00")   # 85 000 × 12 = 1 020 000: two approvals


def _programme() -> IncentiveProgramme:
    return db.session.scalar(select(IncentiveProgramme).where(
        IncentiveProgramme.code == PROGRAMME))


def _user(user_id) -> User:
    return db.session.get(User, user_id)


def _claim(claim_id) -> Claim:
    return db.session.get(Claim, claim_id)


@pytest.fixture
def env(app, make_user, skill_codes):
    """A verified employer in KZ-AST, staff of that region, and `new_claim(...)` building a
    confirmed employment there and its claim (draft, submitted or in review)."""
    employer = make_user("employer")
    _, profile_id = make_candidate(app, make_user, skill_codes)
    with app.app_context():
        services.seed_programmes()
        organisation = db.session.scalar(
            select(EmployerOrganisation).join(OrganisationMember)
            .where(OrganisationMember.user_id == employer.id))
        organisation.status = VerificationStatus.VERIFIED
        db.session.commit()
        organisation_id, region_id = organisation.id, organisation.region_id

    def new_claim(*, wage=SMALL_WAGE, hours=40, start=None, status=S.IN_REVIEW,
                  creator=None, submitter=None, reviewer=None, hazardous=False,
                  programme_id=None):
        with app.app_context():
            organisation = db.session.get(EmployerOrganisation, organisation_id)
            vacancy = Vacancy(organisation=organisation, title="Сварщик",
                              status=VacancyStatus.OPEN, schedule=Schedule.DAY,
                              region_id=region_id, hazardous=hazardous)
            application = Application(vacancy=vacancy, profile_id=profile_id,
                                      status=ApplicationStatus.HIRED)
            employment = Employment(application=application, start_date=start or date.today(),
                                    monthly_wage=wage, hours_per_week=hours,
                                    contract_type=ContractType.PERMANENT,
                                    status=EmploymentStatus.CONFIRMED,
                                    recorded_by_id=employer.id)
            db.session.add(employment)
            db.session.flush()
            programme = (db.session.get(IncentiveProgramme, programme_id) if programme_id
                         else _programme())
            claim = claims.open_claim(employment, programme, actor=_user(creator or employer.id))
            if status is not S.DRAFT:
                review.submit_claim(claim, actor=_user(submitter or employer.id),
                                    no_wage_arrears=True)
            if status is S.IN_REVIEW:
                review.start_review(claim, staff=_user(reviewer or staff[0].id))
            db.session.commit()
            return claim.id

    staff = [make_user("staff") for _ in range(3)]
    return SimpleNamespace(employer=employer, staff=staff, new_claim=new_claim,
                           organisation_id=organisation_id, region_id=region_id,
                           make_user=make_user)


def _fund(amount, region_id):
    budget.allocate(_programme().id, region_id, Decimal(amount), actor=None)
    db.session.commit()


def _approval_rows(claim_id) -> int:
    return db.session.scalar(select(func.count(ClaimApproval.id)).where(
        ClaimApproval.claim_id == claim_id))


def _entries(claim_id, kind=None) -> list[BudgetEntry]:
    query = select(BudgetEntry).where(BudgetEntry.claim_id == claim_id)
    if kind is not None:
        query = query.where(BudgetEntry.kind == kind)
    return list(db.session.scalars(query.order_by(BudgetEntry.id)))


def _notifications(user_id, kind) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(
        Notification.user_id == user_id, Notification.kind == kind)))


def _mail_to(login) -> list[dict]:
    outbox = Path(current_app.config["MAIL_OUTBOX_DIR"])
    messages = [json.loads(path.read_text(encoding="utf-8")) for path in outbox.iterdir()]
    return [m for m in messages if m["to"] == login]


# Filing ------------------------------------------------------------------------------------

def test_submit_files_the_claim_and_tells_the_region_staff(env, db):
    claim_id = env.new_claim(status=S.DRAFT)
    claim = _claim(claim_id)
    review.submit_claim(claim, actor=_user(env.employer.id), no_wage_arrears=True)
    db.session.commit()
    claim = _claim(claim_id)
    assert claim.status is S.SUBMITTED
    assert claim.submitted_by_id == env.employer.id and claim.no_wage_arrears is True
    assert claim.total_amount == Decimal("420000.00")
    assert claim.monthly_amount == Decimal("35000.00") and claim.months == 12
    assert [e.action for e in claim.events] == ["open", "submit"]
    for member in env.staff:
        assert len(_notifications(member.id, "claim_submitted")) == 1


@pytest.mark.parametrize("declared, hazardous, words", [
    (False, False, "wage arrears"),
    (True, True, "hazardous work cannot be subsidised"),
])
def test_submit_is_refused_when_a_check_fails(env, db, declared, hazardous, words):
    claim_id = env.new_claim(status=S.DRAFT, hazardous=hazardous)
    claim = _claim(claim_id)
    with force_locale("en"), pytest.raises(ClaimRefused) as refused:
        review.submit_claim(claim, actor=_user(env.employer.id), no_wage_arrears=declared)
    with force_locale("en"):
        message = str(refused.value.message)
    assert message.startswith("The claim cannot be filed:") and words in message
    db.session.rollback()
    claim = _claim(claim_id)
    assert claim.status is S.DRAFT and claim.submitted_by_id is None
    assert [e.action for e in claim.events] == ["open"]


def test_submit_is_refused_when_the_formula_gives_nothing(env, db):
    # A later rule version requires 30 hours a week: a 20-hour job earns no subsidy.
    rules = {"wage_share": "0.35", "monthly_cap": "85000.00", "max_months": 12,
             "min_hours_per_week": 30, "no_wage_arrears": True}
    services.add_rule_version(_programme(), effective_from=date.today(), rules=rules,
                              source="test", actor=None)
    db.session.commit()
    claim_id = env.new_claim(status=S.DRAFT, hours=20)
    claim = _claim(claim_id)
    assert claim.total_amount == Decimal("0.00")
    with force_locale("en"), pytest.raises(ClaimRefused, match="nothing to pay"):
        review.submit_claim(claim, actor=_user(env.employer.id), no_wage_arrears=True)
    db.session.rollback()
    assert _claim(claim_id).status is S.DRAFT


# Approving ---------------------------------------------------------------------------------

def test_one_approval_is_enough_under_the_threshold(env, db):
    _fund("1000000", env.region_id)
    claim_id = env.new_claim(wage=SMALL_WAGE)
    claim = _claim(claim_id)
    assert review.approvals_needed(claim) == 1
    assert review.approve(claim, staff=_user(env.staff[1].id), reason="All checked") is True
    db.session.commit()
    claim = _claim(claim_id)
    assert claim.status is S.APPROVED and claim.decision_reason == "All checked"
    assert claim.decided_at is not None and claim.document_code
    assert review.by_document_code(claim.document_code.lower()).id == claim_id
    [entry] = _entries(claim_id)
    assert entry.kind is EntryKind.RESERVE and entry.amount == Decimal("420000.00")
    assert budget.balance_for(claim.programme_id, env.region_id).available == Decimal(
        "580000.00")


@pytest.mark.parametrize("threshold, needed", [("420000", 1), ("419999.99", 2)])
def test_the_threshold_is_strictly_above(env, db, app, monkeypatch, threshold, needed):
    monkeypatch.setitem(app.config, "CLAIM_SECOND_APPROVAL_ABOVE", threshold)
    claim = _claim(env.new_claim(wage=SMALL_WAGE))
    assert review.approvals_needed(claim) == needed


def test_four_eyes_above_the_threshold(env, db):
    _fund("5000000", env.region_id)
    first, second = _user(env.staff[1].id), _user(env.staff[2].id)
    claim_id = env.new_claim(wage=LARGE_WAGE)
    claim = _claim(claim_id)
    assert claim.total_amount == Decimal("1020000.00")
    assert review.approvals_needed(claim) == 2

    assert review.approve(claim, staff=first, reason="Documents in order") is False
    db.session.commit()
    claim = _claim(claim_id)
    assert claim.status is S.IN_REVIEW and claim.document_code is None
    assert [a.staff_id for a in review.current_approvals(claim)] == [first.id]
    assert claim.events[-1].action == "first_approval"
    assert _entries(claim_id) == [], "no money is set aside by a first approval"

    with force_locale("en"), pytest.raises(review.FourEyes, match="already approved"):
        review.approve(claim, staff=first, reason="Again")
    db.session.rollback()
    assert _approval_rows(claim_id) == 1

    assert review.approve(_claim(claim_id), staff=second, reason="Agreed") is True
    db.session.commit()
    claim = _claim(claim_id)
    assert claim.status is S.APPROVED and claim.document_code
    assert {a.staff_id for a in claim.approvals} == {first.id, second.id}
    [entry] = _entries(claim_id)
    assert entry.kind is EntryKind.RESERVE and entry.amount == claim.total_amount
    assert entry.actor_id == second.id


@pytest.mark.parametrize("filer", ["creator", "submitter"])
def test_staff_who_filed_for_the_employer_cannot_decide(env, db, filer):
    _fund("5000000", env.region_id)
    helper = env.staff[1]
    claim_id = env.new_claim(wage=LARGE_WAGE, **{filer: helper.id})
    claim = _claim(claim_id)
    assert helper.id in (claim.created_by_id, claim.submitted_by_id)
    for decide in (lambda c: review.approve(c, staff=_user(helper.id), reason="ok"),
                   lambda c: review.reject(c, staff=_user(helper.id), reason="no"),
                   lambda c: review.return_for_information(c, staff=_user(helper.id),
                                                           reason="why")):
        with force_locale("en"), pytest.raises(review.FourEyes, match="created or filed"):
            decide(_claim(claim_id))
        db.session.rollback()
    claim = _claim(claim_id)
    assert claim.status is S.IN_REVIEW and _approval_rows(claim_id) == 0


def test_staff_who_filed_cannot_decide_after_the_employer_resubmits(env, db):
    """Staff filed the claim for the employer; it was returned and the employer refiled it.
    The staff member still filed it once, so must not decide it."""
    _fund("5000000", env.region_id)
    helper, reviewer = env.staff[1], env.staff[2]
    claim_id = env.new_claim(wage=SMALL_WAGE, submitter=helper.id, reviewer=reviewer.id)
    review.return_for_information(_claim(claim_id), staff=_user(reviewer.id),
                                  reason="Attach the contract")
    review.submit_claim(_claim(claim_id), actor=_user(env.employer.id), no_wage_arrears=True)
    db.session.commit()
    with force_locale("en"), pytest.raises(review.FourEyes, match="created or filed"):
        review.approve(_claim(claim_id), staff=_user(helper.id), reason="ok")
    db.session.rollback()
    assert _claim(claim_id).status is S.IN_REVIEW


def test_only_staff_of_the_claims_region_decide(env, db):
    _fund("5000000", env.region_id)
    other_region = env.make_user("staff", region_code="KZ-ALM")
    claim_id = env.new_claim(wage=SMALL_WAGE)
    for outsider in (other_region.id, env.employer.id):
        with force_locale("en"), pytest.raises(review.FourEyes, match="region"):
            review.approve(_claim(claim_id), staff=_user(outsider), reason="ok")
        db.session.rollback()
        with pytest.raises(review.FourEyes):
            review.reject(_claim(claim_id), staff=_user(outsider), reason="no")
        db.session.rollback()
    assert review.claim_for_staff(_user(other_region.id), claim_id) is None
    assert _claim(claim_id).status is S.IN_REVIEW and _approval_rows(claim_id) == 0


def test_the_checks_are_run_again_at_approval(env, db):
    """The vacancy was marked hazardous after filing: the claim can no longer be approved."""
    _fund("5000000", env.region_id)
    claim_id = env.new_claim()
    _claim(claim_id).employment.application.vacancy.hazardous = True
    db.session.commit()
    with force_locale("en"), pytest.raises(ClaimRefused) as refused:
        review.approve(_claim(claim_id), staff=_user(env.staff[1].id), reason="ok")
    with force_locale("en"):
        assert str(refused.value.message).startswith("The claim cannot be approved:")
    db.session.rollback()
    assert _claim(claim_id).status is S.IN_REVIEW and _approval_rows(claim_id) == 0
    assert _entries(claim_id) == []


def test_a_claim_not_in_review_cannot_be_approved(env, db):
    _fund("5000000", env.region_id)
    claim_id = env.new_claim(status=S.SUBMITTED)
    with pytest.raises(IllegalClaimTransition):
        review.approve(_claim(claim_id), staff=_user(env.staff[1].id), reason="ok")
    db.session.rollback()
    assert _approval_rows(claim_id) == 0


# Reasons, rejecting, returning --------------------------------------------------------------

@pytest.mark.parametrize("decision", ["approve", "reject", "return_for_information"])
@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_decision_needs_a_reason(env, db, decision, reason):
    _fund("5000000", env.region_id)
    claim_id = env.new_claim()
    with force_locale("en"), pytest.raises(review.ReasonRequired) as error:
        getattr(review, decision)(_claim(claim_id), staff=_user(env.staff[1].id),
                                  reason=reason)
    assert error.value.context["field"] == "reason"
    db.session.rollback()
    assert _claim(claim_id).status is S.IN_REVIEW


def test_reject_records_the_reason_and_tells_every_employer_member(env, db):
    colleague = env.make_user("employer")
    db.session.add(OrganisationMember(organisation_id=env.organisation_id,
                                      user_id=colleague.id, role=MemberRole.MEMBER))
    db.session.commit()
    claim_id = env.new_claim()
    review.reject(_claim(claim_id), staff=_user(env.staff[1].id),
                  reason="  The job existed before the hire  ")
    db.session.commit()
    claim = _claim(claim_id)
    assert claim.status is S.REJECTED and claim.decided_at is not None
    assert claim.decision_reason == "The job existed before the hire"
    assert _entries(claim_id) == []
    for member in (env.employer.id, colleague.id):
        [note] = _notifications(member, "claim_rejected")
        assert note.params["reason"] == "The job existed before the hire"
    for login in (env.employer.login, colleague.login):
        assert any("The job existed before the hire" in m["body"] for m in _mail_to(login))


def test_approval_tells_the_employer(env, db):
    _fund("1000000", env.region_id)
    claim_id = env.new_claim()
    review.approve(_claim(claim_id), staff=_user(env.staff[1].id), reason="Fine")
    db.session.commit()
    assert len(_notifications(env.employer.id, "claim_approved")) == 1
    assert len(_mail_to(env.employer.login)) == 1
    assert _notifications(env.staff[1].id, "claim_approved") == []


def test_return_and_resubmit_start_a_new_round(env, db):
    _fund("5000000", env.region_id)
    first, second = _user(env.staff[1].id), _user(env.staff[2].id)
    claim_id = env.new_claim(wage=LARGE_WAGE)
    assert review.approve(_claim(claim_id), staff=first, reason="Looks right") is False
    review.return_for_information(_claim(claim_id), staff=second,
                                  reason="Which shift does the employee work?")
    db.session.commit()
    claim = _claim(claim_id)
    assert claim.status is S.RETURNED and claim.review_round == 1
    [note] = _notifications(env.employer.id, "claim_returned")
    assert note.params["reason"] == "Which shift does the employee work?"

    review.submit_claim(claim, actor=_user(env.employer.id), no_wage_arrears=True)
    db.session.commit()
    claim = _claim(claim_id)
    assert claim.status is S.IN_REVIEW and claim.review_round == 2
    assert claim.events[-1].action == "resubmit"
    assert review.current_approvals(claim) == [], "the first round's approval is void"

    # The second staff member's approval is now only the first of the new round ...
    assert review.approve(claim, staff=second, reason="Answered") is False
    db.session.commit()
    assert _claim(claim_id).status is S.IN_REVIEW
    # ... and the first may approve again in the new round, which completes it.
    assert review.approve(_claim(claim_id), staff=first, reason="Still right") is True
    db.session.commit()
    claim = _claim(claim_id)
    assert claim.status is S.APPROVED
    assert sorted((a.review_round, a.staff_id) for a in claim.approvals) == sorted(
        [(1, first.id), (2, second.id), (2, first.id)])
    assert [e.amount for e in _entries(claim_id, EntryKind.RESERVE)] == [claim.total_amount]


# The budget ---------------------------------------------------------------------------------

def test_approval_is_refused_when_the_budget_cannot_cover_it(env, db):
    _fund("400000", env.region_id)
    claim_id = env.new_claim(wage=SMALL_WAGE)
    with force_locale("en"), pytest.raises(budget.BudgetExceeded) as error:
        review.approve(_claim(claim_id), staff=_user(env.staff[1].id), reason="ok")
    with force_locale("en"):
        assert str(error.value.message) == ("The remaining budget (400 000.00 ₸) cannot cover "
                                            "this claim (420 000.00 ₸).")
    db.session.rollback()
    claim = _claim(claim_id)
    assert claim.status is S.IN_REVIEW and claim.document_code is None
    assert _approval_rows(claim_id) == 0 and _entries(claim_id) == []
    assert _notifications(env.employer.id, "claim_approved") == []
    balance = budget.balance_for(claim.programme_id, env.region_id)
    assert balance.available == Decimal("400000.00") and balance.reserved == 0

    # Once the region has the money, the same claim can be approved.
    _fund("20000", env.region_id)
    assert review.approve(_claim(claim_id), staff=_user(env.staff[1].id), reason="ok") is True
    db.session.commit()
    assert budget.balance_for(claim.programme_id, env.region_id).available == 0


def test_the_second_approval_is_the_one_that_needs_the_money(env, db):
    _fund("1000000", env.region_id)     # less than 1 020 000
    first, second = _user(env.staff[1].id), _user(env.staff[2].id)
    claim_id = env.new_claim(wage=LARGE_WAGE)
    assert review.approve(_claim(claim_id), staff=first, reason="ok") is False
    db.session.commit()
    with pytest.raises(budget.BudgetExceeded):
        review.approve(_claim(claim_id), staff=second, reason="ok")
    db.session.rollback()
    claim = _claim(claim_id)
    assert claim.status is S.IN_REVIEW
    assert [a.staff_id for a in claim.approvals] == [first.id]
    assert _entries(claim_id) == []


def test_budgets_of_other_regions_do_not_count(env, db):
    almaty = db.session.scalar(select(Region).where(Region.code == "KZ-ALM"))
    _fund("5000000", almaty.id)
    claim_id = env.new_claim()
    with pytest.raises(budget.BudgetExceeded):
        review.approve(_claim(claim_id), staff=_user(env.staff[1].id), reason="ok")
    db.session.rollback()
    assert _claim(claim_id).status is S.IN_REVIEW


# Two decisions at the same moment (PostgreSQL: the claim row lock) ---------------------------

ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")
needs_postgres = pytest.mark.skipif(not ON_POSTGRES, reason=(
    "simultaneous decisions need PostgreSQL: SQLite has a single writer and ignores "
    "SELECT ... FOR UPDATE, so the claim lock under test does not exist there "
    "(set TEST_DATABASE_URL=postgresql+psycopg://...)"))


def _approve_together(app, claim_id, staff_ids) -> list[str]:
    """Each staff member approves in a thread with its own app context, all at once."""
    barrier = threading.Barrier(len(staff_ids), timeout=60)
    outcomes = [None] * len(staff_ids)

    def run(index, staff_id):
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            outcomes[index] = "barrier broken"
            return
        with app.app_context():
            try:
                done = review.approve(_claim(claim_id), staff=_user(staff_id), reason="ok")
                db.session.commit()
                outcomes[index] = "final" if done else "first"
            except review.FourEyes:
                db.session.rollback()
                outcomes[index] = "four eyes"
            except Exception as error:  # reported by the callers' assertions
                db.session.rollback()
                outcomes[index] = repr(error)

    threads = [threading.Thread(target=run, args=(i, s)) for i, s in enumerate(staff_ids)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return sorted(outcomes)


@pytest.mark.postgres_only
@needs_postgres
def test_two_staff_approving_at_once_approve_the_claim_once(app, env, database_url):
    assert database_url.startswith("postgresql")
    with app.app_context():
        _fund("5000000", env.region_id)
    claim_id = env.new_claim(wage=LARGE_WAGE)
    outcomes = _approve_together(app, claim_id, [env.staff[1].id, env.staff[2].id])
    assert outcomes == ["final", "first"], "the second to get the lock sees the first approval"
    with app.app_context():
        claim = _claim(claim_id)
        assert claim.status is S.APPROVED
        assert [e.amount for e in _entries(claim_id)] == [claim.total_amount]


@pytest.mark.postgres_only
@needs_postgres
def test_a_double_click_gives_one_approval(app, env, database_url):
    assert database_url.startswith("postgresql")
    with app.app_context():
        _fund("5000000", env.region_id)
    claim_id = env.new_claim(wage=LARGE_WAGE)
    outcomes = _approve_together(app, claim_id, [env.staff[1].id, env.staff[1].id])
    assert outcomes == ["first", "four eyes"]
    with app.app_context():
        assert _claim(claim_id).status is S.IN_REVIEW and _approval_rows(claim_id) == 1
