"""Defect injectors for bench/quality.py, one module per kind.

A module defines ``KIND``, ``CATEGORIES`` (finding categories that count as detecting it), optionally
``CLEAN_CORPORA`` and ``MAX_PER_ARTICLE``, and ``make(shared_dir, seed) -> injector`` whose
``inject(article, rng)`` returns ``Injected`` or None when the article offers no place for the defect.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Injection:
    """One injected defect: its span in the modified text, the original text and the injected text."""

    start: int
    end: int
    original: str
    injected: str
    group: str = ""


@dataclass(frozen=True)
class Injected:
    """An article's text after injection, with every defect recorded."""

    text: str
    injections: tuple[Injection, ...] = field(default_factory=tuple)


def replace_spans(text: str, edits: list[tuple[int, int, str, str]]) -> Injected:
    """Apply (start, end, new_text, group) edits to ``text`` and record each as an Injection in new offsets."""
    pieces: list[str] = []
    injections: list[Injection] = []
    position = 0
    shift = 0
    for start, end, new, group in sorted(edits):
        pieces.append(text[position:start])
        new_start = start + shift
        injections.append(Injection(new_start, new_start + len(new), text[start:end], new, group))
        pieces.append(new)
        shift += len(new) - (end - start)
        position = end
    pieces.append(text[position:])
    return Injected("".join(pieces), tuple(injections))
