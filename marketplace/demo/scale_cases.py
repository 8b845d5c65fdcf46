"""The job centre's side of the candidates: release records (target-group verification) and
court bans and supervision conditions (both encrypted by their column type, as the services
store them), certificates, re-offences, and casework (managers, notes, follow-up tasks and the
call-backs that low check-in scores raise)."""

from datetime import timedelta

from marketplace.demo import scale_content as words

RELEASED_SHARE = 0.75
# 28% of all candidates: more often among those whose release staff have recorded.
RESTRICTED_IF_RELEASED, RESTRICTED_OTHERWISE = 0.33, 0.13
BANNABLE_SECTORS = ("education", "healthcare", "security", "finance", "transport")


def write_releases_and_restrictions(scale, people) -> None:
    rng, clock = scale.rng("releases"), scale.clock
    releases, restrictions = [], []
    for p in people:
        officer = rng.choice(scale.staff[p.region.id])
        if rng.random() < RELEASED_SHARE:
            p.released = p.created.date() - timedelta(days=rng.randint(5, 300))
            p.verified_at = clock.soon(rng, p.created, 20)
            details = {"institution": rng.choice(words.INSTITUTIONS),
                       "document": words.RELEASE_DOCUMENT.format(n=rng.randint(1000, 99999))}
            releases.append((scale.writer.next_id("release_record"), p.id, p.released, details,
                             officer, p.verified_at))
            scale.audit.add("release:record", "release_record", releases[-1][0], officer,
                            p.verified_at, profile_id=p.id, replaced=False)
        share = RESTRICTED_IF_RELEASED if p.released else RESTRICTED_OTHERWISE
        if rng.random() < share:
            restrictions += _restrictions(scale, rng, p, officer)
    scale.writer.write("release_record", ("id", "profile_id", "release_date", "details",
                                          "verified_by_id", "verified_at"), releases)
    scale.writer.write("candidate_restriction", ("id", "profile_id", "kind", "data",
                                                 "recorded_by_id", "created_at", "lifted_at"),
                       restrictions)


def _until(scale, rng) -> str | None:
    roll = rng.random()
    if roll < 0.4:
        return None
    days = rng.randint(-200, -1) if roll < 0.5 else rng.randint(30, 900)
    return (scale.clock.today + timedelta(days=days)).isoformat()


def _restrictions(scale, rng, p, officer) -> list[tuple]:
    kinds = [kind for kind, share in (("court_ban", 0.5), ("curfew", 0.45), ("territory", 0.3))
             if rng.random() < share] or ["court_ban"]
    recorded = p.verified_at or scale.clock.soon(rng, p.created, 10)
    rows = []
    for kind in kinds:
        until = _until(scale, rng)
        if kind == "court_ban":
            banned = {rng.choice(scale.ref.occupations).code for _ in range(rng.randint(1, 2))}
            if rng.random() < 0.15:
                banned.add(p.occupations[0].code)
            sectors = [rng.choice(BANNABLE_SECTORS)] if rng.random() < 0.3 else []
            data = {"occupations": sorted(banned), "sectors": sectors, "until": until}
        elif kind == "curfew":
            data = {"start": rng.choice(("21:00", "22:00", "23:00")),
                    "end": rng.choice(("06:00", "07:00")), "until": until}
        else:
            allowed = {p.region.code} | ({scale.ref.region_pick.pick(rng).code}
                                         if rng.random() < 0.2 else set())
            data = {"regions": sorted(allowed), "cities": [], "until": until}
        lifted = scale.clock.soon(rng, recorded + timedelta(days=30), 170) \
            if rng.random() < 0.06 else None
        restriction_id = scale.writer.next_id("candidate_restriction")
        rows.append((restriction_id, p.id, kind, data, officer, recorded, lifted))
        scale.audit.add("restriction:record", "candidate_restriction", restriction_id, officer,
                        recorded, profile_id=p.id, kind=kind)
        if lifted is None and (until is None or until >= scale.clock.today.isoformat()):
            _remember(p, kind, data)
    return rows


def _remember(p, kind: str, data: dict) -> None:
    """What the hard filters will refuse, so nobody applies where the rules forbid it."""
    if kind == "court_ban":
        p.bans = p.bans | {f"o:{c}" for c in data["occupations"]} | {
            f"s:{c}" for c in data["sectors"]}
    elif kind == "curfew":
        p.curfew = True
    else:
        p.territory = frozenset(data["regions"])


def blocked(p, opening, region_code: str) -> bool:
    occupation = opening.occupation
    return (f"o:{occupation.code}" in p.bans or f"s:{occupation.sector_code}" in p.bans
            or (p.curfew and opening.schedule == "night")
            or (p.territory is not None and region_code not in p.territory))


# --- certificates, re-offences and casework ---------------------------------------------------

