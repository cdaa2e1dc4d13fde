"""Cache files read in place: raw sections (sorted word text, integer arrays) mapped into memory, not unpacked.

marshal turns a table of words into hundreds of thousands of objects at every start, a few milliseconds per
megabyte; a mapped file costs a header read, and a look-up touches only the pages it reads. Layout, integers
little-endian: a header (magic, the kind of table's layout number, the length and CRC-32 of the index, the file
length), the index (marshal: section name -> (start, end), plus the kind's own small values), then the
sections, each starting on an 8-byte boundary. A file that is missing, truncated, of another layout or with a
damaged index reads as None, for the caller to rebuild. Section contents are not checksummed (that would read
every page): readers check what their look-ups rely on (lengths, bounds), so that damage there can give a wrong
answer but never an exception.
"""

from __future__ import annotations

import contextlib
import marshal
import mmap
import os
import struct
import sys
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeGuard

_MAGIC = b"copylint mapped\n"
_HEADER = struct.Struct("<16sIIIQ")  # magic, layout, index length, index CRC-32, file length
_ALIGN = 8  # integer arrays are read as views, which want aligned starts

Buffer = bytes | mmap.mmap  # slicing either gives bytes; both have find(sub, start, end)
UintCode = Literal["B", "H", "I"]  # array type codes of 1-, 2- and 4-byte unsigned integers


@dataclass(frozen=True, slots=True)
class MappedFile:
    """A packed file's bytes (mapped, or in memory when the cache folder cannot be written), sections and values."""

    data: Buffer
    spans: Mapping[str, tuple[int, int]]
    meta: Any  # the kind's own small values, as stored: check before trusting

    def span(self, name: str) -> tuple[int, int]:
        """Where section ``name`` lies in ``data`` (KeyError if the file has none)."""
        return self.spans[name]

    def uints(self, name: str, code: UintCode) -> Sequence[int] | None:
        """Section ``name`` as unsigned integers of array type ``code`` ("B", "H", "I"); None if its length is not whole."""
        start, end = self.spans[name]
        size = array(code).itemsize
        if (end - start) % size:
            return None
        if sys.byteorder == "little":
            return memoryview(self.data)[start:end].cast(code)
        values = array(code, self.data[start:end])  # a big-endian machine reads a copy
        values.byteswap()
        return values

    def close(self) -> None:
        """Unmap a file its reader found unusable, so that it can be replaced (Windows refuses while it is mapped)."""
        if isinstance(self.data, mmap.mmap):
            with contextlib.suppress(BufferError):  # a view of it is still held: the garbage collector unmaps it
                self.data.close()


def pack(layout: int, sections: Mapping[str, bytes], meta: Any = None) -> bytes:
    """The file holding ``sections`` and ``meta`` (values marshal can store) under layout number ``layout``."""
    spans: dict[str, tuple[int, int]] = {}
    parts: list[bytes] = []
    at = 0
    for name, content in sections.items():
        spans[name] = (at, at + len(content))  # from the first section's start, which follows the index
        parts += (content, bytes(-len(content) % _ALIGN))
        at += len(content) + (-len(content) % _ALIGN)
    index = marshal.dumps({"spans": spans, "meta": meta})
    base = _base(len(index))
    head = _HEADER.pack(_MAGIC, layout, len(index), zlib.crc32(index), base + at)
    return b"".join([head, index, bytes(base - len(head) - len(index)), *parts])


def _base(index_length: int) -> int:
    """Where the first section starts: after the header and index, on a boundary."""
    end = _HEADER.size + index_length
    return end + (-end % _ALIGN)


def unpack(data: Buffer, layout: int) -> MappedFile | None:
    """The sections of a file made by ``pack``; None if it is of another layout, truncated or damaged."""
    if len(data) < _HEADER.size:
        return None
    magic, stored_layout, index_length, index_crc, length = _HEADER.unpack_from(data)
    base = _base(index_length)
    if magic != _MAGIC or stored_layout != layout or length != len(data) or base > length:
        return None
    index = data[_HEADER.size : _HEADER.size + index_length]
    if zlib.crc32(index) != index_crc:
        return None
    try:
        loaded = marshal.loads(index)
    except (EOFError, ValueError, TypeError):
        return None
    if not isinstance(loaded, dict) or not _spans_within(spans := loaded.get("spans"), length - base):
        return None
    placed = {name: (base + start, base + end) for name, (start, end) in spans.items()}
    return MappedFile(data, placed, loaded.get("meta"))


def _is_span(span: object, length: int) -> bool:
    return (
        isinstance(span, tuple)
        and len(span) == 2
        and isinstance(span[0], int)
        and isinstance(span[1], int)
        and 0 <= span[0] <= span[1] <= length
    )


def _spans_within(spans: object, length: int) -> TypeGuard[dict[Any, tuple[int, int]]]:
    """True if ``spans`` is a dict of (start, end) pairs inside 0..``length``."""
    return isinstance(spans, dict) and all(_is_span(span, length) for span in spans.values())


def boundary_bytes(ends: Sequence[int]) -> bytes:
    """Where consecutive parts end, each starting where the one before ended (the first at 0): for ``KeyedParts``."""
    return uint_bytes("I", [0, *ends])


