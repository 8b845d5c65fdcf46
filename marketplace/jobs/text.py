"""Words, stems and query terms for vacancy search: the same on SQLite and PostgreSQL.

Both databases index the *terms* made here, so a query finds the same vacancies on either:
PostgreSQL's GIN index (a `simple` tsvector, no dictionary of its own) and SQLite's FTS5 table
(`unicode61`) only split these terms on spaces. Pure functions: no Flask, no SQLAlchemy.

- Every word is casefolded with ё read as е (`normalize_term`), then indexed as itself and,
  when different, as its Snowball stem: Russian for Cyrillic words, English (Porter2) for Latin
  ones. A query word matches a document word that starts with the query word's stem, so
  "сварщиков" and "свар" find "сварщик", and "электрогазосварщика" finds "электрогазосварщик",
  but "ёлка" no longer finds "разделка" (matching is at the start of a word, not inside it).
- Kazakh stacks suffixes (дәнекерлеуші-лер-ге) that the Russian stemmer does not know, so an
  inflected Kazakh query word also matches a document word equal to one of its leading parts
  ("edge n-grams") of at least half its length: "дәнекерлеушіге" finds "дәнекерлеуші". This
  applies to words with a letter of the Kazakh alphabet that Russian lacks; a word without one
  (аспаздар, "cooks") only reaches known Kazakh words (аспаз), so Russian words keep away
  from their own first letters (грузчик from груз, столовой from стол).
- Russian compounds also index the known words they end with (compound_heads).
"""

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from math import ceil

import snowballstemmer

MAX_TERM = 60          # longer "words" (pasted links, serial numbers) are not worth indexing
MIN_EDGE = 4           # the shortest leading part of a Kazakh word that may match on its own
EDGE_SHARE = 0.5       # ... and at least this share of the query word
KAZAKH_LETTERS = frozenset("әғқңөұүһі")
MIN_HEAD = 5           # the shortest known word recognised at the end of a compound
LINKING_VOWELS = frozenset("ое")

# Letters and digits of any script; `_` and punctuation separate words (as FTS5's unicode61
# tokenizer and PostgreSQL's parser do).
_WORD = re.compile(r"[^\W_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-z]")
# A Snowball stemmer keeps its word in instance state while it works, so every thread of a
# gthread worker gets its own.
_stemmers = threading.local()


def _stemmer(language: str):
    if not hasattr(_stemmers, language):
        setattr(_stemmers, language, snowballstemmer.stemmer(language))
    return getattr(_stemmers, language)


def normalize(text: str | None) -> str:
    """Casefolded, ё as е, whitespace collapsed (as reference.services.normalize_term)."""
    return " ".join((text or "").casefold().replace("ё", "е").split())


def words(text: str | None) -> list[str]:
    """The words of `text`, normalized, in order (repeats kept: they weigh in ranking)."""
    return [word for token in _WORD.findall(normalize(text)) for word in _letters_and_digits(token)
            if len(word) <= MAX_TERM]


def _letters_and_digits(token: str) -> list[str]:
    # \w also takes superscripts and fractions (м³, ½), which PostgreSQL's parser splits off.
    if token.isalpha() or token.isdecimal() or all(ch.isalpha() or ch.isdecimal()
                                                   for ch in token):
        return [token]
    return "".join(ch if ch.isalpha() or ch.isdecimal() else " " for ch in token).split()


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball stem of a normalized word; digits and mixed words stay as they are."""
    if _CYRILLIC.search(word):
        return _stemmer("russian").stemWord(word)
    if _LATIN.search(word) and word.isalpha():
        return _stemmer("english").stemWord(word)
    return word


def document(*texts: str | None, heads: frozenset[str] = frozenset()) -> str:
    """The indexed terms of some text: each word, followed by its stem when that differs, and
    by the heads of a compound (compound_heads)."""
    return " ".join(term for text in texts for word in words(text)
                    for term in _word_document(word, heads))


@lru_cache(maxsize=262144)
def _word_document(word: str, heads: frozenset[str]) -> tuple[str, ...]:
    terms = []
    for part in (word, *compound_heads(word, heads)):
        terms.append(part)
        root = stem(part)
        if root != part and root:
            terms.append(root)
    return tuple(terms)


def compound_heads(word: str, heads: frozenset[str]) -> list[str]:
    """The known words a Russian compound ends with, after a linking о or е
    ("электрогазосварщик" → "газосварщик", "сварщик" when those are in `heads`, a set of
    stems): dictionary decompounding, so "сварщик" finds the electric-gas welder. Only whole
    known words after a linking vowel count, so "разделка" never yields "елка"."""
    if not heads:
        return []
    return [word[cut:] for cut in range(2, len(word) - MIN_HEAD + 1)
            if word[cut - 1] in LINKING_VOWELS and stem(word[cut:]) in heads]


@dataclass(frozen=True, order=True)
class Term:
    """One index term a query word may match: exactly, or as the start of a longer term."""

    text: str
    prefix: bool


def word_terms(word: str, kazakh: frozenset[str] = frozenset()) -> tuple[Term, ...]:
    """What one normalized query word matches (any of these terms). `kazakh`: known Kazakh
    words (the taxonomy's), which a word without Kazakh letters may end in suffixes of."""
    if word.isdigit():
        return (Term(word, prefix=False),)  # "5" is a grade, not the start of "500"
    root = stem(word) or word
    terms = [Term(root, prefix=True)]
    if _CYRILLIC.search(word):
        shortest = max(MIN_EDGE, ceil(len(word) * EDGE_SHARE))
        edges = (word[:size] for size in range(shortest, len(word)))
        if not KAZAKH_LETTERS.intersection(word):
            # Russian words the stemmer left alone ("грузчик") must not match their own first
            # letters ("груз"); аспаздар (cooks) may still find аспаз, a known Kazakh word.
            edges = (edge for edge in edges if root == word and edge in kazakh)
        terms.extend(Term(edge, prefix=False) for edge in edges if not edge.startswith(root))
    return tuple(terms)


def phrase_key(text: str) -> tuple[str, ...]:
    """How a skill name or synonym is recognised in a query: its words' stems, in order, so
    "газовой сварки" is the synonym "газовая сварка"."""
    return tuple(stem(word) for word in words(text))
