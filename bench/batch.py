"""Batch bench: JSONL archive throughput with --jobs 1 and --jobs 2, and peak memory against archive size.

The corpus (../shared/corpus/news.jsonl) is converted at run time into a temporary ninjs-like archive
(ninjs 1.x with body_html and ninjs 2.x with text bodies, alternately); nothing is written into the project.
Each run is a fresh ``copylint check ARCHIVE --format json -o /dev/null`` subprocess; peak memory is the
largest resident set of that process and its workers (getrusage of the waited child).

    .venv/bin/python -m bench.batch [--limit N] [--small 1000] [--select RULES] [--repeat 1]
"""

from __future__ import annotations

import argparse
import html
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import NEWS, iter_articles


def write_archive(path: Path, limit: int | None) -> tuple[int, int]:
    """Write the corpus as ninjs-like JSONL; returns (articles, words)."""
    count = words = 0
    with path.open("w", encoding="utf-8") as out:
        for article in iter_articles(NEWS):
            if limit is not None and count >= limit:
                break
            if count % 2 == 0:
                body = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in article.paragraphs)
                record: dict[str, object] = {"uri": article.id, "version": "1.0", "headline": article.headline, "body_html": body}
            else:
                record = {
                    "uri": article.id,
                    "headlines": [{"role": "main", "value": article.headline}],
                    "bodies": [{"role": "main", "contenttype": "text/plain", "value": "\n\n".join(article.paragraphs)}],
                }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
            words += article.word_count
    return count, words


def run(archive: Path, jobs: int, select: str | None) -> tuple[float, int, int]:
    """(seconds, peak RSS in MiB, exit code) of one check of ``archive``; CPU seconds are printed."""
    command = [sys.executable, "-m", "copylint", "check", str(archive), "--jobs", str(jobs), "--format", "json", "-o", os.devnull]
    if select:
        command += ["--select", select]
    env = dict(os.environ, CI="1")  # no progress bar
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code == 2:
        errors = process.stderr.read().decode(errors="replace").splitlines() if process.stderr else []
        print(f"  ({len(errors)} error lines, first: {errors[:1]})")
    peak = usage.ru_maxrss  # kilobytes on Linux; includes the workers it waited for
    print(f"  (--jobs {jobs}: {usage.ru_utime + usage.ru_stime:.1f} CPU s, load average {os.getloadavg()[0]:.1f})")
    return elapsed, peak // 1024, code


def compare(count: int, select: str | None) -> None:
    """Adapter check: the same articles as plain text and as ninjs/HTML JSON must get the same findings."""
    from collections import Counter

    from copylint.config import Config
    from copylint.engine import lint_documents
    from copylint.formats import jsonfeed, plaintext
    from copylint.ruleset import build_ruleset

    ruleset = build_ruleset(Config(select=tuple(select.split(",")) if select else None))
    same = differ = 0
    by_rule: Counter[str] = Counter()
    for n, article in enumerate(iter_articles(NEWS)):
        if n >= count:
            break
        text = article.text
        plain = lint_documents("a.txt", text, plaintext.parse(text, "a.txt"), ruleset).findings
        body = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in article.paragraphs)
        line = json.dumps({"headline": article.headline, "body_html": body}, ensure_ascii=False)
        found = lint_documents("a.jsonl", line, jsonfeed.line_documents(line, "a.jsonl", 1), ruleset).findings
        expected = Counter((f.rule, text[f.span.start : f.span.end]) for f in plain)
        got = Counter((f.rule, html.unescape(json.loads(f'"{line[f.span.start : f.span.end]}"'))) for f in found)
        if expected == got:
            same += 1
        else:
            differ += 1
            by_rule.update(k[0] for k in (expected - got) + (got - expected))
    print(f"adapter check: {same:,} articles with identical findings as text and as ninjs/HTML JSON, {differ:,} differ")
    for rule, n in by_rule.most_common(10):
        print(f"  {rule}: {n} findings differ")


def main(argv: list[str] | None = None) -> int:
    """Run the batch benchmarks and print a small table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="articles in the full archive (default: all)")
    parser.add_argument("--small", type=int, default=1000, help="articles in the small archive for the memory check")
    parser.add_argument("--select", default=None, help="rules to run (default: the default rule set)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per setting (the best time is kept)")
    parser.add_argument("--compare", type=int, default=0, metavar="N", help="only the adapter check on N articles")
    args = parser.parse_args(argv)
    if args.compare:
        compare(args.compare, args.select)
        return 0
    with tempfile.TemporaryDirectory(prefix="copylint-batch-") as folder:
        full, small = Path(folder) / "archive.jsonl", Path(folder) / "small.jsonl"
        articles, words = write_archive(full, args.limit)
        write_archive(small, args.small)
        size = full.stat().st_size / 2**20
        print(f"archive: {articles:,} articles, {words:,} words, {size:.1f} MiB (ninjs-like JSONL, temporary)")
        timings = {1: float("inf"), 2: float("inf")}
        peaks: dict[tuple[str, int], int] = {}
        for _ in range(args.repeat):  # interleaved, so that a change in the machine's load hits both settings
            for jobs in (1, 2):
                seconds, peak, _ = run(full, jobs, args.select)
                timings[jobs] = min(timings[jobs], seconds)
                peaks[("full", jobs)] = max(peaks.get(("full", jobs), 0), peak)
        for jobs in (1, 2):
            best, peak = timings[jobs], peaks[("full", jobs)]
            print(f"--jobs {jobs}: {best:7.2f} s  {words / best:10,.0f} words/s  peak RSS {peak} MiB")
        speedup = timings[1] / timings[2]
        print(f"speed-up --jobs 2 / --jobs 1: {speedup:.2f}x (target >= 1.7x)")
        seconds, peak_small, _ = run(small, 1, args.select)
        growth = peaks[("full", 1)] / peak_small - 1
        print(
            f"peak RSS --jobs 1: {args.small:,} articles {peak_small} MiB, {articles:,} articles {peaks[('full', 1)]} MiB "
            f"({growth:+.0%}; target within 20%)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
