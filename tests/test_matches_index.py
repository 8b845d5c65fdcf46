"""The matching index at national scale: set-based loading in chunks, host snapshots that
workers map, the change log replayed on top, the atomic swap, and the ranked pages' queries."""

import os
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import event, select, text

import matching
from marketplace import create_app
from marketplace.auth.models import User
from marketplace.candidates.models import (
    CandidateLanguage,
    CandidateProfile,
    CandidateSkill,
    DesiredOccupation,
    LanguageCode,
    LanguageLevel,
    WorkHistoryEntry,
)
from marketplace.certificates import services as certificates
from marketplace.employers.models import Schedule, Vacancy, VacancyStatus
from marketplace.extensions import db
from marketplace.matches import index as match_index
from marketplace.matches import jobs, loading, snapshots
from marketplace.matches.changes import record_change
from marketplace.matches.index import build_index, current_index
from marketplace.reference.models import City, Occupation, Region
from marketplace.restrictions import services as restrictions
from tests.factories import make_candidate, make_vacancy, skill_by_code
from tests.querycount import assert_constant_queries

ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")


# -- the conversion the engine used before set-based loading, kept as the oracle ------------

def _names(occupation):
    return tuple(occupation.name_in(lang) for lang in ("kk", "ru", "en")) if occupation else ()


def orm_candidate(profile, restrictions_, certified) -> matching.Candidate:
    titles = []
    for entry in profile.work_history:
        titles.append(entry.job_title)
        titles.extend(_names(entry.occupation))
    salary = profile.salary_expectation
    return matching.Candidate(
        id=profile.id, title=profile.desired_title or "",
        desired_titles=tuple(n for o in profile.desired_occupations for n in _names(o)),
        previous_titles=tuple(dict.fromkeys(t for t in titles if t)),
        summary=profile.summary or "",
        skills=tuple(matching.CandidateSkill(name=e.skill.code, skill_id=e.skill.code,
                                             years=e.years, certified=e.skill.code in certified)
                     if e.skill else matching.CandidateSkill(name=e.free_text or "", years=e.years)
                     for e in profile.skills),
        region=profile.region.code if profile.region else None,
        city=profile.city.code if profile.city else None,
        relocate=bool(profile.willing_to_relocate), experience_years=profile.experience_years,
        schedules=profile.schedules,
        salary_expectation=float(salary) if salary is not None else None,
        languages=frozenset(e.language.value if e.language.value != "other"
                            else e.name.strip().casefold() for e in profile.languages),
        restrictions=restrictions_ or matching.Restrictions())


def orm_vacancy(vacancy) -> matching.Vacancy:
    occupation = vacancy.occupation
    skills = sorted(vacancy.skills, key=lambda vs: vs.id)
    return matching.Vacancy(
        id=vacancy.id, title=vacancy.title, occupation=occupation.code if occupation else None,
        sector=occupation.sector.code if occupation and occupation.sector else None,
        description=vacancy.description or "",
        required_skills=tuple(vs.skill.code for vs in skills if vs.required),
        optional_skills=tuple(vs.skill.code for vs in skills if not vs.required),
        region=vacancy.region.code if vacancy.region else None,
        city=vacancy.city.code if vacancy.city else None,
        schedule=vacancy.schedule.value if vacancy.schedule else None,
        salary_min=float(vacancy.salary_min) if vacancy.salary_min is not None else None,
        salary_max=float(vacancy.salary_max) if vacancy.salary_max is not None else None)


def _occupations(count):
    return db.session.scalars(select(Occupation).where(Occupation.level == "occupation",
                                                       Occupation.sector_id.is_not(None))
                              .order_by(Occupation.code).limit(count)).all()


