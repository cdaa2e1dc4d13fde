"""Output formats: the exact JSON shape, SARIF structure (and schema), GitHub annotations, text output."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from .conftest import run_cli

STORY = "Bridge  closes\r\n\r\nThe council said the the bridge, near Café Nørd, would close.\r\n"
SNAPSHOTS = Path(__file__).parent / "snapshots"
SARIF_SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "schemas" / "sarif-schema-2.1.0.json"


@pytest.fixture
def story(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    Path("story.txt").write_bytes(STORY.encode("utf-8"))
    return "story.txt"


def snapshot(name: str, actual: str) -> None:
    """Compare with tests/snapshots/NAME; rewrite it when COPYLINT_UPDATE_SNAPSHOTS=1."""
    path = SNAPSHOTS / name
    if os.environ.get("COPYLINT_UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


def test_json_shape_is_exactly_version_1(story: str) -> None:
    data = json.loads(run_cli(["check", story, "--format", "json", "--select", "style,typography"]).out)
    assert set(data) == {"version", "files", "summary"} and data["version"] == 1
    (file_entry,) = data["files"]
    assert set(file_entry) == {"path", "findings"} and file_entry["path"] == "story.txt"
    keys = {"rule", "category", "severity", "message", "start", "end", "line", "column", "end_line", "end_column",
            "replacements", "fix_applicability"}  # fmt: skip
    for finding in file_entry["findings"]:
        assert set(finding) == keys
    double_space, doubled = file_entry["findings"]
    assert double_space == {
        "rule": "typography/double-space",
        "category": "typography",
        "severity": "warning",
        "message": "Several spaces where one belongs",
        "start": 6,
        "end": 8,
        "line": 1,
        "column": 7,
        "end_line": 1,
        "end_column": 9,
        "replacements": [" "],
        "fix_applicability": "safe",
    }
    assert STORY[doubled["start"] : doubled["end"]] == "the the"
    assert (doubled["line"], doubled["column"]) == (3, 18)
    assert data["summary"]["findings"] == 2 and data["summary"]["by_severity"]["warning"] == 2


def test_json_offsets_count_code_points_not_bytes(tmp_path: Path) -> None:
    path = tmp_path / "u.txt"
    path.write_text("Café  opens\n\nNørd said so.\n", encoding="utf-8")
    data = json.loads(run_cli(["check", str(path), "--format", "json", "--select", "typography"]).out)
    (finding,) = data["files"][0]["findings"]
    assert (finding["start"], finding["column"]) == (4, 5)


def test_sarif_structure(story: str) -> None:
    data = json.loads(run_cli(["check", story, "--format", "sarif", "--select", "style,typography"]).out)
    assert data["version"] == "2.1.0"
    (run,) = data["runs"]
    assert run["columnKind"] == "unicodeCodePoints"
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["style/doubled-word", "style/redundancy", "typography/double-space"]
    assert all(r["help"]["text"] and "## What it does" in r["help"]["markdown"] for r in rules)
    first = run["results"][0]
    assert first["ruleId"] == "typography/double-space" and first["level"] == "warning"
    assert rules[first["ruleIndex"]]["id"] == "typography/double-space"
    region = first["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (1, 7, 9)
    assert first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "story.txt"
    replacement = first["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert replacement["insertedContent"]["text"] == " "


@pytest.mark.skipif(not SARIF_SCHEMA.exists(), reason="needs ../shared/schemas (not in a fresh clone)")
def test_sarif_validates_against_the_official_schema(story: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    data = json.loads(run_cli(["check", story, "--format", "sarif"]).out)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(data)


def test_github_annotations(story: str) -> None:
    out = run_cli(["check", story, "--format", "github", "--select", "style,typography"]).out
    assert out.splitlines() == [
        "::warning file=story.txt,line=1,col=7,endLine=1,endColumn=9,title=typography/double-space"
        "::Several spaces where one belongs",
        "::warning file=story.txt,line=3,col=18,endLine=3,endColumn=25,title=style/doubled-word::'the' is repeated",
    ]


def test_plain_text_output_snapshot(story: str) -> None:
    snapshot("plain_text.txt", run_cli(["check", story, "--select", "style,typography"]).out)


def test_colour_output_uses_ansi_and_strike(story: str) -> None:
    out = run_cli(["check", story, "--select", "style,typography", "--color", "always"]).out
    assert "\x1b[" in out and "\x1b[9" in out  # 9 = strike-through
    assert "story.txt:3:18" in out


def test_no_color_env_keeps_plain(story: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run_cli(["check", story]).out
