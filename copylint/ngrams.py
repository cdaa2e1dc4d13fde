"""A compact word unigram and bigram model for scoring a word in its context, built once and cached.

The counts come from the Google Books n-gram lists that symspellpy ships (CC BY 3.0): 82,765 words and
242,342 bigrams, the rarest bigram listed about 6.4 million times. They are read from the installed
package on first use, packed into sorted arrays (words, counts, integer bigram keys) together with each
common word's real-word neighbours one edit away, and written to the user cache directory (see copylint.cachedir).
Later runs load the arrays in a few milliseconds and look entries up by binary search, remembering what
they found, so no large dictionary is built at start-up. Nothing is fetched from the network.
"""

from __future__ import annotations

import array
import bisect
import math
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, fields
from importlib.util import find_spec
from pathlib import Path
from typing import overload

from copylint.cachedir import prune_stale, user_cache_dir
from copylint.errors import CopylintError
from copylint.mappedfile import SortedWords, map_file, pack, write_atomic

FORMAT_VERSION = 10
UNIGRAM_FILE = "frequency_dictionary_en_82_765.txt"
BIGRAM_FILE = "frequency_bigramdictionary_en_243_342.txt"
ID_BITS = 17  # word ids fit in 17 bits (131,072 words), so a bigram key is one small int
LEFT_FLAG = 1 << 40  # marks a class bigram whose first member is the class
SUFFIX_LENGTH = 3
PROMOTE_AFTER = 30_000  # pair lookups after which the sorted tables are turned into dictionaries
UNSEEN_DISCOUNT = 0.5  # a pair too rare to be listed is guessed at half its independent-frequency count
NEIGHBOUR_MIN_COUNT = 1_500_000.0  # unigram count (source scale) a word needs to be proposed as a neighbour
WRITTEN_MIN_COUNT = 100_000.0  # unigram count a written word needs for its neighbours to be listed
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


class ModelError(CopylintError):
    """The n-gram data could not be found or read (symspellpy missing or damaged)."""


Buffer = bytes | memoryview  # a table as built (bytes) or as read from the mapped cache file (memoryview)


@dataclass(frozen=True, slots=True)
class NgramData:
    """The packed tables, as cached: sorted words, their counts, sorted bigram keys and their counts."""

    words: bytes  # sorted lower-case ASCII words, each followed by a newline; a word's id is its position
    word_starts: Buffer  # array('I'): where each word starts in ``words``, then ``len(words)``
    unigrams: Buffer  # array('d') of counts, already on the bigram scale
    bigram_keys: Buffer  # array('q') of ``id_a << ID_BITS | id_b``, sorted
    bigram_counts: Buffer  # array('f') of counts, parallel to the keys
    neighbours: Buffer  # array('I'): per word id, the ids of its real-word neighbours one edit away, run together
    neighbour_offsets: Buffer  # array('I'): where each word's neighbours start in ``neighbours`` (one extra at the end)
    suffixes: str  # sorted word endings that name a class of words (see ``suffix_of``), joined by newlines
    suffix_mass: Buffer  # array('d'): total unigram count of the words in each class
    word_suffixes: Buffer  # array('i'): each word's class (position in ``suffixes``), -1 for a word too short
    class_keys: Buffer  # array('q'): sorted class bigram keys (LEFT_FLAG | suffix << ID_BITS | word, or word << ID_BITS | suffix)
    class_counts: Buffer  # array('f'): the class bigram counts, parallel to ``class_keys``
    floor: float  # the smallest bigram count listed: an absent bigram was seen fewer times than this
    total: float  # sum of the unigram counts (bigram scale)


