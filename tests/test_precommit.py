"""The pre-commit hooks, for real: pre-commit installs this repository's hooks in a temporary story repository.

The first run builds the hook's environment (pip installs copylint from a clone of this repository's HEAD),
which takes a minute or so; the hooks of .pre-commit-hooks.yaml are then exercised by ``git commit``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STORY = "# Wend council votes\n\nThe the council voted on Monday to close the bridge.\n"
FIXED = "# Wend council votes\n\nThe council voted on Monday to close the bridge.\n"


def _head() -> str | None:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        return None
    done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else None


HEAD = _head()
pytestmark = pytest.mark.skipif(HEAD is None, reason="needs git and this project as a git checkout")


def run(repo: Path, env: dict[str, str], *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=900)


def configure(repo: Path, hook: str) -> None:
    (repo / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {ROOT}\n"
        f"    rev: {HEAD}\n"
        "    hooks:\n"
        f"      - id: {hook}\n"
        '        args: [--select, "typography/double-space,style/doubled-word"]\n',
        encoding="utf-8",
    )


def test_hooks_block_a_typo_and_fix_it(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit")
    repo = tmp_path / "stories"
    repo.mkdir()
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), GIT_AUTHOR_NAME="Desk")
    env.update(GIT_AUTHOR_EMAIL="desk@example.org", GIT_COMMITTER_NAME="Desk", GIT_COMMITTER_EMAIL="desk@example.org")
    run(repo, env, "git", "init", "-q")
    configure(repo, "copylint")
    installed = run(repo, env, sys.executable, "-m", "pre_commit", "install")
    assert installed.returncode == 0, installed.stderr
    (repo / "story.md").write_text(STORY, encoding="utf-8")
    (repo / "notes.py").write_text("# the the: Python is not copy\n", encoding="utf-8")
    run(repo, env, "git", "add", ".")

    blocked = run(repo, env, "git", "commit", "-qm", "story with a doubled word")
    assert blocked.returncode != 0, blocked.stdout + blocked.stderr
    output = blocked.stdout + blocked.stderr
    assert "story.md:3:1: warning [style/doubled-word] 'the' is repeated" in output
    assert "notes.py" not in output
    assert run(repo, env, "git", "rev-parse", "--verify", "-q", "HEAD").returncode != 0  # nothing committed

    configure(repo, "copylint-fix")
    run(repo, env, "git", "add", ".pre-commit-config.yaml")
    fixing = run(repo, env, "git", "commit", "-qm", "story, fixed by the hook")
    assert fixing.returncode != 0  # pre-commit refuses a commit whose files a hook changed...
    assert (repo / "story.md").read_text(encoding="utf-8") == FIXED  # ...after fixing them in place
    run(repo, env, "git", "add", "story.md")
    committed = run(repo, env, "git", "commit", "-qm", "story, fixed by the hook")
    assert committed.returncode == 0, committed.stdout + committed.stderr
