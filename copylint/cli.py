"""Command line: argument parsing, file discovery, exit codes; the only place that catches CopylintError."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from copylint import __version__
from copylint.errors import CopylintError, InputError, UsageError
from copylint.startcache import ColdStart

# The rest of copylint is imported inside the functions that use it, after main() has started the caches of a
# fresh process (copylint.startcache): its modules compile regular expressions and build dataclasses on import.
if TYPE_CHECKING:
    from copylint.backends import Backends
    from copylint.changes import Baseline, ChangedLines
    from copylint.config import Config
    from copylint.engine import FileResult
    from copylint.finding import Finding, Severity
    from copylint.formats import Format
    from copylint.loader import RuleData
    from copylint.rule import Category, Rule
    from copylint.ruleset import RuleSet
    from copylint.sources import SourceText

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
SUBCOMMANDS = ("check", "rules", "explain")
_SKIP_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".mypy_cache"})


def _csv(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of processes, got {value!r}") from None
    if jobs < 0:
        raise argparse.ArgumentTypeError("expected 0 (one per CPU) or more")
    return jobs


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for all subcommands."""
    from copylint.config import FAIL_ON_CHOICES
    from copylint.formats import FORMAT_BY_NAME
    from copylint.output import FORMATTERS

    parser = argparse.ArgumentParser(prog="copylint", description="A copy-editing linter for news and wire copy.")
    parser.add_argument("--version", action="version", version=f"copylint {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="check files, directories or standard input (-)")
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or directories to check; - reads standard input")
    check.add_argument("--format", choices=sorted(FORMATTERS), default=None, help="output format (default: text)")
    check.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of standard output")
    check.add_argument(
        "--select", action="append", type=_csv, metavar="RULES", help="only these rule ids or categories (comma-separated)"
    )
    check.add_argument(
        "--ignore", action="append", type=_csv, metavar="RULES", help="skip these rule ids or categories (comma-separated)"
    )
    check.add_argument(
        "--fail-on", choices=FAIL_ON_CHOICES, default=None, help="lowest severity that makes the exit code 1 (default: warning)"
    )
    check.add_argument("--fix", action="store_true", help="apply safe fixes to the files")
    check.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff, apply unsafe fixes too")
    check.add_argument("--diff", action="store_true", help="print the unified diff of the fixes; write nothing")
    check.add_argument(
        "--input-format", choices=sorted(FORMAT_BY_NAME), help="read every input as this format instead of by extension"
    )
    check.add_argument(
        "--stdin-filename", metavar="NAME", help="name for standard input in reports (and to pick its format and config)"
    )
    check.add_argument("--config", metavar="FILE", help="use this config file instead of searching for one")
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="colour in text output")
    check.add_argument(
        "--languagetool", metavar="URL", help="also check grammar on this LanguageTool server (the copy is sent to it)"
    )
    check.add_argument("--no-languagetool", action="store_true", help="send nothing to the LanguageTool server of the config")
    check.add_argument("--harper", action="store_true", help="also run Harper's offline grammar checks (copylint[harper])")
    check.add_argument(
        "--jobs", "-j", type=_jobs, default=1, metavar="N", help="check JSONL archives over N processes (0: one per CPU)"
    )
    check.add_argument(
        "--field",
        action="append",
        metavar="PATH",
        help="JSON field to check: dotted path, * for every element, optional headline=/body= and :html/:text "
        "(the first is the headline; repeatable; default: ninjs)",
    )
    check.add_argument("--changed-since", metavar="REV", help="report only findings on lines changed since git revision REV")
    check.add_argument(
        "--baseline", metavar="FILE", help="report only findings not recorded in FILE (if FILE is missing, record them there)"
    )
    check.add_argument("--update-baseline", action="store_true", help="with --baseline, record this run's findings in FILE")

    rules = commands.add_parser("rules", help="list all rules")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rules.add_argument("--config", metavar="FILE")

    explain = commands.add_parser("explain", help="show a rule's documentation")
    explain.add_argument("rule", metavar="RULE")
    explain.add_argument("--config", metavar="FILE")
    return parser


