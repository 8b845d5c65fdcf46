"""The search's words, terms and query syntax, without a database (jobs.text, jobs.query)."""

import pytest

from marketplace.jobs.query import Synonyms, parse, to_fts5, to_tsquery
from marketplace.jobs.text import Term, compound_heads, document, stem, word_terms, words


def test_words_are_casefolded_letters_and_digits_with_yo_as_ye():
    assert words("Ёмкости: 12.5 м³, MIG/MAG; snake_case ½") == [
        "емкости", "12", "5", "м", "mig", "mag", "snake", "case"]


def test_a_document_has_each_word_then_its_stem():
    assert document("Сварщики welders 5") == "сварщики сварщик welders welder 5"


def test_a_russian_word_matches_by_the_start_of_its_stem():
    assert word_terms("электрогазосварщика") == (Term("электрогазосварщик", prefix=True),)
    assert word_terms("ёлка".replace("ё", "е")) == (Term("елк", prefix=True),)
    assert word_terms("5") == (Term("5", prefix=False),), "numbers match whole"


def test_a_kazakh_word_also_matches_its_leading_parts_of_at_least_half_its_length():
    terms = word_terms("дәнекерлеушіге")
    assert terms[0] == Term(stem("дәнекерлеушіге"), prefix=True)
    exact = {t.text for t in terms[1:]}
    assert {"дәнекерлеуші", "дәнекерлеу", "дәнекер"} <= exact
    assert "дәнеке" not in exact and all(not t.prefix for t in terms[1:])
    assert len(word_terms("столовой")) == 1, "a Russian inflection gets no edge n-grams"
    assert word_terms("грузчик", frozenset({"аспаз"})) == (Term("грузчик", prefix=True),)
    assert word_terms("аспаздар", frozenset({"аспаз"}))[1:] == (Term("аспаз", prefix=False),)


def test_compounds_index_the_known_words_they_end_with():
    heads = frozenset({stem("сварщик"), stem("газосварщик")})
    assert compound_heads("электрогазосварщик", heads) == ["газосварщик", "сварщик"]
    assert compound_heads("разделка", frozenset({stem("елка")})) == [], "no linking vowel"
    assert "сварщик" in document("Электрогазосварщик", heads=heads).split()


@pytest.fixture
def synonyms():
    return Synonyms.from_rows([(1, "Ручная дуговая сварка (РДС)"), (1, "MMA"),
                               (1, "сварка электродом"), (2, "Газовая сварка")])


def test_a_skill_name_in_any_word_form_expands_to_the_skills_other_names(synonyms):
    (segment,) = parse("сварки электродом", synonyms)
    rendered = {to_fts5((tuple([phrase]),)) for phrase in segment}
    assert rendered == {'("сварк"* AND "электрод"*)', '("ручн"* AND "дугов"* AND "сварк"*)',
                        '"mma"*'}
    assert len(parse("ручной дуговой сварки", synonyms)) == 1, "known without (РДС)"
    assert len(parse("газовой сварки цех", synonyms)) == 2


def test_queries_render_for_fts5_and_tsquery_with_every_word_required(synonyms):
    segments = parse("сварщик MMA", synonyms)
    assert to_fts5(segments) == '("сварщик"* AND ("mma"* OR ("ручн"* AND "дугов"* AND '\
        '"сварк"*) OR ("сварк"* AND "электрод"*)))'
    assert to_tsquery(parse("дәнекерлеушіге 5", synonyms)).startswith(
        "((") and to_tsquery(parse("повар", synonyms)) == "'повар':*"
    assert parse('" AND ( * NEAR', synonyms) == parse("and near", synonyms)
    assert parse(" ,.;", synonyms) == ()


def test_each_thread_stems_with_its_own_stemmer():
    """A Snowball stemmer keeps the word in hand as instance state: the threads of a gthread
    worker sharing one would mix their words up."""
    import threading

    from marketplace.jobs import text

    mine = text._stemmer("russian")
    seen = []
    other = threading.Thread(target=lambda: seen.append(text._stemmer("russian")))
    other.start()
    other.join()
    assert text._stemmer("russian") is mine and seen[0] is not mine
    assert seen[0].stemWord("сварщиками") == mine.stemWord("сварщиками") == "сварщик"
