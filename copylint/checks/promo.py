"""Stray promos and CMS debris in the body: read-more links, sign-up prompts, adverts, share prompts, credits.

Each rule of the family reads its cues from a ``lexicon`` file under ``rules/promo/`` (see
``rules/promo/README.md``). A cue counts only where a promo can start (the start of a paragraph, or right after
a sentence ends inside one) and only when what follows it looks like link text rather than prose: a headline
with no closing full stop, a short Title Case name, nothing at all, or a short tail for strong cues. Cues that
are self-contained (a parenthesised photo credit) may sit anywhere. The fix deletes the paragraph with the
blank line before it, or the trailing fragment with the space before it; it is unsafe because the text goes.
"""

from __future__ import annotations

import marshal
import os
import re
import string
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from copylint.cachedir import user_cache_dir
from copylint.document import split_sentences
from copylint.finding import Applicability, Edit, Finding, Fix, Severity, Span
from copylint.rule import BaseRule, Category, PrepareInput, RuleContext, RuleDoc

if TYPE_CHECKING:
    import regex

    from copylint.document import Block, Document
    from copylint.loader import Lexicon


class Tail(Enum):
    """What may follow a cue up to the end of the paragraph."""

    NONE = "none"  # nothing but trailing marks (":", "→", "»")
    TITLE = "title"  # a short Title Case name with no full stop ("More from Harbour Weekly")
    HEADLINE = "headline"  # one headline-like line with no closing full stop
    ANY = "any"  # any text, up to max_words


class Case(Enum):
    """How the cue itself must be written."""

    ANY = "any"
    CAPITAL = "capital"  # first letter a capital ("Read more", "READ MORE")
    UPPER = "upper"  # every letter a capital ("WATCH", "DON'T MISS")


_DEFAULT_MAX_WORDS = {Tail.NONE: 0, Tail.TITLE: 8, Tail.HEADLINE: 25, Tail.ANY: 40}
_ENTRY_KEYS = frozenset({"cue", "tail", "case", "max_words", "novel", "anywhere", "example"})
# Where a promo may start inside a paragraph: its start, after a sentence end, or after a line break; a bullet,
# slash or bracket may come first.
_JUNK = r"(?:[/|»•*\-–—\[(][ \t\u00a0]*)?"
_LEAD_MARK = r"""[.!?…]["”’')\]]{0,2}|["”’)\]]|\n"""  # a sentence end, a closing quote or bracket, a line break
_LEAD = rf"(?P<lead>^|{_LEAD_MARK})[ \t\u00a0]*{_JUNK}"
# _LEAD_MARK as one character class and what may follow it: a pattern that opens with a class lets re skip to the
# next candidate at C speed (an alternation is tried at every position). It matches what _LEAD_MARK matches, in
# the same order of preference (tests/test_promo.py compares the two).
_LEAD_MARK_SCAN = r"""[.!?…"”’)\]\n](?:(?<=[.!?…])["”’')\]]{0,2})?"""
# A cue ends where it is not between two letters or digits. The stdlib re has no \p{..}: there [^\W_] (str.isalnum)
# says the same, with U+0345, a combining mark that regex's case-insensitive \p{L} takes for the iota it folds to.
# Over every character Python's Unicode data assigns, the two match alike (tests/test_promo.py checks).
_WORD_END = r"(?:(?<![\p{L}\p{N}])|(?![\p{L}\p{N}]))"
_WORD_END_STDLIB = r"(?:(?<![^\W_]|\u0345)|(?![^\W_]|\u0345))"
# regex syntax that re compiles but reads otherwise (a fuzzy constraint "{e<=1}" as literal braces, a POSIX class
# "[a[:digit:]]" as plain characters) or only with a FutureWarning ("[[", "--", "&&"): such a cue stays on regex.
_MISREAD_BY_RE = re.compile(r"\{(?!\d+\}|\d*,\d*\})|\[\[|\[:\^?\w+:\]|--|&&|\|\||~~")
_TRAILING_MARKS = " \t\u00a0:.;,-–—→»›>|…!*]"
# A cue's pieces: an escape, a character class (to its end if unclosed), a space with an optional ? or *, a run
# of anything else, or a lone backslash at the end.
_CUE_PARTS = re.compile(r"\\.|\[(?:\\.|[^\]\\])*\]?| [?*]?|[^\\\[ ]+|.", re.DOTALL)
_WORDS = re.compile(r"[^\W\d_][^\W\d_'’]*")
_SPACES = re.compile(r"\s+")
# Words that stay lower case in Title Case, and words too common to show that a tail repeats the article.
_MINOR_WORDS = frozenset("a an and as at but by de for from in into of on or over per the to via vs with & | - – — : /".split())
_STOPWORDS = frozenset(
    """a about after against all also an and are as at be been before but by can could did do for from had has
    have he her his how in into is it its more most new no not of on one or our out over said says she so than
    that the their them then there they this to two up us was we were what when where which who why will with
    would year years you""".split()
)
_ABBREVIATION = re.compile(r"(?:[^\W\d_]\.){2,}|(?:inc|corp|co|ltd|jr|sr|st|bros|no|plc)\.", re.IGNORECASE)

