"""Employer organisations (mostly verified) with their owners and members, and their vacancies
with required and optional skills: about 70% of vacancies public, the rest drafts, closed,
filled or hidden by staff."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

from marketplace.auth.models import Role
from marketplace.demo import scale_content as words
from marketplace.demo.scale_people import BULK_DOMAIN, USER_COLUMNS, user_row
from marketplace.demo.scale_reference import SECTOR_WEIGHTS, OccupationRef, Weighted
from marketplace.employers.models import vacancy_search_text
from marketplace.identifiers import check_digit

VACANCIES_PER_ORGANISATION = 8
ORGANISATION_STATUS = (("verified", 88), ("pending", 8), ("rejected", 4))
# Of a verified organisation's vacancies: with 98% of vacancies at verified organisations and
# 0.6% of open ones hidden, about 70% of all vacancies are public.
VACANCY_STATUS = (("open", 715), ("closed", 100), ("filled", 115), ("draft", 70))
# Open vacancies were published any time in the last 13 months (employers hiring all year, and
# those who never close an advert), so the past months had vacancies to apply to as well.
OPEN_FOR_AT_MOST = timedelta(days=400)
SCHEDULES = (("day", 55), ("shifts", 25), ("night", 8), ("rotational", 12))
# An organisation's size: how many of the vacancies it tends to post.
SIZES = (1, 1, 1, 2, 2, 3, 5, 8)


@dataclass(slots=True)
class Organisation:
    id: int
    region_id: int
    sector_code: str
    owner_id: int
    member_ids: tuple[int, ...]
    status: str
    name: str
    created: datetime
    verified_at: datetime | None
    size: int


@dataclass(slots=True)
class Opening:
    id: int
    organisation: Organisation
    region_id: int
    occupation: OccupationRef
    title: str
    status: str
    public: bool
    published: datetime | None
    closed: datetime | None
    salary_min: Decimal | None
    schedule: str
    positions: int
    permanent_post: bool
    hires: int = 0

    @property
    def subsidy_eligible(self) -> bool:
        return not self.occupation.hazardous and not self.permanent_post


def _weighted(pairs) -> Weighted:
    return Weighted([value for value, _ in pairs], [weight for _, weight in pairs])


def _bin(rng, serial: int, taken: set[str], latest_year: int) -> str:
    """A valid BIN of a legal entity registered 2005…`latest_year` (so it has operated for more
    than a year: subsidy rules read the registration month from the BIN)."""
    year, month = rng.randint(5, latest_year % 100), rng.randint(1, 12)
    serial += 100_000  # the demo's BINs use serials below 10,000
    while True:
        first = f"{year:02d}{month:02d}4{serial % 1_000_000:06d}"
        digit = check_digit(first)
        if digit is not None and first + str(digit) not in taken:
            taken.add(first + str(digit))
            return first + str(digit)
        serial += 1


def _registered(clock, rng, status: str) -> tuple[datetime, datetime | None]:
    """When the organisation registered and (if it is verified) when staff verified it:
    verified ones are older, pending ones wait in this month's queue."""
    if status == "pending":
        return clock.between(rng, clock.end - timedelta(days=40), clock.end), None
    if status == "rejected":
        return clock.between(rng, clock.start, clock.end), None
    created = clock.between(rng, clock.start - timedelta(days=400), clock.end - timedelta(days=45))
    return created, clock.after(rng, created, 1, 10)


