"""The document model: an article's text, its blocks (headline, paragraphs), sentences and tokens.

Rules see ``Document.text`` and report spans into it. A format adapter builds the text from blocks it
extracted from a source file; ``SourceMap`` takes spans back to code-point offsets of that file, and
``LineIndex`` turns those into 1-based lines and columns when output is written.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from itertools import accumulate, repeat
from operator import itemgetter
from typing import Any, NamedTuple, TypeVar

from copylint.finding import Span

BLOCK_SEPARATOR = "\n\n"
T = TypeVar("T")


class TokenKind(Enum):
    """What a token is, so that rules can skip what is not prose (URLs, handles, numbers)."""

    WORD = "word"
    NUMBER = "number"
    URL = "url"
    EMAIL = "email"
    HANDLE = "handle"
    PUNCT = "punct"


# The stdlib ``re`` is about twice as fast as ``regex`` here; [^\W\d_] is "a letter" in Unicode.
TOKEN_PATTERN = re.compile(
    r"""
    (?P<url>(?:https?://|www\.)[^\s<>"“”]*[^\s<>"“”.,;:!?)\]'’])
    |(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)
    |(?P<handle>[#@]\w+)
    |(?P<number>\d(?:[\d,.:/]*\d)?\w*)
    |(?P<word>[^\W\d_]\w*(?:['’][^\W\d_]+)*)
    |(?P<punct>[^\s\w]|_)
    """,
    re.VERBOSE,
)
_KIND_BY_GROUP = {kind.value: kind for kind in TokenKind}
# TOKEN_PATTERN less what needs "@", "://" or "www." (absent from nearly every block), as one group: re.split
# then yields gaps and tokens without a match object each, and the kind follows from the first character.
_PLAIN_TOKEN = re.compile(r"([^\W\d_]\w*(?:['’][^\W\d_]+)*|\d(?:[\d,.:/]*\d)?\w*|#\w+|[^\s\w]|_)")
# The kind of a plain token by its first character ("#" and rare characters are left to _plain_kind).
_FIRST_KIND: dict[str, TokenKind] = {}


def _plain_kind(token: str) -> TokenKind:
    """The kind _PLAIN_TOKEN gives ``token``: [^\\W\\d_] is str.isalnum less decimals, as in the re module."""
    first = token[0]
    if first.isdecimal():
        return TokenKind.NUMBER
    if first.isalnum():
        return TokenKind.WORD
    return TokenKind.HANDLE if first == "#" and len(token) > 1 else TokenKind.PUNCT


for _code in (*range(0x21, 0x250), *range(0x2010, 0x2070)):  # Latin letters and the punctuation of news copy
    if chr(_code) != "#" and not chr(_code).isspace():
        _FIRST_KIND[chr(_code)] = _plain_kind(chr(_code))
_first_character = itemgetter(0)

# A sentence ends at . ! ? (or an ellipsis), optional closing quotes/brackets, then space and (checked
# in code) a capital or digit, possibly after an opening quote. Opening with a single character class lets
# the re module skip to the next stop at C speed ("[.!?…]+" would be tried at every position).
_SENTENCE_END = re.compile(r"([.!?…][.!?…]*[\"”’')\]]*)\s+(?=[\"“‘(\[]?(\w))")
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "gov",
        "sen",
        "rep",
        "rev",
        "jr",
        "sr",
        "inc",
        "ltd",
        "co",
        "corp",
        "no",
        "vs",
        "etc",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mt",
        "ft",
        "approx",
        "dept",
        "est",
        "fig",
        "maj",
        "adm",
        "cmdr",
        "supt",
        "insp",
        "det",
        "pres",
    ]
)
# Letters and dots, matched backwards from a stop in the reversed text (a forward search for the run
# ending at the stop tried every start before it).
_LETTERS_AND_DOTS = re.compile(r"(?:[^\W\d_]|\.)+")


class Token(NamedTuple):
    """A word, number, URL, handle or punctuation mark, at [start, end) of the document text.

    A named tuple rather than a dataclass: articles have thousands of tokens and this is the hot path.
    """

    text: str
    start: int
    end: int
    kind: TokenKind

    @property
    def span(self) -> Span:
        """The token's span in the document text."""
        return Span(self.start, self.end)


class Block:
    """A headline or paragraph: a span of the document text, with sentences and tokens on demand."""

    def __init__(self, document_text: str, span: Span, role: str, index: int) -> None:
        self.span = span
        self.role = role
        self.index = index
        self.text = document_text[span.start : span.end]
        # plain attributes, not properties: rules read them for every number and name
        self.start = span.start  # offset of the block's first code point in the document text
        self.is_headline = role == "headline"  # the article's headline
        self._tokens: tuple[Token, ...] | None = None
        self._sentences: tuple[Span, ...] | None = None

    def __repr__(self) -> str:
        return f"Block({self.role!r}, {self.span.start}..{self.span.end}, {self.text[:30]!r})"

    @property
    def tokens(self) -> tuple[Token, ...]:
        """Tokens in order, computed once."""
        if self._tokens is None:
            self._tokens = tokenize(self.text, self.span.start)
        return self._tokens

    @property
    def words(self) -> tuple[Token, ...]:
        """Only the word tokens."""
        return tuple(t for t in self.tokens if t.kind is TokenKind.WORD)

    @property
    def sentences(self) -> tuple[Span, ...]:
        """Sentence spans (absolute), split at sentence-final punctuation but not after abbreviations."""
        if self._sentences is None:
            self._sentences = tuple(Span(self.span.start + s, self.span.start + e) for s, e in split_sentences(self.text))
        return self._sentences


def tokenize(text: str, base: int = 0) -> tuple[Token, ...]:
    """The tokens of ``text`` (TOKEN_PATTERN's matches), with offsets counted from ``base``.

    Every loop runs in C (map, zip, accumulate): this is the hot path of every rule that reads tokens.
    """
    make = tuple.__new__  # skips NamedTuple's Python-level __new__
    if "@" in text or "://" in text or "www." in text:
        kinds = _KIND_BY_GROUP
        return tuple(
            make(Token, (m.group(), base + m.start(), base + m.end(), kinds[m.lastgroup or "punct"]))
            for m in TOKEN_PATTERN.finditer(text)
        )
    parts = _PLAIN_TOKEN.split(text)  # whitespace, token, whitespace, ..., token, whitespace
    words = parts[1::2]
    offsets = list(accumulate(map(len, parts), initial=base))
    found = list(map(_FIRST_KIND.get, map(_first_character, words)))
    if None in found:
        found = [kind or _plain_kind(word) for kind, word in zip(found, words, strict=True)]
    return tuple(map(make, repeat(Token), zip(words, offsets[1:-1:2], offsets[2::2], found, strict=True)))


def _word_before(text: str, backwards: str, end: int) -> str:
    """What ``re.search(r"((?:[^\\W\\d_]|\\.)+)$", text, max(0, end - 64), end)`` finds ("" for nothing).

    ``backwards`` is ``text[::-1]``. "$" also matches before a newline that ends the searched text.
    """
    low = max(0, end - 64)
    if end > low and text[end - 1] == "\n":
        end -= 1
    if end <= low:
        return ""
    run = _LETTERS_AND_DOTS.match(backwards, len(text) - end)
    if run is None:
        return ""
    return text[max(low, end - (run.end() - run.start())) : end]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into (start, end) pairs of sentences, with surrounding whitespace trimmed."""
    bounds: list[tuple[int, int]] = []
    start = 0
    backwards = ""
    for m in _SENTENCE_END.finditer(text):
        following = m.group(2)
        if not (following.isupper() or following.isdigit()):
            continue
        stop = m.start()
        if text[stop] == ".":
            # the word before the stop ends there: an abbreviation or an initial does not end a sentence
            if not backwards:
                backwards = text[::-1]
            word = _word_before(text, backwards, stop).rstrip(".")
            last = word.rsplit(".", 1)[-1]
            if last.lower() in _ABBREVIATIONS or (len(last) == 1 and last.isupper()):
                continue
        bounds.append((start, m.end(1)))  # the stop and any closing quotes or brackets, not the space
        start = m.end()
    if start < len(text):
        bounds.append((start, len(text.rstrip())))
    trimmed = []
    for s, e in bounds:
        while s < e and text[s].isspace():
            s += 1
        if s < e:
            trimmed.append((s, e))
    return trimmed


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of document text [text_start, text_end) that came from source [source_start, source_end).

    When the lengths differ (an entity such as ``&amp;``) the piece maps as a whole.
    """

    text_start: int
    text_end: int
    source_start: int
    source_end: int


class SourceMap:
    """Maps offsets in a document's text back to offsets in its source file."""

    def __init__(self, segments: Sequence[Segment]) -> None:
        self.segments = tuple(sorted(segments, key=lambda s: s.text_start))
        self._starts = [s.text_start for s in self.segments]

    def offset(self, position: int, *, at_end: bool = False) -> int:
        """Source offset of a document-text offset; ``at_end`` picks the right side of an atomic piece."""
        if not self.segments:
            return position
        i = bisect.bisect_right(self._starts, position) - 1
        if i < 0:
            return self.segments[0].source_start
        seg = self.segments[i]
        if at_end and position == seg.text_start and i > 0:
            prev = self.segments[i - 1]
            if prev.text_end == position:
                seg = prev
        if position >= seg.text_end:
            return seg.source_end
        if seg.text_end - seg.text_start == seg.source_end - seg.source_start:
            return seg.source_start + (position - seg.text_start)
        if position == seg.text_start:
            return seg.source_start
        return seg.source_end if at_end else seg.source_start

    def span(self, span: Span) -> Span:
        """Source span of a document-text span."""
        start = self.offset(span.start)
        end = self.offset(span.end, at_end=True)
        return Span(start, max(start, end))

    def exact(self, span: Span) -> bool:
        """True if ``span`` covers source text verbatim (or whole escapes) from one unbroken stretch of the source.

        A fix may only be applied where this holds: elsewhere the span would reach over markup the adapter left
        out of the text (a tag between two words), over a separator it made up, or into part of an entity.
        """
        segments = self.segments
        if not segments:
            return True
        start, end = span.start, span.end
        i = bisect.bisect_right(self._starts, start) - 1
        if start == end:
            for seg in segments[max(i - 1, 0) : i + 1]:
                if seg.text_start <= start <= seg.text_end:
                    atomic = seg.text_end - seg.text_start != seg.source_end - seg.source_start
                    if not atomic or start in (seg.text_start, seg.text_end):
                        return True
            return False
        if i < 0:
            return False
        position, source_end = start, -1
        while position < end:
            if i >= len(segments) or segments[i].text_start > position:
                return False
            seg = segments[i]
            i += 1
            if seg.text_end <= position:
                continue
            stop = min(end, seg.text_end)
            if seg.text_end - seg.text_start != seg.source_end - seg.source_start:
                if position != seg.text_start or stop != seg.text_end:
                    return False
                begin, finish = seg.source_start, seg.source_end
            else:
                begin = seg.source_start + position - seg.text_start
                finish = begin + stop - position
            if source_end != -1 and begin != source_end:
                return False
            position, source_end = stop, finish
        return True


@dataclass(frozen=True, slots=True)
class TextPiece:
    """What a format adapter supplies: one block's text and where its parts came from in the source."""

    role: str
    text: str
    segments: tuple[Segment, ...]  # text offsets relative to this piece
    escape: Callable[[str], str] | None = None  # how replacements are escaped here, if not as the whole document


@dataclass(frozen=True, slots=True)
class Suppression:
    """Findings of the selected rules (ids or categories; empty = all) starting inside ``span`` are dropped."""

    span: Span
    selectors: tuple[str, ...] = ()

    def covers(self, rule_id: str, offset: int) -> bool:
        """True if a finding of ``rule_id`` at ``offset`` is suppressed."""
        if not self.span.start <= offset < self.span.end:
            return False
        return not self.selectors or any(s in (rule_id, rule_id.split("/", 1)[0]) for s in self.selectors)


def _no_escape(text: str) -> str:
    return text


class Document:
    """One article: the text rules read, its blocks, and how to get back to the source file."""

    def __init__(
        self,
        text: str,
        blocks: Sequence[tuple[Span, str]],
        *,
        source: str | None = None,
        source_map: SourceMap | None = None,
        escape: Callable[[str], str] = _no_escape,
        label: str = "",
        accepted_words: frozenset[str] = frozenset(),
        suppressions: tuple[Suppression, ...] = (),
    ) -> None:
        self.text = text
        self.accepted_words = accepted_words  # words accepted inline in the source (e.g. a Markdown comment)
        self.suppressions = suppressions  # spans (of text) where some rules are switched off
        self._derived: dict[str, Any] = {}
        self.source = text if source is None else source
        self.source_map = source_map
        self.escape = escape
        self.label = label
        self.block_escapes: tuple[tuple[Span, Callable[[str], str]], ...] = ()  # per-block escaping (see escape_at)
        self.blocks = tuple(Block(text, span, role, i) for i, (span, role) in enumerate(blocks))

    @classmethod
    def from_pieces(
        cls,
        source: str,
        pieces: Sequence[TextPiece],
        *,
        escape: Callable[[str], str] = _no_escape,
        label: str = "",
        accepted_words: frozenset[str] = frozenset(),
        suppressions: tuple[Suppression, ...] = (),
    ) -> Document:
        """Join adapter pieces into one text (blocks separated by a blank line) with a source map."""
        parts: list[str] = []
        blocks: list[tuple[Span, str]] = []
        segments: list[Segment] = []
        escapes: list[tuple[Span, Callable[[str], str]]] = []
        offset = 0
        for piece in pieces:
            if parts:
                parts.append(BLOCK_SEPARATOR)
                offset += len(BLOCK_SEPARATOR)
            parts.append(piece.text)
            blocks.append((Span(offset, offset + len(piece.text)), piece.role))
            segments.extend(
                Segment(offset + s.text_start, offset + s.text_end, s.source_start, s.source_end) for s in piece.segments
            )
            if piece.escape is not None:
                escapes.append((blocks[-1][0], piece.escape))
            offset += len(piece.text)
        document = cls(
            "".join(parts),
            blocks,
            source=source,
            source_map=SourceMap(segments),
            escape=escape,
            label=label,
            accepted_words=accepted_words,
            suppressions=suppressions,
        )
        document.block_escapes = tuple(escapes)
        return document

    def escape_at(self, offset: int) -> Callable[[str], str]:
        """How to escape a replacement at ``offset``: its block's own escaping if the adapter set one, else the document's."""
        for span, escape in self.block_escapes:
            if span.start <= offset <= span.end:
                return escape
        return self.escape

    def derived(self, key: str, compute: Callable[[Document], T]) -> T:
        """``compute(self)``, worked out once per document and shared by every rule that asks with ``key``.

        Rule families that analyse the whole article (quantities, name mentions) use this so that five rules
        of one family extract once, not five times.
        """
        if key not in self._derived:
            self._derived[key] = compute(self)
        value: T = self._derived[key]
        return value

    @property
    def headline(self) -> Block | None:
        """The headline block, if the article has one."""
        return next((b for b in self.blocks if b.is_headline), None)

    @property
    def paragraphs(self) -> tuple[Block, ...]:
        """Body blocks (everything but the headline)."""
        return tuple(b for b in self.blocks if not b.is_headline)

    def tokens(self) -> Iterator[Token]:
        """All tokens of all blocks, in order."""
        for block in self.blocks:
            yield from block.tokens

    def block_at(self, offset: int) -> Block | None:
        """The block containing ``offset``."""
        for block in self.blocks:
            if block.span.start <= offset <= block.span.end:
                return block
        return None

    def sentence_at(self, offset: int) -> Span | None:
        """The sentence containing ``offset``."""
        block = self.block_at(offset)
        if block is None:
            return None
        for sentence in block.sentences:
            if sentence.start <= offset <= sentence.end:
                return sentence
        return block.span

    def to_source(self, span: Span) -> Span:
        """Map a span of ``text`` to a span of ``source``."""
        return span if self.source_map is None else self.source_map.span(span)


class LineIndex:
    """Turns code-point offsets of a text into 1-based (line, column); \\n, \\r\\n and \\r end lines."""

    _NEWLINE = re.compile(r"\r\n|\r|\n")

    def __init__(self, text: str) -> None:
        self.line_starts = [0] + [m.end() for m in self._NEWLINE.finditer(text)]

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column), both 1-based, columns counted in code points."""
        line = bisect.bisect_right(self.line_starts, offset) - 1
        return line + 1, offset - self.line_starts[line] + 1
