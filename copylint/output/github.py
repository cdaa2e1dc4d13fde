"""GitHub Actions workflow commands: one ``::warning file=...::message`` annotation per finding."""

from __future__ import annotations

from copylint.finding import Severity
from copylint.output import Report, located

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render(report: Report, color: bool = False) -> str:
    """Annotations in file order."""
    lines = []
    for result in report.results:
        for item in located(result):
            f = item.finding
            props = ",".join(
                [
                    f"file={_escape_property(result.path)}",
                    f"line={item.line}",
                    f"col={item.column}",
                    f"endLine={item.end_line}",
                    f"endColumn={item.end_column}",
                    f"title={_escape_property(f.rule)}",
                ]
            )
            lines.append(f"::{_LEVEL[f.severity]} {props}::{_escape_data(f.message)}")
    return "".join(line + "\n" for line in lines)
