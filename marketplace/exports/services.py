"""What can be exported, by whom, and the export jobs that hold the results.

Every export is a header and a stream of rows. Lists of records (`ListExport`) page through one
table by id; tables computed in one go (`TableExport`: the open-data aggregates, the indicator
table) are built whole. Staff export their own region only, admins every region:

- people's records follow the candidate's region (candidates, applications, hires, check-ins,
  caseload), as staff of that region follow the person;
- money follows the claim's region, the job centre that reviews it and whose budget pays it
  (claims, claim months, payments);
- organisations and vacancies follow their own region;
- the audit log is for admins only (an actor's region says little about the object acted on);
- the indicator table is the dashboard's, for the staff member's region or every region;
- the open-data table is anonymised and built for publication, so staff get every region.

No export carries restriction, release or conviction data, nor the IIN, nor contact details:
a file leaves the system, so it holds only what the job centre's lists need.
"""

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select, true
from sqlalchemy.orm import selectinload

from marketplace.audit.models import AuditEvent
from marketplace.audit.services import record
from marketplace.auth.models import Role, User
from marketplace.candidates.models import CandidateProfile
from marketplace.cases.models import Case, CheckIn, ExportJob
from marketplace.employers.models import EmployerOrganisation, Vacancy
from marketplace.extensions import db
from marketplace.hiring.models import Application, Employment
from marketplace.i18n import current_language
from marketplace.incentives.models import Claim, ClaimMonth, Payment
from marketplace.reference.models import Region

FORMATS = ("csv", "xlsx")
EXPORTER_ROLES = (Role.STAFF, Role.ADMIN)
ALL_REGIONS = None  # the scope of an admin
BATCH_ROWS = 500    # records read per query
RECENT_JOBS = 20


@dataclass(frozen=True)
class Output:
    header: list[str]
    total: int
    rows: Iterator[tuple]


@dataclass(frozen=True)
class Column:
    header: Any                      # a lazy translated string
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class ListExport:
    """One row per record of `model`; `in_region` keeps the records of one region."""

    kind: str
    title: Any
    model: type
    columns: tuple[Column, ...]
    in_region: Callable[[int], Any] | None = None   # region id → WHERE clause
    options: tuple = ()
    admin_only: bool = False
    formats: tuple[str, ...] = FORMATS
    description: Any = None

    def header(self) -> list[str]:
        return [str(column.header) for column in self.columns]

    def query(self, region_id: int | None) -> Select:
        query = select(self.model)
        if region_id is not ALL_REGIONS:
            query = query.where(self.in_region(region_id))
        return query

    def produce(self, region_id: int | None) -> Output:
        total = db.session.scalar(select(func.count()).select_from(
            self.query(region_id).subquery()))
        return Output(self.header(), total, self._rows(region_id))

    def _rows(self, region_id: int | None) -> Iterator[tuple]:
        """Pages by id, so a job may commit its progress between pages without breaking a
        cursor. Each page becomes plain values before the first of its rows is handed out."""
        last_id = 0
        while True:
            page = list(db.session.scalars(
                self.query(region_id).where(self.model.id > last_id)
                .order_by(self.model.id).limit(BATCH_ROWS).options(*self.options)))
            if not page:
                return
            last_id = page[-1].id
            values = [tuple(column.value(item) for column in self.columns) for item in page]
            yield from values


@dataclass(frozen=True)
class TableExport:
    """A table computed whole: `build(region id or None)` → header and rows."""

    kind: str
    title: Any
    build: Callable[[int | None], tuple[list[str], list[tuple]]]
    admin_only: bool = False
    formats: tuple[str, ...] = FORMATS
    description: Any = None

    def produce(self, region_id: int | None) -> Output:
        header, rows = self.build(region_id)
        return Output(header, len(rows), iter(rows))


# Region filters -------------------------------------------------------------------------------

def _profiles_in(region_id: int):
    return select(CandidateProfile.id).where(CandidateProfile.region_id == region_id)


def _employments_in(region_id: int):
    return (select(Employment.id).join(Application, Employment.application_id == Application.id)
            .where(Application.profile_id.in_(_profiles_in(region_id))))


def _claims_in(region_id: int):
    return select(Claim.id).where(Claim.region_id == region_id)


# Cell values ----------------------------------------------------------------------------------

def _name(reference) -> str:
    return reference.name if reference is not None else ""


def _person(profile: CandidateProfile) -> str:
    return profile.user.full_name


def _manager(case: Case) -> str:
    return case.manager.full_name if case.manager is not None else ""


