"""Check copylint's reader of the Sphinx trigram model against pocketsphinx's own, and time both.

Usage: python -m bench.check_trigrams [--queries N] [--seed S] [--loads K] [--articles A]
Draws N queries (unigrams, random and frequent word triples, bigrams and trigrams the model holds, unknown
words, sentence boundaries, odd strings), asks copylint.trigrams and pocketsphinx's NGramModel.prob, and
prints the largest difference (there should be none), microseconds per lookup for each, and the median time
to load each model in a fresh process. With --articles, also replays the queries the confusion rule asks on
the first A articles of ../shared/corpus/news.jsonl. Needs pocketsphinx installed; exits 1 on a mismatch.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from copylint import trigrams
from copylint.trigrams import TrigramModel, _PackedArray, read_trigrams

Query = tuple[str, str | None, str | None]  # word, previous, before previous

OURS_LOAD = "import time, copylint.trigrams as t; s = time.perf_counter(); m = t.load_trigrams(); print(time.perf_counter() - s)"
POCKETSPHINX_LOAD = (
    "import time; from copylint.trigrams import model_path; p = str(model_path()); s = time.perf_counter(); "
    "import pocketsphinx; pocketsphinx.set_loglevel('FATAL'); "
    "m = pocketsphinx.NGramModel(pocketsphinx.Config(), pocketsphinx.LogMath(), p); print(time.perf_counter() - s)"
)


class TrieWalk:
    """Enumerates what the model holds, reading the packed arrays through the reader's (private) layout."""

    def __init__(self, model: TrigramModel) -> None:
        self.trie = model._trie
        self.words = self.trie.words._words[1:-1].decode("utf-8").split("\0")
        self.firsts = self.trie._bigram_entries._firsts
        self.word_bits = self.trie._word_bits
        self.next_bits = self.trie._next_mask.bit_length()

    def _read(self, array: _PackedArray, index: int, skip: int, width: int) -> int:
        bit = index * array.bits + skip
        start = array.at + (bit >> 3)
        packed = int.from_bytes(array.data[start : start + 8], "little")
        return (packed >> (bit & 7)) & ((1 << width) - 1)

    def bigram_range(self, word: int) -> range:
        """Bigram entries "x word"."""
        return range(self.firsts[word], self.firsts[word + 1])

    def bigram_history(self, entry: int) -> int:
        """The x of bigram entry "x word"."""
        return self._read(self.trie._bigrams, entry, 0, self.word_bits)

    def trigram_range(self, entry: int) -> range:
        """Trigram entries "y x word" under bigram entry "x word"."""
        bigrams, skip = self.trie._bigrams, self.word_bits + 32
        return range(self._read(bigrams, entry, skip, self.next_bits), self._read(bigrams, entry + 1, skip, self.next_bits))

    def trigram_history(self, entry: int) -> int:
        """The y of trigram entry "y x word"."""
        return self._read(self.trie._trigrams, entry, 0, self.word_bits)


