"""MatchIndex bookkeeping: incremental updates, paging, filters, blank input."""

import random
from dataclasses import replace

import pytest

from matching import Candidate, CandidateSkill, Vacancy
from matching.synth import Generator


def snapshot(index, vacancy_ids, candidate_ids, today):
    """Every result of every query, order-independent within equal scores."""
    ranks = {v: sorted((m.score, str(m.id), repr(m.explanation)) for m in
                       index.rank_candidates(v, top_k=10_000, today=today).items)
             for v in vacancy_ids}
    recs = {c: sorted((m.score, str(m.id), repr(m.explanation)) for m in
                      index.recommend_vacancies(c, top_k=10_000, today=today).items)
            for c in candidate_ids}
    return ranks, recs


def test_incremental_updates_equal_a_rebuild(build, today):
    generator = Generator(seed=3, restrictions=True)
    candidates = [generator.candidate(i)[0] for i in range(120)]
    vacancies = [generator.vacancy(f"v{i}")[0] for i in range(40)]
    index = build(candidates[:80], vacancies[:25])
    rng = random.Random(5)
    for c in candidates[80:]:
        index.upsert_candidate(c)
    for v in vacancies[25:]:
        index.upsert_vacancy(v)
    changed = [replace(c, skills=c.skills[:1], region="KZ-ALA") for c in candidates[:10]]
    for c in changed:
        index.upsert_candidate(c)
    index.upsert_vacancy(replace(vacancies[0], required_skills=("сварка",)))
    removed_c = {c.id for c in rng.sample(candidates, 15)}
    removed_v = {v.id for v in rng.sample(vacancies[1:], 5)}
    for cid in removed_c:
        assert index.remove_candidate(cid)
    for vid in removed_v:
        assert index.remove_vacancy(vid)
    assert not index.remove_candidate("no such id")

    final_c = [index.candidate(c.id) for c in candidates if c.id not in removed_c]
    final_v = [index.vacancy(v.id) for v in vacancies if v.id not in removed_v]
    assert final_c[0].skills == changed[0].skills
    # The rebuild shares the incremental index's vocabulary so scores are comparable.
    rebuilt = build(candidates[:80], vacancies[:25])
    for cid in [c.id for c in candidates[:80]]:
        rebuilt.remove_candidate(cid)
    for vid in [v.id for v in vacancies[:25]]:
        rebuilt.remove_vacancy(vid)
    for c in final_c:
        rebuilt.upsert_candidate(c)
    for v in final_v:
        rebuilt.upsert_vacancy(v)
    assert index.n_candidates == rebuilt.n_candidates == len(final_c)
    vids, cids = [v.id for v in final_v], [c.id for c in final_c[:30]]
    assert snapshot(index, vids, cids, today) == snapshot(rebuilt, vids, cids, today)
    with pytest.raises(KeyError):
        index.rank_candidates(next(iter(removed_v)))


def test_compaction_keeps_results(build, today):
    job = Vacancy("v", title="Сварщик", required_skills=("сварка",))
    people = [Candidate(i, title="Сварщик", skills=(CandidateSkill("сварка"),),
                        experience_years=float(i % 7)) for i in range(50)]
    index = build(people, [job])
    before = index.rank_candidates("v", top_k=100, today=today)
    for _ in range(25):  # many rewrites of the same profiles force compaction
        for person in people:
            index.upsert_candidate(person)
    after = index.rank_candidates("v", top_k=100, today=today)
    assert index._cands.n_rows < 50 * 26  # dead rows were dropped
    assert [(m.id, m.score) for m in after.items] == [(m.id, m.score) for m in before.items]


def test_paging_total_and_filters(build, today):
    job = Vacancy("v", title="Сварщик", required_skills=("сварка",))
    people = [Candidate(i, title="Сварщик", skills=(CandidateSkill("сварка"),),
                        experience_years=float(i)) for i in range(30)]
    index = build(people + [Candidate("nobody")], [job])
    first = index.rank_candidates("v", top_k=10, today=today)
    second = index.rank_candidates("v", top_k=10, offset=10, today=today)
    everything = index.rank_candidates("v", top_k=100, today=today)
    assert first.total == second.total == 30 == len(everything.items)
    assert [m.id for m in first.items + second.items] == [m.id for m in everything.items[:20]]
    scores = [m.score for m in everything.items]
    assert scores == sorted(scores, reverse=True)
    only = index.rank_candidates("v", top_k=100, today=today, candidate_filter={1, 2, "x"})
    assert {m.id for m in only.items} == {1, 2} and only.total == 2
    recs = index.recommend_vacancies(3, today=today, vacancy_filter=set())
    assert recs.items == () and recs.total == 0


def test_ad_hoc_objects_and_blank_input(build, today):
    blank = build([Candidate("", title="   ", summary="", skills=(CandidateSkill("  "),))],
                  [Vacancy("v", title="", required_skills=("", " "))])
    assert blank.rank_candidates("v", today=today).items == ()  # no "empty vocabulary" error
    assert blank.recommend_vacancies("", today=today).items == ()
    index = build([Candidate("c", title="Сварщик", skills=(CandidateSkill("сварка"),))])
    page = index.rank_candidates(Vacancy("new", title="Сварщик", required_skills=("welding",)),
                                 today=today)
    assert [m.id for m in page.items] == ["c"]
    assert index.recommend_vacancies(Candidate("x", title="Сварщик"), today=today).total == 0
