"""Names rules: a name spelled two ways in one story, an acronym used unlike its definition, a surname before the full name.

The rules read capitalised runs of words ("Mr Omar al-Faris", "Lake Tarnow Water Board") from every block,
link surnames to full names through the runs they share, and compare spellings with rapidfuzz (edit
distance) and jellyfish (phonetic keys). Word frequencies from wordfreq's English lists, loaded on first
need, tell a name from a common word ("Many" at the start of a sentence is not a misspelt "Mann").
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import operator
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, chain
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple, overload

from copylint.cachedir import prune_stale, user_cache_dir
from copylint.document import TokenKind
from copylint.editdistance import osa_distance
from copylint.finding import Applicability, Finding, Severity, Span
from copylint.loader import LexiconKey
from copylint.mappedfile import MappedFile, SortedWords, map_file, pack, uint_bytes, unpack, write_atomic
from copylint.rule import BaseRule, Category, PrepareInput, RuleContext, RuleDoc, match_case

if TYPE_CHECKING:
    from copylint.document import Block, Document, Token
    from copylint.loader import Lexicon

_WORD = TokenKind.WORD
_PUNCT = TokenKind.PUNCT
_HYPHENS = frozenset("-‐‑")
_SPACES = frozenset((" ", "\u00a0"))
# A capital right after one of these starts a clause, so it says nothing about being a name.
_CLAUSE_OPENERS = frozenset("\"“‘':—–.!?;")
_APOSTROPHES = ("'s", "’s")
_LEXICON_KEYS = {
    "titles": "a list of titles (strings)",
    "male_titles": "a list of titles (strings)",
    "female_titles": "a list of titles (strings)",
    "personal_titles": "a list of titles (strings)",
    "particles": "a list of name particles (strings)",
    "demonyms": "a list of groups (lists of strings)",
    "inflection_suffixes": "a list of suffixes (strings)",
    "kinship": "a list of words (strings)",
    "reporting_verbs": "a list of words (strings)",
    "not_names": "a list of words (strings)",
    "acronym_alternates": "a list of groups (lists of strings)",
}


@dataclass(frozen=True)
class NameData:
    """Everything the names rules know besides the text: titles, particles, demonyms, kinship words."""

    titles: frozenset[str] = frozenset()
    male_titles: frozenset[str] = frozenset()
    female_titles: frozenset[str] = frozenset()
    personal_titles: frozenset[str] = frozenset()  # titles only a person bears (Dr, Senator), unlike "Justice"
    particles: frozenset[str] = frozenset()
    demonym_group: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    inflection_suffixes: frozenset[str] = frozenset()
    kinship: frozenset[str] = frozenset()
    reporting_verbs: frozenset[str] = frozenset()
    not_names: frozenset[str] = frozenset()
    acronym_group: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))


def _string_list(lexicon: Lexicon, key: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise lexicon.error(f"entries.{key} must be {_LEXICON_KEYS[key]}", key)
    return [item.strip() for item in value]


def _groups(lexicon: Lexicon, key: str, value: Any) -> list[list[str]]:
    if not isinstance(value, list):
        raise lexicon.error(f"entries.{key} must be {_LEXICON_KEYS[key]}", key)
    groups = []
    for group in value:
        if not isinstance(group, list) or len(group) < 2 or not all(isinstance(w, str) and w.strip() for w in group):
            raise lexicon.error(f"entries.{key}: each group must list at least two words, not {group!r}", key)
        groups.append([w.strip() for w in group])
    return groups


def parse_name_lexicons(lexicons: Iterable[Lexicon]) -> NameData:
    """Validate the ``names`` lexicons (tables of the keys in _LEXICON_KEYS) and merge them into NameData."""
    lists: dict[str, set[str]] = {key: set() for key in _LEXICON_KEYS}
    demonyms: dict[str, int] = {}
    alternates: dict[str, int] = {}
    group_id = 0
    for lexicon in lexicons:
        entries = lexicon.entries
        if not isinstance(entries, dict):
            raise lexicon.error("entries must be a table with keys such as titles, particles, demonyms", "entries")
        for key, value in entries.items():
            if key not in _LEXICON_KEYS:
                raise lexicon.error(f"unknown names lexicon key {key!r} (known: {', '.join(sorted(_LEXICON_KEYS))})", key)
            if key in ("demonyms", "acronym_alternates"):
                target = demonyms if key == "demonyms" else alternates
                for group in _groups(lexicon, key, value):
                    group_id += 1
                    for word in group:
                        form = word.casefold() if key == "demonyms" else word
                        if form in target:
                            raise lexicon.error(f"entries.{key}: {word!r} is in two groups", word)
                        target[form] = group_id
                continue
            for word in _string_list(lexicon, key, value):
                if " " in word:
                    raise lexicon.error(f"entries.{key}: {word!r} must be a single word", word)
                lists[key].add(word.casefold().rstrip("."))
    return NameData(
        titles=frozenset(lists["titles"] | lists["male_titles"] | lists["female_titles"] | lists["personal_titles"]),
        male_titles=frozenset(lists["male_titles"]),
        female_titles=frozenset(lists["female_titles"]),
        personal_titles=frozenset(lists["personal_titles"]),
        particles=frozenset(lists["particles"]),
        demonym_group=MappingProxyType(demonyms),
        inflection_suffixes=frozenset(lists["inflection_suffixes"]),
        kinship=frozenset(lists["kinship"]),
        reporting_verbs=frozenset(lists["reporting_verbs"]),
        not_names=frozenset(lists["not_names"]),
        acronym_group=MappingProxyType(alternates),
    )


# --------------------------------------------------------------------------------------------------------------
# Mentions: capitalised runs of words and the name words in them


class NameWord(NamedTuple):
    """One word of a name as written (possessive stripped), with where it stands."""

    key: str  # casefolded form, what spellings are compared on
    form: str
    start: int
    end: int
    run: int  # index of its run in the list of runs
    weak: bool  # sentence-initial or in the headline: the capital says nothing about being a name


class Run(NamedTuple):
    """A capitalised run of words: one mention of a person, place or organisation.

    A named tuple rather than a frozen dataclass: an article has hundreds of runs, and this builds three times faster.
    """

    words: tuple[NameWord, ...]
    titles: tuple[str, ...]  # leading titles, casefolded, without a dot ("prime", "minister")
    start: int
    end: int
    block: int
    headline: bool
    initial: str = ""  # a given name written as an initial ("M Horan", "J. Okafor"), casefolded

    @property
    def keys(self) -> tuple[str, ...]:
        """Casefolded name words of the run."""
        return tuple(w.key for w in self.words)


_make = tuple.__new__  # builds a named tuple without its Python-level __new__ (all fields given)
_WORDS_OF = operator.itemgetter(0)  # Run.words, read in C
_KEY_OF = operator.itemgetter(0)  # NameWord.key, read in C


def _is_capitalised(text: str) -> bool:
    return text[0].isupper()


def _name_form(text: str) -> str:
    if text.isalpha():
        return text  # no possessive: the common case
    for suffix in _APOSTROPHES:
        if text.endswith(suffix) and len(text) > 3:
            return text[: -len(suffix)]
    return text


# Capitals of the Latin, Greek and Cyrillic scripts as ranges (stdlib re has no \\p{Lu}); ranges compile fast.
# Latin Extended-A alternates capitals and small letters, so a name word's first letter is checked again in code.
_UPPER = "[A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u024e\u0386-\u03ab\u0400-\u042f]"


@functools.cache
def _run_parts() -> tuple[str, str, re.Pattern[str]]:
    """Patterns of a capitalised word and of initials, and the splitter of a run into its items (built on first use)."""
    upper = _UPPER
    word = rf"{upper}[^\W_]*(?:['’][^\W\d_]+)*"
    initials = rf"{upper}\.(?:{upper}\.)*"
    return word, initials, re.compile(rf"{initials}|[^\W\d_][^\W_]*(?:['’][^\W\d_]+)*")


_DETERMINER_BEFORE = re.compile(r"(?<![^\W\d_])(?:[Tt]he|an?)[ \u00a0]$")
_AFTER = re.compile(r"([-‐‑/])|[ \u00a0]+([^\W\d_]+)")


class RunFinder:
    """Finds capitalised runs of words with one compiled pattern built from the titles and particles."""

    def __init__(self, data: NameData) -> None:
        self.data = data
        # Longest first, ties in alphabetical order: the same pattern text in every process (the sets' order
        # changes with the hash seed), so that the start cache can keep the compiled program.
        particles = "|".join(sorted(sorted(re.escape(p) for p in data.particles), key=len, reverse=True)) or "(?!)"
        capitalised = sorted(sorted(t.capitalize() for t in data.titles), key=lambda t: len(re.escape(t)), reverse=True)
        dotted = "|".join(map(re.escape, capitalised)) or "(?!)"
        word, initials, self.items = _run_parts()
        upper = _UPPER
        firsts = "".join(sorted({re.escape(t[:1]) for t in capitalised if t}))
        opening = f"{upper[:-1]}{firsts}]"  # the first character of every item
        # re tries the alternatives of a group one by one: a lookahead for what all of them need lets it pass over
        # a group that cannot match at once (most words after a name are in lower case and not particles, most
        # capitals are followed by no title's dot). Each guard is implied by its group, so matches are unchanged.
        letters_then_dot = r"(?=[^\W\d_]*\.)" if all(t.isalpha() for t in capitalised) else ""
        particle_firsts = "".join(sorted({re.escape(p[:1]) for p in data.particles}))
        particle_guard = f"(?=[{particle_firsts}])" if particle_firsts else ""
        item = rf"(?={opening})(?:{initials}(?= )|{letters_then_dot}(?:{dotted})\.(?= )|{word})"
        separator = r"(?:[ \u00a0]|[-‐‑])"
        # Every item starts with a capital or a title's first letter. The pattern opens with that character as a
        # set, which the re module skips ahead to at C speed, then checks what stands before it and reads the rest
        # of the first item: ``item``'s alternatives less the letter read, each opening with a plain character
        # where it can (so that re drops it at once) and checking the letter behind it after that.
        dotted_rest = "|".join(f"{re.escape(t[1:])}(?<={re.escape(t)})" for t in capitalised if t) or "(?!)"
        first_item = (
            rf"(?:\.(?<={upper}\.)(?:{upper}\.)*(?= )|{letters_then_dot}(?:{dotted_rest})\.(?= )"
            rf"|(?<={upper})[^\W_]*(?:['’][^\W\d_]+)*)"
        )
        self.pattern = re.compile(
            rf"{opening}(?<![\w'’.\-].){first_item}(?:{separator}(?:{particle_guard}(?:{particles}){separator})*{item})*"
        )
        # Runs depend on the pattern and these lists only: rules whose finders agree share one document's runs.
        self.key = f"names/runs/{hash((self.pattern.pattern, data.titles, data.particles, data.not_names)):x}"

    def mentions(self, document: Document, frequencies: EnglishFrequencies) -> tuple[LowerWords, tuple[Run, ...]]:
        """The document's lower-case words and capitalised runs, found once per document for every names rule."""

        def compute(doc: Document) -> tuple[LowerWords, tuple[Run, ...]]:
            lower = doc.derived("names/lower-words", lower_words)
            return lower, tuple(self.runs(doc, lower, frequencies))

        return document.derived(self.key, compute)

    def runs(self, document: Document, lower: LowerWords, frequencies: EnglishFrequencies) -> list[Run]:
        """Every capitalised run of words in the document, with its name words, titles and neighbours."""
        runs: list[Run] = []
        text = document.text
        # One loop over the blocks, with what it needs looked up once per document rather than once per block.
        data = self.data
        titles = data.titles
        particles = data.particles
        not_names = data.not_names
        common = frequencies.common
        finditer = self.pattern.finditer
        split_items = self.items.finditer
        add_run = self._add_run
        for block in document.blocks:
            headline = in_headline = block.is_headline
            if headline:
                long_words = [w for w in block.text.split() if len(w) > 3 and w[0].isalpha()]
                capitalised = sum(1 for w in long_words if w[0].isupper())
                # A headline in sentence case says as much about capitals as a sentence does.
                headline = capitalised * 5 > len(long_words) * 3
            base = block.start
            index = block.index
            for match in finditer(block.text):
                found = match.group()
                offset = base + match.start()
                if found.isalpha():  # most runs are one plain word: _add_word's work, without the calls
                    key = found.casefold()
                    if key not in titles:
                        if len(found) > 1 and found[0].isupper() and not found.isupper() and key not in not_names:
                            weak = headline
                            if not weak:  # _after_opener
                                position = offset - 1
                                while position >= base and text[position] in _SPACES:
                                    position -= 1
                                weak = position < base or text[position] in _CLAUSE_OPENERS
                            name = _make(NameWord, (key, found, offset, offset + len(found), len(runs), weak))
                            runs.append(_make(Run, ((name,), (), offset, offset + len(found), index, in_headline, "")))
                        continue
                    items = [(found, offset, offset + len(found))]  # a title alone
                elif " " in found and found.replace(" ", "").isalpha():
                    # Words and single spaces only, most longer runs ("Mr Tony Blair"): the words are the items,
                    # read without a second pattern, and none ends in a possessive.
                    items = []
                    for part in found.split(" "):
                        end = offset + len(part)
                        items.append((part, offset, end))
                        offset = end + 1
                    add_run(text, block, items, headline, lower, common, titles, particles, runs)
                    continue
                elif "-" in found or " " in found or "." in found or "\u00a0" in found or "‐" in found or "‑" in found:
                    items = [(m.group(), offset + m.start(), offset + m.end()) for m in split_items(found)]
                else:  # most runs are one word
                    items = [(found, offset, offset + len(found))]
                if len(items) == 1 and found.casefold() not in titles:
                    self._add_word(text, block, found, offset, headline, runs)
                    continue
                # A possessive ends a name: "Merkel's Christian Democratic Union" is two runs.
                chunk: list[tuple[str, int, int]] = []
                for item in items:
                    chunk.append(item)
                    if item[0].endswith(_APOSTROPHES) and len(chunk) < len(items):
                        add_run(text, block, chunk, headline, lower, common, titles, particles, runs)
                        chunk = []
                if chunk:
                    add_run(text, block, chunk, headline, lower, common, titles, particles, runs)
        return runs

    def _add_word(self, text: str, block: Block, word: str, start: int, headline: bool, runs: list[Run]) -> None:
        """The common case of _add_run: a run of one word that is not a title."""
        if len(word) < 2 or word.isupper() or not word[0].isupper():
            return
        form = _name_form(word)
        key = form.casefold()
        if key in self.data.not_names or not form.isalpha():
            if key in self.data.not_names or not form.replace("'", "").replace("’", "").isalpha():
                return
            if max(form.find("'"), form.find("’")) > 1:
                return  # "We’re", "Can't": a contraction, not a name like O'Brien
        weak = headline or _after_opener(text, block, start)
        name = _make(NameWord, (key, form, start, start + len(form), len(runs), weak))
        runs.append(_make(Run, ((name,), (), start, start + len(word), block.index, block.is_headline, "")))

    def _add_run(
        self,
        text: str,
        block: Block,
        members: list[tuple[str, int, int]],
        headline: bool,
        lower: LowerWords,
        common: ZipfTable,
        titles: frozenset[str],
        particles: frozenset[str],
        runs: list[Run],
    ) -> None:
        while members and not members[-1][0][0].isupper():
            members = members[:-1]  # a particle ends no name
        if not members:
            return
        weak = headline or _after_opener(text, block, members[0][1])
        if weak and len(members) > 1:
            first = members[0][0].casefold()
            if first not in titles:
                # The frequency table before the lower-case words: a look-up there searches the whole text.
                if common.get(first, 0.0) >= FUNCTION_WORD_ZIPF or first in lower:
                    members = members[1:]  # "But Okafor", "The Tarnow Board": the first capital is the sentence's
                    weak = False
                elif len(members) > 2 and members[1][0].casefold().rstrip(".") in titles:
                    members = members[1:]  # "Despite Mr Okafor": no name has a title inside it
                    weak = False
        foldings = [m[0].casefold().rstrip(".") for m in members]
        named: bool | None = None  # whether a capitalised word besides titles stands in the run, asked at a title
        not_names = self.data.not_names
        run_titles: list[str] = []
        words: list[NameWord] = []
        run_index = len(runs)
        initial = ""
        for position, (word, start, _end) in enumerate(members):
            folded = foldings[position]
            if not words and len(folded) == 1 and folded.isalpha():
                initial = folded
                continue
            if folded in titles:
                if named is None:
                    named = any(m[0][0].isupper() and f not in titles for m, f in zip(members, foldings, strict=True))
                if named:
                    if not words:
                        run_titles.append(folded)  # "President Okafor"; "the President" alone is a name of its own
                    continue
            if len(word) < 2 or folded in particles or word.isupper() or word.endswith(".") or not word[0].isupper():
                continue
            if word.isalpha():  # no possessive or apostrophe to look at; the casefold is ``folded``
                form, key = word, folded
                if key in not_names:
                    continue
            else:
                form = _name_form(word)
                key = form.casefold()
                if key in not_names or not form.replace("'", "").replace("’", "").isalpha():
                    continue
                if max(form.find("'"), form.find("’")) > 1:
                    continue  # "We’re", "Can't": a contraction, not a name like O'Brien
            words.append(_make(NameWord, (key, form, start, start + len(form), run_index, weak and position == 0)))
        if not words and not run_titles:
            return
        runs.append(
            _make(Run, (tuple(words), tuple(run_titles), members[0][1], members[-1][2], block.index, block.is_headline, initial))
        )


