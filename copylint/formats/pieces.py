"""Building blocks shared by the markup adapters: text pieces with source segments, and inline directives."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from copylint.document import BLOCK_SEPARATOR, Document, Segment, Suppression, TextPiece
from copylint.finding import Span

# <!-- copylint-disable RULE ... -->, <!-- copylint-enable [RULE ...] -->, <!-- copylint-accept: Word Word -->
DIRECTIVE = re.compile(r"<!--\s*copylint-(disable|enable|accept)\b:?(.*?)-->", re.DOTALL)
_SPLIT = re.compile(r"[\s,]+")


class PieceBuilder:
    """Collects one block's text from the source: verbatim runs, decoded escapes and made-up separators."""

    __slots__ = ("_length", "_parts", "_segments", "_skipped", "role")

    def __init__(self, role: str) -> None:
        self.role = role
        self._parts: list[str] = []
        self._segments: list[Segment] = []
        self._length = 0
        self._skipped = False

    def skipped(self) -> None:
        """Note that something not checked (an image, inline code, a comment) was left out here.

        Spaces on both sides of it would otherwise meet as a false double space, so the next text's
        leading whitespace is dropped when the text so far already ends in whitespace.
        """
        self._skipped = True

    def verbatim(self, source_start: int, text: str) -> None:
        """Append ``text``, which is exactly the source from ``source_start`` on."""
        if self._skipped:
            self._skipped = False
            if text[:1].isspace() and (not self._parts or self._parts[-1][-1:].isspace()):
                trimmed = text.lstrip()
                source_start += len(text) - len(trimmed)
                text = trimmed
        if not text:
            return
        end = self._length + len(text)
        last = self._segments[-1] if self._segments else None
        if (
            last is not None
            and last.text_end == self._length
            and last.source_end == source_start
            and last.text_end - last.text_start == last.source_end - last.source_start
        ):
            self._segments[-1] = Segment(last.text_start, end, last.source_start, source_start + len(text))
        else:
            self._segments.append(Segment(self._length, end, source_start, source_start + len(text)))
        self._parts.append(text)
        self._length = end

    def decoded(self, source_start: int, source_end: int, text: str) -> None:
        """Append ``text`` decoded from the source range as a whole (an entity or escape)."""
        self._skipped = False
        if not text:
            return
        self._segments.append(Segment(self._length, self._length + len(text), source_start, source_end))
        self._parts.append(text)
        self._length += len(text)

    def mapped(self, text: str, segments: Sequence[Segment]) -> None:
        """Append ``text`` whose own segments (relative to it) are given."""
        base = self._length
        for seg in segments:
            if seg.text_end - seg.text_start == seg.source_end - seg.source_start:
                self.verbatim_segment(base + seg.text_start, base + seg.text_end, seg.source_start)
            else:
                self._segments.append(Segment(base + seg.text_start, base + seg.text_end, seg.source_start, seg.source_end))
        self._parts.append(text)
        self._length += len(text)

    def verbatim_segment(self, text_start: int, text_end: int, source_start: int) -> None:
        """Record an equal-length mapping, merged with the previous one when both sides continue it."""
        last = self._segments[-1] if self._segments else None
        if (
            last is not None
            and last.text_end == text_start
            and last.source_end == source_start
            and last.text_end - last.text_start == last.source_end - last.source_start
        ):
            self._segments[-1] = Segment(last.text_start, text_end, last.source_start, source_start + text_end - text_start)
        else:
            self._segments.append(Segment(text_start, text_end, source_start, source_start + text_end - text_start))

    def gap(self, text: str) -> None:
        """Append text that has no source of its own (a line break standing for a tag); never fixable."""
        self._parts.append(text)
        self._length += len(text)

    @property
    def empty(self) -> bool:
        """True if nothing but whitespace was collected."""
        return not "".join(self._parts).strip()

    def piece(self, escape: Callable[[str], str] | None = None) -> TextPiece | None:
        """The collected text trimmed of surrounding whitespace, or None if there is none."""
        text = "".join(self._parts)
        stripped = text.strip()
        if not stripped:
            return None
        lead = len(text) - len(text.lstrip())
        end = lead + len(stripped)
        segments = []
        for seg in self._segments:
            if seg.text_end <= lead or seg.text_start >= end:
                continue
            if seg.text_start >= lead and seg.text_end <= end:
                segments.append(Segment(seg.text_start - lead, seg.text_end - lead, seg.source_start, seg.source_end))
            elif seg.text_end - seg.text_start == seg.source_end - seg.source_start:
                lo, hi = max(seg.text_start, lead), min(seg.text_end, end)
                source = seg.source_start + lo - seg.text_start
                segments.append(Segment(lo - lead, hi - lead, source, source + hi - lo))
        return TextPiece(self.role, stripped, tuple(segments), escape)


def shift(segments: Sequence[Segment], text_delta: int, source_delta: int) -> list[Segment]:
    """Segments moved by the given amounts on each side."""
    return [
        Segment(s.text_start + text_delta, s.text_end + text_delta, s.source_start + source_delta, s.source_end + source_delta)
        for s in segments
    ]


