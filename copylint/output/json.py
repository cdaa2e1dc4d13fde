"""JSON output, version 1: a stable shape other tools depend on (see README)."""

from __future__ import annotations

import json

from copylint.output import Report, located


def render(report: Report, color: bool = False) -> str:
    """``{"version": 1, "files": [...], "summary": {...}}`` with code-point offsets and 1-based positions."""
    files = []
    for result in report.results:
        findings = []
        for item in located(result):
            f = item.finding
            findings.append(
                {
                    "rule": f.rule,
                    "category": f.category,
                    "severity": f.severity.label,
                    "message": f.message,
                    "start": f.span.start,
                    "end": f.span.end,
                    "line": item.line,
                    "column": item.column,
                    "end_line": item.end_line,
                    "end_column": item.end_column,
                    "replacements": list(f.replacements),
                    "fix_applicability": f.fix.applicability.value if f.fix is not None else None,
                }
            )
        files.append({"path": result.path, "findings": findings})
    return json.dumps({"version": 1, "files": files, "summary": report.summary()}, ensure_ascii=False, indent=2) + "\n"