class KeyedParts:
    """Consecutive parts of a section, found by key: the sorted keys (kept in the index) and where each part starts.

    Opening builds nothing (no dictionary of the keys): a key is bisected in the list marshal gave, and its bounds
    read from the mapped array. A bound past ``limit`` (a damaged file) is cut to it, so no look-up leaves the section.
    """

    __slots__ = ("_base", "_bounds", "_keys", "_limit")

    def __init__(self, keys: list[Any], bounds: Sequence[int], limit: int, base: int) -> None:
        self._keys, self._bounds, self._limit, self._base = keys, bounds, limit, base

    @classmethod
    def of(cls, mapped: MappedFile, keys: object, section: str, limit: int, base: int = 0) -> KeyedParts | None:
        """The parts with ``keys`` (sorted) and boundaries in ``section`` (as ``boundary_bytes`` wrote them).

        ``base`` is added to every bound (where in the file the parts' section starts, if they are parts of a
        section), and ``limit`` bounds them (that section's length, or a count). None if the keys are not sorted
        or keys and bounds disagree.
        """
        try:
            bounds = mapped.uints(section, "I")
        except KeyError:
            return None
        if not isinstance(keys, list) or bounds is None or len(bounds) != len(keys) + 1:
            return None
        try:
            if keys != sorted(keys):  # a linear pass when they are; out of order, bisection would miss keys
                return None
        except TypeError:  # keys of several types
            return None
        return cls(keys, bounds, limit, base)

    def get(self, key: Any) -> tuple[int, int] | None:
        """Where the part of ``key`` starts and ends (in the file, or in numbers); None if no part has that key."""
        keys = self._keys
        index = bisect_left(keys, key)
        if index == len(keys) or keys[index] != key:
            return None
        limit, base = self._limit, self._base
        return base + min(self._bounds[index], limit), base + min(self._bounds[index + 1], limit)


def map_file(path: Path, layout: int) -> MappedFile | None:
    """The packed file at ``path``, mapped read-only; None if it is missing, unreadable or not a sound file."""
    try:
        with path.open("rb") as handle:
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)  # outlives the file object
    except (OSError, ValueError):  # ValueError: an empty file cannot be mapped
        return None
    found = unpack(data, layout)
    if found is None:
        data.close()
    return found


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file: a reader sees the old file or the new, never a part."""
    import tempfile  # only when a cache is (re)built

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def uint_bytes(code: UintCode, values: Iterable[int]) -> bytes:
    """``values`` as little-endian unsigned integers of array type ``code``, as ``MappedFile.uints`` reads them."""
    packed = array(code, values)
    if sys.byteorder != "little":
        packed.byteswap()
    return packed.tobytes()


class SortedWords:
    """Distinct words sorted as UTF-8 bytes, each followed by a newline, in one section of a packed file.

    Word ``i`` runs from ``offsets[i]`` to ``offsets[i + 1] - 1`` of the section. A look-up bisects the words in
    place: no list of strings is made, so opening costs nothing however long the list is.
    """

    __slots__ = ("_base", "_data", "_offsets", "count")

    def __init__(self, data: Buffer, base: int, offsets: Sequence[int]) -> None:
        self._data, self._base, self._offsets = data, base, offsets
        self.count = len(offsets) - 1

    @classmethod
    def of(cls, mapped: MappedFile, words: str, offsets: str) -> SortedWords | None:
        """The words of section ``words`` at the ``offsets`` section's uint32 offsets; None if the two disagree."""
        try:
            start, end = mapped.span(words)
            bounds = mapped.uints(offsets, "I")
        except KeyError:
            return None
        if bounds is None or not bounds or bounds[0] != 0 or bounds[-1] != end - start:
            return None
        if end > start and mapped.data[end - 1 : end] != b"\n":
            return None
        return cls(mapped.data, start, bounds)

    def word(self, index: int) -> bytes:
        """Word number ``index`` (0 <= index < count)."""
        base, offsets = self._base, self._offsets
        return self._data[base + offsets[index] : base + offsets[index + 1] - 1]

    def find(self, key: bytes, lo: int = 0, hi: int | None = None) -> int:
        """The index of ``key`` among words ``lo``..``hi`` - 1, by bisection; -1 if it is not there."""
        data, base, offsets = self._data, self._base, self._offsets
        if hi is None:
            hi = self.count
        while lo < hi:
            middle = (lo + hi) // 2
            listed = data[base + offsets[middle] : base + offsets[middle + 1] - 1]
            if listed < key:
                lo = middle + 1
            elif listed > key:
                hi = middle
            else:
                return middle
        return -1

    def find_after(self, key: bytes, first: int, stop: int) -> int:
        """The index of ``key`` among words ``first`` + 1 .. ``stop`` - 1, by one substring search; -1 if absent."""
        base, offsets = self._base, self._offsets
        start = base + offsets[first]
        block = self._data[start : base + offsets[stop]]  # from word ``first`` to the newline ending ``stop`` - 1
        found = block.find(b"\n" + key + b"\n")
        return -1 if found < 0 else first + block.count(b"\n", 0, found + 1)

    def text(self) -> bytes:
        """Every word, each followed by a newline."""
        return self._data[self._base : self._base + self._offsets[self.count]]