class _Settings:
    """Per-run caches: configs by file and rule sets by config (no global state)."""

    def __init__(self, args: argparse.Namespace, builtin: RuleData, backends: Backends) -> None:
        self.args = args
        self.builtin = builtin
        self.configs: dict[Path | None, Config] = {}
        self.rulesets: dict[Path | None, RuleSet] = {}
        self.backends = backends

    def config_path(self, target: Path) -> Path | None:
        from copylint.config import find_config_file

        if self.args.config:
            return Path(self.args.config)
        return find_config_file(target.resolve())

    def ruleset_for(self, target: Path) -> RuleSet:
        from copylint.backends import BackendRequest
        from copylint.config import Config, load_config_file
        from copylint.ruleset import build_ruleset

        path = self.config_path(target)
        if path not in self.rulesets:
            config = load_config_file(path) if path is not None else Config()
            select = tuple(s for group in self.args.select for s in group) if self.args.select else None
            ignore = tuple(s for group in self.args.ignore for s in group) if self.args.ignore else ()
            config = config.with_overrides(select=select, ignore=ignore, fail_on=self.args.fail_on)
            request = BackendRequest(self.args.languagetool, self.args.no_languagetool, self.args.harper)
            config, backend_rules = self.backends.configure(config, request)
            self.configs[path] = config
            self.rulesets[path] = build_ruleset(config, self.builtin, extra_rules=backend_rules)
        return self.rulesets[path]


def discover(paths: Sequence[str], errors: list[str]) -> list[Path | None]:
    """Files to check (None stands for standard input); problems are appended to ``errors``."""
    from copylint.formats import KNOWN_EXTENSIONS

    found: list[Path | None] = []
    for raw in paths:
        if raw == "-":
            found.append(None)
            continue
        path = Path(raw)
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in KNOWN_EXTENSIONS
                and not any(
                    part in _SKIP_DIRS or (part.startswith(".") and part not in (".", ".."))
                    for part in p.relative_to(path).parts[:-1]
                )
            )
            if not files:
                extensions = ", ".join(sorted(KNOWN_EXTENSIONS))
                errors.append(f"{raw}: no files to check in this directory (looked for {extensions})")
            found.extend(files)
        elif path.exists():
            found.append(path)
        else:
            errors.append(f"{raw}: no such file or directory")
    return found


def _lint_function(fmt: Format, label: str, ruleset: RuleSet):  # type: ignore[no-untyped-def]
    from copylint.engine import lint_documents

    def lint(text: str) -> tuple[Finding, ...]:
        documents = fmt.parse(text, label)
        return lint_documents(label, text, documents, ruleset).findings

    return lint


def _unified_diff(label: str, before: str, after: str) -> str:
    import difflib  # only for --diff

    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), fromfile=f"a/{label}", tofile=f"b/{label}"
    )
    return "".join(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n" for line in lines)


def _color_wanted(choice: str, stream: TextIO, to_file: bool) -> bool:
    if choice != "auto":
        return choice == "always"
    if to_file or os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def run_check(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO, cold: ColdStart | None = None) -> int:
    """Check, fix or diff the given inputs and write the report."""
    from copylint.backends import Backends
    from copylint.engine import FileResult, batch_collection
    from copylint.fixes import allowed_applicabilities, fix_until_stable
    from copylint.loader import load_builtin
    from copylint.output import Report, render
    from copylint.sources import decode, read_source, write_atomic

    if not args.paths:
        raise UsageError("no paths given (use - to read standard input)")
    if args.unsafe_fixes and not (args.fix or args.diff):
        raise UsageError("--unsafe-fixes needs --fix or --diff")
    if args.fix and args.diff:
        raise UsageError("--fix and --diff cannot be combined (--diff writes nothing)")
    settings = _Settings(args, load_builtin(), Backends())
    errors: list[str] = []
    targets = discover(args.paths, errors)
    gates = _Gates.from_args(args)
    archives: list[Path] = []  # JSONL files go to batch mode (streamed, in parallel)
    anchors: dict[str, Path] = {}
    allowed = allowed_applicabilities(args.unsafe_fixes)
    results: list[FileResult] = []
    rules: dict[str, Rule] = {}
    diffs: list[str] = []
    fixed_total = 0
    failing = False
    stdin_fixed: str | None = None
    # Over many files the collector is tuned for a long run; one file is over before that would pay.
    with batch_collection() if len(targets) > 1 else nullcontext():
        for target in targets:
            label = args.stdin_filename or "-" if target is None else str(target)
            try:
                anchor = Path(args.stdin_filename or "stdin.txt").absolute() if target is None else target
                ruleset = settings.ruleset_for(anchor)
                for active in ruleset.active:
                    rules.setdefault(active.rule.id, active.rule)
                anchors[label] = anchor
                fmt = _choose_format(args, label)
                if target is not None and fmt.name == "jsonl":
                    archives.append(target)
                    continue
                source = (
                    decode(stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read().encode(), label)
                    if target is None
                    else read_source(target)
                )
                lint = gates.wrap(_lint_function(fmt, label, ruleset), label)
                if args.fix or args.diff:
                    outcome = fix_until_stable(source.text, lint, allowed)
                    if not outcome.settled:
                        errors.append(f"{label}: fixes did not settle after repeated passes; left unapplied")
                        findings = lint(source.text)
                    else:
                        findings = outcome.remaining
                        if outcome.text != source.text:
                            if args.diff:
                                diffs.append(_unified_diff(label, source.text, outcome.text))
                            elif target is None:
                                stdin_fixed = outcome.text
                            else:
                                write_atomic(target, source.encode(outcome.text))
                            fixed_total += outcome.applied
                            results.append(FileResult(label, outcome.text, tuple(findings)))
                            failing |= _fails(findings, settings, anchor)
                            continue
                else:
                    findings = lint(source.text)
                results.append(FileResult(label, source.text, tuple(findings)))
                failing |= _fails(findings, settings, anchor)
            except CopylintError as exc:
                errors.append(str(exc))
            finally:
                if cold is not None:
                    cold.started()
    if cold is not None:
        cold.started()  # no file at all
    if gates.baseline is not None:
        results = [FileResult(r.path, r.source, tuple(gates.baseline.filter(r.path, r.source, r.findings))) for r in results]
        failing = any(_fails(r.findings, settings, anchors[r.path]) for r in results if r.path in anchors)
    if archives:
        from copylint.batch import run_batch

        return run_batch(
            args,
            ruleset_for=settings.ruleset_for,
            fail_on_for=lambda label: settings.configs[settings.config_path(anchors.get(label, Path(label)))].fail_on,
            gates=gates,
            archives=archives,
            results=results,
            rules=tuple(rules.values()),
            errors=errors,
            diffs=diffs,
            stdout=stdout,
            stderr=stderr,
        )
    for warning in settings.backends.warnings:
        print(f"copylint: warning: {warning}", file=stderr)
    for message in errors:
        print(f"copylint: error: {message}", file=stderr)
    if args.diff:
        stdout.write("".join(diffs))
        return EXIT_ERROR if errors else (EXIT_FINDINGS if diffs else EXIT_CLEAN)
    report = Report(tuple(results), tuple(rules.values()), tuple(errors), fixed_total)
    report_stream = stderr if stdin_fixed is not None else stdout
    fmt_name = args.format or "text"
    if args.output:
        text = render(fmt_name, report, color=False)
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"{args.output}: cannot write report: {exc.strerror}") from None
    else:
        report_stream.write(render(fmt_name, report, color=_color_wanted(args.color, report_stream, False)))
    if stdin_fixed is not None:
        stdout.write(stdin_fixed)
    if gates.recording:
        gates.record(stderr)
        failing = False
    if errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if failing else EXIT_CLEAN


