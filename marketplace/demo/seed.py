"""`flask seed-demo`: an admin, staff in 3 regions, 3 employers, 20 vacancies, 50 candidates.

Idempotent: every row is looked up by its natural key (login, BIN, title) before it is created.
Random choices use a fixed seed so every machine gets the same demo.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from marketplace.auth.models import Role, User
from marketplace.auth.passwords import hash_password
from marketplace.candidates.models import CandidateProfile, CandidateSkill
from marketplace.certificates.models import Certificate, CertificateStatus
from marketplace.db_types import utcnow
from marketplace.demo import content
from marketplace.employers.models import (
    EmployerOrganisation,
    MemberRole,
    OrganisationMember,
    Schedule,
    Vacancy,
    VacancySkill,
    VacancyStatus,
    VerificationStatus,
)
from marketplace.extensions import db
from marketplace.identifiers import check_digit
from marketplace.reference.models import Occupation, Region, Sector, Skill, skill_occupation

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - public demo accounts, printed by make run
VACANCIES_PER_ORGANISATION = (7, 7, 6)
CANDIDATE_COUNT = 50


def _valid_number(first_eleven: str) -> str:
    """Append the check digit, bumping the serial until the 11 digits admit one."""
    while (digit := check_digit(first_eleven)) is None:
        first_eleven = f"{int(first_eleven) + 1:011d}"
    return first_eleven + str(digit)


def demo_bin(n: int) -> str:
    return _valid_number(f"1905400{n:04d}")  # registered May 2019, legal entity


def demo_iin(rng: random.Random, n: int) -> str:
    year, month, day = rng.randint(70, 99), rng.randint(1, 12), rng.randint(1, 28)
    return _valid_number(f"{year:02d}{month:02d}{day:02d}3{n:04d}")


def _user(role, login, full_name, *, password_hash, region=None, phone=None) -> User:
    key = User.email == login if "@" in login else User.phone == login
    user = db.session.scalar(select(User).where(key))
    if user is None:
        user = User(role=role, full_name=full_name, password_hash=password_hash, region=region,
                    email=login if "@" in login else None, phone=phone or
                    (None if "@" in login else login))
        db.session.add(user)
    return user


def _by_code(model, code):
    return db.session.scalar(select(model).where(model.code == code))


def _occupations_in(sector_codes) -> list[Occupation]:
    return list(db.session.scalars(
        select(Occupation).join(Sector).where(Sector.code.in_(sector_codes),
                                              Occupation.level == "occupation")
        .order_by(Occupation.code)))


def _skills_for(occupation: Occupation) -> list[Skill]:
    return list(db.session.scalars(
        select(Skill).join(skill_occupation)
        .where(skill_occupation.c.occupation_id == occupation.id).order_by(Skill.code)))


def seed_staff(password_hash) -> list[tuple[str, str]]:
    logins = [("admin", "admin@demo.kz")]
    _user(Role.ADMIN, "admin@demo.kz", "Администратор Демо", password_hash=password_hash)
    for name, email, region_code in (*content.STAFF, *content.SECOND_STAFF):
        _user(Role.STAFF, email, name, password_hash=password_hash,
              region=_by_code(Region, region_code))
        logins.append(("staff", email))
    return logins


def seed_organisations(rng, password_hash) -> list[tuple[str, str]]:
    logins = []
    for n, spec in enumerate(content.ORGANISATIONS, start=1):
        owner = _user(Role.EMPLOYER, spec["owner"][1], spec["owner"][0],
                      password_hash=password_hash)
        logins.append(("employer", owner.email))
        bin_ = demo_bin(n)
        organisation = db.session.scalar(
            select(EmployerOrganisation).where(EmployerOrganisation.bin == bin_))
        if organisation is None:
            organisation = EmployerOrganisation(
                bin=bin_, name=spec["name"], region=_by_code(Region, spec["region"]),
                sector=_by_code(Sector, spec["sector"]), status=VerificationStatus.VERIFIED,
                fair_chance_pledge=spec["pledge"], contact_email=owner.email,
                address=f"ул. Демонстрационная, {n * 7}")
            organisation.memberships.append(OrganisationMember(user=owner, role=MemberRole.OWNER))
            db.session.add(organisation)
            db.session.flush()
            seed_vacancies(rng, organisation, spec, VACANCIES_PER_ORGANISATION[n - 1])
    return logins


def seed_vacancies(rng, organisation, spec, count) -> None:
    occupations = _occupations_in(content.HIRING_SECTORS[spec["sector"]])
    cities = organisation.region.cities
    for occupation in rng.sample(occupations, min(count, len(occupations))):
        skills = _skills_for(occupation)
        base = Decimal(rng.randrange(150_000, 350_000, 10_000))
        vacancy = Vacancy(
            organisation=organisation, title=occupation.name_ru, occupation=occupation,
            description=content.VACANCY_DESCRIPTION_RU.format(title=occupation.name_ru.lower())
            + "\n\n" + content.VACANCY_DESCRIPTION_KK.format(title=occupation.name_kk.lower()),
            region=organisation.region, city=cities[0] if cities else None,
            salary_min=base, salary_max=base + Decimal(rng.choice((0, 50_000, 100_000))),
            schedule=rng.choice([Schedule.DAY, Schedule.DAY, Schedule.SHIFTS, Schedule.NIGHT]),
            positions=rng.randint(1, 4), hazardous=occupation.hazardous,
            status=VacancyStatus.OPEN, start_date=(utcnow() + timedelta(days=14)).date())
        for i, skill in enumerate(skills[:5]):
            vacancy.skills.append(VacancySkill(skill=skill, required=i < 3))
        db.session.add(vacancy)


def _candidate_name(rng) -> str:
    woman = rng.random() < 0.25
    if rng.random() < 0.7:
        first = rng.choice(content.KAZAKH_WOMEN if woman else content.KAZAKH_MEN)
        surname = rng.choice(content.KAZAKH_SURNAMES)
    else:
        first = rng.choice(content.RUSSIAN_WOMEN if woman else content.RUSSIAN_MEN)
        surname = rng.choice(content.RUSSIAN_SURNAMES)
    if woman and surname.endswith(content.FEMININE_ENDINGS):
        surname += "а"
    return f"{surname} {first}"


def _wanted_occupations() -> list[Occupation]:
    """Occupations the demo employers hire for, so most candidates find real matches."""
    return list(db.session.scalars(
        select(Occupation).join(Vacancy, Vacancy.occupation_id == Occupation.id)
        .distinct().order_by(Occupation.code)))


def _demo_skills(rng, occupation) -> list[Skill]:
    """Mostly the occupation's core skills (the ones vacancies ask for), a few others."""
    skills = _skills_for(occupation)
    core, rest = skills[:5], skills[5:]
    chosen = rng.sample(core, k=min(len(core), rng.randint(2, 4)))
    return chosen + rng.sample(rest, k=min(len(rest), rng.randint(0, 2)))


