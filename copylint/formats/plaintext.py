"""Plain text: the first block is the headline, blocks separated by blank lines are paragraphs."""

from __future__ import annotations

import re

from copylint.document import Document
from copylint.errors import InputError
from copylint.finding import Span

MAX_LINE_LENGTH = 200_000
_BLOCK_SPLIT = re.compile(r"(?:\r\n|\r|\n)[ \t\f\v\u00a0]*(?:\r\n|\r|\n)\s*")


def block_spans(text: str) -> list[Span]:
    """Spans of the non-blank blocks of ``text``, each trimmed of surrounding whitespace."""
    spans = []
    start = 0
    for m in _BLOCK_SPLIT.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    result = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            result.append(Span(s, e))
    return result


def parse(source: str, label: str) -> list[Document]:
    """One document whose text is the file's text itself (so spans need no mapping)."""
    if len(source) > MAX_LINE_LENGTH:
        for number, line in enumerate(source.splitlines(), start=1):
            if len(line) > MAX_LINE_LENGTH:
                raise InputError(f"{label}: line {number} is longer than {MAX_LINE_LENGTH:,} characters; is this prose?")
    spans = block_spans(source)
    if not spans:
        raise InputError(f"{label}: file has no text to check")
    blocks = [(span, "headline" if i == 0 else "paragraph") for i, span in enumerate(spans)]
    return [Document(source, blocks, label=label)]
