"""A compact English vocabulary with word frequencies and known misspellings, cached in the user cache dir.

Built once, at first use, from data that packages ship: word frequencies from ``wordfreq`` (its large
English list), a spell-checker word list from ``symspellpy`` (Google Books counts filtered through SCOWL,
so it holds real words rather than every string on the web), and ``codespell``'s dictionary of known
misspellings. The built index is written as one file in the user cache folder (``copylint.cachedir``)
and rebuilt when a source package changes. It is mapped into memory, not unpacked (``copylint.mappedfile``),
so loading it costs well under a millisecond and nothing large is built at start-up: words stay in one sorted
text searched by bisection in place, through every 32nd word of a section once the section is searched often
(results remembered); misspellings are bisected in their section's lines, decoded and split on first use; and
the real words behind suggestions become sets one length at a time, when a suggestion of that length is first
needed (or many words that long have been looked up).

Frequencies are Zipf values (log10 of occurrences per billion words: "the" is about 7.7, a word seen once
per million words is 3.0, 0.0 means unknown).
"""

from __future__ import annotations

import bisect
import contextlib
import importlib.util
import math
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from pathlib import Path

from copylint.cachedir import prune_stale, user_cache_dir
from copylint.editdistance import osa_distance
from copylint.errors import CopylintError
from copylint.mappedfile import (
    Buffer,
    KeyedParts,
    MappedFile,
    SortedWords,
    boundary_bytes,
    map_file,
    pack,
    uint_bytes,
    unpack,
    write_atomic,
)

FORMAT = 6  # bump when the cache layout or the build recipe changes
WORD_ZIPF = 3.0  # a web-frequent form counts as a word from this frequency on (if no dictionary calls it a typo)
_DICT_FLAG = 0x80  # high bit of a word's code: a real word (suggestion target), low bits: Zipf * 10
_SECTION_KEY_LENGTH = 2
# A section searched often keeps every _STRIDE-th word as a string ("marks"): bisection over those runs in C on a
# short list, and one substring search over at most _STRIDE words of the sorted text finishes the lookup.
# (Splitting whole sections made 300,000 strings that a bisection then visited all over memory.) Until a section
# has had one lookup per _MARKS_AFTER of its words, the text itself is bisected: a story looks up a few words.
_STRIDE = 32
_MARKS_AFTER = 512
# Once new words of one length have been looked up as often as this share of the real words of that length,
# those words become a set (milliseconds): from then on is_word is one set lookup.
_SET_AFTER_SHARE = 1 / 64
CANDIDATES_MEMO = 4096  # cap on remembered candidate searches (a word a story repeats is searched once)
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


class VocabularyError(CopylintError):
    """The packages the vocabulary is built from are missing or damaged."""


@dataclass(frozen=True, slots=True)
class Misspelling:
    """A known misspelling: its corrections, and whether the single correction may be applied blindly."""

    corrections: tuple[str, ...]
    fixable: bool


def _section_key(word: str) -> str:
    return word[:_SECTION_KEY_LENGTH]


def parse_codespell_line(line: str) -> tuple[str, Misspelling] | None:
    """One ``wrong->right`` line of a codespell dictionary (``a, b,`` = suggestions only; ``a, reason`` = no fix)."""
    if "->" not in line:
        return None
    wrong, data = line.rstrip("\n").split("->", 1)
    data = data.strip()
    comma = data.rfind(",")
    if comma < 0:
        return wrong.strip(), Misspelling((data,), True)
    if comma == len(data) - 1:
        choices = tuple(c.strip() for c in data[:comma].split(",") if c.strip())
        return wrong.strip(), Misspelling(choices, False)
    choices = tuple(c.strip() for c in data[:comma].split(",") if c.strip())
    return wrong.strip(), Misspelling(choices, False)