class ModelWords(Sequence[str]):
    """The model's sorted words, bisected in place (``mappedfile.SortedWords``): splitting them into 82,765
    strings costs ~9 ms, more than one article's few hundred look-ups. After ``SPLIT_AFTER`` look-ups (a batch)
    they are split once, as a list answers a look-up several times faster."""

    SPLIT_AFTER = 2_000

    def __init__(self, text: bytes, starts: Sequence[int]) -> None:
        self._sorted = SortedWords(text, 0, starts)
        self._count = self._sorted.count
        self._lookups = 0
        self._list: list[str] | None = None

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if self._list is not None:
            return self._list[index]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(index)
        return self._sorted.word(index).decode("ascii")

    def index_of(self, word: str) -> int:
        """The id of ``word``, or -1 if it is not one of the words."""
        words = self._list
        if words is None:
            self._lookups += 1
            if self._lookups >= self.SPLIT_AFTER:
                words = self._list = self._sorted.text().decode("ascii").split("\n")[:-1]
        if words is not None:
            i = bisect.bisect_left(words, word)
            return i if i < self._count and words[i] == word else -1
        return self._sorted.find(word.encode("ascii")) if word.isascii() else -1  # the model's words are ASCII


class NgramModel:
    """Unigram and bigram counts on one scale, looked up by binary search and remembered."""

    def __init__(self, data: NgramData) -> None:
        self.words = ModelWords(data.words, memoryview(data.word_starts).cast("I"))
        # Read-only views over the cached bytes: no copy at start-up.
        self.counts = memoryview(data.unigrams).cast("d")
        self.keys = memoryview(data.bigram_keys).cast("q")
        self.values = memoryview(data.bigram_counts).cast("f")
        self._neighbour_ids = memoryview(data.neighbours).cast("I")
        self._neighbour_offsets = memoryview(data.neighbour_offsets).cast("I")
        self.suffix_mass = memoryview(data.suffix_mass).cast("d")
        self.class_keys = memoryview(data.class_keys).cast("q")
        self.class_values = memoryview(data.class_counts).cast("f")
        self._word_suffixes = memoryview(data.word_suffixes).cast("i")
        self.floor = data.floor
        self.total = data.total
        self._ids: dict[str, int] = {}
        self._pairs: dict[int, float] = {}
        self._lookups = 0
        self._pair_dict: dict[int, float] | None = None
        self._class_complete = False
        self._class_memo: dict[int, float] = {}

    def word_id(self, word: str) -> int:
        """The id of a lower-case word, or -1 if the model does not know it."""
        found = self._ids.get(word)
        if found is None:
            found = self.words.index_of(word)
            if len(self._ids) < 200_000:
                self._ids[word] = found
        return found

    def count(self, word_id: int) -> float:
        """Unigram count of a word id (bigram scale)."""
        return self.counts[word_id]

    def pair(self, first: int, second: int) -> float:
        """Listed count of the bigram of two word ids, 0.0 if it is not listed."""
        key = first << ID_BITS | second
        if self._pair_dict is not None or self._promote() is not None:
            return self._pair_dict.get(key, 0.0)  # type: ignore[union-attr]
        self._lookups += 1
        return self._bisect_pair(key, 0.0)

    def attested(self, first: int, second: int, left: bool) -> bool:
        """True if the pair is listed, or the context word's class (``first`` if ``left``) is listed with the
        other word: "retreating from" is not listed, but words ending in -ing are often followed by "from"."""
        if self.pair(first, second) > 0.0:
            return True
        suffix = self.suffix_id(first if left else second)
        if suffix < 0:
            return False
        return self._class_pair(LEFT_FLAG | suffix << ID_BITS | second if left else first << ID_BITS | suffix) > 0.0

    def log_sides(self, ids: tuple[int, ...], context: int, left: bool) -> tuple[tuple[float, ...], tuple[bool, ...]]:
        """For each word id, the log of P(word | context) (``left``) or P(context | word), up to a constant,
        and whether it rests on listed pairs (the word's own or its class's) rather than frequencies alone.

        A pair that is not listed is estimated from the context word's class ("retreating from": words ending
        in -ing are often followed by "from"), or failing that from the two words' frequencies, discounted by
        ``UNSEEN_DISCOUNT``; both estimates stay below the listing floor. The hot path of confusion scoring:
        after many lookups the sorted tables are turned into dictionaries once, which pays off over a batch.
        """
        pairs = self._pair_dict
        if pairs is None:
            self._lookups += len(ids)
            pairs = self._promote()
        counts = self.counts
        cap = self.floor * 0.5
        context_count = counts[context]
        suffix = self._word_suffixes[context]
        pooled_scale = context_count / self.suffix_mass[suffix] if suffix >= 0 else 0.0
        unseen_scale = context_count / self.total
        if left:
            key_base, class_base, shift = context << ID_BITS, LEFT_FLAG | suffix << ID_BITS, 0
        else:
            key_base, class_base, shift = context, suffix, ID_BITS
        get = pairs.get if pairs is not None else self._bisect_pair
        class_pair = self._class_pair
        values = []
        seen = []
        log = math.log
        for i in ids:
            listed = get(key_base | i << shift, 0.0)
            if listed > 0.0:
                seen.append(True)
            else:
                pooled = class_pair(class_base | i << shift) if suffix >= 0 else 0.0
                if pooled > 0.0:
                    listed = min(pooled * pooled_scale, cap)
                    seen.append(True)
                else:
                    listed = min(unseen_scale * counts[i], cap) * UNSEEN_DISCOUNT
                    seen.append(False)
            values.append(log(listed) if left else log(listed / counts[i]))
        return tuple(values), tuple(seen)

    def _bisect_pair(self, key: int, default: float) -> float:
        """``pair`` by key, before the tables are promoted to dictionaries."""
        found = self._pairs.get(key)
        if found is None:
            i = bisect.bisect_left(self.keys, key)
            found = float(self.values[i]) if i < len(self.keys) and self.keys[i] == key else default
            if len(self._pairs) < 1_000_000:
                self._pairs[key] = found
        return found

    def _promote(self) -> dict[int, float] | None:
        """Build the bigram dictionary once enough lookups have been made to repay it (about 50 ms)."""
        if self._lookups < PROMOTE_AFTER:
            return None
        self._pair_dict = dict(zip(self.keys, self.values, strict=True))
        class_dict = dict(zip(self.class_keys, self.class_values, strict=True))
        self._class_memo = class_dict  # now complete: a key not in it is not listed
        self._class_complete = True
        return self._pair_dict

    def estimate(self, first: int, second: int) -> float:
        """An absent bigram's count guessed from the words' frequencies, kept below the listing floor."""
        return min(self.counts[first] * self.counts[second] / self.total, self.floor * 0.5)

    def suffix_id(self, word_id: int) -> int:
        """The class (word ending) of a word id, or -1 if the word is too short to have one."""
        return self._word_suffixes[word_id]

    def _class_pair(self, key: int) -> float:
        found = self._class_memo.get(key)
        if found is None:
            if self._class_complete:
                return 0.0
            i = bisect.bisect_left(self.class_keys, key)
            found = float(self.class_values[i]) if i < len(self.class_keys) and self.class_keys[i] == key else 0.0
            if len(self._class_memo) < 1_000_000:
                self._class_memo[key] = found
        return found

    def neighbours(self, word_id: int) -> list[str]:
        """Common real words one edit (insertion, deletion, substitution, transposition) away."""
        return [self.words[i] for i in self.neighbour_ids(word_id)]

    def neighbour_ids(self, word_id: int) -> Sequence[int]:
        """The ids of ``neighbours``, most frequent first."""
        offsets = self._neighbour_offsets
        return self._neighbour_ids[offsets[word_id] : offsets[word_id + 1]]