def _details(event: AuditEvent) -> str:
    return json.dumps(event.details or {}, ensure_ascii=False, sort_keys=True, default=str)


_APPLICATION_PEOPLE = (selectinload(Application.profile).selectinload(CandidateProfile.user),
                       selectinload(Application.vacancy).selectinload(Vacancy.organisation))
_EMPLOYMENT_PEOPLE = tuple(selectinload(Employment.application).options(option)
                           for option in _APPLICATION_PEOPLE)


# The registry ---------------------------------------------------------------------------------

def _list_exports() -> tuple[ListExport, ...]:
    return (
        ListExport("candidates", _l("Candidates"), CandidateProfile, (
            Column(_l("Candidate no."), lambda p: p.id),
            Column(_l("Full name"), _person),
            Column(_l("Region"), lambda p: _name(p.region)),
            Column(_l("Town"), lambda p: _name(p.city)),
            Column(_l("Desired job"), lambda p: p.desired_title),
            Column(_l("Years of experience"), lambda p: p.experience_years),
            Column(_l("Visible to employers"), lambda p: p.discoverable),
            Column(_l("Registered (UTC)"), lambda p: p.created_at),
        ), lambda r: CandidateProfile.region_id == r, (selectinload(CandidateProfile.user),
                            selectinload(CandidateProfile.region),
                            selectinload(CandidateProfile.city))),
        ListExport("applications", _l("Applications"), Application, (
            Column(_l("Application no."), lambda a: a.id),
            Column(_l("Applied (UTC)"), lambda a: a.created_at),
            Column(_l("Status"), lambda a: a.status),
            Column(_l("Candidate no."), lambda a: a.profile_id),
            Column(_l("Candidate"), lambda a: _person(a.profile)),
            Column(_l("Vacancy no."), lambda a: a.vacancy_id),
            Column(_l("Vacancy"), lambda a: a.vacancy.title),
            Column(_l("Organisation"), lambda a: a.vacancy.organisation.name),
            Column(_l("Invited by the employer"), lambda a: a.via_invitation),
            Column(_l("Rejection reason"), lambda a: a.rejection_reason),
            Column(_l("Last change (UTC)"), lambda a: a.updated_at),
        ), lambda r: Application.profile_id.in_(_profiles_in(r)), _APPLICATION_PEOPLE),
        ListExport("hires", _l("Hires"), Employment, (
            Column(_l("Hire no."), lambda e: e.id),
            Column(_l("Candidate no."), lambda e: e.application.profile_id),
            Column(_l("Candidate"), lambda e: _person(e.application.profile)),
            Column(_l("Organisation"), lambda e: e.application.vacancy.organisation.name),
            Column(_l("Job"), lambda e: e.application.vacancy.title),
            Column(_l("Status"), lambda e: e.status),
            Column(_l("Start date"), lambda e: e.start_date),
            Column(_l("End date"), lambda e: e.end_date),
            Column(_l("Contract"), lambda e: e.contract_type),
            Column(_l("Monthly wage, KZT"), lambda e: e.monthly_wage),
            Column(_l("Hours a week"), lambda e: e.hours_per_week),
        ), lambda r: Employment.id.in_(_employments_in(r)), _EMPLOYMENT_PEOPLE),
        ListExport("claims", _l("Subsidy claims"), Claim, (
            Column(_l("Claim no."), lambda c: c.id),
            Column(_l("Programme"), lambda c: c.programme.code),
            Column(_l("Organisation"), lambda c: c.organisation.name),
            Column(_l("Hire no."), lambda c: c.employment_id),
            Column(_l("Status"), lambda c: c.status),
            Column(_l("Monthly amount, KZT"), lambda c: c.monthly_amount),
            Column(_l("Months"), lambda c: c.months),
            Column(_l("Total amount, KZT"), lambda c: c.total_amount),
            Column(_l("Opened (UTC)"), lambda c: c.created_at),
            Column(_l("Decided (UTC)"), lambda c: c.decided_at),
        ), lambda r: Claim.region_id == r,
            (selectinload(Claim.programme), selectinload(Claim.organisation))),
        ListExport("claim_months", _l("Monthly confirmations"), ClaimMonth, (
            Column(_l("Confirmation no."), lambda m: m.id),
            Column(_l("Claim no."), lambda m: m.claim_id),
            Column(_l("Month"), lambda m: m.month.strftime("%Y-%m")),
            Column(_l("Hours worked"), lambda m: m.hours_worked),
            Column(_l("Wage paid, KZT"), lambda m: m.wage_paid),
            Column(_l("Status"), lambda m: m.status),
            Column(_l("Amount, KZT"), lambda m: m.amount),
            Column(_l("Submitted (UTC)"), lambda m: m.submitted_at),
            Column(_l("Decided (UTC)"), lambda m: m.decided_at),
        ), lambda r: ClaimMonth.claim_id.in_(_claims_in(r))),
        ListExport("payments", _l("Payments"), Payment, (
            Column(_l("Payment no."), lambda p: p.id),
            Column(_l("Claim no."), lambda p: p.claim_id),
            Column(_l("Organisation"), lambda p: p.claim.organisation.name),
            Column(_l("Month"), lambda p: p.month.strftime("%Y-%m")),
            Column(_l("Amount, KZT"), lambda p: p.amount),
            Column(_l("Payment run no."), lambda p: p.run_id),
            Column(_l("Paid (UTC)"), lambda p: p.created_at),
        ), lambda r: Payment.claim_id.in_(_claims_in(r)),
            (selectinload(Payment.claim).selectinload(Claim.organisation),)),
        ListExport("check_ins", _l("Retention check-ins"), CheckIn, (
            Column(_l("Check-in no."), lambda c: c.id),
            Column(_l("Hire no."), lambda c: c.employment_id),
            Column(_l("Candidate"), lambda c: _person(c.employment.application.profile)),
            Column(_l("Months after the hire"), lambda c: c.months_after),
            Column(_l("Due on"), lambda c: c.due_on),
            Column(_l("Outcome"), lambda c: c.outcome),
            Column(_l("Reason for leaving"), lambda c: c.left_reason),
            Column(_l("Satisfaction (0–10)"), lambda c: c.satisfaction),
            Column(_l("Recorded (UTC)"), lambda c: c.recorded_at),
        ), lambda r: CheckIn.employment_id.in_(_employments_in(r)),
            (selectinload(CheckIn.employment).options(*_EMPLOYMENT_PEOPLE),)),
        ListExport("caseload", _l("Caseload"), Case, (
            Column(_l("Case no."), lambda c: c.id),
            Column(_l("Candidate no."), lambda c: c.profile_id),
            Column(_l("Candidate"), lambda c: _person(c.profile)),
            Column(_l("Case manager"), _manager),
            Column(_l("Last contact (UTC)"), lambda c: c.last_contact_at),
            Column(_l("Next step"), lambda c: c.next_step),
            Column(_l("Consent to act on their behalf (UTC)"), lambda c: c.consent_at),
            Column(_l("Opened (UTC)"), lambda c: c.opened_at),
        ), lambda r: Case.profile_id.in_(_profiles_in(r)),
            (selectinload(Case.profile).selectinload(CandidateProfile.user),
             selectinload(Case.manager))),
        ListExport("organisations", _l("Employer organisations"), EmployerOrganisation, (
            Column(_l("Organisation no."), lambda o: o.id),
            Column(_l("BIN"), lambda o: o.bin),
            Column(_l("Name"), lambda o: o.name),
            Column(_l("Region"), lambda o: _name(o.region)),
            Column(_l("Sector"), lambda o: _name(o.sector)),
            Column(_l("Verification"), lambda o: o.status),
            Column(_l("Fair-chance pledge"), lambda o: o.fair_chance_pledge),
            Column(_l("Registered (UTC)"), lambda o: o.created_at),
            Column(_l("Verified (UTC)"), lambda o: o.verified_at),
        ), lambda r: EmployerOrganisation.region_id == r,
            (selectinload(EmployerOrganisation.region),
             selectinload(EmployerOrganisation.sector))),
        ListExport("vacancies", _l("Vacancies"), Vacancy, (
            Column(_l("Vacancy no."), lambda v: v.id),
            Column(_l("Title"), lambda v: v.title),
            Column(_l("Organisation"), lambda v: v.organisation.name),
            Column(_l("Region"), lambda v: _name(v.region)),
            Column(_l("Status"), lambda v: v.status),
            Column(_l("Schedule"), lambda v: v.schedule),
            Column(_l("Positions"), lambda v: v.positions),
            Column(_l("Salary from, KZT"), lambda v: v.salary_min),
            Column(_l("Salary to, KZT"), lambda v: v.salary_max),
            Column(_l("Heavy or hazardous work"), lambda v: v.hazardous),
            Column(_l("Hidden by the job centre"), lambda v: v.hidden),
            Column(_l("Created (UTC)"), lambda v: v.created_at),
            Column(_l("Published (UTC)"), lambda v: v.published_at),
        ), lambda r: Vacancy.region_id == r,
            (selectinload(Vacancy.organisation), selectinload(Vacancy.region))),
        ListExport("audit", _l("Audit log"), AuditEvent, (
            Column(_l("Event no."), lambda e: e.id),
            Column(_l("Time (UTC)"), lambda e: e.created_at),
            Column(_l("Actor no."), lambda e: e.actor_id),
            Column(_l("Action"), lambda e: e.action),
            Column(_l("Object type"), lambda e: e.object_type),
            Column(_l("Object no."), lambda e: e.object_id),
            Column(_l("Details"), _details),
        ), admin_only=True),
    )


