"""Quantities in an article: what each number says, what it counts, how it is hedged and who says so.

``Extractor`` is built once per rule set from the ``numbers`` lexicons (number words, vague quantities,
counted-noun classes) and reads a Document's tokens in one pass per block. The numbers rules compare the
``Quantity`` values it returns.
"""

from __future__ import annotations

import bisect
import math
import operator
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from itertools import compress, count, repeat
from typing import TYPE_CHECKING, Any, NamedTuple

from copylint.document import Token, TokenKind, split_sentences
from copylint.finding import Span

if TYPE_CHECKING:
    from copylint.document import Block, Document
    from copylint.loader import Lexicon as LexiconFile


class Kind(Enum):
    """What sort of quantity a number is."""

    COUNT = "count"
    PERCENT = "percent"
    MONEY = "money"
    AGE = "age"


class Bound(Enum):
    """How a qualifier hedges a number: exactly, at least, at most, or roughly."""

    EXACT = "exact"
    LOWER = "lower"
    UPPER = "upper"
    APPROX = "approx"


class Quantity(NamedTuple):
    """One stated quantity with what it counts, its hedge and its attribution.

    A named tuple rather than a frozen dataclass: a document has hundreds of figures, and the extractor makes
    each with ``tuple.__new__`` (a 22-field frozen dataclass set each field with a call of its own)."""

    span: Span  # the number as written ("67", "$1.13bn", "dozens", "twenty-five")
    text: str
    value: float
    low: float  # the interval the statement allows, after qualifier and rounding
    high: float
    kind: Kind
    unit: str  # currency key, "%" or "" for counts
    noun: str  # counted noun class or lemma ("" if none was found)
    generic: bool  # the noun says little about the set ("people")
    predicate: str  # what happened to them ("dead"), "" if nothing said
    modifiers: frozenset[str]  # lower-case words between number and noun ("new", "british")
    qualifier: str  # "at least", "about", ... as written (lower case), "" if none
    bound: Bound
    vague: bool  # "dozens", "hundreds"
    digits: str  # the digit string (no separators) for typo comparison, "" for words
    block: int  # index of the block in document.blocks
    headline: bool
    sentence: Span
    definite: bool  # "the 67 bodies", "all 67": points back at a set already stated
    partitive: bool  # "35 of the casualties": a part of ``noun``
    # What the sentence says around the figure, and what the words near it say, are worked out on first use
    # (the properties below): most figures are never compared with another, and most comparisons stop early.
    facts: _SentenceFacts
    near: _Near

    @property
    def changing(self) -> bool:
        """A different state or an increment: "rose to 76", "another 12", "up from 67"."""
        return self.near.changing()

    @property
    def source(self) -> str:
        """Attribution in the sentence, normalised ("" if none)."""
        return self.facts.source

    @property
    def contrast(self) -> bool:
        """The sentence sets it against something else ("But in Leeds ...", "while", "whereas")."""
        return self.facts.contrast

    @property
    def names(self) -> frozenset[str]:
        """Capitalised words of the sentence (not its first word): people, bodies, places."""
        return self.facts.names

    @property
    def places(self) -> frozenset[str]:
        """Places the sentence is about ("in Arlow"), to tell two sets apart."""
        return self.facts.places

    @property
    def years(self) -> frozenset[str]:
        """Years, months and weekdays the sentence names: two periods, two different sets."""
        return self.facts.years

    @property
    def context(self) -> frozenset[str]:
        """Content words near the number."""
        return self.near.words()


_STOP = frozenset(
    """a an the and or but of to in on at by for with from as is was are were be been being it its this that these those
    he she they we you i his her their our your them him us who whom which what when where while than then there here
    has have had having do does did not no nor so if into onto over under about after before since until also
    said says say told according would could should will shall may might must can just more most some any all each
    many much other another such only own same very up down out off again further once both few""".split()
)
_LOWER_QUALIFIERS = (
    ("at", "least"),
    ("more", "than"),
    ("over",),
    ("upwards", "of"),
    ("in", "excess", "of"),
    ("no", "fewer", "than"),
    ("no", "less", "than"),
    ("a", "minimum", "of"),
    ("just", "over"),
    ("well", "over"),
    ("some", "more", "than"),
)
_UPPER_QUALIFIERS = (
    ("up", "to"),
    ("as", "many", "as"),
    ("as", "much", "as"),
    ("fewer", "than"),
    ("less", "than"),
    ("under",),
    ("at", "most"),
    ("no", "more", "than"),
    ("a", "maximum", "of"),
    ("just", "under"),
    ("nearly",),
    ("almost",),
    ("not", "quite"),
    ("as", "little", "as"),
    ("as", "few", "as"),
    ("as", "high", "as"),
    ("as", "low", "as"),
)
_APPROX_QUALIFIERS = (
    ("about",),
    ("around",),
    ("roughly",),
    ("approximately",),
    ("some",),
    ("an", "estimated"),
    ("estimated",),
    ("close", "to"),
    ("approx",),
    ("circa",),
    ("perhaps",),
    ("possibly",),
    ("maybe",),
    ("reportedly",),
    ("an", "average", "of"),
    ("on", "average"),
)
_QUALIFIERS: tuple[tuple[tuple[str, ...], Bound], ...] = tuple(
    sorted(
        [(q, Bound.LOWER) for q in _LOWER_QUALIFIERS]
        + [(q, Bound.UPPER) for q in _UPPER_QUALIFIERS]
        + [(q, Bound.APPROX) for q in _APPROX_QUALIFIERS],
        key=lambda item: -len(item[0]),
    )
)
_QUALIFIERS_BY_LAST: dict[str, list[tuple[tuple[str, ...], Bound]]] = {}
for _words, _bound in _QUALIFIERS:
    _QUALIFIERS_BY_LAST.setdefault(_words[-1], []).append((_words, _bound))
