"""A compact English vocabulary with word frequencies and known misspellings, cached in the user cache dir.

Built once, at first use, from data that packages ship: word frequencies from ``wordfreq`` (its large
English list), a spell-checker word list from ``symspellpy`` (Google Books counts filtered through SCOWL,
so it holds real words rather than every string on the web), and ``codespell``'s dictionary of known
misspellings. The built index is written as one file in the user cache folder (``copylint.cachedir``)
and rebuilt when a source package changes. Loading it costs a few milliseconds because nothing large is
built at start-up: words stay in one sorted text searched by bisection (results remembered), misspellings
in sections split on first use, and the set of real words behind suggestions is built only when a
suggestion is first needed.

Frequencies are Zipf values (log10 of occurrences per billion words: "the" is about 7.7, a word seen once
per million words is 3.0, 0.0 means unknown).
"""

from __future__ import annotations

import bisect
import contextlib
import importlib.util
import marshal
import math
import os
import zlib
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from copylint.cachedir import user_cache_dir
from copylint.errors import CopylintError

FORMAT = 4  # bump when the cache layout or the build recipe changes
WORD_ZIPF = 3.0  # a web-frequent form counts as a word from this frequency on (if no dictionary calls it a typo)
_DICT_FLAG = 0x80  # high bit of a word's code: a real word (suggestion target), low bits: Zipf * 10
_SECTION_KEY_LENGTH = 2
_SPLIT_AFTER = 8  # lookups of new words in one section before it is split into a list
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

    def __init__(self, payload: dict[str, Any]) -> None:
        self._blob: str = payload["words"]  # every word, sorted, each followed by a newline
        self._codes: bytes = payload["codes"]
        self._offsets = array("I")
        self._offsets.frombytes(payload["offsets"])
        self._ranges: dict[str, tuple[int, int]] = payload["ranges"]
        self._seen: dict[str, int] = {}  # memo of looked-up words; the vocabulary of a news run is small
        self._sections: dict[str, tuple[int, list[str]]] = {}  # split sections: (index of the first, words)
        self._section_hits: dict[str, int] = {}  # lookups per section not split yet
        self._real: frozenset[str] | None = None
        self._typo_sections: dict[str, str] = payload["typos"]
        self._typos: dict[str, dict[str, str]] = {}
        self._by_length_text: dict[int, str] = payload["by_length"]
        self._by_length: dict[int, list[str]] = {}

    @classmethod
    def load(cls, cache_dir: Path | None = None) -> Vocabulary:
        """The vocabulary, built into ``cache_dir`` (default: the user cache dir) on first use; one per process."""
        return _load_cached(str(cache_dir) if cache_dir is not None else None)

    # -- lookups -------------------------------------------------------------------------------------------

    def _code(self, word: str) -> int:
        code = self._seen.get(word)
        if code is not None:
            return code
        code = 0
        key = word[:_SECTION_KEY_LENGTH]
        section = self._sections.get(key)
        if section is not None:
            lo, words = section
            index = bisect.bisect_left(words, word)
            if index < len(words) and words[index] == word:
                code = self._codes[lo + index]
        elif (bounds := self._ranges.get(key)) is not None:
            lo, hi = bounds
            hits = self._section_hits.get(key, 0) + 1
            self._section_hits[key] = hits
            if hits >= _SPLIT_AFTER:
                # A section looked up often is split once, so that bisection runs in C; a short run (one
                # article) only bisects the sorted text and never pays for splitting a large section.
                self._sections[key] = (lo, self._blob[self._offsets[lo] : self._offsets[hi] - 1].split("\n"))
                return self._code(word)
            blob, offsets = self._blob, self._offsets
            while lo < hi:
                middle = (lo + hi) // 2
                found = blob[offsets[middle] : offsets[middle + 1] - 1]
                if found < word:
                    lo = middle + 1
                elif found > word:
                    hi = middle
                else:
                    code = self._codes[middle]
                    break
        self._seen[word] = code
        return code

    def frequency(self, word: str) -> float:
        """Zipf frequency of the lower-case ``word`` (0.0 if never seen)."""
        return (self._code(word) & ~_DICT_FLAG) / 10

    def is_word(self, word: str) -> bool:
        """True if the lower-case ``word`` is a real English word (not a known misspelling)."""
        return bool(self._code(word) & _DICT_FLAG)

    def misspelling(self, word: str) -> Misspelling | None:
        """The known corrections of the lower-case ``word``, if it is a listed misspelling."""
        key = _section_key(word)
        section = self._typos.get(key)
        if section is None:
            raw = self._typo_sections.get(key, "")
            section = {}
            for line in raw.split("\n") if raw else ():
                wrong, _, right = line.partition("\t")
                section[wrong] = right
            self._typos[key] = section
        data = section.get(word)
        if data is None:
            return None
        fixable = not data.endswith(",")
        return Misspelling(tuple(c for c in data.split(",") if c), fixable)

    def _real_words(self) -> frozenset[str]:
        if self._real is None:
            self._real = frozenset(w for text in self._by_length_text.values() for w in text.split("\n"))
        return self._real

    def _words_of_length(self, length: int) -> list[str]:
        words = self._by_length.get(length)
        if words is None:
            text = self._by_length_text.get(length, "")
            words = text.split("\n") if text else []
            self._by_length[length] = words
        return words

    def candidates(self, word: str, max_distance: int = 1) -> list[tuple[str, int]]:
        """Real words within ``max_distance`` edits (insert, delete, substitute, swap neighbours) of ``word``.

        Returns ``(candidate, distance)`` pairs, nearest first; ``word`` itself is never included.
        """
        found = dict.fromkeys(self._real_words().intersection(_edits1(word)) - {word}, 1)
        if max_distance >= 2:
            from rapidfuzz.distance import OSA  # imported only when a distance-2 search is needed
            from rapidfuzz.process import extract

            for length in range(max(1, len(word) - max_distance), len(word) + max_distance + 1):
                pool = self._words_of_length(length)
                for candidate, distance, _ in extract(word, pool, scorer=OSA.distance, score_cutoff=max_distance, limit=None):
                    if candidate != word and candidate not in found:
                        found[candidate] = int(distance)
        return sorted(found.items(), key=lambda item: (item[1], -self.frequency(item[0]), item[0]))