def _package_file(name: str) -> Path:
    """A data file of the installed symspellpy, found without importing it (its import costs ~25 ms)."""
    try:
        spec = find_spec("symspellpy")
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise ModelError("the confusion model needs the symspellpy package (pip install symspellpy)")
    path = Path(next(iter(spec.submodule_search_locations))) / name
    if not path.is_file():
        raise ModelError(f"symspellpy does not ship {name}; reinstall symspellpy")
    return path


def _is_word(token: str) -> bool:
    return token.isalpha() and token.islower() and token.isascii()


def one_edit_apart(a: str, b: str) -> bool:
    """True if ``b`` is ``a`` with one letter inserted, deleted or changed, or two neighbours swapped."""
    la, lb = len(a), len(b)
    if a == b or abs(la - lb) > 1:
        return False
    if la == lb:
        diffs = [i for i in range(la) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]
    short, long_ = (a, b) if la < lb else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


# Pairs that differ only by an inflection or a national spelling (system/systems, favor/favour) are not
# proposed as one-edit slips: the word-pair counts cannot tell agreement or house spelling apart.
_VARIANT_ENDINGS = ("s", "es", "d", "n")
_VARIANT_SWAPS = (("our", "or"), ("ise", "ize"), ("isa", "iza"), ("ll", "l"), ("ce", "se"), ("re", "er"))