# Words just before a number that mean it is a new state, an increment or a comparison, not a restatement.
_CHANGE_BEFORE = frozenset(
    """another additional further extra other total than previous previously earlier initially originally
    per each every""".split()
)
_CHANGE_VERBS = frozenset(
    """rose risen rise rises rising climbed climb climbs climbing jumped jump jumps soared increased increase
    increases increasing grew grown grow fell fallen fall falls falling dropped drop drops declined decline
    slipped slumped plunged reduced cut cuts lowered raised revised doubled tripled up down upped hiked
    boosted trimmed slashed lifted moved moving climbing slid""".split()
)
_CHANGE_AFTER = frozenset("more others additional extra further other per each apiece".split())
# The searched patterns open each alternative with a plain letter, so that the re module skips ahead at C speed
# to where one may start; "x(?<!\w.)" is "\bx" (nothing of a word before the first letter).
_COMPARATIVE = re.compile(
    r"c(?<!\w.)ompared (?:with|to)\b|v(?<!\w.)(?:ersus|s)\b|y(?<!\w.)ear earlier\b|a(?<!\w.)(?: year ago|t first| further)\b"
    r"|l(?<!\w.)ast year\b|p(?<!\w.)revious(?:ly)?\b|u(?<!\w.)p from\b|d(?<!\w.)own from\b|f(?<!\w.)rom \S+ to\b"
    r"|b(?<!\w.)ring(?:s? the|ing the)\b|i(?<!\w.)n(?:itially| total| all)\b|o(?<!\w.)riginally\b|s(?<!\w.)o far\b"
    r"|t(?<!\w.)(?:o date|he previous)\b|m(?<!\w.)ore than doubled\b"
)
_COMPARATIVE_KEYS = (
    "compared", "versus", "vs", "year", "first", "further", "previous", "from", "bring", "initially", "in total", "in all",
    "originally", "so far", "to date", "doubled",
)  # fmt: skip
_CONTRAST_OPENING = re.compile(r"(?:But|Yet|However|Meanwhile|By contrast|In contrast)\b")  # matched at the start
_CONTRAST_WORD = re.compile(r"w(?<!\w.)h(?:ile|ereas)\b|u(?<!\w.)nlike\b|c(?<!\w.)ompared\b|h(?<!\w.)owever\b")
# Nouns of a move in a ranking or a score: "climbed seven places" is a change even with a noun.
_MOVE_NOUNS = frozenset("place places spot spots position positions notch notches rung rungs".split())
# Words after a share or a sum that compare it, not name what it is ("24% higher", "5% above").
_NOT_COUNTED = frozenset(
    "higher lower above below bigger smaller larger greater stronger weaker cheaper dearer year-on-year".split()
)
_SET_WORDS = frozenset("first last next past final top bottom remaining previous other".split())
_DEFINITE = frozenset("the all those these both".split())
_LABEL_BEFORE = frozenset(
    """no number page pages article articles section chapter room flight route highway road channel act resolution
    part level grade stage phase round game games match week day year class category grade size type model version
    platform gate terminal line lines unit units cell block floor apartment suite box pier dock lot plot case file
    bill amendment district ward precinct zone sector region division squadron battalion brigade regiment company
    group tier rank seed number no. vol volume issue episode season series track verse psalm exhibit figure table
    figures tables appendix item items clause paragraph paragraphs rule rules code codes step steps jersey shirt""".split()
)
_TIME_AFTER = frozenset("a.m am p.m pm gmt bst est edt cet utc o'clock hrs".split())
_MONTHS = frozenset(
    """january february march april may june july august september october november december jan feb mar apr jun
    jul aug sep sept oct nov dec""".split()
)
_SAY = frozenset(
    """said say says saying told tells reported reports estimated estimates estimate announced announces confirmed
    confirms cited cites claimed claims added adds stated states according documented counted recorded""".split()
)
_PRONOUNS = frozenset("he she they it we i you who which this that officials".split())
_SOURCE_NOUNS = frozenset(
    """police officials activists witnesses authorities ministry army military government doctors medics rescuers
    residents organisers organizers analysts sources spokesman spokeswoman spokesperson statement report data
    figures hospital coroner agency survey poll council court company firm department office service committee
    commission board union group observatory coastguard prosecutors prosecutor investigators regulator""".split()
)
_NOT_SOURCES = frozenset("""monday tuesday wednesday thursday friday saturday sunday today yesterday tonight""".split()) | _MONTHS
# Years not inside a longer figure, and month and weekday names that start with a capital (in any case after
# it: "MONDAY"); "1(?<![\d,.].)9" is "(?<![\d,.])19".
_PERIOD = re.compile(
    r"1(?<![\d,.].)9\d\d(?!\d|,\d)|2(?<![\d,.].)0\d\d(?!\d|,\d)|J(?<!\w.)(?i:anuary|une|uly)\b"
    r"|F(?<!\w.)(?i:ebruary|riday)\b|M(?<!\w.)(?i:arch|ay|onday)\b|A(?<!\w.)(?i:pril|ugust)\b"
    r"|S(?<!\w.)(?i:eptember|aturday|unday)\b|O(?<!\w.)(?i:ctober)\b|N(?<!\w.)(?i:ovember)\b|D(?<!\w.)(?i:ecember)\b"
    r"|T(?<!\w.)(?i:uesday|hursday)\b|W(?<!\w.)(?i:ednesday)\b"
)
_PLACE = re.compile(r"(?:I(?<!\w.)n|i(?<!\w.)n|A(?<!\w.)t|a(?<!\w.)t|F(?<!\w.)or|f(?<!\w.)or)\s+(?:the\s+)?([A-Z][\w'’-]+)")
_NUMBER = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?([a-z]*)")
_SENTENCE_WORDS = re.compile(r"[^\W\d_][\w'’-]*")
_TEXT = operator.itemgetter(0)  # of a token
_NOT_NAMES = _NOT_SOURCES | _STOP
# What the tokens of an age ("Okafor, 45,") look like in the text: blocks without it are not searched
_AGE_HINT = re.compile(r",\s*\d\w{0,2}\s*[,.;)]")
_APOSTROPHE_ENDS = ("'", "’", "'s", "’s")
_KIND = operator.itemgetter(3)
_new_quantity = tuple.__new__  # a Quantity from its fields, without NamedTuple's Python-level __new__