def _choose_format(args: argparse.Namespace, label: str) -> Format:
    """The input format of ``label`` (by --input-format or extension), reading --field paths for JSON."""
    from copylint.formats import FORMAT_BY_NAME, Format, format_for

    fmt = FORMAT_BY_NAME[args.input_format] if args.input_format else format_for(label)
    if args.field and fmt.name in ("json", "jsonl"):
        from copylint.formats.jsonfeed import parse_fields, parser_for

        parse_json, parse_jsonl = parser_for(parse_fields(args.field))
        return Format(fmt.name, fmt.extensions, parse_json if fmt.name == "json" else parse_jsonl)
    if args.field:
        raise UsageError(f"{label}: --field applies to JSON and JSONL input only")
    return fmt


class _Gates:
    """--changed-since and --baseline: which findings count in this run."""

    def __init__(self, changed: ChangedLines | None = None, baseline: Baseline | None = None) -> None:
        self.changed = changed
        self.baseline = baseline

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> _Gates:
        if args.update_baseline and not args.baseline:
            raise UsageError("--update-baseline needs --baseline FILE")
        if not (args.changed_since or args.baseline):
            return cls()
        from copylint.changes import Baseline, ChangedLines  # only when asked for: git and json cost start-up time

        changed = ChangedLines.since(args.changed_since) if args.changed_since else None
        baseline = None
        if args.baseline:
            baseline = Baseline(Path(args.baseline)) if args.update_baseline else Baseline.load(Path(args.baseline))
        return cls(changed, baseline)

    @property
    def recording(self) -> bool:
        """True when this run writes the baseline instead of filtering by it."""
        return self.baseline is not None and not self.baseline.exists

    def wrap(self, lint: Callable[[str], Sequence[Finding]], label: str) -> Callable[[str], Sequence[Finding]]:
        """``lint`` keeping only findings on changed lines (so fixes, too, touch only changed lines)."""
        if self.changed is None:
            return lint
        from copylint.changes import only_changed

        ranges = self.changed.lines_for(label) if label != "-" else None
        return lambda text: only_changed(lint(text), text, ranges)

    def record(self, stderr: TextIO) -> None:
        """Write the baseline of this run and say so."""
        assert self.baseline is not None
        count = self.baseline.write()
        print(f"copylint: baseline: recorded {count} finding{'s' if count != 1 else ''} in {self.baseline.path}", file=stderr)