def _indicator_table(region_id: int | None) -> tuple[list[str], list[tuple]]:
    """The dashboard's indicators for the last 12 months, one row per region and month (the
    region's own for staff), from the same stored aggregates as the dashboard. Rates are
    percentages; empty where there is nothing to divide."""
    from marketplace.indicators import board
    from marketplace.indicators import services as indicators

    board.counted_or_raise()
    period = indicators.default_period(date.today())
    figures = board.figures_by_region_and_month(
        None if region_id is ALL_REGIONS else frozenset({region_id}), period)
    regions = db.session.scalars(select(Region).order_by(Region.code).where(
        true() if region_id is ALL_REGIONS else Region.id == region_id)).all()
    header = [str(_l("Month")), str(_l("Region code")), str(_l("Region"))] + [
        f"{indicator.title} (%)" if indicator.kind == indicators.RATE else str(indicator.title)
        for indicator in indicators.INDICATORS.values()]
    rows = [(f"{month:%Y-%m}", region.code, region.name, *(
        _figure(indicators, indicator, figures.get((key, region.id, month)))
        for key, indicator in indicators.INDICATORS.items()))
        for region in regions for month in period.months]
    return header, rows


def _figure(indicators, indicator, found):
    value = (found or indicators.figure(indicator.kind, [])).value
    if indicator.kind == indicators.RATE and value is not None:
        return round(Decimal(value) * 100, 1)
    if isinstance(value, float):
        return round(Decimal(value), 1)
    return value


