"""The Rule interface every check implements, with its documentation and run-time context."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from copylint.finding import Applicability, Finding, Fix, Severity, Span

if TYPE_CHECKING:
    from copylint.document import Document


class Category(Enum):
    """The closed set of rule families; the first part of every rule id."""

    SPELLING = "spelling"
    CONFUSION = "confusion"
    PROMO = "promo"
    NAMES = "names"
    NUMBERS = "numbers"
    GRAMMAR = "grammar"
    STYLE = "style"
    PUNCTUATION = "punctuation"
    TYPOGRAPHY = "typography"


DOC_SECTIONS = ("what", "why", "example", "use_instead", "fix_safety")
DOC_HEADINGS = {
    "what": "What it does",
    "why": "Why it matters",
    "example": "Example",
    "use_instead": "Use instead",
    "fix_safety": "Fix safety",
}


@dataclass(frozen=True, slots=True)
class RuleDoc:
    """A rule's documentation in fixed sections, shown by `copylint explain` and in SARIF help."""

    what: str
    why: str
    example: str
    use_instead: str
    fix_safety: str

    def missing_sections(self) -> list[str]:
        """Names of the sections left empty."""
        return [name for name in DOC_SECTIONS if not getattr(self, name).strip()]

    def as_markdown(self) -> str:
        """The sections as Markdown, examples in code blocks."""
        parts = []
        for name in DOC_SECTIONS:
            body = getattr(self, name).strip()
            if name in ("example", "use_instead"):
                body = f"```text\n{body}\n```"
            parts.append(f"## {DOC_HEADINGS[name]}\n{body}")
        return "\n\n".join(parts)

    def as_text(self) -> str:
        """The sections as plain text."""
        parts = []
        for name in DOC_SECTIONS:
            body = "\n".join("    " + line for line in getattr(self, name).strip().splitlines())
            parts.append(f"{DOC_HEADINGS[name]}:\n{body}")
        return "\n\n".join(parts)


@dataclass(frozen=True)
class RuleContext:
    """What a rule may know besides the document: its severity, options and the house word list."""

    severity: Severity
    options: Mapping[str, Any] = field(default_factory=dict)
    house_words: frozenset[str] = frozenset()
    state: Any = None  # what the rule's optional prepare() built once for this rule set


@dataclass(frozen=True)
class PrepareInput:
    """What a rule's optional ``prepare(inputs) -> state`` gets, once per rule set (before any check)."""

    options: Mapping[str, Any]
    house_words: frozenset[str]
    lexicons: tuple[Any, ...]  # copylint.loader.Lexicon values addressed to this rule


@runtime_checkable
class Rule(Protocol):
    """The one interface of a check: metadata plus ``check(document, context) -> findings``.

    Spans in findings are code-point offsets into ``document.text``.
    """

    @property
    def id(self) -> str:
        """Stable id ``category/kebab-name``."""
        ...

    @property
    def category(self) -> Category:
        """The rule's family."""
        ...

    @property
    def default_severity(self) -> Severity:
        """Severity unless config overrides it."""
        ...

    @property
    def summary(self) -> str:
        """One line saying what is flagged."""
        ...

    @property
    def doc(self) -> RuleDoc:
        """Documentation in fixed sections."""
        ...

    @property
    def default_options(self) -> Mapping[str, Any]:
        """Options a config may set, with their defaults (the default's type is the option's type)."""
        ...

    def check(self, document: Document, context: RuleContext) -> Iterable[Finding]:
        """Yield the findings of this rule on ``document``."""
        ...


# A rule may also define ``prepare(self, inputs: PrepareInput) -> Any``: build_ruleset calls it once and
# passes the result to every check as ``context.state`` (compiled lexicons, lazily loaded dictionaries).


class BaseRule:
    """Convenience base for Python rules: class attributes for metadata and a ``finding`` helper."""

    id: str
    category: Category
    default_severity: Severity
    summary: str
    doc: RuleDoc
    default_options: Mapping[str, Any] = MappingProxyType({})

    def check(self, document: Document, context: RuleContext) -> Iterator[Finding]:
        """Yield findings; subclasses override this."""
        raise NotImplementedError

    def finding(
        self,
        context: RuleContext,
        span: Span,
        message: str,
        *,
        replacement: str | None = None,
        applicability: Applicability = Applicability.UNSAFE,
        suggestions: tuple[str, ...] = (),
        severity: Severity | None = None,
        related: tuple[Span, ...] = (),
    ) -> Finding:
        """Build a finding of this rule; ``replacement`` (if given) becomes a one-edit fix."""
        fix = None if replacement is None else Fix.replace(span, replacement, applicability)
        return Finding(
            rule=self.id,
            category=self.category.value,
            message=message,
            span=span,
            severity=severity or context.severity,
            fix=fix,
            suggestions=suggestions or ((replacement,) if replacement is not None else ()),
            related=related,
        )


def match_case(template: str, replacement: str) -> str:
    """Give ``replacement`` the capitalisation pattern of ``template`` (all caps, title or lower)."""
    if not template or not replacement:
        return replacement
    if template.isupper() and len(template) > 1:
        return replacement.upper()
    if template[0].isupper():
        return replacement[0].upper() + replacement[1:]
    return replacement
