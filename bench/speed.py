"""Speed bench: lint every article of ../shared/corpus/news.jsonl in one process; time a cold start.

Usage: python -m bench.speed [--limit N] [--corpora bbc2005,...] [--ignore confusion,...]
Prints words/s, articles/s, peak RSS, and the median wall and CPU time of `copylint check` on one article.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import iter_articles
from copylint.config import Config
from copylint.engine import batch_collection, lint_documents
from copylint.formats import plaintext
from copylint.ruleset import build_ruleset


def throughput(limit: int | None, corpora: list[str] | None, ignore: tuple[str, ...] = ()) -> None:
    """Lint articles in-process with every default rule (less ``ignore``, as ``--ignore`` takes it) and print
    the rates."""
    ruleset = build_ruleset(Config(ignore=ignore))
    articles = list(iter_articles(corpora=corpora))[:limit]
    # The texts are laid out and their words counted before the clock starts: that is the bench's work.
    texts = [(article.id, article.text) for article in articles]
    words = sum(article.word_count for article in articles)
    # Warm up lazily loaded data so the figure is steady-state throughput.
    warm = texts[0][1]
    lint_documents("warm", warm, plaintext.parse(warm, "warm"), ruleset)
    findings = 0
    with batch_collection():  # as `copylint check` does over many files
        started, cpu_started = time.perf_counter(), time.process_time()
        for label, text in texts:
            findings += len(lint_documents(label, text, plaintext.parse(text, label), ruleset).findings)
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_started  # other processes on a shared machine stretch wall time, not this
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rules: {len(ruleset.active)} ({', '.join(ruleset.ids)})")
    print(f"articles: {len(articles):,}  words: {words:,}  findings: {findings:,}  time: {elapsed:.2f}s")
    print(f"throughput: {words / elapsed:,.0f} words/s, {len(articles) / elapsed:,.1f} articles/s; peak RSS {peak_mib:,.0f} MiB")
    print(f"throughput by CPU time: {words / cpu:,.0f} words/s ({cpu:.2f}s CPU)")


def _median_run(command: list[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    """Median wall and CPU (user + system of the child) seconds of ``command``, after one unmeasured run."""
    subprocess.run(command, capture_output=True, check=False, env=env)
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False, env=env)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def cold_start(runs: int = 7) -> None:
    """Median time of a fresh `python -m copylint check` on one article.

    Measured twice: with bytecode cached (as after ``pip install``, which compiles it; here in a scratch
    pycache folder, never in the tree) and compiling every module from source, which is what a run pays when
    PYTHONDONTWRITEBYTECODE is set and no bytecode exists.
    """
    article = next(iter_articles(corpora=["bbc2005"]))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "article.txt"
        path.write_text(article.text, encoding="utf-8")
        command = [sys.executable, "-m", "copylint", "check", str(path)]
        cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        cached["PYTHONPYCACHEPREFIX"] = str(Path(folder) / "pycache")
        source = {k: v for k, v in os.environ.items() if k != "PYTHONPYCACHEPREFIX"}
        source["PYTHONDONTWRITEBYTECODE"] = "1"
        for label, env in (("bytecode cached", cached), ("compiled from source", source)):
            wall, cpu = _median_run(command, env, runs)
            print(
                f"cold start (copylint check, one article, {label}): "
                f"median {wall * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU over {runs} runs"
            )


def main() -> int:
    """Parse arguments and run both measurements."""
    parser = argparse.ArgumentParser(description="copylint speed bench")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--corpora", default=None, help="comma-separated corpus names")
    parser.add_argument("--ignore", default="", help="comma-separated rules or groups to leave out, as copylint's --ignore")
    args = parser.parse_args()
    ignore = tuple(name for name in args.ignore.split(",") if name)
    throughput(args.limit, args.corpora.split(",") if args.corpora else None, ignore)
    cold_start()
    return 0


if __name__ == "__main__":
    sys.exit(main())
