"""Batch mode for JSONL archives: streamed line by line, linted over N processes, reported as it goes.

Memory stays flat whatever the archive's size: lines are read and sent to the workers in chunks, at most
a few chunks are in flight, and findings are written out in file order as soon as their chunk is back
(only per-rule counts are kept for the summary). A corrupt line is reported with its line number and
skipped. With ``--fix`` the fixed archive is written to a temporary file beside the original and moved
into place only if every line could be read; otherwise nothing is written.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import tempfile
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TextIO

from copylint.changes import Baseline, touches
from copylint.document import LineIndex
from copylint.engine import BATCH_GC_THRESHOLDS, FileResult, lint_documents
from copylint.errors import CopylintError
from copylint.finding import Applicability, Edit, Finding, Fix, Severity
from copylint.fixes import fix_until_stable
from copylint.output.json import finding_entry
from copylint.output.text import _fix_note, _plain_segment, context_segments

if TYPE_CHECKING:
    from copylint.formats.jsonfeed import FieldPath
    from copylint.rule import Rule
    from copylint.ruleset import RuleSet

# Linted once in the parent before the workers fork, so that data the rules load lazily (dictionaries,
# n-gram tables) is loaded once and shared copy-on-write instead of once per worker.
WARM_UP = json.dumps(
    {
        "headline": "Wend council backs the the ferry plan",
        "body_text": "Mayor Ina Dorrow of Wend said on Tuesday that 1,200 residents, or 12 per cent, had signed the "
        "petiton.\nDorrow said their was no need for a second vote in March; the Wend Ferry Co. agreed.",
    }
).encode()
CHUNK_LINES = 32
CHUNK_BYTES = 32 * 1024
RECYCLE_BYTES = 1024 * 1024  # a worker is replaced after about this much input (chunks are at most CHUNK_BYTES)
IN_FLIGHT_PER_JOB = 3


@dataclass(frozen=True, slots=True)
class Record:
    """One finding located in its file: absolute code-point spans, 1-based positions, context for text output."""

    finding: Finding
    line: int
    column: int
    end_line: int
    end_column: int
    edit_regions: tuple[tuple[int, int, int, int], ...]
    snippet: str
    context: str


@dataclass(frozen=True, slots=True)
class LineOutcome:
    """What a worker made of one line: its length in code points, findings, an error, or its fixed text."""

    number: int
    length: int
    records: tuple[Record, ...] = ()
    error: str | None = None
    fixed: str | None = None
    applied: int = 0


@dataclass(frozen=True)
class Job:
    """Everything a worker needs (inherited by forked workers, never pickled)."""

    ruleset: RuleSet
    fields: tuple[FieldPath, ...]
    allowed: frozenset[Applicability]  # empty when not fixing
    label: str


def records_for(source: str, findings: Sequence[Finding], line_base: int = 0, offset_base: int = 0) -> tuple[Record, ...]:
    """Located records for findings in ``source`` (a whole file, or one line placed at ``line_base``)."""
    if not findings:
        return ()
    index = LineIndex(source)
    records = []
    for f in findings:
        line, column = index.position(f.span.start)
        end_line, end_column = index.position(f.span.end)
        regions = []
        if f.fix is not None:
            for edit in f.fix.edits:
                a, b = index.position(edit.span.start), index.position(edit.span.end)
                regions.append((a[0] + line_base, a[1], b[0] + line_base, b[1]))
        context = "".join(_plain_segment(t, s) for t, s in context_segments(source, f))
        shifted = _shift(f, offset_base) if offset_base else f
        records.append(
            Record(
                shifted,
                line + line_base,
                column,
                end_line + line_base,
                end_column,
                tuple(regions),
                source[f.span.start : f.span.end],
                context,
            )
        )
    return tuple(records)


def _shift(finding: Finding, delta: int) -> Finding:
    fix = None
    if finding.fix is not None:
        fix = Fix(tuple(Edit(e.span.shifted(delta), e.replacement) for e in finding.fix.edits), finding.fix.applicability)
    return replace(finding, span=finding.span.shifted(delta), fix=fix, related=tuple(s.shifted(delta) for s in finding.related))


def lint_line(job: Job, number: int, raw: bytes) -> LineOutcome:
    """Decode, parse and lint one JSONL line (fixing it when the job asks)."""
    from copylint.formats.jsonfeed import line_documents

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        message = f"{job.label}:{number}: not valid UTF-8 ({exc.reason})"
        return LineOutcome(number, len(raw.decode("utf-8", "replace")), error=message)
    if not text.strip():
        return LineOutcome(number, len(text))

    def lint(current: str) -> tuple[Finding, ...]:
        documents = line_documents(current, job.label, number, job.fields)
        if not documents:
            raise _NoArticle(f"{job.label}:{number}: no article fields found on this line")
        return lint_documents(job.label, current, documents, job.ruleset).findings

    try:
        if job.allowed:
            outcome = fix_until_stable(text, lint, job.allowed)
            fixed = outcome.text if outcome.settled and outcome.text != text else None
            findings = outcome.remaining if outcome.settled else lint(text)
            applied = outcome.applied if fixed is not None else 0
            final = fixed if fixed is not None else text
            return LineOutcome(number, len(final), records_for(final, findings, number - 1), fixed=fixed, applied=applied)
        return LineOutcome(number, len(text), records_for(text, lint(text), number - 1))
    except CopylintError as exc:
        return LineOutcome(number, len(text), error=str(exc))


class _NoArticle(CopylintError):
    """A JSONL line holds valid JSON but nothing to check."""


_WORKER_JOB: list[Job] = []  # set once in each worker process by _init_worker (pool initialisers have no other channel)


def _init_worker(job: Job) -> None:
    _WORKER_JOB[:] = [job]
    gc.set_threshold(*BATCH_GC_THRESHOLDS)  # the parent froze what the worker inherits (see _pool)


def _work(chunk: list[tuple[int, bytes]]) -> list[LineOutcome]:
    job = _WORKER_JOB[0]
    return [lint_line(job, number, raw) for number, raw in chunk]


def _chunks(handle: IO[bytes], progress: Callable[[int], None]) -> Iterator[list[tuple[int, bytes]]]:
    chunk: list[tuple[int, bytes]] = []
    size = 0
    for number, raw in enumerate(handle, start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        chunk.append((number, raw))
        size += len(raw)
        progress(len(raw))
        if len(chunk) >= CHUNK_LINES or size >= CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _strip_ending(raw: bytes) -> tuple[bytes, bytes]:
    if raw.endswith(b"\r\n"):
        return raw[:-2], b"\r\n"
    if raw.endswith(b"\n"):
        return raw[:-1], b"\n"
    return raw, b""


@dataclass
class Tally:
    """Running counts for the summary: by rule and severity, fixes, lines and errors."""

    by_rule: Counter[str] = field(default_factory=Counter)
    fixable_by_rule: Counter[str] = field(default_factory=Counter)
    severity_by_rule: dict[str, Severity] = field(default_factory=dict)
    by_severity: Counter[str] = field(default_factory=Counter)
    articles: int = 0
    fixed: int = 0
    files: int = 0
    errors: list[str] = field(default_factory=list)
    failing: bool = False

    def add(self, record: Record, fail_on: Severity | None) -> None:
        f = record.finding
        self.by_rule[f.rule] += 1
        self.by_severity[f.severity.label] += 1
        self.severity_by_rule[f.rule] = max(f.severity, self.severity_by_rule.get(f.rule, f.severity))
        if f.fix is not None and f.fix.applicability is Applicability.SAFE:
            self.fixable_by_rule[f.rule] += 1
        if fail_on is not None and f.severity >= fail_on:
            self.failing = True

    def summary(self) -> dict[str, Any]:
        """The same keys as the JSON report's summary."""
        total = sum(self.by_rule.values())
        return {
            "files": self.files,
            "findings": total,
            "by_severity": {s.label: self.by_severity.get(s.label, 0) for s in sorted(Severity, reverse=True)},
            "by_rule": dict(sorted(self.by_rule.items())),
            "fixable": sum(self.fixable_by_rule.values()),
            "unsafe_fixable": 0,
            "fixed": self.fixed,
            "errors": list(self.errors),
            "articles": self.articles,
        }


