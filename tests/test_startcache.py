"""The start-up caches: what they hand back is what Python compiles, and they never get in the way."""

from __future__ import annotations

import dataclasses
import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from copylint.startcache import ColdStart, DataclassCode, RegexCache

ROOT = Path(__file__).resolve().parent.parent
PATTERN = r"copylint-probe-(?P<word>[a-z]+)\s+(\d+)"


def _stored(folder: Path) -> set[str]:
    return {entry[0] for entry, _ in marshal.loads(RegexCache(folder).path.read_bytes()[4:])[1]}


def _forget(pattern: str, flags: int) -> None:
    re._cache.pop((str, pattern, flags), None)  # type: ignore[attr-defined]


def test_a_stored_pattern_is_seeded_equal_to_what_re_compiles(tmp_path: Path) -> None:
    original = re.compile(PATTERN, re.IGNORECASE)
    saver = RegexCache(tmp_path)
    saver.note_in_use()
    assert saver.save() >= 1
    _forget(PATTERN, re.IGNORECASE)
    assert RegexCache(tmp_path).seed() >= 1
    seeded = re.compile(PATTERN, re.IGNORECASE)
    assert seeded is not original
    assert seeded == original and seeded.groupindex == original.groupindex and seeded.flags == original.flags
    match = seeded.search("x COPYLINT-PROBE-Abc 42")
    assert match is not None and match.group("word") == "Abc" and match.group(2) == "42"


def test_nothing_is_written_when_nothing_is_new(tmp_path: Path) -> None:
    keep = re.compile(PATTERN)
    first = RegexCache(tmp_path)
    first.save()
    before = first.path.stat().st_mtime_ns
    again = RegexCache(tmp_path)
    again.seed()
    assert again.save() == 0
    assert first.path.stat().st_mtime_ns == before
    assert keep.pattern == PATTERN


@pytest.mark.parametrize(
    "damage",
    [b"", b"\x00\x01", b"not a cache file at all", lambda raw: raw[:-10], lambda raw: raw[:4] + raw[5:]],
)
def test_a_damaged_file_is_ignored_and_rewritten(tmp_path: Path, damage: object) -> None:
    keep = re.compile(PATTERN)
    first = RegexCache(tmp_path)
    first.save()
    path = first.path
    raw = path.read_bytes()
    path.write_bytes(damage(raw) if callable(damage) else damage)  # type: ignore[arg-type]
    cache = RegexCache(tmp_path)
    assert cache.seed() == 0
    assert cache.save() >= 1
    assert RegexCache(tmp_path).seed() >= 1
    assert keep.pattern == PATTERN


def test_a_file_from_another_python_build_is_ignored(tmp_path: Path) -> None:
    keep = re.compile(PATTERN)
    other = RegexCache(tmp_path)
    other.build += " another build"
    other.save()
    assert RegexCache(tmp_path).seed() == 0
    assert keep.pattern == PATTERN


def test_a_missing_or_read_only_folder_costs_nothing(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("in the way", encoding="utf-8")
    cache = RegexCache(blocked / "cache")  # its parent is a file: cannot be read or created
    assert cache.seed() == 0
    assert cache.save() == 0


def test_one_off_patterns_are_dropped_after_a_few_saves(tmp_path: Path) -> None:
    one_off = "copylint-one-off-[0-9]+"
    re.compile(one_off)
    RegexCache(tmp_path).save()
    _forget(one_off, 0)
    assert one_off in _stored(tmp_path)
    for round_ in range(3):
        cache = RegexCache(tmp_path)
        cache.seed()
        _forget(one_off, 0)  # not compiled by this run
        cache.note_in_use()
        re.compile(f"copylint-new-{round_}")  # something new, so that the file is written
        cache.save()
    assert one_off not in _stored(tmp_path)


def test_the_cli_output_is_the_same_with_the_cache(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Flood waters rise\n\nThe the river rose on Tuesday, the mayor sad.\n", encoding="utf-8")
    env = dict(os.environ, COPYLINT_CACHE_DIR=str(tmp_path / "cache"), PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "copylint", "check", str(story)]
    first = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert list((tmp_path / "cache").glob("regex-*.marshal"))
    second = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert (second.returncode, second.stdout, second.stderr) == (first.returncode, first.stdout, first.stderr)
    assert first.returncode == 1 and "style/doubled-word" in first.stdout


# --- dataclass methods -------------------------------------------------------------------------------------

CLASS_SOURCE = '''
@dataclass(frozen=True, order=True)
class Probe:
    """A value with every generated method."""

    start: int
    label: str = "x"
    tags: tuple = ()
'''


def _make_class() -> type:
    namespace: dict[str, object] = {"dataclass": dataclasses.dataclass, "__name__": __name__}
    exec(CLASS_SOURCE, namespace)
    return namespace["Probe"]  # type: ignore[return-value]


def test_dataclass_methods_are_compiled_once_and_behave_the_same(tmp_path: Path) -> None:
    plain = _make_class()
    first = DataclassCode(tmp_path)
    assert first.install()
    try:
        made = _make_class()
    finally:
        first.uninstall()
    assert "exec" not in vars(dataclasses)
    assert first.compiled > 0 and first.save()
    again = DataclassCode(tmp_path)
    assert again.install()
    try:
        cached = _make_class()
    finally:
        again.uninstall()
    assert again.compiled == 0 and not again.save()  # everything came from the file; nothing to write
    for cls in (made, cached):
        value = cls(3, "a", (1,))
        assert repr(value) == repr(plain(3, "a", (1,))).replace(plain.__qualname__, cls.__qualname__)
        assert value == cls(3, "a", (1,)) and value < cls(4) and hash(value) == hash(cls(3, "a", (1,)))
        with pytest.raises(dataclasses.FrozenInstanceError):
            value.start = 4  # type: ignore[attr-defined]
        assert dataclasses.replace(value, label="b").label == "b"


def test_dataclass_code_is_not_installed_over_someone_elses_exec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dataclasses, "exec", exec, raising=False)
    assert not DataclassCode(tmp_path).install()


def test_damaged_dataclass_code_is_ignored(tmp_path: Path) -> None:
    code = DataclassCode(tmp_path)
    code.path.write_bytes(b"\x00\x00\x00\x00damaged")
    assert code.install()
    try:
        value = _make_class()(1)
    finally:
        code.uninstall()
    assert value.label == "x" and code.compiled > 0


def test_a_process_that_has_loaded_the_engine_is_not_a_cold_start() -> None:
    import copylint.engine  # noqa: F401  (as in-process callers have)

    assert ColdStart.begin() is None