@pytest.fixture
def full_profile(app, make_user, skill_codes):
    """A discoverable profile using every field the engine reads, with a restriction and a
    verified certificate."""
    candidate, profile_id = make_candidate(app, make_user, skill_codes)
    staff = make_user("staff")
    with app.app_context():
        profile = db.session.get(CandidateProfile, profile_id)
        first, second = _occupations(2)
        city = db.session.scalar(select(City).join(Region).where(Region.code == "KZ-AST"))
        profile.city, profile.summary, profile.willing_to_relocate = city, "Опыт", True
        profile.salary_expectation, profile.schedules = Decimal("210000.50"), {"day", "night"}
        profile.desired_occupation_links = [DesiredOccupation(occupation=second, position=0),
                                            DesiredOccupation(occupation=first, position=1)]
        profile.work_history = [
            WorkHistoryEntry(employer_name="ТОО", job_title="Сварщик", occupation=first,
                             started_on=date(2015, 1, 1), ended_on=date(2018, 1, 1)),
            WorkHistoryEntry(employer_name="ИП", job_title="Грузчик",
                             started_on=date(2019, 1, 1))]
        profile.languages = [
            CandidateLanguage(language=LanguageCode.KK, level=LanguageLevel.NATIVE),
            CandidateLanguage(language=LanguageCode.OTHER, name=" Uzbek ",
                              level=LanguageLevel.FLUENT)]
        profile.skills[0].years = 4
        profile.skills.append(CandidateSkill(free_text="резка металла", level=3))
        certificate = certificates.add_certificate(
            profile, title="Сварщик", issuer="Колледж", issued_on=date(2025, 1, 1),
            expires_on=None, skill_ids=[skill_by_code(skill_codes[0]).id],
            actor=db.session.get(User, candidate.id))
        certificates.verify(certificate, staff=db.session.get(User, staff.id))
        restrictions.record_court_ban(profile, occupations=[first.code],
                                      actor=db.session.get(User, staff.id))
        restrictions.record_curfew(profile, start="22:00", end="06:00",
                                   actor=db.session.get(User, staff.id))
        db.session.commit()
    return profile_id


def test_bulk_loaded_candidate_equals_the_single_row_conversion(app, full_profile, make_user,
                                                                skill_codes):
    _, plain_id = make_candidate(app, make_user, skill_codes[:1], title="")
    with app.app_context():
        bulk = {c.id: c for chunk in loading.discoverable_candidates() for c in chunk}
        by_id = loading.candidates_by_id([full_profile, plain_id])
        for profile_id in (full_profile, plain_id):
            profile = db.session.get(CandidateProfile, profile_id)
            expected = orm_candidate(
                profile, restrictions.matching_restrictions([profile_id]).get(profile_id),
                certificates.certified_skill_codes([profile_id])[profile_id])
            assert bulk[profile_id] == by_id[profile_id] == expected
        full = bulk[full_profile]
        assert len(full.desired_titles) == 6 and len(full.previous_titles) >= 4
        assert full.restrictions.curfew == ("22:00", "06:00") and full.restrictions.bans
        assert [s.certified for s in full.skills][:2] == [True, False]
        assert full.languages == {"kk", "uzbek"} and full.salary_expectation == 210000.5


def test_bulk_loaded_vacancy_equals_the_single_row_conversion(app, make_user, skill_codes):
    employer = make_user("employer")
    vacancy_id = make_vacancy(app, employer, skill_codes)
    make_vacancy(app, employer, skill_codes, title="Черновик",
                 status=VacancyStatus.DRAFT)
    with app.app_context():
        vacancy = db.session.get(Vacancy, vacancy_id)
        vacancy.occupation = _occupations(1)[0]
        vacancy.city = db.session.scalar(select(City).join(Region).where(Region.code == "KZ-AST"))
        vacancy.schedule, vacancy.description = Schedule.NIGHT, "Ночные смены"
        vacancy.skills[1].required = False
        db.session.commit()
        bulk = [v for chunk in loading.public_vacancies() for v in chunk]
        assert [v.id for v in bulk] == [vacancy_id], "drafts are not public"
        assert bulk[0] == loading.vacancies_by_id([vacancy_id])[vacancy_id] == orm_vacancy(
            db.session.get(Vacancy, vacancy_id))
        assert bulk[0].sector and bulk[0].optional_skills == (skill_codes[1],)


FIXED_PARAMETERS = 2  # e.g. a certificate's status and today's date next to a chunk's ids


class ParameterLog:
    """Every statement's parameter count (executemany counts each row)."""

    def __init__(self, engine):
        self.counts: list[tuple[int, str]] = []
        self.engine = engine

    def _record(self, conn, cursor, statement, parameters, context, executemany):
        rows = parameters if executemany else [parameters]
        for row in rows:
            self.counts.append((len(row or ()), statement))

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._record)


