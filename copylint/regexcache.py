"""Compiled regular expressions kept between runs, so that a cold start does not compile them again.

A start compiles about a hundred patterns (module constants, rule data, pre-filters), which costs ~25 ms of
parsing in ``re``. What ``re`` builds depends only on the pattern, its flags and the Python build, so the CLI
keeps the compiled programs in the user cache (one file per Python build) and puts them into ``re``'s own cache
before importing the modules that compile them; their ``re.compile`` then finds them there.

This relies on CPython's internals (``re._cache``, ``re._parser``, ``re._compiler``, ``_sre.compile``). When
they are not as expected, or the file is missing, damaged or from another build, nothing is seeded and ``re``
compiles as usual. A program is stored only after it is checked to equal the one ``re`` compiled.
"""

from __future__ import annotations

import importlib
import marshal
import os
import re
import sys
import time
import zlib
from pathlib import Path
from typing import Any

_FORMAT = 1  # bump when the layout of the file changes
_LIMIT = 512  # entries kept (``re`` itself keeps 512 patterns)
_MAX_CODE = 250_000  # and at most this many code words in all (~1 MB), so that reading the file stays cheap
_IDLE_SAVES = 3  # an entry not in use when this many saves in a row looked is dropped (a one-off pattern)
_FORGET = 24 * 3600  # seconds after which a shape seen in several orders is tried again
_SKIP_FLAGS = re.DEBUG | re.LOCALE  # DEBUG prints while compiling; LOCALE depends on the locale at run time

Entry = tuple[str, int, int, list[int], int, dict[str, int], tuple[str | None, ...]]
"""(pattern, flags as given, flags as compiled, program, groups - 1, group index, index group)."""

Shape = tuple[int, int, int]
"""(flags, length, checksum of the sorted characters): the same for patterns that differ only in order."""

Key = tuple[str, int]  # (pattern, flags as given)


def _build() -> str:
    sre = importlib.import_module("_sre")
    return f"{_FORMAT} {sys.implementation.cache_tag} {sys.version} {sre.MAGIC} {sre.CODESIZE} {sys.maxunicode}"


def _shape(pattern: str, flags: int) -> Shape:
    return flags, len(pattern), zlib.crc32("".join(sorted(pattern)).encode("utf-8", "surrogatepass"))


def _re_cache() -> dict[Any, Any] | None:
    cache = getattr(re, "_cache", None)
    return cache if isinstance(cache, dict) else None


def _cached_str_patterns(cache: dict[Any, Any]) -> dict[Key, Any]:
    """``re``'s cache as (pattern, flags) -> compiled, for str patterns compiled with storable flags."""
    found = {}
    for key, compiled in list(cache.items()):
        storable = isinstance(key, tuple) and len(key) == 3 and key[0] is str and isinstance(key[2], int)
        if storable and not key[2] & _SKIP_FLAGS:
            found[key[1], key[2]] = compiled
    return found


def _in_use(patterns: dict[Key, Any]) -> set[Key]:
    """Keys of ``patterns`` whose compiled pattern something besides ``re``'s cache refers to."""
    counts = {key: sys.getrefcount(value) for key, value in patterns.items()}
    holder = {"": object()}  # held as an unused pattern is held here: by one dict and by the one iterated
    baseline = {key: sys.getrefcount(value) for key, value in dict(holder).items()}[""]
    return {key for key, count in counts.items() if count > baseline}