class LowerWords:
    """The words a text writes in lower case somewhere (whole words of a-z): common words, whatever their
    capital elsewhere.

    The rules ask about a few dozen name words per article, so each question searches the text for that word
    rather than every word of the text being collected first (most of the names rules' time went on that).
    """

    def __init__(self, text: str) -> None:
        self._text = text

    def __contains__(self, word: object) -> bool:
        """True if ``word`` (a-z only) stands in the text as a whole word (``\\b[a-z]+\\b``)."""
        if not isinstance(word, str) or not (word.isascii() and word.isalpha() and word.islower()):
            return False
        text = self._text
        size = len(word)
        at = text.find(word)
        while at >= 0:
            end = at + size
            if (at == 0 or not _is_word_character(text[at - 1])) and (end == len(text) or not _is_word_character(text[end])):
                return True
            at = text.find(word, at + 1)
        return False


def _is_word_character(character: str) -> bool:
    return character.isalnum() or character == "_"  # what \w matches in a str pattern


def lower_words(document: Document) -> LowerWords:
    """Words the document writes in lower case somewhere: common words, whatever their capital elsewhere."""
    return LowerWords(document.text)


def _after_opener(text: str, block: Block, start: int) -> bool:
    """True if only a quote, bracket, colon or dash (and spaces) stands between the clause start and ``start``."""
    position = start - 1
    first = block.start
    while position >= first and text[position] in _SPACES:
        position -= 1
    return position < first or text[position] in _CLAUSE_OPENERS


