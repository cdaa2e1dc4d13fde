"""Input adapters: each turns a source file's text into Documents whose spans map back to the file."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from copylint.document import Document
from copylint.formats import plaintext


def _lazy(module: str, name: str = "parse") -> Callable[[str, str], Sequence[Document]]:
    """A parser imported on first use, so that cold start does not pay for formats it does not read."""

    def parse(source: str, label: str) -> Sequence[Document]:
        function: Callable[[str, str], Sequence[Document]] = getattr(importlib.import_module(module), name)
        return function(source, label)

    parse.__doc__ = f"Parse with {module}.{name}."
    return parse


@dataclass(frozen=True)
class Format:
    """A named input format: the file extensions it claims and its parser."""

    name: str
    extensions: tuple[str, ...]
    parse: Callable[[str, str], Sequence[Document]]


FORMATS: tuple[Format, ...] = (
    Format("text", (".txt", ".text"), plaintext.parse),
    Format("markdown", (".md", ".markdown", ".mdown", ".mkd"), _lazy("copylint.formats.markdown")),
    Format("html", (".html", ".htm", ".xhtml"), _lazy("copylint.formats.html")),
    Format("json", (".json",), _lazy("copylint.formats.jsonfeed")),
    Format("jsonl", (".jsonl", ".ndjson"), _lazy("copylint.formats.jsonfeed", "parse_lines")),
    Format("xml", (".xml", ".nitf", ".nml", ".newsml"), _lazy("copylint.formats.nitf")),
)

FORMAT_BY_NAME = {f.name: f for f in FORMATS}
KNOWN_EXTENSIONS = frozenset(ext for f in FORMATS for ext in f.extensions)


def format_for(path: str, override: str | None = None) -> Format:
    """The format named by ``override``, else the one claiming the file's extension, else plain text."""
    if override:
        return FORMAT_BY_NAME[override]
    suffix = PurePath(path).suffix.lower()
    for fmt in FORMATS:
        if suffix in fmt.extensions:
            return fmt
    return FORMAT_BY_NAME["text"]
