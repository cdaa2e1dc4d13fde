"""The pure-Python OSA distance agrees with rapidfuzz's, with and without a cutoff."""

from __future__ import annotations

import random

import pytest
from rapidfuzz.distance import OSA

from copylint.checks.names import Spelling
from copylint.editdistance import osa_distance


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("okafor", "okafor", 0),
        ("okafor", "okafr", 1),  # deletion
        ("okafor", "okaffor", 1),  # insertion
        ("okafor", "okafir", 1),  # substitution
        ("okafor", "okaofr", 1),  # swap of neighbours
        ("ca", "abc", 3),  # a swapped pair is not edited again (Damerau would say 2)
        ("", "wend", 4),
        ("dorrow", "darrov", 2),
    ],
)
def test_known_distances(a: str, b: str, expected: int) -> None:
    assert osa_distance(a, b) == expected
    assert osa_distance(b, a) == expected


def test_a_distance_above_the_cutoff_is_the_cutoff_plus_one() -> None:
    assert osa_distance("ruiz", "rodriguez", 2) == 3
    assert osa_distance("abcdefgh", "hgfedcba", 1) == 2
    assert osa_distance("okafor", "okafr", 0) == 1


def _mutated(rng: random.Random, word: str, alphabet: str) -> str:
    letters = list(word)
    for _ in range(rng.randint(0, 3)):
        place = rng.randint(0, max(0, len(letters) - 1))
        operation = rng.randint(0, 3)
        if operation == 0 and letters:
            letters[place] = rng.choice(alphabet)
        elif operation == 1:
            letters.insert(place, rng.choice(alphabet))
        elif operation == 2 and letters:
            del letters[place]
        elif operation == 3 and place + 1 < len(letters):
            letters[place], letters[place + 1] = letters[place + 1], letters[place]
    return "".join(letters)


def test_agrees_with_rapidfuzz_on_random_words() -> None:
    rng = random.Random(4)
    for _ in range(5_000):
        alphabet = rng.choice(["ab", "abc", "aeiourst", "ßéøx"])
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 9)))
        b = _mutated(rng, a, alphabet) if rng.random() < 0.6 else "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 9)))
        assert osa_distance(a, b) == OSA.distance(a, b), (a, b)
        for cutoff in (0, 1, 2, 3):
            assert osa_distance(a, b, cutoff) == OSA.distance(a, b, score_cutoff=cutoff), (a, b, cutoff)


def test_names_variants_are_the_same_before_and_after_rapidfuzz_takes_over() -> None:
    rng = random.Random(9)
    keys = sorted({_mutated(rng, rng.choice(["okafor", "dorrow", "ruizal", "wendell"]), "aeioudrw") for _ in range(60)})
    in_python = Spelling()
    in_python.NATIVE_AFTER = 10**9  # never switches
    native = Spelling()
    native._compared = Spelling.NATIVE_AFTER  # as after a long batch
    for key in keys:
        for pool in (keys[:3], keys):  # a few keys are scored one by one, more through extract()
            assert in_python.variants(key, pool) == native.variants(key, pool), key
    assert in_python._native is None and native._native is not None