# --------------------------------------------------------------------------------------------------------------
# English word frequencies


def _wordfreq_file(name: str) -> Path | None:
    """A data file shipped in the wordfreq package, found without importing it (its import takes ~0.3 s)."""
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / name
    return path if path.is_file() else None


def _read_cbpack(path: Path) -> list[list[str]]:
    """wordfreq's format: a header, then one list of words per centibel of frequency, most frequent first."""
    import gzip

    import msgpack  # type: ignore[import-untyped]

    with gzip.open(path, "rb") as handle:
        data = msgpack.load(handle, raw=False)
    if not isinstance(data, list) or not data or not isinstance(data[0], dict) or data[0].get("format") != "cB":
        return []
    return [list(level) for level in data[1:]]


_TABLE_FORMAT = 1  # bump when the layout of the names-common / names-rare cache files changes
WORDS_MEMO = 50_000  # cap on the words remembered per table (a table is shared by the rule sets of a process)


class ZipfTable:
    """Zipf frequency of each word of one wordfreq list, read in place from its mapped cache file.

    A story asks about a few words (two or three of the common list, on average): a loaded dictionary of the
    29,000 common words cost ~10 ms of every start and one of the 321,000 rare words ~10 ms more, so no word is
    read up front; a word is bisected in the sorted list when asked for, and its answer remembered.
    """

    def __init__(self, words: SortedWords | None, levels: Sequence[int]) -> None:
        self._words, self._levels = words, levels  # levels[i]: the centibel band of word i (Zipf 9 - band / 100)
        self._memo: dict[str, float | None] = {}

    @overload
    def get(self, word: str) -> float | None: ...
    @overload
    def get(self, word: str, default: float) -> float: ...
    def get(self, word: str, default: float | None = None) -> float | None:
        """Zipf frequency of ``word``, or ``default`` if the list does not hold it."""
        memo = self._memo
        if word in memo:
            found = memo[word]
        else:
            found = self._find(word)
            if len(memo) < WORDS_MEMO:
                memo[word] = found
        return default if found is None else found

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None

    def __getitem__(self, word: str) -> float:
        found = self.get(word)
        if found is None:
            raise KeyError(word)
        return found

    def _find(self, word: str) -> float | None:
        if self._words is None:
            return None
        key = word.encode("utf-8", "surrogatepass")  # unencodable text matches no word rather than raising
        index = -1 if b"\n" in key else self._words.find(key)
        return None if index < 0 else round(9.0 - self._levels[index] / 100.0, 2)