class Vocabulary:
    """Lookups into the cached vocabulary: frequency, is-a-word, known misspellings, close candidates."""

    def __init__(self, tables: _Tables) -> None:
        self._words = tables.words  # every word, sorted, each followed by a newline (ASCII: see _is_plain_word)
        self._codes = tables.codes
        self._ranges = tables.ranges
        self._seen: dict[str, int] = {}  # memo of looked-up words; the vocabulary of a news run is small
        self._marks: dict[str, list[bytes]] = {}  # per section searched: every _STRIDE-th word
        self._section_lookups: dict[str, int] = {}  # lookups in sections without marks yet
        self._data, self._typo_spans, self._length_spans = tables.data, tables.typos, tables.by_length
        self._typos: dict[str, list[str]] = {}  # sections looked in: their sorted lines
        self._by_length: dict[int, list[str]] = {}
        self._real_of_length: dict[int, frozenset[str]] = {}
        self._new_of_length: dict[int, int] = {}  # new words looked up by length, until that length has a set
        self._candidates: dict[tuple[str, int], list[tuple[str, int]]] = {}

    @classmethod
    def load(cls, cache_dir: Path | None = None) -> Vocabulary:
        """The vocabulary, built into ``cache_dir`` (default: the user cache dir) on first use; one per process."""
        return _load_cached(str(cache_dir) if cache_dir is not None else None)

    @classmethod
    def read(cls, data: Buffer) -> Vocabulary | None:
        """The vocabulary in the bytes of a cache file (as ``pack_tables`` makes them); None if they are not one."""
        tables = _tables(unpack(data, FORMAT))
        return None if tables is None else cls(tables)

    # -- lookups -------------------------------------------------------------------------------------------

    def _code(self, word: str) -> int:
        code = self._seen.get(word)
        if code is None:
            bounds = self._ranges.get(word[:_SECTION_KEY_LENGTH])
            # every listed word is ASCII, so another is not listed (and the words are searched as bytes)
            code = self._seen[word] = 0 if bounds is None or not word.isascii() else self._find(word, *bounds)
        return code

    def _find(self, word: str, lo: int, hi: int) -> int:
        """The code of ``word`` among the words lo..hi-1 of the sorted text (0 if it is not there)."""
        words, key = self._words, word.encode("ascii")
        section = word[:_SECTION_KEY_LENGTH]
        marks = self._marks.get(section)
        if marks is None:
            looked = self._section_lookups[section] = self._section_lookups.get(section, 0) + 1
            if looked <= (hi - lo) // _MARKS_AFTER:
                found = words.find(key, lo, hi)
                return 0 if found < 0 else self._codes[found]
            marks = self._marks[section] = [words.word(i) for i in range(lo, hi, _STRIDE)]
        step = bisect.bisect_right(marks, key) - 1
        if step < 0:
            return 0
        first = lo + step * _STRIDE  # the word, if listed, is one of the _STRIDE words from here
        if marks[step] == key:
            return self._codes[first]
        found = words.find_after(key, first, min(first + _STRIDE, hi))
        return 0 if found < 0 else self._codes[found]

    def frequency(self, word: str) -> float:
        """Zipf frequency of the lower-case ``word`` (0.0 if never seen)."""
        return (self._code(word) & ~_DICT_FLAG) / 10

    def is_word(self, word: str) -> bool:
        """True if the lower-case ``word`` is a real English word (not a known misspelling)."""
        if "'" not in word:  # the set of real words of this length (none has an apostrophe), if built or due
            length = len(word)
            real = self._real_of_length.get(length)
            if real is not None:
                return word in real
            if word not in self._seen:
                looked = self._new_of_length[length] = self._new_of_length.get(length, 0) + 1
                if looked >= _SET_AFTER_SHARE * self._count_of_length(length):
                    return word in self._real_words_of_length(length)
        return bool(self._code(word) & _DICT_FLAG)

    def misspelling(self, word: str) -> Misspelling | None:
        """The known corrections of the lower-case ``word``, if it is a listed misspelling."""
        key = _section_key(word)
        lines = self._typos.get(key)
        if lines is None:
            text = self._text(self._typo_spans.get(key))
            lines = self._typos[key] = text.split("\n") if text else []
        # sorted lines of "wrong\tcorrections": the word's line, if any, is the first from "word\t" on
        probe = f"{word}\t"
        index = bisect.bisect_left(lines, probe)
        if index == len(lines) or not lines[index].startswith(probe):
            return None
        data = lines[index][len(probe) :]
        fixable = not data.endswith(",")
        return Misspelling(tuple(c for c in data.split(",") if c), fixable)

    def _words_of_length(self, length: int) -> list[str]:
        words = self._by_length.get(length)
        if words is None:
            text = self._text(self._length_spans.get(length))
            words = text.split("\n") if text else []
            self._by_length[length] = words
        return words

    def _real_words_of_length(self, length: int) -> frozenset[str]:
        """The real words (no apostrophes) of one length, as a set: built when a word that long is first looked near."""
        words = self._real_of_length.get(length)
        if words is None:
            words = self._real_of_length[length] = frozenset(self._words_of_length(length))
        return words

    def candidates(self, word: str, max_distance: int = 1) -> list[tuple[str, int]]:
        """Real words within ``max_distance`` edits (insert, delete, substitute, swap neighbours) of ``word``.

        Returns ``(candidate, distance)`` pairs, nearest first; ``word`` itself is never included. ``word`` is one
        word (edits are made as lines of text).
        """
        memo_key = (word, max_distance)
        found = self._candidates.get(memo_key)
        if found is None:
            found = self._search(word, max_distance)
            if len(self._candidates) < CANDIDATES_MEMO:
                self._candidates[memo_key] = found
        return list(found)

    def _search(self, word: str, max_distance: int) -> list[tuple[str, int]]:
        length = len(word)
        # Each kind of edit makes strings of one length, matched against the real words of that length alone (real
        # words hold no apostrophe, so no edit inserts one).
        near = {
            *self._real_words_of_length(length - 1).intersection(_deletions(word)),
            *self._real_words_of_length(length).intersection(_lines(_replacements(word))),
            *self._real_words_of_length(length + 1).intersection(_lines(_insertions(word))),
        }
        near.discard(word)
        found = dict.fromkeys(near, 1)
        if max_distance < 2:
            return self._nearest_first(found)
        scanned = []
        for size in range(max(1, length - max_distance), length + max_distance + 1):
            # Two edits make a word two letters shorter only by two deletions, and one letter shorter by a
            # deletion and a replacement or swap: listing those strings costs less than comparing the word with
            # every real word of that length (rapidfuzz below), unless the word is long and the words that long few.
            if max_distance == 2 and size == length - 2:
                edits = [shorter for deleted in set(_deletions(word)) for shorter in _deletions(deleted)]
            elif max_distance == 2 and size == length - 1 and 27 * length * length < self._count_of_length(size):
                edits = _lines(block for deleted in set(_deletions(word)) for block in _replacements(deleted))
            else:
                scanned.append(size)
                continue
            for candidate in self._real_words_of_length(size).intersection(edits):
                # a deletion then a swap can pass for two edits when it is three (abc -> ac -> ca)
                if candidate not in found and osa_distance(word, candidate, 2) == 2:
                    found[candidate] = 2
        if scanned:
            from rapidfuzz.distance import OSA  # imported only when a distance-2 search is needed
            from rapidfuzz.process import extract

            for size in scanned:
                pool = self._words_of_length(size)
                for candidate, distance, _ in extract(word, pool, scorer=OSA.distance, score_cutoff=max_distance, limit=None):
                    if candidate != word and candidate not in found:
                        found[candidate] = int(distance)
        return self._nearest_first(found)

    def _nearest_first(self, found: dict[str, int]) -> list[tuple[str, int]]:
        return sorted(found.items(), key=lambda item: (item[1], -self.frequency(item[0]), item[0]))

    def _count_of_length(self, length: int) -> int:
        """How many real words (no apostrophes) have ``length`` letters: their text holds one line of each."""
        start, end = self._length_spans.get(length) or (0, 0)
        return (end - start + 1) // (length + 1) if end > start else 0  # ASCII: a byte a letter

    def _text(self, span: tuple[int, int] | None) -> str:
        """The text of a span of the file ("" for none); damage shows as replacement characters, never an error."""
        return "" if span is None else self._data[span[0] : span[1]].decode("utf-8", "replace")