def write_organisations(scale, count: int) -> list[Organisation]:
    rng, clock, writer = scale.rng("organisations"), scale.clock, scale.writer
    statuses = _weighted(ORGANISATION_STATUS)
    sectors = Weighted(sorted(scale.ref.sectors), [SECTOR_WEIGHTS.get(code, 0.5)
                                                   for code in sorted(scale.ref.sectors)])
    taken, latest = set(scale.existing_bins), clock.today.year - 2
    organisations, users, rows, members = [], [], [], []
    for n, org_id in enumerate(writer.next_ids("employer_organisation", count)):
        status, region = statuses.pick(rng), scale.ref.region_pick.pick(rng)
        created, verified = _registered(clock, rng, status)
        sector = sectors.pick(rng)
        name = words.organisation_name(rng, sector)
        owner_id = writer.next_id("user")
        owner_email = f"owner{n + 1}@{BULK_DOMAIN}"
        users.append(user_row(owner_id, role=Role.EMPLOYER, name=words.person_name(rng)[0],
                              created=created, password_hash=scale.password_hash,
                              email=owner_email, locale=rng.choice(("ru", "kk", None))))
        member_ids = []
        for k in range(rng.choice((0, 0, 0, 1, 1, 2))):
            member_ids.append(writer.next_id("user"))
            users.append(user_row(member_ids[-1], role=Role.EMPLOYER,
                                  name=words.person_name(rng)[0], created=created,
                                  password_hash=scale.password_hash,
                                  email=f"member{n + 1}.{k + 1}@{BULK_DOMAIN}"))
        staff = rng.choice(scale.staff[region.id])
        reason = words.REJECT_ORGANISATION if status == "rejected" else None
        address = f"{rng.choice(words.STREETS)}, {rng.randint(1, 150)}"
        rows.append((org_id, _bin(rng, n, taken, latest), name, region.id,
                     scale.ref.sectors[sector], address,
                     f"+7701{rng.randrange(10**7):07d}" if rng.random() < 0.5 else None,
                     owner_email, status, rng.random() < 0.55, created, created, reason,
                     staff if verified else None, verified))
        members += [(writer.next_id("organisation_member"), org_id, user_id,
                     "owner" if k == 0 else "member", created)
                    for k, user_id in enumerate((owner_id, *member_ids))]
        organisations.append(Organisation(org_id, region.id, sector, owner_id, tuple(member_ids),
                                          status, name, created, verified, rng.choice(SIZES)))
        scale.audit.add("organisation:register", "employer_organisation", org_id, owner_id,
                        created, bin=rows[-1][1])
        if status != "pending":
            scale.audit.add(f"organisation:{'verify' if verified else 'reject'}",
                            "employer_organisation", org_id, staff,
                            verified or clock.soon(rng, created, 10), from_status="pending",
                            to_status=status, **({"reason": reason} if reason else {}))
    writer.write("user", USER_COLUMNS, users)
    writer.write("employer_organisation", (
        "id", "bin", "name", "region_id", "sector_id", "address", "contact_phone",
        "contact_email", "status", "fair_chance_pledge", "created_at", "submitted_at",
        "rejection_reason", "verified_by_id", "verified_at"), rows)
    writer.write("organisation_member", ("id", "organisation_id", "user_id", "role",
                                         "created_at"), members)
    return organisations


# --- vacancies --------------------------------------------------------------------------------

VACANCY_COLUMNS = (
    "id", "organisation_id", "title", "occupation_id", "description", "region_id", "city_id",
    "address", "salary_min", "salary_max", "schedule", "positions", "start_date",
    "closing_date", "hazardous", "existing_permanent_post", "status", "created_at",
    "updated_at", "published_at", "search_text", "hidden_at", "hidden_reason", "hidden_by_id")


def _occupation(scale, rng, organisation) -> OccupationRef:
    own = scale.ref.by_sector.get(scale.ref.sectors[organisation.sector_code])
    return rng.choice(own) if own and rng.random() < 0.8 else scale.ref.occupation_pick.pick(rng)


def _skills(scale, rng, occupation) -> list[tuple[int, bool]]:
    """Three required skills of the occupation (fewer if it has fewer), a few optional ones."""
    own = list(occupation.skill_ids)
    required = own[:3]
    optional = rng.sample(own[3:], k=min(len(own) - 3, rng.randint(0, 2))) if len(own) > 3 else []
    trade = [s for o in scale.ref.by_sector[occupation.sector_id] for s in o.skill_ids]
    if rng.random() < 0.5:
        optional.append(rng.choice(trade))
    chosen = dict.fromkeys(required)
    chosen.update((s, None) for s in optional if s not in chosen)
    return [(skill_id, skill_id in required) for skill_id in chosen]


def _dates(scale, rng, organisation, status):
    """(created, published, closed) consistent with the organisation and the status."""
    clock = scale.clock
    if status == "draft" or organisation.verified_at is None:
        return clock.between(rng, organisation.created, clock.end), None, None
    first = max(organisation.verified_at, clock.start)
    if status == "open":
        created = max(first, clock.end - OPEN_FOR_AT_MOST * rng.random())
        return created, clock.soon(rng, created, 1), None
    created = clock.between(rng, first, clock.end - timedelta(days=20))
    published = clock.soon(rng, created, 1)
    return created, published, clock.between(rng, published + timedelta(days=14),
                                             published + timedelta(days=120))


def _search_text(scale, title, description, occupation, skills) -> str:
    """The keyword text the ORM hook would store, from the same function."""
    def named(names):
        return SimpleNamespace(name_kk=names[0], name_ru=names[1], name_en=names[2])

    vacancy = SimpleNamespace(
        title=title, description=description, occupation=named(occupation.names),
        occupation_id=occupation.id,
        skills=[SimpleNamespace(skill=named(scale.ref.skills[s].names), skill_id=s)
                for s, _ in skills])
    return vacancy_search_text(vacancy, scale.session)


