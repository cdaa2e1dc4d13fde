"""The trigram model reader: format checks, pocketsphinx's numbers, the window score."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

from copylint import trigrams
from copylint.trigrams import BOUNDARY, TrigramModel, load_trigrams, read_trigrams

MODEL = trigrams.model_path()
# The model file ships in the pocketsphinx wheel, which is not installed where it has no wheel.
needs_model = pytest.mark.skipif(MODEL is None, reason="pocketsphinx (and its model file) is not installed")
ROOT = Path(__file__).resolve().parent.parent

# (word, previous, before previous) reaching each path: unigram, bigram, trigram, each backoff, unknown words.
QUERIES = [
    ("the", None, None),
    ("the", "of", None),
    ("states", "united", "the"),
    ("from", "retreated", "troops"),
    ("form", "retreated", "troops"),
    ("the", "<s>", None),
    ("</s>", "today", "said"),
    ("zyuganov's", "the", "of"),
    ("xyzzyq", "the", "of"),
    ("of", "xyzzyq", "the"),
    ("of", "the", "xyzzyq"),
    ("The", "of", None),
    ("", "the", None),
    ("the\0x", "of", None),
]


@pytest.fixture(scope="module")
def model() -> TrigramModel:
    found = load_trigrams()
    assert found is not None
    return found


@pytest.fixture(scope="module")
def model_bytes() -> bytes:
    assert MODEL is not None
    return MODEL.read_bytes()


def _written(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "model.lm.bin"
    path.write_bytes(data)
    return path


def test_a_file_that_is_not_a_trie_model_gives_none(tmp_path: Path) -> None:
    assert read_trigrams(_written(tmp_path, b"")) is None
    assert read_trigrams(_written(tmp_path, b"Darpa Trigram LM\0" + bytes(200))) is None
    assert read_trigrams(tmp_path / "missing.lm.bin") is None
    assert read_trigrams(tmp_path) is None  # a directory


def _vocabulary_start(model: TrigramModel, model_bytes: bytes) -> int:
    """Where the words start: they end the file."""
    words = model._trie.words._words[1:]  # the reader keeps them with a NUL put in front
    assert model_bytes.endswith(words)
    return len(model_bytes) - len(words)


@needs_model
def test_a_truncated_or_altered_model_gives_none(tmp_path: Path, model: TrigramModel, model_bytes: bytes) -> None:
    for cut in (20, 40, 1_000_000, len(model_bytes) - 1):
        assert read_trigrams(_written(tmp_path, model_bytes[:cut])) is None, cut
    assert read_trigrams(_written(tmp_path, model_bytes + b"\0")) is None
    header = len(b"Trie Language Model")
    wrong_order = bytearray(model_bytes)
    wrong_order[header] = 4
    assert read_trigrams(_written(tmp_path, bytes(wrong_order))) is None
    vocabulary = _vocabulary_start(model, model_bytes)
    assert model_bytes[vocabulary : vocabulary + 6] == b"'bout\0"  # the first word, in this model
    unsorted = model_bytes[:vocabulary] + b"zzzzz" + model_bytes[vocabulary + 5 :]
    assert read_trigrams(_written(tmp_path, unsorted)) is None
    joined = model_bytes[:vocabulary] + b"'boutx" + model_bytes[vocabulary + 6 :]  # one word fewer
    assert read_trigrams(_written(tmp_path, joined)) is None
    assert read_trigrams(_written(tmp_path, model_bytes)) is not None


def test_without_the_model_file_there_is_no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(trigrams, "model_path", lambda: None)
    assert load_trigrams() is None


@needs_model
def test_every_vocabulary_word_is_found_at_its_own_id(model: TrigramModel, model_bytes: bytes) -> None:
    words = model_bytes[_vocabulary_start(model, model_bytes) : -1].decode("utf-8").split("\0")
    assert len(words) == 72_547
    ids = model._trie.words
    assert [ids[word] for word in words] == list(range(len(words)))
    assert ids["xyzzyq"] == ids["The"] == ids[""] == ids["<UNK>"] == -1
    assert ids["of\0anything"] == ids["of"]  # pocketsphinx reads a word as a C string, up to a NUL


@needs_model
def test_unknown_words_get_log_zero_or_cut_the_history(model: TrigramModel) -> None:
    zero = -(2**29) * math.log(1.0001)
    assert model.log_prob("xyzzyq", None, None) == zero
    assert model.log_prob("xyzzyq", "the", "of") == zero
    assert model.log_prob("\udc80", None, None) == zero  # not encodable: unknown, where pocketsphinx raises
    assert model.log_prob("of", "xyzzyq", "the") == model.log_prob("of", None, None)
    assert model.log_prob("of", "the", "xyzzyq") == model.log_prob("of", "the", None)


@needs_model
def test_log_probs_are_pocketsphinxs(model: TrigramModel) -> None:
    pocketsphinx = pytest.importorskip("pocketsphinx")
    pocketsphinx.set_loglevel("FATAL")
    reference = pocketsphinx.NGramModel(pocketsphinx.Config(), pocketsphinx.LogMath(), str(MODEL))
    for word, previous, before in QUERIES:
        history = () if previous is None else (previous,) if before is None else (previous, before)
        assert model.log_prob(word, previous, before) == reference.prob((word, *history)) * math.log(1.0001)


@needs_model
def test_log_probs_back_off_as_the_model_says(model: TrigramModel) -> None:
    # Values pocketsphinx gives, in log(1.0001) units: a trigram, a bigram, a unigram with backoff.
    units = {("states", "united", "the"): -1211, ("the", "of", None): -16085, ("of", "the", "xyzzyq"): -86284}
    for query, expected in units.items():
        assert model.log_prob(*query) == expected * math.log(1.0001)
    assert model.log_prob("from", "retreated", "troops") > model.log_prob("form", "retreated", "troops")


@needs_model
def test_window_score_sums_the_words_up_to_a_sentence_edge(model: TrigramModel) -> None:
    lp = model.log_prob
    assert model.window_score(["troops", "retreated"], "from", ["the", "town"]) == (
        lp("from", "retreated", "troops") + lp("the", "from", "retreated") + lp("town", "the", "from")
    )
    # A sentence start is history with nothing before it; an end is scored as </s> and stops the window.
    assert model.window_score([BOUNDARY], "the", ["river", BOUNDARY]) == (
        lp("the", BOUNDARY, None) + lp("river", "the", BOUNDARY) + lp("</s>", "river", "the")
    )
    assert model.window_score(["it", "rained"], "today", [BOUNDARY, "x"]) == (
        lp("today", "rained", "it") + lp("</s>", "today", "rained")
    )
    assert model.window_score(["said", BOUNDARY], "the", []) == lp("the", BOUNDARY, None)
    assert model.window_score([], "the", []) == lp("the", None, None)


def _window_sum(model: TrigramModel, left: list[str], word: str, right: list[str]) -> float:
    """The window score spelled out word by word: the sum of log_prob up to a sentence edge."""
    sequence = [*left[-2:], word, *right[:2]]
    total = 0.0
    for k in range(len(left[-2:]), len(sequence)):
        previous = sequence[k - 1] if k >= 1 else None
        before = sequence[k - 2] if k >= 2 and previous != BOUNDARY else None
        if sequence[k] == BOUNDARY:
            if k > 0:
                total += model.log_prob("</s>", previous, before)
            break
        total += model.log_prob(sequence[k], previous, before)
    return total


@needs_model
def test_window_scores_of_several_words_are_each_words_window_score() -> None:
    # A fresh model each side, so that neither reads answers the other remembered.
    single, several = load_trigrams(), load_trigrams()
    assert single is not None and several is not None
    words = ["from", "form", "the", "xyzzyq", BOUNDARY]
    for left in ([], [BOUNDARY], ["troops"], ["said", BOUNDARY], [BOUNDARY, "troops"], ["troops", "retreated"], ["he", "said"]):
        for right in ([], [BOUNDARY], ["the"], ["the", BOUNDARY], [BOUNDARY, "x"], ["the", "town"], ["a", "b", "c"]):
            expected = [_window_sum(single, left, word, right) for word in words]
            assert several.window_scores(left, words, right) == expected, (left, right)
            assert [several.window_score(left, word, right) for word in words] == expected, (left, right)


@needs_model
def test_window_scores_are_those_of_pocketsphinx(model: TrigramModel) -> None:
    pocketsphinx = pytest.importorskip("pocketsphinx")
    pocketsphinx.set_loglevel("FATAL")
    reference = pocketsphinx.NGramModel(pocketsphinx.Config(), pocketsphinx.LogMath(), str(MODEL))

    class Reference(TrigramModel):
        # Answers every query not remembered, and remembers none: pocketsphinx answers them all.
        def _answer(self, word: str, previous: str | None, before_previous: str | None) -> float:
            history = () if previous is None else (previous,) if before_previous is None else (previous, before_previous)
            units: int = reference.prob((word, *history))
            return units * math.log(1.0001)

    expected = Reference(model._trie)
    windows = [
        (["troops", "retreated"], "form", ["the", "town"]),
        ([BOUNDARY], "their", ["is", "no"]),
        (["said", "that"], "there", [BOUNDARY]),
        (["a", "xyzzyq"], "peace", ["of", "mind"]),
    ]
    for left, word, right in windows:
        assert model.window_score(left, word, right) == expected.window_score(left, word, right)


@needs_model
def test_loading_does_not_import_pocketsphinx() -> None:
    code = "import sys, copylint.trigrams as t; assert t.load_trigrams() is not None; print('pocketsphinx' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


@needs_model
def test_after_many_queries_pocketsphinx_answers_with_the_same_numbers() -> None:
    pytest.importorskip("pocketsphinx")
    assert MODEL is not None
    pure = read_trigrams(MODEL)
    assert pure is not None
    handing_over = TrigramModel(pure._trie, MODEL, native_after=2)
    first, second, *rest = QUERIES
    for query in (first, second):
        assert handing_over.log_prob(*query) == pure.log_prob(*query)
    assert handing_over.native
    for query in rest:
        assert handing_over.log_prob(*query) == pure.log_prob(*query)
    assert handing_over.log_prob("\udc80", "of", None) == pure.log_prob("\udc80", "of", None)  # not for pocketsphinx


def test_without_pocketsphinx_the_pure_reader_keeps_answering(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "pocketsphinx", None)  # import fails
    assert trigrams._native_model(tmp_path / "missing.lm.bin") is None