def _lines(blocks: Iterable[str]) -> list[str]:
    return "\n".join(blocks).split("\n")


def _deletions(word: str) -> list[str]:
    return [word[:i] + word[i + 1 :] for i in range(len(word))]


# Edits are made as lines of text and split once: one C call makes the strings (a comprehension made one
# string a step, the main cost of a candidate search).
def _replacements(word: str) -> list[str]:
    """Lines of ``word`` with neighbours swapped and with each letter replaced by every letter (itself too)."""
    blocks = [word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)]
    for i in range(len(word)):
        left, right = word[:i], word[i + 1 :]
        blocks.append(left + f"{right}\n{left}".join(_LETTERS) + right)
    return blocks


def _insertions(word: str) -> list[str]:
    """Lines of ``word`` with every letter inserted at every place."""
    blocks = []
    for i in range(len(word) + 1):
        left, right = word[:i], word[i:]
        blocks.append(left + f"{right}\n{left}".join(_LETTERS) + right)
    return blocks


# -- building and caching ----------------------------------------------------------------------------------


def _source_files() -> list[Path]:
    """The package data files the vocabulary is built from (located without importing the packages)."""
    files = []
    for package, parts in (
        ("wordfreq", ("data", "large_en.msgpack.gz")),
        ("symspellpy", ("frequency_dictionary_en_82_765.txt",)),
        ("codespell_lib", ("data", "dictionary.txt")),
    ):
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            raise VocabularyError(f"copylint needs the {package!r} package for its vocabulary (pip install copylint)")
        files.append(Path(next(iter(spec.submodule_search_locations))).joinpath(*parts))
    return files


