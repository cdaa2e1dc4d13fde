"""A word trigram language model for weighing a confusion candidate in a five-word window.

The model is CMU Sphinx's generic US English trigram model (``en-us.lm.bin``, BSD licence), a file that the
``pocketsphinx`` wheel ships. Nothing is fetched from the network, and pocketsphinx is not imported: importing
it and loading the model through its C library cost 60-120 ms of every cold start, whereas this module maps the
27 MB file into memory and is ready in a few milliseconds. Nothing large is parsed: the quantisation bins and
unigrams are read in place, the sorted vocabulary gets a sparse index, and bigrams and trigrams are searched
for in the mapped bit-packed arrays as pocketsphinx searches them. The answers are exactly those of its
``NGramModel.prob``, float32 backoff sums and truncation to whole log(1.0001) units included
(bench/check_trigrams.py compares the two). A pure-Python look-up costs about three times pocketsphinx's, so
after ``NATIVE_AFTER`` uncached queries (a batch, not one story) pocketsphinx's reader is loaded once and answers
the rest, with the same numbers. Without the file the confusion rule uses its word-pair model alone.

The file layout (pocketsphinx's lm_trie.c, lm_trie_quant.c, ngram_model_trie.c), all little-endian:
"Trie Language Model", uint8 order (3), uint32 n-gram counts per order, int32 quantiser type (ignored),
float32 bins: 2**16 bigram probabilities, 2**16 bigram backoffs, 2**16 trigram probabilities; then
counts[0] + 1 unigrams {float32 prob, float32 backoff, uint32 first bigram}; the bigram array, entries of
(word, backoff bin, probability bin, first trigram) packed in bits; the trigram array, entries of (word,
probability bin); and finally int32 length and the words, each ending in NUL, a word's id its position.
The trie runs backwards: a unigram's bigrams are keyed by the word *before* it, a bigram's trigrams by
the word before that, each run sorted by word id. Values are in log(1.0001) units.
"""

from __future__ import annotations

import math
import mmap
import struct
import sys
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from importlib.util import find_spec
from pathlib import Path
from typing import Any

BOUNDARY = "<s>"  # a sentence edge in a window: the start as history, the end as the next word
_END = "</s>"
_UNKNOWN = "<UNK>"  # pocketsphinx reads a word not in the vocabulary as this one, if the model has it
_LOG_BASE = math.log(1.0001)  # the model's log probabilities are in units of log(1.0001)
_LOG_ZERO = -(1 << 29)  # pocketsphinx's log(0) in those units: its answer for a word the model does not know
_MEMO_LIMIT = 200_000  # queries, and bigram searches, remembered per model
_WORD_MEMO_LIMIT = 100_000
# Uncached queries after which pocketsphinx's own reader, when installed, answers the rest: its C look-ups are
# about three times faster, which repays its 60-120 ms load in a batch, not in a one-story run.
NATIVE_AFTER = 5_000
MODEL_PATH = ("model", "en-us", "en-us.lm.bin")

_HEADER = b"Trie Language Model"
_ORDER = 3
_QUANT_BITS = 16  # bigram probability and backoff and trigram probability are each a 16-bit bin number
_BINS = 1 << _QUANT_BITS
_ID_BITS = 25  # pocketsphinx's limit on word ids and n-gram counts; larger files are not its format
_ID_MASK = (1 << _ID_BITS) - 1
_VOCAB_BLOCK = 1024  # bytes of vocabulary per entry of its sparse index
_read_u32 = struct.Struct("<I").unpack_from
_F32 = struct.Struct("<f")


class _FormatError(ValueError):
    """The file is not a trigram model in the layout described above."""


def _f32(value: float) -> float:
    """``value`` rounded to float32, as pocketsphinx's C sums of float32 log values are."""
    result: float = _F32.unpack(_F32.pack(value))[0]
    return result


def _floats(data: mmap.mmap, start: int, end: int) -> Sequence[float]:
    """The little-endian float32 values of ``data[start:end]``: a view, or a copy on a big-endian machine."""
    if sys.byteorder == "little":
        return memoryview(data)[start:end].cast("f")
    values = array("f", data[start:end])
    values.byteswap()
    return values