class Emitter:
    """Writes findings as they come; subclasses per output format."""

    def __init__(self, stream: TextIO, rules: Sequence[Rule]) -> None:
        self.stream = stream
        self.rules = rules

    def start(self) -> None:
        """Before the first file."""

    def file(self, path: str, records: Sequence[Record]) -> None:
        """Findings of one file or archive line, in order."""

    def finish(self, tally: Tally) -> None:
        """After the last file."""


class TextEmitter(Emitter):
    """The plain text report, line by line."""

    def file(self, path: str, records: Sequence[Record]) -> None:
        lines = []
        for r in records:
            f = r.finding
            lines.append(f"{path}:{r.line}:{r.column}: {f.severity.label} [{f.rule}] {f.message}\n    | {r.context}\n")
            note = _fix_note(f)
            if note:
                lines.append(f"    = {note}\n")
        self.stream.write("".join(lines))

    def finish(self, tally: Tally) -> None:
        summary = tally.summary()
        total = summary["findings"]
        counts = ", ".join(f"{n} {label}{'s' if n != 1 else ''}" for label, n in summary["by_severity"].items() if n)
        line = f"{total} finding{'s' if total != 1 else ''}" + (f" ({counts})" if counts else "")
        line += f" in {tally.articles} article{'s' if tally.articles != 1 else ''}"
        line += f" ({tally.files} file{'s' if tally.files != 1 else ''})"
        if tally.fixed:
            line += f"; fixed {tally.fixed}"
        if summary["fixable"]:
            line += f"; {summary['fixable']} fixable with --fix"
        if tally.errors:
            line += f"; {len(tally.errors)} error{'s' if len(tally.errors) != 1 else ''}"
        self.stream.write(line + ".\n")


