"""Numbers injector: change one mention of a figure that the article states twice about the same thing.

A figure counts as restated when the same number (digits, a money sum, a share or a number word) appears in
two sentences, counting the same noun (the word right after it, a plural) with at least two other words in
common within 60 characters ("58 miners trapped in the shaft" ... "the 58 miners in the shaft"); a sum or
share needs four words in common. A headline figure counts when the lede repeats it with the same noun or
two shared words. Labels ("Chapter 11", "401(k)"), years, dates, durations and ages are left alone. One of
the two mentions is then changed the way figures go wrong in copy: two digits swapped, one digit mistyped,
a digit dropped or doubled, a number word off by one or two. The finding must overlap the changed mention;
its suggestion should restore the original."""

from __future__ import annotations

import random
import re
from pathlib import Path

from bench.corpus import Article
from bench.injectors import Injected, replace_spans

KIND = "numbers"
CATEGORIES = ("numbers",)
MAX_PER_ARTICLE = 1

_WORDS = ("two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
          "eighteen nineteen twenty").split()
_VALUE = {w: k for k, w in enumerate(_WORDS, start=2)}
_MONTHS = set(
    "january february march april may june july august september october november december jan feb mar apr jun jul "
    "aug sep sept oct nov dec".split()
)
_SKIP_AFTER = {"per", "cent", "percent", "of", "the", "a", "an", "and", "or", "to", "in", "on", "at", "for", "by", "with",
               "from", "p", "am", "pm", "gmt", "is", "was", "were", "are", "as", "that", "than", "more", "years", "year",
               "times", "people", "months", "days", "weeks", "million", "billion"}
_FIGURE = re.compile(
    r"(?<![\w.,/:-])(?P<money>[$£€])?(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?(?P<scale>bn|m|k|\s(?:million|billion|trillion)\b)?(?P<pct>%)?"
    r"(?![\w/:-]|[.,]\d)"
    r"|\b(?P<word>" + "|".join(_WORDS) + r")\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z]+")
_PLURALS = {"people", "men", "women", "children", "police", "staff", "dead", "killed", "injured", "wounded", "percent"}
_TIME_UNITS = {"second", "minute", "hour", "day", "week", "month", "year", "decade", "century", "time", "point"}


def _lemma(word: str) -> str:
    word = word.lower()
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


