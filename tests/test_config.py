"""Configuration: discovery, precedence, validation, word lists, severity overrides and rule directories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from copylint.config import Config, find_config_file, load_config_file
from copylint.errors import ConfigError
from copylint.finding import Severity

from .conftest import run_cli

STORY = "Depot opens\n\nThe the mayor opened the depot and also thanked staff.\n"


def rules_found(result_out: str) -> list[str]:
    return [f["rule"] for f in json.loads(result_out)["files"][0]["findings"]]


def test_discovery_order_and_walking_up(tmp_path: Path) -> None:
    nested = tmp_path / "desk" / "stories"
    nested.mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text("[tool.copylint]\nignore = ['style']\n", encoding="utf-8")
    assert find_config_file(nested / "a.txt") == tmp_path / "pyproject.toml"
    (tmp_path / "desk" / "copylint.toml").write_text("ignore = ['typography']\n", encoding="utf-8")
    assert find_config_file(nested / "a.txt") == tmp_path / "desk" / "copylint.toml"
    (tmp_path / "desk" / ".copylint.toml").write_text("", encoding="utf-8")
    assert find_config_file(nested / "a.txt") == tmp_path / "desk" / ".copylint.toml"


def test_pyproject_without_copylint_table_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    found = find_config_file(sub / "a.txt")
    assert found is None or found.parent != tmp_path


def test_unknown_key_is_an_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "copylint.toml"
    path.write_text("selekt = ['style']\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"copylint\.toml: unknown configuration key: selekt"):
        load_config_file(path)
    story = tmp_path / "s.txt"
    story.write_text(STORY, encoding="utf-8")
    result = run_cli(["check", str(story)])
    assert result.code == 2 and "selekt" in result.err and "Traceback" not in result.err


def test_invalid_toml_and_bad_values(tmp_path: Path) -> None:
    path = tmp_path / "copylint.toml"
    path.write_text("select = [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config_file(path)
    path.write_text("fail_on = 'sometimes'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="fail_on"):
        load_config_file(path)
    path.write_text("[severity]\n'style/redundancy' = 'fatal'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown severity"):
        load_config_file(path)


def test_config_select_and_command_line_precedence(tmp_path: Path) -> None:
    (tmp_path / "copylint.toml").write_text("select = ['style/doubled-word']\nfail_on = 'never'\n", encoding="utf-8")
    story = tmp_path / "s.txt"
    story.write_text(STORY, encoding="utf-8")
    result = run_cli(["check", str(story), "--format", "json"])
    assert result.code == 0  # fail_on = never from config
    assert rules_found(result.out) == ["style/doubled-word"]
    overridden = run_cli(["check", str(story), "--format", "json", "--select", "style/redundancy", "--fail-on", "info"])
    assert overridden.code == 1
    assert rules_found(overridden.out) == ["style/redundancy"]


def test_severity_override_changes_findings_and_exit_code(tmp_path: Path) -> None:
    (tmp_path / "copylint.toml").write_text(
        "[severity]\n'style/redundancy' = 'error'\n'style/doubled-word' = 'info'\n", encoding="utf-8"
    )
    story = tmp_path / "s.txt"
    story.write_text(STORY, encoding="utf-8")
    result = run_cli(["check", str(story), "--format", "json", "--fail-on", "error"])
    findings = json.loads(result.out)["files"][0]["findings"]
    assert {f["rule"]: f["severity"] for f in findings} == {"style/doubled-word": "info", "style/redundancy": "error"}
    assert result.code == 1


def test_unknown_rule_in_config_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "copylint.toml").write_text("ignore = ['style/made-up']\n", encoding="utf-8")
    story = tmp_path / "s.txt"
    story.write_text(STORY, encoding="utf-8")
    result = run_cli(["check", str(story)])
    assert result.code == 2 and "style/made-up" in result.err


def test_unknown_rule_option_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "copylint.toml").write_text("[options.'style/doubled-word']\nstrictness = 3\n", encoding="utf-8")
    story = tmp_path / "s.txt"
    story.write_text(STORY, encoding="utf-8")
    result = run_cli(["check", str(story)])
    assert result.code == 2 and "strictness" in result.err


def test_words_and_words_file_are_read(tmp_path: Path) -> None:
    (tmp_path / "house.txt").write_text("# names\nQaraghandy\n\nTreharne\n", encoding="utf-8")
    path = tmp_path / "copylint.toml"
    path.write_text("words = ['Nandakumar']\nwords_file = 'house.txt'\n", encoding="utf-8")
    config = load_config_file(path)
    assert config.words == frozenset({"Nandakumar", "Qaraghandy", "Treharne"})
    path.write_text("words_file = 'missing.txt'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"missing\.txt"):
        load_config_file(path)


def test_rule_dirs_add_house_rules(tmp_path: Path) -> None:
    rules = tmp_path / "house-rules"
    rules.mkdir()
    (rules / "email.toml").write_text(
        """id = "style/house-email"
kind = "substitution"
severity = "warning"
summary = "House spelling of email"
message = "House style is {replacement}"
applicability = "safe"
[doc]
what = "w"
why = "y"
example = "e-mail"
use_instead = "email"
fix_safety = "safe"
[swap]
"e-mail" = "email"
""",
        encoding="utf-8",
    )
    (tmp_path / "copylint.toml").write_text("rule_dirs = ['house-rules']\n", encoding="utf-8")
    story = tmp_path / "s.txt"
    story.write_text("Inbox\n\nSend an E-mail to the desk.\n", encoding="utf-8")
    result = run_cli(["check", str(story), "--format", "json"])
    findings = json.loads(result.out)["files"][0]["findings"]
    assert [(f["rule"], f["replacements"]) for f in findings] == [("style/house-email", ["Email"])]


def test_defaults() -> None:
    config = Config()
    assert config.fail_on is Severity.WARNING and config.select is None
    assert config.with_overrides(fail_on="never").fail_on is None
    assert config.with_overrides(ignore=("style",)).ignore == ("style",)


def test_severity_override_by_category_applies_to_rule_chosen_severities(tmp_path: Path) -> None:
    (tmp_path / "copylint.toml").write_text("[severity]\nspelling = 'info'\n", encoding="utf-8")
    story = tmp_path / "s.txt"
    story.write_text("Budget vote\n\nThe goverment said the vote would go ahead.\n", encoding="utf-8")
    result = run_cli(["check", str(story), "--format", "json", "--select", "spelling"])
    findings = json.loads(result.out)["files"][0]["findings"]
    assert [(f["rule"], f["severity"]) for f in findings] == [("spelling/nonword", "info")]
    assert result.code == 0