def _pack_table(levels: list[list[str]]) -> bytes:
    """The cache file of a wordfreq list: its words sorted as UTF-8, and each word's band (the first, if in two)."""
    bands: dict[bytes, int] = {}
    for band, level in enumerate(levels):
        for word in level:
            if word and "\n" not in word:  # a newline ends a word in the file
                bands.setdefault(word.encode("utf-8", "surrogatepass"), band)
    words = sorted(bands)
    sections = {
        "words": b"".join(word + b"\n" for word in words),
        "offsets": uint_bytes("I", accumulate((len(word) + 1 for word in words), initial=0)),
        "levels": uint_bytes("I", (bands[word] for word in words)),
    }
    return pack(_TABLE_FORMAT, sections)


def _read_table(mapped: MappedFile | None) -> ZipfTable | None:
    """The table in a cache file; None if it is not one this version wrote or its parts disagree."""
    if mapped is None:
        return None
    words = SortedWords.of(mapped, "words", "offsets")
    try:
        levels = mapped.uints("levels", "I")
    except KeyError:
        return None
    if words is None or levels is None or len(levels) != words.count:
        return None
    return ZipfTable(words, levels)


def _zipf_table(cache_dir: Path | None, name: str, stem: str) -> ZipfTable:
    """The table of wordfreq's list ``name``, from a cache file named after the list's size and date.

    Built (a second or two) when that file is missing or damaged; a cache folder that cannot be written only
    costs the build on every run.
    """
    source = _wordfreq_file(name)
    if source is None:
        return ZipfTable(None, ())
    stat = source.stat()
    folder = cache_dir if cache_dir is not None else user_cache_dir()
    path = folder / f"{stem}-{stat.st_size}-{int(stat.st_mtime)}-{_TABLE_FORMAT}.mapped"
    mapped = map_file(path, _TABLE_FORMAT)
    table = _read_table(mapped)
    if table is None:
        if mapped is not None:
            mapped.close()
        packed = _pack_table(_read_cbpack(source))
        with contextlib.suppress(OSError):
            write_atomic(path, packed)
            prune_stale(folder, f"{stem}-*", path)  # tables of another install of wordfreq, or of an older layout
        table = _read_table(unpack(packed, _TABLE_FORMAT))
        assert table is not None, "a table just packed reads back"
    return table


# Immutable word data read once per process and shared by every rule set (a memo, not a registry).
@functools.cache
def _common_words(cache_dir: Path | None) -> ZipfTable:
    return _zipf_table(cache_dir, "small_en.msgpack.gz", "names-common")


@functools.cache
def _all_words(cache_dir: Path | None) -> ZipfTable:
    # A stem of its own, not "names-zipf" (an earlier layout): an older copy of copylint sharing the cache folder
    # would take this file for a stale one of its own and remove it, and then each would rebuild.
    return _zipf_table(cache_dir, "large_en.msgpack.gz", "names-rare")


class EnglishFrequencies:
    """How common a word is in English, from wordfreq's lists, read on first use and cached compactly."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self._cache_dir = cache_dir

    @property
    def common(self) -> ZipfTable:
        """Zipf frequency of every word used at least once per million words (the small list)."""
        return _common_words(self._cache_dir)

    def is_common(self, word: str) -> bool:
        """True for a casefolded word used at least once per million words of English (many, iran, smith)."""
        return word in _common_words(self._cache_dir)

    def zipf(self, word: str) -> float:
        """Zipf frequency of a casefolded word (0 if unknown): 3 is once per million words."""
        found = _common_words(self._cache_dir).get(word)
        return _all_words(self._cache_dir).get(word, 0.0) if found is None else found


# --------------------------------------------------------------------------------------------------------------
# Comparing spellings


_TRANSLIT = (("ph", "f"), ("ck", "k"), ("y", "i"), ("kh", "k"), ("dh", "d"), ("ou", "u"))
_DOUBLES = re.compile(r"(.)\1+")
_VOWELS = frozenset("aeiouy")


def skeleton(word: str) -> str:
    """A spelling key that forgets accents, doubled letters and common transliteration swaps (ph/f, y/i)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    for old, new in _TRANSLIT:
        plain = plain.replace(old, new)
    return _DOUBLES.sub(r"\1", plain)


