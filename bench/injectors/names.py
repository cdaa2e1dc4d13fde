"""Names injector: respell one mention of a name the article uses at least twice.

A name is a capitalised word of four or more letters that the body uses at least twice, at least once where
a capital cannot come from the start of a sentence, and never in lower case. One of its mentions (any of
them, the first full mention included) gets a slip of one of three kinds, recorded as the group:

- ``vowel``: one vowel changed (Haldane -> Haldene);
- ``consonant``: a doubled consonant dropped or a single one doubled (Harrison -> Harison, Okafor -> Okaffor);
- ``translit``: a transliteration swap (-man/-mann, y/i, ph/f).
"""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path

import regex

from bench.corpus import Article
from bench.injectors import Injected, replace_spans

KIND = "names"
CATEGORIES = ("names",)
MAX_PER_ARTICLE = 1
GROUPS = ("vowel", "consonant", "translit")

_NAME = regex.compile(r"(?<![\p{L}\p{N}'’\-])\p{Lu}\p{Ll}{3,}(?![\p{L}\p{N}\-])")
_CLAUSE_START = frozenset(".!?\"“‘(:;—–")
_NOT_NAMES = frozenset(
    "January February March April May June July August September October November December Monday Tuesday "
    "Wednesday Thursday Friday Saturday Sunday Christmas Easter President Minister Prime Secretary Chairman Chief Director "
    "Senator Governor Mayor Professor Doctor General Judge King Queen Prince Sir Lord Lady".split()
)
_VOWELS = "aeiou"
_CONSONANTS = frozenset("bcdfgklmnprstvz")


def _is_clause_start(text: str, start: int) -> bool:
    position = start - 1
    while position >= 0 and text[position] in " \t\u00a0":
        position -= 1
    return position < 0 or text[position] in "\n" or text[position] in _CLAUSE_START


def _vowel(word: str, rng: random.Random) -> str | None:
    places = [i for i, c in enumerate(word) if c.lower() in _VOWELS]
    if not places:
        return None
    i = rng.choice(places)
    old = word[i]
    new = rng.choice([v for v in _VOWELS if v != old.lower()])
    return word[:i] + (new.upper() if old.isupper() else new) + word[i + 1 :]


def _consonant(word: str, rng: random.Random) -> str | None:
    doubled = [i for i in range(1, len(word)) if word[i] == word[i - 1] and word[i] in _CONSONANTS]
    single = [
        i
        for i in range(1, len(word))
        if word[i] in _CONSONANTS and word[i - 1] != word[i] and (i + 1 == len(word) or word[i + 1] != word[i])
    ]
    if doubled and (not single or rng.random() < 0.5):
        i = rng.choice(doubled)
        return word[:i] + word[i + 1 :]
    if not single:
        return None
    i = rng.choice(single)
    return word[:i] + word[i] + word[i:]


def _translit(word: str, rng: random.Random) -> str | None:
    options: list[str] = []
    if word.endswith("mann"):
        options.append(word[:-1])
    elif word.endswith("man"):
        options.append(word + "n")
    for old, new in (("y", "i"), ("i", "y"), ("ph", "f"), ("f", "ph")):
        start = 1
        while True:
            i = word.find(old, start)
            if i < 0:
                break
            if old != "i" or (i + 1 == len(word) or word[i + 1] not in _VOWELS):
                options.append(word[:i] + new + word[i + len(old) :])
            start = i + 1
    return rng.choice(options) if options else None


_MAKERS = {"vowel": _vowel, "consonant": _consonant, "translit": _translit}


class NamesInjector:
    """Changes one mention of a repeated name, choosing the kind of slip at random among those that apply."""

    def inject(self, article: Article, rng: random.Random) -> Injected | None:
        """Pick a name used twice or more in the body and respell one of its mentions."""
        text = article.text
        body_start = len(article.headline) + 2
        places: dict[str, list[tuple[int, int]]] = defaultdict(list)
        free: set[str] = set()
        for match in _NAME.finditer(text, body_start):
            word = match.group()
            places[word].append((match.start(), match.end()))
            if not _is_clause_start(text, match.start()):
                free.add(word)
        lowered = {m.group().lower() for m in regex.finditer(r"\p{L}+", text) if m.group().islower()}
        known = {w.lower() for w in regex.findall(r"\p{L}+", text)}
        names = sorted(
            w for w, spans in places.items() if len(spans) >= 2 and w in free and w not in _NOT_NAMES and w.lower() not in lowered
        )
        if not names:
            return None
        rng.shuffle(names)
        for name in names:
            groups = list(GROUPS)
            rng.shuffle(groups)
            for group in groups:
                variant = _MAKERS[group](name, rng)
                if variant is None or variant == name or variant.lower() in known:
                    continue
                start, end = rng.choice(places[name])
                return replace_spans(text, [(start, end, variant, group)])
        return None


def make(shared: Path, seed: int) -> NamesInjector:
    """The injector (it needs no data from ../shared)."""
    return NamesInjector()
