"""Applications and their whole pipeline (every move an event, an audit record and the
notification the services send), invitations, fair-chance disclosures and users' reports of
vacancies. Nobody applies where a court ban or supervision condition forbids it."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from marketplace.demo import scale_content as words
from marketplace.demo.scale_cases import blocked
from marketplace.demo.scale_employers import Opening
from marketplace.demo.scale_reference import Weighted, link_template

APPLY_WITHIN_DAYS = 25  # the mean delay between registering and an application
# Tries per person; about three in four find a vacancy open at the time (0.72 applications each).
PER_PERSON = ((0, 45), (1, 27), (2, 13), (3, 9), (5, 6))
RECENT = (("applied", 70), ("shortlisted", 15), ("interview", 8), ("rejected", 5),
          ("withdrawn", 2))
SETTLED = (("applied", 20), ("shortlisted", 12), ("interview", 10), ("offer", 4),
           ("rejected", 27), ("withdrawn", 9), ("hired", 18))
FINISHED = (("rejected", 57), ("withdrawn", 18), ("hired", 25))
TO_STATUS = {"apply": "applied", "shortlist": "shortlisted", "interview": "interview",
             "offer": "offer", "accept_offer": "offer", "hire": "hired", "reject": "rejected",
             "withdraw": "withdrawn"}
BY_CANDIDATE = {"apply", "accept_offer", "withdraw"}
TO_CANDIDATE = {"shortlist": "status_shortlisted", "interview": "status_interview",
                "offer": "status_offer", "reject": "status_rejected", "hire": "hire_recorded"}
TO_EMPLOYER = {"apply": "application_received", "withdraw": "application_withdrawn",
               "accept_offer": "offer_accepted"}
REJECTIONS = ("skills_mismatch", "not_enough_experience", "schedule_mismatch", "no_show",
              "other")
APPLICATION_COLUMNS = ("id", "vacancy_id", "profile_id", "note", "via_invitation", "status",
                       "rejection_reason", "offer_response", "offer_responded_at", "created_at",
                       "updated_at")


@dataclass(slots=True)
class Hired:
    """A hired application, for the employment stage."""

    application_id: int
    candidate: object
    opening: Opening
    at: datetime


def _pick(pairs) -> Weighted:
    return Weighted([v for v, _ in pairs], [w for _, w in pairs])


class Pipeline:
    """Walks every candidate once, choosing where they apply and how far each application got,
    and collects the rows of every table the pipeline touches."""

    def __init__(self, scale, openings):
        self.scale, self.rng, self.clock = scale, scale.rng("applications"), scale.clock
        self.published = [o for o in openings if o.published is not None]
        self.by_region, self.by_region_occupation = {}, {}
        for o in self.published:
            self.by_region.setdefault(o.region_id, []).append(o)
            self.by_region_occupation.setdefault((o.region_id, o.occupation.id), []).append(o)
        self.region_code = {r.id: r.code for r in scale.ref.regions}
        self.links = {"candidate": link_template("hiring.candidate_application",
                                                 application_id=0),
                      "employer": link_template("hiring.employer_application",
                                                application_id=0),
                      "invitations": link_template("hiring.candidate_invitations")}
        self.applications, self.events = [], []
        self.invitations, self.disclosures, self.hired = [], [], []
        self.pairs: set[tuple[int, int]] = set()
        self.count, self.recent, self.settled = (_pick(PER_PERSON), _pick(RECENT),
                                                 _pick(SETTLED))
        self.finished = _pick(FINISHED)

    # --- when and where
    def _moment(self, person) -> datetime | None:
        """People apply mostly in the weeks after they register; None: not yet."""
        moment = person.created + timedelta(days=self.rng.expovariate(1 / APPLY_WITHIN_DAYS))
        return moment if moment < self.clock.end else None

    def _choose(self, person, moment) -> Opening | None:
        """A vacancy open at `moment`, in the person's region and trade if possible, that no
        restriction of theirs rules out."""
        rng = self.rng
        for _ in range(8):
            roll = rng.random()
            pool = (self.by_region_occupation.get((person.region.id, person.occupations[0].id))
                    if roll < 0.6 else self.by_region.get(person.region.id)
                    if roll < 0.9 else None) or self.published
            opening = rng.choice(pool)
            if (opening.published <= moment < (opening.closed or self.clock.end)
                    and (opening.id, person.id) not in self.pairs
                    and not blocked(person, opening, self.region_code[opening.region_id])):
                return opening
        return None

    # --- how far
    def _status(self, person, opening, created) -> str:
        settled = self.clock.end - created > timedelta(days=21)
        status = (self.finished if opening.closed else self.settled if settled
                  else self.recent).pick(self.rng)
        if status == "hired" and (person.hired or opening.hires >= opening.positions
                                  or opening.status == "closed"):
            return "rejected"
        return status

    def _path(self, status: str) -> list[str]:
        """The moves that led to `status`, each one allowed by the pipeline's table."""
        rng = self.rng
        shortlisted = ["shortlist"] if rng.random() < 0.6 else []
        interviewed = ["interview"] if rng.random() < 0.4 else []
        return {"applied": ["apply"], "shortlisted": ["apply", "shortlist"],
                "interview": ["apply", *shortlisted, "interview"],
                "offer": ["apply", "shortlist", "interview", "offer"]
                + (["accept_offer"] if rng.random() < 0.4 else []),
                "hired": ["apply", "shortlist", "interview", "offer", "accept_offer", "hire"],
                "rejected": ["apply", *shortlisted, *interviewed, "reject"],
                "withdrawn": ["apply", *shortlisted, "withdraw"]}[status]

    # --- rows
    def walk(self, people) -> None:
        for person in people:
            for _ in range(self.count.pick(self.rng)):
                moment = self._moment(person)
                opening = self._choose(person, moment) if moment else None
                if opening is not None:
                    self._apply(person, opening, moment)
            if person.discoverable and self.rng.random() < 0.02:
                self._invite_only(person)

    def _apply(self, person, opening: Opening, created: datetime) -> None:
        rng, clock = self.rng, self.clock
        status = self._status(person, opening, created)
        application_id = self.scale.writer.next_id("application")
        self.pairs.add((opening.id, person.id))
        moments, at, before = [], created, None
        for action in self._path(status):
            at = at if not moments else clock.soon(rng, at, 6)
            moments.append((action, at))
            self._event(application_id, person, opening, action, before, at)
            before = TO_STATUS[action]
        responded = next((at for action, at in moments if action == "accept_offer"), None)
        via = person.discoverable and opening.status == "open" and rng.random() < 0.04
        self.applications.append((
            application_id, opening.id, person.id, "", via, status,
            self._rejection(opening) if status == "rejected" else None,
            "accepted" if responded else None, responded, created, moments[-1][1]))
        if via:
            self._invitation(person, opening, created, application_id)
        if status in ("offer", "hired") and rng.random() < 0.45:
            offered = next(at for action, at in moments if action == "offer")
            shared = clock.soon(rng, offered, 2)
            self.disclosures.append((self.scale.writer.next_id("disclosure"), application_id,
                                     dict(zip(("disclosure", "story"),
                                              rng.choice(words.DISCLOSURES), strict=True)),
                                     shared if rng.random() < 0.85 else None, shared))
        if status == "hired":
            person.hired, opening.hires = True, opening.hires + 1
            self.hired.append(Hired(application_id, person, opening, moments[-1][1]))

    def _rejection(self, opening) -> str:
        if opening.status == "filled" and self.rng.random() < 0.7:
            return "position_filled"
        return self.rng.choice(REJECTIONS)

    def _event(self, application_id, person, opening, action, before, at) -> None:
        actor = person.user_id if action in BY_CANDIDATE else opening.organisation.owner_id
        self.events.append((self.scale.writer.next_id("application_event"), application_id,
                            action, before, TO_STATUS[action], actor, "", at))
        details = {"vacancy_id": opening.id} if action == "apply" else {"to": TO_STATUS[action]}
        self.scale.audit.add(f"application:{action}", "application", application_id, actor, at,
                             **details)
        vacancy = {"vacancy": opening.title}
        if action in TO_CANDIDATE:
            self.notify(person.user_id, TO_CANDIDATE[action], vacancy,
                         self.links["candidate"].format(application_id), at)
        if action in TO_EMPLOYER:
            for user_id in (opening.organisation.owner_id, *opening.organisation.member_ids):
                self.notify(user_id, TO_EMPLOYER[action], vacancy,
                             self.links["employer"].format(application_id), at)

    def notify(self, user_id, kind, params, link, at) -> None:
        self.scale.notes.add(user_id, kind, params, link, at)

    # --- invitations
    def _invitation(self, person, opening, applied, application_id) -> None:
        sent = max(applied - timedelta(days=self.rng.randint(1, 5)), opening.published,
                   person.created)
        self._invitation_row(person, opening, sent, "accepted", applied, application_id)

    def _invite_only(self, person) -> None:
        pool = [o for o in self.by_region.get(person.region.id, ()) if o.public]
        opening = self.rng.choice(pool) if pool else None
        if opening is None or (opening.id, person.id) in self.pairs:
            return
        sent = self.clock.between(self.rng, max(opening.published, person.created),
                                  self.clock.end)
        declined = self.clock.end - sent > timedelta(days=20) and self.rng.random() < 0.6
        self._invitation_row(person, opening, sent, "declined" if declined else "pending",
                             self.clock.soon(self.rng, sent, 10) if declined else None, None)

    def _invitation_row(self, person, opening, sent, status, responded, application_id) -> None:
        self.pairs.add((opening.id, person.id))
        invitation_id, owner = (self.scale.writer.next_id("invitation"),
                                opening.organisation.owner_id)
        self.invitations.append((invitation_id, opening.id, person.id, owner,
                                 "Приглашаем на собеседование.", status, application_id, sent,
                                 responded))
        self.scale.audit.add("invitation:send", "invitation", invitation_id, owner, sent,
                             vacancy_id=opening.id)
        self.notify(person.user_id, "invitation_received",
                     {"organisation": opening.organisation.name, "vacancy": opening.title},
                     self.links["invitations"], sent)
        if responded is not None:
            self.scale.audit.add(f"invitation:{status}", "invitation", invitation_id,
                                 person.user_id, responded)

    # --- writing
    def write(self) -> None:
        writer = self.scale.writer
        writer.write("application", APPLICATION_COLUMNS, self.applications)
        writer.write("application_event", ("id", "application_id", "action", "from_status",
                                           "to_status", "actor_id", "reason", "created_at"),
                     self.events)
        writer.write("invitation", ("id", "vacancy_id", "profile_id", "invited_by_id",
                                    "message", "status", "application_id", "created_at",
                                    "responded_at"), self.invitations)
        writer.write("disclosure", ("id", "application_id", "content", "shared_at",
                                    "created_at"), self.disclosures)
        self.applications, self.events, self.invitations, self.disclosures = [], [], [], []


def write_reports(scale, openings, people) -> None:
    """Users' reports of suspicious vacancies: half still open in the staff queue."""
    rng, clock, rows = scale.rng("reports"), scale.clock, []
    for opening in openings:
        if not opening.public or rng.random() >= 0.003:
            continue
        reporter = rng.choice(people)
        created = clock.between(rng, max(opening.published, reporter.created), clock.end)
        resolved = clock.soon(rng, created, 5) if rng.random() < 0.5 else None
        staff = rng.choice(scale.staff[opening.region_id])
        rows.append((scale.writer.next_id("vacancy_report"), opening.id, reporter.user_id,
                     rng.choice(words.REPORT_REASONS), created, resolved,
                     staff if resolved else None, "Проверено, нарушений нет." if resolved else ""))
        scale.audit.add("vacancy:report", "vacancy", opening.id, reporter.user_id, created)
    scale.writer.write("vacancy_report", ("id", "vacancy_id", "reporter_id", "reason",
                                          "created_at", "resolved_at", "resolved_by_id",
                                          "resolution"), rows)
