"""Snapshots: a saved index, mapped read-only, answers exactly like the one that was saved,
and updates after loading go to private memory without touching the mapped files."""

from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from matching import Ban, Candidate, CandidateSkill, Restrictions, Vacancy, snapshot
from matching.synth import Generator


def results(index, vacancy_ids, candidate_ids, today):
    """Every result of every query, in order, with scores and explanations."""
    ranks = {v: [(m.id, m.score, m.explanation) for m in
                 index.rank_candidates(v, top_k=10_000, today=today).items]
             for v in vacancy_ids}
    recs = {c: [(m.id, m.score, m.explanation) for m in
                index.recommend_vacancies(c, top_k=10_000, today=today).items]
            for c in candidate_ids}
    return ranks, recs


@pytest.fixture
def people():
    generator = Generator(seed=11, restrictions=True)
    candidates = [generator.candidate(i)[0] for i in range(150)]
    vacancies = [generator.vacancy(1000 + i)[0] for i in range(40)]
    return candidates, vacancies


def _files(directory):
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


def test_a_loaded_snapshot_ranks_exactly_like_the_saved_index(build, people, tmp_path, today):
    candidates, vacancies = people
    built = build(candidates, vacancies, weights={"skills": 60, "title": 40})
    snapshot.save(built, tmp_path / "s", info={"version": 7})
    loaded = snapshot.load(tmp_path / "s")
    assert snapshot.read_info(tmp_path / "s")["version"] == 7
    assert (loaded.n_candidates, loaded.n_vacancies) == (150, 40)
    assert loaded.weights == built.weights
    vids, cids = [v.id for v in vacancies], [c.id for c in candidates[:40]]
    assert results(loaded, vids, cids, today) == results(built, vids, cids, today)
    assert all(loaded.candidate(c.id) == c for c in candidates)
    assert all(loaded.vacancy(v.id) == v for v in vacancies)
    assert loaded.skill_gap(candidates[0].id, today=today) == built.skill_gap(
        candidates[0].id, today=today)


def test_every_field_survives_the_row_encoding():
    candidate = Candidate(
        7, title="Сварщик", desired_titles=("Дәнекерлеуші",), previous_titles=("Welder",),
        summary="…", skills=(CandidateSkill("сварка", certified=True, skill_id="welding",
                                            years=3.0), CandidateSkill("резка")),
        region="KZ-AST", city="astana", relocate=True, experience_years=4.0,
        schedules=frozenset({"day"}), salary_expectation=250000.0,
        languages=frozenset({"kk", "ru"}),
        restrictions=Restrictions(bans=(Ban(frozenset({"o1"}), frozenset({"s1"}),
                                            date(2030, 1, 1)),),
                                  curfew=("22:00", "06:00"), territory=frozenset({"KZ-AST"})))
    vacancy = Vacancy("v", title="Сварщик", occupation="o1", sector="s1", description="d",
                      required_skills=("welding",), optional_skills=("резка",), region="KZ-AST",
                      city="astana", schedule="day", work_start="08:00", work_end="17:00",
                      salary_min=1.0, salary_max=2.0, min_experience_years=1.0,
                      languages=frozenset({"ru"}))
    decoded = snapshot.decode_candidate(snapshot.encode_candidate(candidate))
    assert decoded == candidate and decoded.restrictions == candidate.restrictions
    assert snapshot.decode_vacancy(snapshot.encode_vacancy(vacancy)) == vacancy


def test_updates_after_loading_match_the_same_updates_in_memory(build, people, tmp_path,
                                                                 today):
    candidates, vacancies = people
    built = build(candidates[:100], vacancies[:30])
    snapshot.save(built, tmp_path / "s")
    files_before = _files(tmp_path / "s")
    loaded = snapshot.load(tmp_path / "s")
    changed = [replace(c, skills=c.skills[:1], region="KZ-ALA") for c in candidates[:5]]
    for index in (built, loaded):
        index.upsert_candidates([*candidates[100:], *changed])
        index.upsert_vacancies(vacancies[30:])
        assert index.remove_candidate(candidates[50].id)
        assert index.remove_vacancy(vacancies[3].id)
    assert loaded.n_candidates == built.n_candidates == 149
    assert loaded.candidate(candidates[0].id) == changed[0]
    assert loaded.candidate(candidates[50].id) is None
    vids = [v.id for v in vacancies if v.id != vacancies[3].id]
    cids = [c.id for c in candidates[:20] + candidates[100:120] if c.id != candidates[50].id]
    assert results(loaded, vids, cids, today) == results(built, vids, cids, today)
    assert _files(tmp_path / "s") == files_before, "the mapped files were not written"


def test_the_mapped_arrays_are_read_only(build, people, tmp_path):
    candidates, vacancies = people
    snapshot.save(build(candidates, vacancies), tmp_path / "s")
    loaded = snapshot.load(tmp_path / "s")
    _, _, cands, _, _ = loaded.parts()
    assert isinstance(cands.col("region"), np.memmap)
    assert not cands.col("region").flags.writeable
    base, _ = cands.sparse["concepts"].export()
    assert not base.data.flags.writeable


def test_an_empty_index_round_trips(build, tmp_path, today):
    snapshot.save(build(), tmp_path / "s")
    loaded = snapshot.load(tmp_path / "s")
    assert loaded.n_candidates == loaded.n_vacancies == 0
    loaded.upsert_vacancy(Vacancy("v", title="Сварщик", required_skills=("сварка",)))
    loaded.upsert_candidate(Candidate(1, title="Сварщик", skills=(CandidateSkill("сварка"),)))
    assert [m.id for m in loaded.rank_candidates("v", today=today).items] == [1]


def test_a_directory_without_a_snapshot_is_refused(tmp_path):
    with pytest.raises(snapshot.SnapshotError):
        snapshot.load(tmp_path)
