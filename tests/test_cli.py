"""The command line: exit codes, inputs, selection, bad input, and the rules/explain commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import run_cli

DOUBLED = "Bridge closes\n\nThe council said the the bridge would close.\n"
CLEAN = "Bridge closes\n\nThe council said the bridge would close.\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_exit_codes_clean_findings_and_usage(tmp_path: Path) -> None:
    assert run_cli(["check", str(write(tmp_path, "a.txt", CLEAN))]).code == 0
    assert run_cli(["check", str(write(tmp_path, "b.txt", DOUBLED))]).code == 1
    assert run_cli(["check"]).code == 2
    assert run_cli(["check", "--format", "yaml", "x.txt"]).code == 2


def test_check_is_the_default_command(tmp_path: Path) -> None:
    result = run_cli([str(write(tmp_path, "b.txt", DOUBLED))])
    assert result.code == 1 and "style/doubled-word" in result.out


def test_stdin_is_read_with_dash() -> None:
    result = run_cli(["check", "-", "--format", "json"], stdin_text=DOUBLED)
    data = json.loads(result.out)
    assert result.code == 1
    assert data["files"][0]["path"] == "-"
    assert [f["rule"] for f in data["files"][0]["findings"]] == ["style/doubled-word"]


def test_directories_are_recursed_by_extension(tmp_path: Path) -> None:
    write(tmp_path, "one.txt", DOUBLED)
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "two.txt", DOUBLED)
    write(tmp_path, "notes.bin", "ignored")
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".git", "three.txt", DOUBLED)
    result = run_cli(["check", str(tmp_path), "--format", "json"])
    paths = sorted(Path(f["path"]).name for f in json.loads(result.out)["files"])
    assert paths == ["one.txt", "two.txt"]


def test_fail_on_threshold(tmp_path: Path) -> None:
    path = write(tmp_path, "r.txt", "Depot opens\n\nThe mayor opened the depot and also thanked staff.\n")
    assert run_cli(["check", str(path)]).code == 0  # redundancy is info; default threshold is warning
    assert run_cli(["check", str(path), "--fail-on", "info"]).code == 1
    assert run_cli(["check", str(write(tmp_path, "d.txt", DOUBLED)), "--fail-on", "never"]).code == 0
    assert run_cli(["check", str(write(tmp_path, "e.txt", DOUBLED)), "--fail-on", "error"]).code == 0


def test_select_and_ignore_by_id_and_category(tmp_path: Path) -> None:
    path = write(tmp_path, "m.txt", "Depot  opens\n\nThe the mayor opened the depot and also thanked staff.\n")

    def rules(*flags: str) -> list[str]:
        out = run_cli(["check", str(path), "--format", "json", *flags]).out
        return [f["rule"] for f in json.loads(out)["files"][0]["findings"]]

    assert rules() == ["typography/double-space", "style/doubled-word", "style/redundancy"]
    assert rules("--select", "style") == ["style/doubled-word", "style/redundancy"]
    assert rules("--select", "typography/double-space,style/redundancy") == ["typography/double-space", "style/redundancy"]
    assert rules("--ignore", "style/doubled-word", "--ignore", "typography") == ["style/redundancy"]
    assert run_cli(["check", str(path), "--select", "style/no-such-rule"]).code == 2


def test_bad_inputs_give_one_line_errors_and_other_files_are_still_checked(tmp_path: Path) -> None:
    good = write(tmp_path, "good.txt", DOUBLED)
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x00\x01\x02binary")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\xe9 opens\n\nIt opened.\n".encode("latin-1"))
    empty = write(tmp_path, "empty.txt", "  \n\n")
    huge = write(tmp_path, "huge.txt", "Head\n\n" + "word " * 50_000 + "\n")
    empty_dir = tmp_path / "nothing"
    empty_dir.mkdir()
    result = run_cli(
        [
            "check",
            str(good),
            str(binary),
            str(latin),
            str(empty),
            str(huge),
            str(tmp_path / "missing.txt"),
            str(empty_dir),
            "--format",
            "json",
        ]
    )
    assert result.code == 2
    errors = result.err.strip().splitlines()
    assert len(errors) == 6
    assert all(line.startswith("copylint: error: ") for line in errors)
    assert "Traceback" not in result.err
    joined = "\n".join(errors)
    for fragment in ("binary", "not valid UTF-8", "empty", "longer than", "no such file", "no files to check"):
        assert fragment in joined
    report = json.loads(result.out)
    assert [Path(f["path"]).name for f in report["files"]] == ["good.txt"]
    assert len(report["summary"]["errors"]) == 6


def test_output_file(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = run_cli(["check", str(write(tmp_path, "b.txt", DOUBLED)), "--format", "json", "--output", str(out)])
    assert result.code == 1 and result.out == ""
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["findings"] == 1


def test_rules_and_explain_commands() -> None:
    listing = run_cli(["rules"])
    assert listing.code == 0
    assert "style/doubled-word" in listing.out and "typography/double-space" in listing.out
    as_json = json.loads(run_cli(["rules", "--format", "json"]).out)
    assert {"id": "style/redundancy", "category": "style", "severity": "info"}.items() <= next(
        r for r in as_json if r["id"] == "style/redundancy"
    ).items()
    explained = run_cli(["explain", "style/doubled-word"])
    assert explained.code == 0
    for heading in ("What it does:", "Why it matters:", "Example:", "Use instead:", "Fix safety:"):
        assert heading in explained.out
    unknown = run_cli(["explain", "style/nope"])
    assert unknown.code == 2 and unknown.err.count("\n") == 1


def test_version_and_help_exit_cleanly() -> None:
    assert run_cli(["--version"]).code == 0
    assert run_cli(["--help"]).code == 0


def test_unsafe_fixes_needs_fix_or_diff(tmp_path: Path) -> None:
    result = run_cli(["check", str(write(tmp_path, "b.txt", DOUBLED)), "--unsafe-fixes"])
    assert result.code == 2 and "--unsafe-fixes needs" in result.err


def test_the_command_ends_at_once_with_its_exit_code_and_output(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Harbour council meets\n\nThe the council met on Tuesday.\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "copylint", "check", "--select", "style/doubled-word", str(story)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert "[style/doubled-word]" in run.stdout
    assert run.stdout.rstrip().splitlines()[-1].startswith("1 finding")  # the summary was flushed before leaving
    assert run.stderr == ""


def test_a_watched_run_ends_normally_so_tools_can_write_their_data() -> None:
    from copylint.cli import _observed

    assert not _observed() or sys.gettrace() is not None or "coverage" in sys.modules
    previous = sys.getprofile()
    sys.setprofile(lambda *_: None)
    try:
        assert _observed()
    finally:
        sys.setprofile(previous)
