"""Human output: findings grouped by file, each with its sentence and the fix as an inline diff.

With colour (a terminal, NO_COLOR unset) it is drawn with rich: removed text red and struck through,
added text green. Without colour it is plain and stable, the diff written as ``[-old-]{+new+}``.
"""

from __future__ import annotations

from copylint.finding import Applicability, Finding, Severity
from copylint.output import Report, located

CONTEXT_CHARS = 70
_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}

Segment = tuple[str, str]  # (text, style) where style is "", "removed" or "added"


def _context_start(source: str, position: int) -> int:
    limit = max(0, position - CONTEXT_CHARS)
    line_start = max(source.rfind("\n", 0, position), source.rfind("\r", 0, position)) + 1
    start = max(limit, line_start)
    if start > line_start:
        space = source.find(" ", start, position)
        start = space + 1 if space != -1 else start
    return start


def _context_end(source: str, position: int) -> int:
    limit = min(len(source), position + CONTEXT_CHARS)
    ends = [i for i in (source.find("\n", position), source.find("\r", position)) if i != -1]
    line_end = min(ends) if ends else len(source)
    end = min(limit, line_end)
    if end < line_end:
        space = source.rfind(" ", position, end)
        end = space if space != -1 else end
    return end


def context_segments(source: str, finding: Finding) -> list[Segment]:
    """The finding's surroundings on its line, with the fix's edits (if any) as removed/added pieces."""
    span = finding.fix.span if finding.fix is not None else finding.span
    start = _context_start(source, span.start)
    end = max(_context_end(source, span.end), span.end)
    segments: list[Segment] = []
    if start > 0 and source[start - 1] not in "\r\n":
        segments.append(("…", ""))
    position = start
    edits = sorted(finding.fix.edits, key=lambda e: e.span.start) if finding.fix is not None else []
    for edit in edits:
        segments.append((source[position : edit.span.start], ""))
        if edit.span.end > edit.span.start:
            segments.append((source[edit.span.start : edit.span.end], "removed"))
        if edit.replacement:
            segments.append((edit.replacement, "added"))
        position = edit.span.end
    if not edits:
        segments.append((source[position : finding.span.start], ""))
        segments.append((source[finding.span.start : finding.span.end], "flagged"))
        position = finding.span.end
    segments.append((source[position:end], ""))
    if end < len(source) and source[end] not in "\r\n":
        segments.append(("…", ""))
    return [(text.replace("\r", " ").replace("\n", " "), style) for text, style in segments if text]


def _plain_segment(text: str, style: str) -> str:
    if style == "removed":
        return f"[-{text}-]"
    if style == "added":
        return f"{{+{text}+}}"
    return text


def _fix_note(finding: Finding) -> str:
    if finding.fix is None:
        if finding.suggestions:
            return "suggestions: " + ", ".join(repr(s) for s in finding.suggestions)
        return ""
    if finding.fix.applicability is Applicability.SAFE:
        return "fixable with --fix"
    if finding.fix.applicability is Applicability.UNSAFE:
        return "fixable with --fix --unsafe-fixes"
    return "suggested fix (not applied automatically)"


def summary_line(report: Report) -> str:
    """One line: counts by severity, files, and what --fix could do."""
    summary = report.summary()
    total = summary["findings"]
    counts = ", ".join(f"{n} {label}{'s' if n != 1 else ''}" for label, n in summary["by_severity"].items() if n)
    parts = [f"{total} finding{'s' if total != 1 else ''}" + (f" ({counts})" if counts else "")]
    parts.append(f"in {summary['files']} file{'s' if summary['files'] != 1 else ''}")
    line = " ".join(parts)
    if summary["fixed"]:
        line += f"; fixed {summary['fixed']}"
    if summary["fixable"]:
        line += f"; {summary['fixable']} fixable with --fix"
    if summary["unsafe_fixable"]:
        line += f"; {summary['unsafe_fixable']} more with --unsafe-fixes"
    if summary["errors"]:
        line += f"; {len(summary['errors'])} file error{'s' if len(summary['errors']) != 1 else ''}"
    return line + "."


def _render_plain(report: Report) -> str:
    lines: list[str] = []
    for result in report.results:
        for item in located(result):
            f = item.finding
            lines.append(f"{result.path}:{item.line}:{item.column}: {f.severity.label} [{f.rule}] {f.message}")
            context = "".join(_plain_segment(t, s) for t, s in context_segments(result.source, f))
            lines.append(f"    | {context}")
            note = _fix_note(f)
            if note:
                lines.append(f"    = {note}")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def _render_rich(report: Report) -> str:
    from rich.console import Console
    from rich.text import Text

    console = Console(record=True, force_terminal=True, color_system="standard", width=120, highlight=False)
    styles = {"removed": "red strike", "added": "green", "flagged": "bold underline", "": ""}
    with console.capture() as capture:
        for result in report.results:
            items = list(located(result))
            if not items:
                continue
            console.print(Text(result.path, style="bold"))
            for item in items:
                f = item.finding
                header = Text()
                header.append(f"  {result.path}:{item.line}:{item.column}", style="bold")
                header.append(f" {f.severity.label}", style=_SEVERITY_STYLE[f.severity])
                header.append(f" {f.rule}", style="magenta")
                header.append(f" {f.message}")
                console.print(header)
                body = Text()
                body.append("    │ ", style="dim")
                for text, style in context_segments(result.source, f):
                    body.append(text, style=styles[style])
                console.print(body)
                note = _fix_note(f)
                if note:
                    console.print(Text(f"    = {note}", style="dim"))
            console.print()
        console.print(Text(summary_line(report), style="bold"))
    return capture.get()


def render(report: Report, color: bool = False) -> str:
    """Rich text on a colour terminal, stable plain text otherwise."""
    return _render_rich(report) if color else _render_plain(report)
