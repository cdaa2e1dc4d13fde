"""A word trigram language model for weighing a confusion candidate in a five-word window.

The model is CMU Sphinx's generic US English trigram model (``en-us.lm.bin``, BSD licence), shipped inside
the ``pocketsphinx`` wheel together with the C library that reads it. Nothing is fetched from the network.
It is loaded on first use (about 50 ms), so runs that never reach the second stage of confusion scoring
do not pay for it. Without pocketsphinx the confusion rule falls back to its word-pair model alone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from importlib.util import find_spec
from pathlib import Path
from typing import Any

BOUNDARY = "<s>"  # a sentence edge in a window: the start as history, the end as the next word
_END = "</s>"
_LOG_BASE = math.log(1.0001)  # pocketsphinx reports log probabilities in units of log(1.0001)
_MEMO_LIMIT = 200_000
MODEL_PATH = ("model", "en-us", "en-us.lm.bin")


class TrigramModel:
    """Log probabilities of words given up to two words before, remembered per query."""

    def __init__(self, model: Any) -> None:
        self._model = model
        self._memo: dict[tuple[str, str | None, str | None], float] = {}

    def log_prob(self, word: str, previous: str | None, before_previous: str | None) -> float:
        """Natural log of P(word | before_previous previous), backing off as the model does."""
        key = (word, previous, before_previous)
        found = self._memo.get(key)
        if found is None:
            history = () if previous is None else (previous,) if before_previous is None else (previous, before_previous)
            found = self._model.prob((word, *history)) * _LOG_BASE
            if len(self._memo) < _MEMO_LIMIT:
                self._memo[key] = found
        return found

    def window_score(self, left: Sequence[str], word: str, right: Sequence[str]) -> float:
        """Log probability of ``word`` and the (up to two) words after it, given the two words before.

        ``left`` and ``right`` hold lower-case words nearest ``word`` last and first; ``BOUNDARY`` marks
        a sentence edge, beyond which nothing is looked at.
        """
        sequence = [*left[-2:], word, *right[:2]]
        start = len(left[-2:])
        total = 0.0
        for k in range(start, len(sequence)):
            previous = sequence[k - 1] if k >= 1 else None
            before = sequence[k - 2] if k >= 2 and previous != BOUNDARY else None
            if sequence[k] == BOUNDARY:
                if k > 0:  # the sentence ends here: how likely it is to end after this word
                    total += self.log_prob(_END, previous, before)
                break
            total += self.log_prob(sequence[k], previous, before)
        return total


def model_path() -> Path | None:
    """Where pocketsphinx keeps the trigram model, found without importing the package; None if absent."""
    try:
        spec = find_spec("pocketsphinx")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))).joinpath(*MODEL_PATH)
    return path if path.is_file() else None


def load_trigrams() -> TrigramModel | None:
    """The trigram model, or None when pocketsphinx (or its model file) is not installed or cannot be read."""
    path = model_path()
    if path is None:
        return None
    try:
        import pocketsphinx  # costly: imported only when the second stage is needed

        pocketsphinx.set_loglevel("FATAL")  # the C library otherwise logs to stderr
        model = pocketsphinx.NGramModel(pocketsphinx.Config(), pocketsphinx.LogMath(), str(path))
    except Exception:  # a damaged install must not stop the rule, which then uses word pairs alone
        return None
    return TrigramModel(model)
