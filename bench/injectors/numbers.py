"""Numbers injector: change one mention of a figure that the article restates about the same thing.

Only genuine restatements of one quantity are used, judged with plain-text criteria of the bench's own (not
copylint's extraction, so the bench does not grade the rule by its own logic):

- the same figure (digits, a money sum, a share or a number word) in two different sentences;
- counting the same thing: the same counted noun (the first plural within three words after a count, the
  first content word after a sum or share) -- a sum or share without one needs three content words in common
  within ten words of each figure;
- overlapping context: at least two other content words in common in the two sentences (the subject, the
  verb, the place, the source), or a headline figure restated in the first two paragraphs with its noun.

Pairs that are probably two sets are left out: the two sentences name different people or places (no
capitalised word in common although both have some), name different years, months or weekdays, attribute
to different speakers, or sit in a list or table (a sentence with four or more figures, or a noun the article
counts with three or more different values); rates ("a year", "each", "per"), partitives ("12 of the"),
stretches of a series ("their last five meetings"), ratios ("one in ten"), counts of sources ("according to two people"), labels
("Chapter 11"), dates, times, ages and durations are not candidates at all.

One of the two mentions is then changed the way figures go wrong in copy: two digits swapped, one digit
mistyped, a digit dropped or doubled, a number word off by one or two. The finding must overlap the changed
mention; its suggestion should restore the original. ``candidates`` lists the pairs (the bench reports how
many articles offer one).
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bench.corpus import Article
from bench.injectors import Injected, replace_spans

KIND = "numbers"
CATEGORIES = ("numbers",)
MAX_PER_ARTICLE = 1

_WORDS = ("two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
          "eighteen nineteen twenty").split()
_VALUE = {w: k for k, w in enumerate(_WORDS, start=2)}
_MONTHS = frozenset(
    "january february march april may june july august september october november december jan feb mar apr jun jul "
    "aug sep sept oct nov dec".split()
)
_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_STOP = frozenset(
    """a an the and or but of to in on at by for with from as is was are were be been being it its this that these
    those he she they we you i his her their our your them him us who whom which what when where while than then
    there here has have had having do does did not no nor so if into onto over under about after before since until
    also would could should will shall may might must can just more most some any all each many much other another
    such only own same very up down out off again further once both few per cent percent pct said says say told
    according year years month months week weeks day days time times last next first new now""".split()
)
_PLURALS = frozenset("people men women children police staff dead killed injured wounded hurt missing".split())
_TIME_UNITS = frozenset("second minute hour day week month year decade century time point".split())
_RATE_AFTER = frozenset("each apiece per every".split())
_RATE_PHRASES = ("a year", "a month", "a week", "a day", "an hour", "a head", "a share", "a barrel", "a tonne",
                 "an ounce", "a litre", "a gallon", "a pound", "a kilo")
_SAY = frozenset("said says told according reported estimated announced claimed".split())
_FIGURE = re.compile(
    r"(?<![\w.,/:£$€-])(?P<money>[$£€])?(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?"
    r"(?P<scale>bn|m|k|\s(?:million|billion|trillion)\b)?(?P<pct>%|\s(?:per\s?cent|percent|pct)\b)?"
    r"(?![\w/:-]|[.,]\d)"
    r"|\b(?P<word>" + "|".join(_WORDS) + r")\b",
    re.IGNORECASE,
)
_RANGE_BEFORE = re.compile(r"(?:\d|\b(?:" + "|".join(_WORDS) + r"))\s+(?:to|and|or)\s+$")
_POSSESSIVE = re.compile(r"['’]s?$")
_INNER_CAPITAL = re.compile(r"(?<=[a-z,;] )([A-Z][a-z]+)")
_WINDOW_BEFORE = re.compile(r"\b(?:first|last|next|final|opening|past|previous|top|best)\s+$")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[\"“‘(]?[A-Z0-9])")
_PERIOD = re.compile(
    r"\b(?:19|20)\d\d\b|\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)


def _lemma(word: str) -> str:
    word = word.lower().rstrip("'’")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


@dataclass(frozen=True)
class Mention:
    """One usable figure: what it says, what it counts and the sentence around it."""

    match: re.Match[str]
    key: str  # the figure normalised ("1200", "$1.1bn", "8%", "three")
    group: str  # count, word, money or percent
    noun: str  # lemma of the counted noun, "" if none
    sentence: int  # index of its sentence in the article
    block: int  # 0 for the headline, then paragraphs
    words: frozenset[str]  # content-word lemmas of the sentence, less the noun
    near: frozenset[str]  # content-word lemmas within ten words of the figure
    names: frozenset[str]  # names in the sentence (capitalised words, less a first word that is not a name)
    subject: str  # the nearest name up to seven words before the figure: often whose figure it is
    periods: frozenset[str]  # years, months and weekdays the sentence names
    own_period: str  # the year, month or weekday just after the figure ("fell 0.6% in January")
    speaker: str  # who the sentence attributes to, "" if no one is named
    crowded: bool  # the sentence is a list or a table row: four or more figures


@dataclass(frozen=True)
class Pair:
    """Two mentions of one quantity; ``group`` is how the bench reports it."""

    first: Mention
    second: Mention
    group: str


class NumbersInjector:
    """Finds a figure restated about the same thing and changes one mention of it."""

    def inject(self, article: Article, rng: random.Random) -> Injected | None:
        """Change one of two mentions of a restated figure, or return None if the article restates none."""
        pairs = self.candidates(article)
        if not pairs:
            return None
        pair = rng.choice(pairs)
        target = rng.choice((pair.first, pair.second)).match
        changed = self._mistype(target, rng)
        if changed is None:
            return None
        return replace_spans(article.text, [(target.start(), target.end(), changed, pair.group)])

    def candidates(self, article: Article) -> list[Pair]:
        """Every pair of mentions that restate one quantity (at most one pair per figure)."""
        mentions = self._mentions(article)
        values_by_noun: dict[str, set[str]] = defaultdict(set)
        for m in mentions:
            if m.noun:
                values_by_noun[m.noun].add(m.key)
        pairs = []
        for i, a in enumerate(mentions):
            for b in mentions[i + 1 :]:
                if b.key != a.key or b.sentence == a.sentence:
                    continue
                group = self._restates(a, b, len(values_by_noun.get(a.noun, ())) >= 3)
                if group:
                    pairs.append(Pair(a, b, group))
                    break
        return pairs

    def _restates(self, a: Mention, b: Mention, listed: bool) -> str:
        """The bench group if ``b`` restates ``a``'s quantity, "" if they may be two sets."""
        if a.crowded or b.crowded or listed:
            return ""
        if (a.periods and b.periods and not a.periods & b.periods) or (
            a.own_period and b.own_period and a.own_period != b.own_period
        ):
            return ""  # two years, two months: two sets
        if a.speaker and b.speaker and a.speaker != b.speaker:
            return ""
        shared = len(a.words & b.words)
        if a.block == 0 and b.block in (1, 2):
            # the headline's figure restated in the lede: headlines name things differently, so only the noun
            # or two content words are asked for
            same = (a.noun and a.noun == b.noun) or len(a.near & b.near) >= 2
            return "headline" if same else ""
        if a.block == 0:
            return ""
        if (a.names and b.names and not a.names & b.names) or (a.subject and b.subject and a.subject != b.subject):
            return ""  # two players, two companies, two towns
        if a.noun or b.noun:
            return a.group if a.noun == b.noun and shared >= 2 else ""
        return a.group if a.group in ("money", "percent") and len(a.near & b.near) >= 3 and shared >= 3 else ""

    def _mentions(self, article: Article) -> list[Mention]:
        text = article.text
        # words written with a capital where no sentence starts: names, so a sentence may start with one too
        body = "\n\n".join(article.paragraphs)
        proper = frozenset(_POSSESSIVE.sub("", m.group(1).lower()) for m in _INNER_CAPITAL.finditer(body))
        found: list[Mention] = []
        sentence_index = 0
        position = 0
        for block, paragraph in enumerate((article.headline, *article.paragraphs)):
            start = text.find(paragraph, position)
            position = start + len(paragraph)
            sentences = [paragraph] if block == 0 else _split(paragraph)
            offset = start
            for sentence in sentences:
                s_start = text.find(sentence, offset)
                offset = s_start + len(sentence)
                matches = [m for m in _FIGURE.finditer(text, s_start, offset) if self._usable(text, m)]
                if matches:
                    found.extend(self._describe(text, sentence, s_start, sentence_index, block, matches, proper))
                sentence_index += 1
        return found

    def _describe(
        self,
        text: str,
        sentence: str,
        s_start: int,
        index: int,
        block: int,
        matches: list[re.Match[str]],
        proper: frozenset[str],
    ) -> list[Mention]:
        words = _WORD.findall(sentence)
        lemmas = frozenset(_lemma(w) for w in words if w.lower() not in _STOP and len(w) > 2)
        names = _names(words, proper)
        periods = frozenset(p.lower() for p in _PERIOD.findall(sentence))
        speaker = _speaker(words)
        crowded = len(matches) >= 4
        result = []
        for m in matches:
            group = _group(m)
            after = _WORD.findall(text[m.end() : m.end() + 40])[:4]
            noun = _counted_noun(after, group)
            if noun is None:
                continue
            if m.group("word") and after and after[0][0].isupper():
                continue  # "Six Nations", "Three Lions": a name
            key = (m.group().lower() if m.group("word") else re.sub(r"\s+", " ", m.group())).replace(",", "")
            near_words = _WORD.findall(text[max(s_start, m.start() - 70) : m.end() + 70])
            near = frozenset(_lemma(w) for w in near_words if w.lower() not in _STOP and len(w) > 2) - {noun}
            before = _WORD.findall(text[s_start : m.start()])
            subject = _last_name(before, len(before) - 7, proper) if block else ""
            own = _PERIOD.search(text, m.end(), min(s_start + len(sentence), m.end() + 30))
            own_period = own.group().lower() if own else ""
            result.append(
                Mention(
                    m,
                    key,
                    group,
                    noun,
                    index,
                    block,
                    lemmas - {noun},
                    near,
                    names if block else frozenset(),
                    subject,
                    periods,
                    own_period,
                    speaker,
                    crowded,
                )
            )
        return result

    @staticmethod
    def _usable(text: str, m: re.Match[str]) -> bool:
        after_text = text[m.end() : m.end() + 14].lower()
        if after_text.startswith((" of ", "-", "(", "/", " to ", " and ", " or ")) or after_text.startswith(
            tuple(" " + p + " " for p in _RATE_PHRASES)
        ):
            return False  # partitives, compounds, codes, ranges and rates
        before_text = text[max(0, m.start() - 12) : m.start()].lower()
        if before_text.endswith(("between ", "-")) or _RANGE_BEFORE.search(before_text):
            return False  # the second end of a range ("10 to 15", "two or three")
        if before_text.endswith(("one in ", "1 in ", "out of ")):
            return False  # "one in ten users": a ratio, not a count
        if before_text.endswith("according to "):
            return False  # "according to two people familiar with ...": a count of sources, one per claim
        if _WINDOW_BEFORE.search(before_text):
            return False  # "their last five meetings", "the opening two matches": a stretch of a series, whose
            # games or meetings differ from team to team and sentence to sentence
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
        before = before_text.split()
        after = after_text.split()
        if (before and before[-1].strip(".,") in _MONTHS) or (after and after[0].strip(".,") in _MONTHS):
            return False
        return not (after and after[0].startswith(("a.m", "p.m", "am", "pm")))

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
        if len(whole) > 1 and whole.startswith("0"):
            return None  # "06.6%" is not a slip anyone types
        if "," in num:
            whole = f"{int(whole):,}"
        new_num = whole + ("." + fraction if fraction else "")
        original = m.group()
        start = m.start("num") - m.start()
        end = (m.end("frac") if m.group("frac") else m.end("num")) - m.start()
        changed = original[:start] + new_num + original[end:]
        return changed if changed != original else None