class JsonEmitter(Emitter):
    """JSON report version 1, streamed: one entry per file in ``files``, then the summary."""

    def start(self) -> None:
        self.stream.write('{"version": 1, "files": [')
        self._first_file = True
        self._path: str | None = None
        self._first_finding = True

    def file(self, path: str, records: Sequence[Record]) -> None:
        if path != self._path:
            if self._path is not None:
                self.stream.write("]}")
            self.stream.write(("\n" if self._first_file else ",\n") + json.dumps({"path": path})[:-1] + ', "findings": [')
            self._first_file = False
            self._path = path
            self._first_finding = True
        for r in records:
            item = finding_entry(r)
            self.stream.write(("\n  " if self._first_finding else ",\n  ") + json.dumps(item, ensure_ascii=False))
            self._first_finding = False

    def finish(self, tally: Tally) -> None:
        if self._path is not None:
            self.stream.write("]}")
        self.stream.write('\n], "summary": ' + json.dumps(tally.summary(), ensure_ascii=False) + "}\n")


class SarifEmitter(Emitter):
    """SARIF 2.1.0, streamed: the run header with every rule, results as they come, then the invocation."""

    def start(self) -> None:
        from copylint import __version__
        from copylint.output.sarif import SCHEMA_URI, _rule_descriptor

        rules = sorted({rule.id: rule for rule in self.rules}.values(), key=lambda r: r.id)
        self._index = {rule.id: i for i, rule in enumerate(rules)}
        driver = {
            "name": "copylint",
            "version": __version__,
            "semanticVersion": __version__,
            "rules": [_rule_descriptor(r) for r in rules],
        }
        head = json.dumps({"$schema": SCHEMA_URI, "version": "2.1.0"})[:-1]
        self.stream.write(head + ', "runs": [{"tool": {"driver": ' + json.dumps(driver, ensure_ascii=False))
        self.stream.write('}, "columnKind": "unicodeCodePoints", "results": [')
        self._first = True

    def file(self, path: str, records: Sequence[Record]) -> None:
        import hashlib

        from copylint.output.sarif import _LEVEL, _uri

        uri = _uri(path)
        for r in records:
            f = r.finding
            region = {
                "startLine": r.line,
                "startColumn": r.column,
                "endLine": r.end_line,
                "endColumn": r.end_column,
                "charOffset": f.span.start,
                "charLength": f.span.end - f.span.start,
            }
            result: dict[str, Any] = {
                "ruleId": f.rule,
                "level": _LEVEL[f.severity],
                "message": {"text": f.message},
                "locations": [
                    {"physicalLocation": {"artifactLocation": {"uri": uri}, "region": region | {"snippet": {"text": r.snippet}}}}
                ],
                "partialFingerprints": {
                    "copylint/v1": hashlib.sha256(f"{f.rule}\0{r.snippet}\0{r.line}".encode()).hexdigest()[:32]
                },
                "properties": {"category": f.category},
            }
            if f.rule in self._index:
                result["ruleIndex"] = self._index[f.rule]
            if f.fix is not None:
                replacements = [
                    {
                        "deletedRegion": {
                            "startLine": a,
                            "startColumn": b,
                            "endLine": c,
                            "endColumn": d,
                            "charOffset": e.span.start,
                            "charLength": e.span.end - e.span.start,
                        },
                        "insertedContent": {"text": e.replacement},
                    }
                    for (a, b, c, d), e in zip(r.edit_regions, f.fix.edits, strict=False)
                ]
                description = f"{f.fix.applicability.value} fix: {', '.join(repr(x) for x in f.replacements)}"
                change = {"artifactLocation": {"uri": uri}, "replacements": replacements}
                result["fixes"] = [{"description": {"text": description}, "artifactChanges": [change]}]
            self.stream.write(("\n" if self._first else ",\n") + json.dumps(result, ensure_ascii=False))
            self._first = False

    def finish(self, tally: Tally) -> None:
        invocation = {
            "executionSuccessful": not tally.errors,
            "toolExecutionNotifications": [{"level": "error", "message": {"text": e}} for e in tally.errors],
        }
        self.stream.write('\n], "invocations": [' + json.dumps(invocation, ensure_ascii=False) + "]}]}\n")


