"""JSON and JSONL CMS exports: IPTC ninjs 1.x, 2.x and 3.x, or any JSON through ``--field`` paths.

ninjs 1.x: ``headline``, ``description_text``/``description_html``, ``body_text``/``body_html``.
ninjs 2.x/3.x: ``headlines[]``, ``descriptions[]`` and ``bodies[]``, each with a role and a content type.
A top-level array (or an ``items``/``articles``/``data`` array) holds one article per element; JSONL holds
one article per line. A JSON file with no article fields (package.json, settings) holds no copy and is
passed over (with ``--field`` it is an error). String values keep exact offsets, so findings point at the file and fixes are
written back JSON-escaped (and HTML-escaped inside HTML bodies).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from copylint.document import Document, Segment, TextPiece
from copylint.errors import InputError, UsageError
from copylint.formats import html as html_format
from copylint.formats.jsonscan import JStr, escape_json, loads
from copylint.formats.pieces import Directive, build_document

_LOOKS_LIKE_HTML = re.compile(r"<(?:p|br|div|h[1-6]|ul|ol|li|em|strong|a|span|b|i|blockquote|figure)\b[^>]*>", re.IGNORECASE)
_LINE = re.compile(r"[^\r\n]+")
_ARRAY_KEYS = ("items", "articles", "data", "stories", "results")
_FIELD = re.compile(r"^(?:(?P<role>headline|body|paragraph)=)?(?P<path>[^:]+?)(?::(?P<kind>html|text))?$")


def _escape_html_in_json(text: str) -> str:
    return escape_json(html_format.escape_text(text))


@dataclass(frozen=True)
class FieldPath:
    """A ``--field`` path: dotted keys (``*`` for every element), an optional role and content kind."""

    keys: tuple[str, ...]
    role: str  # "headline" or "paragraph"
    kind: str | None  # "html", "text" or None to detect

    @classmethod
    def parse(cls, spec: str, first: bool) -> FieldPath:
        """Read ``[headline=|body=]path.to.field[:html|:text]``; the first field is the headline unless told."""
        match = _FIELD.match(spec.strip())
        if match is None or not all(match.group("path").split(".")):
            raise UsageError(f"--field {spec!r}: expected a dotted path such as body or content.paragraphs.*")
        role = match.group("role") or ("headline" if first else "paragraph")
        return cls(tuple(match.group("path").split(".")), "headline" if role == "headline" else "paragraph", match.group("kind"))

    def values(self, record: Any) -> Iterator[JStr]:
        """Every string this path reaches in ``record``."""
        current: list[Any] = [record]
        for key in self.keys:
            following: list[Any] = []
            for node in current:
                if key == "*":
                    following.extend(node.values() if isinstance(node, dict) else node if isinstance(node, list) else ())
                elif isinstance(node, dict) and key in node:
                    following.append(node[key])
                elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
                    following.append(node[int(key)])
            current = following
        for node in current:
            if isinstance(node, JStr):
                yield node
            elif isinstance(node, list):
                yield from (item for item in node if isinstance(item, JStr))


def parse_fields(specs: Sequence[str]) -> tuple[FieldPath, ...]:
    """Field paths from the command line, in order."""
    return tuple(FieldPath.parse(spec, i == 0) for i, spec in enumerate(specs))


class _Article:
    """Collects the pieces and directives of one article."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.pieces: list[TextPiece] = []
        self.directives: list[Directive] = []

    def text(self, value: JStr, role: str, whole: bool = False) -> None:
        """Plain text: the whole value (a headline), or one paragraph per line."""
        mapping = value.offset_map(self.source)
        spans = [(0, len(value.value))] if whole else [(m.start(), m.end()) for m in _LINE.finditer(value.value)]
        for start, end in spans:
            chunk = value.value[start:end]
            stripped = chunk.strip()
            if not stripped:
                continue
            start += len(chunk) - len(chunk.lstrip())
            end = start + len(stripped)
            segments = mapping.compose((Segment(0, end - start, start, end),))
            self.pieces.append(TextPiece(role, stripped, tuple(segments), escape_json))
            role = "paragraph" if role == "headline" else role

    def html(self, value: JStr, label: str, headline: bool = False) -> None:
        """An HTML body: its paragraphs, mapped through the JSON string to the file."""
        mapping = value.offset_map(self.source)
        pieces, directives = html_format.extract(value.value, label, headline=headline, escape=_escape_html_in_json)
        for piece in pieces:
            self.pieces.append(TextPiece(piece.role, piece.text, tuple(mapping.compose(piece.segments)), piece.escape))
        self.directives.extend(Directive(mapping.offset(d.offset), d.kind, d.args) for d in directives)

    def value(self, value: JStr, role: str, label: str, kind: str | None = None) -> None:
        """A field of unknown kind: HTML if it says so or looks like it, else text."""
        if kind == "html" or (kind is None and _LOOKS_LIKE_HTML.search(value.value)):
            self.html(value, label, headline=role == "headline")
        else:
            self.text(value, role, whole=role == "headline")

    def document(self, label: str) -> Document | None:
        if not self.pieces:
            return None
        return build_document(self.source, self.pieces, self.directives, label, escape_json)


def _get(record: dict[str, Any], *keys: str) -> JStr | None:
    for key in keys:
        value = record.get(key)
        if isinstance(value, JStr) and value.value.strip():
            return value
    return None


