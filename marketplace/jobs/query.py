"""A keyword query as a tree of index terms, written for FTS5 (SQLite) or as a tsquery
(PostgreSQL). Pure: the skills taxonomy comes in as a `Synonyms` table.

Every query word must match (AND). A run of query words that is a skill's name or synonym, in
any language and any word form, may instead match any other name of that skill (query
expansion): "сварка электродом" also finds "Manual metal arc welding" and "қолмен доғалық
дәнекерлеу". Within a name, every word must match; each word matches any of its terms
(text.word_terms).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from marketplace.jobs.text import Term, phrase_key, word_terms, words

MAX_WORDS = 10         # query words looked at
MAX_PHRASE = 6         # the longest skill name recognised in a query, in words
MAX_ALTERNATIVES = 16  # other names of one skill a phrase may match

_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")

Word = tuple[Term, ...]        # any of these terms
Phrase = tuple[Word, ...]      # all of these words
Segment = tuple[Phrase, ...]   # any of these phrases


@dataclass
class Synonyms:
    """Skill names and synonyms by the stems of their words (text.phrase_key)."""

    names: dict[tuple[str, ...], set[int]] = field(default_factory=dict)
    phrases: dict[int, list[tuple[str, ...]]] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[int, str]]) -> "Synonyms":
        """`rows`: (skill id, one name or synonym in any language). A name is known with and
        without its bracketed parts, and matched without them: "Ручная дуговая сварка (РДС)"
        is recognised either way and finds "ручная дуговая сварка" ("РДС" is a synonym)."""
        table = cls()
        for skill_id, name in rows:
            short = _BRACKETS.sub(" ", name)
            phrase = tuple(words(short)) or tuple(words(name))
            if not phrase:
                continue
            for variant in (name, short):
                if words(variant):
                    table.names.setdefault(phrase_key(variant), set()).add(skill_id)
            known = table.phrases.setdefault(skill_id, [])
            if phrase not in known:
                known.append(phrase)
        return table

    def alternatives(self, key: tuple[str, ...]) -> list[tuple[str, ...]]:
        """Every name of every skill called `key`, in a stable order; [] for no skill."""
        found = []
        for skill_id in sorted(self.names.get(key, ())):
            found.extend(phrase for phrase in self.phrases[skill_id] if phrase not in found)
        return found


def parse(text: str | None, synonyms: Synonyms,
          kazakh: frozenset[str] = frozenset()) -> tuple[Segment, ...]:
    """The query as segments that must all match; () when it has no words. `kazakh`: known
    Kazakh words (text.word_terms)."""
    query_words = list(dict.fromkeys(words(text)))[:MAX_WORDS]
    segments, start = [], 0
    while start < len(query_words):
        size, alternatives = _longest_skill_name(query_words, start, synonyms)
        own = tuple(query_words[start:start + size])
        phrases = [own, *(p for p in alternatives if p != own)][:MAX_ALTERNATIVES + 1]
        segments.append(tuple(tuple(word_terms(word, kazakh) for word in phrase)
                              for phrase in phrases))
        start += size
    return tuple(segments)


def _longest_skill_name(query_words: list[str], start: int, synonyms: Synonyms):
    for size in range(min(MAX_PHRASE, len(query_words) - start), 0, -1):
        alternatives = synonyms.alternatives(phrase_key(" ".join(
            query_words[start:start + size])))
        if alternatives:
            return size, alternatives
    return 1, []


def _join(parts: list[str], operator: str) -> str:
    unique = list(dict.fromkeys(parts))
    return unique[0] if len(unique) == 1 else "(" + f" {operator} ".join(unique) + ")"


def to_fts5(segments: tuple[Segment, ...]) -> str:
    """An FTS5 MATCH expression: every term quoted, so no word is read as an operator."""
    def term(t: Term) -> str:
        return f'"{t.text}"' + ("*" if t.prefix else "")

    return _render(segments, term, and_="AND", or_="OR")


def to_tsquery(segments: tuple[Segment, ...]) -> str:
    """A tsquery in PostgreSQL's input syntax (cast with ::tsquery; terms are used as given)."""
    def term(t: Term) -> str:
        return f"'{t.text}'" + (":*" if t.prefix else "")

    return _render(segments, term, and_="&", or_="|")


def _render(segments, term, *, and_: str, or_: str) -> str:
    # Terms are letters and digits only (text.words), so quoting needs no escaping.
    def any_of(parts):
        return _join(parts, or_)

    def all_of(parts):
        return _join(parts, and_)

    return all_of([any_of([all_of([any_of([term(t) for t in word]) for word in phrase])
                           for phrase in segment]) for segment in segments])
