"""JSON with source offsets: string values come back as ``JStr`` carrying where their literal sits in the source.

The stdlib decoder does the work (its C string scanner included); only its value-string hook is replaced,
so the offsets of every string value are known and escapes (``\\n``, ``\\u00e9``, ``\\"``) map exactly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from json import scanner
from typing import Any

from copylint.document import Segment
from copylint.errors import InputError
from copylint.formats.pieces import OffsetMap

_ESCAPE = re.compile(r"\\(?:u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)", re.DOTALL)


@dataclass(frozen=True, slots=True)
class JStr:
    """A JSON string value and the offsets of its literal in the source (quotes included)."""

    value: str
    start: int
    end: int

    def offset_map(self, source: str) -> OffsetMap:
        """Maps offsets in ``value`` to offsets in ``source``; each escape maps as a whole."""
        inner_start, inner_end = self.start + 1, self.end - 1
        if "\\" not in source[inner_start:inner_end]:
            return OffsetMap((Segment(0, len(self.value), inner_start, inner_end),))
        segments: list[Segment] = []
        text = 0
        position = inner_start
        for m in _ESCAPE.finditer(source, inner_start, inner_end):
            if m.start() > position:
                run = m.start() - position
                segments.append(Segment(text, text + run, position, m.start()))
                text += run
            decoded = 1 if len(m.group()) != 12 else len(json.loads('"' + m.group() + '"'))
            segments.append(Segment(text, text + decoded, m.start(), m.end()))
            text += decoded
            position = m.end()
        if position < inner_end:
            segments.append(Segment(text, text + inner_end - position, position, inner_end))
        if not segments:
            segments.append(Segment(0, 0, inner_start, inner_start))
        return OffsetMap(segments)


def escape_json(text: str) -> str:
    """A replacement escaped for the inside of a JSON string literal."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


class _Decoder(json.JSONDecoder):
    """A JSONDecoder whose string values are JStr (keys stay plain strings)."""

    def __init__(self, base: int = 0) -> None:
        super().__init__(strict=False)
        string_scanner: Callable[[str, int, bool], tuple[str, int]] = getattr(json.decoder, "scanstring")  # noqa: B009

        def parse_string(text: str, end: int, strict: bool) -> tuple[JStr, int]:
            value, after = string_scanner(text, end, strict)
            return JStr(value, end - 1 + base, after + base), after

        self.parse_string = parse_string
        self.scan_once = getattr(scanner, "py_make_scanner")(self)  # noqa: B009  (the hookable Python scanner)


def loads(source: str, label: str, line: int | None = None, base: int = 0) -> Any:
    """Decode ``source`` (strings as JStr with offsets plus ``base``); errors are one-line InputErrors."""
    decoder = _Decoder(base)
    try:
        value, end = decoder.raw_decode(source, _skip_space(source, 0))
        if _skip_space(source, end) != len(source):
            raise json.JSONDecodeError("Extra data after the JSON value", source, _skip_space(source, end))
    except json.JSONDecodeError as exc:
        where = f"{label}:{line if line is not None else exc.lineno}:{exc.colno}"
        ends_early = exc.pos >= len(source.rstrip()) or exc.msg.startswith("Unterminated")
        truncated = "; is the file truncated?" if ends_early else ""
        message = exc.msg.removesuffix(" at").removesuffix(" starting")
        raise InputError(f"{where}: invalid JSON: {message}{truncated}") from None
    except RecursionError:
        raise InputError(f"{label}: JSON nested too deeply") from None
    return value


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n\ufeff":
        position += 1
    return position


def plain(value: Any) -> Any:
    """The value with every JStr turned back into its string."""
    if isinstance(value, JStr):
        return value.value
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
