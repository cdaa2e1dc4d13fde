"""IPTC NITF and NewsML-G2 XML: headline and body paragraphs, parsed safely, with exact offsets.

The file is first parsed with defusedxml, which refuses entity declarations (billion laughs and other
expansion bombs), external entities and anything malformed. Only then is it walked by a small scanner
that keeps the source offset of every piece of text (ElementTree does not report offsets); after the
safe parse the only references left to decode are the predefined entities and character references.

NITF: ``body.head/hedline/hl1`` is the headline, ``hl2`` sub-heads, and the paragraphs of
``body.content``. NewsML-G2: each ``newsItem``'s ``contentMeta/headline`` and ``description``, and the
NITF, XHTML or plain text inside ``contentSet`` (``inlineXML``/``inlineData``). Other XML, once found
safe, holds no article and is passed over.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from copylint.document import Document, TextPiece
from copylint.errors import InputError
from copylint.formats.pieces import Directive, PieceBuilder, build_document, directives_in

_TOKEN = re.compile(
    r"""<!--(?P<comment>.*?)-->
    |<!\[CDATA\[(?P<cdata>.*?)\]\]>
    |<\?.*?\?>
    |<!DOCTYPE(?:[^\[>]|\[.*?\])*>
    |</(?P<end>[^\s>]+)\s*>
    |<(?P<start>[^\s/>!?]+)(?:[^>"']|"[^"]*"|'[^']*')*?(?P<empty>/?)>""",
    re.VERBOSE | re.DOTALL,
)
_REFERENCE = re.compile(r"&(?:#[0-9]+|#x[0-9a-fA-F]+|amp|lt|gt|quot|apos);")
BLOCK_TAGS = frozenset({"p", "hl1", "hl2", "li", "h1", "h2", "h3", "h4", "h5", "h6", "caption", "media-caption", "dd", "dt"})
SKIP_TAGS = frozenset({"media-reference", "media-metadata", "media-object", "pre", "code", "script", "style", "table", "object"})


def escape_text(text: str) -> str:
    """Escape a replacement for XML character data."""
    return html.escape(text, quote=False)


@dataclass
class Element:
    """An element: its local name and its children (elements, or text as (start, end, is_cdata))."""

    name: str
    start: int
    children: list[Element | tuple[int, int, bool]] = field(default_factory=list)

    def find_all(self, name: str) -> Iterator[Element]:
        """Descendant elements (and self) with this local name, in document order."""
        if self.name == name:
            yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.find_all(name)

    def find(self, name: str) -> Element | None:
        """The first descendant (or self) with this local name."""
        return next(self.find_all(name), None)


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1].lower()


def check_safe(source: str, label: str) -> None:
    """Parse with defusedxml; any entity declaration, external reference or malformation is an InputError."""
    import defusedxml
    from defusedxml import ElementTree

    try:
        ElementTree.fromstring(source, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.EntitiesForbidden:
        raise InputError(f"{label}: XML declares entities; refused (external entities and entity expansion are unsafe)") from None
    except defusedxml.DefusedXmlException as exc:
        raise InputError(f"{label}: XML refused as unsafe: {type(exc).__name__}") from None
    except ElementTree.ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":", 1)[0]
        truncated = "; is the file truncated?" if "no element found" in reason or "unclosed token" in reason else ""
        raise InputError(f"{label}:{line}:{column + 1}: invalid XML: {reason}{truncated}") from None
    except (ValueError, RecursionError) as exc:
        raise InputError(f"{label}: invalid XML: {exc}") from None


def scan(source: str, directives: list[Directive]) -> Element:
    """The element tree of well-formed XML, text kept as source ranges; comments' directives collected."""
    root = Element("#document", 0)
    stack = [root]
    position = 0
    length = len(source)
    while position < length:
        less = source.find("<", position)
        if less == -1:
            less = length
        if less > position:
            stack[-1].children.append((position, less, False))
        if less == length:
            break
        match = _TOKEN.match(source, less)
        if match is None:  # cannot happen after a successful strict parse; stop rather than loop
            break
        if match.group("start"):
            element = Element(_local(match.group("start")), less)
            stack[-1].children.append(element)
            if not match.group("empty"):
                stack.append(element)
        elif match.group("end"):
            if len(stack) > 1:
                stack.pop()
        elif match.group("cdata") is not None:
            stack[-1].children.append((match.start("cdata"), match.end("cdata"), True))
        elif match.group("comment") is not None:
            directives.extend(directives_in(source, match.start(), match.end()))
        position = match.end()
    return root


def _text(builder: PieceBuilder, source: str, start: int, end: int, cdata: bool) -> None:
    if cdata or "&" not in source[start:end]:
        builder.verbatim(start, source[start:end])
        return
    position = start
    for ref in _REFERENCE.finditer(source, start, end):
        builder.verbatim(position, source[position : ref.start()])
        builder.decoded(ref.start(), ref.end(), html.unescape(ref.group()))
        position = ref.end()
    builder.verbatim(position, source[position:end])


def _blocks(element: Element, source: str, role_of: dict[str, str], out: list[TextPiece]) -> None:
    """Pieces for every block element under ``element`` (inline markup is walked through)."""
    builder = PieceBuilder("paragraph")

    def flush() -> None:
        nonlocal builder
        piece = builder.piece(escape_text)
        if piece is not None:
            out.append(piece)
        builder = PieceBuilder("paragraph")

    def walk(node: Element, inside_block: bool) -> None:
        nonlocal builder
        for child in node.children:
            if isinstance(child, tuple):
                if inside_block:
                    _text(builder, source, *child)
                continue
            if child.name in SKIP_TAGS:
                builder.skipped()
            elif child.name in BLOCK_TAGS:
                flush()
                builder.role = role_of.get(child.name, "paragraph")
                walk(child, True)
                flush()
            elif child.name == "br":
                builder.gap("\n")
            else:
                walk(child, inside_block)

    walk(element, element.name in BLOCK_TAGS)
    flush()


def _whole(element: Element, source: str, role: str) -> TextPiece | None:
    builder = PieceBuilder(role)
    for child in element.children:
        if isinstance(child, tuple):
            _text(builder, source, *child)
        elif child.name not in SKIP_TAGS:
            inner = _whole(child, source, role)
            if inner is not None:
                builder.mapped(inner.text, inner.segments)
    return builder.piece(escape_text)


def _plain_lines(element: Element, source: str) -> list[TextPiece]:
    """Plain text (inlineData): one paragraph per non-blank line."""
    pieces = []
    for child in element.children:
        if isinstance(child, tuple):
            start, end, _ = child
            for line in re.finditer(r"[^\r\n]+", source[start:end]):
                builder = PieceBuilder("paragraph")
                _text(builder, source, start + line.start(), start + line.end(), False)
                piece = builder.piece(escape_text)
                if piece is not None:
                    pieces.append(piece)
    return pieces


def _nitf_pieces(nitf: Element, source: str, headline: bool) -> list[TextPiece]:
    pieces: list[TextPiece] = []
    hedline = nitf.find("hedline")
    if hedline is not None:
        _blocks(hedline, source, {"hl1": "headline" if headline else "subhead", "hl2": "subhead"}, pieces)
    content = nitf.find("body.content")
    if content is not None:
        _blocks(content, source, {"hl2": "subhead", "hl1": "subhead"}, pieces)
    return pieces


def _news_item_pieces(item: Element, source: str) -> list[TextPiece]:
    pieces: list[TextPiece] = []
    meta = item.find("contentmeta")
    if meta is not None:
        headline = meta.find("headline")
        if headline is not None:
            piece = _whole(headline, source, "headline")
            if piece is not None:
                pieces.append(piece)
        description = meta.find("description")
        if description is not None:
            piece = _whole(description, source, "paragraph")
            if piece is not None:
                pieces.append(piece)
    has_headline = any(p.role == "headline" for p in pieces)
    content_set = item.find("contentset")
    if content_set is not None:
        for child in content_set.children:
            if not isinstance(child, Element):
                continue
            if child.name == "inlinexml":
                nitf = child.find("nitf")
                if nitf is not None:
                    pieces.extend(_nitf_pieces(nitf, source, headline=not has_headline))
                else:
                    body = child.find("body") or child
                    _blocks(body, source, {"h1": "subhead"}, pieces)
            elif child.name == "inlinedata":
                pieces.extend(_plain_lines(child, source))
    return pieces


def parse(source: str, label: str) -> list[Document]:
    """One document per NITF article or NewsML-G2 news item."""
    check_safe(source, label)
    directives: list[Directive] = []
    root = scan(source, directives)
    groups: list[list[TextPiece]] = []
    items = list(root.find_all("newsitem"))
    if items:
        groups = [_news_item_pieces(item, source) for item in items]
    else:
        groups = [_nitf_pieces(nitf, source, headline=True) for nitf in root.find_all("nitf")]
        if not groups:  # other XML (a build file, a feed index) holds no article: passed over, not an error
            return []
    documents = []
    for pieces in groups:
        if pieces:
            own = directives if len(groups) == 1 else _within(directives, pieces)
            documents.append(build_document(source, pieces, own, label, escape_text))
    if not documents:
        raise InputError(f"{label}: no text to check in this XML")
    return documents


def _within(directives: list[Directive], pieces: list[TextPiece]) -> list[Directive]:
    """The directives that fall inside the stretch of source these pieces come from."""
    starts = [s.source_start for p in pieces for s in p.segments]
    ends = [s.source_end for p in pieces for s in p.segments]
    if not starts:
        return []
    low, high = min(starts), max(ends)
    return [d for d in directives if low - 1 <= d.offset <= high]