def is_inflection(a: str, b: str, data: NameData) -> bool:
    """True if two casefolded words are forms of one name (Syria/Syrian, Sweden/Swedes, Britain/British)."""
    group_a = data.demonym_group.get(a)
    if group_a is not None and group_a == data.demonym_group.get(b):
        return True
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    if common < 3:
        return False
    if len(a) == len(b) and _vowel_swap(a, b):
        return False  # a changed vowel inside a suffix (States/Statis, Russian/Russean)
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    doubled = len(longer) == len(shorter) + 1 and longer[common] == longer[common - 1]
    if doubled and longer[:common] + longer[common + 1 :] == shorter:
        return False  # a doubled letter before a suffix (Americans/Americanns)
    suffixes = data.inflection_suffixes
    rest_a, rest_b = a[common:], b[common:]
    if not rest_a or not rest_b:
        rest = rest_a or rest_b
        if rest[0] == a[common - 1]:
            return False  # a doubled or dropped last letter (Sturgeon/Sturgeonn, Congress/Congres)
    elif len(rest_a) == 1 and len(rest_b) == 1 and rest_a in _VOWELS and rest_b in _VOWELS:
        return False  # a changed final vowel (House/Housi)
    # Both ends are suffixes: Syria/Syrian, Sweden/Swedes, Ukraine/Ukrainian.
    return (not rest_a or rest_a in suffixes) and (not rest_b or rest_b in suffixes)


def _vowel_swap(a: str, b: str) -> bool:
    """True if ``a`` and ``b`` differ only in one vowel (Cohn/Cihn)."""
    if len(a) != len(b):
        return False
    differences = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(differences) == 1 and differences[0][0] in _VOWELS and differences[0][1] in _VOWELS


_second = operator.itemgetter(1)
# same_name() accepts two spellings only if their first letters are equal, both vowels, or equal in the skeletons.
# Letters it may take for one another share a class: the vowels and y (skeleton() writes i for y and u for ou),
# p and f (ph), c and k (ck). A word in ASCII then has its skeleton's first letter in the class of its own.
_INITIAL_CLASS = MappingProxyType({"e": "a", "i": "a", "o": "a", "u": "a", "y": "a", "p": "f", "c": "k"})


def _initial_classes(key: str) -> tuple[str, ...]:
    """Classes of a casefolded key's first letter: same_name(a, b) holds only if a and b share one of them."""
    first = _INITIAL_CLASS.get(key[0], key[0])
    if key.isascii():
        return (first,)
    letter = skeleton(key)[:1]  # "é" is "e" once its accent goes
    other = _INITIAL_CLASS.get(letter, letter)
    return (first,) if other == first else (first, other)


class Spelling:
    """Similarity tests between two casefolded words; jellyfish and rapidfuzz are imported on first use.

    Edit distances are computed in Python for the first ``NATIVE_AFTER`` comparisons (an article needs about
    70, and importing rapidfuzz costs some 15 ms of a one-article run), then by rapidfuzz, which gives the
    same distances faster over a batch.
    """

    NATIVE_AFTER = 2_000

    def __init__(self) -> None:
        self._compared = 0
        self._native: tuple[Callable[..., int], Callable[..., Any]] | None = None
        self._skeletons: dict[str, str] = {}  # the same names are compared story after story

    def _skeleton(self, word: str) -> str:
        """skeleton(word), remembered for up to WORDS_MEMO words."""
        found = self._skeletons.get(word)
        if found is None:
            found = skeleton(word)
            if len(self._skeletons) < WORDS_MEMO:
                self._skeletons[word] = found
        return found

    def _rapidfuzz(self) -> tuple[Callable[..., int], Callable[..., Any]] | None:
        """rapidfuzz's distance and extract() once enough comparisons have been made, else None."""
        if self._native is None and self._compared >= self.NATIVE_AFTER:
            from rapidfuzz import process
            from rapidfuzz.distance import OSA

            self._native = (OSA.distance, process.extract)
        return self._native

    def distance(self, a: str, b: str, cutoff: int) -> int:
        """The OSA distance of ``a`` and ``b`` (transpositions count as one), ``cutoff + 1`` if above ``cutoff``."""
        native = self._rapidfuzz()
        if native is not None:
            return native[0](a, b, score_cutoff=cutoff)
        self._compared += 1
        return osa_distance(a, b, cutoff)

    @staticmethod
    def metaphone(word: str) -> str:
        """The word's Metaphone key (jellyfish is imported only when a short or distant pair needs it)."""
        from jellyfish import metaphone

        return metaphone(word)

    def variants(self, key: str, keys: Sequence[str]) -> list[tuple[str, int]]:
        """Keys within two edits of ``key`` (transpositions count as one), nearest first."""
        native = self._rapidfuzz()
        if native is not None and len(keys) > 4:  # a few words: calling the scorer costs less than extract()
            found = native[1](key, keys, scorer=native[0], score_cutoff=2, limit=None)
            near = [(choice, int(score)) for choice, score, _ in found if choice != key]
        else:
            size = len(key)
            pool = [choice for choice in keys if choice != key and abs(len(choice) - size) <= 2]
            if native is not None:
                near = [(choice, native[0](key, choice, score_cutoff=2)) for choice in pool]
            else:
                self._compared += len(pool)
                near = [(choice, osa_distance(key, choice, 2)) for choice in pool]
            near = [pair for pair in near if pair[1] <= 2]
        if len(near) > 1:
            near.sort(key=_second)  # stable: ties stay in the order of ``keys``, as extract() returns them
        return near

    def same_name(self, a: str, b: str, distance: int) -> bool:
        """True if ``a`` and ``b`` read as one name spelled two ways, given their edit distance."""
        shorter = min(len(a), len(b))
        if shorter < 3 or distance == 0:
            return False
        skeleton_a, skeleton_b = self._skeleton(a), self._skeleton(b)
        if shorter == 3:
            return distance == 1 and skeleton_a == skeleton_b  # Bil/Bill
        if a[0] != b[0] and not (a[0] in "aeiou" and b[0] in "aeiou") and skeleton_a[0] != skeleton_b[0]:
            return False
        same_skeleton = skeleton_a == skeleton_b
        if distance == 1:
            return shorter >= 5 or same_skeleton or _vowel_swap(a, b) or self.metaphone(a) == self.metaphone(b)
        if same_skeleton:
            return shorter >= 5
        return shorter >= 7 and self.metaphone(a) == self.metaphone(b)


@dataclass
class NamesState:
    """Prepared once per rule set: lexicon data and lazily built helpers."""

    data: NameData
    frequencies: EnglishFrequencies
    finder: RunFinder
    _spelling: Spelling | None = None

    @functools.cached_property
    def personal_titles(self) -> frozenset[str]:
        """Titles that say the run names a person (Mr, Mrs, Dr, Senator)."""
        data = self.data
        return data.male_titles | data.female_titles | data.personal_titles

    @property
    def spelling(self) -> Spelling:
        """The similarity tests, built (and their libraries imported) on first use."""
        if self._spelling is None:
            self._spelling = Spelling()
        return self._spelling


def _prepare(inputs: PrepareInput) -> NamesState:
    return _shared_state(LexiconKey(tuple(inputs.lexicons)))


