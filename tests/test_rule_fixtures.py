"""Run every rule's fixture file: invalid cases must give exactly the expected findings, valid ones none.

Fixtures live in tests/fixtures/rules/<category>/<name>.toml (see doubled-word.toml for the format). Fixes
must settle: applying them repeatedly ends with nothing left to fix for that rule.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from copylint.document import LineIndex
from copylint.fixes import allowed_applicabilities, fix_until_stable
from copylint.loader import load_builtin
from copylint.ruleset import all_rules

from .conftest import lint_text

FIXTURES = Path(__file__).parent / "fixtures" / "rules"


def _fixture_files() -> list[Path]:
    return sorted(FIXTURES.rglob("*.toml"))


def _cases(kind: str) -> list[Any]:
    cases = []
    for path in _fixture_files():
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for number, case in enumerate(data.get(kind, []), start=1):
            cases.append(pytest.param(data["rule"], case, id=f"{data['rule']}-{kind}-{number}"))
    return cases


@pytest.mark.parametrize(("rule_id", "case"), _cases("invalid"))
def test_invalid_case_gives_expected_findings(rule_id: str, case: dict[str, Any]) -> None:
    text = case["text"]
    findings = [f for f in lint_text(text, select=[rule_id]) if f.rule == rule_id]
    index = LineIndex(text)
    got = []
    for finding, expected in zip(findings, case["expect"], strict=False):
        line, column = index.position(finding.span.start)
        item = {"line": line, "column": column, "match": text[finding.span.start : finding.span.end]}
        if "replacement" in expected:
            item["replacement"] = finding.replacements[0] if finding.replacements else None
        got.append(item)
    assert len(findings) == len(case["expect"]), [f"{f.message} @ {f.span}" for f in findings]
    assert got == case["expect"]


@pytest.mark.parametrize(("rule_id", "case"), _cases("valid"))
def test_valid_case_is_clean(rule_id: str, case: dict[str, Any]) -> None:
    findings = [f for f in lint_text(case["text"], select=[rule_id]) if f.rule == rule_id]
    assert findings == []


@pytest.mark.parametrize(("rule_id", "case"), _cases("invalid"))
def test_fixes_settle(rule_id: str, case: dict[str, Any]) -> None:
    def lint(text: str) -> list[Any]:
        return [f for f in lint_text(text, select=[rule_id]) if f.rule == rule_id]

    outcome = fix_until_stable(case["text"], lint, allowed_applicabilities(unsafe=True))
    assert outcome.settled
    assert not any(f.fix is not None and f.fix.applicability.value != "display-only" for f in outcome.remaining)


def test_every_rule_has_fixtures_both_ways() -> None:
    covered: dict[str, set[str]] = {}
    for path in _fixture_files():
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        covered.setdefault(data["rule"], set()).update(k for k in ("invalid", "valid") if data.get(k))
    missing = [r.id for r in all_rules(load_builtin()) if covered.get(r.id) != {"invalid", "valid"}]
    assert missing == []