class NumbersInjector:
    """Finds a figure repeated about the same thing and changes one mention of it."""

    def inject(self, article: Article, rng: random.Random) -> Injected | None:
        """Change one of two mentions of a repeated figure, or return None if the article repeats none."""
        text = article.text
        headline_end = len(article.headline)
        lede_end = text.find("\n\n", text.find("\n\n", headline_end + 2) + 2)
        mentions = []
        for m in _FIGURE.finditer(text):
            if not self._usable(text, m):
                continue
            after = _WORD.findall(text[m.end() : m.end() + 40])[:3]
            if m.group("word") and after and after[0][0].isupper():
                continue  # "Six Nations", "Three Lions": a name
            counted = _lemma(after[0]) if after else ""
            if not (m.group("money") or m.group("pct")):
                nxt = text[m.end() : m.end() + 2]
                if nxt.startswith(("(", "-")) or not after or not (after[0].endswith("s") or after[0] in _PLURALS):
                    continue  # "401(k)", "the 777 aircraft", "50 Cent": labels and names, not counts
            if counted in _TIME_UNITS or (len(after) > 1 and after[1].lower() in ("ago", "old", "later", "earlier")):
                continue  # durations and ages repeat about different things too often to call them one figure
            window = {_lemma(w) for w in _WORD.findall(text[max(0, m.start() - 60) : m.end() + 60])}
            window = {w for w in window if w not in _SKIP_AFTER and len(w) > 3}
            key = (m.group().lower() if m.group("word") else m.group()).replace(",", "")
            sentence = text.rfind(". ", 0, m.start())
            mentions.append((key, m, counted, window, m.start() < headline_end, sentence))
        pairs = []
        for i, (key, m, counted, window, in_headline, sentence) in enumerate(mentions):
            for key2, m2, counted2, window2, in_headline2, sentence2 in mentions[i + 1 :]:
                if key2 != key or sentence2 == sentence:
                    continue
                same_noun = bool(counted) and counted == counted2 and counted not in _SKIP_AFTER
                shared = len((window & window2) - {counted})
                if in_headline and not in_headline2 and m2.start() < lede_end and (same_noun or shared >= 2):
                    pairs.append((m, m2, "headline"))
                    break
                # a restatement: the same figure of the same noun, in words that repeat around it
                if not in_headline and ((same_noun and shared >= 2) or shared >= 4):
                    pairs.append((m, m2, self._group(m)))
                    break
        if not pairs:
            return None
        first, second, group = rng.choice(pairs)
        target = rng.choice((first, second))
        changed = self._mistype(target, rng)
        if changed is None:
            return None
        return replace_spans(text, [(target.start(), target.end(), changed, group)])

    @staticmethod
    def _usable(text: str, m: re.Match[str]) -> bool:
        if m.group("word"):
            return True
        number = m.group("num").replace(",", "")
        if not m.group("money") and not m.group("pct") and not m.group("frac"):
            if len(number) == 4 and 1800 <= int(number) <= 2100:
                return False  # a year
            if int(number) < 2:
                return False
        if m.group("scale") and m.group("scale").lower() == "m" and not m.group("money"):
            return False  # "600m": metres
        raw_before = text[max(0, m.start() - 20) : m.start()].split()
        label = len(raw_before) > 1 and raw_before[-1][:1].isupper() and raw_before[-1][-1:].isalpha()
        if label and raw_before[-2][-1:] not in ".!?\"":
            return False  # "Chapter 11", "Top 500", "Windows 10": a label
        if raw_before and raw_before[-1].lower() in ("type", "no", "no.", "number", "chapter", "article", "section", "top"):
            return False
        before = text[max(0, m.start() - 12) : m.start()].lower().split()
        after = text[m.end() : m.end() + 12].lower().split()
        if (before and before[-1].strip(".,") in _MONTHS) or (after and after[0].strip(".,") in _MONTHS):
            return False
        return not (after and after[0].startswith(("a.m", "p.m", "am", "pm")))

    @staticmethod
    def _group(m: re.Match[str]) -> str:
        if m.group("word"):
            return "word"
        if m.group("money"):
            return "money"
        if m.group("pct"):
            return "percent"
        return "count"

    @staticmethod
    def _mistype(m: re.Match[str], rng: random.Random) -> str | None:
        if m.group("word"):
            word = m.group("word")
            value = _VALUE[word.lower()]
            choices = [v for v in (value - 2, value - 1, value + 1, value + 2) if 2 <= v <= 20]
            new = _WORDS[rng.choice(choices) - 2]
            return new.title() if word[0].isupper() else new
        num, frac = m.group("num"), m.group("frac") or ""
        digits = list(num.replace(",", "") + frac.lstrip("."))
        options = []
        swaps = [k for k in range(len(digits) - 1) if digits[k] != digits[k + 1] and not (k == 0 and digits[1] == "0")]
        if swaps:
            options.append("swap")
        options.append("typo")
        if len(digits) >= 2:
            options.append("drop")
        choice = rng.choice(options)
        if choice == "swap":
            k = rng.choice(swaps)
            digits[k], digits[k + 1] = digits[k + 1], digits[k]
        elif choice == "typo":
            k = rng.randrange(len(digits))
            old = digits[k]
            allowed = [d for d in "0123456789" if d != old and not (k == 0 and d == "0")]
            digits[k] = rng.choice(allowed)
        else:
            k = rng.randrange(1, len(digits))
            if rng.random() < 0.5:
                del digits[k]
            else:
                digits.insert(k, digits[k])
        if frac:
            cut = len(digits) - (len(frac) - 1)
            whole, fraction = "".join(digits[:cut]) or "0", "".join(digits[cut:])
        else:
            whole, fraction = "".join(digits), ""
        if "," in num:
            whole = f"{int(whole):,}"
        new_num = whole + ("." + fraction if fraction else "")
        original = m.group()
        start = m.start("num") - m.start()
        end = (m.end("frac") if m.group("frac") else m.end("num")) - m.start()
        changed = original[:start] + new_num + original[end:]
        return changed if changed != original else None


def make(shared: Path, seed: int) -> NumbersInjector:
    """The numbers injector (it needs no shared data)."""
    return NumbersInjector()
