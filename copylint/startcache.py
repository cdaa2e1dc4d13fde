"""What a fresh CLI process keeps between runs to start faster: compiled regular expressions and the methods
that dataclasses generates. Both depend only on their source text and the Python build, and both are kept in
the user cache (one file each per Python build) and handed back before the modules that make them are imported.

- ``RegexCache``: a start compiles about a hundred patterns (module constants, rule data, pre-filters), ~25 ms
  of parsing in ``re``. The compiled programs are put into ``re``'s own cache, where ``re.compile`` finds them.
  This relies on CPython's internals (``re._cache``, ``re._parser``, ``re._compiler``, ``_sre.compile``); a
  program is stored only after it is checked to equal the one ``re`` compiled.
- ``DataclassCode``: on Python before 3.13 each dataclass compiles its generated methods from source text
  when its module is imported (~1 ms a class, about fifty classes). While installed, the ``exec`` that
  dataclasses calls takes the compiled code from the cache instead (same text, same compile flags).

When the internals are not as expected, or a file is missing, damaged or from another build, nothing is used
and Python compiles as usual; a folder that cannot be written only costs the next start the compiling.
"""

from __future__ import annotations

import gc
import importlib
import marshal
import os
import re
import sys
import time
import zlib
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any

_FORMAT = 1  # bump when the layout of a file changes
_LIMIT = 512  # patterns kept (``re`` itself keeps 512)
_MAX_CODE = 250_000  # and at most this many code words in all (~1 MB), so that reading the file stays cheap
_LIMIT_CODE = 2048  # dataclass methods kept (about six a class)
_IDLE_SAVES = 3  # an entry not in use at this many writes in a row is dropped (a one-off pattern)
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


def _read(path: Path) -> Any:
    """The value stored by ``_write``; raises on a missing or damaged file."""
    raw = path.read_bytes()
    body = raw[4:]
    if len(raw) < 4 or int.from_bytes(raw[:4], "little") != zlib.crc32(body):
        raise ValueError(f"{path}: damaged")
    return marshal.loads(body)


def _write(path: Path, value: Any) -> bool:
    """Store ``value`` (marshal, with a checksum) atomically; False if the folder cannot be written."""
    try:
        body = marshal.dumps(value)
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_suffix(f".{os.getpid()}.tmp")
        scratch.write_bytes(zlib.crc32(body).to_bytes(4, "little") + body)
        os.replace(scratch, path)
    except (OSError, ValueError):
        return False
    return True


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
    not in use for a few writes in a row (a pattern compiled once, such as while a cache was built) is dropped.
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
            build, stored, orders = _read(self.path)
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

        Nothing is written unless a pattern was added (or replaced by another order of it): a write that only
        dropped idle ones would age the rest, so that patterns compiled and dropped in turn rewrote it every run.
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
        if not changed:  # entries that went idle are dropped with the next change, never on their own
            return 0
        orders = sorted((shape, count, when) for shape, (count, when) in self.orders.items())
        return added if _write(self.path, (self.build, kept, orders)) else 0


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


class DataclassCode:
    """The code of dataclasses' generated methods, by source text; ``install`` makes dataclasses use it."""

    def __init__(self, folder: Path) -> None:
        self.build = f"{_FORMAT} {sys.implementation.cache_tag} {sys.version} {sys.flags.optimize}"
        self.path = folder / f"dataclass-{zlib.crc32(self.build.encode()):08x}.marshal"
        self.stored: dict[str, CodeType] = {}
        self.used: dict[str, CodeType] = {}  # this run's, in the order first used
        self.compiled = 0
        self._module: ModuleType | None = None

    def install(self) -> bool:
        """Read the stored code and give dataclasses an ``exec`` that uses it; False if that cannot be done."""
        module = sys.modules.get("dataclasses")
        if module is None or "exec" in vars(module) or not callable(getattr(module, "_create_fn", None)):
            return False  # not imported yet, someone else's ``exec``, or a dataclasses that no longer exec's
        try:
            build, stored = _read(self.path)
            if build == self.build and isinstance(stored, dict):
                self.stored = {k: v for k, v in stored.items() if isinstance(k, str) and isinstance(v, CodeType)}
        except Exception:  # missing or damaged: compile as usual (and store it)
            self.stored = {}
        module.exec = self._exec  # type: ignore[attr-defined]
        self._module = module
        return True

    def _exec(self, source: Any, globals: Any = None, locals: Any = None, /) -> None:
        if isinstance(source, str):
            code = self.used.get(source) or self.stored.get(source)
            if code is None:
                # exec(text) from dataclasses compiles with no __future__ flags: dont_inherit keeps ours out
                code = compile(source, "<string>", "exec", dont_inherit=True)
                self.compiled += 1
            self.used[source] = code
            source = code
        exec(source, globals, locals)

    def uninstall(self) -> None:
        """Give dataclasses back the built-in ``exec``."""
        module, self._module = self._module, None
        if module is not None and vars(module).get("exec") == self._exec:
            del module.exec

    def save(self) -> bool:
        """Store this run's code (and what was stored before, up to a limit) if anything had to be compiled."""
        if not self.compiled:
            return False
        kept = dict(self.used)
        for source, code in self.stored.items():
            if len(kept) >= _LIMIT_CODE:
                break
            kept.setdefault(source, code)
        return _write(self.path, (self.build, kept))


class ColdStart:
    """What the CLI does for a fresh process (the engine not loaded yet; tests calling main again are left alone).

    It hands back the compiled regular expressions and dataclass methods of earlier runs, and holds off garbage
    collection until the first file is checked: start-up allocates much and frees little (modules, rule data,
    models), so collections would only walk the new objects again and again.
    """

    def __init__(self, regexes: RegexCache | None, code: DataclassCode | None, holding_gc: bool) -> None:
        self.regexes = regexes
        self.code = code
        self.holding_gc = holding_gc

    @classmethod
    def begin(cls) -> ColdStart | None:
        """Start the caches and stop collection, if this process is fresh (else None)."""
        if "copylint.engine" in sys.modules:
            return None
        import dataclasses  # noqa: F401  (imported before DataclassCode.install looks for it)

        from copylint.vocabulary import default_cache_dir

        regexes = code = None
        try:
            folder = default_cache_dir()
        except (ImportError, OSError):
            pass  # no cache folder: start as usual
        else:
            code = DataclassCode(folder)
            if not code.install():
                code = None
            regexes = RegexCache(folder)
            regexes.seed()
        holding_gc = gc.isenabled()
        gc.disable()
        return cls(regexes, code, holding_gc)

    def started(self) -> None:
        """The first file is checked (rules prepared, models loaded): note the patterns in use, collect again."""
        if self.regexes is not None and self.regexes.in_use is None:
            self.regexes.note_in_use()
        if self.holding_gc:
            self.holding_gc = False
            gc.enable()

    def finish(self) -> None:
        """Collect again, give dataclasses back its ``exec``, and store what this run compiled for the next."""
        if self.holding_gc:
            self.holding_gc = False
            gc.enable()
        if self.code is not None:
            self.code.uninstall()
            self.code.save()
        if self.regexes is not None:
            self.regexes.save()