def _fails(findings: Sequence[Finding], settings: _Settings, anchor: Path) -> bool:
    threshold = settings.configs[settings.config_path(anchor)].fail_on
    return threshold is not None and any(f.severity >= threshold for f in findings)


def _rules_for_listing(args: argparse.Namespace) -> tuple[Rule, ...]:
    from copylint.backends import catalogue
    from copylint.config import Config, find_config_file, load_config_file
    from copylint.ruleset import all_rules, load_rule_data

    config_path = Path(args.config) if args.config else find_config_file(Path.cwd())
    config = load_config_file(config_path) if config_path else Config()
    return all_rules(load_rule_data(config), catalogue())


def run_rules(args: argparse.Namespace, stdout: TextIO) -> int:
    """Print the table of rules."""
    rules = sorted(_rules_for_listing(args), key=lambda r: (r.category.value, r.id))
    if args.format == "json":
        import json

        payload = [
            {"id": r.id, "category": r.category.value, "severity": r.default_severity.label, "summary": r.summary} for r in rules
        ]
        stdout.write(json.dumps(payload, indent=2) + "\n")
        return EXIT_CLEAN
    width = max(len(r.id) for r in rules)
    stdout.write(f"{'RULE'.ljust(width)}  {'SEVERITY':8}  SUMMARY\n")
    for rule in rules:
        stdout.write(f"{rule.id.ljust(width)}  {rule.default_severity.label:8}  {rule.summary}\n")
    return EXIT_CLEAN


def run_explain(args: argparse.Namespace, stdout: TextIO) -> int:
    """Print one rule's documentation."""
    rules = {r.id: r for r in _rules_for_listing(args)}
    rule = rules.get(args.rule)
    if rule is None:
        close = [rid for rid in rules if args.rule in rid]
        hint = f" (did you mean {', '.join(close[:3])}?)" if close else " (see `copylint rules`)"
        raise UsageError(f"unknown rule {args.rule!r}{hint}")
    stdout.write(f"{rule.id} ({rule.default_severity.label}): {rule.summary}\n\n{rule.doc.as_text()}\n")
    return EXIT_CLEAN


def main(
    argv: Sequence[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run copylint with ``argv`` and return the exit code (0 clean, 1 findings, 2 usage or input error)."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments and arguments[0] not in SUBCOMMANDS and arguments[0] not in ("-h", "--help", "--version"):
        arguments.insert(0, "check")
    cold = ColdStart.begin()
    try:
        return _run(arguments, stdin, stdout, stderr, cold)
    finally:
        if cold is not None:
            cold.finish()


def console() -> None:
    """The ``copylint`` command and ``python -m copylint``: run ``main``, flush the output, and leave at once.

    Tearing the interpreter down frees every table loaded (word lists, n-gram models, compiled patterns) one
    object at a time, ~40 ms of a one-story run; the operating system reclaims the memory in no time. Nothing
    is left to do at exit: files are written and closed, worker processes joined, caches saved by ``main``.
    """
    code = main()
    if _observed():
        sys.exit(code)  # a profiler or coverage tool writes its data as the interpreter shuts down
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:  # a reader that stopped early (``| head``) is not an error of the run
            pass
        except (OSError, ValueError):
            code = code or EXIT_ERROR
    os._exit(code)


def _observed() -> bool:
    """True when a tracer, profiler or coverage tool watches this process."""
    if sys.gettrace() is not None or sys.getprofile() is not None or "coverage" in sys.modules:
        return True
    monitoring = getattr(sys, "monitoring", None)  # Python 3.12+: cProfile and coverage register as tools
    return monitoring is not None and any(monitoring.get_tool(tool) is not None for tool in range(6))


def _run(arguments: list[str], stdin: TextIO, stdout: TextIO, stderr: TextIO, cold: ColdStart | None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(arguments)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        if args.command == "rules":
            return run_rules(args, stdout)
        if args.command == "explain":
            return run_explain(args, stdout)
        return run_check(args, stdin, stdout, stderr, cold)
    except CopylintError as exc:
        print(f"copylint: error: {exc}", file=stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_ERROR


_REEXPORTED = {"Category": "copylint.rule", "Severity": "copylint.finding", "SourceText": "copylint.sources"}


def __getattr__(name: str) -> Any:
    """The names this module re-exports, imported when first asked for (a start does not need them)."""
    if name not in _REEXPORTED:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_REEXPORTED[name]), name)


__all__ = ["Category", "InputError", "Severity", "SourceText", "main"]
