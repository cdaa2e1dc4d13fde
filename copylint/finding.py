"""Findings and fixes: the frozen values every rule produces."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, IntEnum


class Severity(IntEnum):
    """How serious a finding is; ordered so that comparisons work (ERROR > WARNING > INFO)."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        """Lower-case name used in config files and output."""
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> Severity:
        """Read a severity name such as ``"warning"``; raise ValueError if unknown."""
        try:
            return cls[value.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {value!r} (expected error, warning or info)") from None


class Applicability(Enum):
    """When a fix may be applied: SAFE by --fix, UNSAFE with --unsafe-fixes, DISPLAY_ONLY never."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A half-open range [start, end) of code points."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span {self.start}..{self.end}")

    def overlaps(self, other: Span) -> bool:
        """True if the spans share a code point, or are the same empty position."""
        if self.start == self.end or other.start == other.end:
            return self.start <= other.end and other.start <= self.end
        return self.start < other.end and other.start < self.end

    def shifted(self, delta: int) -> Span:
        """The same span moved by ``delta`` code points."""
        return Span(self.start + delta, self.end + delta)


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text in ``span`` by ``replacement`` (empty to delete)."""

    span: Span
    replacement: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A set of non-overlapping edits applied together, with how safe they are."""

    edits: tuple[Edit, ...]
    applicability: Applicability

    @classmethod
    def replace(cls, span: Span, replacement: str, applicability: Applicability) -> Fix:
        """A fix made of a single edit."""
        return cls((Edit(span, replacement),), applicability)

    @property
    def span(self) -> Span:
        """The smallest span covering every edit."""
        return Span(min(e.span.start for e in self.edits), max(e.span.end for e in self.edits))


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem a rule found, at a span of the text it was given."""

    rule: str
    category: str
    message: str
    span: Span
    severity: Severity
    fix: Fix | None = None
    suggestions: tuple[str, ...] = ()
    related: tuple[Span, ...] = ()

    @property
    def replacements(self) -> tuple[str, ...]:
        """What the fix puts in place (or the suggestions, when there is no fix)."""
        if self.fix is not None:
            return tuple(edit.replacement for edit in self.fix.edits)
        return self.suggestions