def _demo_certificate(rng, profile, occupation, skills, n) -> None:
    staff = db.session.scalar(select(User).where(User.role == Role.STAFF,
                                                 User.region_id == profile.region.id))
    issued = date(2025, rng.randint(1, 12), rng.randint(1, 28))
    db.session.add(Certificate(
        profile=profile, title=occupation.name_ru, issuer=rng.choice(content.CERTIFICATE_ISSUERS),
        issued_on=issued, status=CertificateStatus.VERIFIED, verified_by_id=staff.id,
        verified_at=utcnow(), verification_code=f"DEMO-{n:04d}", skills=list(skills)))


def seed_candidates(rng, password_hash) -> list[tuple[str, str]]:
    regions = [_by_code(Region, code) for _, _, code in content.STAFF]
    wanted = _wanted_occupations()
    others = _occupations_in({s for v in content.HIRING_SECTORS.values() for s in v})
    for n in range(1, CANDIDATE_COUNT + 1):
        phone = f"+7701{n:07d}"
        name = _candidate_name(rng)
        occupation = rng.choice(wanted if rng.random() < 0.8 else others)
        user = _user(Role.CANDIDATE, phone, name, password_hash=password_hash)
        if db.session.scalar(select(CandidateProfile.id).join(User)
                             .where(User.phone == phone)) is not None:
            continue
        region = regions[n % len(regions)]
        summaries = content.SUMMARIES_KK if n % 3 == 0 else content.SUMMARIES_RU
        profile = CandidateProfile(
            user=user, iin=demo_iin(rng, n), region=region,
            city=region.cities[0] if region.cities else None, desired_occupation=occupation,
            desired_title=occupation.name_kk if n % 3 == 0 else occupation.name_ru,
            summary=rng.choice(summaries), experience_years=rng.randint(0, 15),
            discoverable=n % 10 != 0)
        skills = _demo_skills(rng, occupation)
        for skill in skills:
            profile.skills.append(CandidateSkill(skill=skill, level=rng.randint(2, 5),
                                                 years=rng.randint(0, 8)))
        db.session.add(profile)
        if n % 3 == 1:  # a third hold a certificate from a correctional institution's college
            _demo_certificate(rng, profile, occupation, skills[:2], n)
    db.session.flush()
    return [("candidate", "+77010000001")]


def seed_demo() -> list[tuple[str, str]]:
    """Create what is missing and return (role, login) pairs for the README and `make run`."""
    rng = random.Random(2026)
    password_hash = hash_password(DEMO_PASSWORD)
    logins = seed_staff(password_hash)
    logins += seed_organisations(rng, password_hash)
    logins += seed_candidates(rng, password_hash)
    db.session.flush()
    from marketplace.demo.claims import seed_claims

    seed_claims()
    from marketplace.demo.history import seed_history

    seed_history()
    from marketplace.indicators.aggregates import refresh

    refresh()  # the dashboard's figures, counted once the demo's history exists
    return logins
