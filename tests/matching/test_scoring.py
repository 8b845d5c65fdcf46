"""Scores, explanations and the skill/text matching rules."""

import json

import pytest

from matching import DEFAULT_WEIGHTS, FACTORS, Candidate, CandidateSkill, Vacancy

WELDER_JOB = Vacancy(
    "v1", title="Электросварщик", occupation="7212", required_skills=("сварка", "газовая резка"),
    optional_skills=("эксель",), region="KZ-ALA", city="almaty", schedule="day",
    salary_min=200_000, salary_max=300_000, min_experience_years=2,
    languages=frozenset({"ru"}),
)


def skills(*names, certified=False):
    return tuple(CandidateSkill(n, certified=certified) for n in names)


def score_of(index, candidate_id, vacancy_id="v1", today=None):
    page = index.rank_candidates(vacancy_id, top_k=1000, today=today)
    return next((m for m in page.items if m.id == candidate_id), None)


def test_explanation_shape_and_score_range(build, today):
    full = Candidate("c1", title="Электросварщик",
                     skills=skills("сварка", "газбен кесу", "MS Excel", certified=True),
                     region="KZ-ALA", city="almaty", experience_years=3,
                     schedules=frozenset({"day"}), salary_expectation=250_000,
                     languages=frozenset({"ru", "kk"}))
    partial = Candidate("c2", title="Повар", skills=skills("сварка"), region="KZ-AST",
                        experience_years=1)
    index = build([full, partial], [WELDER_JOB])
    page = index.rank_candidates("v1", today=today)
    assert [m.id for m in page.items] == ["c1", "c2"] and page.total == 2
    for match in page.items:
        explanation = json.loads(json.dumps(match.explanation))  # JSON-serialisable
        assert set(explanation) >= {"matched_required", "missing_required", "matched_optional",
                                    "factors", "incomplete_profile"}
        assert set(explanation["factors"]) == set(FACTORS)
        assert 0 <= match.score <= 100 and round(match.score, 1) == match.score
        assert sum(explanation["factors"].values()) == pytest.approx(match.score, abs=0.4)
        for entry in explanation["matched_required"] + explanation["matched_optional"]:
            assert set(entry) >= {"skill", "via", "matched_as", "certified"}
            assert entry["via"] in {"exact", "synonym", "text"}
    top = page.items[0]
    assert top.score == pytest.approx(100.0, abs=0.1)  # everything matches
    assert [e["via"] for e in top.explanation["matched_required"]] == ["exact", "synonym"]
    assert top.explanation["matched_optional"][0]["matched_as"] == "MS Excel"
    assert page.items[1].explanation["missing_required"] == ["газовая резка"]


def test_required_counts_more_than_optional(build):
    has_required = Candidate("req", skills=skills("сварка"), region="KZ-AST")
    has_optional = Candidate("opt", skills=skills("эксель"), region="KZ-AST")
    index = build([has_required, has_optional], [WELDER_JOB])
    assert score_of(index, "req").score > score_of(index, "opt").score > 0


def test_certified_counts_more_than_self_declared(build):
    certified = Candidate("cert", skills=skills("сварка", certified=True), region="KZ-AST")
    declared = Candidate("self", skills=skills("сварка"), region="KZ-AST")
    index = build([certified, declared], [WELDER_JOB])
    assert score_of(index, "cert").score > score_of(index, "self").score > 0
    assert score_of(index, "cert").explanation["matched_required"][0]["certified"] is True


@pytest.mark.parametrize("written", ["дәнекерлеу", "Welding", "ЭЛЕКТРОСВАРКА", "сварка."])
def test_synonyms_across_languages_match(build, written):
    kazakh = Candidate("kk", skills=skills(written), region="KZ-AST")
    index = build([kazakh], [WELDER_JOB])
    match = score_of(index, "kk")
    entry = match.explanation["matched_required"][0]
    assert entry["skill"] == "сварка" and entry["matched_as"] == written
    assert entry["via"] in {"synonym", "exact"}
    assert match.explanation["factors"]["skills"] > 0