def test_building_reads_in_chunks_with_bounded_parameters(app, make_user, skill_codes,
                                                          monkeypatch):
    """Chunks of 5: no statement carries more than a chunk's ids plus a few fixed values (a
    status, a date), however many profiles there are."""
    ids = [make_candidate(app, make_user, skill_codes)[1] for _ in range(12)]
    make_candidate(app, make_user, skill_codes, discoverable=False)
    monkeypatch.setattr(loading, "CHUNK", 5)
    monkeypatch.setattr(loading, "STREAM_CHUNK", 5)
    with app.app_context(), ParameterLog(db.engine) as log:
        index = build_index()
        found = loading.candidates_by_id(ids)
    assert index.n_candidates == 12 and set(found) == set(ids)
    assert max(count for count, _ in log.counts) <= 5 + FIXED_PARAMETERS, sorted(log.counts)[-3:]
    profile_reads = [sql for _, sql in log.counts if sql.startswith("SELECT candidate_profile.id")]
    assert len(profile_reads) == 4 + 3, "streamed in 3 chunks and an empty read; by id in 3"


@pytest.mark.postgres_only
@pytest.mark.skipif(not ON_POSTGRES, reason="the 65,535-parameter limit is PostgreSQL's")
def test_index_builds_from_more_profiles_than_postgresql_takes_parameters(app, make_user,
                                                                         skill_codes):
    many = 70_000
    _, restricted_id = make_candidate(app, make_user, skill_codes, title="Ночной сварщик")
    staff = make_user("staff")
    with app.app_context():
        try:
            _insert_minimal_profiles(many)
            profile = db.session.get(CandidateProfile, restricted_id)
            restrictions.record_curfew(profile, start="22:00", end="06:00",
                                       actor=db.session.get(User, staff.id))
            db.session.commit()
            index = build_index()
            assert index.n_candidates == many + 1
            day, night = (matching.Vacancy(schedule, title="Сварщик", schedule=schedule,
                                           required_skills=tuple(skill_codes))
                          for schedule in ("day", "night"))
            assert restricted_id in {m.id for m in index.rank_candidates(day, top_k=5).items}
            assert restricted_id not in {m.id for m in index.rank_candidates(
                night, top_k=many + 1).items}, "a curfew read in a later chunk still counts"
        finally:
            db.session.rollback()
            # Far faster than the per-table DELETEs of the shared clean-up.
            db.session.execute(text('TRUNCATE "user", candidate_profile CASCADE'))
            db.session.commit()


def _insert_minimal_profiles(count: int) -> None:
    """Discoverable profiles with a title only, inserted by the database itself."""
    db.session.execute(text(
        "INSERT INTO \"user\" (email, password_hash, role, full_name, active, created_at,"
        " password_changed_at) SELECT 'bulk' || n || '@example.kz', 'x', 'candidate',"
        " 'Bulk', true, now(), now() FROM generate_series(1, :n) AS n"), {"n": count})
    db.session.execute(text(
        "INSERT INTO candidate_profile (user_id, desired_title, summary, discoverable,"
        " schedule_day, schedule_shifts, schedule_night, schedule_rotational,"
        " willing_to_relocate, created_at, updated_at) SELECT id, 'Сварщик', '', true,"
        " true, false, false, false, false, now(), now() FROM \"user\""
        " WHERE email LIKE 'bulk%'"))


# -- snapshots --------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def _no_snapshot_left(app):
    """Snapshots share the session's folder: later tests must find none."""
    yield
    root = Path(app.config["MATCHING_SNAPSHOT_DIR"])
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()


def _worker(app, **config):
    """Another process of the same host (a gunicorn worker in production)."""
    return create_app({**app.config, "MATCHING_BUILD_INLINE": False, **config})


@pytest.fixture
def worker(app):
    worker = _worker(app)
    yield worker
    with worker.app_context():
        match_index.forget_index()
        db.engine.dispose()


@pytest.fixture
def built(app):
    """A snapshot of the current data, built as `flask matching-build` does."""
    def build():
        with app.app_context():
            return snapshots.build_snapshot()
    return build


def _ranking(index, vacancy_id):
    return [(m.id, m.score, m.explanation) for m in index.rank_candidates(
        loading.vacancies_by_id([vacancy_id])[vacancy_id], top_k=50).items]