class GithubEmitter(Emitter):
    """GitHub Actions annotations."""

    def file(self, path: str, records: Sequence[Record]) -> None:
        from copylint.output.github import _LEVEL, _escape_data, _escape_property

        for r in records:
            f = r.finding
            props = (
                f"file={_escape_property(path)},line={r.line},col={r.column},endLine={r.end_line},"
                f"endColumn={r.end_column},title={_escape_property(f.rule)}"
            )
            self.stream.write(f"::{_LEVEL[f.severity]} {props}::{_escape_data(f.message)}\n")


EMITTERS: dict[str, type[Emitter]] = {"text": TextEmitter, "json": JsonEmitter, "sarif": SarifEmitter, "github": GithubEmitter}


def summary_table(tally: Tally, stream: TextIO, color: bool) -> None:
    """The per-rule table: findings, safe fixes and worst severity of each rule, most frequent first."""
    rows = sorted(tally.by_rule.items(), key=lambda item: (-item[1], item[0]))
    if not rows:
        return
    if color:
        from rich.console import Console
        from rich.table import Table

        table = Table(title="Findings by rule", title_justify="left")
        table.add_column("rule")
        table.add_column("severity")
        table.add_column("findings", justify="right")
        table.add_column("fixable", justify="right")
        for rule, count in rows:
            table.add_row(rule, tally.severity_by_rule[rule].label, f"{count:,}", f"{tally.fixable_by_rule.get(rule, 0):,}")
        Console(file=stream, force_terminal=True, highlight=False).print(table)
        return
    width = max(len("RULE"), *(len(rule) for rule, _ in rows))
    lines = [f"{'RULE'.ljust(width)}  SEVERITY  {'FINDINGS':>8}  {'FIXABLE':>7}"]
    for rule, count in rows:
        lines.append(
            f"{rule.ljust(width)}  {tally.severity_by_rule[rule].label:8}  {count:>8,}  {tally.fixable_by_rule.get(rule, 0):>7,}"
        )
    stream.write("\n".join(lines) + "\n")


@dataclass
class Archive:
    """One JSONL file to check, with its gates."""

    path: Path
    label: str
    changed: list[tuple[int, int]] | None = None  # None: every line counts
    only_changed: bool = False


