"""What the grammar backends share: giving way to copylint's own findings, and config value checks."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from copylint.errors import ConfigError
from copylint.finding import Finding

BACKEND_PREFIXES = ("grammar/lt-", "grammar/harper-", "grammar/languagetool")
# Categories whose findings already cover any grammar-backend finding on overlapping words.
_WORD_CATEGORIES = frozenset({"spelling", "confusion"})


def is_backend(finding: Finding) -> bool:
    """True for a finding of LanguageTool or Harper."""
    return finding.rule.startswith(BACKEND_PREFIXES)


def give_way(produced: list[Finding], others: tuple[Finding, ...], *, spelling_like: Callable[[Finding], bool]) -> list[Finding]:
    """The backend findings left after dropping those that repeat another finding.

    A backend finding is dropped when another finding has the same span; when it overlaps a spelling or
    confusion finding (or is itself a spelling finding overlapping any of copylint's); and when it overlaps a
    finding of another backend (the first backend to report the words keeps them).
    """
    kept: list[Finding] = []
    for finding in produced:
        span = finding.span
        spelling = spelling_like(finding)
        if not any(
            other.span == span
            or (other.span.overlaps(span) and (other.category in _WORD_CATEGORIES or is_backend(other) or spelling))
            for other in others
        ):
            kept.append(finding)
    return kept


def string_list(table: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    """``table[key]`` as a tuple of strings (a single string is allowed); ConfigError otherwise."""
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where}: '{key}' must be a list of strings")
    return tuple(v.strip() for v in value)