def write_certificates(scale, people) -> None:
    rng, clock, taken = scale.rng("certificates"), scale.clock, set()
    certificates, links = [], []
    for p in people:
        if rng.random() >= 0.18:
            continue
        certificate_id = scale.writer.next_id("certificate")
        submitted = clock.soon(rng, p.created, 30)
        issued = (p.released or p.created.date()) - timedelta(days=rng.randint(30, 900))
        expires = issued + timedelta(days=365 * rng.randint(3, 5)) if rng.random() < 0.2 else None
        roll, officer = rng.random(), rng.choice(scale.staff[p.region.id])
        status = "verified" if roll < 0.8 else "pending" if roll < 0.94 else "rejected"
        decided = clock.soon(rng, submitted, 12) if status != "pending" else None
        code = _code(rng, taken)
        certificates.append((
            certificate_id, p.id, p.occupations[0].names[1], rng.choice(words.INSTITUTIONS),
            issued, expires, status, "Неразборчивый скан, загрузите снова."
            if status == "rejected" else None, code, officer if status == "verified" else None,
            decided if status == "verified" else None, submitted, submitted, decided or submitted))
        own = [s for s in p.skill_ids if s in p.occupations[0].skill_ids] or p.skill_ids
        links += [(certificate_id, s) for s in own[:rng.randint(1, 3)]]
        scale.audit.add("certificate:add", "certificate", certificate_id, p.user_id, submitted,
                        profile_id=p.id, scan=False, skills=[])
        if decided is not None:
            scale.audit.add(f"certificate:{'verify' if status == 'verified' else 'reject'}",
                            "certificate", certificate_id, officer, decided, profile_id=p.id)
    scale.writer.write("certificate", (
        "id", "profile_id", "title", "issuer", "issued_on", "expires_on", "status",
        "rejection_reason", "verification_code", "verified_by_id", "verified_at",
        "submitted_at", "created_at", "updated_at"), certificates)
    scale.writer.write("certificate_skill", ("certificate_id", "skill_id"), links)


def _code(rng, taken: set[str]) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    while (code := "".join(rng.choices(alphabet, k=12))) in taken:
        pass
    taken.add(code)
    return code


def write_reoffences(scale, people) -> None:
    rng, clock, rows = scale.rng("reoffences"), scale.clock, []
    for p in people:
        if p.released is None or rng.random() >= 0.015:
            continue
        occurred = clock.soon(rng, p.created + timedelta(days=20), 400)
        officer = rng.choice(scale.staff[p.region.id])
        kind = "reincarceration" if rng.random() < 0.6 else "new_conviction"
        rows.append((scale.writer.next_id("reoffence"), p.id, kind, occurred.date(),
                     {"note": rng.choice(words.REOFFENCE_NOTES)}, officer,
                     clock.soon(rng, occurred, 20)))
        scale.audit.add("reoffence:record", "reoffence", rows[-1][0], officer, rows[-1][-1],
                        profile_id=p.id, kind=kind)
    scale.writer.write("reoffence", ("id", "profile_id", "kind", "occurred_on", "details",
                                     "recorded_by_id", "recorded_at"), rows)


def write_casework(scale, people, call_backs: dict) -> None:
    """A case for a third of the verified people and for everyone owed a call-back; notes and
    follow-up tasks (the open ones fill the staff home's queue)."""
    rng, clock, writer = scale.rng("cases"), scale.clock, scale.writer
    cases, notes, tasks = [], [], []
    for p in people:
        if p.id not in call_backs and (p.released is None or rng.random() >= 0.35):
            continue
        case_id, officers = writer.next_id("case"), scale.staff[p.region.id]
        manager = rng.choice(officers) if rng.random() < 0.85 else None
        opened = p.verified_at or p.created
        consent = clock.soon(rng, opened, 30) if rng.random() < 0.1 else None
        case_notes = [(writer.next_id("case_note"), case_id, manager or rng.choice(officers),
                       rng.choice(words.CASE_NOTES), rng.random() < 0.6,
                       clock.soon(rng, opened, 300)) for _ in range(rng.choice((0, 1, 1, 2, 3)))]
        contact = max((n[5] for n in case_notes if n[4]), default=None)
        cases.append((case_id, p.id, manager, rng.choice(words.NEXT_STEPS), contact, consent,
                      "Подписанное согласие" if consent else "", manager if consent else None,
                      opened))
        notes += case_notes
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            created = clock.soon(rng, opened, 300)
            due = created.date() + timedelta(days=rng.randint(3, 60))
            done = clock.soon(rng, created, (due - created.date()).days + 3) \
                if due < clock.today - timedelta(days=3) and rng.random() < 0.8 else None
            tasks.append(_task(writer, case_id, "follow_up", rng.choice(words.TASK_TITLES),
                               due, manager or officers[0], created, done))
        for recorded, officer in call_backs.get(p.id, ()):
            due = recorded.date() + timedelta(days=3)
            done = clock.soon(rng, recorded, 6) if rng.random() < 0.7 else None
            tasks.append(_task(writer, case_id, "call_back", "Перезвонить: низкая оценка",
                               due, officer, recorded, done))
        _audit_case(scale, p, cases[-1], case_notes)
    writer.write("case", ("id", "profile_id", "manager_id", "next_step", "last_contact_at",
                          "consent_at", "consent_note", "consent_recorded_by_id", "opened_at"),
                 cases)
    writer.write("case_note", ("id", "case_id", "author_id", "body", "was_contact",
                               "created_at"), notes)
    writer.write("case_task", ("id", "case_id", "kind", "title", "due_on", "created_by_id",
                               "created_at", "done_at", "done_by_id"), tasks)


def _task(writer, case_id, kind, title, due, author, created, done) -> tuple:
    done_at = done if done is not None and done.date() >= created.date() else None
    return (writer.next_id("case_task"), case_id, kind, title, due, author, created, done_at,
            author if done_at else None)


def _audit_case(scale, p, case, case_notes) -> None:
    case_id, manager, opened = case[0], case[2], case[8]
    if manager is not None:
        scale.audit.add("case:assign", "case", case_id, manager, opened, profile_id=p.id,
                        manager_id=manager)
    for note in case_notes:
        scale.audit.add("case:note", "case_note", note[0], note[2], note[5], profile_id=p.id,
                        was_contact=note[4])
