"""A region with `n` of everything that staff, employers and administrators see in lists: the
rows that make a page send one query per item if it does. The query-count tests render each
page with n = 1 and n = 20 and expect the same number of statements.

Built with the ORM directly (fast, no services, no audit trail of its own), in Astana:
- n candidates, each waiting for target-group verification, with a pending certificate, a hire
  (confirmed, a check-in due, a submitted claim with a monthly confirmation to check), an
  unanswered offer for the same crowded vacancy, a case with a manager, a note and an open
  task, and a report about a vacancy;
- n pending organisations, n notifications for the employer, n audit events;
- one "busy" candidate with n skills, certificates, hires (each with four check-ins), notes,
  tasks and re-offences: their case page lists everything.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import select

from marketplace.audit.models import AuditEvent
from marketplace.auth.models import Role, User
from marketplace.auth.passwords import hash_password
from marketplace.candidates.models import CandidateProfile, CandidateSkill
from marketplace.cases.models import (
    Case,
    CaseNote,
    CaseTask,
    CheckIn,
    Reoffence,
    ReoffenceKind,
    VacancyReport,
)
from marketplace.certificates.models import Certificate
from marketplace.db_types import utcnow
from marketplace.demo.seed import demo_bin
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
from marketplace.incentives.models import (
    Claim,
    ClaimEvent,
    ClaimMonth,
    ClaimStatus,
    IncentiveProgramme,
)
from marketplace.incentives.services import seed_programmes, version_in_force
from marketplace.notifications.models import Notification
from marketplace.reference.models import Region, Skill
from marketplace.uploads.models import StoredFile
from tests.conftest import PASSWORD


@dataclass
class BusyRegion:
    staff: SimpleNamespace        # logins for the `login` fixture
    employer: SimpleNamespace
    admin: SimpleNamespace
    candidate: SimpleNamespace    # the busy one
    region_id: int
    busy_profile_id: int
    claim_ids: list[int]
    crowded_vacancy_id: int     # n candidates have an offer for it


class _Builder:
    def __init__(self, n: int, staff_id: int, employer_id: int, start: int):
        self.n, self.staff_id, self.employer_id, self.start = n, staff_id, employer_id, start
        self.today = date.today()
        self.region = db.session.scalar(select(Region).where(Region.code == "KZ-AST"))
        self.organisation = db.session.scalar(
            select(EmployerOrganisation).join(OrganisationMember)
            .where(OrganisationMember.user_id == employer_id))
        self.organisation.status = VerificationStatus.VERIFIED
        self.skills = list(db.session.scalars(select(Skill).order_by(Skill.code).limit(n)))
        seed_programmes()
        self.programme = db.session.scalar(select(IncentiveProgramme).where(
            IncentiveProgramme.code == "kz-social-workplace"))
        self.files = 0

    def vacancy(self, i: int) -> Vacancy:
        vacancy = Vacancy(organisation=self.organisation, title=f"Сварщик {i}",
                          status=VacancyStatus.OPEN, schedule=Schedule.DAY, region=self.region,
                          salary_min=Decimal("200000"), salary_max=Decimal("250000"),
                          published_at=utcnow())
        db.session.add(vacancy)
        return vacancy

    def candidate(self, i: int, name: str, password_hash: str = "-") -> CandidateProfile:
        user = User(role=Role.CANDIDATE, full_name=f"{name} {i}",
                    phone=f"+7701{self.start + i:07d}",
                    password_hash=password_hash, region=self.region)
        profile = CandidateProfile(user=user, region=self.region, desired_title="Сварщик",
                                   discoverable=True,
                                   created_at=utcnow() - timedelta(days=i + 1))
        db.session.add(profile)
        return profile

    def certificate(self, profile, i: int) -> None:
        db.session.add(Certificate(profile=profile, title=f"Курс сварщика {i}",
                                   issuer="Колледж", issued_on=self.today - timedelta(days=30)))

    def _file(self) -> StoredFile:
        self.files += 1
        stored = StoredFile(owner_id=self.employer_id,
                            storage_key=f"busy-{self.start}-{self.files}",
                            original_name="proof.pdf", content_type="application/pdf", size=10,
                            sha256="0" * 64)
        db.session.add(stored)
        return stored

    def hire(self, profile, vacancy, *, claim: bool) -> tuple[Employment, Claim | None]:
        start = (self.today - timedelta(days=75)).replace(day=1)
        application = Application(vacancy=vacancy, profile=profile,
                                  status=ApplicationStatus.HIRED)
        employment = Employment(application=application, start_date=start,
                                monthly_wage=Decimal("250000.00"), hours_per_week=40,
                                contract_type=ContractType.PERMANENT,
                                status=EmploymentStatus.CONFIRMED,
                                recorded_by_id=self.employer_id)
        db.session.add(employment)
        db.session.flush()
        for months, days in ((1, 30), (3, 91), (6, 182), (12, 365)):
            db.session.add(CheckIn(employment_id=employment.id, months_after=months,
                                   due_on=start + timedelta(days=days)))
        if not claim:
            return employment, None
        version = version_in_force(self.programme, start)
        claim_row = Claim(employment_id=employment.id, programme_id=self.programme.id,
                          region_id=self.region.id, rule_version_id=version.id,
                          organisation_id=self.organisation.id, status=ClaimStatus.SUBMITTED,
                          monthly_amount=Decimal("85000.00"), months=6,
                          total_amount=Decimal("510000.00"), no_wage_arrears=True,
                          created_by_id=self.employer_id, submitted_by_id=self.employer_id)
        db.session.add(claim_row)
        db.session.flush()
        db.session.add(ClaimEvent(claim_id=claim_row.id, action="submit", from_status="draft",
                                  to_status="submitted", actor_id=self.employer_id))
        db.session.add(ClaimMonth(claim_id=claim_row.id, month=start, hours_worked=160,
                                  wage_paid=Decimal("250000.00"), pension_file=self._file(),
                                  submitted_by_id=self.employer_id))
        return employment, claim_row

    def case(self, profile, *, notes: int, tasks: int) -> Case:
        case = Case(profile=profile, manager_id=self.staff_id, next_step="Позвонить")
        db.session.add(case)
        db.session.flush()
        for k in range(notes):
            db.session.add(CaseNote(case_id=case.id, author_id=self.staff_id,
                                    body=f"Разговор {k}", was_contact=True))
        for k in range(tasks):
            db.session.add(CaseTask(case_id=case.id, title=f"Перезвонить {k}",
                                    due_on=self.today + timedelta(days=k)))
        return case

    def person(self, i: int, vacancies: list[Vacancy]) -> int | None:
        """Candidate i: everything a region's queues hold once."""
        profile = self.candidate(i, "Кандидат")
        profile.skills = [CandidateSkill(skill=self.skills[i % len(self.skills)], level=3)]
        self.certificate(profile, i)
        _, claim = self.hire(profile, vacancies[i], claim=True)
        db.session.add(Application(vacancy=vacancies[-1], profile=profile,
                                   status=ApplicationStatus.OFFER))
        self.case(profile, notes=1, tasks=1)
        db.session.add(VacancyReport(vacancy=vacancies[i], reporter_id=profile.user_id,
                                     reason="Похоже на мошенничество"))
        db.session.add(EmployerOrganisation(bin=demo_bin(3000 + self.start + i),
                                            name=f"ТОО «Очередь {i}»", region=self.region))
        db.session.add(Notification(user_id=self.employer_id, kind="application_received",
                                    params={"vacancy": vacancies[i].title}, link="/employer/"))
        db.session.add(AuditEvent(actor_id=self.staff_id, action="case:note",
                                  object_type="candidate_profile", object_id=str(profile.id),
                                  details={"profile_id": profile.id}))
        return claim.id

    def busy_person(self, vacancies: list[Vacancy]) -> CandidateProfile:
        """One candidate with n of everything their case page lists (who can sign in)."""
        profile = self.candidate(self.n + 1, "Занятой", hash_password(PASSWORD))
        profile.skills = [CandidateSkill(skill=skill, level=4) for skill in self.skills]
        for i in range(self.n):
            self.certificate(profile, 100 + i)
            self.hire(profile, vacancies[i], claim=False)
        db.session.flush()
        self.case(profile, notes=self.n, tasks=self.n)
        for i in range(self.n):
            db.session.add(Reoffence(profile_id=profile.id,
                                     kind=ReoffenceKind.NEW_CONVICTION,
                                     occurred_on=self.today - timedelta(days=i),
                                     details={"note": ""}, recorded_by_id=self.staff_id))
        return profile


def busy_region(app, make_user, n: int, *, start: int = 0) -> BusyRegion:
    """`start` keeps phones and BINs apart when a test builds two worlds side by side."""
    staff, employer, admin = make_user("staff"), make_user("employer"), make_user("admin")
    with app.app_context():
        builder = _Builder(n, staff.id, employer.id, start)
        vacancies = [builder.vacancy(i) for i in range(n + 1)]
        db.session.flush()
        claim_ids = [builder.person(i, vacancies) for i in range(n)]
        busy = builder.busy_person(vacancies)
        db.session.commit()
        candidate = SimpleNamespace(id=busy.user_id, login=busy.user.phone, password=PASSWORD,
                                    role="candidate")
        return BusyRegion(staff=staff, employer=employer, admin=admin, candidate=candidate,
                          region_id=builder.region.id, busy_profile_id=busy.id,
                          claim_ids=claim_ids, crowded_vacancy_id=vacancies[-1].id)