def _entries(record: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = record.get(key)
    if isinstance(value, dict):  # some exports key them by role
        return [
            (v if isinstance(v, dict) else {"value": v}) | {"role": JStr(k, 0, 0)} for k, v in value.items()
        ]
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _role(entry: dict[str, Any]) -> str:
    role = entry.get("role")
    return role.value.lower() if isinstance(role, JStr) else ""


def _content_type(entry: dict[str, Any]) -> str:
    for key in ("contenttype", "contentType", "content_type"):
        value = entry.get(key)
        if isinstance(value, JStr):
            return value.value.lower()
    return ""


def _pick_main(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Entries ordered main-first (role ``main`` or ``default``, else the first)."""
    first = next((e for e in entries if _role(e) in ("main", "default", "")), entries[0] if entries else None)
    return [] if first is None else [first, *(e for e in entries if e is not first)]


def _ninjs2(source: str, record: dict[str, Any], label: str) -> list[Document]:
    article = _Article(source)
    headlines = _pick_main(_entries(record, "headlines"))
    if headlines and isinstance(headlines[0].get("value"), JStr):
        article.text(headlines[0]["value"], "headline", whole=True)
    for description in _entries(record, "descriptions")[:1]:
        if isinstance(description.get("value"), JStr):
            article.value(description["value"], "paragraph", label, "html" if "html" in _content_type(description) else None)
    documents: list[Document] = []
    for n, body in enumerate(_pick_main(_entries(record, "bodies"))):
        value = body.get("value")
        if not isinstance(value, JStr):
            continue
        target = article if n == 0 else _Article(source)
        kind = "html" if "html" in _content_type(body) else "text" if _content_type(body) else None
        target.value(value, "paragraph", label, kind)
        if target is not article:
            document = target.document(label)
            if document is not None:
                documents.append(document)
    first = article.document(label)
    return ([first] if first else []) + documents


def _ninjs1(source: str, record: dict[str, Any], label: str) -> list[Document]:
    article = _Article(source)
    headline = _get(record, "headline")
    if headline is not None:
        article.text(headline, "headline", whole=True)
    description_html, description_text = _get(record, "description_html"), _get(record, "description_text")
    if description_html is not None:
        article.html(description_html, label)
    elif description_text is not None:
        article.text(description_text, "paragraph")
    body_html, body_text = _get(record, "body_html"), _get(record, "body_text")
    documents: list[Document] = []
    if body_html is not None:
        article.html(body_html, label)
    if body_text is not None:
        # Both bodies present: the plain one is checked as its own document (fixed too, so they stay in step).
        target = article if body_html is None else _Article(source)
        target.text(body_text, "paragraph")
        if target is not article:
            other = target.document(label)
            documents = [other] if other else []
    first = article.document(label)
    return ([first] if first else []) + documents


def _by_fields(source: str, record: Any, label: str, fields: Sequence[FieldPath]) -> list[Document]:
    article = _Article(source)
    for field in fields:
        for value in field.values(record):
            if value.value.strip():
                article.value(value, field.role, label, field.kind)
    document = article.document(label)
    return [document] if document else []


def record_documents(source: str, record: Any, label: str, fields: Sequence[FieldPath] = ()) -> list[Document]:
    """Documents for one decoded JSON value: an article, or an array of them."""
    if fields:
        if isinstance(record, list):
            return [d for item in record for d in _by_fields(source, item, label, fields)]
        return _by_fields(source, record, label, fields)
    if isinstance(record, list):
        return [d for item in record for d in record_documents(source, item, label)]
    if not isinstance(record, dict):
        return []
    if any(key in record for key in ("headlines", "bodies", "descriptions")):
        return _ninjs2(source, record, label)
    if any(key in record for key in ("headline", "body_text", "body_html", "description_text", "description_html")):
        return _ninjs1(source, record, label)
    for key in _ARRAY_KEYS:
        if isinstance(record.get(key), list):
            return [d for item in record[key] for d in record_documents(source, item, label)]
    return []


def _no_articles(label: str) -> InputError:
    return InputError(f"{label}: no article fields found (ninjs headline/body_html/bodies...); name them with --field")


Parser = Callable[[str, str], list[Document]]


def parser_for(fields: Sequence[FieldPath] = ()) -> tuple[Parser, Parser]:
    """(parse JSON, parse JSONL) functions reading the given ``--field`` paths (ninjs when empty)."""

    def parse_json(source: str, label: str) -> list[Document]:
        documents = record_documents(source, loads(source, label), label, fields)
        if not documents and fields:
            raise InputError(f"{label}: none of the --field paths holds text")
        return documents  # other JSON (package.json, settings) holds no copy: passed over, not an error

    def parse_jsonl(source: str, label: str) -> list[Document]:
        documents: list[Document] = []
        for number, base, line in iter_lines(source):
            if line.strip():
                documents.extend(record_documents(source, loads(line, label, number, base), label, fields))
        if not documents:
            raise _no_articles(label)
        return documents

    return parse_json, parse_jsonl


def iter_lines(source: str) -> Iterator[tuple[int, int, str]]:
    """(line number, code-point offset, text without its line ending) for each line of ``source``."""
    offset, number = 0, 0
    while offset < len(source):  # only \n ends a JSONL line: U+2028 and friends may sit inside strings
        number += 1
        end = source.find("\n", offset)
        end = len(source) if end == -1 else end + 1
        yield number, offset, source[offset:end].rstrip("\r\n")
        offset = end


def line_documents(line: str, label: str, number: int, fields: Sequence[FieldPath] = ()) -> list[Document]:
    """Documents of one JSONL line (offsets into the line); InputError names the line if it is corrupt."""
    return record_documents(line, loads(line, label, number), label, fields)


parse, parse_lines = parser_for()
