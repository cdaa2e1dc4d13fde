"""Optimal string alignment distance in pure Python, for the few comparisons a single article needs.

rapidfuzz computes the same distance in C, but importing it costs about 15 ms, more than a one-article run
spends comparing words; long runs switch to it (see ``names.Spelling``).
"""

from __future__ import annotations


def osa_distance(a: str, b: str, cutoff: int | None = None) -> int:
    """Edits (insertions, deletions, substitutions, swaps of neighbours not edited again) from ``a`` to ``b``:
    rapidfuzz's ``OSA.distance``. With ``cutoff``, a distance above it is returned as ``cutoff + 1``, as
    rapidfuzz's ``score_cutoff`` does, and the search stops as soon as it must exceed ``cutoff``."""
    if a == b:
        return 0
    limit = cutoff if cutoff is not None else max(len(a), len(b))
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    # A shared start or end is never edited in an optimal alignment: compare only the middles.
    start = 0
    shortest = min(len(a), len(b))
    while start < shortest and a[start] == b[start]:
        start += 1
    end = 0
    while end < shortest - start and a[-1 - end] == b[-1 - end]:
        end += 1
    a = a[start : len(a) - end]
    b = b[start : len(b) - end]
    if not a or not b:
        return min(len(a) + len(b), limit + 1)
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    lowest_before = 0
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        char = a[i - 1]
        for j in range(1, len(b) + 1):
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != b[j - 1]))
            if i > 1 and j > 1 and char == b[j - 2] and a[i - 2] == b[j - 1]:
                best = min(best, previous2[j - 2] + 1)
            current[j] = best
        # A row's smallest value is at least the smaller of the last row's and one more than the row before's:
        # once this row is above the limit and the last was not below it, every later row stays above it.
        lowest = min(current)
        if lowest > limit and lowest_before >= limit:
            return limit + 1
        lowest_before = lowest
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)
