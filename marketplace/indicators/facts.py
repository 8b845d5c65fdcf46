"""What the indicators count, read with plain queries and assembled in Python, so the same code
runs on SQLite and PostgreSQL (no date functions in SQL: months are cut in Python).

These rows are the definition of every indicator. Pages do not read them per request: `flask
indicators refresh` (aggregates.py) counts them once for every region and stores them; the
dashboard adds up the stored sums. `services.compute_dashboard` still computes straight from
here, which the tests use to check the stored figures against.

Timestamps are counted in the month of their UTC date; plain dates (hire start, release, payment
month) in their own month.
"""

from calendar import monthrange
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import cached_property

from sqlalchemy import select, true

from marketplace.auth.models import User
from marketplace.candidates.models import CandidateProfile
from marketplace.cases.models import CheckIn, CheckInOutcome, ReleaseRecord, Reoffence
from marketplace.dates import add_months
from marketplace.employers.models import EmployerOrganisation, Vacancy, VacancyStatus
from marketplace.extensions import db
from marketplace.hiring.models import Application, Employment, EmploymentStatus
from marketplace.incentives.models import (
    BudgetAccount,
    BudgetEntry,
    Claim,
    ClaimStatus,
    EntryKind,
    Payment,
)

HIRED = (EmploymentStatus.CONFIRMED, EmploymentStatus.ENDED)
# A claim that was granted: the hire it covers is a subsidised one.
SUBSIDISING = (ClaimStatus.APPROVED, ClaimStatus.ACTIVE, ClaimStatus.COMPLETED,
               ClaimStatus.TERMINATED)
SUBSIDY_ENDED = (ClaimStatus.COMPLETED, ClaimStatus.TERMINATED)
ZERO = Decimal("0.00")


# ----------------------------------------------------------------------------- months
def month_of(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=monthrange(day.year, day.month)[1])


def start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


@dataclass(frozen=True)
class Period:
    """Whole months from `first` to `last` (both the first day of their month)."""

    first: date
    last: date

    @cached_property
    def end(self) -> date:
        return month_end(self.last)

    @property
    def months(self) -> tuple[date, ...]:
        count = (self.last.year - self.first.year) * 12 + self.last.month - self.first.month
        return tuple(add_months(self.first, n) for n in range(count + 1))

    def contains(self, day: date | None) -> bool:
        return day is not None and self.first <= day <= self.end


# ----------------------------------------------------------------------------- rows
@dataclass(frozen=True, slots=True)
class Row:
    """One counted item: what the list behind a figure shows, and what the figure is made of.
    `subject` identifies the person or organisation, for indicators that count each once."""

    region_id: int | None
    month: date
    subject: str
    name: str = ""
    on: date | None = None           # the dated event: registered, started, occurred…
    employer: str = ""
    detail: str = ""
    measure: int | None = None       # for medians: days, a satisfaction score
    stage: int | None = None         # a check-in's months after the hire
    checkpoint: date | None = None   # for retention: the day the employment is looked at
    hit: bool | None = None          # for rates: counted in the numerator
    amount: Decimal | None = None    # for money
    claim_ids: tuple[int, ...] = ()
    # Who and what the row is about, so that a stored row can show its names again.
    profile_id: int | None = None
    organisation_id: int | None = None
    vacancy_id: int | None = None    # an application's vacancy (its title is the detail)


@dataclass(frozen=True)
class Hire:
    """A confirmed employment (ended ones included) with what the indicators need of it."""

    employment_id: int
    profile_id: int
    candidate: str
    candidate_region_id: int | None
    organisation_id: int
    organisation: str
    employer_region_id: int
    start_date: date
    end_date: date | None
    # The earliest check-in (months after the start) at which staff recorded "left": the
    # person had left by then even when the employer never recorded an end.
    left_by_months: int | None
    claim_ids: tuple[int, ...]

    @property
    def subsidised(self) -> bool:
        return bool(self.claim_ids)

    def employed_on(self, day: date) -> bool:
        if day < self.start_date or (self.end_date is not None and self.end_date < day):
            return False
        return self.left_by_months is None or add_months(self.start_date,
                                                         self.left_by_months) > day


def _in_regions(column, region_ids):
    return true() if region_ids is None else column.in_(region_ids)