@functools.lru_cache(maxsize=4)
def _shared_state(key: LexiconKey) -> NamesState:
    """A pure function's memo: the state depends only on the lexicon files (a bad file raises, and is not kept)."""
    data = parse_name_lexicons(key.lexicons)
    return NamesState(data, EnglishFrequencies(), RunFinder(data))


def _state_of(context: RuleContext) -> NamesState:
    """The state prepare() built, or a fresh one when a rule is called outside a rule set (tests, plug-ins)."""
    state: NamesState | None = context.state
    return state if state is not None else _prepare(PrepareInput({}, frozenset(), ()))


def _words_near(document: Document, offset: int, reach: int = 6) -> Iterator[str]:
    """The casefolded words up to ``reach`` words either side of ``offset``, within its sentence."""
    block = document.block_at(offset)
    sentence = document.sentence_at(offset)
    if block is None or sentence is None:
        return
    words = [t for t in block.tokens if t.kind is _WORD and sentence.start <= t.start < sentence.end]
    index = next((i for i, t in enumerate(words) if t.start >= offset), len(words))
    for token in words[max(0, index - reach) : index + reach + 1]:
        if token.text.islower():  # "the Chemical Brothers" names a band, "his brothers" a family
            yield token.text


def _in_capitals(tokens: Sequence[Token]) -> bool:
    """True if there are words and every word of two letters or more is in capitals."""
    found = False
    for token in tokens:
        if token.kind is _WORD:
            if len(token.text) > 1 and not token.text.isupper():
                return False
            found = True
    return found


def _word_after(text: str, span: Span, run: Run) -> tuple[str, bool]:
    """The word after a run in its block ("said"), casefolded, and whether a hyphen or slash glues the run to what
    follows ("Okafor-led")."""
    after = _AFTER.match(text, run.end, span.end)
    if after is None:
        return "", False
    word = after.group(2)
    return (word.casefold(), False) if word else ("", True)


def _determiner_before(text: str, span: Span, run: Run) -> bool:
    """True if "the", "a" or "an" stands right before a run ("the Okafor report")."""
    return _DETERMINER_BEFORE.search(text, max(span.start, run.start - 5), run.start) is not None


def _in_quotation(document: Document, run: Run) -> bool:
    """True if the run stands inside a direct quotation of its paragraph."""
    span = document.blocks[run.block].span
    before = document.text[span.start : run.start]
    if before.count("“") > before.count("”"):
        return True
    return before.count('"') % 2 == 1


def _gender(run: Run, data: NameData) -> str:
    for title in run.titles:
        if title in data.male_titles:
            return "m"
        if title in data.female_titles:
            return "f"
    return ""


def _neighbour(word: NameWord, runs: Sequence[Run], state: NamesState) -> str:
    """The name word that identifies whose name ``word`` is: the given name before it, else the one after it."""
    run = runs[word.run]
    if run.headline:
        return ""
    if run.initial and run.words[0] is word:
        return run.initial  # "M Horan"
    if len(run.words) < 2:
        return ""
    words = run.words
    index = words.index(word)
    candidates = [words[index - 1]] if index > 0 else [words[index + 1]]
    for other in candidates:
        if other.weak and state.frequencies.is_common(other.key):
            continue  # "But" or "When" starting the sentence
        return other.key
    return ""


def _alike(a: str, b: str, spelling: Spelling, data: NameData) -> bool:
    """True if two neighbouring words may be the same word (equal, inflected, or one slip apart)."""
    if a == b or is_inflection(a, b, data):
        return True
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]  # an initial and a given name: "M Horan", "Marcus Horan"
    return min(len(a), len(b)) >= 4 and spelling.distance(a, b, 1) <= 1


# --------------------------------------------------------------------------------------------------------------
# Rules


ATTESTED_ZIPF = 1.5  # a spelling found this often in English text is a real name, not a slip
FUNCTION_WORD_ZIPF = 5.2  # "Many", "Then", "However": too frequent to be a name seen only at sentence starts


