"""Protected attributes must never change a score or an explanation."""

from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from matching import Candidate, CandidateSkill, MatchIndex, SkillConcept, Taxonomy, Vacancy

TODAY = date(2025, 6, 1)
TAXONOMY = Taxonomy((SkillConcept("welding", ("сварка", "дәнекерлеу", "welding")),))
VACANCIES = [
    Vacancy("v1", title="Сварщик", required_skills=("сварка",), region="KZ-ALA",
            schedule="day", salary_min=200_000, salary_max=300_000, min_experience_years=2),
    Vacancy("v2", title="Аспаз", required_skills=("тамақ пісіру",), region="KZ-AST"),
]
BASE = Candidate(
    "base", title="Дәнекерлеуші", skills=(CandidateSkill("дәнекерлеу", certified=True),),
    region="KZ-ALA", experience_years=4, schedules=frozenset({"day"}),
    salary_expectation=250_000, languages=frozenset({"kk", "ru"}),
)
PROFILES = [
    {"sex": "female", "birth_date": "1970-01-01", "ethnicity": "kazakh", "religion": "islam"},
    {"sex": "male", "age": 23, "nationality": "RU", "disability": True, "family_status": "single"},
    {"gender": "other", "age": 61, "religion": None, "family_status": "married, 3 children"},
]


def results(index: MatchIndex, candidate_id):
    ranked = {}
    for vacancy in VACANCIES:
        for match in index.rank_candidates(vacancy.id, top_k=50, today=TODAY).items:
            if match.id == candidate_id:
                ranked[vacancy.id] = (match.score, match.explanation)
    recommended = index.recommend_vacancies(candidate_id, top_k=50, today=TODAY).items
    return ranked, [(m.id, m.score, m.explanation) for m in recommended]


def test_candidates_differing_only_in_protected_attributes_score_identically():
    variants = [replace(BASE, id=f"c{i}", attributes=attrs) for i, attrs in enumerate(PROFILES)]
    index = MatchIndex(variants, VACANCIES, TAXONOMY)
    page = index.rank_candidates("v1", top_k=10, today=TODAY)
    assert len({m.score for m in page.items}) == 1 and len(page.items) == len(variants)
    assert len({str(m.explanation) for m in page.items}) == 1
    per_candidate = [results(index, v.id) for v in variants]
    assert all(r == per_candidate[0] for r in per_candidate)
    assert per_candidate[0][0]["v1"][0] > 50  # a real match, not a trivial zero


attribute_values = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20),
                             st.dates().map(str))


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(
    st.sampled_from(["sex", "age", "birth_date", "ethnicity", "nationality", "religion",
                     "disability", "family_status"]),
    attribute_values,
))
def test_perturbing_protected_attributes_changes_nothing(attributes):
    reference = MatchIndex([BASE], VACANCIES, TAXONOMY)
    perturbed = MatchIndex([replace(BASE, attributes=attributes)], VACANCIES, TAXONOMY)
    assert results(perturbed, "base") == results(reference, "base")
