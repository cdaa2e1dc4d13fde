"""Grammar backends bench: cost (ms per article) and false alarms on clean copy from ../shared/corpus.

Usage: python -m bench.backends [--articles 300] [--seed 7] [--harper] [--languagetool URL] [--show 15]

Every finding a backend adds on the clean articles counts as a false alarm (after de-duplication against
copylint's own findings, as in a real run). The cost is the extra wall time per article of a run with the
backend over the same run without it (CPU time); the backend's one-off start-up (Harper builds its dictionary, a
LanguageTool client asks the server for its languages) is reported separately.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import MODERN, Article, sample_articles
from copylint.backends import BackendRequest, Backends
from copylint.config import Config
from copylint.engine import lint_documents
from copylint.finding import Finding
from copylint.formats import plaintext
from copylint.ruleset import RuleSet, build_ruleset


def _lint_all(ruleset: RuleSet, articles: Sequence[Article]) -> tuple[float, float, list[list[Finding]]]:
    # CPU time stays put on a machine shared with other work; wall time includes a server's answer time.
    cpu, wall = time.process_time(), time.perf_counter()
    results = [list(lint_documents(a.id, a.text, plaintext.parse(a.text, a.id), ruleset).findings) for a in articles]
    return time.process_time() - cpu, time.perf_counter() - wall, results


def measure(name: str, request: BackendRequest, articles: Sequence[Article], show: int) -> None:
    """Print one backend's cost and false alarms on ``articles``."""
    backends = Backends(warn=lambda message: print(f"   warning: {message}"))
    config, extra = backends.configure(Config(), request)
    if not extra:
        print(f"== {name}: not run (see the warning above)")
        return
    prefix = extra[0].id.rsplit("-", 1)[0] if name == "harper" else "grammar/lt-"
    base = build_ruleset(Config())
    full = build_ruleset(config, extra_rules=extra)
    started = time.perf_counter()
    warm = articles[0].text
    lint_documents("warm", warm, plaintext.parse(warm, "warm"), full)  # the backend's one-off start-up
    startup = time.perf_counter() - started
    lint_documents("warm", warm, plaintext.parse(warm, "warm"), base)
    base_cpu, base_wall, _ = _lint_all(base, articles)
    full_cpu, full_wall, results = _lint_all(full, articles)
    words = sum(a.word_count for a in articles)
    alarms = [(a, f) for a, found in zip(articles, results, strict=True) for f in found if f.rule.startswith(prefix)]
    by_rule = Counter(f.rule for _, f in alarms)
    affected = len({a.id for a, _ in alarms})
    per = 1000 / len(articles)
    print(f"== {name}: {len(articles)} articles, {words:,} words")
    print(
        f"   start-up {startup * 1000:,.0f} ms once (wall); then per article on top of copylint's own rules: "
        f"{(full_cpu - base_cpu) * per:,.1f} ms CPU, {(full_wall - base_wall) * per:,.1f} ms wall"
    )
    print(f"   (copylint's own rules alone: {base_cpu * per:,.1f} ms CPU per article)")
    print(
        f"   false alarms on clean copy: {len(alarms)} ({1000 * len(alarms) / words:.3f} per 1,000 words; "
        f"{affected} of {len(articles)} articles affected)"
    )
    if by_rule:
        print(f"   by rule: {by_rule.most_common()}")
    for article, finding in alarms[:show]:
        snippet = article.text[max(0, finding.span.start - 40) : finding.span.end + 40].replace("\n", " | ")
        print(f"     {finding.rule}: {finding.message[:70]!r} in ...{snippet}...")
    for message in backends.warnings:
        print(f"   warning: {message}")


def main(argv: Sequence[str] | None = None) -> int:
    """Measure the backends that are asked for (Harper by default; LanguageTool only with a URL)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--harper", action="store_true", help="measure Harper (the default when no backend is named)")
    parser.add_argument("--languagetool", metavar="URL", help="measure the LanguageTool server at URL")
    parser.add_argument("--show", type=int, default=15, help="print this many false alarms in context")
    args = parser.parse_args(argv)
    articles = sample_articles(args.articles, args.seed, MODERN)
    if args.harper or not args.languagetool:
        measure("harper", BackendRequest(harper=True), articles, args.show)
    if args.languagetool:
        measure("languagetool", BackendRequest(languagetool_url=args.languagetool), articles, args.show)
    else:
        print("== languagetool: not measured (no server here; pass --languagetool URL of yours)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
