"""Speed bench: lint every article of ../shared/corpus/news.jsonl in one process; time a cold start.

Usage: python -m bench.speed [--limit N] [--corpora bbc2005,...]
Prints words/s, articles/s, peak RSS, and the median wall time of `copylint check` on one article.
"""

from __future__ import annotations

import argparse
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
from copylint.engine import lint_documents
from copylint.formats import plaintext
from copylint.ruleset import build_ruleset


def throughput(limit: int | None, corpora: list[str] | None) -> None:
    """Lint articles in-process and print the rates."""
    ruleset = build_ruleset(Config())
    articles = list(iter_articles(corpora=corpora))[:limit]
    # Warm up lazily loaded data so the figure is steady-state throughput.
    warm = articles[0].text
    lint_documents("warm", warm, plaintext.parse(warm, "warm"), ruleset)
    words = findings = 0
    started = time.perf_counter()
    for article in articles:
        text = article.text
        words += article.word_count
        findings += len(lint_documents(article.id, text, plaintext.parse(text, article.id), ruleset).findings)
    elapsed = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rules: {len(ruleset.active)} ({', '.join(ruleset.ids)})")
    print(f"articles: {len(articles):,}  words: {words:,}  findings: {findings:,}  time: {elapsed:.2f}s")
    print(f"throughput: {words / elapsed:,.0f} words/s, {len(articles) / elapsed:,.1f} articles/s; peak RSS {peak_mib:,.0f} MiB")


def cold_start(runs: int = 7) -> None:
    """Median wall time of a fresh `python -m copylint check` on one article."""
    article = next(iter_articles(corpora=["bbc2005"]))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "article.txt"
        path.write_text(article.text, encoding="utf-8")
        subprocess.run([sys.executable, "-m", "copylint", "check", str(path)], capture_output=True, check=False)
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "copylint", "check", str(path)], capture_output=True, check=False)
            times.append(time.perf_counter() - started)
    print(f"cold start (copylint check, one article): median {statistics.median(times) * 1000:.0f} ms over {runs} runs")


def main() -> int:
    """Parse arguments and run both measurements."""
    parser = argparse.ArgumentParser(description="copylint speed bench")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--corpora", default=None, help="comma-separated corpus names")
    args = parser.parse_args()
    throughput(args.limit, args.corpora.split(",") if args.corpora else None)
    cold_start()
    return 0


if __name__ == "__main__":
    sys.exit(main())
