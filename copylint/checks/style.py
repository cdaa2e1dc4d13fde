"""House-style rules that need a little logic beyond a pattern."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice
from operator import eq
from typing import TYPE_CHECKING

from copylint.finding import Applicability, Finding, Severity, Span
from copylint.kinds import letter_runs
from copylint.rule import BaseRule, Category, RuleContext, RuleDoc

# A word, spaces (not line breaks), the same word again; case-insensitive back-reference.
_DOUBLED = re.compile(r"(?<![\w'’-])([^\W\d_]+)([ \t\u00a0]+)(\1)(?![\w'’-])", re.IGNORECASE)
# Runs of letters, the words _DOUBLED compares. Lower-casing keeps every letter a letter and every other character
# not one, so the runs of a lower-cased text lie where the text's own do (tests/test_text_scans.py checks).
_LETTER_RUN = re.compile(r"[^\W\d_]+")
# Where str.lower is not the per-character lower case that re's IGNORECASE back-reference compares: a dotted
# capital I becomes two characters, a capital sigma at the end of a word a final sigma.
_CONTEXT_CASED = ("\u0130", "\u03a3")

if TYPE_CHECKING:
    from copylint.document import Document

# Repeats that are grammatical ("he had had enough", "that that is", "what it is is") or idiomatic.
_ACCEPTED_REPEATS = frozenset(
    "had that is do bye no knock tut ha chop yada very so far boo bling hush pom tsk mahi dum ta cha din ping".split()
)
# Capitalised repeats are usually names ("Duran Duran", "Sirhan Sirhan") unless they are function words.
_FUNCTION_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "as",
        "is",
        "was",
        "are",
        "were",
        "be",
        "been",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "he",
        "she",
        "they",
        "we",
        "you",
        "i",
    ]
)


def _may_double(text: str) -> bool:
    """False only if ``text`` has no run of letters followed by the same run (ignoring case) with nothing but
    other characters between, which every match of _DOUBLED is: a few C passes instead of _DOUBLED's
    look-behind tried at every position."""
    runs: list[str] | list[bytes] | None = letter_runs(text)
    if runs is None:
        if any(c in text for c in _CONTEXT_CASED):
            return True
        runs = _LETTER_RUN.findall(text.lower())
    return any(map(eq, runs, islice(runs, 1, None)))


class DoubledWord(BaseRule):
    """Flags a word typed twice in a row ("the the")."""

    id = "style/doubled-word"
    category = Category.STYLE
    default_severity = Severity.WARNING
    summary = "The same word twice in a row"
    doc = RuleDoc(
        what="Flags a word repeated immediately, with only spaces between ('the the', 'to to').",
        why="A doubled word is a typing slip that the eye skips over; readers notice it in print.",
        example="Police said the the road would reopen on Friday.",
        use_instead="Police said the road would reopen on Friday.",
        fix_safety=(
            "Safe: the fix deletes the second copy and the space before it. Grammatical repeats ('had had', "
            "'that that') and repeated names ('Duran Duran') are not flagged."
        ),
    )

    def check(self, document: Document, context: RuleContext) -> Iterator[Finding]:
        """Find a word followed, after spaces only, by the same word (ignoring case)."""
        for block in document.blocks:
            text = block.text
            if not _may_double(text):
                continue
            for m in _DOUBLED.finditer(text):
                first, second = m.group(1), m.group(3)
                if not self._is_slip(first, second):
                    continue
                yield self.finding(
                    context,
                    Span(block.start + m.start(), block.start + m.end()),
                    f"'{second}' is repeated",
                    replacement=first,
                    applicability=Applicability.SAFE,
                )

    @staticmethod
    def _is_slip(first: str, second: str) -> bool:
        word = second.lower()
        if word in _ACCEPTED_REPEATS:
            return False
        return not (second[0].isupper() and word not in _FUNCTION_WORDS)
