"""Gates for old copy: report only findings on lines changed since a git revision, or not in a baseline.

``--changed-since REV`` asks git which lines of each file differ from REV (untracked files count as
wholly new). ``--baseline FILE`` stores today's findings, keyed by file, rule and flagged text (not by line,
so edits above a finding do not make it new); a later run reports only findings beyond those counts.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from copylint.document import LineIndex
from copylint.errors import InputError, UsageError
from copylint.finding import Finding

BASELINE_VERSION = 1
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.MULTILINE)
_GIT_TIMEOUT = 60


def _git(args: Sequence[str], cwd: Path) -> str:
    try:
        completed = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=_GIT_TIMEOUT
        )
    except FileNotFoundError:
        raise UsageError("--changed-since needs git, which is not installed") from None
    except subprocess.TimeoutExpired:
        raise UsageError(f"git {' '.join(args)} did not finish in {_GIT_TIMEOUT} s") from None
    if completed.returncode != 0:
        message = (completed.stderr.strip().splitlines() or ["failed"])[-1]
        raise UsageError(f"git {args[0]}: {message}")
    return completed.stdout


def parse_diff(diff: str) -> dict[str, list[tuple[int, int]]]:
    """Changed line ranges (first, last; 1-based, inclusive) of each new-side path in a ``git diff -U0``."""
    ranges: dict[str, list[tuple[int, int]]] = {}
    current: list[tuple[int, int]] | None = None
    for line in diff.splitlines():
        if line.startswith("+++ "):
            target = line[4:]
            if target == "/dev/null":
                current = None
                continue
            if target.startswith('"'):  # git quotes unusual names C-style
                target = target[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape").encode("latin-1").decode()
            current = ranges.setdefault(target[2:] if target.startswith("b/") else target, [])
        elif line.startswith("@@") and current is not None:
            match = _HUNK.match(line)
            if match:
                start, count = int(match.group(1)), int(match.group(2) or "1")
                if count:
                    current.append((start, start + count - 1))
    return ranges


@dataclass
class ChangedLines:
    """Which lines of which files changed since a revision (files git does not track count as all new)."""

    root: Path
    ranges: dict[str, list[tuple[int, int]]]
    untracked: frozenset[str]

    @classmethod
    def since(cls, revision: str, cwd: Path | None = None) -> ChangedLines:
        """Ask git (in ``cwd``'s repository) for the lines changed between ``revision`` and the working tree."""
        here = (cwd or Path.cwd()).resolve()
        root = Path(_git(["rev-parse", "--show-toplevel"], here).strip())
        _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], root)
        options = ["-U0", "--no-color", "--no-ext-diff", "--no-renames"]
        diff = _git(["-c", "core.quotepath=off", "diff", *options, revision, "--"], root)
        untracked = _git(["-c", "core.quotepath=off", "ls-files", "--others", "--exclude-standard", "-z"], root)
        return cls(root, parse_diff(diff), frozenset(p for p in untracked.split("\0") if p))

    def _key(self, path: str) -> str | None:
        try:
            return Path(os.path.realpath(path)).relative_to(os.path.realpath(self.root)).as_posix()
        except ValueError:
            return None

    def lines_for(self, path: str) -> list[tuple[int, int]] | None:
        """Changed line ranges of ``path``; None means every line (a new, untracked or outside file)."""
        key = self._key(path)
        if key is None or key in self.untracked:
            return None
        return self.ranges.get(key, [])


def touches(ranges: Sequence[tuple[int, int]] | None, first: int, last: int) -> bool:
    """True if the line range first..last meets any changed range (None: everything changed)."""
    if ranges is None:
        return True
    return any(start <= last and first <= end for start, end in ranges)


def only_changed(findings: Iterable[Finding], text: str, ranges: Sequence[tuple[int, int]] | None) -> list[Finding]:
    """The findings that sit on changed lines of ``text``."""
    if ranges is None:
        return list(findings)
    index = LineIndex(text)
    kept = []
    for finding in findings:
        first = index.position(finding.span.start)[0]
        last = index.position(max(finding.span.start, finding.span.end - 1))[0]
        if touches(ranges, first, last):
            kept.append(finding)
    return kept


def baseline_key(path: str, rule: str, flagged: str) -> str:
    """What identifies a finding in a baseline: file, rule and flagged text (whitespace folded)."""
    return f"{path}\0{rule}\0{' '.join(flagged.split())}"


@dataclass
class Baseline:
    """Counts of known findings; ``admit`` lets through only those beyond the counts."""

    path: Path
    known: Counter[str] = field(default_factory=Counter)
    seen: Counter[str] = field(default_factory=Counter)
    exists: bool = False

    @classmethod
    def load(cls, path: Path) -> Baseline:
        """Read a baseline file; a missing one is empty (and will be written at the end of the run)."""
        if not path.exists():
            return cls(path)
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
            if payload.get("version") != BASELINE_VERSION:
                raise InputError(f"{path}: unsupported baseline version {payload.get('version')!r}")
            known: Counter[str] = Counter()
            for entry in payload["findings"]:
                known[baseline_key(entry["path"], entry["rule"], entry["text"])] += int(entry.get("count", 1))
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: cannot read baseline: {exc}") from None
        except (ValueError, KeyError, TypeError, AttributeError):
            raise InputError(f"{path}: not a copylint baseline (expected JSON with version and findings)") from None
        return cls(path, known, exists=True)

    def relative(self, path: str) -> str:
        """``path`` as stored: relative to the baseline's folder, with forward slashes."""
        if path == "-" or path.startswith("<"):
            return path
        return Path(os.path.relpath(os.path.realpath(path), os.path.realpath(self.path.parent))).as_posix()

    def admit(self, path: str, rule: str, flagged: str) -> bool:
        """Count this finding; True if it is new (beyond what the baseline knew)."""
        key = baseline_key(self.relative(path), rule, flagged)
        self.seen[key] += 1
        return self.seen[key] > self.known.get(key, 0)

    def filter(self, path: str, source: str, findings: Sequence[Finding]) -> list[Finding]:
        """The findings of one file that are new."""
        return [f for f in findings if self.admit(path, f.rule, source[f.span.start : f.span.end])]

    def write(self) -> int:
        """Record everything seen in this run; returns how many findings were recorded."""
        entries = []
        for key, count in sorted(self.seen.items()):
            path, rule, text = key.split("\0")
            entries.append({"path": path, "rule": rule, "text": text, "count": count})
        payload = {"version": BASELINE_VERSION, "findings": entries}
        try:
            self.path.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"{self.path}: cannot write baseline: {exc.strerror}") from None
        return sum(self.seen.values())


Gate = Callable[[str, str, Sequence[Finding]], list[Finding]]
