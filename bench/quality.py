"""Quality bench: inject defects into clean corpus articles and measure recall, fix accuracy and false alarms.

Usage: python -m bench.quality [--kinds spelling,confusion] [--articles 400] [--seed 7]

For each kind it prints recall (a finding of the kind's categories overlapping the injected span), fix
accuracy (the first replacement equals the original text), and false alarms of those categories on the
same articles left clean: per 1,000 words, per 100 articles, and the most frequent flagged words.
"""

from __future__ import annotations

import argparse
import importlib
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import MODERN, SHARED, Article, sample_articles
from copylint.config import Config
from copylint.engine import lint_documents
from copylint.finding import Finding, Severity
from copylint.formats import plaintext
from copylint.ruleset import RuleSet, build_ruleset

KINDS = ("spelling", "confusion", "promo", "names", "numbers")


def make_linter(ruleset: RuleSet) -> Callable[[str], Sequence[Finding]]:
    """Lint plain text in-process with ``ruleset``."""

    def lint(text: str) -> Sequence[Finding]:
        return lint_documents("bench", text, plaintext.parse(text, "bench"), ruleset).findings

    return lint


def run_kind(kind: str, articles_wanted: int, seed: int, min_severity: Severity, config: Config) -> dict[str, object]:
    """Inject one kind of defect and report its figures."""
    module = importlib.import_module(f"bench.injectors.{kind}")
    categories = set(module.CATEGORIES)
    corpora = getattr(module, "CLEAN_CORPORA", MODERN)
    articles: list[Article] = sample_articles(articles_wanted, seed, corpora)
    injector = module.make(SHARED, seed)
    lint = make_linter(build_ruleset(config))
    rng = random.Random(seed)

    hits = total = fixed_right = 0
    by_group: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    misses: list[str] = []
    false_alarms = 0
    words = 0
    flagged_words: Counter[str] = Counter()
    articles_with_fa = 0
    started = time.perf_counter()
    for article in articles:
        clean = [f for f in lint(article.text) if f.category in categories and f.severity >= min_severity]
        words += article.word_count
        false_alarms += len(clean)
        articles_with_fa += bool(clean)
        flagged_words.update(article.text[f.span.start : f.span.end] for f in clean)
        injected = injector.inject(article, rng)
        if injected is None:
            continue
        found = [f for f in lint(injected.text) if f.category in categories and f.severity >= min_severity]
        for injection in injected.injections:
            total += 1
            group = by_group[injection.group or "all"]
            group[0] += 1
            overlapping = [
                f for f in found if f.span.start < max(injection.end, injection.start + 1) and injection.start < f.span.end
            ]
            if not overlapping:
                if len(misses) < 15:
                    misses.append(f"{injection.original!r} -> {injection.injected!r}")
                continue
            hits += 1
            group[1] += 1
            first = overlapping[0].replacements
            if first and first[0] == injection.original:
                fixed_right += 1
                group[2] += 1
    elapsed = time.perf_counter() - started
    return {
        "kind": kind,
        "articles": len(articles),
        "words": words,
        "injected": total,
        "recall": hits / total if total else 0.0,
        "fix_accuracy": fixed_right / hits if hits else 0.0,
        "groups": {g: (n, h, r) for g, (n, h, r) in sorted(by_group.items())},
        "false_alarms": false_alarms,
        "fa_per_1000_words": 1000 * false_alarms / words if words else 0.0,
        "fa_per_100_articles": 100 * false_alarms / len(articles) if articles else 0.0,
        "articles_with_fa": articles_with_fa,
        "top_false_alarms": flagged_words.most_common(10),
        "misses": misses,
        "seconds": elapsed,
    }


def print_report(result: dict[str, object]) -> None:
    """Human-readable figures for one kind."""
    print(f"== {result['kind']}: {result['articles']} articles, {result['words']:,} words, {result['seconds']:.1f}s")
    print(f"   injected {result['injected']}: recall {result['recall']:.1%}, fix accuracy {result['fix_accuracy']:.1%}")
    groups = result["groups"]
    assert isinstance(groups, dict)
    if len(groups) > 1:
        for name, (n, h, r) in groups.items():
            print(f"     {name}: {n} injected, recall {h / n:.1%}, fix accuracy {(r / h if h else 0):.1%}")
    print(
        f"   false alarms on clean copy: {result['false_alarms']} "
        f"({result['fa_per_1000_words']:.3f} per 1,000 words; {result['fa_per_100_articles']:.2f} per 100 articles; "
        f"{result['articles_with_fa']} articles affected)"
    )
    if result["top_false_alarms"]:
        print(f"   most frequent false alarms: {result['top_false_alarms']}")
    if result["misses"]:
        print(f"   sample misses: {result['misses']}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the selected kinds and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated defect kinds")
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--min-severity", default="info", help="count only findings at or above this severity")
    args = parser.parse_args(argv)
    config = Config(select=None)
    for kind in [k.strip() for k in args.kinds.split(",") if k.strip()]:
        try:
            importlib.import_module(f"bench.injectors.{kind}")
        except ModuleNotFoundError:
            print(f"== {kind}: no injector yet (bench/injectors/{kind}.py)")
            continue
        print_report(run_kind(kind, args.articles, args.seed, Severity.parse(args.min_severity), config))
    return 0


if __name__ == "__main__":
    sys.exit(main())