class _Progress:
    """A rich progress bar on a terminal (bytes read of the total), nothing otherwise."""

    def __init__(self, enabled: bool, stream: TextIO) -> None:
        self.enabled = enabled
        self._progress: Any = None
        self._task: Any = None
        self.stream = stream

    def begin(self, label: str, total: int) -> None:
        if not self.enabled:
            return
        from rich.console import Console
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=Console(file=self.stream),
            transient=True,
        )
        self._progress.start()
        self._task = self._progress.add_task(label, total=total)

    def advance(self, amount: int) -> None:
        if self._progress is not None:
            self._progress.advance(self._task, amount)

    def end(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def _pool(jobs: int, job: Job) -> Any:
    """A process pool whose workers inherit ``job`` by forking (None where fork is unavailable: run in-process).

    Even one job runs in a worker: the parent keeps the warmed-up rules, and each worker is replaced after
    about RECYCLE_BYTES of input, so caches that rules grow as they go cannot make memory grow with the archive.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    gc.freeze()  # the workers' collectors then leave the inherited objects (and their pages) alone
    recycle = max(1, RECYCLE_BYTES // CHUNK_BYTES)
    return multiprocessing.get_context("fork").Pool(
        max(jobs, 1), initializer=_init_worker, initargs=(job,), maxtasksperchild=recycle
    )


def _outcomes(
    handle: IO[bytes], job: Job, pool: Any, jobs: int, progress: Callable[[int], None], wanted: Callable[[int], bool]
) -> Iterator[tuple[list[tuple[int, bytes]], list[LineOutcome | None]]]:
    """(chunk, outcomes) in file order; lines not ``wanted`` (unchanged ones) are passed over with None."""

    def run(chunk: list[tuple[int, bytes]]) -> Callable[[], list[LineOutcome]]:
        todo = [(n, _strip_ending(raw)[0]) for n, raw in chunk if wanted(n)]
        if pool is None:
            done = [lint_line(job, n, raw) for n, raw in todo]
            return lambda: done
        pending = pool.apply_async(_work, (todo,))
        return lambda: pending.get()

    def merge(chunk: list[tuple[int, bytes]], done: list[LineOutcome]) -> list[LineOutcome | None]:
        by_number = {o.number: o for o in done}
        return [by_number.get(n) for n, _ in chunk]

    window: deque[tuple[list[tuple[int, bytes]], Callable[[], list[LineOutcome]]]] = deque()
    limit = max(1, jobs * IN_FLIGHT_PER_JOB) if pool is not None else 1
    for chunk in _chunks(handle, progress):
        window.append((chunk, run(chunk)))
        while len(window) >= limit:
            first, result = window.popleft()
            yield first, merge(first, result())
    while window:
        first, result = window.popleft()
        yield first, merge(first, result())


def _line_length(raw: bytes) -> int:
    return len(_strip_ending(raw)[0].decode("utf-8", "replace"))


def check_archive(
    archive: Archive,
    job: Job,
    *,
    jobs: int,
    emitter: Emitter,
    tally: Tally,
    fail_on: Severity | None,
    progress: _Progress,
    write: bool,
    diff: list[str] | None,
    baseline: Baseline | None,
) -> None:
    """Stream one archive through the workers: emit its findings, count them, write the fixed file if asked."""
    try:
        handle = archive.path.open("rb")
        total = archive.path.stat().st_size
    except OSError as exc:
        tally.errors.append(f"{archive.label}: cannot read: {exc.strerror}")
        return
    temp: Any = None
    if write:
        temp = tempfile.NamedTemporaryFile(  # noqa: SIM115  (closed below; moved into place only on success)
            "wb", prefix=f".{archive.path.name}.", suffix=".copylint-tmp", dir=archive.path.parent, delete=False
        )
    errors_before, fixed_before = len(tally.errors), tally.fixed
    changed_any = False
    offset = 0
    tally.files += 1
    emitter.file(archive.label, ())
    progress.begin(archive.path.name, total)
    pool = _pool(jobs, job)
    try:
        wanted = (lambda n: touches(archive.changed, n, n)) if archive.only_changed else (lambda n: True)
        for chunk, outcomes in _outcomes(handle, job, pool, jobs, progress.advance, wanted):
            for (number, raw), outcome in zip(chunk, outcomes, strict=True):
                length = outcome.length if outcome is not None else _line_length(raw)
                if outcome is not None:
                    if outcome.error is not None:
                        tally.errors.append(outcome.error)
                    elif outcome.length or outcome.records:
                        tally.articles += 1
                    records = [
                        replace(r, finding=_shift(r.finding, offset)) if offset else r
                        for r in outcome.records
                        if baseline is None or baseline.admit(archive.label, r.finding.rule, r.snippet)
                    ]
                    for record in records:
                        tally.add(record, fail_on)
                    if records:
                        emitter.file(archive.label, records)
                    if outcome.fixed is not None:
                        tally.fixed += outcome.applied
                        changed_any = True
                        if diff is not None:
                            old = _strip_ending(raw)[0].decode("utf-8", "replace")
                            diff.append(f"@@ -{number} +{number} @@\n-{old}\n+{outcome.fixed}\n")
                if temp is not None:
                    if outcome is not None and outcome.fixed is not None:
                        temp.write(outcome.fixed.encode("utf-8") + _strip_ending(raw)[1])
                    else:
                        temp.write(raw)
                offset += length + len(_strip_ending(raw)[1])
    except BaseException:
        if temp is not None:
            temp.close()
            os.unlink(temp.name)
            temp = None
        raise
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
        progress.end()
        handle.close()
        if temp is not None:
            temp.close()
    if temp is None:
        return
    if len(tally.errors) > errors_before:
        os.unlink(temp.name)
        tally.fixed = fixed_before
        tally.errors.append(f"{archive.label}: not written: some lines could not be checked (see above)")
        return
    if not changed_any:
        os.unlink(temp.name)
        return
    os.chmod(temp.name, archive.path.stat().st_mode & 0o7777)
    os.replace(temp.name, archive.path)


def stdout_is_terminal(stream: TextIO) -> bool:
    """True for an interactive terminal (and not in CI), where a progress bar helps."""
    return bool(getattr(stream, "isatty", lambda: False)()) and not os.environ.get("CI")


def emit_results(
    emitter: Emitter, tally: Tally, results: Sequence[FileResult], fail_on: Callable[[str], Severity | None]
) -> None:
    """Stream whole-file results (the non-archive inputs of a batch run) through ``emitter``."""
    for result in results:
        tally.files += 1
        tally.articles += 1
        records = records_for(result.source, result.findings)
        threshold = fail_on(result.path)
        for record in records:
            tally.add(record, threshold)
        emitter.file(result.path, records)


def default_jobs() -> int:
    """Processes for ``--jobs 0``: the CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_batch(
    args: Any,
    *,
    ruleset_for: Callable[[Path], RuleSet],
    fail_on_for: Callable[[str], Severity | None],
    gates: Any,
    archives: Sequence[Path],
    results: Sequence[FileResult],
    rules: Sequence[Rule],
    errors: Sequence[str],
    diffs: Sequence[str],
    stdout: TextIO,
    stderr: TextIO,
) -> int:
    """Report ``results`` (files already checked) and stream ``archives``; returns the exit code."""
    from copylint.fixes import allowed_applicabilities
    from copylint.formats.jsonfeed import parse_fields

    fields = parse_fields(args.field) if args.field else ()
    jobs = args.jobs or default_jobs()
    fmt_name = args.format or "text"
    stream: TextIO = stdout
    if args.output and not args.diff:
        try:
            stream = open(args.output, "w", encoding="utf-8")  # noqa: SIM115  (closed in the finally below)
        except OSError as exc:
            from copylint.errors import UsageError

            raise UsageError(f"{args.output}: cannot write report: {exc.strerror}") from None
    emitter: Emitter = Emitter(stream, rules) if args.diff else EMITTERS[fmt_name](stream, rules)
    tally = Tally()
    tally.errors.extend(errors)
    archive_diffs: list[str] = []
    allowed = allowed_applicabilities(args.unsafe_fixes) if (args.fix or args.diff) else frozenset()
    progress = _Progress(stdout_is_terminal(stderr) and not args.diff, stderr)
    try:
        emitter.start()
        emit_results(emitter, tally, results, fail_on_for)
        for path in archives:
            label = str(path)
            ruleset = ruleset_for(path)
            job = Job(ruleset, fields, frozenset(allowed), label)
            lint_line(job, 1, WARM_UP)
            archive = Archive(path, label)
            if gates.changed is not None:
                archive.changed = gates.changed.lines_for(label)
                archive.only_changed = True
            hunks: list[str] | None = [] if args.diff else None
            check_archive(
                archive,
                job,
                jobs=jobs,
                emitter=emitter,
                tally=tally,
                fail_on=fail_on_for(label),
                progress=progress,
                write=bool(args.fix),
                diff=hunks,
                baseline=gates.baseline,
            )
            if hunks:
                archive_diffs.append(f"--- a/{label}\n+++ b/{label}\n" + "".join(hunks))
        if fmt_name == "text" and not args.diff:
            summary_table(tally, stream, color=False)
        elif not args.diff:
            summary_table(tally, stderr, color=stdout_is_terminal(stderr) and not os.environ.get("NO_COLOR"))
        emitter.finish(tally)
    finally:
        if stream is not stdout:
            stream.close()
    for message in tally.errors:
        print(f"copylint: error: {message}", file=stderr)
    if args.diff:
        stdout.write("".join(diffs) + "".join(archive_diffs))
        return 2 if tally.errors else (1 if diffs or archive_diffs else 0)
    failing = tally.failing
    if gates.recording:
        gates.record(stderr)
        failing = False
    if tally.errors:
        return 2
    return 1 if failing else 0
