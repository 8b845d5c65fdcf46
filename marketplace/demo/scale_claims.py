"""Subsidy claims in every state, simulated in time order by the rules the services enforce:
filing, four-eyes review, the budget reserve at approval, monthly confirmations with a pension
proof, payment runs (one payment per claim and month), ended jobs that terminate a claim (with
a clawback when a month after the end had been paid), releases that settle every claim's
reserve. So every claim's ledger balances."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace

from flask import current_app

from marketplace.dates import add_months
from marketplace.demo import scale_content as words
from marketplace.demo.scale_reference import link_template
from marketplace.incentives.claims import months_employed
from marketplace.incentives.eligibility import months_between
from marketplace.incentives.services import monthly_subsidy, tax_incentive, to_tiyn

WAGE, TAX = "kz-social-workplace", "tax-incentive-certificate"
ZERO = Decimal("0.00")

PAYMENT_DAY = 15  # the run for a month goes on the 15th of the next month
UNDECIDED = ("draft", "submitted", "in_review", "returned")


@dataclass
class Claim:
    id: int
    job: object
    programme: object
    version_id: int
    rules: object
    staff: list[int]
    owner: int
    region_id: int
    status: str = "draft"
    monthly: Decimal | None = None
    months: int = 0
    total: Decimal = ZERO
    committed: Decimal = ZERO
    review_round: int = 1
    decided_at: datetime | None = None
    reason: str = ""
    code: str | None = None
    submitted: bool = False
    ended_known: bool = False
    paid: dict = field(default_factory=dict)   # month → amount
    updated: datetime | None = None


def _month_start(day: date) -> date:
    return day.replace(day=1)


class Claims:
    """Walks every eligible hire once and collects the rows of every table a claim touches."""

    def __init__(self, scale):
        self.scale, self.rng, self.clock = scale, scale.rng("claims"), scale.clock
        self.threshold = Decimal(str(current_app.config["CLAIM_SECOND_APPROVAL_ABOVE"]))
        self.rows = {name: [] for name in ("claim", "claim_event", "claim_approval",
                                           "budget_entry", "claim_month", "payment",
                                           "stored_file")}
        self.runs: dict[tuple[date, date], list] = {}
        self.files: dict[int, int] = {}
        self.reserved: dict[tuple[int, int], Decimal] = {}
        self.codes = set(scale.existing_codes)
        self.link = link_template("incentives.claim", claim_id=0)

    # --- who may claim
    def walk(self, jobs) -> None:
        wage, tax = (self.scale.ref.programmes.get(code) for code in (WAGE, TAX))
        for job in jobs:
            if not self._eligible(job):
                continue
            if wage and self.rng.random() < 0.55:
                self._claim(job, wage)
            if tax and self.rng.random() < 0.15 and tax.version_on(job.start):
                self._claim(job, tax)

    def _eligible(self, job) -> bool:
        person, opening = job.hired.candidate, job.hired.opening
        return (job.confirmed_at is not None and opening.subsidy_eligible
                and person.released is not None and months_between(person.released,
                                                                    job.start) < 12)

    # --- one claim's life
    def _claim(self, job, programme) -> None:
        version = programme.version_on(job.start)
        if version is None:
            return
        organisation = job.hired.opening.organisation
        claim = Claim(self.scale.writer.next_id("claim"), job, programme, version[0],
                      version[1], self.scale.staff[organisation.region_id],
                      organisation.owner_id, organisation.region_id)
        opened = self.clock.soon(self.rng, job.confirmed_at + timedelta(days=2), 20)
        if programme.code == TAX:
            deadline = datetime.combine(job.start + timedelta(days=27), time(), UTC)
            opened = max(min(opened, deadline), job.confirmed_at)
        # Ended before the filing: the formula counts the months worked, and the claim ends by
        # itself once they are paid (settle), as the services do.
        claim.ended_known = self._end_known(job, opened)
        self._compute(claim, opened)
        if claim.total <= 0:
            return
        self._event(claim, "open", None, "draft", claim.owner, opened)
        self.scale.audit.add("claim:open", "claim", claim.id, claim.owner, opened,
                             programme=programme.code, rules_from=str(self._since(claim)))
        if self.rng.random() >= 0.03:
            self._review(claim, opened)
        if claim.status in UNDECIDED:
            self._recompute_if_ended(claim, self.clock.end)
        self._store(claim, opened)

    def _since(self, claim) -> date:
        return next(since for since, v_id, _ in claim.programme.versions
                    if v_id == claim.version_id)

    def _compute(self, claim, at: datetime) -> None:
        """The rule version's formula on the employment as it is known at `at`."""
        job, rules = claim.job, claim.rules
        if rules.wage_share is not None:
            claim.monthly = monthly_subsidy(rules, monthly_wage=job.wage,
                                            hours_per_week=job.hours)
            end = job.end_date if self._end_known(job, at) else None
            worked = months_employed(SimpleNamespace(start_date=job.start, end_date=end))
            claim.months = min(rules.max_months or 0, worked)
            claim.total = to_tiyn(claim.monthly * claim.months)
        else:
            claim.total = tax_incentive(rules, first_year_wages=job.wage * 12,
                                        hours_worked=job.hours * 52)

    @staticmethod
    def _end_known(job, at: datetime) -> bool:
        return job.end_recorded is not None and job.end_recorded <= at

    def _review(self, claim, opened) -> None:
        rng, clock = self.rng, self.clock
        at = opened
        self._move(claim, "submit", "submitted", claim.owner, at)
        claim.submitted = True
        at = clock.after(rng, at, 1, 4)
        if at >= clock.end:
            return
        reviewer = rng.choice(claim.staff)
        self._move(claim, "start_review", "in_review", reviewer, at)
        if rng.random() < 0.04:
            at = clock.after(rng, at, 1, 3)
            if at >= clock.end:
                return
            reason = rng.choice(words.RETURNS)
            self._move(claim, "return", "returned", reviewer, at, reason)
            self._tell(claim, "claim_returned", at, reason=reason)
            at = clock.after(rng, at, 3, 10)
            if at >= clock.end:
                return
            claim.review_round += 1
            self._move(claim, "resubmit", "in_review", claim.owner, at)
        at = clock.after(rng, at, 1, 8)
        if at >= clock.end:
            return
        self._recompute_if_ended(claim, at)
        if rng.random() < 0.07:
            self._decide(claim, "reject", "rejected", reviewer, at, rng.choice(words.REJECTIONS))
            return
        self._approve(claim, at)
        self._months(claim)

    def _recompute_if_ended(self, claim, moment) -> None:
        """A job that ended before the decision shrinks the claim to the months worked."""
        if self._end_known(claim.job, moment) and not claim.ended_known:
            claim.ended_known = True
            self._compute(claim, moment)
            self.scale.audit.add("claim:recomputed", "claim", claim.id, claim.owner,
                                 claim.job.end_recorded, total=str(claim.total))

    def _approve(self, claim, at) -> None:
        staff = self.rng.sample(claim.staff, 2) if len(claim.staff) > 1 else claim.staff
        if claim.total > self.threshold and len(staff) > 1:
            first = self.clock.between(self.rng, claim.updated, at)
            self._approval(claim, staff[1], first, "Документы проверены.")
            self._event(claim, "first_approval", "in_review", "in_review", staff[1], first,
                        "Документы проверены.")
            self.scale.audit.add("claim:first_approval", "claim", claim.id, staff[1], first)
        self._approval(claim, staff[0], at, "Условия выполнены.")
        self._entry(claim, "reserve", claim.total, staff[0], at)
        claim.committed = claim.total
        self._decide(claim, "approve", "approved", staff[0], at, "Условия выполнены.")

    def _decide(self, claim, action, status, staff, at, reason) -> None:
        self._move(claim, action, status, staff, at, reason)
        claim.decided_at, claim.reason = at, reason
        claim.code = self._document_code()
        self._tell(claim, f"claim_{'approved' if action == 'approve' else 'rejected'}", at,
                   **({"reason": reason} if action == "reject" else {}))

    # --- months, payments and the end of the job
    def _months(self, claim) -> None:
        job, clock = claim.job, self.clock
        for n in range(claim.months):
            month = add_months(_month_start(job.start), n)
            confirm = max(clock.at(add_months(month, 1) + timedelta(
                days=self.rng.randint(1, 6)), self.rng), claim.decided_at + timedelta(hours=2))
            self._end_if_known(claim, confirm)
            if confirm >= clock.end or add_months(month, 1) > clock.today:
                break
            worked = job.end_date is None or month <= job.end_date
            if not worked and (claim.ended_known or self.rng.random() < 0.85):
                break  # nobody confirms a month not worked once the end is recorded
            if not self._confirm(claim, month, confirm):
                break
        self._end_if_known(claim, clock.end - timedelta(minutes=1))
        claim.updated = claim.updated or claim.decided_at

    def _confirm(self, claim, month, confirm) -> bool:
        """One month confirmed and (when staff got to it) accepted and paid; False when this
        month waits for staff or the employer, so later months wait too."""
        rng, clock, job = self.rng, self.clock, claim.job
        wage_paid = job.wage if rng.random() < 0.9 else to_tiyn(job.wage * Decimal("0.9"))
        file_id = self._file(claim, confirm)
        row = [self.scale.writer.next_id("claim_month"), claim.id, month,
               round(job.hours * 4.33), wage_paid, file_id, "submitted", None, claim.owner,
               confirm, None, None, ""]
        self.rows["claim_month"].append(row)
        self.scale.audit.add("claim_month:confirm", "claim_month", row[0], claim.owner, confirm,
                             claim=claim.id, month=month.isoformat())
        decided, officer = clock.after(rng, confirm, 0.5, 5), rng.choice(claim.staff)
        if decided >= clock.end:
            return False
        self._end_if_known(claim, decided)
        after_end = claim.ended_known and month > job.end_date
        if after_end or rng.random() < 0.02:
            # Staff cannot accept a month after a recorded end: they ask the employer instead.
            row[6], row[10], row[11], row[12] = "queried", officer, decided, (
                words.NOT_WORKED if after_end else rng.choice(words.QUERIES))
            self.scale.audit.add("claim_month:query", "claim_month", row[0], officer, decided)
            self._tell(claim, "month_queried", decided, month=month.strftime("%m.%Y"),
                       reason=row[12])
            return False
        amount = min(monthly_subsidy(claim.rules, monthly_wage=wage_paid,
                                     hours_per_week=job.hours), claim.monthly)
        row[6], row[7], row[10], row[11] = "accepted", amount, officer, decided
        self.scale.audit.add("claim_month:accept", "claim_month", row[0], officer, decided,
                             amount=str(amount))
        self._pay(claim, month, amount, decided)
        return True

    def _pay(self, claim, month, amount, accepted) -> None:
        run_day = add_months(month, 1).replace(day=PAYMENT_DAY)
        while datetime.combine(run_day, time(), UTC) <= accepted:
            run_day = add_months(run_day, 1)
        at = datetime.combine(run_day, time(3, 0), UTC)
        self._end_if_known(claim, at)
        if (at >= self.clock.end or amount <= 0
                or claim.status not in ("approved", "active", "terminated")
                or (claim.ended_known and month > claim.job.end_date)):
            return  # the run finds nothing due
        run = self._run(month, run_day, at, amount)
        payment_id = self.scale.writer.next_id("payment")
        self.rows["payment"].append((payment_id, claim.id, month, amount, run, at))
        self._entry(claim, "payment", amount, None, at, month=month, note=f"payment run {run}")
        claim.committed -= amount
        claim.paid[month] = amount
        self.scale.audit.add("payment:made", "payment", payment_id, None, at, claim=claim.id,
                             month=month.isoformat(), amount=str(amount), run=run)
        if claim.status == "approved":
            self._move(claim, "activate", "active", None, at)
        self._settle(claim, at)

    def _due(self, claim) -> list[date]:
        first = _month_start(claim.job.start)
        months = [add_months(first, n) for n in range(claim.months)]
        end = claim.job.end_date if claim.ended_known else None
        return [m for m in months if end is None or m <= end]

    def _settle(self, claim, at) -> None:
        due = self._due(claim)
        if not set(due) <= set(claim.paid):
            return
        if claim.committed > 0:
            self._entry(claim, "release", claim.committed, None, at, note="settled")
            claim.committed = ZERO
        if claim.status == "active":
            short = claim.ended_known and len(due) < (claim.rules.max_months or 0)
            self._move(claim, "terminate" if short else "complete",
                       "terminated" if short else "completed", None, at,
                       claim.job.reason or "" if short else "")

    def _end_if_known(self, claim, moment: datetime) -> None:
        """Once the employer records the end: a paid month after it is clawed back, the claim
        terminates and keeps only the worked months' money."""
        job = claim.job
        if claim.ended_known or not self._end_known(job, moment):
            return
        claim.ended_known = True
        if claim.status not in ("approved", "active"):
            return
        at = job.end_recorded
        for month, amount in sorted(claim.paid.items()):
            if month > job.end_date:
                self._entry(claim, "clawback", amount, claim.owner, at, month=month,
                            note="paid for a month after the employment ended")
        self._move(claim, "terminate", "terminated", claim.owner, at, job.reason or "")
        unpaid = [m for m in self._due(claim) if m not in claim.paid]
        excess = claim.committed - (claim.monthly or ZERO) * len(unpaid)
        if excess > 0:
            self._entry(claim, "release", excess, claim.owner, at, note="employment ended early")
            claim.committed -= excess

    # --- rows
    def _move(self, claim, action, status, actor, at, reason="") -> None:
        self._event(claim, action, claim.status, status, actor, at, reason)
        claim.status, claim.updated = status, at
        self.scale.audit.add(f"claim:{action}", "claim", claim.id, actor, at, to=status)

    def _event(self, claim, action, before, after, actor, at, reason="") -> None:
        self.rows["claim_event"].append((self.scale.writer.next_id("claim_event"), claim.id,
                                         action, before, after, actor, reason, at))

    def _approval(self, claim, staff, at, reason) -> None:
        self.rows["claim_approval"].append((self.scale.writer.next_id("claim_approval"),
                                            claim.id, staff, claim.review_round, reason, at))

    def _entry(self, claim, kind, amount, actor, at, *, month=None, note="") -> None:
        key = (claim.programme.id, claim.region_id)
        if kind == "reserve":
            self.reserved[key] = self.reserved.get(key, ZERO) + amount
        entry_id = self.scale.writer.next_id("budget_entry")
        self.rows["budget_entry"].append((entry_id, key, kind, amount, claim.id, month, actor,
                                          note, at))
        self.scale.audit.add(f"budget:{kind}", "budget_entry", entry_id, actor, at,
                             amount=str(amount), claim=claim.id)

    def _tell(self, claim, kind, at, **params) -> None:
        organisation = claim.job.hired.opening.organisation
        names = dict(zip(("kk", "ru", "en"), claim.programme.names, strict=True))
        for user_id in (organisation.owner_id, *organisation.member_ids):
            self.scale.notes.add(user_id, kind, {"programme": names, **params},
                                 self.link.format(claim.id), at)

    def _run(self, month, run_day, at, amount) -> int:
        run = self.runs.setdefault((month, run_day), [self.scale.writer.next_id("payment_run"),
                                                      at, 0, ZERO])
        run[2], run[3] = run[2] + 1, run[3] + amount
        return run[0]

    def _file(self, claim, at) -> int:
        """One pension-proof scan per organisation stands in for each month's upload."""
        organisation = claim.job.hired.opening.organisation
        if organisation.id not in self.files:
            self.files[organisation.id] = self.scale.writer.next_id("stored_file")
            key = f"{self.rng.getrandbits(128):032x}"
            self.rows["stored_file"].append((self.files[organisation.id], claim.owner, key, at))
        return self.files[organisation.id]

    def _document_code(self) -> str:
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        while (body := "".join(self.rng.choices(alphabet, k=12))) in self.codes:
            pass
        self.codes.add(body)
        return f"{body[:4]}-{body[4:8]}-{body[8:]}"

    def _store(self, claim, opened) -> None:
        job = claim.job
        self.rows["claim"].append((
            claim.id, job.id, claim.programme.id, claim.region_id, claim.version_id,
            job.hired.opening.organisation.id, claim.status, claim.monthly, claim.months,
            claim.total, True if claim.submitted else None, claim.owner,
            claim.owner if claim.submitted else None, claim.review_round, claim.decided_at,
            claim.reason, claim.code, opened, claim.updated or opened))