class QueryMaker:
    """Random queries of each kind that takes a different path through the model."""

    UNKNOWN = ("xyzzyq", "qwertyuiop", "blorft", "dunmore's", "covid-19", "zzz")
    # Case, spacing, accents, <UNK>, the empty word, an embedded NUL (pocketsphinx reads up to it).
    # Lone surrogates are left out: pocketsphinx raises on them, copylint reads them as unknown words.
    ODD = ("The", "THE", " the", "the ", "", "café", "naïve", "e\u0301", "<UNK>", "a\0b", "the\0of")

    def __init__(self, walk: TrieWalk, rng: random.Random) -> None:
        self.walk, self.rng = walk, rng
        self.words = walk.words
        probs = walk.trie._unigram_probs
        self.frequent = [self.words[w] for w in sorted(range(len(self.words)), key=lambda w: -probs[w])[:2000]]
        self.with_bigrams = [w for w in range(len(self.words)) if len(walk.bigram_range(w)) > 0]

    def any_word(self) -> str:
        return self.rng.choice(self.words)

    def common(self) -> str:
        return self.rng.choice(self.frequent)

    def bigram(self) -> tuple[int, int]:
        """A bigram the model holds: the entry and its last word."""
        word = self.rng.choice(self.with_bigrams)
        return self.rng.choice(self.walk.bigram_range(word)), word

    def unigram(self) -> Query:
        return self.any_word(), None, None

    def random_pair(self) -> Query:
        return self.any_word(), self.any_word(), None

    def random_triple(self) -> Query:
        return self.any_word(), self.any_word(), self.any_word()

    def frequent_triple(self) -> Query:
        return self.common(), self.common(), self.common()

    def known_bigram(self) -> Query:
        entry, word = self.bigram()
        return self.words[word], self.words[self.walk.bigram_history(entry)], None

    def known_bigram_other_before(self) -> Query:
        """Mostly a trigram the model lacks: backs off to the bigram."""
        word, previous, _ = self.known_bigram()
        return word, previous, self.rng.choice([self.any_word(), self.common()])

    def known_trigram(self) -> Query:
        while True:
            entry, word = self.bigram()
            span = self.walk.trigram_range(entry)
            if len(span):
                before = self.walk.trigram_history(self.rng.choice(span))
                return self.words[word], self.words[self.walk.bigram_history(entry)], self.words[before]

    def unknown_somewhere(self) -> Query:
        word, previous, before = (self.rng.choice(self.UNKNOWN) if self.rng.random() < 0.4 else self.common() for _ in range(3))
        return word, previous, before

    def sentence_start(self) -> Query:
        return self.rng.choice(
            [(self.common(), "<s>", None), (self.common(), self.common(), "<s>"), ("<s>", self.common(), None)]
        )

    def sentence_end(self) -> Query:
        return "</s>", self.common(), self.rng.choice([None, self.common(), "<s>"])

    def odd_strings(self) -> Query:
        word, previous, before = (self.rng.choice(self.ODD) if self.rng.random() < 0.5 else self.common() for _ in range(3))
        return word, previous, before


