from datetime import date

import pytest

from matching import MatchIndex, SkillConcept, Taxonomy

TODAY = date(2025, 6, 1)


@pytest.fixture
def taxonomy() -> Taxonomy:
    return Taxonomy(
        (
            SkillConcept("welding", ("сварка", "электросварка", "дәнекерлеу", "welding")),
            SkillConcept("gas_cutting", ("газовая резка", "газбен кесу", "gas cutting")),
            SkillConcept("cooking", ("приготовление блюд", "тамақ пісіру", "cooking")),
            SkillConcept("driving_c", ("права категории C", "C санатты куәлік", "truck driving")),
            SkillConcept("excel", ("эксель", "MS Excel", "spreadsheets")),
        )
    )


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def build(taxonomy):
    """Index factory: build(candidates, vacancies) with the test taxonomy."""

    def make(candidates=(), vacancies=(), **kwargs) -> MatchIndex:
        return MatchIndex(candidates, vacancies, taxonomy, **kwargs)

    return make
