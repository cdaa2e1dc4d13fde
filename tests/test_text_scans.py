"""The cheap whole-block scans that let style and data rules skip blocks: each may only say "nothing here" where
the exact pattern finds nothing, so these tests compare them with the exact patterns on edge cases and fuzz."""

from __future__ import annotations

import itertools
import random
import re
import sys
from collections import defaultdict

import pytest

from copylint.checks.style import _DOUBLED, _may_double
from copylint.document import Block
from copylint.finding import Span
from copylint.kinds import PLAIN_MARKS, PatternRule, PhraseIndex, letter_runs, phrase_pattern
from copylint.loader import load_builtin

from .conftest import lint_text

_LETTER = re.compile(r"[^\W\d_]")
_LETTERS = re.compile(r"[^\W\d_]+")
# Characters whose case mappings are unusual: dotted and dotless i, Kelvin and Angstrom signs, long s, sigmas,
# a title-case digraph, a ligature, a combining iota, micro and mu, superscript and Roman numerals.
_TRICKY = "İiıIKkſsSΣσςÅåǅǆﬁ\u0345µμ²Ⅰⅰß"


def _fuzz(alphabet: list[str], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 12))) for _ in range(count)]


def test_lower_case_keeps_letters_letters_and_other_characters_not() -> None:
    changed = []
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        lower = char.lower()
        if len(lower) == 1 and bool(_LETTER.match(char)) != bool(_LETTER.match(lower)):
            changed.append(char)
    assert changed == []


def test_plain_marks_are_not_letters() -> None:
    assert not any(_LETTER.match(mark) for mark in PLAIN_MARKS)
    assert all(ord(mark) > 0xFF for mark in PLAIN_MARKS)


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("The cat’s   hat, 2024!", [b"the", b"cat", b"s", b"hat"]),
        ("snake_case and x1y", [b"snake", b"case", b"and", b"x", b"y"]),
        ("“Quoted” — dash\u00a0space", [b"quoted", b"dash", b"space"]),
        ("", []),
        ("Café ÉTÉ ²½ µ£×ß", [b"caf\xe9", b"\xe9t\xe9", b"\xb2\xbd", b"\xb5", b"\xdf"]),
        ("Kelvin \u212a", None),
        ("İstanbul", None),
    ],
)
def test_letter_runs(text: str, runs: list[bytes] | None) -> None:
    assert letter_runs(text) == runs


def test_every_latin_1_character_is_its_own_run_or_none() -> None:
    for code in range(256):
        char = chr(code)
        expected = [f"x{char}x".lower().encode("latin-1")] if _LETTER.match(char) else [b"x", b"x"]
        assert letter_runs(f"x{char}x") == expected, char


def test_letter_runs_are_the_lower_cased_runs_of_letters() -> None:
    alphabet = [*"aZ _1-'.,\n\t", *PLAIN_MARKS, "word", "WORD"]
    for text in _fuzz(alphabet, 3000, seed=3):
        expected = [run.lower().encode("ascii") for run in _LETTERS.findall(text)]
        assert letter_runs(text) == expected, text


@pytest.mark.parametrize(
    "text",
    ["the the", "The the", "the THE", "the\u00a0the", "the \t the", "(the the)", "“the the”", "İ i", "ΑΣ ασ", "\u212a k", "a a"],
)
def test_doubled_word_scan_lets_every_doubled_word_through(text: str) -> None:
    assert _DOUBLED.search(text)
    assert _may_double(text)


@pytest.mark.parametrize("text", ["the cat", "the cathe", "theme the", "Café cafés", "a b a", "", "....."])
def test_doubled_word_scan_skips_text_without_a_repeated_run(text: str) -> None:
    assert not _DOUBLED.search(text)
    assert not _may_double(text)


def test_doubled_word_scan_agrees_with_the_pattern_for_every_case_pair_of_letters() -> None:
    # letters grouped by the lower case re's IGNORECASE back-reference compares (U+0130's is "i")
    groups: dict[str, list[str]] = defaultdict(list)
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if _LETTER.match(char) and char.lower() != char.upper():
            groups["i" if code == 0x130 else char.lower()].append(char)
    missed = []
    for members in groups.values():
        for a, b in itertools.product(members, repeat=2):
            for text in (f"{a} {b}", f"x{a}\u00a0x{b}", f"“{a}y {b}y”"):
                if _DOUBLED.search(text) and not _may_double(text):
                    missed.append(text)
    assert missed == []