# Literal prefixes of cues (for the fast pre-filter) are found by partial matching over this alphabet, up to
# _PREFIX_DEPTH characters and _PREFIX_LIMIT prefixes per cue; a cue whose next character could be something
# else (a letter outside the alphabet, any character) stops growing there.
_ALPHABET = string.ascii_lowercase + string.digits + " :-.'’/&@!?,;()[]|#"
_PROBES = "é…«€ж"
_PREFIX_DEPTH = 8
_PREFIX_LIMIT = 48
_CACHE_FORMAT = "promo-prefixes-3"


class LazyPattern:
    """A cue's regular expression (regex syntax, case-insensitive), compiled the first time a pre-filter lets a
    candidate through.

    ``get`` compiles it with the stdlib re where re reads it alike, as most cues are plain: importing regex costs
    a start about 20 ms. ``regex_pattern`` is for what only regex does (overlapped and partial matching).
    """

    __slots__ = ("_compiled", "_regex", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self._compiled: re.Pattern[str] | regex.Pattern[str] | None = None
        self._regex: regex.Pattern[str] | None = None

    def get(self) -> re.Pattern[str] | regex.Pattern[str]:
        """The compiled pattern: with re if it reads the pattern as regex does, else with regex."""
        if self._compiled is None:
            self._compiled = _stdlib_pattern(self.source) or self.regex_pattern()
        return self._compiled

    def regex_pattern(self) -> regex.Pattern[str]:
        """The pattern compiled with regex (raises ``regex.error`` if it is invalid)."""
        if self._regex is None:
            import regex  # about 20 ms to import: only for cues that need it, or to check cues on a cache miss

            self._regex = regex.compile(self.source, regex.IGNORECASE)
        return self._regex


def _stdlib_pattern(source: str) -> re.Pattern[str] | None:
    """``source`` compiled with re, or None if re rejects it or would read it otherwise than regex."""
    source = source.replace(_WORD_END, _WORD_END_STDLIB)
    if _MISREAD_BY_RE.search(source):
        return None
    try:
        return re.compile(source, re.IGNORECASE)
    except re.error:
        return None  # regex's extras (\p{..}, variable-width lookbehind...)


class _LazyRe:
    """A stdlib pre-filter compiled on first use: most blocks never reach ``body``, and a start pays for each."""

    __slots__ = ("_compiled", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self._compiled: re.Pattern[str] | None = None

    def get(self) -> re.Pattern[str]:
        """The compiled pattern."""
        if self._compiled is None:
            self._compiled = re.compile(self.source)
        return self._compiled

    def match(self, text: str) -> re.Match[str] | None:
        """``re.Pattern.match``."""
        return self.get().match(text)

    def search(self, text: str) -> re.Match[str] | None:
        """``re.Pattern.search``."""
        return self.get().search(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """``re.Pattern.finditer``."""
        return self.get().finditer(text)


@dataclass(frozen=True, slots=True)
class Cue:
    """One promo cue from a lexicon: its pattern, what may follow it and how it must be written."""

    source: str
    pattern: LazyPattern
    tail: Tail
    case: Case
    max_words: int
    novel: bool  # the tail must share few words with the rest of the article (a bare "Read")
    anywhere: bool  # self-contained: may sit mid-sentence; the match is the whole fragment
    example: str
    prefixes: tuple[str, ...] | None = None  # lower-case, single-spaced; None = always try the pattern


@dataclass(frozen=True)
class CueSet:
    """A promo rule's cues with the scanners that find where they may start."""

    cues: tuple[Cue, ...]
    head: _LazyRe | None = None  # pre-filter at the start of a block
    body: _LazyRe | None = None  # pre-filter after a sentence end inside a block
    # the start cues' first word alone: where it is nowhere in a block, ``body`` cannot match there either, and
    # a scan for it is fast (a literal first letter), unlike ``body``'s, which must try every position
    gate: _LazyRe | None = None
    anywhere: _LazyRe | None = None  # pre-filter for self-contained cues
    # the same, when it only asks for one of a few characters without case ("(" or "["): a substring test
    anywhere_marks: tuple[str, ...] | None = None
    slow_starts: LazyPattern | None = None  # cues without literal prefixes, with the lead, matched in full
    start_prefixes: tuple[str, ...] | None = None  # every start cue's prefixes; None if some cue has none
    start_cues: tuple[Cue, ...] = field(default=(), repr=False)
    anywhere_cues: tuple[Cue, ...] = field(default=(), repr=False)


def _cue_regex(cue: str) -> str:
    """The cue's regex with each literal space (outside a character class) widened to any run of whitespace.

    An optional space (" ?" or " *") becomes an optional run.
    """
    out = [(r"\s*" if len(part) == 2 else r"\s+") if part[0] == " " else part for part in _CUE_PARTS.findall(cue)]
    return f"(?:{''.join(out)}){_WORD_END}"


def cue_prefixes(pattern: regex.Pattern[str]) -> tuple[str, ...] | None:
    """Lower-case prefixes, one of which every match of ``pattern`` starts with (runs of space as one space).

    Found by partial matching; None if a match may start with a character outside the enumerated alphabet.
    """
    prefixes: set[str] = set()
    frontier = [""]
    for _ in range(_PREFIX_DEPTH):
        grown: list[str] = []
        for prefix in frontier:
            if any(pattern.match(prefix + c, partial=True) for c in _PROBES):
                if not prefix:
                    return None
                prefixes.add(prefix)
                continue
            children = [prefix + c for c in _ALPHABET if not (c == " " and prefix.endswith(" "))]
            children = [c for c in children if pattern.match(c, partial=True) is not None]
            if not prefix and not children:
                return None
            if not children or pattern.fullmatch(prefix) is not None:
                prefixes.add(prefix)
            else:
                grown.extend(children)
        if len(grown) + len(prefixes) > _PREFIX_LIMIT:
            prefixes.update(frontier)
            frontier = []
            break
        frontier = grown
    prefixes.update(frontier)
    if "" in prefixes or not prefixes:
        return None
    return tuple(sorted(p.rstrip() or p for p in prefixes))


def _cache_path(facts: Sequence[tuple[str, str, bool]]) -> Path:
    # Two checksums of the cues, not sha256: importing hashlib costs a cold start more than the whole lookup.
    data = repr((_CACHE_FORMAT, tuple(facts))).encode("utf-8")
    digest = f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{len(data) & 0xFFFFFFFF:08x}"
    return user_cache_dir() / f"promo-{digest}.marshal"


Stored = tuple[list[tuple[str, ...] | None], str | None, str | None]
"""What is cached for a set of cues: each cue's prefixes, then the start cues' and the self-contained cues'
pre-filter literals (see _prefilter)."""


def _read_cache(path: Path, count: int) -> Stored | None:
    # marshal, not json: importing json costs a cold start ~3 ms
    try:
        loaded = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not (isinstance(loaded, tuple) and len(loaded) == 3 and isinstance(loaded[0], list) and len(loaded[0]) == count):
        return None
    if not all(literal is None or isinstance(literal, str) for literal in loaded[1:]):
        return None
    prefixes: list[tuple[str, ...] | None] = []
    for item in loaded[0]:
        if item is None:
            prefixes.append(None)
        elif isinstance(item, tuple) and item and all(isinstance(p, str) and p for p in item):
            prefixes.append(item)
        else:
            return None
    return prefixes, loaded[1], loaded[2]


def _write_cache(path: Path, stored: Stored) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_suffix(f".{os.getpid()}.tmp")
        scratch.write_bytes(marshal.dumps(stored))
        os.replace(scratch, path)
        _prune(path)
    except OSError:
        pass  # a read-only cache only costs the next start the same work again


_STALE_SECONDS = 30 * 24 * 3600


def _prune(kept: Path) -> None:
    """Drop cue caches unused for a month (cue sets that changed or went away) and those of the old JSON format.
    Reading a cache touches nothing, so a month is counted from when it was written."""
    import time

    now = time.time()
    for path in (*kept.parent.glob("promo-*.marshal"), *kept.parent.glob("promo-*.json")):
        if path != kept and (path.suffix == ".json" or now - path.stat().st_mtime > _STALE_SECONDS):
            path.unlink(missing_ok=True)


def _enum_value(lexicon: Lexicon, entry: Mapping[str, Any], key: str, kind: type[Tail] | type[Case], default: Any) -> Any:
    value = entry.get(key, default.value)
    try:
        return kind(value)
    except ValueError:
        names = ", ".join(member.value for member in kind)
        raise lexicon.error(f"'{key}' must be one of {names}, not {value!r}", str(value)) from None


def parse_cue(lexicon: Lexicon, entry: Any) -> Cue:
    """Validate one lexicon entry (all but its regular expression, which compile_cues checks)."""
    if not isinstance(entry, Mapping):
        raise lexicon.error("each promo entry must be a table with at least 'cue'", "entries")
    source = entry.get("cue")
    if not isinstance(source, str) or not source.strip():
        raise lexicon.error("promo entry needs 'cue' (a regular expression)", "entries")
    needle = source[:24]
    unknown = set(entry) - _ENTRY_KEYS
    if unknown:
        raise lexicon.error(f"unknown promo entry key(s): {', '.join(sorted(unknown))}", needle)
    tail: Tail = _enum_value(lexicon, entry, "tail", Tail, Tail.NONE)
    case: Case = _enum_value(lexicon, entry, "case", Case, Case.CAPITAL)
    max_words = entry.get("max_words", _DEFAULT_MAX_WORDS[tail])
    if not isinstance(max_words, int) or isinstance(max_words, bool) or max_words < 0:
        raise lexicon.error("'max_words' must be a whole number >= 0", needle)
    flags: dict[str, bool] = {}
    for key in ("novel", "anywhere"):
        value = entry.get(key, False)
        if not isinstance(value, bool):
            raise lexicon.error(f"'{key}' must be true or false", needle)
        flags[key] = value
    if flags["anywhere"] and tail is not Tail.NONE:
        raise lexicon.error("an 'anywhere' cue matches the whole fragment itself: leave 'tail' as none", needle)
    example = entry.get("example", "")
    if not isinstance(example, str):
        raise lexicon.error("'example' must be a string", needle)
    pattern = LazyPattern(_cue_regex(source))
    return Cue(source, pattern, tail, case, max_words, flags["novel"], flags["anywhere"], example)


def _compile_checked(lexicon: Lexicon, cue: Cue) -> regex.Pattern[str]:
    import regex  # only when the cache of prefixes is missed: every pattern is then checked

    try:
        compiled = cue.pattern.regex_pattern()  # cue_prefixes matches partially, which only regex does
    except regex.error as exc:
        raise lexicon.error(f"invalid regular expression {cue.source!r}: {exc}", cue.source[:24]) from None
    if compiled.match(""):
        raise lexicon.error(f"cue {cue.source!r} matches empty text", cue.source[:24])
    return compiled


def _literal(prefix: str) -> str:
    return r"\s+".join(re.escape(part) for part in prefix.split(" "))


def _letter(char: str, any_case: bool) -> str:
    if char.lower() == char.upper():
        return re.escape(char)
    return f"[{char.upper()}{char.lower()}]" if any_case else char.upper()


def _trie(heads: dict[str, bool], depth: int = 0) -> str:
    """A regex matching any of ``heads`` (lower case; True = may start lower case) as a prefix tree.

    The first letter is a capital unless the head allows any case; later letters may be either case. A tree
    keeps the pattern short, so it compiles fast and the scanner tries few alternatives.
    """
    if "" in heads:
        return ""  # a shorter head already matches everything longer
    groups: dict[str, dict[str, bool]] = {}
    for head, any_case in heads.items():
        groups.setdefault(head[0], {})[head[1:]] = any_case
    parts = []
    for char in sorted(groups):
        rest = groups[char]
        first = _letter(char, depth > 0 or any(rest.values()))
        parts.append(first + _trie(rest, depth + 1))
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def _prefilter(cues: Sequence[Cue]) -> str | None:
    """A case-sensitive pattern for the cues' first word (up to four characters), as it may be written."""
    heads: dict[str, bool] = {}
    for cue in cues:
        if cue.prefixes is None:
            continue
        for prefix in cue.prefixes:
            head = prefix[:4].split(" ", 1)[0]
            heads[head] = heads.get(head, False) or cue.case is Case.ANY
    if not heads:
        return None
    return _trie(heads)


def compile_cues(lexicons: tuple[Lexicon, ...], *, use_cache: bool = True) -> CueSet:
    """All entries of the rule's lexicons, validated, with literal pre-filters (cached per set of cues: each cue's
    pattern, case and placement)."""
    owned: list[tuple[Lexicon, Cue]] = []
    for lexicon in lexicons:
        entries = lexicon.entries
        if not isinstance(entries, list):
            raise lexicon.error("'entries' must be an array of tables ([[entries]])", "entries")
        owned.extend((lexicon, parse_cue(lexicon, entry)) for entry in entries)
    if not owned:
        return CueSet(())
    path = _cache_path([(c.pattern.source, c.case.value, c.anywhere) for _, c in owned]) if use_cache else None
    stored = _read_cache(path, len(owned)) if path is not None else None
    # the first run with these cues checks every pattern, then works out its literal prefixes
    prefixes = stored[0] if stored is not None else [cue_prefixes(_compile_checked(lexicon, cue)) for lexicon, cue in owned]
    cues = tuple(
        Cue(c.source, c.pattern, c.tail, c.case, c.max_words, c.novel, c.anywhere, c.example, found)
        for (_, c), found in zip(owned, prefixes, strict=True)
    )
    start_cues = tuple(c for c in cues if not c.anywhere)
    anywhere_cues = tuple(c for c in cues if c.anywhere)
    if stored is not None:
        start_literal, anywhere_literal = stored[1], stored[2]
    else:
        start_literal, anywhere_literal = _prefilter(start_cues), _prefilter(anywhere_cues)
        if path is not None:
            _write_cache(path, (prefixes, start_literal, anywhere_literal))
    head = body = gate = anywhere = None
    if start_literal is not None:
        head = _LazyRe(rf"[ \t\u00a0]*{_JUNK}(?P<cue>{start_literal})")
        body = _LazyRe(rf"(?P<lead>{_LEAD_MARK_SCAN})[ \t\u00a0]*{_JUNK}(?P<cue>{start_literal})")
        gate = _LazyRe(start_literal)
    if anywhere_literal is not None:
        anywhere = _LazyRe(anywhere_literal)
    # _prefilter's trie reduced to characters: each head's first character, when that character alone is a head
    heads = {prefix[:4].split(" ", 1)[0] for cue in anywhere_cues for prefix in cue.prefixes or ("",)}
    marks = {head[:1] for head in heads}
    plain_marks = anywhere_literal is not None and all(len(m) == 1 and m in heads and m.lower() == m.upper() for m in marks)
    unlisted = [c.pattern.source for c in start_cues if c.prefixes is None]
    slow = LazyPattern(f"{_LEAD}(?P<cue>{'|'.join(unlisted)})") if unlisted else None
    return CueSet(
        cues,
        head=head,
        body=body,
        gate=gate,
        anywhere=anywhere,
        anywhere_marks=tuple(sorted(marks)) if plain_marks else None,
        slow_starts=slow,
        start_cues=start_cues,
        anywhere_cues=anywhere_cues,
        start_prefixes=None
        if any(c.prefixes is None for c in start_cues)
        else tuple(sorted({p for c in start_cues for p in c.prefixes or ()})),
    )


def _written_as(text: str, case: Case) -> bool:
    if case is Case.ANY:
        return True
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    if case is Case.CAPITAL:
        return letters[0].isupper()
    return all(c.isupper() for c in letters)


def _ends_open(tail: str) -> bool:
    """True if ``tail`` does not end like a sentence (no closing full stop except after an abbreviation)."""
    stripped = tail.rstrip("\"”’')]")
    if not stripped.endswith("."):
        return not stripped.endswith((",", ";"))
    last = stripped.rsplit(None, 1)[-1]
    return bool(_ABBREVIATION.fullmatch(last)) or stripped.endswith("...")


def _is_title(words: list[str]) -> bool:
    for word in words:
        letters = word.strip("\"“”‘’'()[]")
        if not letters or not letters[0].isalpha():
            continue
        if not letters[0].isupper() and letters.lower() not in _MINOR_WORDS:
            return False
    return True


def _shouted(tail: str) -> bool:
    """True for an all-capitals tail of three words or more: a wire headline, never a sentence of the story."""
    letters = [c for c in tail if c.isalpha()]
    return len(tail.split()) >= 3 and len(letters) >= 8 and all(c.isupper() for c in letters)


def _content_words(text: str) -> set[str]:
    return {w for w in (m.group().lower() for m in _WORDS.finditer(text)) if len(w) > 2 and w not in _STOPWORDS}


class _Article:
    """Per-check view of the document that computes the article's vocabulary only when a bare cue needs it."""

    def __init__(self, document: Document) -> None:
        self.text = document.text
        self._words: dict[tuple[int, int], set[str]] = {}

    def shares_few_words(self, tail: str, start: int, end: int) -> bool:
        """True if at most half the tail's content words occur elsewhere in the article."""
        tail_words = _content_words(tail)
        if not tail_words:
            return False
        key = (start, end)
        if key not in self._words:
            self._words[key] = _content_words(self.text[:start]) | _content_words(self.text[end:])
        shared = len(tail_words & self._words[key])
        return shared * 2 <= len(tail_words)


def _tail_fits(cue: Cue, tail: str) -> bool:
    """Does the text after the cue look like link text of the cue's kind?"""
    if cue.tail is Tail.NONE:
        return not tail.strip(_TRAILING_MARKS)
    # Keep a closing full stop: it is what tells a sentence from a headline.
    bare = tail.strip().lstrip(":;,-–—|»›>").rstrip(" \t\u00a0→»›>|*").strip()
    words = bare.split()
    if len(words) > cue.max_words:
        return False
    if cue.tail is Tail.ANY:
        return True
    if not words:
        return True  # the cue alone ("Watch the video", "More from")
    if not _ends_open(bare) or (len(split_sentences(bare)) > 1 and not _shouted(bare)):  # "MINN. BANK ..." is one line
        return False
    first = next((c for c in bare if c.isalnum()), "")
    if not (first.isupper() or first.isdigit()):
        return False
    return cue.tail is Tail.HEADLINE or _is_title(words)


@dataclass(frozen=True, slots=True)
class PromoMatch:
    """A promo fragment found in a block: its span, the cue, and the span the fix deletes."""

    span: Span
    cue_text: str
    delete: Span
    whole_block: bool


def _block_deletion(document: Document, block: Block) -> Span:
    """The span to delete so that the block goes with the blank line before (or after) it.

    Where the separator is not verbatim source text (markup between blocks), only the block's text goes.
    """
    blocks = document.blocks
    choices = []
    if block.index > 0:
        choices.append(Span(blocks[block.index - 1].span.end, block.span.end))
    if block.index + 1 < len(blocks):
        choices.append(Span(block.start, blocks[block.index + 1].start))
    source_map = document.source_map
    for span in choices:
        if source_map is None or source_map.exact(span):
            return span
    return block.span


def _deletable(document: Document, preferred: Span, fallback: Span) -> Span:
    """``preferred`` if a fix there would touch only verbatim source text, else ``fallback``."""
    source_map = document.source_map
    if source_map is None or source_map.exact(preferred):
        return preferred
    return fallback


def _candidates(text: str, cues: CueSet) -> Iterator[tuple[int, int]]:
    """(cue start, deletion start) of places where a cue may begin; deletion start -1 means the whole block."""
    if cues.head is not None and cues.body is not None:
        head = cues.head.match(text)
        if head is not None:
            yield head.start("cue"), -1
        for m in cues.body.finditer(text):
            yield m.start("cue"), (m.start("lead") if m.group("lead") == "\n" else m.end("lead"))
    if cues.slow_starts is not None:
        for found in cues.slow_starts.regex_pattern().finditer(text, overlapped=True):
            lead = found.group("lead")
            if found.start() == 0 and lead == "":
                yield found.start("cue"), -1
            else:
                yield found.start("cue"), (found.start("lead") if lead == "\n" else found.end("lead"))


def _snippet(text: str, start: int) -> str:
    """Lower-case text from ``start`` with runs of whitespace as one space, long enough for any prefix."""
    return _SPACES.sub(" ", text[start : start + 4 * _PREFIX_DEPTH]).lower()


def _possible(cue: Cue, snippet: str) -> bool:
    return cue.prefixes is None or snippet.startswith(cue.prefixes)


def find_promos(document: Document, cues: CueSet) -> Iterator[PromoMatch]:
    """Promo fragments of the body: self-contained ones, then at most one trailing fragment per paragraph."""
    article = _Article(document)
    # The gate is tried on every block (compiled now); head and body only where it lets a block through, as
    # both match the gate's literal where they match (so most starts never compile them).
    gate = cues.gate.get() if cues.gate is not None else None
    anywhere = cues.anywhere.get() if cues.anywhere is not None and cues.anywhere_cues else None
    filtered = cues.head is not None and cues.body is not None and gate is not None and cues.slow_starts is None
    scan_anywhere = bool(cues.anywhere_cues)
    marks = cues.anywhere_marks
    for block in document.blocks:
        if block.role == "headline":
            continue
        text = block.text
        contained: list[PromoMatch] = []
        if scan_anywhere and (
            any(mark in text for mark in marks) if marks is not None else (anywhere is None or anywhere.search(text))
        ):
            contained = list(_self_contained(document, block, cues))
            if contained and contained[0].whole_block:
                yield contained[0]
                continue
        trailing = None
        # where the gate lets a block through, the candidates themselves say whether head or body match
        if cues.start_cues and (not filtered or (gate is not None and gate.search(text))):
            for cue_start, cut in sorted(set(_candidates(text, cues))):
                at = block.start + cue_start
                if any(p.span.start <= at < p.span.end for p in contained):
                    continue
                trailing = _match_start(document, block, cues, cue_start, cut, article)
                if trailing is not None:
                    break
        if trailing is not None:
            contained = [p for p in contained if p.span.end <= trailing.span.start]
        yield from contained
        if trailing is not None:
            yield trailing


def _self_contained(document: Document, block: Block, cues: CueSet) -> Iterator[PromoMatch]:
    """Self-contained cues (a parenthesised credit) anywhere in the block, in order, without overlaps."""
    text = block.text
    base = block.start
    scanner = cues.anywhere
    starts = sorted({m.start() for m in scanner.finditer(text)}) if scanner is not None else list(range(len(text)))
    position = 0
    for start in starts:
        if start < position:
            continue
        snippet = _snippet(text, start)
        for cue in cues.anywhere_cues:
            if not _possible(cue, snippet):
                continue
            m = cue.pattern.get().match(text, start)
            if m is None or not _written_as(m.group(), cue.case):
                continue
            end = m.end()
            position = end
            if not text[:start].strip(" \t/|»•*-–—") and not text[end:].strip(_TRAILING_MARKS):
                yield PromoMatch(block.span, m.group(), _block_deletion(document, block), True)
                return
            cut_start, cut_end = start, end
            if cut_start > 0 and text[cut_start - 1] in " \t\u00a0":
                cut_start -= 1
            elif cut_end < len(text) and text[cut_end] in " \t\u00a0":
                cut_end += 1
            span = Span(base + start, base + end)
            yield PromoMatch(span, m.group(), _deletable(document, Span(base + cut_start, base + cut_end), span), False)
            break


def _match_start(
    document: Document, block: Block, cues: CueSet, cue_start: int, cut: int, article: _Article
) -> PromoMatch | None:
    """The promo starting at ``cue_start`` if a cue matches there and what follows it fits."""
    text = block.text
    base = block.start
    end = len(text.rstrip())
    snippet = _snippet(text, cue_start)
    if cues.start_prefixes is not None and not snippet.startswith(cues.start_prefixes):
        return None
    for cue in cues.start_cues:
        if not _possible(cue, snippet):
            continue
        pattern = cue.pattern.get()
        found = pattern.match(text, cue_start)
        if found is not None and cue.tail is Tail.NONE and text[found.end() : end].strip(_TRAILING_MARKS):
            # A shorter alternative matched first ("share" for "share this"): try the whole fragment.
            stop = cue_start + len(text[cue_start:end].rstrip(_TRAILING_MARKS))
            found = pattern.fullmatch(text, cue_start, stop) or found
        if found is None or not _written_as(found.group(), cue.case):
            continue
        tail = text[found.end() : end]
        if not _tail_fits(cue, tail):
            continue
        if cue.novel and not _shouted(tail) and not article.shares_few_words(tail, base + cue_start, base + end):
            continue
        if cut < 0:
            return PromoMatch(block.span, found.group(), _block_deletion(document, block), True)
        span = Span(base + cue_start, base + end)
        return PromoMatch(span, found.group(), _deletable(document, Span(base + cut, base + end), span), False)
    return None


class PromoRule(BaseRule):
    """One kind of stray promo (read-more links, sign-up prompts...), its cues read from rules/promo/."""

    category = Category.PROMO
    default_severity = Severity.WARNING

    def __init__(self, rule_id: str, summary: str, label: str, doc: RuleDoc) -> None:
        self.id = rule_id
        self.summary = summary
        self.label = label
        self.doc = doc

    def prepare(self, inputs: PrepareInput) -> CueSet:
        """Validate and compile the cues of this rule's lexicons once per rule set."""
        return compile_cues(inputs.lexicons)

    def check(self, document: Document, context: RuleContext) -> Iterator[Finding]:
        """Flag each promo fragment with an unsafe fix that deletes it."""
        cues = context.state
        if not isinstance(cues, CueSet) or not cues.cues:
            return
        for promo in find_promos(document, cues):
            what = "paragraph" if promo.whole_block else "fragment"
            yield Finding(
                rule=self.id,
                category=self.category.value,
                message=f"Stray {self.label} ('{' '.join(promo.cue_text.split())}') left in the copy: delete the {what}",
                span=promo.span,
                severity=context.severity,
                fix=Fix((Edit(promo.delete, ""),), Applicability.UNSAFE),
                suggestions=("",),
            )


_FIX_SAFETY = (
    "Unsafe: the fix deletes the {what} (a whole paragraph goes with the blank line before it; a fragment glued "
    "to a paragraph goes with the space before it). Cues count only where link text can start and when what "
    "follows looks like link text, yet text is removed, so an editor confirms it."
)

READ_MORE = PromoRule(
    "promo/read-more",
    "A read-more or related-story link left in the body",
    "read-more link",
    RuleDoc(
        what=(
            "Flags link text to other stories that the web CMS left in the body: 'Read more:', 'READ MORE', "
            "'Also read:', 'Related:', 'Recommended', 'More on this story', 'Top stories', or a bare 'Read' "
            "followed by the headline of an unrelated story with no closing full stop."
        ),
        why=(
            "A link to another story means nothing once the copy leaves the page: in print, on the wire or read "
            "aloud it is a stray headline in the middle of the story, and it tells the reader the desk did not "
            "read the copy."
        ),
        example=(
            "The council approved the budget on Tuesday.\n\nRead  Ferry strike halts crossings to Kellan Isle\n\n"
            "The vote was 7-2."
        ),
        use_instead="The council approved the budget on Tuesday.\n\nThe vote was 7-2.",
        fix_safety=_FIX_SAFETY.format(what="link text"),
    ),
)

NEWSLETTER = PromoRule(
    "promo/newsletter",
    "A newsletter or subscription prompt left in the body",
    "sign-up prompt",
    RuleDoc(
        what=(
            "Flags newsletter and subscription prompts: 'Sign up for our morning briefing', 'Subscribe for "
            "unlimited access', 'Get our newsletter', 'Get the latest headlines in your inbox'."
        ),
        why=(
            "A sign-up box copied with the article is an advert for the site it came from; in syndicated or "
            "printed copy it is noise, and it may promote a competitor."
        ),
        example="Bridge repairs will take a month, the county said.\n\nSign up for our morning briefing",
        use_instead="Bridge repairs will take a month, the county said.",
        fix_safety=_FIX_SAFETY.format(what="prompt"),
    ),
)

SHARE = PromoRule(
    "promo/share",
    "A follow or share prompt left in the body",
    "share prompt",
    RuleDoc(
        what=(
            "Flags social prompts: 'Follow us on ...', 'Like us on Facebook', 'Share this article', "
            "'Follow <outlet> on Instagram and YouTube'."
        ),
        why="Share buttons and follow prompts are page furniture; as text in a story they read as debris.",
        example="The ferry resumed service at noon. Follow us on Twitter for updates.",
        use_instead="The ferry resumed service at noon.",
        fix_safety=_FIX_SAFETY.format(what="prompt"),
    ),
)

CLICK_HERE = PromoRule(
    "promo/click-here",
    "A 'click here' instruction left in the body",
    "click-here link",
    RuleDoc(
        what="Flags link instructions such as 'Click here to ...', 'Tap here for ...' or 'To read the full story, click here'.",
        why="There is nothing to click in print, on the wire or in an app's reader view; the line is dead text.",
        example="The inquiry's findings run to 400 pages.\n\nClick here to download the full report",
        use_instead="The inquiry's findings run to 400 pages.",
        fix_safety=_FIX_SAFETY.format(what="instruction"),
    ),
)

WATCH_VIDEO = PromoRule(
    "promo/watch-video",
    "A video, gallery or audio embed label left in the body",
    "media embed label",
    RuleDoc(
        what=(
            "Flags the labels of embedded media: 'Watch:', 'WATCH', 'Video:', 'Gallery:', 'In pictures:', "
            "'Listen:'. Prose that starts with 'Watch' ('Watch officials say ...') is not flagged."
        ),
        why="The embed did not travel with the text, so the label points at nothing and interrupts the story.",
        example="Crowds lined the harbour for the regatta.\n\nWATCH: Tall ships sail into Port Amsel",
        use_instead="Crowds lined the harbour for the regatta.",
        fix_safety=_FIX_SAFETY.format(what="label"),
    ),
)

ADVERT = PromoRule(
    "promo/advert",
    "An advertisement or sponsored-content marker left in the body",
    "advert marker",
    RuleDoc(
        what=(
            "Flags advertising slots and markers: 'Advertisement', 'Sponsored', 'Sponsored content', "
            "'Continue reading below', 'Story continues below advertisement'."
        ),
        why="Ad slots mark where the page showed an advert; left in the copy they break the story in two.",
        example="The mill employs 300 people.\n\nAdvertisement\n\nIts owners plan to expand.",
        use_instead="The mill employs 300 people.\n\nIts owners plan to expand.",
        fix_safety=_FIX_SAFETY.format(what="marker"),
    ),
)

IMAGE_CREDIT = PromoRule(
    "promo/image-credit",
    "An image credit or caption label left in the body",
    "image credit",
    RuleDoc(
        what=(
            "Flags photo credits and caption labels that belong to an image: '(Photo by Ana Ruiz/Agency)', "
            "'Featured image via ...', 'Image: ...', 'Photo credit: ...', 'Image copyright ...'."
        ),
        why=(
            "The picture is not part of the text; its credit in the body reads as an unexplained name, and the "
            "credit line belongs with the image where the desk can check the rights."
        ),
        example="The mayor cut the ribbon on Monday. (Photo by Ana Ruiz/Valdoro Press)",
        use_instead="The mayor cut the ribbon on Monday.",
        fix_safety=_FIX_SAFETY.format(what="credit"),
    ),
)

PROMO_RULES: tuple[PromoRule, ...] = (READ_MORE, NEWSLETTER, SHARE, CLICK_HERE, WATCH_VIDEO, ADVERT, IMAGE_CREDIT)
