"""Apply fixes: choose non-overlapping edits by applicability, repeat until the text settles."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from copylint.finding import Applicability, Edit, Finding, Span

MAX_PASSES = 10


def allowed_applicabilities(unsafe: bool) -> frozenset[Applicability]:
    """SAFE always; UNSAFE too with --unsafe-fixes; DISPLAY_ONLY never."""
    return frozenset({Applicability.SAFE, Applicability.UNSAFE}) if unsafe else frozenset({Applicability.SAFE})


def choose_fixes(findings: Sequence[Finding], allowed: Collection[Applicability]) -> list[Finding]:
    """Fixable findings whose edits overlap no earlier chosen edit (earliest first, errors before others)."""
    chosen: list[Finding] = []
    taken: list[Span] = []
    candidates = [f for f in findings if f.fix is not None and f.fix.applicability in allowed]
    for finding in sorted(candidates, key=lambda f: (f.span.start, -f.severity, f.rule)):
        assert finding.fix is not None
        spans = [e.span for e in finding.fix.edits]
        if any(s.overlaps(t) for s in spans for t in taken):
            continue
        chosen.append(finding)
        taken.extend(spans)
    return chosen


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Apply non-overlapping edits (in any order) to ``text``."""
    pieces: list[str] = []
    position = 0
    for edit in sorted(edits, key=lambda e: (e.span.start, e.span.end)):
        if edit.span.start < position:
            raise ValueError(f"overlapping edits at {edit.span.start}")
        pieces.append(text[position : edit.span.start])
        pieces.append(edit.replacement)
        position = edit.span.end
    pieces.append(text[position:])
    return "".join(pieces)


@dataclass(frozen=True)
class FixOutcome:
    """The fixed text, how many fixes were applied, and what is left to report."""

    text: str
    applied: int
    remaining: tuple[Finding, ...]
    settled: bool


def fix_until_stable(text: str, lint: Callable[[str], Sequence[Finding]], allowed: Collection[Applicability]) -> FixOutcome:
    """Lint, apply the chosen fixes, lint again... until nothing is fixable or MAX_PASSES is reached."""
    applied = 0
    findings = tuple(lint(text))
    for _ in range(MAX_PASSES):
        chosen = choose_fixes(findings, allowed)
        if not chosen:
            return FixOutcome(text, applied, findings, settled=True)
        text = apply_edits(text, [edit for f in chosen if f.fix is not None for edit in f.fix.edits])
        applied += len(chosen)
        findings = tuple(lint(text))
    return FixOutcome(text, applied, findings, settled=not choose_fixes(findings, allowed))