def _uints(data: mmap.mmap, start: int, end: int) -> Sequence[int]:
    """The little-endian uint32 values of ``data[start:end]``: a view, or a copy on a big-endian machine."""
    if sys.byteorder == "little":
        return memoryview(data)[start:end].cast("I")
    values = array("I", data[start:end])
    if values.itemsize != 4:
        raise _FormatError("no 32-bit unsigned array type")
    values.byteswap()
    return values


def _packed_size(entries: int, word_bits: int, other_bits: int) -> int:
    """Bytes of a bit-packed n-gram array: one extra entry for the last next-pointer, 8 bytes of read slack."""
    return ((entries + 1) * (word_bits + other_bits) + 7) // 8 + 8


class _Vocabulary(dict[str, int]):
    """Word -> id, as pocketsphinx's hash table answers it, filled in as words are asked for.

    A full dictionary of the 72,547 words takes ~30 ms to build, so the sorted word list is indexed sparsely
    instead (~2 ms): where each block of about ``_VOCAB_BLOCK`` bytes starts, its first word and that word's
    id. A word is then found in its block and its id counted from the block's.
    """

    def __init__(self, words: bytes, count: int) -> None:
        super().__init__()
        self._words = b"\0" + words  # every word now sits between two NULs
        last = len(self._words) - 1
        if self._words[last] != 0:
            raise _FormatError("vocabulary does not end a word")
        self._starts: list[int] = []
        self._firsts: list[bytes] = []
        self._ids: list[int] = []
        start = word = 0
        while start < last:
            first = self._words[start + 1 : self._words.find(b"\0", start + 1)]
            if self._firsts and first <= self._firsts[-1]:
                raise _FormatError("vocabulary is not sorted")
            self._starts.append(start)
            self._firsts.append(first)
            self._ids.append(word)
            end = self._words.find(b"\0", start + _VOCAB_BLOCK) if start + _VOCAB_BLOCK < last else last
            word += self._words.count(b"\0", start, end)
            start = end
        if word != count:
            raise _FormatError("vocabulary does not match the unigram count")
        self._starts.append(last)
        self.unknown = -1
        self.unknown = self[_UNKNOWN]

    def __missing__(self, word: str) -> int:
        """The id of a word not asked for before: -1 (or <UNK>'s id, if the model has one) if not in the model."""
        key = word.encode("utf-8", "surrogatepass")  # unencodable text matches no word rather than raising
        if b"\0" in key:  # pocketsphinx passes the word as a C string, which ends there
            key = key[: key.index(b"\0")]
        found = self.unknown
        block = bisect_right(self._firsts, key) - 1
        if block >= 0:
            start = self._starts[block]
            at = self._words.find(b"\0" + key + b"\0", start, self._starts[block + 1] + 1)
            if at >= 0:
                found = self._ids[block] + self._words.count(b"\0", start, at)
        if len(self) < _WORD_MEMO_LIMIT:
            self[word] = found
        return found


class _PackedArray:
    """An n-gram array packed in bits: entries of a word id then other fields, each node's run sorted by id."""

    __slots__ = ("at", "bits", "data", "mask", "top")

    def __init__(self, data: mmap.mmap, at: int, bits: int, word_bits: int, words: int) -> None:
        self.data, self.at, self.bits = data, at, bits
        self.mask = (1 << word_bits) - 1
        self.top = words  # the id the search assumes past a run's end (pocketsphinx's choice: the word count)

    def find(self, key: int, begin: int, end: int) -> int:
        """Where word id ``key`` is among entries ``begin``..``end`` - 1; -1 if absent.

        Interpolation search, as pocketsphinx does it: the ids of a run are spread over the vocabulary, so a
        probe guessed from the key's place between the bounds lands close (2.5-4 probes on average). A damaged
        file can send a probe past its end: ``struct.error``, which ``TrigramModel.log_prob`` catches.
        """
        low, low_key, high, high_key = begin - 1, 0, end, self.top
        data, at, bits, mask = self.data, self.at, self.bits, self.mask
        while high - low > 1:
            probe = low + 1 + (key - low_key) * (high - low - 1) // (high_key - low_key + 1)
            bit = probe * bits
            found = (_read_u32(data, at + (bit >> 3))[0] >> (bit & 7)) & mask
            if found < key:
                low, low_key = probe, found
            elif found > key:
                high, high_key = probe, found
            else:
                return probe
        return -1