def test_a_mapped_snapshot_ranks_like_a_fresh_build_and_replays_later_changes(
        app, worker, built, make_user, skill_codes):
    employer = make_user("employer")
    vacancy_id = make_vacancy(app, employer, skill_codes)
    for n in range(4):
        make_candidate(app, make_user, skill_codes[: 1 + n % 3], title=f"Сварщик {n}")
    pointer = built()
    with app.app_context():
        fresh = _ranking(build_index(), vacancy_id)
    with worker.app_context():
        mapped = current_index()
        assert isinstance(mapped.parts()[2].col("region"), np.memmap)
        assert _ranking(mapped, vacancy_id) == fresh and len(fresh) == 4
    _, late_id = make_candidate(app, make_user, skill_codes, title="Поздний")
    with worker.app_context():
        assert late_id in {m.id for m in current_index().rank_candidates(
            loading.vacancies_by_id([vacancy_id])[vacancy_id]).items}, "replayed the log"
        assert match_index._holder().seen > pointer["version"]


def test_a_new_snapshot_is_swapped_in_while_the_old_one_keeps_serving(
        app, worker, built, make_user, skill_codes):
    employer = make_user("employer")
    vacancy_id = make_vacancy(app, employer, skill_codes)
    make_candidate(app, make_user, skill_codes)
    first = built()
    with worker.app_context():
        old = current_index()
        vacancy = loading.vacancies_by_id([vacancy_id])[vacancy_id]
    make_candidate(app, make_user, skill_codes)
    second = built()
    with app.app_context():
        assert snapshots.cleanup(snapshots.snapshot_root(), grace_seconds=0) == [first["dir"]]
    assert old.rank_candidates(vacancy).total == 1, "files of the old snapshot stay mapped"
    with worker.app_context():
        new = current_index()
        assert new is not old and new.rank_candidates(vacancy).total == 2
        assert match_index._holder().seen == second["version"] > first["version"]


def test_a_snapshot_of_another_database_is_ignored(app, tmp_path, built, make_user,
                                                   skill_codes):
    make_candidate(app, make_user, skill_codes)
    built()
    other = _worker(app, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'other.db'}")
    with other.app_context():
        db.create_all()
        assert snapshots.current_snapshot(snapshots.snapshot_root()) is None
        db.engine.dispose()


def test_without_a_snapshot_production_asks_for_a_build_and_says_so(
        app, worker, make_user, login, skill_codes, monkeypatch):
    requested = []
    monkeypatch.setattr(jobs, "request_build", lambda **kw: requested.append(kw) or "process")
    employer = make_user("employer")
    vacancy_id = make_vacancy(app, employer, skill_codes)
    candidate, _ = make_candidate(app, make_user, skill_codes)
    client = worker.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.post("/login", data={"identifier": employer.login, "password": employer.password})
    page = client.get(f"/employer/vacancies/{vacancy_id}/candidates").get_data(as_text=True)
    assert "The ranking is being prepared" in page
    assert len(requested) == 1
    client.post("/logout")
    client.post("/login", data={"identifier": candidate.login, "password": candidate.password})
    page = client.get("/candidate/recommendations").get_data(as_text=True)
    assert "The ranking is being prepared" in page
    assert len(requested) == 1, "asked once, not on every request"


def test_a_restricted_candidate_without_an_index_sees_no_job_as_open(app, worker, make_user,
                                                                     skill_codes, monkeypatch):
    from marketplace.matches.services import blocked_vacancy_ids

    monkeypatch.setattr(jobs, "request_build", lambda **kw: "process")
    vacancy_id = make_vacancy(app, make_user("employer"), skill_codes)
    _, profile_id = make_candidate(app, make_user, skill_codes)
    staff = make_user("staff")
    with app.app_context():
        restrictions.record_curfew(db.session.get(CandidateProfile, profile_id), start="23:00",
                                   end="05:00", actor=db.session.get(User, staff.id))
        db.session.commit()
    with worker.app_context():
        assert blocked_vacancy_ids(db.session.get(CandidateProfile, profile_id)) == {vacancy_id}


