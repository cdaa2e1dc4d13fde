"""SARIF 2.1.0 output for code-scanning services (columns counted in Unicode code points)."""

from __future__ import annotations

import hashlib
import json
from pathlib import PurePath, PurePosixPath
from typing import Any

from copylint import __version__
from copylint.document import LineIndex
from copylint.finding import Severity
from copylint.output import Report, located

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(path: str) -> str:
    pure = PurePath(path)
    if pure.is_absolute():
        return pure.as_uri()
    return str(PurePosixPath(*pure.parts))


def _rule_descriptor(rule: Any) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": rule.id.split("/", 1)[1].title().replace("-", ""),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.doc.what},
        "help": {"text": rule.doc.as_text(), "markdown": rule.doc.as_markdown()},
        "defaultConfiguration": {"level": _LEVEL[rule.default_severity]},
        "properties": {"tags": [rule.category.value]},
    }


def _region(index: LineIndex, start: int, end: int) -> dict[str, int]:
    line, column = index.position(start)
    end_line, end_column = index.position(end)
    return {
        "startLine": line,
        "startColumn": column,
        "endLine": end_line,
        "endColumn": end_column,
        "charOffset": start,
        "charLength": end - start,
    }


def render(report: Report, color: bool = False) -> str:
    """One run with every rule that ran and a result per finding."""
    rules = sorted({rule.id: rule for rule in report.rules}.values(), key=lambda r: r.id)
    rule_index = {rule.id: i for i, rule in enumerate(rules)}
    results = []
    for file_result in report.results:
        index = LineIndex(file_result.source)
        location_uri = _uri(file_result.path)
        for item in located(file_result):
            f = item.finding
            snippet = file_result.source[f.span.start : f.span.end]
            result: dict[str, Any] = {
                "ruleId": f.rule,
                "level": _LEVEL[f.severity],
                "message": {"text": f.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": location_uri},
                            "region": _region(index, f.span.start, f.span.end) | {"snippet": {"text": snippet}},
                        }
                    }
                ],
                "partialFingerprints": {
                    "copylint/v1": hashlib.sha256(f"{f.rule}\0{snippet}\0{item.line}".encode()).hexdigest()[:32]
                },
                "properties": {"category": f.category},
            }
            if f.rule in rule_index:
                result["ruleIndex"] = rule_index[f.rule]
            if f.fix is not None:
                result["fixes"] = [
                    {
                        "description": {"text": f"{f.fix.applicability.value} fix: {', '.join(repr(r) for r in f.replacements)}"},
                        "artifactChanges": [
                            {
                                "artifactLocation": {"uri": location_uri},
                                "replacements": [
                                    {
                                        "deletedRegion": _region(index, e.span.start, e.span.end),
                                        "insertedContent": {"text": e.replacement},
                                    }
                                    for e in f.fix.edits
                                ],
                            }
                        ],
                    }
                ]
            results.append(result)
    run = {
        "tool": {
            "driver": {
                "name": "copylint",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_rule_descriptor(r) for r in rules],
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
        "invocations": [
            {
                "executionSuccessful": not report.errors,
                "toolExecutionNotifications": [{"level": "error", "message": {"text": e}} for e in report.errors],
            }
        ],
    }
    return json.dumps({"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}, ensure_ascii=False, indent=2) + "\n"
