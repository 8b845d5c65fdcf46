"""Users report vacancies that look wrong (fraud, discrimination, not a real job); the job
centre of the vacancy's region checks each report and closes it with what it did."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_, select

from marketplace.audit.services import record
from marketplace.auth.models import User
from marketplace.cases.models import VacancyReport
from marketplace.db_types import utcnow
from marketplace.employers.models import EmployerOrganisation, Vacancy
from marketplace.employers.vacancies import can_moderate
from marketplace.errors import DomainError
from marketplace.extensions import db

MIN_REASON = 10


class ReportRefused(DomainError):
    pass


def _reason(text: str, *, field: str = "reason") -> str:
    text = (text or "").strip()
    if len(text) < MIN_REASON:
        raise ReportRefused(_l("Describe what is wrong in a few words (at least %(min)d "
                               "characters).", min=MIN_REASON), field=field)
    return text


def report_vacancy(vacancy: Vacancy, *, reporter: User, reason: str) -> VacancyReport:
    reason = _reason(reason)
    open_one = db.session.scalar(select(VacancyReport.id).where(
        VacancyReport.vacancy_id == vacancy.id, VacancyReport.reporter_id == reporter.id,
        VacancyReport.resolved_at.is_(None)))
    if open_one:
        raise ReportRefused(_l("You have already reported this vacancy. The job centre is "
                               "checking it."))
    report = VacancyReport(vacancy_id=vacancy.id, reporter_id=reporter.id, reason=reason)
    db.session.add(report)
    db.session.flush()
    record("vacancy:report", report, actor=reporter, vacancy_id=vacancy.id)
    return report


def resolve_report(report: VacancyReport, *, staff: User, resolution: str) -> None:
    if report.resolved_at is not None:
        raise ReportRefused(_l("This report has already been closed."))
    if not can_moderate(staff, report.vacancy):
        raise ReportRefused(_l("Only the job centre of the vacancy's region checks it."))
    report.resolution = _reason(resolution, field="resolution")
    report.resolved_at, report.resolved_by_id = utcnow(), staff.id
    record("vacancy:report_resolved", report, actor=staff, vacancy_id=report.vacancy_id)
    db.session.flush()


def open_reports_query(region_id: int | None) -> Select:
    """Unresolved reports about vacancies placed in, or posted from, the region; oldest first.
    None: every region (admins)."""
    query = (select(VacancyReport).join(Vacancy)
             .join(EmployerOrganisation, EmployerOrganisation.id == Vacancy.organisation_id)
             .where(VacancyReport.resolved_at.is_(None))
             .order_by(VacancyReport.created_at, VacancyReport.id))
    if region_id is not None:
        query = query.where(or_(Vacancy.region_id == region_id,
                                EmployerOrganisation.region_id == region_id))
    return query


def open_reports(region_id: int | None) -> list[VacancyReport]:
    return list(db.session.scalars(open_reports_query(region_id)))


def reports_of(vacancy: Vacancy) -> list[VacancyReport]:
    return list(db.session.scalars(select(VacancyReport).where(
        VacancyReport.vacancy_id == vacancy.id).order_by(VacancyReport.created_at.desc())))
