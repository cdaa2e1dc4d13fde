"""Markdown stories: headings and paragraphs via markdown-it-py, with exact offsets back into the file.

Front matter (``---`` YAML or ``+++`` TOML at the top) is skipped, and so are code blocks, inline code,
tables, HTML blocks and comments, and link and image destinations; link text and image alt text are
checked. The first level-1 heading is the headline; other headings are sub-heads.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from copylint.document import Document, TextPiece
from copylint.errors import InputError
from copylint.formats.pieces import Directive, PieceBuilder, build_document, directives_in

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_NEWLINE = re.compile(r"\r\n|\r|\n")
_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?(---|\+\+\+)[ \t]*\r?\n.*?^\1[ \t]*(?:\r?\n|\Z)", re.DOTALL | re.MULTILINE)
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_SOFT_BREAK = re.compile(r"[ \t]?(?:\r\n|\r|\n)[ \t]*(?![ \t>])")


@cache
def _parser() -> MarkdownIt:
    """CommonMark with tables and strikethrough; text_join off so escapes and entities stay separate tokens."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).disable("text_join")


def _front_matter_end(source: str) -> int:
    match = _FRONT_MATTER.match(source)
    return match.end() if match else 0


def _skip_brackets(source: str, position: int, limit: int, opening: str, closing: str) -> int:
    """Position just past the bracket that closes the one at ``position`` (escapes and nesting honoured)."""
    depth = 0
    i = position
    while i < limit:
        char = source[i]
        if char == "\\":
            i += 2
            continue
        if char == opening:
            depth += 1
        elif char == closing:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return limit


class _Inline:
    """Walks one block's inline tokens, finding each in the source from a moving cursor."""

    def __init__(self, source: str, start: int, limit: int, builder: PieceBuilder) -> None:
        self.source = source
        self.cursor = start
        self.limit = limit
        self.builder = builder
        self.directives: list[Directive] = []
        self.quiet: list[tuple[int, int]] = []
        self._quiet_start = -1

    def _find(self, text: str) -> int:
        return self.source.find(text, self.cursor, self.limit) if text else -1

    def _after_destination(self) -> None:
        """Move past a link's or image's ``](destination)`` or ``][reference]`` (or a bare ``]``)."""
        close = self._find("]")
        if close < 0:
            return
        following = close + 1
        if following < self.limit and self.source[following] == "(":
            self.cursor = _skip_brackets(self.source, following, self.limit, "(", ")")
        elif following < self.limit and self.source[following] == "[":
            self.cursor = _skip_brackets(self.source, following, self.limit, "[", "]")
        else:
            self.cursor = following

    def walk(self, tokens: Sequence[Token]) -> None:
        for token in tokens:
            kind = token.type
            if kind == "text":
                position = self._find(token.content)
                if position < 0:
                    self.builder.gap(token.content)
                else:
                    self.builder.verbatim(position, token.content)
                    self.cursor = position + len(token.content)
            elif kind == "text_special":
                position = self._find(token.markup)
                if position >= 0:
                    self.builder.decoded(position, position + len(token.markup), token.content)
                    self.cursor = position + len(token.markup)
            elif kind == "softbreak" and (plain := _SOFT_BREAK.match(self.source, self.cursor, self.limit)):
                # A plain line break (no quote marker or list indent to step over) is kept as it is, so that
                # a fix may span it, e.g. a word doubled across a hard-wrapped line.
                self.builder.verbatim(self.cursor, plain.group())
                self.cursor = plain.end()
            elif kind in ("softbreak", "hardbreak"):
                newline = _NEWLINE.search(self.source, self.cursor, self.limit)
                if newline is not None:
                    self.cursor = newline.end()
                self.builder.gap("\n")
            elif kind == "code_inline":
                self._code(token)
            elif kind == "link_open":
                if token.markup in ("autolink", "linkify"):
                    self._quiet_start = self.cursor
            elif kind == "link_close":
                if self._quiet_start >= 0:
                    end = self._find(">")
                    self.cursor = end + 1 if end >= 0 and token.markup == "autolink" else self.cursor
                    self.quiet.append((self._quiet_start, self.cursor))
                    self._quiet_start = -1
                else:
                    self._after_destination()
            elif kind == "image":
                position = self._find("![")
                if position >= 0:
                    self.cursor = position + 2
                self.walk(token.children or ())
                self._after_destination()
            elif kind == "html_inline":
                position = self._find(token.content)
                if position >= 0:
                    self.directives.extend(directives_in(self.source, position, position + len(token.content)))
                    self.cursor = position + len(token.content)
                if _BR.fullmatch(token.content.strip()):
                    self.builder.gap("\n")
                else:
                    self.builder.skipped()

    def _code(self, token: Token) -> None:
        """Inline code: its text stays (so spacing reads right) but nothing inside it is reported or fixed."""
        opening = self._find(token.markup)
        if opening < 0:
            return
        fence = re.compile(rf"(?<!`){re.escape(token.markup)}(?!`)")
        closing = fence.search(self.source, opening + len(token.markup), self.limit)
        end = closing.end() if closing else opening + len(token.markup)
        self.builder.verbatim(opening, self.source[opening:end])
        self.quiet.append((opening, end))
        self.cursor = end


def _line_starts(source: str) -> list[int]:
    return [0] + [m.end() for m in _NEWLINE.finditer(source)]


def parse(source: str, label: str) -> list[Document]:
    """One document per Markdown file."""
    body_start = _front_matter_end(source)
    starts = _line_starts(source)
    masked = "\n" * len([s for s in starts[1:] if s <= body_start]) + source[body_start:]
    try:
        tokens = _parser().parse(masked)
    except RecursionError:
        raise InputError(f"{label}: Markdown nested too deeply") from None
    pieces: list[TextPiece] = []
    directives: list[Directive] = []
    quiet: list[tuple[int, int]] = []
    role = "paragraph"
    headline_seen = False
    table_depth = 0

    def line_offset(line: int) -> int:
        return starts[line] if line < len(starts) else len(source)

    for token in tokens:
        kind = token.type
        if kind == "table_open":
            table_depth += 1
        elif kind == "table_close":
            table_depth -= 1
        elif kind == "heading_open":
            role = "headline" if token.tag == "h1" and not headline_seen else "subhead"
            headline_seen |= role == "headline"
        elif kind == "html_block" and token.map:
            directives.extend(directives_in(source, line_offset(token.map[0]), line_offset(token.map[1])))
        elif kind == "inline" and token.map and not table_depth:
            builder = PieceBuilder(role)
            walker = _Inline(source, line_offset(token.map[0]), line_offset(token.map[1]), builder)
            walker.walk(token.children or ())
            directives.extend(walker.directives)
            quiet.extend(walker.quiet)
            piece = builder.piece()
            if piece is not None:
                pieces.append(piece)
            role = "paragraph"
        elif kind == "heading_close":
            role = "paragraph"
    if not pieces:
        raise InputError(f"{label}: no text to check in this Markdown file")
    return [build_document(source, pieces, directives, label, quiet=quiet)]
