"""Batch mode (JSONL archives), --changed-since and --baseline, through the real CLI."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from copylint.changes import parse_diff, touches

from .conftest import run_cli

SELECT = ["--select", "typography/double-space,style/doubled-word"]


def article(n: int, defect: bool) -> str:
    body = (
        f"<p>Wend council met for the {n}th time.</p><p>It voted  to close the the bridge.</p>" if defect else "<p>Quiet day.</p>"
    )
    return json.dumps({"uri": f"urn:example:{n}", "headline": f"Wend council meeting {n}", "body_html": body})


def archive(tmp_path: Path, count: int = 12, corrupt: int | None = None, name: str = "archive.jsonl") -> Path:
    lines = [article(n, n % 3 == 0) for n in range(1, count + 1)]
    if corrupt is not None:
        lines[corrupt - 1] = '{"uri": "urn:example:bad", "headline": "Cut off'
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def findings(out: str, source: str) -> list[tuple[int, int, str, str]]:
    data = json.loads(out)
    return [
        (f["line"], f["column"], f["rule"], source[f["start"] : f["end"]]) for entry in data["files"] for f in entry["findings"]
    ]


def test_archive_findings_carry_file_line_and_column(tmp_path: Path) -> None:
    path = archive(tmp_path, count=6)
    result = run_cli(["check", str(path), "--format", "json", *SELECT])
    assert result.code == 1, result.err
    source = path.read_text(encoding="utf-8")
    assert findings(result.out, source) == [
        (3, 130, "typography/double-space", "  "),
        (3, 141, "style/doubled-word", "the the"),
        (6, 130, "typography/double-space", "  "),
        (6, 141, "style/doubled-word", "the the"),
    ]
    summary = json.loads(result.out)["summary"]
    assert summary["findings"] == 4 and summary["articles"] == 6 and summary["by_rule"]["style/doubled-word"] == 2


def test_two_jobs_give_the_same_report_as_one(tmp_path: Path) -> None:
    path = archive(tmp_path, count=200)
    one = run_cli(["check", str(path), "--format", "json", "--jobs", "1", *SELECT])
    two = run_cli(["check", str(path), "--format", "json", "--jobs", "2", *SELECT])
    assert one.code == two.code == 1
    assert one.out == two.out
    assert json.loads(one.out)["summary"]["findings"] == 2 * 66


def test_corrupt_line_is_reported_and_the_rest_checked(tmp_path: Path) -> None:
    path = archive(tmp_path, count=9, corrupt=4)
    result = run_cli(["check", str(path), "--format", "json", "--jobs", "2", *SELECT])
    assert result.code == 2
    assert [line for line in result.err.splitlines() if line.startswith("copylint:")] == [
        f"copylint: error: {path}:4:40: invalid JSON: Unterminated string; is the file truncated?"
    ]
    assert [line for line, *_ in findings(result.out, path.read_text(encoding="utf-8"))] == [3, 3, 6, 6, 9, 9]


def test_text_report_ends_with_a_per_rule_table(tmp_path: Path) -> None:
    result = run_cli(["check", str(archive(tmp_path, count=6)), *SELECT])
    lines = result.out.splitlines()
    assert lines[-4:] == [
        "RULE                     SEVERITY  FINDINGS  FIXABLE",
        "style/doubled-word       warning          2        2",
        "typography/double-space  warning          2        2",
        "4 findings (4 warnings) in 6 articles (1 file); 4 fixable with --fix.",
    ]
    assert lines[0].startswith(f"{tmp_path / 'archive.jsonl'}:3:130: warning [typography/double-space]")


def test_fix_rewrites_only_the_fixed_spans(tmp_path: Path) -> None:
    path = archive(tmp_path, count=6)
    before = path.read_text(encoding="utf-8")
    result = run_cli(["check", str(path), "--fix", "--jobs", "2", *SELECT])
    assert result.code == 0, result.out + result.err
    assert path.read_text(encoding="utf-8") == before.replace("voted  to", "voted to").replace("the the bridge", "the bridge")


def test_fix_writes_nothing_when_a_line_is_corrupt(tmp_path: Path) -> None:
    path = archive(tmp_path, count=6, corrupt=2)
    before = path.read_bytes()
    result = run_cli(["check", str(path), "--fix", *SELECT])
    assert result.code == 2 and "not written" in result.err
    assert path.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".copylint-tmp")]


def test_diff_of_an_archive_names_the_lines(tmp_path: Path) -> None:
    path = archive(tmp_path, count=3)
    result = run_cli(["check", str(path), "--diff", *SELECT])
    assert result.code == 1
    assert result.out.startswith(f"--- a/{path}\n+++ b/{path}\n@@ -3 +3 @@\n-")
    assert path.read_text(encoding="utf-8").count("the the") == 1


def test_sarif_streamed_from_an_archive_is_valid_json(tmp_path: Path) -> None:
    result = run_cli(["check", str(archive(tmp_path, count=3)), "--format", "sarif", *SELECT])
    run = json.loads(result.out)["runs"][0]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in run["results"]] == [3, 3]
    assert run["columnKind"] == "unicodeCodePoints" and run["invocations"][0]["executionSuccessful"]


def test_archives_and_plain_files_share_one_report(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Wend votes\n\nThe the council met.\n", encoding="utf-8")
    result = run_cli(["check", str(story), str(archive(tmp_path, count=3)), "--format", "json", *SELECT])
    data = json.loads(result.out)
    assert [entry["path"] for entry in data["files"]] == [str(story), str(tmp_path / "archive.jsonl")]
    assert data["summary"]["findings"] == 3


# --- --changed-since --------------------------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.email", "desk@example.org")
    git(tmp_path, "config", "user.name", "Desk")
    (tmp_path / "story.md").write_text("# Wend votes\n\nThe the old line stays.\n\nA quiet line.\n", encoding="utf-8")
    archive(tmp_path, count=6)
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "old copy")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_changed_since_reports_only_changed_lines(repo: Path) -> None:
    (repo / "story.md").write_text("# Wend votes\n\nThe the old line stays.\n\nA a new line.\n", encoding="utf-8")
    lines = (repo / "archive.jsonl").read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace("Wend council met", "Wend  council met")
    (repo / "archive.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (repo / "new.md").write_text("# New\n\nThe the start.\n", encoding="utf-8")
    result = run_cli(["check", "story.md", "new.md", "archive.jsonl", "--changed-since", "HEAD", "--format", "json", *SELECT])
    data = json.loads(result.out)
    got = [(entry["path"], f["line"], f["rule"]) for entry in data["files"] for f in entry["findings"]]
    assert got == [
        ("story.md", 5, "style/doubled-word"),
        ("new.md", 3, "style/doubled-word"),
        ("archive.jsonl", 6, "typography/double-space"),
        ("archive.jsonl", 6, "typography/double-space"),
        ("archive.jsonl", 6, "style/doubled-word"),
    ]


def test_changed_since_with_fix_touches_only_changed_lines(repo: Path) -> None:
    (repo / "story.md").write_text("# Wend votes\n\nThe the old line stays.\n\nA a new line.\n", encoding="utf-8")
    result = run_cli(["check", "story.md", "--changed-since", "HEAD", "--fix", *SELECT])
    assert result.code == 0
    assert (repo / "story.md").read_text(encoding="utf-8") == "# Wend votes\n\nThe the old line stays.\n\nA new line.\n"


def test_changed_since_outside_git_or_bad_revision_is_one_line_error(
    repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    bad = run_cli(["check", "story.md", "--changed-since", "no-such-rev", *SELECT])
    assert bad.code == 2 and bad.err.count("\n") == 1 and bad.err.startswith("copylint: error: git rev-parse")


def test_parse_diff_reads_new_side_ranges() -> None:
    diff = "+++ b/a.md\n@@ -3 +3,2 @@\n@@ -9,2 +10,0 @@\n+++ b/c d.md\n@@ -0,0 +1 @@\n+++ /dev/null\n@@ -1 +0,0 @@\n"
    assert parse_diff(diff) == {"a.md": [(3, 4)], "c d.md": [(1, 1)]}
    assert touches([(3, 4)], 4, 6) and not touches([(3, 4)], 5, 6) and touches(None, 1, 1)


# --- --baseline ------------------------------------------------------------------------------------


def test_baseline_records_then_reports_only_new_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    story = tmp_path / "story.txt"
    story.write_text("Wend votes\n\nThe the council met.\n", encoding="utf-8")
    path = archive(tmp_path, count=3)
    first = run_cli(["check", "story.txt", "archive.jsonl", "--baseline", "baseline.json", *SELECT])
    assert first.code == 0 and "recorded 3 findings in baseline.json" in first.err
    recorded = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    assert {(e["path"], e["rule"], e["text"], e["count"]) for e in recorded["findings"]} == {
        ("story.txt", "style/doubled-word", "The the", 1),
        ("archive.jsonl", "style/doubled-word", "the the", 1),
        ("archive.jsonl", "typography/double-space", "", 1),
    }
    # Old findings move down a line: still known. A second doubled word in the story is new.
    story.write_text("Wend votes\n\nA lead line.\n\nThe the council met. It was a a vote.\n", encoding="utf-8")
    second = run_cli(["check", "story.txt", str(path), "--baseline", "baseline.json", "--format", "json", *SELECT])
    data = json.loads(second.out)
    assert second.code == 1
    assert [(e["path"], f["line"], f["column"]) for e in data["files"] for f in e["findings"]] == [("story.txt", 5, 29)]


def test_corrupt_baseline_is_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "baseline.json").write_text("[1, 2]", encoding="utf-8")
    story = tmp_path / "story.txt"
    story.write_text("Wend votes\n\nThe council met.\n", encoding="utf-8")
    result = run_cli(["check", str(story), "--baseline", str(tmp_path / "baseline.json"), *SELECT])
    assert result.code == 2 and "not a copylint baseline" in result.err