def test_doubled_word_scan_on_fuzzed_text() -> None:
    alphabet = [*"aAbB  \t\n.,'’-_1é", *_TRICKY, "the", "The", "THE", "\u00a0"]
    missed = [text for text in _fuzz(alphabet, 20000, seed=11) if _DOUBLED.search(text) and not _may_double(text)]
    assert missed == []


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Police said the the road was shut.", "the the"),
        ("Police said “the the” road was shut.", "the the"),
        ("Doctors in İzmir said İ i was a typo.", "İ i"),
        ("The café café was shut.", "café café"),
    ],
)
def test_doubled_words_are_still_flagged_in_ascii_and_other_text(text: str, flagged: str) -> None:
    findings = lint_text(text, ["style/doubled-word"])
    assert [text[f.span.start : f.span.end] for f in findings] == [flagged]


def _phrase_matches(index: PhraseIndex, text: str) -> list[tuple[int, int]]:
    block = Block(text, Span(0, len(text)), "paragraph", 0)
    return [m.span() for m in index.finditer(block)]


def test_phrase_needs_are_the_runs_of_letters_of_a_phrase_in_a_row() -> None:
    index = PhraseIndex(["and also", "e-mail address", "ATM machine"], ignore_case=True)
    assert index.needs is not None
    assert index.needs.met_in("The ATM, a machine, and also more.")
    assert index.needs.met_in("Send an E-Mail\u00a0address")
    assert index.needs.met_in("The atm -- machine")  # marks between runs are left to the phrase's pattern
    assert not index.needs.met_in("Also, and the ATM is a machine.")  # every run, but never in a row
    assert not index.needs.met_in("The machine and the ATMs.")  # "machine" but no "atm"


@pytest.mark.parametrize("phrases", [["Kelvin \u212a scale"], ["naïve view"], ["24/7"], ["and also", "’tis"]])
def test_phrases_outside_ascii_or_without_letters_switch_the_scan_off(phrases: list[str]) -> None:
    assert PhraseIndex(phrases, ignore_case=True).needs is None


@pytest.mark.parametrize("ignore_case", [True, False])
def test_phrase_scan_never_hides_a_match(ignore_case: bool) -> None:
    phrases = ["and also", "past history", "ATM machine", "each and every", "e-mail address"]
    scanned = PhraseIndex(phrases, ignore_case)
    unscanned = PhraseIndex(phrases, ignore_case)
    unscanned.needs = None
    alphabet = [*" \u00a0\n,.-(’", "and", "AND", "also", "Also", "alſo", "ATM", "machine", "each", "every", "e", "mail"]
    alphabet += ["address", "past", "history", "HİSTORY", "\u212aey", "é"]
    for text in _fuzz(alphabet, 4000, seed=5):
        text = text.strip() or "x"
        assert _phrase_matches(scanned, text) == _phrase_matches(unscanned, text), text


def test_phrase_pattern_and_index_agree_on_where_phrases_start() -> None:
    index = PhraseIndex(["and also"], ignore_case=True)
    text = "He came, and also she did; AND  ALSO they."
    assert _phrase_matches(index, text) == [m.span() for m in phrase_pattern(["and also"], True).finditer(text)]


def test_double_space_pattern_matches_what_the_plain_look_behind_form_matches() -> None:
    rule = next(r for r in load_builtin().rules if r.id == "typography/double-space")
    assert isinstance(rule, PatternRule)
    plain = re.compile(r"(?<=\S)[ \u00a0]{2,}(?=\S)")
    for size in range(9):
        for chars in itertools.product("a \u00a0\n", repeat=size):
            text = "".join(chars)
            assert [m.span() for m in rule.pattern.finditer(text)] == [m.span() for m in plain.finditer(text)], text


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("The mayor opened the depot and alſo thanked the crews.", "and alſo"),  # a long s matches 's' case-blind
        ("Fares rose and AL\u017fO the ferry ran late.", "and AL\u017fO"),
        ("The \u212aelvin Street bridge and also the quay reopened.", "and also"),
    ],
)
def test_a_phrase_matched_through_an_unusual_case_equivalent_gets_its_swap(text: str, flagged: str) -> None:
    findings = [f for f in lint_text(text) if f.rule == "style/redundancy"]
    assert [text[f.span.start : f.span.end] for f in findings] == [flagged]
    assert findings[0].replacements == (("And" if flagged[0] == "A" else "and"),)
