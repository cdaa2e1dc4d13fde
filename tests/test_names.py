"""Tests for the names rules: spans, fixes, related mentions, lexicon validation and the word-frequency cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from copylint.checks.names import (
    AcronymMismatch,
    EnglishFrequencies,
    InconsistentSpelling,
    NameData,
    RunFinder,
    is_inflection,
    parse_name_lexicons,
    skeleton,
)
from copylint.errors import RuleFileError
from copylint.finding import Applicability, Severity
from copylint.fixes import allowed_applicabilities, fix_until_stable
from copylint.formats import plaintext
from copylint.loader import load_builtin, parse_rule_file
from copylint.rule import PrepareInput, RuleContext

from .conftest import lint_text, run_cli

SEED_STORY = Path(__file__).resolve().parents[2] / "shared" / "seed" / "wire_story.txt"

STORY = """Harbour reopens after storm

Harbour master Colin Treharne said the quay would reopen on Monday.

Treharne said repairs had cost 40,000 pounds. Trehane added that insurers had paid.
"""


def _names(text: str, rule: str = "names/inconsistent-spelling") -> list:
    return [f for f in lint_text(text, select=[rule]) if f.rule == rule]


def _builtin_data() -> NameData:
    return parse_name_lexicons(lex for lex in load_builtin().lexicons if lex.rule.startswith("names"))


def test_variant_points_at_the_other_mentions() -> None:
    (finding,) = _names(STORY)
    assert STORY[finding.span.start : finding.span.end] == "Trehane"
    assert finding.severity is Severity.WARNING
    assert finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE
    assert finding.replacements == ("Treharne",)
    assert [STORY[s.start : s.end] for s in finding.related] == ["Treharne", "Treharne"]
    assert finding.related[0].start == STORY.index("Colin Treharne") + len("Colin ")
    assert finding.message == "'Trehane' is spelled 'Treharne' 2 times elsewhere in the story"


def test_fix_is_only_applied_with_unsafe_fixes() -> None:
    def lint(text: str) -> list:
        return _names(text)

    safe = fix_until_stable(STORY, lint, allowed_applicabilities(unsafe=False))
    assert safe.text == STORY
    unsafe = fix_until_stable(STORY, lint, allowed_applicabilities(unsafe=True))
    assert unsafe.settled
    assert "Trehane " not in unsafe.text and unsafe.text.count("Treharne") == 3


def test_cli_reports_line_and_column(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    result = run_cli(["check", str(story), "--select", "names", "--format", "json"])
    assert result.code == 1, result.err
    assert '"names/inconsistent-spelling"' in result.out
    assert "Trehane" in result.out


def test_tie_goes_to_the_spelling_common_in_english() -> None:
    text = "Rates held\n\nMark Jonhson said rates would stay on hold.\n\nThe bank's chief, Johnson, agreed on Friday.\n"
    (finding,) = _names(text)
    assert text[finding.span.start : finding.span.end] == "Jonhson"
    assert finding.replacements == ("Johnson",)
    assert finding.message.endswith("at its other mention")


def test_tie_without_evidence_goes_to_the_first_full_mention() -> None:
    text = "Grants promised\n\nThe leader, Amira Haddad, visited the quay.\n\nHaddadd said the council would meet.\n"
    (finding,) = _names(text)
    assert text[finding.span.start : finding.span.end] == "Haddadd"
    assert finding.replacements == ("Haddad",)


def test_variant_in_a_headline_is_flagged() -> None:
    text = "Treharne quits\n\nColin Trehane resigned on Monday. Trehane had led the board since 2019. Mr Trehane thanked staff.\n"
    (finding,) = _names(text)
    assert text[finding.span.start : finding.span.end] == "Treharne"
    assert finding.span.start == 0
    assert finding.replacements == ("Trehane",)


@pytest.mark.parametrize(
    "text",
    [
        # different people: two first names, similar surnames
        "Count delayed\n\nCarl Jackson led the count. Jackson was confident.\n\nDana Johnson said she would wait.\n",
        "Two quit\n\nAlan Smith resigned. Smith had served ten years.\n\nRuth Smyth also stood down.\n",
        # a couple told apart by their titles
        "Couple honoured\n\nMr Kwame Osei and Mrs Osey received medals. Mr Osei thanked the town.\n",
        # kinship: family members with similar given names
        "Bakery opens\n\nMarian Kowal opened the shop with her sister Marion. Marian Kowal will bake.\n",
        # inflections and demonyms
        "Trade deal\n\nKenya and Britain signed. Kenyan and British officials met. Kenyans cheered in Kenya.\n",
        # Swedes and Sweden, from the demonym lexicon
        "Ferry\n\nSweden opened the route. Swedes will pay less. Sweden said so.\n",
        # the same name twice in one run: a compound name
        "Appointment\n\nHassan Hasan was named. Hasan said he was honoured. Hasan starts today.\n",
        # a mononym beside someone's given name
        "Awards\n\nJennifer Okoro won twice. Jennifer Okoro thanked fans. Singer Jenifer also won.\n",
    ],
)
def test_quiet_cases(text: str) -> None:
    assert _names(text) == []


def test_acronym_mismatch_fix_and_related_definition() -> None:
    text = "Charges rise\n\nThe Lake Tarnow Water Board (LTWB) raised charges. The LWTB said costs doubled.\n"
    (finding,) = _names(text, "names/acronym-mismatch")
    assert text[finding.span.start : finding.span.end] == "LWTB"
    assert finding.replacements == ("LTWB",)
    assert [text[s.start : s.end] for s in finding.related] == ["LTWB"]


def test_first_reference_suggests_the_full_name_without_a_fix() -> None:
    text = "Vote fair\n\nMr Okafor said the vote was fair.\n\nThe leader, Daniel Okafor, was re-elected.\n"
    (finding,) = _names(text, "names/first-reference")
    assert finding.severity is Severity.INFO
    assert finding.fix is None
    assert finding.suggestions == ("Daniel Okafor",)
    assert text[finding.related[0].start : finding.related[0].end] == "Daniel Okafor"


def test_first_reference_ignores_organisations_named_like_people() -> None:
    text = "Deal\n\nThe House voted on Monday.\n\nThe White House said the bill would be signed.\n"
    assert _names(text, "names/first-reference") == []


@pytest.mark.skipif(not SEED_STORY.exists(), reason="needs ../shared/seed (not in a fresh clone)")
def test_seed_story_has_no_names_findings() -> None:
    text = SEED_STORY.read_text(encoding="utf-8")
    assert [f for f in lint_text(text, select=["names"])] == []


def test_skeleton_forgets_transliteration() -> None:
    assert skeleton("Brandmann") == skeleton("Brandman")
    assert skeleton("Raphaelsen") == skeleton("Rafaelsen")
    assert skeleton("Dunmoryn") == skeleton("Dunmorin")
    assert skeleton("Müller") == skeleton("Muller")
    assert skeleton("Greenspan") != skeleton("Greenspun")


def test_inflections() -> None:
    data = _builtin_data()
    assert is_inflection("syria", "syrian", data)
    assert is_inflection("ukraine", "ukrainian", data)
    assert is_inflection("britain", "british", data)
    assert not is_inflection("sturgeon", "sturgeonn", data)  # a doubled last letter is a slip
    assert not is_inflection("house", "housi", data)


def test_lexicon_errors_name_file_and_line() -> None:
    raw = 'kind = "lexicon"\nrule = "names"\n\n[entries]\ntitles = ["Mr"]\nhonorifics = ["Sir"]\n'
    (lexicon,) = parse_rule_file("house/names.toml", raw).lexicons
    with pytest.raises(RuleFileError, match=r"^house/names\.toml:6: unknown names lexicon key 'honorifics'"):
        parse_name_lexicons([lexicon])
    raw = 'kind = "lexicon"\nrule = "names"\n\n[entries]\ndemonyms = [["Wales"]]\n'
    (lexicon,) = parse_rule_file("house/places.toml", raw).lexicons
    with pytest.raises(RuleFileError, match=r"^house/places\.toml:5: .*at least two words"):
        parse_name_lexicons([lexicon])


def test_bad_user_lexicon_is_a_one_line_error(tmp_path: Path) -> None:
    rules = tmp_path / "house"
    rules.mkdir()
    (rules / "names.toml").write_text('kind = "lexicon"\nrule = "names"\n\n[entries]\ntitles = "Mr"\n', encoding="utf-8")
    (tmp_path / "copylint.toml").write_text('rule_dirs = ["house"]\n', encoding="utf-8")
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    result = run_cli(["check", str(story), "--config", str(tmp_path / "copylint.toml")])
    assert result.code == 2
    assert "names.toml:5: entries.titles must be a list" in result.err
    assert "Traceback" not in result.err


def test_user_lexicon_extends_the_rule() -> None:
    raw = 'kind = "lexicon"\nrule = "names"\n\n[entries]\nacronym_alternates = [["LTWB", "LWTB"]]\n'
    extra = parse_rule_file("house/acronyms.toml", raw).lexicons
    rule = AcronymMismatch()
    builtin = tuple(lex for lex in load_builtin().lexicons if lex.rule.startswith("names"))
    state = rule.prepare(PrepareInput({}, frozenset(), builtin + extra))
    text = "Charges rise\n\nThe Lake Tarnow Water Board (LTWB) raised charges. The LWTB said costs doubled.\n"
    (document,) = plaintext.parse(text, "test")
    assert list(rule.check(document, RuleContext(Severity.WARNING, state=state))) == []


def test_rule_works_without_lexicons() -> None:
    rule = InconsistentSpelling()
    state = rule.prepare(PrepareInput({}, frozenset(), ()))
    (document,) = plaintext.parse(STORY, "test")
    (finding,) = rule.check(document, RuleContext(Severity.WARNING, state=state))
    assert finding.replacements == ("Treharne",)


def test_frequencies_are_cached(tmp_path: Path) -> None:
    first = EnglishFrequencies(cache_dir=tmp_path)
    assert first.is_common("many")
    assert not first.is_common("treharne")
    assert first.zipf("the") > 7
    assert first.zipf("qzxwvt") == 0.0
    assert 1.0 < first.zipf("greenspan") < 3.0  # found only in the large list
    assert list(tmp_path.glob("names-rare-*.mapped"))
    second = EnglishFrequencies(cache_dir=tmp_path)
    assert second.zipf("greenspan") == first.zipf("greenspan")


# Invented frequency bands, as wordfreq's lists hold them (most frequent first): accented words, a word that is a
# prefix of another, words of one length and first letter, an empty band.
_BANDS = [["tha", "ond"], [], ["tarnwick", "tarn", "zöller"], ["ölmarsh", "quell", "tarnwicks"], ["ab'cd", "x"]]


def test_zipf_table_answers_as_the_bands_it_was_packed_from() -> None:
    from copylint.checks.names import _pack_table, _read_table
    from copylint.mappedfile import unpack

    table = _read_table(unpack(_pack_table(_BANDS), 1))
    assert table is not None
    expected = {w: round(9.0 - i / 100.0, 2) for i, band in enumerate(_BANDS) for w in band}  # the dict it replaces
    for word in [*expected, "tarnwic", "tarnwickz", "", "zoller", "x\ny", "tarn\nwick", "\udcff", "tha "]:
        assert table.get(word) == expected.get(word), word
        assert table.get(word, 0.0) == expected.get(word, 0.0)
        assert (word in table) == (word in expected)
    assert table["zöller"] == 8.98
    with pytest.raises(KeyError):
        table["tarnwic"]


def test_zipf_table_cache_is_rebuilt_when_damaged_or_truncated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from copylint.cachedir import STALE_AFTER
    from copylint.checks import names as module

    reads: list[Path] = []

    def read_bands(path: Path) -> list[list[str]]:  # the invented bands: reading wordfreq's takes a second
        reads.append(path)
        return _BANDS

    monkeypatch.setattr(module, "_read_cbpack", read_bands)
    old = tmp_path / "names-common-1-2.marshal"  # an older layout's file, written long ago
    old.write_bytes(b"old")
    os.utime(old, (0, STALE_AFTER))
    assert module._zipf_table(tmp_path, "small_en.msgpack.gz", "names-common").get("zöller") == 8.98
    (cached,) = tmp_path.iterdir()  # the old file was pruned
    assert cached.suffix == ".mapped" and len(reads) == 1
    whole = cached.read_bytes()
    for damaged in (b"not a table", whole[: len(whole) // 2], whole[:-1], b""):
        reads.clear()
        assert module._zipf_table(tmp_path, "small_en.msgpack.gz", "names-common").get("quell") == 8.97
        assert not reads  # a sound file is mapped, not rebuilt
        cached.write_bytes(damaged)
        assert module._zipf_table(tmp_path, "small_en.msgpack.gz", "names-common").get("quell") == 8.97
        assert len(reads) == 1 and cached.read_bytes() == whole  # damaged or truncated: rebuilt
    blocked = tmp_path / "a-file"  # a cache folder that cannot be made: the table is built and kept in memory
    blocked.write_bytes(b"")
    assert module._zipf_table(blocked, "small_en.msgpack.gz", "names-common").get("ond") == 9.0


def test_first_letter_classes_hold_every_pair_same_name_accepts() -> None:
    # The rule compares a name word only with the words that share a class of first letter with it.
    from itertools import product

    from rapidfuzz.distance import OSA

    from copylint.checks.names import Spelling, _initial_classes

    spelling = Spelling()
    starts = ["ph", "f", "p", "ck", "c", "k", "kh", "y", "i", "ou", "o", "u", "a", "dh", "d", "é", "e", "ø", "x"]
    words = [start + rest for start, rest in product(starts, ["ilipa", "anner", "umar", "sef"])]
    for a, b in product(words, repeat=2):
        distance = OSA.distance(a, b)
        if distance <= 2 and spelling.same_name(a, b, distance):
            assert set(_initial_classes(a)) & set(_initial_classes(b)), (a, b)


def test_bundled_lexicons_are_consistent() -> None:
    data = _builtin_data()
    assert data.male_titles <= data.titles and data.female_titles <= data.titles and data.personal_titles <= data.titles
    assert not data.male_titles & data.female_titles
    assert not data.titles & data.particles
    assert all(p == p.lower() for p in data.particles)
    assert data.demonym_group["britain"] == data.demonym_group["british"] != data.demonym_group["france"]
    assert {"s", "n", "ian"} <= data.inflection_suffixes
    assert "said" in data.reporting_verbs and "brother" in data.kinship


def test_names_injector_respells_one_mention_of_a_repeated_name() -> None:
    import random

    from bench.corpus import Article
    from bench.injectors.names import make

    article = Article(
        "t1",
        "test",
        "Harbour reopens",
        (
            "Harbour master Colin Treharne said the quay would reopen on Monday.",
            "Treharne said repairs had cost 40,000 pounds, and the Kellow ferry would resume.",
        ),
    )
    injected = make(Path("."), 7).inject(article, random.Random(3))
    assert injected is not None
    (injection,) = injected.injections
    assert injection.original == "Treharne"
    assert injection.injected != "Treharne" and injection.group in ("vowel", "consonant", "translit")
    assert injected.text[injection.start : injection.end] == injection.injected
    found = _names(injected.text)
    assert [injected.text[f.span.start : f.span.end] for f in found] == [injection.injected]
    assert found[0].replacements == ("Treharne",)


@pytest.mark.parametrize("seed", range(3))
def test_rules_never_crash_on_odd_text(seed: int) -> None:
    import random

    rng = random.Random(seed)
    pieces = [
        "Mr",
        "Dr.",
        "O'Brien",
        "al-",
        "de",
        "Okafor",
        "Okafr",
        "(LTWB)",
        "LWTB",
        "“",
        "”",
        '"',
        "-",
        ".",
        "’s",
        "H.W.",
        "Élan",
        "Łódź",
        "İzmir",
        "ǅemal",
        "said",
        "the",
        "\u00a0",
        "  ",
        "\n\n",
        "Ωmega",
        "ß",
        "ﬁ",
    ]
    for _ in range(40):
        text = "".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randint(1, 60)))
        if not text.strip():
            continue
        for finding in lint_text(text, select=["names"]):
            assert 0 <= finding.span.start < finding.span.end <= len(text)


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("Mr. Juan de la Cruz said so.", ["Mr. Juan de la Cruz"]),  # a dotted title, then particles inside the name
        ("Dr Okafor and Mrs. Osei met the de facto Leader.", ["Dr Okafor", "Mrs. Osei", "Leader"]),
        ("Colin Treharne said Ms. Ada Lovell-Byron de wrote.", ["Colin Treharne", "Ms. Ada Lovell-Byron"]),
        ("When J. R. Okafor and Prime Minister Dale met", ["When J. R. Okafor", "Prime Minister Dale"]),
    ],
)
def test_run_pattern_reads_titles_particles_and_initials(text: str, runs: list[str]) -> None:
    """The guards in the run pattern pass over no title, particle or initial that the groups behind them take."""
    finder = RunFinder(_builtin_data())
    assert [m.group() for m in finder.pattern.finditer(text)] == runs


def test_variant_two_letters_shorter_is_still_compared() -> None:
    """A spelling two letters shorter is two edits away: still a variant."""
    text = (
        "Council backs plan\n\nCouncil leader Hanna Kallendorff said the plan was sound.\n\n"
        "Kallendorff said work would start in May. Kalendorf added that costs were known.\n"
    )
    (finding,) = _names(text)
    assert text[finding.span.start : finding.span.end] == "Kalendorf"
    assert finding.replacements == ("Kallendorff",)


def test_names_three_letters_longer_are_not_variants() -> None:
    text = (
        "Council backs plan\n\nCouncil leader Hanna Kallendorffer said the plan was sound.\n\n"
        "Kallendorffer said work would start in May. Kalendorf added that costs were known.\n"
    )
    assert _names(text) == []


def test_same_name_answers_alike_with_a_warm_skeleton_memo() -> None:
    from copylint.checks.names import Spelling

    spelling = Spelling()
    pairs = [("kallendorff", "kalendorf", 2), ("smith", "smyth", 1), ("bil", "bill", 1), ("stephen", "steven", 2)]
    cold = [spelling.same_name(a, b, d) for a, b, d in pairs]
    warm = [spelling.same_name(a, b, d) for a, b, d in pairs]
    assert cold == warm == [True, True, True, False]


def test_runs_carry_their_block_headline_and_weak_capital() -> None:
    """Runs found block by block keep their block's index, the headline flag and whether a clause opens before them."""
    data = _builtin_data()
    finder = RunFinder(data)
    text = "Okafor Wins Vote In Tarnow\n\nMr Daniel Okafor said so.\n\nThen Okafor left. \u201cMensah stays,\u201d Okafor said."
    (document,) = plaintext.parse(text, "t")
    _, runs = finder.mentions(document, EnglishFrequencies())
    seen = [(text[r.start : r.end], r.block, r.headline, r.titles, [(w.key, w.weak) for w in r.words]) for r in runs]
    headline_words = [("okafor", True), ("wins", False), ("vote", False), ("in", False), ("tarnow", False)]
    assert seen == [
        ("Okafor Wins Vote In Tarnow", 0, True, (), headline_words),  # a headline in title case: its capitals are weak
        ("Mr Daniel Okafor", 1, False, ("mr",), [("daniel", False), ("okafor", False)]),
        ("Okafor", 2, False, (), [("okafor", False)]),  # "Then" is the sentence's capital, not the name's
        ("Mensah", 2, False, (), [("mensah", True)]),  # after an opening quote
        ("Okafor", 2, False, (), [("okafor", False)]),
    ]


def test_a_run_at_a_sentence_start_drops_the_sentence_capital() -> None:
    finder = RunFinder(_builtin_data())
    text = "Despite Mr Daniel Okafor the vote went ahead. Then Okafor Mensah spoke."
    (document,) = plaintext.parse(text, "t")
    _, runs = finder.mentions(document, EnglishFrequencies())
    seen = [(text[r.start : r.end], r.titles, [(w.form, text[w.start : w.end], w.weak) for w in r.words]) for r in runs]
    assert seen == [
        ("Mr Daniel Okafor", ("mr",), [("Daniel", "Daniel", False), ("Okafor", "Okafor", False)]),
        ("Okafor Mensah", (), [("Okafor", "Okafor", False), ("Mensah", "Mensah", False)]),
    ]
