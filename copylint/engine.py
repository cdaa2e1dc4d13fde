"""Run a rule set over documents: collect, map to source offsets, sort and de-duplicate findings."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
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
    # A rule with ``defer(produced, others) -> kept`` (the grammar backends) runs with the others but gives way
    # to them: its findings are filtered after every other rule's are known.
    deferred: list[tuple[Callable[[list[Finding], tuple[Finding, ...]], list[Finding]], list[Finding]]] = []
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
        overrides = ruleset.config.severity
        configured = overrides.get(active.rule.id) or overrides.get(active.rule.category.value)
        if configured is not None:
            produced = [replace(f, severity=configured) for f in produced]
        defer = getattr(active.rule, "defer", None)
        if defer is not None:
            deferred.append((defer, produced))
            continue
        findings.extend(produced)
    for keep, produced in deferred:
        findings.extend(keep(produced, tuple(findings)))
    return findings


def to_source(document: Document, finding: Finding) -> Finding:
    """The finding with spans (and fix edits) mapped to the source file, replacements escaped for it."""
    if document.source_map is None:
        return finding
    fix = None
    suggestions = finding.suggestions
    if finding.fix is not None:
        if all(document.source_map.exact(e.span) for e in finding.fix.edits):
            edits = tuple(
                Edit(document.to_source(e.span), document.escape_at(e.span.start)(e.replacement)) for e in finding.fix.edits
            )
            fix = Fix(edits, finding.fix.applicability)
        else:  # the edit would reach over markup (or into an entity): report it, offer the text, never apply it
            suggestions = suggestions or finding.replacements
    return replace(
        finding,
        span=document.to_source(finding.span),
        fix=fix,
        suggestions=suggestions,
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


# Young objects are collected every BATCH_GC_THRESHOLDS[0] allocations of containers rather than 700: linting
# makes many short-lived ones (tokens, findings), freed by reference counting long before, while the memo
# tables that rules grow as they go are re-scanned by every older collection. The default settings cost about a
# tenth of a long run.
BATCH_GC_THRESHOLDS = (10_000, 10, 10)


@contextmanager
def batch_collection() -> Iterator[None]:
    """Collect cyclic garbage less often while linting many documents, as the command line does.

    What is loaded so far (rule data, models) is frozen out of the collector's scans, and collections are
    spaced out (``BATCH_GC_THRESHOLDS``); the previous settings are restored on leaving.
    """
    previous = gc.get_threshold()
    frozen_before = gc.get_freeze_count()
    gc.freeze()
    gc.set_threshold(*BATCH_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
        if not frozen_before:  # a caller's own freeze stays as it was
            gc.unfreeze()