@dataclass(frozen=True)
class NumberLexicon:
    """The merged ``numbers`` lexicons, in the shapes the extractor looks things up in."""

    words: Mapping[tuple[str, ...], float]
    scales: Mapping[str, float]
    suffixes: Mapping[str, float]
    currencies: Mapping[str, str]
    vague: Mapping[tuple[str, ...], tuple[float, float]]
    nouns: Mapping[str, str]  # word -> class
    predicates: Mapping[str, str]  # word -> class
    generic: frozenset[str]
    first_words: frozenset[str]  # first words of every word or vague phrase


def _table(lexicon: LexiconFile, entries: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = entries.get(name, {})
    if not isinstance(value, dict):
        raise lexicon.error(f"'{name}' must be a table", name)
    return value


def build_lexicon(lexicons: Sequence[LexiconFile]) -> NumberLexicon:
    """Merge and validate ``numbers`` lexicon files; a bad entry raises RuleFileError at ``path:line``."""
    words: dict[tuple[str, ...], float] = {}
    scales: dict[str, float] = {}
    suffixes: dict[str, float] = {}
    currencies: dict[str, str] = {}
    vague: dict[tuple[str, ...], tuple[float, float]] = {}
    nouns: dict[str, str] = {}
    predicates: dict[str, str] = {}
    generic: set[str] = set()
    known = {"words", "scales", "suffixes", "currencies", "vague", "nouns", "predicates", "generic"}
    for lexicon in lexicons:
        entries = lexicon.entries
        if not isinstance(entries, dict):
            raise lexicon.error("'entries' must be a table of tables", "entries")
        unknown = set(entries) - known
        if unknown:
            first = sorted(unknown)[0]
            raise lexicon.error(f"unknown table(s) {', '.join(sorted(unknown))} (known: {', '.join(sorted(known))})", first)
        for phrase, value in _table(lexicon, entries, "words").items():
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                raise lexicon.error(f"number word {phrase!r} needs a positive number", phrase)
            words[tuple(phrase.lower().split())] = float(value)
        for table, target in (("scales", scales), ("suffixes", suffixes)):
            for word, value in _table(lexicon, entries, table).items():
                if isinstance(value, bool) or not isinstance(value, int | float) or value <= 1:
                    raise lexicon.error(f"scale {word!r} needs a number above 1", word)
                target[word.lower()] = float(value)
        for sign, unit in _table(lexicon, entries, "currencies").items():
            if not isinstance(unit, str) or not unit:
                raise lexicon.error(f"currency {sign!r} needs a unit key", sign)
            currencies[sign if not sign.isalpha() else sign.lower()] = unit
        for phrase, bounds in _table(lexicon, entries, "vague").items():
            if (
                not isinstance(bounds, list)
                or len(bounds) != 2
                or not all(isinstance(b, int | float) and not isinstance(b, bool) for b in bounds)
                or not 0 < bounds[0] <= bounds[1]
            ):
                raise lexicon.error(f"vague quantity {phrase!r} needs [low, high] with 0 < low <= high", phrase)
            vague[tuple(phrase.lower().split())] = (float(bounds[0]), float(bounds[1]))
        for table, target_map in (("nouns", nouns), ("predicates", predicates)):
            for name, members in _table(lexicon, entries, table).items():
                if not isinstance(members, list) or not all(isinstance(m, str) and m.strip() for m in members):
                    raise lexicon.error(f"{table} class {name!r} must be a list of words", name)
                for member in members:
                    key = member.lower()
                    if key in target_map and target_map[key] != name:
                        raise lexicon.error(f"{member!r} is in both {target_map[key]!r} and {name!r}", member)
                    target_map[key] = name
        generic_words = _table(lexicon, entries, "generic").get("words", [])
        if not isinstance(generic_words, list) or not all(isinstance(w, str) for w in generic_words):
            raise lexicon.error("generic.words must be a list of words", "generic")
        generic.update(w.lower() for w in generic_words)
    first_words = frozenset(p[0] for p in words) | frozenset(p[0] for p in vague)
    return NumberLexicon(words, scales, suffixes, currencies, vague, nouns, predicates, frozenset(generic), first_words)


def _is_figure(word: str) -> bool:
    """A token that is a number written in digits."""
    return word[:1].isdigit()


def lemma(word: str) -> str:
    """A crude singular, enough to match "bodies"/"body" and "jobs"/"job" when no class is listed."""
    if not word.endswith("s"):
        return word  # most words: one test
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and not word.endswith("ss"):
        return word[:-1]
    return word


def _rounding(digits: str, fraction: str) -> float:
    """Half the last significant place of a written number: 1,200 may stand for 1,150..1,250."""
    if fraction:
        return 0.5 * 10.0 ** -len(fraction)
    value = int(digits)
    if value < 100:
        return 0.49  # "11%" may round "11.3%"; "12" and "13" stay apart
    zeros = len(digits) - len(digits.rstrip("0"))
    return 0.45 * 10**zeros if zeros >= 2 else 0.0


class _SentenceFacts:
    """What the numbers rules read about a sentence: attribution, contrast, names, places and periods.

    Each is worked out on first use (most figures are never compared with another, and most comparisons
    stop before names and places) and kept for every figure of the sentence."""

    __slots__ = ("_contrast", "_names", "_places", "_source", "_words", "_years", "headline", "text")

    def __init__(self, text: str, headline: bool) -> None:
        self.text = text
        self.headline = headline
        self._words: tuple[list[str], list[str]] | None = None
        self._source: str | None = None
        self._contrast: bool | None = None
        self._names: frozenset[str] | None = None
        self._places: frozenset[str] | None = None
        self._years: frozenset[str] | None = None

    def words(self) -> tuple[list[str], list[str]]:
        """The sentence's words, and in lower case."""
        if self._words is None:
            words = _SENTENCE_WORDS.findall(self.text)
            self._words = words, list(map(str.lower, words))
        return self._words

    @property
    def source(self) -> str:
        if self._source is None:
            self._source = "" if self.headline else _source(*self.words())
        return self._source

    @property
    def contrast(self) -> bool:
        if self._contrast is None:
            text = self.text
            self._contrast = _CONTRAST_OPENING.match(text) is not None or _CONTRAST_WORD.search(text) is not None
        return self._contrast

    @property
    def names(self) -> frozenset[str]:
        if self._names is None:
            self._names = _names(*self.words())
        return self._names

    @property
    def places(self) -> frozenset[str]:
        if self._places is None:
            self._places = _places(self.text)
        return self._places

    @property
    def years(self) -> frozenset[str]:
        if self._years is None:
            self._years = frozenset(map(str.lower, _PERIOD.findall(self.text)))
        return self._years


class _Near:
    """The content words around a number (``Quantity.context``) and whether it is a change, worked out on first use.

    It keeps the block's tokens, which the block keeps anyway, and not their lower-case forms: a list of a whole
    block's words kept for each figure made every collection of the garbage collector walk them. The few words
    each answer reads are put in lower case again when it is first asked for."""

    __slots__ = ("_changing", "_counted", "_first", "_kind", "_last", "_noun", "_q_start", "_tokens", "_words")

    def __init__(
        self,
        tokens: tuple[Token, ...],
        first: int,
        last: int,
        noun: str,
        q_start: int = 0,
        kind: Kind = Kind.COUNT,
        counted: bool = False,
        changing: bool | None = None,
    ) -> None:
        self._tokens = tokens
        self._first = first  # token indices: the number, from its qualifier (``q_start``) to its counted noun
        self._last = last
        self._q_start = q_start
        self._noun = noun  # the counted word as written, in lower case ("" if none)
        self._kind = kind
        self._counted = counted  # the number counts a specific noun (see _changing)
        self._changing = changing
        self._words: frozenset[str] | None = None

    def words(self) -> frozenset[str]:
        if self._words is None:
            self._words = _context(self._tokens, self._first, self._last, self._noun)
        return self._words

    def changing(self) -> bool:
        changing = self._changing
        if changing is None:
            q_start, last = self._q_start, self._last
            low = max(0, q_start - 15)  # _changing reads 15 words before the qualifier and ten after the number
            lower = _lower(self._tokens[low : last + 11])
            changing = self._changing = _changing(lower, q_start - low, last - low, self._kind, self._counted)
        return changing


def _lower(tokens: Sequence[Token]) -> list[str]:
    """The tokens' texts in lower case."""
    return list(map(str.lower, map(_TEXT, tokens)))


class _Sentences:
    """The sentences of one block (``Block.sentences``, relative to the block), split when a figure first asks.

    A figure's sentence is found by bisection over the sentence starts, and each sentence's Span and facts are
    made once, for its first figure: most blocks have no figure, and most sentences of the others none either."""

    __slots__ = ("_block", "_bounds", "_facts", "_spans", "_starts")

    def __init__(self, block: Block) -> None:
        self._block = block
        self._bounds: list[tuple[int, int]] = []
        self._starts: list[int] | None = None
        self._spans: dict[int, Span] = {}  # by index in _bounds
        self._facts: dict[int, _SentenceFacts] = {}  # by start (absolute)

    def span(self, offset: int) -> Span:
        """The sentence holding the absolute ``offset`` (the block's span if none does, as Block.sentences)."""
        block = self._block
        starts = self._starts
        if starts is None:
            # the split Block.sentences makes, without a Span for each sentence
            self._bounds = split_sentences(block.text)
            starts = self._starts = [start for start, _ in self._bounds]
        relative = offset - block.start
        k = bisect.bisect_right(starts, relative) - 1
        if k < 0 or relative >= self._bounds[k][1]:
            return block.span
        span = self._spans.get(k)
        if span is None:
            start, end = self._bounds[k]
            span = self._spans[k] = Span(block.start + start, block.start + end)
        return span

    def facts(self, sentence: Span) -> _SentenceFacts:
        """What the numbers rules read about ``sentence`` (one of this block's), made on first use."""
        facts = self._facts.get(sentence.start)
        if facts is None:
            block = self._block
            text = block.text[sentence.start - block.start : sentence.end - block.start]
            facts = self._facts[sentence.start] = _SentenceFacts(text, block.is_headline)
        return facts


@dataclass
class _Raw:
    """A number found in the tokens, before its surroundings are read."""

    first: int  # token index of the first token of the number expression
    last: int  # token index of the last
    value: float
    slack: float  # rounding allowance, in the same unit as value
    kind: Kind
    unit: str
    vague: tuple[float, float] | None
    digits: str


class Extractor:
    """Reads quantities from a document's tokens using one merged ``NumberLexicon``."""

    def __init__(self, lexicon: NumberLexicon) -> None:
        self.lexicon = lexicon
        phrases = sorted(
            [(p, ("word", v)) for p, v in lexicon.words.items()] + [(p, ("vague", v)) for p, v in lexicon.vague.items()],
            key=lambda item: -len(item[0]),
        )
        # phrases by first word, longest first, so a token is compared only with phrases it can start
        self._phrases: dict[str, list[tuple[tuple[str, ...], tuple[str, float | tuple[float, float]]]]] = {}
        for phrase, payload in phrases:
            self._phrases.setdefault(phrase[0], []).append((phrase, payload))
        # first words that start only longer phrases ("a" of "a dozen"), with the second words that may follow
        self._seconds = {
            first: frozenset(p[1] for p, _ in options)
            for first, options in self._phrases.items()
            if all(len(p) > 1 for p, _ in options)
        }
        self._memo_key = f"copylint.quantities@{id(self)}"

    def quantities(self, document: Document) -> list[Quantity]:
        """Every quantity of the document, in text order."""
        return list(self._analyse(document)[0])

    def ages(self, document: Document) -> list[Quantity]:
        """Ages written "Name Surname, 45," (the wire style), keyed by the surname."""
        return list(self._analyse(document)[1])

    def _analyse(self, document: Document) -> tuple[tuple[Quantity, ...], tuple[Quantity, ...]]:
        # every numbers rule reads the same quantities: the document keeps them once per extractor
        return document.derived(self._memo_key, self._read)

    def _read(self, document: Document) -> tuple[tuple[Quantity, ...], tuple[Quantity, ...]]:
        found: list[Quantity] = []
        ages: list[Quantity] = []
        for block in document.blocks:
            tokens = block.tokens
            lower = _lower(tokens)
            sentences = _Sentences(block)
            found.extend(self._block(block, tokens, lower, sentences))
            if _AGE_HINT.search(block.text):
                ages.extend(self._ages(block, tokens, lower, sentences))
        return tuple(found), tuple(ages)

    def _block(self, block: Block, tokens: tuple[Token, ...], lower: list[str], sentences: _Sentences) -> list[Quantity]:
        result: list[Quantity] = []
        # where a number may start (a figure, or the first word of a number word): picked out in C
        figure = TokenKind.NUMBER
        figures = map(operator.is_, map(_KIND, tokens), repeat(figure))
        starts = compress(count(), map(operator.or_, figures, map(self.lexicon.first_words.__contains__, lower)))
        seconds = self._seconds
        n = len(tokens)
        after = 0
        for i in starts:
            if i < after:
                continue
            if tokens[i][3] is figure:
                raw = self._digits_at(tokens, lower, i)
            else:
                following = seconds.get(lower[i])
                if following is not None and (i + 1 >= n or lower[i + 1] not in following):
                    continue  # "a" not followed by "dozen", "few"...
                raw = self._words_at(tokens, lower, i)
            if raw is None:
                continue
            quantity = self._describe(block, tokens, lower, raw, sentences)
            if quantity is not None:
                result.append(quantity)
            after = raw.last + 1
        return result

    # -- finding the number itself ------------------------------------------------------------------------

    def _adjacent(self, tokens: Sequence[Token], a: int, b: int) -> bool:
        return tokens[a].end == tokens[b].start

    def _digits_at(self, tokens: Sequence[Token], lower: list[str], i: int) -> _Raw | None:
        lex = self.lexicon
        m = _NUMBER.fullmatch(lower[i])
        if m is None:
            return None
        whole, fraction, suffix = m.groups("")
        digits = whole.replace(",", "")
        decimals = fraction[1:]  # less the point
        value = float(digits + fraction)
        slack = _rounding(digits, decimals)
        n = len(tokens)
        unit = ""
        kind = Kind.COUNT
        first = last = i
        sign = tokens[i - 1] if i > 0 else None
        if sign is not None and sign.text in lex.currencies and sign.end == tokens[i].start:
            unit = lex.currencies[sign.text]
            kind = Kind.MONEY
            first = i - 1
            if i > 1 and lower[i - 2] in ("us", "a", "c", "hk", "nz", "s") and tokens[i - 2].end == sign.start:
                first = i - 2
        if suffix:
            if suffix in lex.suffixes and (kind is Kind.MONEY or suffix != "m"):
                scale = lex.suffixes[suffix]
                value *= scale
                slack *= scale
                if not fraction and slack == 0 and value >= 1000:
                    slack = 0.0
            else:
                return None  # ordinals (10th), measures (10km), codes (3D)
        elif last + 1 < n and lower[last + 1] in lex.scales:
            scale = lex.scales[lower[last + 1]]
            value *= scale
            slack *= scale
            last += 1
        if last + 1 < n:
            following = lower[last + 1]
            if following == "%" or (following in ("percent", "pc", "pct")):
                if kind is Kind.MONEY:
                    return None
                kind, unit, last = Kind.PERCENT, "%", last + 1
            elif following == "per" and last + 2 < n and lower[last + 2] == "cent":
                if kind is Kind.MONEY:
                    return None
                kind, unit, last = Kind.PERCENT, "%", last + 2
            elif kind is Kind.COUNT and following in lex.currencies and following.isalpha():
                kind, unit, last = Kind.MONEY, lex.currencies[following], last + 1
        return _Raw(first, last, value, slack, kind, unit, None, digits + decimals)

    def _words_at(self, tokens: Sequence[Token], lower: list[str], i: int) -> _Raw | None:
        n = len(tokens)
        for phrase, (what, payload) in self._phrases.get(lower[i], ()):
            size = len(phrase)
            if size > 1 and (i + 1 >= n or lower[i + 1] != phrase[1] or tuple(lower[i : i + size]) != phrase):
                continue  # the second word first: "a" starts many phrases and most of its uses none
            last = i + size - 1
            if what == "vague":
                assert isinstance(payload, tuple)
                low, high = payload
                return _Raw(i, last, low, 0.0, Kind.COUNT, "", (low, high), "")
            assert isinstance(payload, float)
            value = payload
            # "twenty-five", "twenty five"
            if value >= 20 and value % 10 == 0 and last + 1 < n:
                j = last + 1
                if lower[j] in ("-", "‐") and j + 1 < n and self._adjacent(tokens, last, j):
                    j += 1
                unit_word = (lower[j],) if j < n else ()
                unit_value = self.lexicon.words.get(unit_word) if unit_word else None
                if unit_value is not None and unit_value < 10:
                    value += unit_value
                    last = j
            if last + 1 < n and lower[last + 1] in self.lexicon.scales:
                value *= self.lexicon.scales[lower[last + 1]]
                last += 1
            if last + 1 < n and lower[last + 1] in self.lexicon.currencies and lower[last + 1].isalpha():
                return _Raw(i, last + 1, value, 0.0, Kind.MONEY, self.lexicon.currencies[lower[last + 1]], None, "")
            return _Raw(i, last, value, 0.0, Kind.COUNT, "", None, "")
        return None

    # -- reading its surroundings -------------------------------------------------------------------------

    def _describe(
        self, block: Block, tokens: tuple[Token, ...], lower: list[str], raw: _Raw, sentences: _Sentences
    ) -> Quantity | None:
        lex = self.lexicon
        n = len(tokens)
        first, last = raw.first, raw.last
        before = lower[first - 1] if first > 0 else ""
        after = lower[last + 1] if last + 1 < n else ""
        if raw.vague is None and raw.kind is Kind.COUNT and not self._plain_count(block, tokens, lower, raw):
            if raw.digits and after in ("-", "–") and last + 4 < n and lower[last + 2] == "year" and lower[last + 4] == "old":
                return self._age(block, tokens, lower, raw, last + 4, sentences)
            return None
        if raw.value == 1 and raw.vague is None:
            return None
        # Ranges ("10 to 15", "between 10 and 15") are left alone: they hedge on purpose.
        if after in ("to", "or", "and", "-", "–") and last + 2 < n and tokens[last + 2].kind is TokenKind.NUMBER:
            return None
        if before in ("to", "or", "and", "-", "–") and first > 1 and tokens[first - 2].kind is TokenKind.NUMBER:
            return None
        if before == "between":
            return None
        qualifier, bound, q_start = self._qualifier(lower, first)
        low, high = self._interval(raw, bound)
        definite = q_start > 0 and lower[q_start - 1] in _DEFINITE
        noun, noun_index, modifiers, partitive = self._noun(tokens, lower, last, raw.kind)
        if q_start > 0 and lower[q_start - 1] in _SET_WORDS:
            modifiers |= {lower[q_start - 1]}  # "the first 18 games" and "the last 10 games" are two sets
        elif q_start > 1 and lower[q_start - 2] in _SET_WORDS and lower[q_start - 1] in ("the", "its", "their"):
            modifiers |= {lower[q_start - 2]}
        predicate = _predicate(lex.predicates, lower, q_start, noun_index if noun_index >= 0 else last)
        if raw.vague is not None and after != "of" and not predicate and first == last and lower[first] != "several":
            return None  # "scores" and "hundreds" alone are too often something else ("test scores")
        generic = noun == "" or noun in lex.generic
        noun_class = lex.nouns.get(noun, lemma(noun)) if noun else ""
        if noun in lex.generic:
            noun_class = lemma(noun)
        sentence = sentences.span(tokens[first].start)
        facts = sentences.facts(sentence)
        span = Span(tokens[first].start, tokens[last].end)
        counted = noun != "" and not generic and noun not in _MOVE_NOUNS
        # the fields in their order, without a Python-level __new__ call
        return _new_quantity(
            Quantity,
            (
                span,
                block.text[span.start - block.start : span.end - block.start],
                raw.value,
                low,
                high,
                raw.kind,
                raw.unit,
                noun_class,
                generic,
                predicate,
                modifiers,
                qualifier,
                bound,
                raw.vague is not None,
                raw.digits,
                block.index,
                block.is_headline,
                sentence,
                definite,
                partitive,
                facts,
                _Near(tokens, first, last, noun, q_start, raw.kind, counted),
            ),
        )

    def _plain_count(self, block: Block, tokens: Sequence[Token], lower: list[str], raw: _Raw) -> bool:
        """False for numbers that are dates, times, years, labels ("No. 5", "Apollo 11"), scores or compounds."""
        n = len(tokens)
        first, last = raw.first, raw.last
        before, before_lower = (tokens[first - 1].text, lower[first - 1]) if first > 0 else ("", "")
        after, after_lower = (tokens[last + 1].text, lower[last + 1]) if last + 1 < n else ("", "")
        if before[:1].isupper() and before_lower.rstrip(".") in _MONTHS:
            return False
        if after[:1].isupper() and after_lower.rstrip(".") in _MONTHS:
            return False
        if after_lower in _TIME_AFTER or (after_lower in ("a", "p") and last + 2 < n and tokens[last + 2].text == "."):
            return False
        if raw.digits and len(raw.digits) == 4 and 1800 <= raw.value <= 2100 and "," not in tokens[first].text:
            return False  # a year
        if before == "in" and first > 1 and lower[first - 2] in ("one", "1"):
            return False  # "one in 16": a ratio
        if before == "of" and first > 1 and lower[first - 2] == "out":
            return False  # "two out of 16": the whole of a ratio
        if before_lower in _LABEL_BEFORE or (before == "." and first > 1 and lower[first - 2] == "no"):
            return False
        named = first > 1 and tokens[first - 1].kind is TokenKind.WORD and before[0].isupper() and not block.is_headline
        if named and tokens[first - 2].text not in ".!?\"“‘'":
            return False  # "Apollo 11", "Windows 10", "Boeing 737": a name with a number, unless it starts the sentence
        if after in (":", "/") and last + 2 < n and tokens[last + 2].kind is TokenKind.NUMBER:
            return False
        if after in ("-", "–", "‑") and last + 1 < n and self._adjacent(tokens, last, last + 1):
            return False  # a score, a dashed range or a compound modifier ("3-1", "10-15", "a 10-day trip")
        if before in ("-", "–", "/", "#") and first > 1 and self._adjacent(tokens, first - 1, first):
            return not self._adjacent(tokens, first - 2, first - 1)  # "F-16", "2015/16"
        return True

    def _age(
        self, block: Block, tokens: Sequence[Token], lower: list[str], raw: _Raw, old_index: int, sentences: _Sentences
    ) -> Quantity | None:
        """A "45-year-old <Name>" age: counted noun is the person's surname."""
        n = len(tokens)
        name = ""
        j = old_index + 1
        while j < n and tokens[j].kind is TokenKind.WORD and tokens[j].text[0].isupper():
            name = lower[j]
            j += 1
        if not name:
            return None
        return self._make_age(block, tokens, raw.first, raw.last, raw.value, name, sentences)

    @staticmethod
    def _make_age(
        block: Block,
        tokens: Sequence[Token],
        first: int,
        last: int,
        value: float,
        name: str,
        sentences: _Sentences,
        definite: bool = False,
    ) -> Quantity:
        span = Span(tokens[first].start, tokens[last].end)
        sentence = sentences.span(span.start)
        return Quantity(
            span=span,
            text=block.text[span.start - block.start : span.end - block.start],
            value=value,
            low=value,
            high=value,
            kind=Kind.AGE,
            unit="",
            noun=name,
            generic=False,
            predicate="",
            modifiers=frozenset(),
            qualifier="",
            bound=Bound.EXACT,
            vague=False,
            digits=tokens[first].text,
            block=block.index,
            headline=block.is_headline,
            sentence=sentence,
            definite=definite,
            partitive=False,
            facts=_SentenceFacts("", False),  # an empty sentence: no source, names or periods
            near=_Near((), 0, 0, "", changing=False),  # no words around an age
        )

    def _ages(self, block: Block, tokens: tuple[Token, ...], lower: list[str], sentences: _Sentences) -> list[Quantity]:
        found: list[Quantity] = []
        n = len(tokens)
        for comma in compress(count(), map(",".__eq__, lower)):  # the token after each comma
            i = comma + 1
            if i < 2 or i >= n - 1:
                continue
            token = tokens[i]
            if token.kind is not TokenKind.NUMBER or len(token.text) > 3:
                continue
            if not token.text.isdigit():
                continue
            if lower[i + 1] not in (",", ".", ";", ")"):
                continue
            name_token = tokens[i - 2]
            if name_token.kind is not TokenKind.WORD or not name_token.text[0].isupper():
                continue
            value = float(token.text)
            if not 1 <= value <= 115:
                continue
            if name_token.text.lower() in _MONTHS or name_token.text.lower() in _STOP:
                continue
            # "definite" marks a full name (two capitalised words), which the rule needs once per person
            full = i >= 3 and tokens[i - 3].kind is TokenKind.WORD and tokens[i - 3].text[0].isupper()
            found.append(self._make_age(block, tokens, i, i, value, name_token.text.lower(), sentences, full))
        return found

    @staticmethod
    def _qualifier(lower: list[str], first: int) -> tuple[str, Bound, int]:
        if first == 0:
            return "", Bound.EXACT, first
        for words, bound in _QUALIFIERS_BY_LAST.get(lower[first - 1], ()):
            size = len(words)
            if first >= size and tuple(lower[first - size : first]) == words:
                return " ".join(words), bound, first - size
        return "", Bound.EXACT, first

    @staticmethod
    def _interval(raw: _Raw, bound: Bound) -> tuple[float, float]:
        if raw.vague is not None:
            return raw.vague
        value, slack = raw.value, raw.slack
        hedge = slack if slack >= 1 else 0.0  # "at least 58" starts at 58; "at least 1,200" may round 1,150
        if bound is Bound.LOWER:
            return value - hedge, math.inf
        if bound is Bound.UPPER:
            return 0.0, value + hedge
        if bound is Bound.APPROX:
            return value * 0.85 - slack, value * 1.15 + slack
        return value - slack, value + slack

    def _noun(
        self, tokens: Sequence[Token], lower: list[str], last: int, kind: Kind = Kind.COUNT
    ) -> tuple[str, int, frozenset[str], bool]:
        """The counted noun after the number: its lower-case form, token index, modifiers, and partitive flag."""
        lex = self.lexicon
        n = len(tokens)
        j = last + 1
        partitive = False
        if j < n and lower[j] == "of":
            # "35 of the casualties" and "12 of them" are parts; "dozens of people" is not
            j += 1
            if j < n and lower[j] in ("them", "whom", "us", "which"):
                return "", -1, frozenset(), True
            if j < n and lower[j] in ("the", "its", "their", "his", "her", "our", "those", "these", "all"):
                partitive = True
                j += 1
        words: list[int] = []
        head = -1
        compound = False  # the word follows a hyphen: part of a modifier ("plug-in", "one-off"), never a stop
        while j < n and len(words) < 4:
            token = tokens[j]
            if token.kind is not TokenKind.WORD:
                # "Muslim-majority countries": step over a hyphen inside a compound modifier
                glued = j + 1 < n and tokens[j - 1].end == token.start and token.end == tokens[j + 1].start
                if token.text in ("-", "‑") and glued:
                    j += 1
                    compound = True
                    continue
                if token.text == "(" and kind is Kind.MONEY and words == []:
                    # "$4bn (£2.1bn) deal": step over a conversion into another currency
                    close = next((k for k in range(j + 1, min(n, j + 6)) if tokens[k].text == ")"), -1)
                    if close > 0:
                        j = close + 1
                        continue
                break
            word = lower[j]
            plural = len(word) > 3 and word.endswith("s") and not word.endswith("ss")
            if compound and word not in lex.nouns and not plural:
                compound = False
                words.append(j)
                j += 1
                continue
            compound = False
            if kind is not Kind.COUNT and (word in _NOT_COUNTED or word in _SET_WORDS):
                break  # "plunged 11 percent last month": a time, not what the share is of
            if word in lex.nouns or word in lex.generic:
                head = j
                break
            if word in _STOP or word in lex.predicates or word in lex.first_words or word in lex.scales:
                break
            words.append(j)
            if plural and not token.text[0].isupper():
                head = j  # the first plural is the counted noun: "three agencies sent", "five countries"
                break
            if kind is not Kind.COUNT and not token.text[0].isupper() and len(word) > 2:
                head = j  # a sum or share names its thing in the singular: "a 33% stake", "a $2bn deal"
                break
            j += 1
        if head < 0:
            return "", -1, frozenset(), partitive
        modifiers = frozenset([lower[k] for k in words if k != head])
        return lower[head], head, modifiers, partitive


def _changing(lower: list[str], q_start: int, last: int, kind: Kind, counted: bool = False) -> bool:
    """True when the number is an old or new state, an increment or a comparison ("rose to 76", "another 12").

    ``counted`` says the number counts a specific noun: a verb just before it then takes it as its object
    ("cut 45,000 jobs", "raised three children"), not as the size of a change."""
    n = len(lower)
    prev = lower[q_start - 1] if q_start > 0 else ""
    prev2 = lower[q_start - 2] if q_start > 1 else ""
    if prev in _CHANGE_BEFORE:
        return True
    if prev in ("to", "at", "by") and prev2 in _CHANGE_VERBS:
        return True
    if kind is Kind.COUNT and not counted and (prev in _CHANGE_VERBS or (prev in ("up", "down") and prev2 in _CHANGE_VERBS)):
        return True  # "moved up seven places": a count of change, one per subject
    if "from" in lower[max(0, q_start - 4) : q_start] and any(
        w in _CHANGE_VERBS for w in lower[max(0, q_start - 15) : q_start - 1]
    ):
        return True  # "up from 67", "increased the issue to 1.8 billion from 1.5 billion": an earlier state
    if "after" in (prev, prev2):
        return True  # "rose 0.4 pct after a 0.7 pct gain in January": an earlier period
    if prev in ("vs", "versus") or (last + 1 < n and lower[last + 1] in ("vs", "versus")):
        return True
    if prev == "against" and any(_is_figure(w) for w in lower[max(0, q_start - 4) : q_start - 1]):
        return True  # "a deficit of 112 mln against 144 mln": a comparison ("a lawsuit against two men" is not)
    if last + 1 < n and lower[last + 1] == "against" and any(_is_figure(w) for w in lower[last + 2 : last + 5]):
        return True
    if last + 1 < n and lower[last + 1] in _CHANGE_AFTER:
        return True
    window = " ".join(lower[max(0, q_start - 8) : min(n, last + 11)])
    # a word every comparative phrase holds, looked for first: most windows have none
    return any(map(window.__contains__, _COMPARATIVE_KEYS)) and _COMPARATIVE.search(window) is not None


def _predicate(predicates: Mapping[str, str], lower: list[str], q_start: int, noun_end: int) -> str:
    """A predicate class near the number: a verb before it ("kills six") or after its noun ("were killed")."""
    for word in lower[max(0, q_start - 2) : q_start]:
        if word in predicates:
            return predicates[word]
    for word in lower[noun_end + 1 : noun_end + 6]:
        if word in predicates:
            return predicates[word]
        if word in (".", ";", "and", "but", "while", "whereas"):
            break
    return ""


def _context(tokens: tuple[Token, ...], first: int, last: int, noun: str) -> frozenset[str]:
    """Content words within eight tokens of a number (``first``..``last``), singular, less ``noun``."""
    low, high = max(0, first - 8), last + 9
    around = tokens[low:first] + tokens[last + 1 : high]
    near = zip(map(str.lower, map(_TEXT, around)), around, strict=True)
    word = TokenKind.WORD
    # lemma() only for words ending in "s": the others are their own
    return frozenset(
        [lemma(w) if w[-1] == "s" else w for w, t in near if len(w) > 2 and w not in _STOP and w != noun and t[3] is word]
    )


def _source(words: list[str], lowered: list[str]) -> str:
    """Who the sentence (its words, and in lower case) attributes its figures to, normalised; "" if no one is named."""
    if _SAY.isdisjoint(lowered):
        return ""  # most sentences: no verb of saying
    for k, word in enumerate(lowered):
        if word not in _SAY:
            continue
        if word == "according":
            if k + 1 < len(lowered) and lowered[k + 1] == "to":
                return _name_after(words, k + 2)
            continue
        before = _name_before(words, k)
        if before:
            return before
        after = _name_after(words, k + 1)
        if after:
            return after
    return ""


def _places(sentence: str) -> frozenset[str]:
    """Places the sentence is about ("in Arlow", "at the Besk depot"), less weekdays and months."""
    names = set()
    for match in _PLACE.finditer(sentence):
        name = _without_possessive(match.group(1).lower())
        if name not in _NOT_SOURCES and len(name) > 1:
            names.add(name)
    return frozenset(names)


def _without_possessive(name: str) -> str:
    """``name`` less a final "'s" or "'" (either apostrophe)."""
    if name.endswith(("'s", "’s")):
        return name[:-2]
    return name[:-1] if name.endswith(("'", "’")) else name


def _names(words: list[str], lowered: list[str]) -> frozenset[str]:
    """Capitalised words of a sentence (its words, and in lower case) after the first word, less weekdays and months."""
    names = set()
    for name in compress(lowered[1:], map(str.isupper, map(_TEXT, words[1:]))):
        if name.endswith(_APOSTROPHE_ENDS):
            name = _without_possessive(name)  # "Mueller's" and "Mueller’s" name the same person
        if len(name) > 1 and name not in _NOT_NAMES:
            names.add(name)
    return frozenset(names)


def _name_before(words: list[str], k: int) -> str:
    """The speaker just before a verb of saying: a capitalised name or a noun ("police")."""
    j = k - 1
    while j >= 0 and words[j].lower() in ("also", "has", "had", "have", "later", "previously", "earlier", "had"):
        j -= 1
    if j < 0:
        return ""
    word = words[j]
    if word.lower() in _PRONOUNS or word.lower() in _STOP or word.lower() in _NOT_SOURCES:
        return ""
    if not word[0].isupper() and word.lower() not in _SOURCE_NOUNS:
        return ""
    return _normalise_source(word)


def _name_after(words: list[str], k: int) -> str:
    j = k
    while j < len(words) and words[j].lower() in ("the", "a", "an", "local", "state", "official"):
        j += 1
    if j >= len(words):
        return ""
    word = words[j]
    if word.lower() in _PRONOUNS or word.lower() in _STOP or word.lower() in _NOT_SOURCES:
        return ""
    if not word[0].isupper() and word.lower() not in _SOURCE_NOUNS:
        return ""
    # the head of a short name: "the Syrian Observatory" -> observatory; "police officials" -> police
    end = j
    while end + 1 < len(words) and words[end + 1][0].isupper() and end - j < 4:
        end += 1
    return _normalise_source(words[end] if words[j][0].isupper() else word)


def _normalise_source(word: str) -> str:
    return lemma(word.lower())