class InconsistentSpelling(BaseRule):
    """Flags a name spelled one way once and another way elsewhere in the same story."""

    id = "names/inconsistent-spelling"
    category = Category.NAMES
    default_severity = Severity.WARNING
    summary = "A name spelled differently from its other mentions in the story"
    doc = RuleDoc(
        what=(
            "Finds the people, places and organisations of a story from its capitalised words, links surnames to "
            "full names, and flags a mention whose spelling differs by a letter or a transliteration swap "
            "(ph/f, y/i, -man/-mann, a doubled or dropped consonant) from the spelling used elsewhere. It stays "
            "quiet on different people with similar names (two different first names), family members, "
            "titles, possessives, plurals and words made from a place (Syria/Syrian, Britain/British)."
        ),
        why=(
            "A name spelled two ways tells the reader that at least one is wrong, and misspelling a person's "
            "name is among the errors a newsroom most often has to correct."
        ),
        example=(
            "Harbour master Colin Treharne said the quay would stay closed.\n"
            "Treharne said repairs would start on Monday. Trehane added that the insurers had been told."
        ),
        use_instead=(
            "Harbour master Colin Treharne said the quay would stay closed.\n"
            "Treharne said repairs would start on Monday. Treharne added that the insurers had been told."
        ),
        fix_safety=(
            "Unsafe: the fix writes the spelling used most often (or, when the two are used equally, the one "
            "more common in English text, then the one at the first full mention), but only the reporter or "
            "the source can say which spelling is right. The other mentions are listed as related locations."
        ),
    )

    def prepare(self, inputs: PrepareInput) -> NamesState:
        """Validate the names lexicons; helpers and word lists are loaded on first use."""
        return _prepare(inputs)

    def check(self, document: Document, context: RuleContext) -> Iterator[Finding]:
        """Compare every name word used once with the other name words of the story."""
        state = _state_of(context)
        data = state.data
        lower, runs = state.finder.mentions(document, state.frequencies)
        # Counted in C, keys in the order of their first mention; the mentions themselves are gathered only for
        # a pair that passes the spelling tests (under one story in twenty).
        counts = Counter(map(_KEY_OF, chain.from_iterable(map(_WORDS_OF, runs))))
        if len(counts) < 2:
            return
        keys = [k for k in counts if len(k) >= 3]
        singles = [k for k in keys if counts[k] == 1]
        if not singles:
            return
        # same_name() takes two spellings for one name only if their first letters agree, so each key is compared
        # with the keys that share a class of first letter with it (in the order of ``keys``), not with all.
        first_class = _INITIAL_CLASS.get  # _initial_classes() of an ASCII key, without the call
        classes = {key: (first_class(key[0], key[0]),) if key.isascii() else _initial_classes(key) for key in keys}
        groups: dict[str, list[str]] = {}
        for key in keys:
            for initial in classes[key]:
                groups.setdefault(initial, []).append(key)
        spelling = state.spelling
        examined: set[frozenset[str]] = set()
        flagged: set[str] = set()
        by_key: dict[str, list[NameWord]] | None = None
        for key in singles:
            if key in flagged:
                continue
            own = classes[key]
            if len(own) == 1:
                candidates = groups[own[0]]
            else:
                shared = {k for initial in own for k in groups[initial]}
                candidates = [k for k in keys if k in shared]
            if len(candidates) < 2:
                continue  # the key alone in its class
            for other, distance in spelling.variants(key, candidates):
                pair = frozenset((key, other))
                if pair in examined or other in flagged:
                    continue
                examined.add(pair)
                if is_inflection(key, other, data) or not spelling.same_name(key, other, distance):
                    continue
                if by_key is None:
                    by_key = {}
                    for run in runs:
                        for word in run.words:
                            by_key.setdefault(word.key, []).append(word)
                variant, reference = self._direction(key, other, by_key, runs, state)
                finding = self._judge(document, context, variant, reference, by_key, runs, state, lower)
                if finding is not None:
                    flagged.add(variant)
                    yield finding
                    break

    def _direction(
        self, a: str, b: str, by_key: Mapping[str, list[NameWord]], runs: Sequence[Run], state: NamesState
    ) -> tuple[str, str]:
        """Which of two keys is the slip and which the reference: (variant, reference)."""
        count_a, count_b = len(by_key[a]), len(by_key[b])
        if count_a != count_b:
            return (a, b) if count_a < count_b else (b, a)
        # One mention each: the spelling more common in English text, then the first full mention, then the first.
        frequencies = state.frequencies
        zipf_a, zipf_b = frequencies.zipf(a), frequencies.zipf(b)
        if abs(zipf_a - zipf_b) >= 0.5:
            return (b, a) if zipf_a > zipf_b else (a, b)
        full_a = [w.start for w in by_key[a] if len(runs[w.run].words) > 1]
        full_b = [w.start for w in by_key[b] if len(runs[w.run].words) > 1]
        if full_a or full_b:
            first_a = min(full_a, default=1 << 62)
            first_b = min(full_b, default=1 << 62)
            return (b, a) if first_a < first_b else (a, b)
        return (b, a) if by_key[a][0].start < by_key[b][0].start else (a, b)

    @staticmethod
    def _is_name(
        key: str, by_key: Mapping[str, list[NameWord]], runs: Sequence[Run], state: NamesState, lower: LowerWords
    ) -> bool:
        """True if ``key`` is capitalised where a common word would not be, or is not a very common word."""
        words = by_key[key]
        if any(not w.weak or len(runs[w.run].words) > 1 for w in words):
            return True
        frequencies = state.frequencies
        # Only at the start of sentences: a name unless it is a frequent word or written in lower case too.
        return not frequencies.is_common(key) or (key not in lower and frequencies.common[key] < FUNCTION_WORD_ZIPF)

    def objection(
        self,
        document: Document,
        variant: str,
        reference: str,
        by_key: Mapping[str, list[NameWord]],
        runs: Sequence[Run],
        state: NamesState,
        lower: LowerWords,
    ) -> str:
        """Why ``variant`` is not a slip for ``reference`` (empty if it looks like one)."""
        data = state.data
        mentions = by_key[variant]
        references = by_key[reference]
        if len(mentions) != 1:
            return "used more than once"
        if not self._is_name(reference, by_key, runs, state, lower):
            return "reference is not a name"
        mention = mentions[0]
        run = runs[mention.run]
        if reference in run.keys:
            return "both in one run"  # "Hassan Hasan": a compound name, not a slip
        frequencies = state.frequencies
        mine = _neighbour(mention, runs, state)
        theirs = [n for n in (_neighbour(w, runs, state) for w in references) if n]
        shared = bool(mine) and any(_alike(mine, other, state.spelling, data) for other in theirs)
        if frequencies.is_common(variant) and not (shared and frequencies.zipf(variant) + 1 < frequencies.zipf(reference)):
            return "variant is a common word"  # a word of its own (Iran beside Iraq, Many beside Mann)
        if not shared and reference in lower and frequencies.zipf(variant) >= ATTESTED_ZIPF:
            return "a word and a name"  # "Liffe" beside "Life": a rare name that happens to be near a word
        if mine and theirs and not shared and frequencies.zipf(variant) >= ATTESTED_ZIPF:
            return "different neighbours"  # "Mary Smyth" beside "John Smith": two people, both real names
        if (
            not mine
            and all(len(runs[w.run].words) > 1 and runs[w.run].words[0] is w for w in references)
            and frequencies.zipf(variant) >= ATTESTED_ZIPF
        ):
            return "reference is a given name"  # "Jenifer" alone beside "Jennifer Okoro": a mononym, not a slip
        gender = _gender(run, data)
        if gender and any(_gender(runs[w.run], data) not in ("", gender) for w in references):
            return "different gender"  # "Mrs Osei" beside "Mr Osey": a couple, not a slip
        given = (len(run.words) > 1 and run.words[0] is mention) or (
            not mine and any(len(runs[w.run].words) > 1 and runs[w.run].words[0] is w for w in references)
        )
        if given and any(word in data.kinship for word in _words_near(document, mention.start)):
            return "kinship"  # "her sister Marion" beside "Marian Kowal": family members share a surname, not a name
        return ""

    def _judge(
        self,
        document: Document,
        context: RuleContext,
        variant: str,
        reference: str,
        by_key: Mapping[str, list[NameWord]],
        runs: Sequence[Run],
        state: NamesState,
        lower: LowerWords,
    ) -> Finding | None:
        """The finding for ``variant`` against ``reference``, or None when they are likely different names."""
        if self.objection(document, variant, reference, by_key, runs, state, lower):
            return None
        mention = by_key[variant][0]
        references = by_key[reference]
        forms = Counter(w.form for w in references)
        target = forms.most_common(1)[0][0]
        full = [w for w in references if len(runs[w.run].words) > 1]
        if full and forms[full[0].form] == forms[target]:
            target = full[0].form
        replacement = match_case(mention.form, target) if mention.form[0].isupper() else target
        count = len(references)
        where = f"{count} times elsewhere in the story" if count > 1 else "at its other mention"
        related = tuple(sorted(Span(w.start, w.end) for w in references))[:5]
        return self.finding(
            context,
            Span(mention.start, mention.end),
            f"'{mention.form}' is spelled '{target}' {where}",
            replacement=replacement,
            applicability=Applicability.UNSAFE,
            related=related,
        )


