"""Promo injector: stray CMS lines put into clean wire copy, as their own paragraph or glued to one.

The lines are read at run time from ../shared/corpus: the real examples in promo_examples.jsonl, and
"Read" / "READ MORE:" / "Related:" followed by the headline of another article in news.jsonl. Nothing from the
corpus is stored in the project. Groups: ``paragraph/example``, ``paragraph/headline``, ``inline/example``,
``inline/headline``.

``python -m bench.injectors.promo [--articles N]`` also checks that applying the promo fixes (unsafe ones
included) gives back exactly the clean article, which the generic bench cannot see for deletions.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from bench.corpus import SHARED, WIRE, Article, iter_articles, sample_articles
from bench.injectors import Injected, Injection

KIND = "promo"
CATEGORIES = ("promo",)
CLEAN_CORPORA = WIRE
MAX_PER_ARTICLE = 1
HEADLINE_CUES = ("Read ", "Read  ", "READ MORE: ", "Related: ")
_SENTENCE_END = tuple('.!?"”’)')


class PromoInjector:
    """Puts one promo line into an article: a real example or a cue plus another article's headline."""

    def __init__(self, examples: list[str], headlines: dict[str, list[tuple[str, str]]]) -> None:
        self.examples = examples
        self.headlines = headlines  # corpus -> [(article id, headline)]

    def _line(self, article: Article, rng: random.Random) -> tuple[str, str]:
        if rng.random() < 0.5 and self.examples:
            return rng.choice(self.examples), "example"
        corpus = rng.choice(sorted(self.headlines))
        while True:
            article_id, headline = rng.choice(self.headlines[corpus])
            if article_id != article.id:
                return rng.choice(HEADLINE_CUES) + headline, "headline"

    def inject(self, article: Article, rng: random.Random) -> Injected | None:
        """The article with one promo line, or None if it has no body."""
        if not article.paragraphs:
            return None
        line, source = self._line(article, rng)
        head = article.headline + "\n\n"
        paragraphs = list(article.paragraphs)
        gluable = [i for i, p in enumerate(paragraphs) if p.endswith(_SENTENCE_END)]
        if gluable and rng.random() < 0.5:
            index = rng.choice(gluable)
            inserted = (" " if rng.random() < 0.8 else "") + line
            placement = "inline"
        else:
            index = rng.randrange(len(paragraphs))
            inserted = "\n\n" + line
            placement = "paragraph"
        before = head + "\n\n".join(paragraphs[: index + 1])
        after = "\n\n".join(paragraphs[index + 1 :])
        text = before + inserted + ("\n\n" + after if after else "") + "\n"
        start = len(before)
        injection = Injection(start, start + len(inserted), "", inserted, f"{placement}/{source}")
        return Injected(text, (injection,))


def _examples(shared: Path) -> list[str]:
    path = shared / "corpus" / "promo_examples.jsonl"
    if not path.exists():
        raise SystemExit(f"bench: {path} not found; the promo bench needs ../shared/corpus")
    lines = []
    with path.open(encoding="utf-8") as handle:
        for raw in handle:
            line = " ".join(str(json.loads(raw)["line"]).split())
            if line:
                lines.append(line)
    return lines


def make(shared: Path, seed: int) -> PromoInjector:
    """An injector reading its promo lines and headlines from ``shared`` (../shared)."""
    headlines: dict[str, list[tuple[str, str]]] = {}
    for article in iter_articles(shared / "corpus" / "news.jsonl", WIRE):
        headlines.setdefault(article.corpus, []).append((article.id, article.headline))
    return PromoInjector(_examples(shared), headlines)


def exact_fix_check(articles_wanted: int, seed: int) -> int:
    """Inject, apply promo fixes (unsafe included) until stable, and count exact restorations of the clean text."""
    from copylint.config import Config
    from copylint.engine import lint_documents
    from copylint.fixes import allowed_applicabilities, fix_until_stable
    from copylint.formats import plaintext
    from copylint.ruleset import build_ruleset

    ruleset = build_ruleset(Config(select=("promo",)))

    def lint(text: str):  # type: ignore[no-untyped-def]
        return lint_documents("bench", text, plaintext.parse(text, "bench"), ruleset).findings

    injector = make(SHARED, seed)
    rng = random.Random(seed)
    outcomes: Counter[str] = Counter()
    wrong: list[str] = []
    for article in sample_articles(articles_wanted, seed, CLEAN_CORPORA):
        injected = injector.inject(article, rng)
        if injected is None:
            continue
        group = injected.injections[0].group
        fixed = fix_until_stable(injected.text, lint, allowed_applicabilities(unsafe=True)).text
        restored = fixed == article.text
        outcomes[f"{group} {'restored' if restored else 'not restored'}"] += 1
        if not restored and len(wrong) < 10:
            wrong.append(repr(injected.injections[0].injected[:90]))
    total = sum(outcomes.values())
    good = sum(n for key, n in outcomes.items() if not key.endswith("not restored"))
    print(f"promo fixes restore the clean text exactly in {good}/{total} articles ({good / total:.1%})")
    for key, n in sorted(outcomes.items()):
        print(f"   {key}: {n}")
    if wrong:
        print(f"   not restored: {wrong}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the exact-restoration check."""
    parser = argparse.ArgumentParser(description="promo bench: do the fixes give back the clean article?")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    return exact_fix_check(args.articles, args.seed)


if __name__ == "__main__":
    sys.exit(main())
