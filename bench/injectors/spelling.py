"""Spelling injector: replace lower-case words with real non-word misspellings of them.

Misspellings come, at run time, from ../shared/corpus/birkbeck_missp.dat (Birkbeck spelling error corpus:
misspellings by real writers) and ../shared/corpus/common_misspellings.tsv (codespell's dictionary and the
Wikipedia list of common misspellings), and are recorded in three groups so that the share caught only
because codespell lists it is visible. A misspelling that is itself a dictionary word (a real-word error,
which is the confusion rule's job) is skipped: the TSV marks those, and for Birkbeck the spell-checker word
list shipped by symspellpy decides.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import regex

from bench.corpus import Article
from bench.injectors import Injected, replace_spans

KIND = "spelling"
CATEGORIES = ("spelling",)
MAX_PER_ARTICLE = 2
GROUPS = ("birkbeck", "codespell", "wikipedia")

_WORD = regex.compile(r"(?<![\p{L}\p{N}'’\-@#/.])\p{Ll}{3,}(?![\p{L}\p{N}'’\-@/]|\.\p{L})")


def _dictionary_words() -> frozenset[str]:
    path = resources.files("symspellpy").joinpath("frequency_dictionary_en_82_765.txt")
    return frozenset(line.split()[0] for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def _read_birkbeck(path: Path, dictionary: frozenset[str]) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    correct = ""
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = line.strip()
        if line.startswith("$"):
            correct = line[1:]
            continue
        wrong = line.lower()
        if not correct.islower() or not correct.isalpha() or not wrong.isalpha() or len(correct) < 3:
            continue
        if wrong == correct or wrong in dictionary:
            continue
        if len(wrong) < 3 or 2 * len(wrong) < len(correct):
            continue  # fragments ("t" for "the"), not misspellings a writer of copy makes
        table.setdefault(correct, []).append(wrong)
    return table


def _read_tsv(path: Path, dictionary: frozenset[str]) -> dict[str, dict[str, list[str]]]:
    tables: dict[str, dict[str, list[str]]] = {"codespell": {}, "wikipedia": {}}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            wrong = row["wrong"]
            if row["wrong_is_dictionary_word"] == "yes" or not wrong.isalpha() or not wrong.islower():
                continue
            if wrong in dictionary:
                continue
            group = "codespell" if row["source"].startswith("codespell") else "wikipedia"
            for right in row["right"].split("|"):
                right = right.strip()
                if right.isalpha() and right.islower() and len(right) >= 3 and right != wrong:
                    tables[group].setdefault(right, []).append(wrong)
    return tables


class SpellingInjector:
    """Replaces up to MAX_PER_ARTICLE lower-case words by misspellings of them, one group per article."""

    def __init__(self, tables: dict[str, dict[str, list[str]]]) -> None:
        self.tables = tables

    def inject(self, article: Article, rng: random.Random) -> Injected | None:
        """Pick a group, then words of the article that group can misspell, and misspell them."""
        text = article.text
        body_start = len(article.headline) + 2  # the headline is title case; inject into the body
        group = rng.choice(GROUPS)
        table = self.tables[group]
        spots = [m for m in _WORD.finditer(text, body_start) if m.group() in table]
        if not spots:
            return None
        chosen: Sequence[regex.Match[str]] = rng.sample(spots, min(MAX_PER_ARTICLE, len(spots)))
        edits = []
        used: set[str] = set()
        for m in sorted(chosen, key=lambda m: m.start()):
            if m.group() in used:
                continue
            used.add(m.group())
            edits.append((m.start(), m.end(), rng.choice(sorted(table[m.group()])), group))
        return replace_spans(text, edits)


def make(shared: Path, seed: int) -> SpellingInjector:
    """Read the misspelling lists from ``shared``/corpus."""
    del seed  # the bench passes an rng to inject()
    dictionary = _dictionary_words()
    corpus = shared / "corpus"
    tables = _read_tsv(corpus / "common_misspellings.tsv", dictionary)
    tables["birkbeck"] = _read_birkbeck(corpus / "birkbeck_missp.dat", dictionary)
    return SpellingInjector(tables)