class _BigramEntries(dict[int, int]):
    """``previous << _ID_BITS | word`` -> the entry of bigram "previous word" (-1 if absent), remembered.

    Worth remembering: over a batch run half the bigram searches repeat, because the bigram a query
    backs off through is the one the query before (or a rival candidate's query) looked up.
    """

    def __init__(self, bigrams: _PackedArray, firsts: Sequence[int]) -> None:
        super().__init__()
        self._bigrams, self._firsts = bigrams, firsts

    def __missing__(self, key: int) -> int:
        word = key & _ID_MASK
        found = self._bigrams.find(key >> _ID_BITS, self._firsts[word], self._firsts[word + 1])
        if len(self) < _MEMO_LIMIT:
            self[key] = found
        return found


class _Trie:
    """The mapped model file: scores of word ids in log(1.0001) units, as pocketsphinx computes them."""

    __slots__ = (
        "_bigram_backoffs",
        "_bigram_bytes",
        "_bigram_entries",
        "_bigram_probs",
        "_bigrams",
        "_next_mask",
        "_trigram_probs",
        "_trigrams",
        "_unigram_backoffs",
        "_unigram_probs",
        "_word_bits",
        "words",
    )

    def __init__(self, data: mmap.mmap) -> None:
        at = len(_HEADER)
        if len(data) < at + 1 + 4 * _ORDER + 4 or data[:at] != _HEADER or data[at] != _ORDER:
            raise _FormatError("not a trigram model in pocketsphinx's trie format")
        counts: tuple[int, ...] = struct.unpack_from(f"<{_ORDER}I", data, at + 1)
        words, bigrams, trigrams = counts
        if not all(0 < count < (1 << _ID_BITS) - 1 for count in counts):
            raise _FormatError("n-gram counts out of range")
        at += 1 + 4 * _ORDER + 4  # the quantiser type that follows the counts is unused, as in pocketsphinx
        self._word_bits = words.bit_length()
        next_bits = trigrams.bit_length()
        self._next_mask = (1 << next_bits) - 1
        bigram_bits = self._word_bits + 2 * _QUANT_BITS + next_bits
        # A found bigram's fields and the next entry's first trigram, read as one integer (plus shift slack).
        self._bigram_bytes = (2 * bigram_bits - self._word_bits + 7 + 7) // 8

        tables = 3 * _BINS * 4
        unigrams = 12 * (words + 1)
        bigrams_at = at + tables + unigrams
        trigrams_at = bigrams_at + _packed_size(bigrams, self._word_bits, bigram_bits - self._word_bits)
        vocab_at = trigrams_at + _packed_size(trigrams, self._word_bits, _QUANT_BITS)
        if len(data) < vocab_at + 4:
            raise _FormatError("file too short")
        vocab_size: int = struct.unpack_from("<i", data, vocab_at)[0]
        if vocab_at + 4 + vocab_size != len(data):
            raise _FormatError("file size does not match its counts")

        quantised = _floats(data, at, at + tables)
        self._bigram_probs = quantised[:_BINS]
        self._bigram_backoffs = quantised[_BINS : 2 * _BINS]
        self._trigram_probs = quantised[2 * _BINS :]
        at += tables
        values = _floats(data, at, at + unigrams)
        self._unigram_probs = values[0::3]
        self._unigram_backoffs = values[1::3]
        first_bigrams = _uints(data, at, at + unigrams)[2::3]
        if first_bigrams[words] > bigrams:
            raise _FormatError("unigram table does not match the bigram count")
        self._bigrams = _PackedArray(data, bigrams_at, bigram_bits, self._word_bits, words)
        self._trigrams = _PackedArray(data, trigrams_at, self._word_bits + _QUANT_BITS, self._word_bits, words)
        self._bigram_entries = _BigramEntries(self._bigrams, first_bigrams)
        self.words = _Vocabulary(data[vocab_at + 4 :], words)

    def score(self, word: int, previous: int, before: int) -> int:
        """log P(word | before previous) in whole log(1.0001) units, -1 marking a missing word.

        As pocketsphinx: an unknown word gets log(0) and an unknown history word cuts the history there.
        The longest n-gram the trie holds gives the probability; where it lacks the n-gram, the backoff
        weights of the history it does hold are added, in float32, and the total is truncated towards zero.
        """
        if word < 0:
            return _LOG_ZERO
        prob = self._unigram_probs[word]
        if previous < 0:
            return int(prob)
        entries = self._bigram_entries
        bigram = entries[previous << _ID_BITS | word]
        if bigram < 0:  # no "previous word": back off to the unigram
            prob = _f32(prob + self._unigram_backoffs[previous])
            return int(prob if before < 0 else _f32(prob + self._backoff(entries[before << _ID_BITS | previous])))
        bigrams = self._bigrams
        bit = bigram * bigrams.bits + self._word_bits
        at = bigrams.at + (bit >> 3)
        fields = int.from_bytes(bigrams.data[at : at + self._bigram_bytes], "little") >> (bit & 7)
        prob = self._bigram_probs[(fields >> _QUANT_BITS) & (_BINS - 1)]
        if before < 0:
            return int(prob)
        first = (fields >> 2 * _QUANT_BITS) & self._next_mask
        end = (fields >> (bigrams.bits + 2 * _QUANT_BITS)) & self._next_mask
        trigrams = self._trigrams
        trigram = trigrams.find(before, first, end) if first < end else -1
        if trigram < 0:  # no "before previous word": back off to the bigram
            return int(_f32(prob + self._backoff(entries[before << _ID_BITS | previous])))
        bit = trigram * trigrams.bits + self._word_bits
        packed: int = _read_u32(trigrams.data, trigrams.at + (bit >> 3))[0]
        return int(self._trigram_probs[(packed >> (bit & 7)) & (_BINS - 1)])

    def _backoff(self, bigram: int) -> float:
        """The backoff weight of a bigram entry; 0 for an absent bigram."""
        if bigram < 0:
            return 0.0
        bigrams = self._bigrams
        bit = bigram * bigrams.bits + self._word_bits
        packed: int = _read_u32(bigrams.data, bigrams.at + (bit >> 3))[0]
        return self._bigram_backoffs[(packed >> (bit & 7)) & (_BINS - 1)]


