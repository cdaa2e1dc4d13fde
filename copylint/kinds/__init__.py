"""The closed set of data-rule kinds: each turns a validated TOML table into a Rule.

- ``substitution``: phrases and what to write instead (one replacement = a fix; several = suggestions).
- ``existence``: phrases or patterns that should not appear at all (no fix).
- ``pattern``: one regular expression, with an optional replacement template.
- ``wordlist``: words the spelling checks accept (not a rule; collected separately).
- ``lexicon``: data for one Python rule (``rule = "confusion/real-word"``, ``entries = ...``), checked by
  that rule's ``prepare`` so a desk can extend built-in rules without Python.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import regex

from copylint.finding import Applicability, Finding, Fix, Severity, Span
from copylint.rule import Category, RuleContext, RuleDoc, match_case

if TYPE_CHECKING:
    from copylint.document import Document

_WORD_CHAR = r"[\p{L}\p{N}]"


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


def _phrase_regex(phrase: str) -> str:
    words = phrase.split()
    return r"\s+".join(regex.escape(w) for w in words)


def _alternation(phrases: list[str], ignore_case: bool) -> regex.Pattern[str]:
    ordered = sorted(phrases, key=len, reverse=True)
    body = "|".join(_phrase_regex(p) for p in ordered)
    flags = regex.IGNORECASE if ignore_case else 0
    return regex.compile(rf"(?<!{_WORD_CHAR})(?:{body})(?!{_WORD_CHAR})", flags)


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
    _pattern: regex.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_pattern", _alternation(list(self.swaps), self.ignore_case))

    def check(self, document: Document, context: RuleContext) -> Iterator[Finding]:
        """Find each listed phrase in each block."""
        for block in document.blocks:
            for m in self._pattern.finditer(block.text):
                written = m.group()
                choices = self.swaps[_normalise(written, self.ignore_case)]
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


@dataclass(frozen=True)
class ExistenceRule(_DataRuleBase):
    """Flags phrases or patterns that should not appear."""

    meta: DataRuleMeta
    pattern: regex.Pattern[str]

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
    pattern: regex.Pattern[str]
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
