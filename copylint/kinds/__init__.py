"""The closed set of data-rule kinds: each turns a validated TOML table into a Rule.

- ``substitution``: phrases and what to write instead (one replacement = a fix; several = suggestions).
- ``existence``: phrases or patterns that should not appear at all (no fix).
- ``pattern``: one regular expression, with an optional replacement template.
- ``wordlist``: words the spelling checks accept (not a rule; collected separately).
- ``lexicon``: data for one Python rule (``rule = "confusion/real-word"``, ``entries = ...``), checked by
  that rule's ``prepare`` so a desk can extend built-in rules without Python.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeAlias

from copylint.document import TOKEN_PATTERN
from copylint.finding import Applicability, Finding, Fix, Severity, Span
from copylint.rule import Category, RuleContext, RuleDoc, match_case

if TYPE_CHECKING:
    from copylint.document import Block, Document

Pattern: TypeAlias = "re.Pattern[str] | Any"  # Any: a ``regex`` module pattern (untyped)

# Latin-1 letters (what the re module's [^\W\d_] matches: ², ½ and ª too) in lower case, every other byte a space:
# the words bytes.split() then makes are the runs of letters of a Latin-1 text, lower-cased character by character
# as re's IGNORECASE compares them (no letter of Latin-1 lower-cases outside it or to a non-letter).
_LETTER = re.compile(r"[^\W\d_]")
_RUNS_TABLE = bytes(ord(chr(b).lower()) if _LETTER.match(chr(b)) else 32 for b in range(256))
# Marks of news copy outside Latin-1, none a letter: a space in their place leaves the runs of letters as they
# were, and most texts can then be encoded.
PLAIN_MARKS = "\u2019\u2018\u201c\u201d\u2013\u2014\u2026\u20ac"


def letter_runs(text: str) -> list[bytes] | None:
    """The runs of letters in ``text``, in lower case and encoded as Latin-1, found in C; None if ``text`` holds
    characters outside Latin-1 besides PLAIN_MARKS (a caller then looks at the text itself)."""
    if text.isascii():
        return text.encode("ascii").translate(_RUNS_TABLE).split()
    for mark in PLAIN_MARKS:
        if mark in text:
            text = text.replace(mark, " ")
    try:
        return text.encode("latin-1").translate(_RUNS_TABLE).split()
    except UnicodeEncodeError:
        return None


@dataclass(frozen=True)
class DataRuleMeta:
    """Metadata shared by every data rule."""

    id: str
    category: Category
    default_severity: Severity
    summary: str
    doc: RuleDoc
    message: str
    origin: str


def compile_pattern(pattern: str, ignore_case: bool) -> Pattern:
    r"""Compile with the stdlib ``re`` when it accepts the pattern (about twice as fast), else with ``regex``
    (for its extras such as ``\p{L}``); raises ``regex.error`` if neither accepts it."""
    try:
        return re.compile(pattern, re.IGNORECASE if ignore_case else 0)
    except re.error:
        import regex  # imported only when needed: it costs ~20 ms of start-up

        return regex.compile(pattern, regex.IGNORECASE if ignore_case else 0)


def phrase_pattern(phrases: list[str], ignore_case: bool) -> Pattern:
    """One pattern matching any of ``phrases`` as whole words, longest first, any whitespace between words."""
    ordered = sorted(phrases, key=len, reverse=True)
    body = "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in ordered)
    return compile_pattern(rf"(?<!\w)(?:{body})(?!\w)", ignore_case)


class PhraseIndex:
    """Finds listed phrases by looking up each word token's text, then matching the whole phrase there.

    Much faster than one big alternation tried at every position, and the cost does not grow with the list.
    Each first word's pattern is compiled when that word is first seen (most never are in a short run); the
    phrases are escaped literals, so there is nothing to validate early. Before any token is looked at, a block
    must hold the runs of letters of some phrase in a row (for most blocks, set look-ups in C say none does).
    """

    def __init__(self, phrases: list[str], ignore_case: bool) -> None:
        self.ignore_case = ignore_case
        by_first: dict[str, list[str]] = {}
        for phrase in phrases:
            first = phrase.split()[0]
            tokens = [m.group() for m in TOKEN_PATTERN.finditer(first)]
            key = tokens[0] if tokens else first
            by_first.setdefault(key.lower() if ignore_case else key, []).append(phrase)
        # a list of phrases until first needed, then its compiled pattern
        self.patterns: dict[str, Pattern | list[str]] = dict(by_first)
        self.needs = _letter_needs(phrases)

    def finditer(self, block: Block) -> Iterator[re.Match[str]]:
        """Non-overlapping matches in ``block``, offsets relative to ``block.text``."""
        text = block.text
        if self.needs is not None and not self.needs.met_in(text):
            return
        base, resume = block.start, 0
        patterns, fold = self.patterns, self.ignore_case
        for token in block.tokens:
            key = token.text.lower() if fold else token.text
            pattern = patterns.get(key)
            if pattern is None or token.start - base < resume:
                continue
            if isinstance(pattern, list):
                pattern = patterns[key] = phrase_pattern(pattern, fold)
            match = pattern.match(text, token.start - base)
            if match:
                resume = match.end()
                yield match


@dataclass(frozen=True)
class LetterNeeds:
    """What a text must hold for one of a list of phrases to match in it: the phrase's runs of letters, one after
    the other (a phrase matches only between non-word characters, whatever the case, and nothing but
    whitespace or its own marks lies between its words)."""

    anchors: frozenset[bytes]  # each phrase's longest run
    by_anchor: Mapping[bytes, tuple[bytes, ...]]  # the runs of each phrase with that anchor, joined by spaces

    def met_in(self, text: str) -> bool:
        """False only if no phrase can match in ``text``."""
        runs = letter_runs(text)
        if runs is None:
            return True
        return not self.anchors.isdisjoint(runs) and self._in_order(runs)

    def _in_order(self, runs: list[bytes]) -> bool:
        joined = b" %b " % b" ".join(runs)
        return any(needed in joined for anchor in self.anchors.intersection(runs) for needed in self.by_anchor[anchor])


def _letter_needs(phrases: list[str]) -> LetterNeeds | None:
    """The runs of letters each phrase needs, or None if some phrase says nothing that way: it holds a character
    outside ASCII (some match ASCII letters when case is ignored: the Kelvin sign, the long s) or no letter."""
    by_anchor: dict[bytes, list[bytes]] = {}
    for phrase in phrases:
        runs = letter_runs(phrase) if phrase.isascii() else None
        if not runs:
            return None
        anchor = max(runs, key=len)
        by_anchor.setdefault(anchor, []).append(b" %b " % b" ".join(runs))
    return LetterNeeds(frozenset(by_anchor), MappingProxyType({a: tuple(n) for a, n in by_anchor.items()}))


def _normalise(phrase: str, ignore_case: bool) -> str:
    collapsed = " ".join(phrase.split())
    return collapsed.lower() if ignore_case else collapsed


class _DataRuleBase:
    """Rule metadata read from ``meta``."""

    meta: DataRuleMeta
    default_options: Mapping[str, Any] = MappingProxyType({})

    @property
    def id(self) -> str:
        """The rule id from the data file."""
        return self.meta.id

    @property
    def category(self) -> Category:
        """The category named by the id."""
        return self.meta.category

    @property
    def default_severity(self) -> Severity:
        """The severity from the data file."""
        return self.meta.default_severity

    @property
    def summary(self) -> str:
        """The summary from the data file."""
        return self.meta.summary

    @property
    def doc(self) -> RuleDoc:
        """The [doc] table."""
        return self.meta.doc


@dataclass(frozen=True)
class SubstitutionRule(_DataRuleBase):
    """Flags listed phrases and offers what to write instead."""

    meta: DataRuleMeta
    swaps: Mapping[str, tuple[str, ...]]
    applicability: Applicability
    ignore_case: bool = True
    _index: PhraseIndex = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", PhraseIndex(list(self.swaps), self.ignore_case))

    def check(self, document: Document, context: RuleContext) -> Iterator[Finding]:
        """Find each listed phrase in each block."""
        for block in document.blocks:
            for m in self._index.finditer(block):
                written = m.group()
                choices = self.swaps.get(_normalise(written, self.ignore_case)) or self._swap_matching(written)
                span = Span(block.start + m.start(), block.start + m.end())
                replacements = tuple(match_case(written, choice) for choice in choices)
                fix = Fix.replace(span, replacements[0], self.applicability) if len(replacements) == 1 else None
                yield Finding(
                    rule=self.meta.id,
                    category=self.meta.category.value,
                    message=self.meta.message.format(match=written, replacement=" or ".join(f"'{r}'" for r in replacements)),
                    span=span,
                    severity=context.severity,
                    fix=fix,
                    suggestions=replacements,
                )

    def _swap_matching(self, written: str) -> tuple[str, ...]:
        """The swap of the phrase ``written`` matched through a character ``str.lower`` leaves alone but the
        case-blind pattern takes for a letter (the long s in 'alſo', the Kelvin sign)."""
        for phrase, choices in self.swaps.items():
            if phrase_pattern([phrase], self.ignore_case).fullmatch(written):
                return choices
        raise AssertionError(f"no listed phrase matches {written!r}")  # the index only yields listed phrases


@dataclass(frozen=True)
class ExistenceRule(_DataRuleBase):
    """Flags phrases or patterns that should not appear."""

    meta: DataRuleMeta
    pattern: Pattern

    def check(self, document: Document, context: RuleContext) -> Iterator[Finding]:
        """Find each occurrence in each block."""
        for block in document.blocks:
            for m in self.pattern.finditer(block.text):
                yield Finding(
                    rule=self.meta.id,
                    category=self.meta.category.value,
                    message=self.meta.message.format(match=m.group()),
                    span=Span(block.start + m.start(), block.start + m.end()),
                    severity=context.severity,
                )


@dataclass(frozen=True)
class PatternRule(_DataRuleBase):
    """Flags matches of one regular expression; ``replacement`` (a match template) makes a fix."""

    meta: DataRuleMeta
    pattern: Pattern
    replacement: str | None
    applicability: Applicability

    def check(self, document: Document, context: RuleContext) -> Iterator[Finding]:
        """Find each match in each block."""
        for block in document.blocks:
            for m in self.pattern.finditer(block.text):
                span = Span(block.start + m.start(), block.start + m.end())
                fix = None
                suggestions: tuple[str, ...] = ()
                if self.replacement is not None:
                    replaced = m.expand(self.replacement)
                    fix = Fix.replace(span, replaced, self.applicability)
                    suggestions = (replaced,)
                yield Finding(
                    rule=self.meta.id,
                    category=self.meta.category.value,
                    message=self.meta.message.format(match=m.group()),
                    span=span,
                    severity=context.severity,
                    fix=fix,
                    suggestions=suggestions,
                )


KIND_NAMES = ("substitution", "existence", "pattern", "wordlist", "lexicon")
