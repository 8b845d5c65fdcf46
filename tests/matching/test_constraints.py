"""Court and supervision conditions are hard filters in both directions."""

from datetime import date

import pytest

from matching import COURT_BAN, CURFEW, TERRITORY, Ban, Candidate, Restrictions, Vacancy

SKILLED = dict(title="Сварщик", region="KZ-ALA", city="almaty", experience_years=5)


def vacancy(vid, **kw):
    base = dict(title="Сварщик", required_skills=("сварка",), region="KZ-ALA", city="almaty",
                schedule="day", occupation="7212", sector="construction")
    return Vacancy(vid, **{**base, **kw})


def ranked_ids(index, vacancy_id, today):
    return {m.id for m in index.rank_candidates(vacancy_id, top_k=100, today=today).items}


def recommended_ids(index, candidate_id, today):
    return {m.id for m in index.recommend_vacancies(candidate_id, top_k=100, today=today).items}


@pytest.mark.parametrize(
    ("ban", "blocked"),
    [
        (Ban(occupations=frozenset({"7212"}), until=date(2026, 1, 1)), True),  # active
        (Ban(occupations=frozenset({"7212"}), until=date(2025, 6, 1)), True),  # last day
        (Ban(occupations=frozenset({"7212"}), until=date(2025, 5, 31)), False),  # expired
        (Ban(occupations=frozenset({"7212"}), until=None), True),  # indefinite
        (Ban(sectors=frozenset({"construction"})), True),  # by sector
        (Ban(occupations=frozenset({"5120"}), sectors=frozenset({"food"})), False),  # other
    ],
)
def test_court_ban(build, today, ban, blocked):
    banned = Candidate("banned", restrictions=Restrictions(bans=(ban,)), **SKILLED)
    free = Candidate("free", **SKILLED)
    index = build([banned, free], [vacancy("v1")])
    assert ("banned" in ranked_ids(index, "v1", today)) is not blocked
    assert ("v1" in recommended_ids(index, "banned", today)) is not blocked
    assert "free" in ranked_ids(index, "v1", today)
    expected = {"v1": COURT_BAN} if blocked else {}
    assert index.blocked_vacancies("banned", today) == expected


@pytest.mark.parametrize(
    ("curfew", "hours", "blocked"),
    [
        (("22:00", "06:00"), dict(schedule="day"), False),  # 09-18 vs night curfew
        (("22:00", "06:00"), dict(schedule="night"), True),  # 22-06 default night hours
        (("22:00", "06:00"), dict(schedule="day", work_start="05:00", work_end="14:00"), True),
        (("23:00", "05:00"), dict(schedule=None, work_start="20:00", work_end="01:00"), True),
        (("20:00", "07:00"), dict(schedule="day", work_start="07:00", work_end="20:00"), False),
        (("22:00", "06:00"), dict(schedule="shifts"), True),  # unknown hours: conservative
        (("22:00", "06:00"), dict(schedule="rotational"), True),
        (("22:00", "06:00"), dict(schedule=None), True),
        (("18:00", "08:00"), dict(schedule="day"), False),  # touching ends do not overlap
        (("17:00", "08:00"), dict(schedule="day"), True),
    ],
)
def test_curfew_including_across_midnight(build, today, curfew, hours, blocked):
    person = Candidate("p", restrictions=Restrictions(curfew=curfew), **SKILLED)
    index = build([person], [vacancy("v1", **hours)])
    assert ("p" in ranked_ids(index, "v1", today)) is not blocked
    assert ("v1" in recommended_ids(index, "p", today)) is not blocked
    assert index.blocked_vacancies("p", today) == ({"v1": CURFEW} if blocked else {})


def test_territory_and_rotational(build, today):
    person = Candidate("p", restrictions=Restrictions(territory=frozenset({"KZ-ALA"})), **SKILLED)
    by_city = Candidate("q", restrictions=Restrictions(territory=frozenset({"almaty"})), **SKILLED)
    vacancies = [
        vacancy("inside"),
        vacancy("outside", region="KZ-AST", city="astana"),
        vacancy("nowhere", region=None, city=None),
        vacancy("rotational_out", region="KZ-MAN", city="aktau", schedule="rotational"),
        vacancy("rotational_in", schedule="rotational"),
    ]
    index = build([person, by_city], vacancies)
    for who in ("p", "q"):
        assert recommended_ids(index, who, today) == {"inside", "rotational_in"}
        assert index.blocked_vacancies(who, today) == {
            "outside": TERRITORY, "nowhere": TERRITORY, "rotational_out": TERRITORY,
        }
        assert who not in ranked_ids(index, "rotational_out", today)
        assert who in ranked_ids(index, "rotational_in", today)


def test_first_reason_wins_and_removed_vacancies_are_not_reported(build, today):
    restrictions = Restrictions(
        bans=(Ban(occupations=frozenset({"7212"})),), curfew=("22:00", "06:00"),
        territory=frozenset({"KZ-ALA"}),
    )
    person = Candidate("p", restrictions=restrictions, **SKILLED)
    index = build([person], [
        vacancy("v1", schedule="night", region="KZ-AST", city=None),
        vacancy("v2", occupation="5120", sector="food", schedule="night"),
        vacancy("v3", occupation="5120", sector="food", region="KZ-AST", city=None),
    ])
    assert index.blocked_vacancies("p", today) == {"v1": COURT_BAN, "v2": CURFEW,
                                                   "v3": TERRITORY}
    index.remove_vacancy("v1")
    assert "v1" not in index.blocked_vacancies("p", today)


def test_malformed_curfew_is_taken_as_whole_day(build, today):
    person = Candidate("p", restrictions=Restrictions(curfew=("late", "early")), **SKILLED)
    index = build([person], [vacancy("v1")])
    assert index.blocked_vacancies("p", today) == {"v1": CURFEW}
