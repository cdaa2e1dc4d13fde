"""Run a rule set over documents: collect, map to source offsets, sort and de-duplicate findings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from copylint.document import Document
from copylint.errors import CopylintError
from copylint.finding import Edit, Finding, Fix
from copylint.ruleset import RuleSet


class RuleCrash(CopylintError):
    """A rule raised an unexpected exception (a bug in copylint or a rule plug-in)."""


@dataclass(frozen=True)
class FileResult:
    """Findings for one file, with spans in code points of ``source``."""

    path: str
    source: str
    findings: tuple[Finding, ...]


def lint_document(document: Document, ruleset: RuleSet) -> list[Finding]:
    """Findings of every active rule on ``document``, spans into ``document.text``."""
    findings: list[Finding] = []
    for active in ruleset.active:
        try:
            produced = list(active.rule.check(document, active.context))
        except CopylintError:
            raise
        except Exception as exc:  # a rule bug must not surface as a traceback to editors
            where = document.label or "input"
            raise RuleCrash(f"{where}: rule {active.rule.id} failed: {type(exc).__name__}: {exc}") from exc
        if document.suppressions:
            produced = [f for f in produced if not any(s.covers(f.rule, f.span.start) for s in document.suppressions)]
        configured = ruleset.config.severity.get(active.rule.id)
        if configured is not None:
            produced = [replace(f, severity=configured) for f in produced]
        findings.extend(produced)
    return findings


def to_source(document: Document, finding: Finding) -> Finding:
    """The finding with spans (and fix edits) mapped to the source file, replacements escaped for it."""
    if document.source_map is None:
        return finding
    fix = None
    if finding.fix is not None:
        edits = tuple(Edit(document.to_source(e.span), document.escape(e.replacement)) for e in finding.fix.edits)
        fix = Fix(edits, finding.fix.applicability)
    return replace(
        finding,
        span=document.to_source(finding.span),
        fix=fix,
        related=tuple(document.to_source(s) for s in finding.related),
    )


def sort_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Order by position then rule; drop exact duplicates (same rule and span)."""
    unique: dict[tuple[str, int, int], Finding] = {}
    for finding in findings:
        key = (finding.rule, finding.span.start, finding.span.end)
        unique.setdefault(key, finding)
    return tuple(sorted(unique.values(), key=lambda f: (f.span.start, f.span.end, f.rule)))


def lint_documents(path: str, source: str, documents: Sequence[Document], ruleset: RuleSet) -> FileResult:
    """Lint every document parsed from one file."""
    findings = [to_source(doc, f) for doc in documents for f in lint_document(doc, ruleset)]
    return FileResult(path, source, sort_findings(findings))