def is_variant(word: str, other: str) -> bool:
    """True if two words differ only by an ending (-s, -d, -n) or a British/American spelling."""
    short, long_ = sorted((word, other), key=len)
    if any(long_ == short + ending for ending in _VARIANT_ENDINGS):
        return True
    return any(word.replace(a, b) == other.replace(a, b) for a, b in _VARIANT_SWAPS)


def suffix_of(word: str) -> str | None:
    """The ending that names a word's class for class bigrams (words of five letters or more)."""
    return word[-SUFFIX_LENGTH:] if len(word) >= 5 else None


def class_tables(
    words: list[str], counts: list[float], pairs: dict[int, float]
) -> tuple[list[str], list[float], dict[int, float], list[int]]:
    """Class bigrams: listed pair counts pooled over the ending of the first (or second) word; also each
    word's class (-1 for none)."""
    endings = sorted({e for w in words if (e := suffix_of(w)) is not None})
    ending_ids = {e: i for i, e in enumerate(endings)}
    word_suffix = [ending_ids.get(suffix_of(w) or "", -1) for w in words]
    mass = [0.0] * len(endings)
    for i, s in enumerate(word_suffix):
        if s >= 0:
            mass[s] += counts[i]
    pooled: dict[int, float] = defaultdict(float)
    mask = (1 << ID_BITS) - 1
    for key, count in pairs.items():
        a, b = key >> ID_BITS, key & mask
        if word_suffix[a] >= 0:
            pooled[LEFT_FLAG | word_suffix[a] << ID_BITS | b] += count
        if word_suffix[b] >= 0:
            pooled[a << ID_BITS | word_suffix[b]] += count
    return endings, mass, pooled, word_suffix


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def neighbour_table(words: list[str], counts: list[float]) -> list[list[int]]:
    """For each word (by position), its common real-word neighbours one edit away, most frequent first,
    leaving out its inflections and national spellings (``is_variant``)."""
    common = [i for i, c in enumerate(counts) if c >= NEIGHBOUR_MIN_COUNT]
    index: dict[str, list[int]] = defaultdict(list)
    for i in common:
        index[words[i]].append(i)
        for d in _deletes(words[i]):
            index[d].append(i)
    table: list[list[int]] = []
    for i, word in enumerate(words):
        if counts[i] < WRITTEN_MIN_COUNT or len(word) < 2:
            table.append([])
            continue
        found: set[int] = set()
        for probe in (word, *_deletes(word)):
            found.update(index.get(probe, ()))
        near = sorted(
            (j for j in found if j != i and one_edit_apart(word, words[j]) and not is_variant(word, words[j])),
            key=lambda j: -counts[j],
        )
        table.append(near)
    return table