class Facts:
    """The rows of one scope (regions; None = all) and period, each read once per request."""

    def __init__(self, region_ids: frozenset[int] | None, period: Period, today: date):
        self.region_ids, self.period, self.today = region_ids, period, today

    # ---- shared readings
    def _hires(self, region_column) -> list[Hire]:
        query = (select(Employment.id, Application.profile_id, User.full_name,
                        CandidateProfile.region_id, EmployerOrganisation.id,
                        EmployerOrganisation.name, EmployerOrganisation.region_id,
                        Employment.start_date, Employment.end_date)
                 .select_from(Employment)
                 .join(Application, Application.id == Employment.application_id)
                 .join(CandidateProfile, CandidateProfile.id == Application.profile_id)
                 .join(User, User.id == CandidateProfile.user_id)
                 .join(Vacancy, Vacancy.id == Application.vacancy_id)
                 .join(EmployerOrganisation, EmployerOrganisation.id == Vacancy.organisation_id)
                 .where(Employment.status.in_(HIRED), Employment.start_date <= self.period.end,
                        _in_regions(region_column, self.region_ids))
                 .order_by(Employment.start_date, Employment.id))
        left, claims = self._left_check_ins, self._subsidising_claims
        return [Hire(*row, left_by_months=left.get(row[0]),
                     claim_ids=tuple(claims.get(row[0], ())))
                for row in db.session.execute(query)]

    @cached_property
    def hires(self) -> list[Hire]:
        """Hires of the scope's candidates (people are counted where they are registered)."""
        return self._hires(CandidateProfile.region_id)

    @cached_property
    def employer_hires(self) -> list[Hire]:
        return self._hires(EmployerOrganisation.region_id)

    @cached_property
    def _left_check_ins(self) -> dict[int, int]:
        query = (select(CheckIn.employment_id, CheckIn.months_after)
                 .where(CheckIn.outcome == CheckInOutcome.LEFT))
        earliest: dict[int, int] = {}
        for employment_id, months in db.session.execute(query):
            earliest[employment_id] = min(months, earliest.get(employment_id, months))
        return earliest

    @cached_property
    def _subsidising_claims(self) -> dict[int, list[int]]:
        by_employment = defaultdict(list)
        query = (select(Claim.employment_id, Claim.id).where(Claim.status.in_(SUBSIDISING))
                 .order_by(Claim.id))
        for employment_id, claim_id in db.session.execute(query):
            by_employment[employment_id].append(claim_id)
        return by_employment

    @cached_property
    def net_spend_by_claim(self) -> dict[int, Decimal]:
        """Payments minus clawbacks, to date, summed exactly in Python (SQLite sums floats)."""
        spend: dict[int, Decimal] = defaultdict(lambda: ZERO)
        query = (select(BudgetEntry.claim_id, BudgetEntry.kind, BudgetEntry.amount)
                 .where(BudgetEntry.kind.in_((EntryKind.PAYMENT, EntryKind.CLAWBACK)),
                        BudgetEntry.claim_id.is_not(None)))
        for claim_id, kind, amount in db.session.execute(query):
            spend[claim_id] += amount if kind is EntryKind.PAYMENT else -amount
        return spend

    def _timestamp_range(self, column):
        return (column >= start_of(self.period.first),
                column < start_of(self.period.end + timedelta(days=1)))

    # ---- candidates
    def registered(self) -> list[Row]:
        query = (select(CandidateProfile.id, CandidateProfile.region_id, User.full_name,
                        CandidateProfile.created_at)
                 .join(User, User.id == CandidateProfile.user_id)
                 .where(*self._timestamp_range(CandidateProfile.created_at),
                        _in_regions(CandidateProfile.region_id, self.region_ids))
                 .order_by(CandidateProfile.created_at, CandidateProfile.id))
        return [Row(region_id, month_of(at.date()), f"profile:{pid}", name=name, on=at.date(),
                    profile_id=pid)
                for pid, region_id, name, at in db.session.execute(query)]

    def verified(self) -> list[Row]:
        query = (select(CandidateProfile.id, CandidateProfile.region_id, User.full_name,
                        ReleaseRecord.verified_at)
                 .join(CandidateProfile, CandidateProfile.id == ReleaseRecord.profile_id)
                 .join(User, User.id == CandidateProfile.user_id)
                 .where(*self._timestamp_range(ReleaseRecord.verified_at),
                        _in_regions(CandidateProfile.region_id, self.region_ids))
                 .order_by(ReleaseRecord.verified_at, ReleaseRecord.id))
        return [Row(region_id, month_of(at.date()), f"profile:{pid}", name=name, on=at.date(),
                    profile_id=pid)
                for pid, region_id, name, at in db.session.execute(query)]

    def applications(self) -> list[Row]:
        query = (select(Application.id, CandidateProfile.region_id, User.full_name,
                        Application.created_at, Vacancy.title, EmployerOrganisation.name,
                        Application.profile_id, Vacancy.id, EmployerOrganisation.id)
                 .join(CandidateProfile, CandidateProfile.id == Application.profile_id)
                 .join(User, User.id == CandidateProfile.user_id)
                 .join(Vacancy, Vacancy.id == Application.vacancy_id)
                 .join(EmployerOrganisation, EmployerOrganisation.id == Vacancy.organisation_id)
                 .where(*self._timestamp_range(Application.created_at),
                        _in_regions(CandidateProfile.region_id, self.region_ids))
                 .order_by(Application.created_at, Application.id))
        return [Row(region_id, month_of(at.date()), f"application:{aid}", name=name,
                    on=at.date(), employer=employer, detail=title, profile_id=pid,
                    organisation_id=org_id, vacancy_id=vacancy_id)
                for aid, region_id, name, at, title, employer, pid, vacancy_id, org_id
                in db.session.execute(query)]

    def reoffences(self, kind) -> list[Row]:
        query = (select(Reoffence.id, CandidateProfile.region_id, User.full_name,
                        Reoffence.occurred_on, Reoffence.profile_id)
                 .join(CandidateProfile, CandidateProfile.id == Reoffence.profile_id)
                 .join(User, User.id == CandidateProfile.user_id)
                 .where(Reoffence.kind == kind,
                        Reoffence.occurred_on.between(self.period.first, self.period.end),
                        _in_regions(CandidateProfile.region_id, self.region_ids))
                 .order_by(Reoffence.occurred_on, Reoffence.id))
        return [Row(region_id, month_of(on), f"reoffence:{rid}", name=name, on=on,
                    profile_id=pid)
                for rid, region_id, name, on, pid in db.session.execute(query)]

    # ---- hires
    def _hire_row(self, hire: Hire, month: date, **fields) -> Row:
        return Row(hire.candidate_region_id, month, f"employment:{hire.employment_id}",
                   name=hire.candidate, on=hire.start_date, employer=hire.organisation,
                   claim_ids=hire.claim_ids, profile_id=hire.profile_id,
                   organisation_id=hire.organisation_id, **fields)

    def started(self, subsidised: bool | None = None) -> list[Row]:
        """Hires by start month; optionally only the (un)subsidised ones."""
        return [self._hire_row(h, month_of(h.start_date)) for h in self.hires
                if self.period.contains(h.start_date)
                and (subsidised is None or h.subsidised == subsidised)]

    def retention(self, months: int, *, subsidised_only: bool = False) -> list[Row]:
        """Hires whose N-month point fell in the period and has passed, each with whether the
        person was still employed that day; counted in the month of that point."""
        rows = []
        for hire in self.hires:
            checkpoint = add_months(hire.start_date, months)
            if (self.period.contains(checkpoint) and checkpoint <= self.today
                    and (hire.subsidised or not subsidised_only)):
                rows.append(self._hire_row(hire, month_of(checkpoint), checkpoint=checkpoint,
                                           hit=hire.employed_on(checkpoint)))
        return rows

    def cost_per_retained_job(self) -> list[Row]:
        """Subsidised hires at their 6-month point, with the net subsidy paid for them."""
        spend = self.net_spend_by_claim
        return [replace(row, amount=sum((spend[c] for c in row.claim_ids), ZERO))
                for row in self.retention(6, subsidised_only=True)]

    def first_job(self, since: dict[int, date]) -> list[Row]:
        """Each person's first hire starting on or after their date in `since`, counted in
        the month it started, with the days in between."""
        first: dict[int, Hire] = {}
        for hire in self.hires:  # ordered by start date
            begin = since.get(hire.profile_id)
            if begin is not None and hire.start_date >= begin and hire.profile_id not in first:
                first[hire.profile_id] = hire
        return [self._hire_row(h, month_of(h.start_date),
                               measure=(h.start_date - since[h.profile_id]).days)
                for h in first.values() if self.period.contains(h.start_date)]

    def release_dates(self) -> dict[int, date]:
        query = (select(ReleaseRecord.profile_id, ReleaseRecord.release_date)
                 .join(CandidateProfile, CandidateProfile.id == ReleaseRecord.profile_id)
                 .where(_in_regions(CandidateProfile.region_id, self.region_ids)))
        return dict(db.session.execute(query).all())

    def registration_dates(self) -> dict[int, date]:
        query = (select(CandidateProfile.id, CandidateProfile.created_at)
                 .where(_in_regions(CandidateProfile.region_id, self.region_ids)))
        return {pid: at.date() for pid, at in db.session.execute(query)}

    def satisfaction(self) -> list[Row]:
        """Check-ins recorded in the period with the person's satisfaction score."""
        query = (select(CheckIn.id, CandidateProfile.region_id, User.full_name,
                        EmployerOrganisation.name, CheckIn.months_after, CheckIn.recorded_at,
                        CheckIn.outcome, CheckIn.satisfaction, Application.profile_id,
                        EmployerOrganisation.id)
                 .join(Employment, Employment.id == CheckIn.employment_id)
                 .join(Application, Application.id == Employment.application_id)
                 .join(CandidateProfile, CandidateProfile.id == Application.profile_id)
                 .join(User, User.id == CandidateProfile.user_id)
                 .join(Vacancy, Vacancy.id == Application.vacancy_id)
                 .join(EmployerOrganisation, EmployerOrganisation.id == Vacancy.organisation_id)
                 .where(CheckIn.satisfaction.is_not(None),
                        *self._timestamp_range(CheckIn.recorded_at),
                        _in_regions(CandidateProfile.region_id, self.region_ids))
                 .order_by(CheckIn.recorded_at, CheckIn.id))
        return [Row(region_id, month_of(at.date()), f"check_in:{cid}", name=name, on=at.date(),
                    employer=employer, stage=months, detail=outcome.value if outcome else "",
                    measure=score, profile_id=pid, organisation_id=org_id)
                for cid, region_id, name, employer, months, at, outcome, score, pid, org_id
                in db.session.execute(query)]

    # ---- after the subsidy
    def _subsidy_end_by_employment(self) -> dict[int, tuple[date, tuple[int, ...]]]:
        """Employments whose every granted claim has ended (completed or terminated) and was
        paid at least once: the last paid month and the claims."""
        claims = db.session.execute(select(Claim.id, Claim.employment_id, Claim.status)
                                    .where(Claim.status.in_(SUBSIDISING))).all()
        last_paid: dict[int, date] = {}
        for claim_id, month in db.session.execute(select(Payment.claim_id, Payment.month)):
            last_paid[claim_id] = max(month, last_paid.get(claim_id, month))
        by_employment: dict[int, list] = defaultdict(list)
        for claim_id, employment_id, status in claims:
            by_employment[employment_id].append((claim_id, status))
        ended = {}
        for employment_id, items in by_employment.items():
            months = [last_paid[c] for c, _ in items if c in last_paid]
            if months and all(status in SUBSIDY_ENDED for _, status in items):
                ended[employment_id] = (max(months), tuple(c for c, _ in items))
        return ended

    def after_subsidy(self, quarters: int) -> list[Row]:
        """People whose subsidy ended, looked at on the last day of the month `quarters`
        quarters after the last paid month (in the period, and passed): employed anywhere?"""
        ended = self._subsidy_end_by_employment()
        by_person: dict[int, list[Hire]] = defaultdict(list)
        for hire in self.hires:
            by_person[hire.profile_id].append(hire)
        rows = []
        for hire in self.hires:
            if hire.employment_id not in ended:
                continue
            last_paid, claim_ids = ended[hire.employment_id]
            checkpoint = month_end(add_months(last_paid, 3 * quarters))
            if self.period.contains(checkpoint) and checkpoint <= self.today:
                employed = any(h.employed_on(checkpoint) for h in by_person[hire.profile_id])
                rows.append(Row(hire.candidate_region_id, month_of(checkpoint),
                                f"employment:{hire.employment_id}", name=hire.candidate,
                                on=month_end(last_paid), employer=hire.organisation,
                                checkpoint=checkpoint, hit=employed, claim_ids=claim_ids,
                                profile_id=hire.profile_id,
                                organisation_id=hire.organisation_id))
        return rows

    # ---- money
    def spend(self) -> list[Row]:
        """Ledger payments (+) and clawbacks (−) for months in the period, by budget region."""
        query = (select(BudgetEntry.id, BudgetAccount.region_id, BudgetEntry.kind,
                        BudgetEntry.amount, BudgetEntry.month, BudgetEntry.claim_id,
                        EmployerOrganisation.name, EmployerOrganisation.id)
                 .join(BudgetAccount, BudgetAccount.id == BudgetEntry.account_id)
                 .outerjoin(Claim, Claim.id == BudgetEntry.claim_id)
                 .outerjoin(EmployerOrganisation, EmployerOrganisation.id == Claim.organisation_id)
                 .where(BudgetEntry.kind.in_((EntryKind.PAYMENT, EntryKind.CLAWBACK)),
                        BudgetEntry.month.between(self.period.first, self.period.end),
                        _in_regions(BudgetAccount.region_id, self.region_ids))
                 .order_by(BudgetEntry.month, BudgetEntry.id))
        return [Row(region_id, month_of(month), f"entry:{eid}", on=month, employer=org or "",
                    detail=kind.value, amount=amount if kind is EntryKind.PAYMENT else -amount,
                    claim_ids=(claim_id,) if claim_id else (), organisation_id=org_id)
                for eid, region_id, kind, amount, month, claim_id, org, org_id
                in db.session.execute(query)]

    def budget_accounts(self) -> list[BudgetAccount]:
        return list(db.session.scalars(
            select(BudgetAccount).where(_in_regions(BudgetAccount.region_id, self.region_ids))
            .order_by(BudgetAccount.region_id, BudgetAccount.programme_id)))

    # ---- employers
    def _vacancy_open_spans(self):
        """(organisation, region, name, open from, open until or None) of published vacancies.
        A vacancy keeps no closing time: a hidden one closed when hidden, a closed or filled
        one at its last change."""
        query = (select(EmployerOrganisation.id, EmployerOrganisation.region_id,
                        EmployerOrganisation.name, Vacancy.status, Vacancy.published_at,
                        Vacancy.updated_at, Vacancy.hidden_at)
                 .join(EmployerOrganisation, EmployerOrganisation.id == Vacancy.organisation_id)
                 .where(Vacancy.published_at.is_not(None),
                        Vacancy.published_at < start_of(self.period.end + timedelta(days=1)),
                        _in_regions(EmployerOrganisation.region_id, self.region_ids)))
        for org_id, region_id, name, status, published, updated, hidden in db.session.execute(
                query):
            if hidden is not None:
                until = hidden.date()
            elif status is VacancyStatus.OPEN:
                until = None
            else:
                until = updated.date()
            yield org_id, region_id, name, published.date(), until

    def employers(self) -> list[Row]:
        """One row per organisation and month in which it had an open vacancy or a hire start."""
        found: dict[tuple[int, date], dict] = {}

        def note(org_id, region_id, name, month, reason):
            entry = found.setdefault((org_id, month), {"region": region_id, "name": name,
                                                      "reasons": set()})
            entry["reasons"].add(reason)

        for org_id, region_id, name, opened, until in self._vacancy_open_spans():
            # The months the vacancy was open in (opened by the month's end, not closed before
            # its first day), within the period.
            month = max(month_of(opened), self.period.first)
            last = self.period.last if until is None else min(month_of(until), self.period.last)
            while month <= last:
                note(org_id, region_id, name, month, "vacancy")
                month = add_months(month, 1)
        for hire in self.employer_hires:
            if self.period.contains(hire.start_date):
                note(hire.organisation_id, hire.employer_region_id, hire.organisation,
                     month_of(hire.start_date), "hire")
        return [Row(entry["region"], month, f"organisation:{org_id}", employer=entry["name"],
                    detail=" ".join(sorted(entry["reasons"])), organisation_id=org_id)
                for (org_id, month), entry in sorted(found.items(),
                                                     key=lambda item: (item[0][1], item[0][0]))]
