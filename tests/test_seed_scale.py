"""`flask seed-scale`: a consistent national-size history, written by COPY or batched inserts,
that the app reads as its own (logins, encrypted columns, ledgers, pages, sequences)."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from marketplace.auth.models import Role, User
from marketplace.candidates.models import CandidateProfile, CandidateSkill
from marketplace.demo.scale_people import BULK_DOMAIN
from marketplace.demo.scale_writer import BulkWriter
from marketplace.demo.seed import DEMO_PASSWORD
from marketplace.employers.models import EmployerOrganisation, Vacancy
from marketplace.extensions import db
from marketplace.identifiers import is_valid_bin, is_valid_iin

CANDIDATES, VACANCIES = 300, 60


def _seed(app, *args):
    return app.test_cli_runner().invoke(args=["seed-scale", "--candidates", str(CANDIDATES),
                                              "--vacancies", str(VACANCIES), *args])


@pytest.fixture(autouse=True)
def _isolated():
    """Loading takes seconds (most of it the demo), so this module's tests share one load
    (`seeded`, which empties the tables again at the end) instead of conftest's per-test
    emptying. No test here changes what the others read."""
    yield


@pytest.fixture(scope="module")
def seeded(app):
    from marketplace.extensions import limiter
    from marketplace.matches.index import forget_index

    result = _seed(app, "--seed", "7")
    assert result.exit_code == 0, result.output
    yield result.output
    with app.app_context():
        db.session.rollback()
        _empty()
        forget_index()
    limiter.reset()


def _bulk_profiles():
    return select(CandidateProfile).join(User).where(User.phone.like("+7747%"))


def _bulk_vacancies():
    return (select(Vacancy).join(EmployerOrganisation)
            .where(EmployerOrganisation.contact_email.like(f"%@{BULK_DOMAIN}")))


def _count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery()))


def test_loads_the_asked_sizes_with_realistic_shares(app, seeded):
    from marketplace.cases.models import ReleaseRecord
    from marketplace.restrictions.models import CandidateRestriction

    with app.app_context():
        profiles = db.session.scalars(_bulk_profiles()).all()
        assert len(profiles) == CANDIDATES
        assert _count(_bulk_vacancies()) == VACANCIES
        discoverable = sum(p.discoverable for p in profiles) / CANDIDATES
        assert 0.8 < discoverable < 0.97
        assert all(is_valid_iin(p.iin) for p in profiles)
        assert all(is_valid_bin(v.organisation.bin) for v in db.session.scalars(_bulk_vacancies()))
        skills = dict(db.session.execute(
            select(CandidateSkill.profile_id, func.count()).group_by(CandidateSkill.profile_id)
        ).all())
        assert all(5 <= skills[p.id] <= 15 for p in profiles)
        assert _count(select(CandidateSkill).join(CandidateProfile).join(User).where(
            User.phone.like("+7747%"), CandidateSkill.skill_id.is_(None))) > 0, "typed skills"
        released = _count(select(ReleaseRecord.id).join(CandidateProfile).join(User)
                          .where(User.phone.like("+7747%")))
        assert 0.6 < released / CANDIDATES < 0.9
        restricted = db.session.scalar(
            select(func.count(func.distinct(CandidateRestriction.profile_id)))
            .join(CandidateProfile).join(User).where(User.phone.like("+7747%")))
        assert 0.15 < restricted / CANDIDATES < 0.4
        public = [v for v in db.session.scalars(_bulk_vacancies())
                  if v.status.value == "open" and v.hidden_at is None
                  and v.organisation.status.value == "verified"]
        assert 0.5 < len(public) / VACANCIES < 0.9
    assert "Total:" in seeded and "candidate_skill" in seeded


def test_every_row_is_one_the_app_reads_as_its_own(app, seeded):
    """Foreign keys hold, encrypted columns decrypt, every ledger balances, and new rows
    written by the ORM afterwards get fresh ids (the sequences moved past the bulk ids)."""
    from marketplace.cases.models import ReleaseRecord
    from marketplace.hiring.models import Application
    from marketplace.incentives.budget import account_balance, claim_balance
    from marketplace.incentives.models import BudgetAccount, Claim
    from marketplace.restrictions.models import CandidateRestriction

    with app.app_context():
        orphans = select(Vacancy.id).outerjoin(EmployerOrganisation).where(
            EmployerOrganisation.id.is_(None))
        assert _count(orphans) == 0
        assert _count(select(Application.id).outerjoin(Vacancy).where(Vacancy.id.is_(None))) == 0
        keys = {"court_ban": {"occupations", "sectors", "until"},
                "curfew": {"start", "end", "until"}, "territory": {"regions", "cities", "until"}}
        for restriction in db.session.scalars(select(CandidateRestriction)):
            assert set(restriction.data) == keys[restriction.kind.value]
        assert all(r.details["document"] for r in db.session.scalars(select(ReleaseRecord)))
        for account in db.session.scalars(select(BudgetAccount)):
            assert account_balance(account).balanced
        claims = db.session.scalars(select(Claim)).all()
        assert claims
        assert all(claim_balance(c.id).committed >= 0 for c in claims)
        assert all(claim_balance(c.id).committed == 0 for c in claims
                   if c.status.value == "completed")
        user = User(role=Role.CANDIDATE, full_name="Жаңа", phone="+77029999999",
                    password_hash="!")  # noqa: S106 - not a hash: this account never signs in
        db.session.add(user)
        db.session.commit()
        assert user.id > db.session.scalar(select(func.max(User.id)).where(User.id != user.id))


def test_demo_and_bulk_accounts_sign_in_and_pages_answer(app, seeded, client):
    pages = {"staff.karaganda@demo.kz": ("/staff/", "/staff/dashboard/", "/staff/claims"),
             "admin@demo.kz": ("/staff/dashboard/",),
             "employer1@demo.kz": ("/employer/claims",),
             "+77010000001": ("/candidate/recommendations",),
             f"owner1@{BULK_DOMAIN}": ("/employer/",),
             "+77470000001": ("/candidate/applications",)}
    assert client.get("/jobs").status_code == 200
    assert client.get("/jobs?q=сварщик").status_code == 200
    for login, paths in pages.items():
        response = client.post("/login", data={"identifier": login, "password": DEMO_PASSWORD})
        assert response.status_code == 302, login
        for path in paths:
            assert client.get(path).status_code == 200, (login, path)
        client.post("/logout")


def test_refuses_a_second_load_and_changes_nothing(app, seeded):
    with app.app_context():
        before = db.session.scalar(select(func.count(User.id)))
    result = _seed(app)
    assert result.exit_code == 1
    assert "already holds a bulk load" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == before


def test_a_row_pointing_nowhere_fails_the_load_and_the_keys_stay(app, seeded):
    """PostgreSQL's keys are dropped for the load and validated when added back; SQLite
    checks each row. Either way a dangling reference fails, and the rollback keeps the keys."""
    import sqlite3

    from sqlalchemy.exc import IntegrityError

    from marketplace.cases.models import CaseNote

    with app.app_context():
        author = db.session.scalar(select(func.min(User.id)))
        writer = BulkWriter(db.session, echo=lambda *_: None)
        writer.suspend_foreign_keys()
        with pytest.raises((IntegrityError, sqlite3.IntegrityError), match="(?i)foreign key"):
            writer.write("case_note", ("id", "case_id", "author_id", "body", "was_contact",
                                       "created_at"),
                         [(writer.next_id("case_note"), 10**9, author, "-", False,
                           datetime.now(UTC))])
            writer.finish()
        db.session.rollback()
        assert _count(select(CaseNote.id).where(CaseNote.case_id == 10**9)) == 0
        with pytest.raises(IntegrityError):
            db.session.add(CaseNote(case_id=10**9, author_id=author, body="-"))
            db.session.flush()
        db.session.rollback()


def _empty() -> None:
    from tests.conftest import REFERENCE_TABLES

    for table in reversed(db.metadata.sorted_tables):
        if table.name not in REFERENCE_TABLES:
            db.session.execute(table.delete())
    db.session.commit()


class RecordingWriter(BulkWriter):
    """Takes ids from the database like the real writer, and keeps the rows instead of
    writing them."""

    def __init__(self, session):
        super().__init__(session, echo=lambda *_: None)
        self.recorded: dict[str, list] = {}

    def write(self, table, columns, rows) -> int:
        if "id" in db.metadata.tables[table].c:
            self.next_ids(table, 0)
        kept = self.recorded.setdefault(table, [])
        kept += [tuple(row) for row in rows]
        return len(kept)


def _generated(seed: int) -> dict[str, list]:
    from marketplace.demo.scale import load, prepare

    writer = RecordingWriter(db.session)
    scale = prepare(db.session, writer, seed, date(2026, 6, 15))
    scale.password_hash = "same"  # noqa: S105 - argon2 salts each hash at random by design
    load(scale, 60, 15, echo=lambda *_: None)
    db.session.rollback()
    return writer.recorded


def test_the_same_seed_generates_the_same_rows(app, seeded):
    """Every row of every table, ids included, is a function of the seed, the day and the
    database it is added to (encryption happens later, in the columns' own types)."""
    with app.app_context():
        first = _generated(11)
        assert first == _generated(11)
        other = _generated(12)
    assert set(first) == set(other)
    assert first["candidate_profile"] != other["candidate_profile"]
    assert len(first["candidate_profile"]) == 60 and len(first["vacancy"]) == 15
