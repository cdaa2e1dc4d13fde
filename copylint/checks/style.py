"""House-style rules that need a little logic beyond a pattern."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from copylint.finding import Applicability, Finding, Severity, Span
from copylint.rule import BaseRule, Category, RuleContext, RuleDoc

# A word, spaces (not line breaks), the same word again; case-insensitive back-reference.
_DOUBLED = re.compile(r"(?<![\w'’-])([^\W\d_]+)([ \t\u00a0]+)(\1)(?![\w'’-])", re.IGNORECASE)

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
            for m in _DOUBLED.finditer(block.text):
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