class TrigramModel:
    """Log probabilities of words given up to two words before, remembered per query."""

    def __init__(self, trie: _Trie, path: Path | None = None, native_after: int = NATIVE_AFTER) -> None:
        self._trie = trie
        self._ids = trie.words
        self._memo: dict[tuple[str, str | None, str | None], float] = {}
        self._path = path  # the file, for pocketsphinx to read once enough queries have been made
        self._native_after = native_after
        self._misses = 0
        self._native: Any = None  # pocketsphinx's NGramModel over the same file, once loaded

    @property
    def native(self) -> bool:
        """True once pocketsphinx's reader answers the uncached queries."""
        return self._native is not None

    def log_prob(self, word: str, previous: str | None, before_previous: str | None) -> float:
        """Natural log of P(word | before_previous previous), backing off as the model does."""
        found = self._memo.get((word, previous, before_previous))
        return self._answer(word, previous, before_previous) if found is None else found

    def _answer(self, word: str, previous: str | None, before_previous: str | None) -> float:
        """``log_prob`` for a query not remembered yet, which it remembers."""
        if self._native is not None and _plain(word, previous, before_previous):
            history = () if previous is None else (previous,) if before_previous is None else (previous, before_previous)
            found: float = self._native.prob((word, *history)) * _LOG_BASE
        else:
            found = self._score(word, previous, before_previous)
        if len(self._memo) < _MEMO_LIMIT:
            self._memo[word, previous, before_previous] = found
        return found

    def _score(self, word: str, previous: str | None, before_previous: str | None) -> float:
        ids = self._ids
        word_id = ids[word]
        previous_id = -1 if previous is None or word_id < 0 else ids[previous]
        before_id = -1 if before_previous is None or previous_id < 0 else ids[before_previous]
        try:
            found = self._trie.score(word_id, previous_id, before_id) * _LOG_BASE
        except (struct.error, OverflowError, ValueError):  # a damaged file (pointers out of it, values not finite)
            found = _LOG_ZERO * _LOG_BASE
        self._misses += 1
        if self._misses == self._native_after and self._path is not None:
            self._native = _native_model(self._path)
        return found

    def window_scores(self, left: Sequence[str], words: Sequence[str], right: Sequence[str]) -> list[float]:
        """``window_score`` of each of ``words`` in the same window: the queries' shape is worked out once for the
        window, and remembered answers are read without a call."""
        left = left[-2:]
        right = right[:2]
        previous = left[-1] if left else None
        before = left[0] if len(left) == 2 and previous != BOUNDARY else None
        after = right[0] if right else None
        last = right[1] if len(right) == 2 and after != BOUNDARY else None
        ends_after = after == BOUNDARY  # the sentence ends right after the word
        ends_last = last == BOUNDARY
        recalled = self._memo.get
        answer = self._answer
        scores = []
        for word in words:
            total = 0.0
            if word == BOUNDARY:  # the sentence ends here: how likely it is to end after the words before
                if left:
                    found = recalled((_END, previous, before))
                    total += answer(_END, previous, before) if found is None else found
                scores.append(total)
                continue
            found = recalled((word, previous, before))
            total += answer(word, previous, before) if found is None else found
            if after is not None:
                # the word's own history is the word before it, and the one before that unless it is an edge
                context = (_END, word, previous) if ends_after else (after, word, previous)
                found = recalled(context)
                total += answer(*context) if found is None else found
                if last is not None:
                    context = (_END, after, word) if ends_last else (last, after, word)
                    found = recalled(context)
                    total += answer(*context) if found is None else found
            scores.append(total)
        return scores

    def window_score(self, left: Sequence[str], word: str, right: Sequence[str]) -> float:
        """Log probability of ``word`` and the (up to two) words after it, given the two words before.

        ``left`` and ``right`` hold lower-case words nearest ``word`` last and first; ``BOUNDARY`` marks
        a sentence edge, beyond which nothing is looked at.
        """
        return self.window_scores(left, (word,), right)[0]