class RegexCache:
    """The compiled patterns of one Python build, in ``folder``: seeds ``re`` and records what it compiled.

    ``note_in_use`` (called while the rules are alive) tells which stored patterns the run used; one that is
    not in use for a few saves in a row (a pattern compiled once, such as while a cache was built) is dropped.
    A pattern built from an unordered collection may come out in another order in each process: a new pattern
    with the same characters as a stored one that is not in use replaces it, and after three orders that shape
    is no longer stored (for a day), so that it does not rewrite the file on every run.
    """

    def __init__(self, folder: Path) -> None:
        self.build = _build()
        self.path = folder / f"regex-{zlib.crc32(self.build.encode()):08x}.marshal"
        self.entries: dict[Key, tuple[Entry, int]] = {}  # with the number of saves it has not been in use
        self.orders: dict[Shape, tuple[int, int]] = {}  # shapes seen in more than one order: how many, and when
        self.in_use: set[Key] | None = None

    def seed(self) -> int:
        """Put the stored patterns into ``re``'s cache; the number seeded (0 on any problem)."""
        cache = _re_cache()
        if cache is None:
            return 0
        try:
            raw = self.path.read_bytes()
            body = raw[4:]
            if len(raw) < 4 or int.from_bytes(raw[:4], "little") != zlib.crc32(body):
                return 0
            build, stored, orders = marshal.loads(body)
            if build != self.build:
                return 0
            now = int(time.time())
            self.orders = {tuple(shape): (count, when) for shape, count, when in orders if 0 <= now - when < _FORGET}
            sre = importlib.import_module("_sre")
            for entry, idle in stored:
                pattern, flags, compiled_flags, code, groups, groupindex, indexgroup = entry
                key = (str, pattern, flags)
                if key not in cache:
                    cache[key] = sre.compile(pattern, compiled_flags, code, groups, groupindex, indexgroup)
                self.entries[pattern, flags] = (entry, idle)
        except Exception:  # missing, damaged or foreign: compile as usual
            self.entries, self.orders = {}, {}
            return 0
        return len(self.entries)

    def note_in_use(self) -> None:
        """Remember which compiled patterns are in use now (call it while the rule set is alive)."""
        cache = _re_cache()
        if cache is not None:
            found = self.in_use or set()
            self.in_use = found | _in_use(_cached_str_patterns(cache))

    def save(self) -> int:
        """Store the patterns ``re`` compiled that were not seeded, with the seeded ones; the number added.

        Nothing is written unless a pattern was added or dropped.
        """
        cache = _re_cache()
        if cache is None:
            return 0
        patterns = _cached_str_patterns(cache)
        in_use = self.in_use
        entries = dict(self.entries)
        if in_use is not None:  # age what the run did not use
            entries = {key: (entry, 0 if key in in_use else idle + 1) for key, (entry, idle) in entries.items()}
        unused_by_shape = {_shape(*key): key for key in entries if in_use is not None and key not in in_use}
        added = 0
        changed = False
        for key, compiled in patterns.items():
            if key in entries:
                continue
            shape = _shape(*key)
            if self.orders.get(shape, (1, 0))[0] >= 3:
                continue  # comes in a new order every run: compiled as usual
            other = unused_by_shape.pop(shape, None)
            if other is not None:  # the same characters in another order, the old one unused: keep the new one
                del entries[other]
                count = self.orders.get(shape, (1, 0))[0] + 1
                self.orders[shape] = (count, int(time.time()))
                changed = True
                if count >= 3:
                    continue
            entry = _entry(*key, compiled)
            if entry is not None:
                entries = {key: (entry, 0), **entries}  # newest first, so that the limits drop the oldest
                added += 1
                changed = True
        kept: list[tuple[Entry, int]] = []
        size = 0
        for entry, idle in entries.values():
            size += len(entry[3])
            if len(kept) >= _LIMIT or size > _MAX_CODE:
                break
            if idle < _IDLE_SAVES:
                kept.append((entry, idle))
        if not changed and len(kept) == len(self.entries):
            return 0
        try:
            orders = sorted((shape, count, when) for shape, (count, when) in self.orders.items())
            body = marshal.dumps((self.build, kept, orders))
            self.path.parent.mkdir(parents=True, exist_ok=True)
            scratch = self.path.with_suffix(f".{os.getpid()}.tmp")
            scratch.write_bytes(zlib.crc32(body).to_bytes(4, "little") + body)
            os.replace(scratch, self.path)
        except (OSError, ValueError):
            return 0  # a read-only cache only costs the next start the compiling
        return added


def _entry(pattern: str, flags: int, compiled: Any) -> Entry | None:
    """What ``re`` compiled for ``pattern``, or None if it cannot be rebuilt exactly from stored parts."""
    try:
        parser = importlib.import_module("re._parser")
        compiler = importlib.import_module("re._compiler")
        sre = importlib.import_module("_sre")
        parsed = parser.parse(pattern, flags)
        code = [int(op) for op in compiler._code(parsed, flags)]  # opcodes are int subclasses marshal cannot write
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        entry: Entry = (pattern, flags, flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
        rebuilt = sre.compile(pattern, *entry[2:])
        same = rebuilt == compiled and rebuilt.groupindex == compiled.groupindex and rebuilt.groups == compiled.groups
        return entry if same else None
    except Exception:  # internals not as expected: keep compiling as usual
        return None