def _fingerprint(files: Iterable[Path]) -> str:
    facts = [str(FORMAT)]
    for path in files:
        stat = path.stat()
        facts.append(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return f"{zlib.crc32(' '.join(facts).encode()):08x}"


def default_cache_dir() -> Path:
    """Where the built vocabulary is kept: $COPYLINT_CACHE_DIR, else the platform's user cache dir."""
    return user_cache_dir()


def _is_plain_word(word: str) -> bool:
    return word.replace("'", "").isalpha() and word.isascii() and not word.startswith("'") and not word.endswith("'")


def build_file(files: list[Path] | None = None) -> bytes:
    """Build the vocabulary tables from the package data, packed as the cache file (about a second; once per install)."""
    import wordfreq  # heavy: imported only to build the cache

    _, symspell_path, codespell_path = files or _source_files()  # wordfreq reads its own file
    frequencies = wordfreq.get_frequency_dict("en", wordlist="large")
    typos: dict[str, str] = {}
    with codespell_path.open(encoding="utf-8") as handle:
        for line in handle:
            parsed = parse_codespell_line(line)
            if parsed is None:
                continue
            wrong, entry = parsed
            if wrong == wrong.lower() and _is_plain_word(wrong):
                typos[wrong] = ",".join(entry.corrections) + ("" if entry.fixable else ",")
    dictionary: dict[str, int] = {}
    with symspell_path.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 2 and _is_plain_word(parts[0]):
                dictionary[parts[0]] = int(parts[1])
    # symspell counts come from Google Books; scale them to Zipf with "the" as the common anchor.
    scale = frequencies.get("the", 0.05) / max(dictionary.get("the", 1), 1)
    codes: dict[str, int] = {}
    for word, frequency in frequencies.items():
        if not _is_plain_word(word):
            continue
        zipf = math.log10(frequency) + 9
        real = word in dictionary or (zipf >= WORD_ZIPF and word not in typos)
        codes[word] = min(round(zipf * 10), 0x7F) | (_DICT_FLAG if real else 0)
    for word, count in dictionary.items():
        if word not in codes:
            zipf = max(math.log10(count * scale) + 9, 0.1)
            codes[word] = min(round(zipf * 10), 0x7F) | _DICT_FLAG
    return pack_tables(codes, typos)


def pack_tables(codes: Mapping[str, int], typos: Mapping[str, str]) -> bytes:
    """The cache file of a vocabulary: ``codes`` (plain words -> _DICT_FLAG | Zipf * 10) and ``typos``
    (misspelling -> its corrections joined by commas, a trailing comma if none may be applied blindly)."""
    words = sorted(codes)
    section_ends: dict[str, int] = {}  # sorted words sharing a key are consecutive: a section ends where the next starts
    for index, word in enumerate(words):
        section_ends[_section_key(word)] = index + 1
    offsets = [0]
    for word in words:
        offsets.append(offsets[-1] + len(word) + 1)
    typo_sections: dict[str, list[str]] = {}
    for wrong, right in sorted(typos.items()):
        if not codes.get(wrong, 0) & _DICT_FLAG:
            typo_sections.setdefault(_section_key(wrong), []).append(f"{wrong}\t{right}")
    by_length: dict[int, list[str]] = {}
    for word in words:
        if codes[word] & _DICT_FLAG and "'" not in word:
            by_length.setdefault(len(word), []).append(word)
    by_length = dict(sorted(by_length.items()))
    typo_texts = [("\n".join(lines)).encode("utf-8") for lines in typo_sections.values()]
    length_texts = [("\n".join(real)).encode("ascii") for real in by_length.values()]
    sections = {
        "words": "".join(w + "\n" for w in words).encode("ascii"),
        "offsets": uint_bytes("I", offsets),
        "codes": bytes(codes[w] for w in words),
        "section_bounds": boundary_bytes(list(section_ends.values())),  # sorted keys, as KeyedParts wants
        "typos": b"".join(typo_texts),
        "typo_bounds": boundary_bytes(list(accumulate(map(len, typo_texts)))),
        "by_length": b"".join(length_texts),
        "length_bounds": boundary_bytes(list(accumulate(map(len, length_texts)))),
    }
    keys = {"sections": list(section_ends), "typos": list(typo_sections), "by_length": list(by_length)}
    return pack(FORMAT, sections, keys)


@dataclass(frozen=True, slots=True)
class _Tables:
    """The parts of a vocabulary file, checked: look-ups in them stay within the file."""

    data: Buffer
    words: SortedWords
    codes: Sequence[int]  # per word: _DICT_FLAG | Zipf * 10
    ranges: KeyedParts  # section key -> its first and past-last word
    typos: KeyedParts  # section key -> where its "wrong\tcorrections" lines lie in the file
    by_length: KeyedParts  # length -> where its real words, one a line, lie in the file


def _tables(mapped: MappedFile | None) -> _Tables | None:
    """The tables of a vocabulary file; None if it is not one this version wrote or does not hold together."""
    if mapped is None:
        return None
    words = SortedWords.of(mapped, "words", "offsets")
    keys = mapped.meta
    if words is None or not isinstance(keys, dict) or not {"codes", "typos", "by_length"} <= mapped.spans.keys():
        return None
    codes = mapped.uints("codes", "B")
    (typo_start, typo_end), (length_start, length_end) = mapped.span("typos"), mapped.span("by_length")
    ranges = KeyedParts.of(mapped, keys.get("sections"), "section_bounds", words.count)
    typos = KeyedParts.of(mapped, keys.get("typos"), "typo_bounds", typo_end - typo_start, typo_start)
    by_length = KeyedParts.of(mapped, keys.get("by_length"), "length_bounds", length_end - length_start, length_start)
    if codes is None or len(codes) != words.count or ranges is None or typos is None or by_length is None:
        return None
    return _Tables(mapped.data, words, codes, ranges, typos, by_length)


@cache
def _load_cached(cache_dir: str | None) -> Vocabulary:
    """Map the cached index (building it first if missing, stale or damaged); memoised: the data never changes."""
    files = _source_files()
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    path = folder / f"vocabulary-{_fingerprint(files)}.mapped"
    mapped = map_file(path, FORMAT)
    tables = _tables(mapped)
    if tables is not None:
        return Vocabulary(tables)
    if mapped is not None:
        mapped.close()
    packed = build_file(files)  # missing, stale, damaged or truncated: build it again
    with contextlib.suppress(OSError):  # a read-only cache dir only costs the build time on every run
        write_atomic(path, packed)
        prune_stale(folder, "vocabulary-*", path)  # an index built from other package data, or an older layout
    built = Vocabulary.read(packed)
    if built is None:
        raise VocabularyError("the vocabulary just built does not read back")  # a bug, not bad data
    return built
