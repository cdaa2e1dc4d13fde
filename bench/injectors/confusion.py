"""Inject real-word slips: swap a word for a confusable real word where the original was clearly meant.

Group ``listed``: the word belongs to a confusion set of rules/confusion/*.toml and is swapped for another
member ("from" -> "form"); each listed word found in the article is equally likely to be chosen.
Group ``edit1``: the word is swapped for a common real word one keystroke away
(insertion, deletion, substitution or transposition) that is in no listed set ("has" -> "as"), so recall
outside the lists is measured separately. Common words come from wordfreq, independently of the rule's model.

The issue asks for slips placed "where the right word is clearly intended". A swap that leaves a word
sequence found elsewhere in real news copy ("the company has said" -> "had said") may be no slip at all, so
each spot is checked against the three-word sequences of the whole shared news corpus (read at run time,
never shipped, and independent of the rule's Google Books pair counts): a swap whose new sequence (word
before, new word, word after) occurs there is "unclear". Clear spots are preferred; when a word offers
none, it is still swapped and the injection's group says so (``listed-unclear``, ``edit1-unclear``), so
the old figure (all groups of a kind together) stays comparable.
"""

from __future__ import annotations

import random
import re
import tomllib
from pathlib import Path

from bench.corpus import Article, iter_articles
from bench.injectors import Injected, replace_spans

KIND = "confusion"
CATEGORIES = ("confusion",)
RULES = Path(__file__).resolve().parent.parent.parent / "rules" / "confusion"
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_MIN_ZIPF = 3.5  # both words common (about 3 per million words or more)
# Words (with an inner apostrophe) and single marks other than spaces: a mark breaks a word sequence.
_TOKENS = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?|[^\sa-z0-9]")


def listed_alternatives() -> dict[str, list[str]]:
    """Each listed word's partners, from the bundled confusion sets (contractions left out)."""
    partners: dict[str, list[str]] = {}
    for path in sorted(RULES.glob("*.toml")):
        entries = tomllib.loads(path.read_text(encoding="utf-8")).get("entries", {})
        for item in entries.get("sets", []):
            members = item["words"] if isinstance(item, dict) else item
            # A slip can only be injected as a member the rule flags when written (all, unless `written` says).
            flagged = item.get("written", members) if isinstance(item, dict) else members
            for word in members:
                partners.setdefault(word, []).extend(w for w in flagged if w != word and w not in partners[word])
    return {w: p for w, p in partners.items() if "'" not in w and p}


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
        self._seen: set[int] | None = None

    def seen(self) -> set[int]:
        """Hashes of every three-token sequence in the shared news corpus whose middle token is a common
        word (built once, a few seconds)."""
        if self._seen is None:
            seen: set[int] = set()
            for article in iter_articles():
                tokens = _TOKENS.findall(article.text.lower())
                for i in range(1, len(tokens) - 1):
                    seen.add(hash((tokens[i - 1], tokens[i], tokens[i + 1])))
            self._seen = seen
        return self._seen

    def clear(self, text: str, start: int, end: int, new: str) -> bool:
        """True if putting ``new`` at [start, end) gives a three-token sequence never found in the corpus."""
        before = _TOKENS.findall(text[max(0, start - 40) : start].lower())
        after = _TOKENS.findall(text[end : end + 40].lower())
        if not before or not after:
            return False
        return hash((before[-1], new.lower(), after[0])) not in self.seen()

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
            spots = [spot for spot in listed_spots if spot[2] == word]
            rng.shuffle(spots)
            swaps = [(s, e, new) for s, e, _ in spots for new in self.listed[word]]
            clear = [c for c in swaps if self.clear(text, *c)]
            s, e, new = rng.choice(clear) if clear else swaps[0]
            edits.append((s, e, new, "listed" if clear else "listed-unclear"))
        rng.shuffle(other_spots)
        fallback: tuple[int, int, str, str] | None = None
        for s, e, word in other_spots[:40]:
            if any(abs(s - t) < 200 for t, _, _, _ in edits):
                continue
            near = self.near(word)
            if not near:
                continue
            new = rng.choice(near)
            if self.clear(text, s, e, new):
                edits.append((s, e, new, "edit1"))
                break
            if fallback is None:
                fallback = (s, e, new, "edit1-unclear")
        else:
            if fallback is not None:
                edits.append(fallback)
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
