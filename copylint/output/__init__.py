"""Output formats: each is a module with ``render(report, color) -> str``, chosen from FORMATTERS."""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from copylint.document import LineIndex
from copylint.engine import FileResult
from copylint.finding import Applicability, Finding, Severity
from copylint.rule import Rule

FORMATTERS = {
    "text": "copylint.output.text",
    "json": "copylint.output.json",
    "sarif": "copylint.output.sarif",
    "github": "copylint.output.github",
}


@dataclass(frozen=True)
class Report:
    """Everything a formatter needs: results per file, the rules that ran, input errors, fixes applied."""

    results: tuple[FileResult, ...]
    rules: tuple[Rule, ...]
    errors: tuple[str, ...] = ()
    fixed: int = 0

    def findings(self) -> Iterator[Finding]:
        """All findings of all files."""
        for result in self.results:
            yield from result.findings

    def summary(self) -> dict[str, Any]:
        """Counts for the end of a report."""
        findings = list(self.findings())
        by_severity = Counter(f.severity.label for f in findings)
        return {
            "files": len(self.results),
            "findings": len(findings),
            "by_severity": {s.label: by_severity.get(s.label, 0) for s in sorted(Severity, reverse=True)},
            "by_rule": dict(sorted(Counter(f.rule for f in findings).items())),
            "fixable": sum(1 for f in findings if f.fix is not None and f.fix.applicability is Applicability.SAFE),
            "unsafe_fixable": sum(1 for f in findings if f.fix is not None and f.fix.applicability is Applicability.UNSAFE),
            "fixed": self.fixed,
            "errors": list(self.errors),
        }


@dataclass(frozen=True)
class Located:
    """A finding with 1-based start and end positions (end column is just past the last character)."""

    finding: Finding
    line: int
    column: int
    end_line: int
    end_column: int


def located(result: FileResult) -> Iterator[Located]:
    """Findings of one file with line and column computed from its source."""
    index = LineIndex(result.source)
    for finding in result.findings:
        line, column = index.position(finding.span.start)
        end_line, end_column = index.position(finding.span.end)
        yield Located(finding, line, column, end_line, end_column)


def render(name: str, report: Report, color: bool = False) -> str:
    """Render ``report`` with the named formatter (imported only when used)."""
    module = importlib.import_module(FORMATTERS[name])
    text: str = module.render(report, color)
    return text