def _split(paragraph: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(paragraph) if s]


def _group(m: re.Match[str]) -> str:
    if m.group("word"):
        return "word"
    if m.group("money"):
        return "money"
    if m.group("pct"):
        return "percent"
    return "count"


def _counted_noun(after: list[str], group: str) -> str | None:
    """The lemma of what a figure counts, "" if it names nothing, None if the figure is not a count at all."""
    if group in ("money", "percent"):
        for word in after[:2]:
            if word.lower() in _STOP:
                continue
            return _lemma(word) if word[0].islower() and len(word) > 2 else ""
        return ""
    for word in after[:3]:
        lower = word.lower()
        if word[0].isupper() and lower not in _PLURALS:
            return None  # "50 Cent", "the 777 Dreamliner"
        if lower in _STOP:
            return None
        lemma = _lemma(word)
        if lemma in _TIME_UNITS:
            return None  # durations and ages repeat about different things too often to call them one figure
        if lower in _PLURALS or (lower.endswith("s") and not lower.endswith("ss") and len(lower) > 3):
            return lemma
    return None  # "the 777 aircraft", "401k": labels and names, not counts


def _name(word: str, first: bool, proper: frozenset[str]) -> str:
    """``word`` as a name key (lower case, no possessive), "" if it is not a name."""
    if not word[0].isupper():
        return ""
    lower = _POSSESSIVE.sub("", word.lower())
    if lower in _MONTHS or lower in _WEEKDAYS or lower in _STOP or (first and lower not in proper):
        return ""
    return lower


def _names(words: list[str], proper: frozenset[str]) -> frozenset[str]:
    """Capitalised words less months and weekdays; a first word only if the article writes it as a name."""
    return frozenset(name for k, word in enumerate(words) if (name := _name(word, k == 0, proper)))


def _last_name(words: list[str], since: int, proper: frozenset[str]) -> str:
    """The last name among a sentence's first ``words`` from index ``since`` on (often whose figure it is)."""
    for k in range(len(words) - 1, max(since, 0) - 1, -1):
        name = _name(words[k], k == 0, proper)
        if name:
            return name
    return ""


def _speaker(words: list[str]) -> str:
    """The capitalised name or noun just before or after a verb of saying, lower case; "" if none."""
    for k, word in enumerate(words):
        if word.lower() not in _SAY:
            continue
        for j in (k - 1, k + 1, k + 2):
            if 0 <= j < len(words) and words[j][0].isupper() and words[j].lower() not in _STOP:
                return words[j].lower()
    return ""


def make(shared: Path, seed: int) -> NumbersInjector:
    """The numbers injector (it needs no shared data)."""
    return NumbersInjector()
