"""Read articles from ../shared/corpus/news.jsonl at run time (the text is never copied into the project)."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
NEWS = SHARED / "corpus" / "news.jsonl"
MODERN = ("isot_reuters", "bbc2005", "scrapinghub_aeb", "readability_testpages")
WIRE = ("bbc2005", "reuters21578", "isot_reuters")


@dataclass(frozen=True)
class Article:
    """One corpus article, laid out as copylint's plain-text format (headline, blank line, paragraphs)."""

    id: str
    corpus: str
    headline: str
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        """Headline and paragraphs separated by blank lines."""
        return "\n\n".join((self.headline, *self.paragraphs)) + "\n"

    @property
    def word_count(self) -> int:
        """Whitespace-separated words."""
        return len(self.text.split())


def iter_articles(path: Path = NEWS, corpora: Sequence[str] | None = None) -> Iterator[Article]:
    """Articles in file order, optionally only from ``corpora``."""
    if not path.exists():
        raise SystemExit(f"bench: {path} not found; the benchmarks need ../shared/corpus")
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if corpora and record["corpus"] not in corpora:
                continue
            paragraphs = tuple(p.strip() for p in record["paragraphs"] if p.strip())
            if not record["headline"].strip() or not paragraphs:
                continue
            yield Article(record["id"], record["corpus"], " ".join(record["headline"].split()), paragraphs)


def sample_articles(count: int, seed: int, corpora: Sequence[str] = MODERN, path: Path = NEWS) -> list[Article]:
    """A seeded sample of ``count`` articles (all of them if fewer), in a stable order."""
    articles = list(iter_articles(path, corpora))
    rng = random.Random(seed)
    if count < len(articles):
        articles = rng.sample(articles, count)
    return articles