def test_kazakh_vacancy_finds_russian_candidate(build):
    job = Vacancy("kz", title="Дәнекерлеуші", required_skills=("дәнекерлеу",))
    russian = Candidate("ru", title="Сварщик", skills=skills("сварка"))
    index = build([russian], [job])
    entry = score_of(index, "ru", "kz").explanation["matched_required"][0]
    assert entry == {"skill": "дәнекерлеу", "via": "synonym", "matched_as": "сварка",
                     "certified": False, "strength": 0.6}


@pytest.mark.parametrize(
    ("wanted", "written"),
    [
        ("ремонт двигателей", "ремонт двигателя"),  # Russian word ending
        ("монтаж металлоконструкций", "металлоконструкций монтаж"),  # word order
        ("укладка керамической плитки", "укладка керамичесой плитки"),  # typo
        ("мал шаруашылығы", "мал шаруашылығында"),  # Kazakh ending
    ],
)
def test_free_text_skills_match_despite_endings_order_and_typos(build, wanted, written):
    job = Vacancy("free", required_skills=(wanted,))
    person = Candidate("p", skills=skills(written), region="KZ-ALA")
    stranger = Candidate("s", skills=skills("программирование на python"), region="KZ-ALA")
    index = build([person, stranger], [job])
    match = score_of(index, "p", "free")
    assert match.explanation["matched_required"][0]["via"] == "text"
    assert match.explanation["matched_required"][0]["matched_as"] == written
    assert match.explanation["factors"]["skills"] > 0
    assert score_of(index, "s", "free") is None  # shares nothing: score 0, not listed


def test_empty_profile_scores_near_zero_and_is_flagged(build):
    empty = Candidate("empty")
    near_empty = Candidate("near", region="KZ-ALA", languages=frozenset({"ru"}))
    index = build([empty, near_empty], [WELDER_JOB])
    assert score_of(index, "empty") is None  # exactly 0: not even listed
    near = score_of(index, "near")
    assert near.score <= 5 and near.explanation["incomplete_profile"] is True
    recommended = index.recommend_vacancies("near").items
    assert all(m.explanation["incomplete_profile"] for m in recommended)


def test_missing_salary_and_schedule_contribute_zero(build):
    silent = Candidate("silent", title="Сварщик", skills=skills("сварка"), region="KZ-ALA")
    index = build([silent], [WELDER_JOB])
    factors = score_of(index, "silent").explanation["factors"]
    assert factors["salary"] == 0 and factors["schedule"] == 0
    job_without = Vacancy("v2", title="Сварщик", required_skills=("сварка",))
    willing = Candidate("w", skills=skills("сварка"), schedules=frozenset({"day"}),
                        salary_expectation=100_000)
    index = build([willing], [job_without])
    factors = score_of(index, "w", "v2").explanation["factors"]
    assert factors["salary"] == 0 and factors["schedule"] == 0


@pytest.mark.parametrize(
    ("field", "better", "worse"),
    [
        ("region", dict(region="KZ-ALA", city="almaty"), dict(region="KZ-AST")),
        ("region", dict(region="KZ-AST", relocate=True), dict(region="KZ-AST")),
        ("experience", dict(experience_years=5), dict(experience_years=1)),
        ("salary", dict(salary_expectation=280_000), dict(salary_expectation=420_000)),
        ("schedule", dict(schedules=frozenset({"day", "night"})),
         dict(schedules=frozenset({"night"}))),
        ("language", dict(languages=frozenset({"ru"})), dict(languages=frozenset({"en"}))),
    ],
)
def test_each_factor_orders_candidates(build, field, better, worse):
    base = dict(title="Сварщик", skills=skills("сварка"))
    index = build([Candidate("good", **base, **better), Candidate("bad", **base, **worse)],
                  [WELDER_JOB])
    good, bad = score_of(index, "good"), score_of(index, "bad")
    assert good.explanation["factors"][field] > bad.explanation["factors"][field]
    assert good.score > bad.score


def test_weights_are_plain_json_and_sum_to_100(build):
    index = build()
    assert json.loads(json.dumps(index.weights)) == pytest.approx(DEFAULT_WEIGHTS)
    index.weights = {"skills": 1, "title": 1}
    assert sum(index.weights.values()) == pytest.approx(100)
    assert index.weights["skills"] == pytest.approx(50)
