"""--fix, --unsafe-fixes and --diff: idempotence, atomic writes, bytes preserved outside the fixes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from copylint.finding import Applicability, Edit, Finding, Fix, Severity, Span
from copylint.fixes import apply_edits, choose_fixes
from copylint.sources import write_atomic

from .conftest import run_cli

STORY = "Bridge  closes\n\nThe council said the the bridge would close and also reopen.\n"
FIXED_SAFE = "Bridge closes\n\nThe council said the bridge would close and also reopen.\n"
FIXED_UNSAFE = "Bridge closes\n\nThe council said the bridge would close and reopen.\n"


def test_fix_applies_safe_fixes_and_a_second_run_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    path.write_text(STORY, encoding="utf-8")
    first = run_cli(["check", str(path), "--fix"])
    assert path.read_text(encoding="utf-8") == FIXED_SAFE
    assert first.code == 0 and "fixed 2" in first.out
    mtime = path.stat().st_mtime_ns
    second = run_cli(["check", str(path), "--fix"])
    assert second.code == 0 and path.read_text(encoding="utf-8") == FIXED_SAFE
    assert path.stat().st_mtime_ns == mtime  # nothing to fix: file not rewritten


def test_unsafe_fixes_only_on_request(tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    path.write_text(STORY, encoding="utf-8")
    run_cli(["check", str(path), "--fix", "--unsafe-fixes"])
    assert path.read_text(encoding="utf-8") == FIXED_UNSAFE


def test_diff_prints_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    path.write_text(STORY, encoding="utf-8")
    result = run_cli(["check", str(path), "--diff"])
    assert result.code == 1
    assert "-The council said the the bridge" in result.out and "+The council said the bridge" in result.out
    assert path.read_text(encoding="utf-8") == STORY
    clean = tmp_path / "c.txt"
    clean.write_text(FIXED_SAFE, encoding="utf-8")
    assert run_cli(["check", str(clean), "--diff"]).code == 0


@pytest.mark.parametrize(
    ("encoding", "bom", "newline"),
    [("utf-8", b"", "\r\n"), ("utf-8", b"\xef\xbb\xbf", "\n"), ("utf-16-le", b"\xff\xfe", "\r\n"), ("utf-8", b"", "\r")],
)
def test_fix_preserves_encoding_bom_line_endings_and_permissions(tmp_path: Path, encoding: str, bom: bytes, newline: str) -> None:
    path = tmp_path / "s.txt"
    original = STORY.replace("\n", newline) + "Café Nørd — “quoted”" + newline
    path.write_bytes(bom + original.encode(encoding))
    os.chmod(path, 0o640)
    run_cli(["check", str(path), "--fix"])
    data = path.read_bytes()
    assert data.startswith(bom)
    text = data[len(bom) :].decode(encoding)
    assert text == FIXED_SAFE.replace("\n", newline) + "Café Nørd — “quoted”" + newline
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["s.txt"]  # no temporary file left behind


def test_stdin_fix_writes_fixed_text_to_stdout_and_report_to_stderr() -> None:
    result = run_cli(["check", "-", "--fix"], stdin_text=STORY)
    assert result.out == FIXED_SAFE
    assert "fixed 2" in result.err


def test_atomic_write_leaves_original_on_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.txt"
    path.write_text("original", encoding="utf-8")

    def fail(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_atomic(path, b"new")
    assert path.read_text(encoding="utf-8") == "original"
    assert [p.name for p in tmp_path.iterdir()] == ["s.txt"]


def _finding(
    start: int, end: int, replacement: str, applicability: Applicability, severity: Severity = Severity.WARNING
) -> Finding:
    span = Span(start, end)
    return Finding("style/x", "style", "m", span, severity, Fix.replace(span, replacement, applicability))


def test_choose_fixes_skips_overlaps_and_respects_applicability() -> None:
    findings = [
        _finding(0, 5, "a", Applicability.SAFE),
        _finding(3, 8, "b", Applicability.SAFE),
        _finding(10, 12, "c", Applicability.UNSAFE),
        _finding(20, 22, "d", Applicability.DISPLAY_ONLY),
    ]
    chosen = choose_fixes(findings, {Applicability.SAFE})
    assert [f.span.start for f in chosen] == [0]
    chosen = choose_fixes(findings, {Applicability.SAFE, Applicability.UNSAFE})
    assert [f.span.start for f in chosen] == [0, 10]


def test_apply_edits_in_any_order_and_rejects_overlap() -> None:
    text = "abcdefghij"
    assert apply_edits(text, [Edit(Span(8, 9), "X"), Edit(Span(0, 2), ""), Edit(Span(5, 5), "+")]) == "cde+fghXj"
    with pytest.raises(ValueError):
        apply_edits(text, [Edit(Span(0, 4), ""), Edit(Span(2, 5), "")])
