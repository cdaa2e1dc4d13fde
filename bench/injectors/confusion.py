"""Inject real-word slips: swap a word for a confusable real word where the original was clearly meant.

Group ``listed``: the word belongs to a confusion set of rules/confusion/*.toml and is swapped for another
member ("from" -> "form"); each listed word found in the article is equally likely to be chosen.
Group ``edit1``: the word is swapped for a common real word one keystroke away
(insertion, deletion, substitution or transposition) that is in no listed set ("has" -> "as"), so recall
outside the lists is measured separately. Common words come from wordfreq, independently of the rule's model.
"""

from __future__ import annotations

import random
import tomllib
from pathlib import Path

from bench.corpus import Article
from bench.injectors import Injected, replace_spans

KIND = "confusion"
CATEGORIES = ("confusion",)
RULES = Path(__file__).resolve().parent.parent.parent / "rules" / "confusion"
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_MIN_ZIPF = 3.5  # both words common (about 3 per million words or more)


def listed_alternatives() -> dict[str, list[str]]:
    """Each listed word's partners, from the bundled confusion sets (contractions left out)."""
    partners: dict[str, list[str]] = {}
    for path in sorted(RULES.glob("*.toml")):
        entries = tomllib.loads(path.read_text(encoding="utf-8")).get("entries", {})
        for item in entries.get("sets", []):
            members = item["words"] if isinstance(item, dict) else item
            for word in members:
                partners.setdefault(word, []).extend(w for w in members if w != word and w not in partners[word])
    return {w: p for w, p in partners.items() if "'" not in w}


def _edits(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    out |= {a + c + b for a, b in splits for c in _LETTERS}
    out.discard(word)
    return out


class ConfusionInjector:
    """Swaps one listed word and one other word per article (in different paragraphs when possible)."""

    def __init__(self, seed: int) -> None:
        import wordfreq

        self.zipf = wordfreq.zipf_frequency
        self.listed = listed_alternatives()
        self._near: dict[str, list[str]] = {}

    def near(self, word: str) -> list[str]:
        """Common real words one edit from ``word`` that are not its listed partners."""
        if word not in self._near:
            taken = set(self.listed.get(word, ()))
            self._near[word] = sorted(
                w for w in _edits(word) if w not in taken and self.zipf(w, "en") >= _MIN_ZIPF and "'" not in w
            )
        return self._near[word]

    def inject(self, article: Article, rng: random.Random) -> Injected | None:
        """Pick places in body paragraphs and swap the words there."""
        text = article.text
        body_start = len(article.headline) + 2
        listed_spots: list[tuple[int, int, str]] = []
        other_spots: list[tuple[int, int, str]] = []
        position = body_start
        for paragraph in article.paragraphs:
            start = text.index(paragraph, position)
            position = start + len(paragraph)
            for word, offset in _words(paragraph):
                # Lower-case words with plain spaces around them, not next to a hyphen, number or quote.
                before = paragraph[offset - 1] if offset else " "
                after = paragraph[offset + len(word)] if offset + len(word) < len(paragraph) else " "
                if not word.islower() or before != " " or after not in " ,.":
                    continue
                if word in self.listed:
                    listed_spots.append((start + offset, start + offset + len(word), word))
                elif len(word) >= 2 and self.zipf(word, "en") >= _MIN_ZIPF:
                    other_spots.append((start + offset, start + offset + len(word), word))
        edits: list[tuple[int, int, str, str]] = []
        if listed_spots:
            # Each listed word present is equally likely to be picked, however often it occurs, so the figure
            # is recall over the list rather than over "the" and "to" alone.
            word = rng.choice(sorted({w for _, _, w in listed_spots}))
            s, e, _ = rng.choice([spot for spot in listed_spots if spot[2] == word])
            edits.append((s, e, rng.choice(self.listed[word]), "listed"))
        rng.shuffle(other_spots)
        for s, e, word in other_spots[:40]:
            if any(abs(s - t) < 200 for t, _, _, _ in edits):
                continue
            choices = self.near(word)
            if choices:
                edits.append((s, e, rng.choice(choices), "edit1"))
                break
        return replace_spans(text, edits) if edits else None


def _words(paragraph: str) -> list[tuple[str, int]]:
    out = []
    i = 0
    n = len(paragraph)
    while i < n:
        if paragraph[i].isalpha():
            j = i
            while j < n and paragraph[j].isalpha():
                j += 1
            out.append((paragraph[i:j], i))
            i = j
        else:
            i += 1
    return out


def make(shared: Path, seed: int) -> ConfusionInjector:
    """The injector (the shared folder is not needed: the confusion sets are the project's own)."""
    return ConfusionInjector(seed)
