"""Shared test helpers: run the CLI in-process and lint strings with chosen rules."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import pytest

from copylint.cli import main
from copylint.config import Config
from copylint.engine import lint_documents
from copylint.finding import Finding
from copylint.formats import plaintext
from copylint.ruleset import build_ruleset


@dataclass
class CliResult:
    """Exit code and captured streams of one in-process run."""

    code: int
    out: str
    err: str


def run_cli(argv: Sequence[str], stdin_text: str = "") -> CliResult:
    """Run ``copylint`` with ``argv`` in-process."""
    stdin = io.TextIOWrapper(io.BytesIO(stdin_text.encode("utf-8")), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdin=stdin, stdout=out, stderr=err)
    return CliResult(code, out.getvalue(), err.getvalue())


def lint_text(text: str, select: Sequence[str] | None = None, **config: object) -> list[Finding]:
    """Findings on plain ``text`` with only the ``select``ed rules (all if None)."""
    ruleset = build_ruleset(Config(select=tuple(select) if select else None, **config))  # type: ignore[arg-type]
    return list(lint_documents("test", text, plaintext.parse(text, "test"), ruleset).findings)


@pytest.fixture
def cli():
    """The in-process CLI runner."""
    return run_cli
