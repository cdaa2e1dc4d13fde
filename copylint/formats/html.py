"""HTML: headline and body paragraphs from the markup, with exact offsets; scripts, styles, code and attributes skipped.

Parsed with the standard library's ``html.parser`` (character references reported separately, so every
piece of text keeps its exact source position). The first ``<h1>`` is the headline (the ``<title>`` if
there is none); other headings are sub-heads; every block element starts a new paragraph.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from html.parser import HTMLParser

from copylint.document import Document, TextPiece
from copylint.errors import InputError
from copylint.formats.pieces import Directive, PieceBuilder, build_document, directives_in

BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption dd details div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hgroup hr html li main ol p section summary table tbody td tfoot th thead tr ul".split()
)
SKIP_TAGS = frozenset(
    "script style noscript template code pre kbd samp var svg math textarea select button iframe object nav aside footer form "
    "table".split()
)
_ARTICLE = re.compile(r"<article[\s>]", re.IGNORECASE)
_REFERENCE = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9.\-]*;?)")


def escape_text(text: str) -> str:
    """Escape a replacement for HTML text content (ampersands and angle brackets)."""
    return html.escape(text, quote=False)


class _Extractor(HTMLParser):
    """Walks the markup and collects (tag, piece) blocks and directive comments."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.blocks: list[tuple[str, PieceBuilder]] = []
        self.directives: list[Directive] = []
        self.builder = PieceBuilder("paragraph")
        self.tag = ""
        self.skip: list[str] = []
        # A page with <article> elements: only their text (and the <title>) is copy; the rest is page furniture.
        self.article_only = _ARTICLE.search(source) is not None
        self.article_depth = 0

    @property
    def _outside(self) -> bool:
        return bool(self.skip) or (self.article_only and not self.article_depth and self.tag != "title")

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def _flush(self, tag: str = "") -> None:
        if not self.builder.empty:
            self.blocks.append((self.tag, self.builder))
        self.builder = PieceBuilder("paragraph")
        self.tag = tag

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIP_TAGS:
            self.skip.append(tag)
            self.builder.skipped()
        elif self.skip:
            return
        elif tag in BLOCK_TAGS or tag == "title":
            self.article_depth += tag == "article"
            self._flush(tag)
        elif tag == "br":
            self.builder.gap("\n")
        elif tag in ("img", "input", "wbr"):
            self.builder.skipped()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip:
            return
        if tag == "br":
            self.builder.gap("\n")
        elif tag in BLOCK_TAGS:
            self._flush()
        else:
            self.builder.skipped()

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            if tag in SKIP_TAGS and tag in self.skip:
                while self.skip and self.skip.pop() != tag:
                    pass
            return
        if tag in BLOCK_TAGS or tag == "title":
            self._flush()
            self.article_depth -= tag == "article" and self.article_depth > 0

    def handle_data(self, data: str) -> None:
        if not self._outside:
            self.builder.verbatim(self._offset(), data)

    def _reference(self) -> None:
        if self._outside:
            return
        start = self._offset()
        match = _REFERENCE.match(self.source, start)
        if match is None:
            return
        raw = match.group()
        decoded = html.unescape(raw)
        if decoded == raw:
            self.builder.verbatim(start, raw)
        else:
            self.builder.decoded(start, match.end(), decoded)

    def handle_entityref(self, name: str) -> None:
        self._reference()

    def handle_charref(self, name: str) -> None:
        self._reference()

    def handle_comment(self, data: str) -> None:
        self.builder.skipped()
        start = self._offset()
        self.directives.extend(directives_in(self.source, start, start + len(data) + 7))


def extract(
    text: str, label: str, *, headline: bool = True, escape: Callable[[str], str] | None = None
) -> tuple[list[TextPiece], list[Directive]]:
    """Pieces (offsets into ``text``) and directive comments; ``headline`` picks one from h1 or title."""
    parser = _Extractor(text)
    parser.feed(text)
    leftover = parser.rawdata
    if re.match(r"<[!/?A-Za-z]", leftover):
        line = text.count("\n", 0, len(text) - len(leftover)) + 1
        raise InputError(f"{label}:{line}: HTML ends inside a tag or comment; is the file truncated?")
    parser.close()
    parser._flush()
    blocks = parser.blocks
    has_h1 = any(tag == "h1" for tag, _ in blocks)
    pieces: list[TextPiece] = []
    headline_taken = not headline
    for tag, builder in blocks:
        if tag == "title" and (has_h1 or headline_taken):
            continue
        if not headline_taken and (tag == "h1" or tag == "title"):
            builder.role = "headline"
            headline_taken = True
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6", "title"):
            builder.role = "subhead"
        piece = builder.piece(escape)
        if piece is not None:
            pieces.append(piece)
    return pieces, parser.directives


def parse(source: str, label: str) -> list[Document]:
    """One document from an HTML page or fragment."""
    pieces, directives = extract(source, label)
    if not pieces:
        raise InputError(f"{label}: no text to check in this HTML")
    return [build_document(source, pieces, directives, label, escape_text)]