class AcronymMismatch(BaseRule):
    """Flags an acronym used with other letters than the one defined in parentheses."""

    id = "names/acronym-mismatch"
    category = Category.NAMES
    default_severity = Severity.WARNING
    summary = "An acronym spelled differently from its definition"
    doc = RuleDoc(
        what=(
            "Reads acronyms defined in parentheses after a name ('Lake Tarnow Water Board (LTWB)') and flags a later "
            "all-capitals word one letter away from a defined acronym (a letter changed, added, dropped or two "
            "swapped) that is not defined itself."
        ),
        why="A reader who has just learnt the acronym stumbles on the other letters and wonders whether a second body is meant.",
        example="The Lake Tarnow Water Board (LTWB) raised its charges. The LWTB said costs had doubled.",
        use_instead="The Lake Tarnow Water Board (LTWB) raised its charges. The LTWB said costs had doubled.",
        fix_safety=(
            "Unsafe: the fix writes the acronym as defined, but the later letters could name another body. "
            "Accepted alternatives (ISIS/ISIL) are listed in rules/names/acronyms.toml."
        ),
    )

    _DEFINITION = re.compile(r"\(([A-Z][A-Z0-9&]{2,9})\)")

    def prepare(self, inputs: PrepareInput) -> NamesState:
        """Validate the names lexicons."""
        return _prepare(inputs)

    def check(self, document: Document, context: RuleContext) -> Iterator[Finding]:
        """Compare each all-capitals word used once with the acronyms defined in parentheses."""
        text = document.text
        if "(" not in text:
            return
        definitions: dict[str, Span] = {}
        for match in self._DEFINITION.finditer(text):
            definitions.setdefault(match.group(1), Span(match.start(1), match.end(1)))
        if not definitions:
            return
        state = _state_of(context)
        uses: dict[str, list[tuple[int, int]]] = {}
        for block in document.blocks:
            tokens = block.tokens  # not block.words, a tuple built on every call: most tokens fail the first test
            if _in_capitals(tokens):
                continue  # a headline in capitals
            for token in tokens:
                form = token.text
                if len(form) < 3 or not form[0].isupper() or token.kind is not _WORD:
                    continue
                form = _name_form(form)
                if form.endswith("s") and form[:-1].isupper():
                    form = form[:-1]
                if len(form) >= 3 and form.isupper() and form.isalpha():
                    uses.setdefault(form, []).append((token.start, token.start + len(form)))
        groups = state.data.acronym_group
        spelling = state.spelling
        defined = list(definitions)
        for form, places in uses.items():
            if form in definitions or len(places) != 1:
                continue
            for acronym, distance in spelling.variants(form, defined):
                if distance != 1:
                    continue
                group = groups.get(form)
                if group is not None and group == groups.get(acronym):
                    continue
                if len(form) == 3 and len(acronym) == 3 and sorted(form) != sorted(acronym):
                    continue  # three-letter acronyms one letter apart are often two bodies (SDF, SDP)
                if state.frequencies.is_common(form.casefold()):
                    continue  # an acronym in its own right (NATO, FIFA)
                start, end = places[0]
                yield self.finding(
                    context,
                    Span(start, end),
                    f"'{form}' does not match the acronym defined as '{acronym}'",
                    replacement=acronym,
                    applicability=Applicability.UNSAFE,
                    related=(definitions[acronym],),
                )
                break


class FirstReference(BaseRule):
    """Notes a person named by surname alone before the full name appears."""

    id = "names/first-reference"
    category = Category.NAMES
    default_severity = Severity.INFO
    summary = "A person's surname used before their full name"
    doc = RuleDoc(
        what=(
            "Notes a surname used alone (or with a title) in the body before the first mention of the person's "
            "full name, when the story shows the name is a person's (a title such as Mr or Dr, or a reporting "
            "verb such as 'said' after it). Headlines are not checked: they use surnames by design."
        ),
        why="Wire style gives a person's full name at first reference, so the reader knows who is meant from the start.",
        example="Mr Okafor said the vote was fair.\n\nThe council leader, Daniel Okafor, was re-elected on Friday.",
        use_instead="Council leader Daniel Okafor said the vote was fair.\n\nOkafor was re-elected on Friday.",
        fix_safety="No fix: the sentence has to be rewritten; the full name is offered as a suggestion.",
    )

    def prepare(self, inputs: PrepareInput) -> NamesState:
        """Validate the names lexicons."""
        return _prepare(inputs)

    def check(self, document: Document, context: RuleContext) -> Iterator[Finding]:
        """Find, per surname, a lone mention that precedes its first full mention."""
        state = _state_of(context)
        data = state.data
        lower, mentions = state.finder.mentions(document, state.frequencies)
        # Only a surname that ends a run of two name words or more can have a full mention for a lone one to
        # precede: runs of other surnames are passed over before their surroundings are read.
        full_names = {run.words[-1].key for run in mentions if len(run.words) > 1 and not run.headline}
        if not full_names:
            return
        first_full: dict[str, Run] = {}
        first_lone: dict[str, Run] = {}
        person: set[str] = set()
        personal = state.personal_titles
        text = document.text
        blocks = document.blocks
        for run in mentions:
            words = run.words
            if not words or words[-1].key not in full_names or run.headline:
                continue
            surname = words[-1].key
            span = blocks[run.block].span
            next_word, joined_after = _word_after(text, span, run)
            if joined_after:
                continue  # "Okafor-led", "Okafor/Mensah"
            if not personal.isdisjoint(run.titles):
                person.add(surname)
            if len(words) > 1 and " " in text[words[-2].end : words[-1].start]:
                if len(words) <= 3 and next_word in data.reporting_verbs:
                    person.add(surname)  # "Daniel Okafor said"
                first_full.setdefault(surname, run)
            elif (
                surname not in first_full
                and len(words) == 1
                and next_word not in data.kinship
                and not _determiner_before(text, span, run)
            ):
                first_lone.setdefault(surname, run)  # not "the Okafor report": that names no one yet
        frequencies = state.frequencies
        for surname, lone in first_lone.items():
            full = first_full.get(surname)
            if full is None or full.start < lone.start or surname not in person:
                continue
            if surname in lower or frequencies.common.get(surname, 0.0) >= FUNCTION_WORD_ZIPF or len(surname) < 3:
                continue
            if _in_quotation(document, lone):
                continue  # a speaker's words, not the writer's reference
            word = lone.words[0]
            name = document.text[full.words[0].start : full.words[-1].end]
            yield self.finding(
                context,
                Span(word.start, word.end),
                f"'{word.form}' is named here before the full name '{name}' is given",
                suggestions=(name,),
                related=(Span(full.words[0].start, full.words[-1].end),),
            )


NAMES_RULES = (InconsistentSpelling(), AcronymMismatch(), FirstReference())