def _table_exports() -> tuple[TableExport, ...]:
    from marketplace.exports import opendata

    return (
        TableExport("indicators", _l("Indicators by region and month (last 12 months)"),
                    _indicator_table,
                    description=_l("The dashboard's figures, as on the dashboard page.")),
        TableExport("opendata", _l("Open data: anonymised figures by region and month"),
                    lambda region_id: opendata.table(), formats=("csv",),
                    description=opendata.DESCRIPTION),
    )


def all_exports() -> dict[str, ListExport | TableExport]:
    return {export.kind: export for export in (*_list_exports(), *_table_exports())}


# Who may export what --------------------------------------------------------------------------

def may_export(user: User, export) -> bool:
    if user is None or not user.is_active or user.role not in EXPORTER_ROLES:
        return False
    return user.role is Role.ADMIN or not export.admin_only


def export_for(user: User, kind: str):
    """The export `kind` if `user` may run it, else None (the page answers 404)."""
    export = all_exports().get(kind)
    return export if export is not None and may_export(user, export) else None


def available_exports(user: User) -> list:
    return [export for export in all_exports().values() if may_export(user, export)]


def region_scope(user: User) -> int | None:
    """Admins see every region; staff their own. A staff account without a region (which the
    admin pages do not create) gets region 0, which matches nothing."""
    if user.role is Role.ADMIN:
        return ALL_REGIONS
    return user.region_id or 0


# Jobs -----------------------------------------------------------------------------------------

def create_job(export, fmt: str, *, user: User) -> ExportJob:
    """Queue one export in `fmt` for `user`; the caller checked `export_for` and the format."""
    if fmt not in export.formats:
        raise ValueError(f"{export.kind} has no {fmt} format")
    job = ExportJob(kind=export.kind, created_by_id=user.id,
                    params={"format": fmt, "locale": current_language()})
    db.session.add(job)
    db.session.flush()
    record("export:request", job, actor=user, kind=export.kind, format=fmt,
           region_id=region_scope(user))
    return job


def job_for(user: User, job_id: int) -> ExportJob | None:
    """Only the person who asked for an export sees it (others get 404)."""
    job = db.session.get(ExportJob, job_id)
    return job if job is not None and job.created_by_id == user.id else None


def recent_jobs(user: User) -> list[ExportJob]:
    return list(db.session.scalars(
        select(ExportJob).where(ExportJob.created_by_id == user.id)
        .order_by(ExportJob.created_at.desc(), ExportJob.id.desc()).limit(RECENT_JOBS)))


def record_download(job: ExportJob, *, user: User) -> None:
    record("export:download", job, actor=user, kind=job.kind)
    db.session.flush()
