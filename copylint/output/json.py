"""JSON output, version 1: a stable shape other tools depend on (see README)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from copylint.output import Located, Report, located

if TYPE_CHECKING:
    from copylint.batch import Record


def finding_entry(located: Located | Record) -> dict[str, Any]:
    """One finding as the JSON report (version 1) gives it; the batch emitter streams the same entries."""
    f = located.finding
    return {
        "rule": f.rule,
        "category": f.category,
        "severity": f.severity.label,
        "message": f.message,
        "start": f.span.start,
        "end": f.span.end,
        "line": located.line,
        "column": located.column,
        "end_line": located.end_line,
        "end_column": located.end_column,
        "replacements": list(f.replacements),
        "fix_applicability": f.fix.applicability.value if f.fix is not None else None,
    }


def render(report: Report, color: bool = False) -> str:
    """``{"version": 1, "files": [...], "summary": {...}}`` with code-point offsets and 1-based positions."""
    files = [
        {"path": result.path, "findings": [finding_entry(item) for item in located(result)]} for result in report.results
    ]
    return json.dumps({"version": 1, "files": files, "summary": report.summary()}, ensure_ascii=False, indent=2) + "\n"