def _edits1(word: str) -> set[str]:
    """Every string one edit away (Norvig's generator, with adjacent swaps and inner apostrophes)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    edits = {left + right[1:] for left, right in splits if right}
    edits.update(left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1)
    edits.update(left + c + right[1:] for left, right in splits if right for c in _LETTERS)
    edits.update(left + c + right for left, right in splits for c in _LETTERS)
    edits.update(left + "'" + right for left, right in splits[1:-1])
    return edits


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


def build_payload(files: list[Path] | None = None) -> dict[str, Any]:
    """Build the vocabulary tables from the package data (about a second; done once per install)."""
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
    words = sorted(codes)
    ranges: dict[str, tuple[int, int]] = {}
    for index, word in enumerate(words):
        key = _section_key(word)
        lo, _ = ranges.get(key, (index, index))
        ranges[key] = (lo, index + 1)
    offsets = array("I", [0])
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
    return {
        "format": FORMAT,
        "words": "".join(w + "\n" for w in words),
        "codes": bytes(codes[w] for w in words),
        "offsets": offsets.tobytes(),
        "ranges": ranges,
        "typos": {k: "\n".join(lines) for k, lines in typo_sections.items()},
        "by_length": {n: "\n".join(ws) for n, ws in by_length.items()},
    }


def _write_atomic(path: Path, data: bytes) -> None:
    import tempfile  # only when the cache is (re)built

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@cache
def _load_cached(cache_dir: str | None) -> Vocabulary:
    """Read the cached index (building it first if missing or stale); memoised: the data never changes."""
    files = _source_files()
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    path = folder / f"vocabulary-{_fingerprint(files)}.marshal"
    try:
        payload = marshal.loads(path.read_bytes())
        if isinstance(payload, dict) and payload.get("format") == FORMAT:
            return Vocabulary(payload)
    except (OSError, EOFError, ValueError, TypeError, KeyError):
        pass  # missing, stale or damaged: build it again
    payload = build_payload(files)
    with contextlib.suppress(OSError):  # a read-only cache dir only costs the build time on every run
        _write_atomic(path, marshal.dumps(payload))
        for stale in folder.glob("vocabulary-*.marshal"):
            if stale != path:
                stale.unlink(missing_ok=True)  # an index built from older package data
    return Vocabulary(payload)
