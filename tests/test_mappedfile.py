"""The mapped cache-file format: round trip, rejection of damaged, truncated or foreign files, and look-ups in place."""

from __future__ import annotations

from pathlib import Path

import pytest

from copylint.mappedfile import (
    KeyedParts,
    MappedFile,
    SortedWords,
    boundary_bytes,
    map_file,
    pack,
    uint_bytes,
    unpack,
    write_atomic,
)

LAYOUT = 7
# Invented words: plain, accented (several UTF-8 bytes), one a prefix of another, one sorting before letters.
WORDS = sorted(w.encode() for w in ("brindle", "brin", "quell", "zephyrine", "ölmarsh", "ab'cd", "tarnwick", "x"))


def _words_file() -> bytes:
    offsets = [0]
    for word in WORDS:
        offsets.append(offsets[-1] + len(word) + 1)
    sections = {
        "words": b"".join(w + b"\n" for w in WORDS),
        "offsets": uint_bytes("I", offsets),
        "levels": uint_bytes("H", range(len(WORDS))),
        "odd": b"abc",  # a length that is no whole number of 16-bit integers
    }
    return pack(LAYOUT, sections, {"note": "kept", "sizes": [1, 2]})


def _sorted_words(data: bytes) -> SortedWords:
    mapped = unpack(data, LAYOUT)
    assert mapped is not None
    words = SortedWords.of(mapped, "words", "offsets")
    assert words is not None
    return words


def test_sections_and_values_come_back_as_packed() -> None:
    data = _words_file()
    mapped = unpack(data, LAYOUT)
    assert mapped is not None
    assert mapped.meta == {"note": "kept", "sizes": [1, 2]}
    start, end = mapped.span("words")
    assert start % 8 == 0 and data[start:end] == b"".join(w + b"\n" for w in WORDS)
    assert list(mapped.uints("levels", "H") or ()) == list(range(len(WORDS)))
    assert mapped.uints("odd", "H") is None
    with pytest.raises(KeyError):
        mapped.span("missing")


def test_a_file_round_trips_through_the_disk_and_is_mapped(tmp_path: Path) -> None:
    path = tmp_path / "table.mapped"
    write_atomic(path, _words_file())
    assert [p.name for p in tmp_path.iterdir()] == ["table.mapped"]  # no temporary left behind
    mapped = map_file(path, LAYOUT)
    assert mapped is not None and mapped.meta["note"] == "kept"
    words = SortedWords.of(mapped, "words", "offsets")
    assert words is not None and [words.word(i) for i in range(words.count)] == WORDS
    mapped.close()  # views of it are still held: left to the garbage collector, without an error


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated in a section
        lambda data: data[:40],  # truncated in the index
        lambda data: data[:10],  # truncated in the header
        lambda data: data + b"\0",  # grown
        lambda data: b"X" + data[1:],  # not our magic
        lambda data: data[:45] + bytes([data[45] ^ 0xFF]) + data[46:],  # a byte of the index flipped
        lambda data: b"",
        lambda data: b"not a packed file at all, but long enough to hold a header",
    ],
)
def test_damaged_truncated_or_foreign_files_read_as_none(damage, tmp_path: Path) -> None:
    damaged = damage(_words_file())
    assert unpack(damaged, LAYOUT) is None
    path = tmp_path / "table.mapped"
    path.write_bytes(damaged)
    assert map_file(path, LAYOUT) is None


def test_another_layout_or_a_missing_file_reads_as_none(tmp_path: Path) -> None:
    assert unpack(_words_file(), LAYOUT + 1) is None
    assert map_file(tmp_path / "absent.mapped", LAYOUT) is None


def test_sorted_words_find_every_word_and_nothing_else() -> None:
    words = _sorted_words(_words_file())
    assert words.count == len(WORDS) and words.text() == b"".join(w + b"\n" for w in WORDS)
    for index, word in enumerate(WORDS):
        assert words.word(index) == word
        assert words.find(word) == index
        assert words.find(word, index, index + 1) == index
        assert words.find(word, index + 1) == -1  # outside the range searched
    for absent in (b"", b"bri", b"brindles", b"a", b"zz", b"\xff", b"quell\n"):
        assert absent not in WORDS and words.find(absent) == -1


def test_sorted_words_find_after_searches_the_words_past_the_first() -> None:
    words = _sorted_words(_words_file())
    for first in range(len(WORDS)):
        for stop in range(first + 1, len(WORDS) + 1):
            for index, word in enumerate(WORDS):
                expected = index if first < index < stop else -1
                assert words.find_after(word, first, stop) == expected, (first, stop, word)


def test_sorted_words_reject_offsets_that_disagree_with_the_text() -> None:
    text = b"".join(w + b"\n" for w in WORDS)
    for offsets in ([0, 3], [1, len(text)], [], None):
        sections = {"words": text} if offsets is None else {"words": text, "offsets": uint_bytes("I", offsets)}
        mapped = unpack(pack(LAYOUT, sections), LAYOUT)
        assert mapped is not None and SortedWords.of(mapped, "words", "offsets") is None
    unended = unpack(pack(LAYOUT, {"words": b"brin", "offsets": uint_bytes("I", [0, 4])}), LAYOUT)
    assert unended is not None and SortedWords.of(unended, "words", "offsets") is None


def test_keyed_parts_find_each_part_and_stay_within_their_limit() -> None:
    text = b"alphabetagamma"
    keys = ["a", "b", "g"]
    data = pack(LAYOUT, {"text": text, "bounds": boundary_bytes([5, 9, 14])}, keys)
    mapped = unpack(data, LAYOUT)
    assert mapped is not None
    start, end = mapped.span("text")
    parts = KeyedParts.of(mapped, mapped.meta, "bounds", end - start, start)
    assert parts is not None
    assert {key: data[slice(*parts.get(key) or (0, 0))] for key in keys} == {"a": b"alpha", "b": b"beta", "g": b"gamma"}
    assert parts.get("c") is None and parts.get("") is None
    assert KeyedParts.of(mapped, ["a", "b"], "bounds", end - start, start) is None  # one key short
    assert KeyedParts.of(mapped, "abg", "bounds", end - start, start) is None
    assert KeyedParts.of(mapped, keys, "missing", end - start, start) is None
    assert KeyedParts.of(mapped, ["b", "a", "g"], "bounds", end - start, start) is None  # not sorted
    assert KeyedParts.of(mapped, ["a", 2, "g"], "bounds", end - start, start) is None
    # bounds damaged past the section's end are cut to it: a look-up never leaves the section
    wild = unpack(pack(LAYOUT, {"text": text, "bounds": boundary_bytes([5, 10**6, 10**7])}, keys), LAYOUT)
    assert wild is not None
    start, end = wild.span("text")
    cut = KeyedParts.of(wild, keys, "bounds", end - start, start)
    assert cut is not None and cut.get("g") == (end, end)


def test_a_mapped_file_holds_bytes_or_a_mapping() -> None:
    mapped = unpack(_words_file(), LAYOUT)
    assert isinstance(mapped, MappedFile) and isinstance(mapped.data, bytes)
    mapped.close()  # nothing to unmap
