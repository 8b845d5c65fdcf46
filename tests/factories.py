"""Builders for tests that need real rows (profiles with skills, vacancies of an employer)."""

from decimal import Decimal

from sqlalchemy import select

from marketplace.candidates.models import CandidateProfile, CandidateSkill
from marketplace.employers.models import (
    EmployerOrganisation,
    OrganisationMember,
    Schedule,
    Vacancy,
    VacancySkill,
    VacancyStatus,
    VerificationStatus,
)
from marketplace.extensions import db
from marketplace.reference.models import Region, Skill


def skill_by_code(code):
    return db.session.scalar(select(Skill).where(Skill.code == code))


def make_candidate(app, make_user, skills, *, discoverable=True, title="Сварщик"):
    user = make_user("candidate", full_name="Жасырын Есім")
    with app.app_context():
        profile = db.session.scalar(select(CandidateProfile).where(
            CandidateProfile.user_id == user.id))
        profile.discoverable = discoverable
        profile.desired_title = title
        profile.experience_years = 5
        skill_rows = [skill_by_code(code) for code in skills]
        profile.skills = [CandidateSkill(skill=s, level=4) for s in skill_rows]
        db.session.commit()
        return user, profile.id


def make_vacancy(app, employer, skills, *, status=VacancyStatus.OPEN,
                 org_status=VerificationStatus.VERIFIED, title="Сварщик"):
    with app.app_context():
        org = db.session.scalar(select(EmployerOrganisation).join(OrganisationMember)
                                .where(OrganisationMember.user_id == employer.id))
        org.status = org_status
        region = db.session.scalar(select(Region).where(Region.code == "KZ-AST"))
        skill_rows = [skill_by_code(code) for code in skills]
        vacancy = Vacancy(organisation=org, title=title, status=status, schedule=Schedule.DAY,
                          region=region, salary_min=Decimal("200000"),
                          salary_max=Decimal("250000"),
                          skills=[VacancySkill(skill=s, required=True) for s in skill_rows])
        db.session.add(vacancy)
        db.session.commit()
        return vacancy.id