def plan_vacancies(scale, organisations, count: int):
    """The vacancies (kept for the later stages), their rows and their skills' rows."""
    rng, clock = scale.rng("vacancies"), scale.clock
    statuses, schedules = _weighted(VACANCY_STATUS), _weighted(SCHEDULES)
    weights = [o.size * {"verified": 1.0, "pending": 0.4, "rejected": 0.2}[o.status]
               for o in organisations]
    pick = Weighted(organisations, weights)
    openings, rows, skill_rows = [], [], []
    for vacancy_id in scale.writer.next_ids("vacancy", count):
        organisation = pick.pick(rng)
        status = statuses.pick(rng) if organisation.status == "verified" else "draft"
        occupation = _occupation(scale, rng, organisation)
        region_id = organisation.region_id if rng.random() < 0.92 else \
            scale.ref.region_pick.pick(rng).id
        region = scale.ref.region_by_id[region_id]
        city = (region.city_ids[0] if rng.random() < 0.6 else rng.choice(region.city_ids)) \
            if region.city_ids else None
        kk, ru, _ = occupation.names
        schedule = schedules.pick(rng)
        title = words.vacancy_title(rng, ru, kk)
        description = words.vacancy_description(rng, ru, kk, schedule)
        created, published, closed = _dates(scale, rng, organisation, status)
        hidden = status == "open" and rng.random() < 0.006
        salary = Decimal(rng.randrange(110_000, 520_001, 10_000)) if rng.random() < 0.95 \
            else None
        top = salary + Decimal(rng.choice((0, 30_000, 50_000, 100_000))) \
            if salary is not None and rng.random() < 0.85 else None
        start = (published or created).date() + timedelta(days=rng.randint(7, 30))
        closing = start + timedelta(days=rng.randint(30, 90)) if rng.random() < 0.3 else None
        if status == "open" and closing is not None and closing < clock.today:
            closing = clock.today + timedelta(days=rng.randint(5, 60))
        skills = _skills(scale, rng, occupation)
        opening = Opening(vacancy_id, organisation, region_id, occupation, title, status,
                          status == "open" and not hidden, published, closed, salary, schedule,
                          rng.choice((1, 1, 1, 2, 2, 3, 5)), rng.random() < 0.05)
        staff = rng.choice(scale.staff[region_id])
        hidden_at = clock.soon(rng, published, 20) if hidden else None
        rows.append((vacancy_id, organisation.id, title, occupation.id, description, region_id,
                     city, f"{rng.choice(words.STREETS)}, {rng.randint(1, 150)}", salary, top,
                     schedule, opening.positions, start, closing, occupation.hazardous,
                     opening.permanent_post, status, created, closed or published or created,
                     published, _search_text(scale, title, description, occupation, skills),
                     hidden_at, words.HIDE_REASON if hidden else None,
                     staff if hidden else None))
        skill_rows += [(vacancy_id, skill_id, required) for skill_id, required in skills]
        openings.append(opening)
        _audit(scale, opening, created, hidden_at, staff)
    return openings, rows, skill_rows


def _audit(scale, opening: Opening, created, hidden_at, staff) -> None:
    owner, audit = opening.organisation.owner_id, scale.audit
    audit.add("vacancy:create", "vacancy", opening.id, owner, created,
              organisation=opening.organisation.id)
    if opening.published is not None:
        audit.add("vacancy:publish", "vacancy", opening.id, owner, opening.published,
                  from_status="draft", to_status="open")
    if opening.closed is not None:
        action = "fill" if opening.status == "filled" else "close"
        audit.add(f"vacancy:{action}", "vacancy", opening.id, owner, opening.closed,
                  from_status="open", to_status=opening.status)
    if hidden_at is not None:
        audit.add("vacancy:hide", "vacancy", opening.id, staff, hidden_at,
                  reason=words.HIDE_REASON)


def write_vacancies(scale, organisations, count: int) -> list[Opening]:
    openings, rows, skill_rows = plan_vacancies(scale, organisations, count)
    scale.writer.write("vacancy", VACANCY_COLUMNS, rows)
    ids = scale.writer.next_ids("vacancy_skill", len(skill_rows))
    scale.writer.write("vacancy_skill", ("id", "vacancy_id", "skill_id", "required"),
                       ((i, *row) for i, row in zip(ids, skill_rows, strict=True)))
    return openings