def build_data(unigram_path: Path, bigram_path: Path) -> NgramData:
    """Read the two count files into packed tables (lower-case alphabetic words only)."""
    raw_counts: dict[str, float] = {}
    try:
        with unigram_path.open(encoding="utf-8") as handle:
            for line in handle:
                parts = line.split()
                if len(parts) == 2 and _is_word(parts[0]) and parts[0] not in raw_counts:
                    raw_counts[parts[0]] = float(parts[1])
        words = sorted(raw_counts)
        ids = {w: i for i, w in enumerate(words)}
        unigrams = [raw_counts[w] for w in words]
        pairs: dict[int, float] = {}
        right_mass = [0.0] * len(words)
        with bigram_path.open(encoding="utf-8") as handle:
            for line in handle:
                parts = line.split()
                if len(parts) != 3:
                    continue
                a, b = ids.get(parts[0]), ids.get(parts[1])
                if a is None or b is None:
                    continue
                count = float(parts[2])
                pairs[a << ID_BITS | b] = count
                right_mass[a] += count
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ModelError(f"cannot read n-gram counts: {exc}") from None
    if len(words) >= 1 << ID_BITS or not pairs:
        raise ModelError("unexpected n-gram data: too many words or no bigrams")
    # The two lists come from different samples: bigram counts run some 30-50 times larger than unigram
    # counts. Take the scale from the most frequent words, whose following words are nearly all listed.
    frequent = sorted(range(len(words)), key=lambda i: -unigrams[i])[:200]
    ratios = sorted(right_mass[i] / unigrams[i] for i in frequent)
    scale = ratios[int(len(ratios) * 0.9)]
    keys = sorted(pairs)
    neighbours = neighbour_table(words, unigrams)
    endings, mass, pooled, word_suffix = class_tables(words, [c * scale for c in unigrams], pairs)
    class_keys = sorted(pooled)
    return NgramData(
        words="".join(w + "\n" for w in words).encode("ascii"),
        word_starts=array.array("I", _offsets([[0] * (len(w) + 1) for w in words])).tobytes(),
        unigrams=array.array("d", (c * scale for c in unigrams)).tobytes(),
        bigram_keys=array.array("q", keys).tobytes(),
        bigram_counts=array.array("f", (pairs[k] for k in keys)).tobytes(),
        neighbours=array.array("I", (j for near in neighbours for j in near)).tobytes(),
        neighbour_offsets=array.array("I", _offsets(neighbours)).tobytes(),
        suffixes="\n".join(endings),
        suffix_mass=array.array("d", mass).tobytes(),
        word_suffixes=array.array("i", word_suffix).tobytes(),
        class_keys=array.array("q", class_keys).tobytes(),
        class_counts=array.array("f", (pooled[k] for k in class_keys)).tobytes(),
        floor=min(pairs.values()),
        total=sum(unigrams) * scale,
    )


def _offsets(parts: list[list[int]]) -> list[int]:
    """Where each part starts when the parts are run together, then where the last one ends."""
    out = [0]
    for part in parts:
        out.append(out[-1] + len(part))
    return out


def _cache_path(sources: tuple[Path, ...]) -> Path | None:
    import zlib  # imported here: every run pays for what is imported at module level

    facts = (FORMAT_VERSION, NEIGHBOUR_MIN_COUNT, WRITTEN_MIN_COUNT, [(p.name, p.stat().st_size) for p in sources])
    stamp = f"{zlib.crc32(repr(facts).encode()):08x}"
    return user_cache_dir() / f"ngrams-{stamp}-{sys.byteorder}.mapped"


# The cache file is a packed file (copylint/mappedfile.py) mapped into memory: the tables are read in place,
# as reading and unmarshalling its 7 MB cost ~15 ms of every start and a run touches only the pages it looks up.
# The arrays are in the machine's byte order (the file name says which).
_TABLES = tuple(f.name for f in fields(NgramData) if f.type in ("Buffer", "bytes"))


def _read_cache(path: Path) -> NgramData | None:
    mapped = map_file(path, FORMAT_VERSION)
    if mapped is None:
        return None
    try:
        view = memoryview(mapped.data)
        tables: dict[str, Buffer] = {name: view[slice(*mapped.span(name))] for name in _TABLES}
        words = bytes(tables.pop("words"))  # a copy, for SortedWords to compare bytes with bytes
        meta = mapped.meta
        return NgramData(words, **tables, suffixes=meta["suffixes"], floor=meta["floor"], total=meta["total"])
    except (KeyError, TypeError):
        return None


def _write_cache(path: Path, data: NgramData) -> None:
    sections = {name: bytes(getattr(data, name)) for name in _TABLES}
    meta = {"suffixes": data.suffixes, "floor": data.floor, "total": data.total}
    try:
        write_atomic(path, pack(FORMAT_VERSION, sections, meta))
        prune_stale(path.parent, "ngrams-*", path)  # tables of older versions or other data
    except OSError:
        return  # a read-only cache folder only costs the build time on the next run


def load_model() -> NgramModel:
    """The model from the user cache, building (and caching) it from symspellpy's files if needed."""
    sources = (_package_file(UNIGRAM_FILE), _package_file(BIGRAM_FILE))
    cache = _cache_path(sources)
    data = _read_cache(cache) if cache is not None and cache.is_file() else None
    if data is None:
        data = build_data(*sources)
        if cache is not None:
            _write_cache(cache, data)
    return NgramModel(data)