class OffsetMap:
    """A monotonic map from offsets of a decoded string to offsets of the source it was decoded from."""

    __slots__ = ("_starts", "segments")

    def __init__(self, segments: Sequence[Segment]) -> None:
        self.segments = tuple(segments)
        self._starts = [s.text_start for s in self.segments]

    def offset(self, position: int, at_end: bool = False) -> int:
        """Source offset of ``position``; inside an escape, its start (or its end with ``at_end``)."""
        i = max(bisect_right(self._starts, position) - 1, 0)
        seg = self.segments[i]
        if at_end and position == seg.text_start and i > 0 and self.segments[i - 1].text_end == position:
            seg = self.segments[i - 1]
        if position >= seg.text_end:
            return seg.source_end
        if seg.text_end - seg.text_start == seg.source_end - seg.source_start:
            return seg.source_start + position - seg.text_start
        return seg.source_end if at_end and position > seg.text_start else seg.source_start

    def compose(self, inner: Sequence[Segment]) -> list[Segment]:
        """Segments of ``inner`` (text -> decoded string) carried through to the source."""
        if len(self.segments) == 1:
            only = self.segments[0]
            if only.text_end - only.text_start == only.source_end - only.source_start:
                return shift(inner, 0, only.source_start - only.text_start)
        result: list[Segment] = []
        for seg in inner:
            if seg.text_end - seg.text_start != seg.source_end - seg.source_start:
                start = self.offset(seg.source_start)
                result.append(Segment(seg.text_start, seg.text_end, start, max(start, self.offset(seg.source_end, True))))
                continue
            i = max(bisect_right(self._starts, seg.source_start) - 1, 0)
            while i < len(self.segments) and self.segments[i].text_start < seg.source_end:
                outer = self.segments[i]
                i += 1
                lo, hi = max(outer.text_start, seg.source_start), min(outer.text_end, seg.source_end)
                if lo >= hi:
                    continue
                t_lo = seg.text_start + lo - seg.source_start
                t_hi = t_lo + hi - lo
                if outer.text_end - outer.text_start == outer.source_end - outer.source_start:
                    s_lo = outer.source_start + lo - outer.text_start
                    result.append(Segment(t_lo, t_hi, s_lo, s_lo + hi - lo))
                else:
                    result.append(Segment(t_lo, t_hi, outer.source_start, outer.source_end))
        return result


@dataclass(frozen=True, slots=True)
class Directive:
    """An inline ``copylint-...`` comment at a source offset."""

    offset: int
    kind: str  # "disable", "enable" or "accept"
    args: tuple[str, ...]


def directives_in(source: str, start: int = 0, end: int | None = None) -> list[Directive]:
    """Every copylint directive comment in ``source[start:end]``."""
    stop = len(source) if end is None else end
    if "copylint-" not in source[start:stop]:
        return []
    return [
        Directive(m.start(), m.group(1), tuple(a for a in _SPLIT.split(m.group(2).strip()) if a))
        for m in DIRECTIVE.finditer(source, start, stop)
    ]


def _text_offset(pieces: Sequence[TextPiece], source_offset: int) -> int:
    """Offset in the joined document text of the first text that comes from at or after ``source_offset``."""
    offset = 0
    for n, piece in enumerate(pieces):
        if n:
            offset += len(BLOCK_SEPARATOR)
        for seg in piece.segments:
            if seg.source_end > source_offset:
                if seg.source_start >= source_offset:
                    return offset + seg.text_start
                if seg.text_end - seg.text_start == seg.source_end - seg.source_start:
                    return offset + seg.text_start + source_offset - seg.source_start
                return offset + seg.text_end
        offset += len(piece.text)
    return offset


def resolve_directives(
    pieces: Sequence[TextPiece], directives: Sequence[Directive]
) -> tuple[tuple[Suppression, ...], frozenset[str]]:
    """Suppressions (disable ... enable regions) and accepted words from a document's directives."""
    if not directives:
        return (), frozenset()
    total = sum(len(p.text) for p in pieces) + len(BLOCK_SEPARATOR) * max(len(pieces) - 1, 0)
    suppressions: list[Suppression] = []
    accepted: set[str] = set()
    open_regions: dict[tuple[str, ...], int] = {}
    for directive in sorted(directives, key=lambda d: d.offset):
        if directive.kind == "accept":
            accepted.update(directive.args)
            continue
        at = _text_offset(pieces, directive.offset)
        if directive.kind == "disable":
            open_regions.setdefault(directive.args, at)
            continue
        for selectors in [k for k in open_regions if not directive.args or set(k) & set(directive.args)]:
            suppressions.append(Suppression(Span(open_regions.pop(selectors), at), selectors))
    for selectors, at in open_regions.items():
        suppressions.append(Suppression(Span(at, total + 1), selectors))
    return tuple(s for s in suppressions if s.span.end > s.span.start), frozenset(accepted)


def build_document(
    source: str,
    pieces: Sequence[TextPiece],
    directives: Sequence[Directive],
    label: str,
    escape: Callable[[str], str] | None = None,
    quiet: Sequence[tuple[int, int]] = (),
) -> Document:
    """A Document from adapter pieces, with suppressions from the directives and ``quiet`` source ranges."""
    suppressions, accepted = resolve_directives(pieces, directives)
    if quiet:
        spans = (Span(_text_offset(pieces, start), _text_offset(pieces, end)) for start, end in quiet)
        suppressions += tuple(Suppression(span) for span in spans if span.end > span.start)
    if escape is None:
        return Document.from_pieces(source, pieces, label=label, suppressions=suppressions, accepted_words=accepted)
    return Document.from_pieces(source, pieces, escape=escape, label=label, suppressions=suppressions, accepted_words=accepted)
