"""Job-centre staff for every region, and the candidates: accounts, profiles, skills (some typed
by hand, with synonyms and typos), wanted occupations, work history, education and languages."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from marketplace.auth.models import Role, User
from marketplace.demo import scale_content as words
from marketplace.demo.scale_reference import DEFAULT_WEIGHT, REGION_WEIGHTS, OccupationRef
from marketplace.identifiers import check_digit

BULK_DOMAIN = "scale.demo.kz"
CANDIDATE_PHONE = "+7747{:07d}"   # Tele2's 747 prefix: no demo or test account uses it
PEOPLE_PER_OFFICER = 2_500
USER_COLUMNS = ("id", "email", "phone", "password_hash", "role", "full_name", "locale",
                "region_id", "active", "created_at", "last_login_at", "password_changed_at")
LOCALES = (("kk", 35), ("ru", 55), (None, 10))


@dataclass(slots=True)
class Candidate:
    id: int
    user_id: int
    region: object
    city_id: int | None
    occupations: list[OccupationRef]
    skill_ids: list[int]
    discoverable: bool
    created: datetime
    name: str
    locale: str | None
    released: date | None = None
    verified_at: datetime | None = None
    # Active hard filters: banned occupation and sector codes, allowed regions, a curfew.
    bans: frozenset = frozenset()
    territory: frozenset | None = None
    curfew: bool = False
    hired: bool = False
    iin: str = ""


def user_row(user_id, *, role, name, created, password_hash, email=None, phone=None,
             locale=None, region_id=None, last_login=None) -> tuple:
    return (user_id, email, phone, password_hash, role.value, name, locale, region_id, True,
            created, last_login, created)


# --- staff ------------------------------------------------------------------------------------

def staff_users(scale, candidates: int) -> dict[int, list[int]]:
    """Existing officers (the demo's) plus enough new ones per region for its caseload (at
    least two everywhere: claims above the threshold need two approvals)."""
    existing: dict[int, list[int]] = {}
    for user_id, region_id in scale.session.execute(
            select(User.id, User.region_id).where(User.role == Role.STAFF).order_by(User.id)):
        existing.setdefault(region_id, []).append(user_id)
    total = sum(REGION_WEIGHTS.get(r.code, DEFAULT_WEIGHT) for r in scale.ref.regions)
    rng, rows = scale.rng("staff"), []
    for region in scale.ref.regions:
        share = candidates * REGION_WEIGHTS.get(region.code, DEFAULT_WEIGHT) / total
        wanted = min(12, max(2, round(share / PEOPLE_PER_OFFICER)))
        officers = existing.setdefault(region.id, [])
        for n in range(len(officers) + 1, wanted + 1):
            user_id = scale.writer.next_id("user")
            email = f"staff{n}.{region.code.lower()}@{BULK_DOMAIN}"
            rows.append(user_row(user_id, role=Role.STAFF, name=words.person_name(rng)[0],
                                 created=scale.clock.start - timedelta(days=60), email=email,
                                 password_hash=scale.password_hash, region_id=region.id,
                                 locale="ru"))
            officers.append(user_id)
    scale.writer.write("user", USER_COLUMNS, rows)
    return existing


# --- candidates -------------------------------------------------------------------------------

def _iin(rng, woman: bool, serial: int, taken: set[str]) -> str:
    """A valid IIN (birth date, century and sex digit, check digit) nobody else holds."""
    born = date(1965, 1, 1) + timedelta(days=rng.randrange(40 * 365))
    # The 7th digit: 3/4 a man/woman born in the 1900s, 5/6 in the 2000s.
    century = ("6" if woman else "5") if born.year >= 2000 else ("4" if woman else "3")
    while True:
        first = f"{born:%y%m%d}{century}{serial % 10_000:04d}"
        digit = check_digit(first)
        if digit is not None and first + str(digit) not in taken:
            taken.add(first + str(digit))
            return first + str(digit)
        serial += 1


def _occupations(scale, rng) -> list[OccupationRef]:
    first = scale.ref.occupation_pick.pick(rng)
    chosen = [first]
    if rng.random() < 0.4:
        chosen.append(rng.choice(scale.ref.by_sector[first.sector_id]))
    if rng.random() < 0.15:
        chosen.append(scale.ref.occupation_pick.pick(rng))
    unique = {o.id: o for o in reversed(chosen)}  # the first mention wins
    return [unique[i] for i in dict.fromkeys(o.id for o in chosen)]


def _skills(scale, rng, occupations) -> list[int]:
    """5–15 skills: mostly the wanted occupations' own, then their trade's."""
    wanted = rng.randint(5, 15)
    own = list(dict.fromkeys(s for o in occupations for s in o.skill_ids))
    rng.shuffle(own)
    chosen = own[:wanted]
    trade = [s for o in scale.ref.by_sector[occupations[0].sector_id] for s in o.skill_ids]
    for _ in range(40):
        if len(chosen) >= wanted:
            break
        pick = rng.choice(trade) if rng.random() < 0.8 else rng.choice(scale.ref.skill_ids)
        if pick not in chosen:
            chosen.append(pick)
    return chosen


def plan_candidates(scale, count: int) -> list[Candidate]:
    rng, taken = scale.rng("candidates"), set(scale.existing_iins)
    locales = [code for code, weight in LOCALES for _ in range(weight)]
    people = []
    user_ids, profile_ids = (scale.writer.next_ids(t, count) for t in ("user", "candidate_profile"))
    for n in range(count):
        region = scale.ref.region_pick.pick(rng)
        city = None
        if region.city_ids and rng.random() < 0.85:
            city = region.city_ids[0] if rng.random() < 0.55 else rng.choice(region.city_ids)
        occupations = _occupations(scale, rng)
        name, woman = words.person_name(rng)
        person = Candidate(profile_ids[n], user_ids[n], region, city, occupations,
                           _skills(scale, rng, occupations), rng.random() < 0.9,
                           scale.clock.registration(rng), name, rng.choice(locales))
        person.iin = _iin(rng, woman, n, taken)
        people.append(person)
    return people


def write_candidates(scale, people: list[Candidate]) -> None:
    rng = scale.rng("candidate-users")
    scale.writer.write("user", USER_COLUMNS, (
        user_row(p.user_id, role=Role.CANDIDATE, name=p.name, created=p.created,
                 password_hash=scale.password_hash, phone=CANDIDATE_PHONE.format(n + 1),
                 email=f"c{n + 1}@{BULK_DOMAIN}" if rng.random() < 0.15 else None,
                 locale=p.locale,
                 last_login=scale.clock.between(rng, p.created, scale.clock.end)
                 if rng.random() < 0.7 else None)
        for n, p in enumerate(people)))
    scale.writer.write("candidate_profile", PROFILE_COLUMNS,
                       (_profile(scale, rng, p) for p in people))
    for p in people:
        scale.audit.add("candidate:register", "candidate_profile", p.id, p.user_id, p.created)
    _details(scale, people)


PROFILE_COLUMNS = ("id", "user_id", "iin", "region_id", "city_id", "desired_occupation_id",
                   "desired_title", "summary", "experience_years", "schedule_day",
                   "schedule_shifts", "schedule_night", "schedule_rotational", "available_from",
                   "salary_expectation", "willing_to_relocate", "discoverable", "created_at",
                   "updated_at")


def _title(rng, occupation: OccupationRef) -> str:
    kk, ru, _ = occupation.names
    roll = rng.random()
    if roll < 0.05:
        return ""
    if roll < 0.1:
        return words.typo(rng, ru.lower())
    return kk if roll < 0.38 else ru


def _profile(scale, rng, p: Candidate) -> tuple:
    night = rng.random() < 0.2
    schedules = (rng.random() < 0.85 or not night, rng.random() < 0.5, night, rng.random() < 0.25)
    salary = Decimal(rng.randrange(120_000, 450_001, 5_000)) if rng.random() < 0.75 else None
    available = scale.clock.today + timedelta(days=rng.randint(-60, 60)) \
        if rng.random() < 0.4 else None
    summary = rng.choice(words.SUMMARIES[1 if p.locale == "kk" else 0])
    updated = scale.clock.between(rng, p.created, p.created + timedelta(days=30))
    return (p.id, p.user_id, p.iin, p.region.id, p.city_id, p.occupations[0].id,
            _title(rng, p.occupations[0]), summary, rng.randint(0, 25), *schedules, available,
            salary, rng.random() < 0.15, p.discoverable, p.created, updated)


# --- what the profile lists -------------------------------------------------------------------

def _details(scale, people) -> None:
    writer = scale.writer
    writer.write("candidate_desired_occupation", ("profile_id", "occupation_id", "position"),
                 ((p.id, o.id, n) for p in people for n, o in enumerate(p.occupations)))
    writer.write("candidate_skill", ("id", "profile_id", "skill_id", "free_text", "level",
                                     "years"), _skill_rows(scale, people))
    writer.write("candidate_work", ("id", "profile_id", "employer_name", "job_title",
                                    "occupation_id", "started_on", "ended_on", "description",
                                    "created_at"), _work_rows(scale, people))
    writer.write("candidate_education", ("id", "profile_id", "institution", "level",
                                         "specialty", "finished_year", "created_at"),
                 _education_rows(scale, people))
    writer.write("candidate_language", ("id", "profile_id", "language", "name", "level",
                                        "created_at"), _language_rows(scale, people))


def _typed(rng, skill) -> str:
    """What a person types for a skill the list did not offer: a synonym or a slip."""
    if skill.synonyms and rng.random() < 0.6:
        return rng.choice(skill.synonyms)
    return words.typo(rng, skill.names[1].lower())


def _skill_rows(scale, people):
    rng, skills, next_id = scale.rng("candidate-skills"), scale.ref.skills, scale.writer.next_id
    levels = (1, 2, 2, 3, 3, 3, 4, 4, 4, 5)
    for p in people:
        typed = set()
        for skill_id in p.skill_ids:
            free = None
            if rng.random() < 0.08:
                free = _typed(rng, skills[skill_id])[:200]
                if free in typed:
                    continue
                typed.add(free)
            years = rng.randint(0, 10) if rng.random() < 0.7 else None
            yield (next_id("candidate_skill"), p.id, None if free else skill_id, free,
                   rng.choice(levels), years)


def _work_rows(scale, people):
    rng, next_id = scale.rng("candidate-work"), scale.writer.next_id
    for p in people:
        for _ in range(rng.choice((0, 1, 1, 1, 2, 2, 3))):
            occupation = rng.choice(scale.ref.by_sector[p.occupations[0].sector_id])
            kk, ru, _ = occupation.names
            title = rng.choice((ru, ru, kk, words.typo(rng, ru)))
            started = date(rng.randint(2003, 2020), rng.randint(1, 12), 1)
            ended = started + timedelta(days=rng.randint(60, 1500))
            yield (next_id("candidate_work"), p.id, rng.choice(words.PAST_EMPLOYERS), title,
                   occupation.id if title in (kk, ru) else None, started, ended,
                   rng.choice(words.WORK_NOTES), p.created)


def _education_rows(scale, people):
    rng, next_id = scale.rng("candidate-education"), scale.writer.next_id
    levels = ("secondary", "secondary", "vocational", "vocational", "course", "higher")
    for p in people:
        for _ in range(rng.choice((0, 1, 1, 1, 2))):
            school = rng.choice(words.SCHOOLS).format(i=rng.choice(words.INSTITUTIONS),
                                                      n=rng.randint(1, 80))
            yield (next_id("candidate_education"), p.id, school, rng.choice(levels),
                   p.occupations[0].names[1] if rng.random() < 0.6 else "",
                   rng.randint(1985, 2025), p.created)


def _language_rows(scale, people):
    rng, next_id = scale.rng("candidate-languages"), scale.writer.next_id
    for p in people:
        kazakh_first = p.locale == "kk" or rng.random() < 0.5
        spoken = [("kk", "native" if kazakh_first else rng.choice(("basic", "conversational"))),
                  ("ru", rng.choice(("fluent", "native")) if not kazakh_first
                   else rng.choice(("conversational", "fluent")))]
        if rng.random() < 0.1:
            spoken.append(("en", "basic"))
        rows = [(lang, "", level) for lang, level in spoken]
        if rng.random() < 0.05:
            rows.append(("other", rng.choice(words.OTHER_LANGUAGES), "fluent"))
        for language, name, level in rows:
            yield next_id("candidate_language"), p.id, language, name, level, p.created