def _plain(*words: str | None) -> bool:
    """True if pocketsphinx can take these words: it fails on text that is not valid UTF-8 (lone surrogates)."""
    for word in words:
        if word is not None and not word.isascii():
            try:
                word.encode("utf-8")
            except UnicodeEncodeError:
                return False
    return True


def _native_model(path: Path) -> Any:
    """pocketsphinx's reader over the model file, or None if pocketsphinx cannot be imported or read it."""
    try:
        import pocketsphinx

        pocketsphinx.set_loglevel("FATAL")  # the C library otherwise logs to stderr
        return pocketsphinx.NGramModel(pocketsphinx.Config(), pocketsphinx.LogMath(), str(path))
    except Exception:  # any failure leaves the pure-Python reader answering, with the same numbers
        return None


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


def read_trigrams(path: Path) -> TrigramModel | None:
    """The model in the file at ``path``; None if it cannot be read or is not in the expected format."""
    try:
        with path.open("rb") as file:
            data = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)  # outlives the file object
        return TrigramModel(_Trie(data), path)
    except (OSError, ValueError, OverflowError, IndexError, struct.error):  # an empty file is a ValueError
        return None


def load_trigrams() -> TrigramModel | None:
    """The trigram model, or None when pocketsphinx's model file is not installed or cannot be read."""
    path = model_path()
    return None if path is None else read_trigrams(path)