def test_matching_build_and_refresh_commands(app, make_user, skill_codes):
    make_candidate(app, make_user, skill_codes)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["matching-build"])
    assert result.exit_code == 0 and "1 candidates, 0 vacancies" in result.output, result.output
    result = runner.invoke(args=["matching-build", "--if-needed"])
    assert "up to date" in result.output
    make_candidate(app, make_user, skill_codes)
    assert "up to date" in runner.invoke(args=["matching-build", "--if-needed"]).output, (
        "a new profile is replayed, not rebuilt")
    with app.app_context():
        record_change("taxonomy", 1)
        db.session.commit()
    assert "Matching snapshot" in runner.invoke(args=["matching-build", "--if-needed"]).output
    with app.app_context():
        before = snapshots.read_pointer(snapshots.snapshot_root())
    result = runner.invoke(args=["matching-refresh"])
    assert result.exit_code == 0 and "Matching snapshot" in result.output, result.output
    with app.app_context():
        assert snapshots.read_pointer(snapshots.snapshot_root())["dir"] != before["dir"]


def test_without_redis_a_build_is_asked_of_a_separate_process(app, monkeypatch):
    started = []
    monkeypatch.setattr(jobs.subprocess, "Popen", lambda command, **kw: started.append(command))
    with app.app_context():
        assert jobs.request_build(min_version=42) == "process"
    assert started[0][-3:] == ["matching-build", "--min-version", "42"]


def test_a_build_covering_the_asked_version_already_is_skipped(app, built, make_user,
                                                              skill_codes):
    make_candidate(app, make_user, skill_codes)
    pointer = built()
    with app.app_context():
        assert snapshots.build_snapshot(min_version=pointer["version"]) is None
        assert snapshots.build_snapshot(min_version=pointer["version"] + 1) is not None


# -- the ranked pages issue a fixed number of statements ---------------------------------------

def _page_queries(client, count_queries, url):
    client.get(url)  # index brought up to date, templates compiled
    with count_queries() as queries:
        assert client.get(url).status_code == 200
    return queries


def test_ranked_candidates_page_queries_do_not_grow_with_the_rows(
        app, client, make_user, login, skill_codes, count_queries):
    employer = make_user("employer")
    vacancy_id = make_vacancy(app, employer, skill_codes)
    login(employer)
    url = f"/employer/vacancies/{vacancy_id}/candidates"
    counts = {}
    for size, new in ((2, 2), (8, 6)):
        for _ in range(new):
            make_candidate(app, make_user, skill_codes)
        counts[size] = _page_queries(client, count_queries, url)
    assert_constant_queries(counts)
    assert counts[8].count <= 12, counts[8].report()
    with app.app_context():
        names = [skill_by_code(code).name_en for code in skill_codes]
    assert f"<dt>Skills</dt><dd>{', '.join(names)}</dd>" in client.get(url).get_data(as_text=True)


def test_recommendations_page_queries_do_not_grow_with_the_rows(
        app, client, make_user, login, skill_codes, count_queries):
    employer = make_user("employer")
    candidate, _ = make_candidate(app, make_user, skill_codes[:2])
    login(candidate)
    counts = {}
    for size, new in ((2, 2), (8, 6)):
        for _ in range(new):
            make_vacancy(app, employer, skill_codes)
        counts[size] = _page_queries(client, count_queries, "/candidate/recommendations")
    assert_constant_queries(counts)
    assert counts[8].count <= 18, counts[8].report()


def test_a_ranking_is_remembered_until_the_index_changes(app, make_user, skill_codes,
                                                         monkeypatch):
    from marketplace.matches import services

    vacancy_id = make_vacancy(app, make_user("employer"), skill_codes)
    make_candidate(app, make_user, skill_codes)
    with app.app_context():
        index, calls = current_index(), []
        rank = index.rank_candidates
        monkeypatch.setattr(index, "rank_candidates",
                            lambda *args, **kw: calls.append(args) or rank(*args, **kw))
        vacancy = db.session.get(Vacancy, vacancy_id)
        first, again = services.ranked_candidates(vacancy), services.ranked_candidates(vacancy)
        assert len(calls) == 1 and again.total == first.total == 1
        assert services.ranked_candidates(vacancy, page=2).total == 1 and len(calls) == 2
    make_candidate(app, make_user, skill_codes)
    with app.app_context():
        assert services.ranked_candidates(db.session.get(Vacancy, vacancy_id)).total == 2
        assert len(calls) == 3, "a logged change makes it rank again"