def draw_queries(walk: TrieWalk, count: int, rng: random.Random) -> list[tuple[str, Query]]:
    """``count`` queries, each labelled with its kind."""
    maker = QueryMaker(walk, rng)
    kinds: list[tuple[Callable[[], Query], int]] = [
        (maker.unigram, 8),
        (maker.random_pair, 10),
        (maker.random_triple, 10),
        (maker.frequent_triple, 15),
        (maker.known_bigram, 10),
        (maker.known_bigram_other_before, 12),
        (maker.known_trigram, 20),
        (maker.unknown_somewhere, 5),
        (maker.sentence_start, 4),
        (maker.sentence_end, 4),
        (maker.odd_strings, 2),
    ]
    total = sum(weight for _, weight in kinds)
    queries = [(make.__name__, make()) for make, weight in kinds for _ in range(count * weight // total)]
    queries.extend(("known_trigram", maker.known_trigram()) for _ in range(count - len(queries)))
    rng.shuffle(queries)
    return queries


def pocketsphinx_units(model: Any, query: Query) -> int:
    """pocketsphinx's log probability (log(1.0001) units): the word, then the history most recent first."""
    word, previous, before = query
    history = () if previous is None else (previous,) if before is None else (previous, before)
    units: int = model.prob((word, *history))
    return units


def compare(ours: TrigramModel, reference: Any, labelled: list[tuple[str, Query]]) -> int:
    """Print how far copylint's answers are from pocketsphinx's over ``labelled``; the number of mismatches."""
    worst = 0.0
    mismatches: Counter[str] = Counter()
    for label, query in labelled:
        expected = pocketsphinx_units(reference, query) * trigrams._LOG_BASE
        got = ours.log_prob(*query)
        worst = max(worst, abs(got - expected))
        if got != expected:
            mismatches[label] += 1
            if sum(mismatches.values()) <= 10:
                print(f"  MISMATCH {label}: {query!r} copylint {got!r} pocketsphinx {expected!r}")
    kinds = Counter(label for label, _ in labelled)
    print(f"{len(labelled)} queries ({', '.join(f'{label} {n}' for label, n in sorted(kinds.items()))})")
    print(f"  max |difference| {worst:.3g} (natural log); mismatches {sum(mismatches.values())} {dict(mismatches)}")
    return sum(mismatches.values())


def time_lookups(path: Path, reference: Any, queries: list[Query]) -> None:
    """Print microseconds per lookup: copylint from a fresh model, copylint once its words are known, and
    pocketsphinx, each over ``queries`` in order with the per-query memo TrigramModel keeps."""
    fresh = read_trigrams(path)
    assert fresh is not None

    def ours() -> None:
        for query in queries:
            fresh.log_prob(*query)

    def theirs() -> None:
        memo: dict[Query, float] = {}
        for query in queries:
            if query not in memo:
                memo[query] = pocketsphinx_units(reference, query) * trigrams._LOG_BASE

    def microseconds(run: Callable[[], None]) -> float:
        started = time.perf_counter()
        run()
        return (time.perf_counter() - started) / len(queries) * 1e6

    cold = microseconds(ours)
    fresh._memo.clear()  # queries and bigram searches forgotten; word ids stay known, as over a batch run
    fresh._trie._bigram_entries.clear()
    known = microseconds(ours)
    remembered = microseconds(ours)
    print(
        f"  per lookup: copylint {cold:.1f} µs (fresh model), {known:.1f} µs (words known), {remembered:.2f} µs (remembered); "
        f"pocketsphinx {microseconds(theirs):.1f} µs"
    )


def rule_queries(path: Path, articles: int) -> list[Query]:
    """The log_prob queries the confusion rule makes, in order, linting the first ``articles`` corpus articles."""
    from bench.corpus import iter_articles
    from copylint.checks import confusion
    from copylint.config import Config
    from copylint.engine import lint_documents
    from copylint.formats import plaintext
    from copylint.ruleset import build_ruleset

    asked: list[Query] = []

    class Recording(TrigramModel):
        def log_prob(self, word: str, previous: str | None, before_previous: str | None) -> float:
            asked.append((word, previous, before_previous))
            return super().log_prob(word, previous, before_previous)

    def load() -> TrigramModel | None:
        model = read_trigrams(path)
        return None if model is None else Recording(model._trie)

    confusion.load_trigrams = load  # type: ignore[attr-defined]  # the rule's own loader, for this process only
    ruleset = build_ruleset(Config())
    for article in list(iter_articles())[:articles]:
        lint_documents(article.id, article.text, plaintext.parse(article.text, article.id), ruleset)
    return asked


def median_load_ms(code: str, times: int) -> float:
    """Median wall time (ms) of the load timed inside ``code``, each in a fresh interpreter."""
    root = str(Path(__file__).resolve().parent.parent)
    runs = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root).stdout)
        for _ in range(times)
    ]
    return statistics.median(runs) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--loads", type=int, default=7, help="fresh processes per load timing")
    parser.add_argument(
        "--articles", type=int, default=0, help="also replay the confusion rule's queries on this many corpus articles"
    )
    args = parser.parse_args()
    path = trigrams.model_path()
    if path is None:
        sys.exit("pocketsphinx's en-us.lm.bin is not installed")
    import pocketsphinx

    pocketsphinx.set_loglevel("FATAL")
    reference = pocketsphinx.NGramModel(pocketsphinx.Config(), pocketsphinx.LogMath(), str(path))
    ours = read_trigrams(path)
    if ours is None:
        sys.exit(f"copylint could not read {path}")

    print("Drawn queries:")
    labelled = draw_queries(TrieWalk(ours), args.queries, random.Random(args.seed))
    mismatches = compare(ours, reference, labelled)
    time_lookups(path, reference, list(dict.fromkeys(query for _, query in labelled)))
    if args.articles:
        asked = rule_queries(path, args.articles)
        print(f"The confusion rule's queries on {args.articles} articles ({len(asked)} asked):")
        mismatches += compare(ours, reference, [("rule", query) for query in dict.fromkeys(asked)])
        time_lookups(path, reference, asked)
    print(
        f"Load in a fresh process (median of {args.loads}): copylint {median_load_ms(OURS_LOAD, args.loads):.1f} ms; "
        f"pocketsphinx import + NGramModel {median_load_ms(POCKETSPHINX_LOAD, args.loads):.1f} ms"
    )
    if mismatches:
        sys.exit(1)


if __name__ == "__main__":
    main()
