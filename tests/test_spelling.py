"""spelling/nonword and the vocabulary behind it: what is flagged, where, with which fix, and what stays clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from copylint.config import Config
from copylint.document import Document
from copylint.engine import lint_document
from copylint.errors import RuleFileError
from copylint.finding import Applicability, Finding, Severity, Span
from copylint.loader import parse_rule_file
from copylint.ruleset import RuleSet, build_ruleset
from copylint.vocabulary import Vocabulary, parse_codespell_line

from .conftest import lint_text, run_cli

RULE = "spelling/nonword"


def spelling(text: str, **config: object) -> list[Finding]:
    """Findings of the rule alone on ``text``."""
    return [f for f in lint_text(text, select=[RULE], **config) if f.rule == RULE]


def flagged(text: str, **config: object) -> list[tuple[str, str | None]]:
    """(flagged text, first replacement) pairs."""
    return [(text[f.span.start : f.span.end], f.replacements[0] if f.replacements else None) for f in spelling(text, **config)]


# -- the vocabulary --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return Vocabulary.load()


def test_vocabulary_knows_words_and_their_frequency(vocabulary: Vocabulary) -> None:
    assert vocabulary.is_word("government")
    assert vocabulary.is_word("colour") and vocabulary.is_word("color")
    assert vocabulary.frequency("the") > 7.0 > vocabulary.frequency("harbour") > 3.0
    assert vocabulary.frequency("qzxvw") == 0.0
    assert not vocabulary.is_word("goverment")


def test_vocabulary_lists_known_misspellings(vocabulary: Vocabulary) -> None:
    entry = vocabulary.misspelling("recieve")
    assert entry is not None and entry.corrections == ("receive",) and entry.fixable
    assert vocabulary.misspelling("receive") is None


def test_vocabulary_candidates_are_real_words_nearest_first(vocabulary: Vocabulary) -> None:
    near = vocabulary.candidates("goverment", 1)
    assert near[0] == ("government", 1)
    far = vocabulary.candidates("govrnmnt", 2)
    assert ("government", 2) in far
    assert all(distance <= 2 for _, distance in far)
    assert "goverment" not in dict(vocabulary.candidates("government", 1))


@pytest.mark.parametrize("word", ["goverment", "govrnmnt", "carmaking", "doorstepping", "recieve", "abc", "aab", "xyzzy"])
def test_vocabulary_candidates_are_every_real_word_that_close(vocabulary: Vocabulary, word: str) -> None:
    """Edits listed and set lookups find what comparing the word with every real word of each length finds."""
    from rapidfuzz.distance import OSA

    expected = {
        candidate: int(OSA.distance(word, candidate))
        for size in range(len(word) - 2, len(word) + 3)
        for candidate in vocabulary._words_of_length(size)  # every real word that long
        if candidate != word and OSA.distance(word, candidate) <= 2
    }
    assert dict(vocabulary.candidates(word, 2)) == expected
    assert dict(vocabulary.candidates(word, 1)) == {c: d for c, d in expected.items() if d == 1}


def test_vocabulary_answers_the_same_before_and_after_its_lookup_tables_are_built() -> None:
    """The first lookups bisect the sorted text; later ones use section marks and sets of words by length."""
    from copylint import vocabulary as module

    probe = Vocabulary.load()
    words = probe._words_of_length(7)[::40] + probe._words_of_length(3)
    words += [w[:-1] + "q" for w in words] + ["don't", "o'clock", "qzxvw", "colour", "a", ""]
    first, second = module._load_cached.__wrapped__(None), module._load_cached.__wrapped__(None)
    answers = {w: (first.is_word(w), first.frequency(w), first.misspelling(w)) for w in words}
    assert {w: (second.is_word(w), second.frequency(w), second.misspelling(w)) for w in reversed(words)} == answers
    assert first._marks and first._real_of_length  # both ways were taken
    assert answers["colour"][0] and not answers["qzxvw"][0] and answers["don't"][0]


# An invented vocabulary, packed as the cache file is: one section ("ta") large enough to be bisected before it
# gets marks, short words, apostrophes, misspellings with one, several or no safe corrections.
_SYLLABLES = ("ba", "del", "fen", "gor", "hu", "kri", "lom", "nev", "pra", "quo", "rus", "sel", "tor", "vin", "wex", "yul")
_INVENTED_TYPOS = {"tabaa": "tabadel", "tahuhux": "tahuhu,tahuhuba,", "teh": "the", "wexel": "ten, not a word"}


def _invented_codes() -> dict[str, int]:
    words = ["ta" + a + b for a in _SYLLABLES for b in _SYLLABLES]
    words += ["ta" + a + b + c for a in _SYLLABLES for b in _SYLLABLES for c in _SYLLABLES]
    words += ["a", "i", "ox", "ax", "the", "ten", "o'er", "don't", "wexel", "tabaa"]
    # every third word is only web-frequent, not a real word; Zipf values run over the whole scale
    return {word: (index * 7 % 80) | (0 if index % 3 == 0 else 0x80) for index, word in enumerate(words)}


def _invented_vocabulary() -> Vocabulary:
    from copylint.vocabulary import pack_tables

    found = Vocabulary.read(pack_tables(_invented_codes(), _INVENTED_TYPOS))
    assert found is not None
    return found


def test_vocabulary_file_answers_as_the_tables_it_was_packed_from() -> None:
    import random

    codes = _invented_codes()
    probes = list(codes) + [w + "q" for w in codes] + [w[:-1] for w in codes] + ["", "tabadél", "ta\udcff", "zz", "ta'"]
    random.Random(3).shuffle(probes)
    for order in (probes, probes[::-1]):  # before and after sections get marks and lengths get sets
        vocabulary = _invented_vocabulary()
        for word in order:
            code = codes.get(word, 0)
            assert vocabulary.is_word(word) == bool(code & 0x80), word  # first: a new word counts towards a set
            assert vocabulary.frequency(word) == (code & 0x7F) / 10, word
        assert vocabulary._marks and vocabulary._real_of_length
    vocabulary = _invented_vocabulary()
    for length in range(8):
        real = sorted(w for w, c in codes.items() if c & 0x80 and len(w) == length and "'" not in w)
        assert vocabulary._words_of_length(length) == real
        assert vocabulary._count_of_length(length) == len(real)


def test_vocabulary_file_lists_misspellings_that_are_not_real_words() -> None:
    from copylint.vocabulary import Misspelling

    vocabulary = _invented_vocabulary()
    assert vocabulary.misspelling("tahuhux") == Misspelling(("tahuhu", "tahuhuba"), False)
    assert vocabulary.misspelling("teh") == Misspelling(("the",), True)
    assert vocabulary.misspelling("tabaa") is None  # a real word in the invented list, so not listed as a typo
    assert vocabulary.misspelling("wexel") is None  # likewise
    assert vocabulary.misspelling("tahuhu") is None and vocabulary.misspelling("") is None


def test_damaged_or_truncated_vocabulary_files_are_refused() -> None:
    from copylint.mappedfile import pack, unpack
    from copylint.vocabulary import FORMAT, pack_tables

    packed = pack_tables(_invented_codes(), _INVENTED_TYPOS)
    assert Vocabulary.read(packed[: len(packed) - 100]) is None
    assert Vocabulary.read(packed[:50]) is None
    assert Vocabulary.read(b"") is None
    mapped = unpack(packed, FORMAT)
    assert mapped is not None
    sections = {name: packed[start:end] for name, (start, end) in mapped.spans.items()}
    assert Vocabulary.read(pack(FORMAT, sections, mapped.meta)) is not None
    assert Vocabulary.read(pack(FORMAT, sections, mapped.meta | {"typos": ["te"]})) is None  # keys and bounds disagree
    assert Vocabulary.read(pack(FORMAT, {**sections, "codes": sections["codes"][:-1]}, mapped.meta)) is None
    assert Vocabulary.read(pack(FORMAT, {**sections, "offsets": sections["offsets"][4:]}, mapped.meta)) is None
    assert Vocabulary.read(pack(FORMAT, {k: v for k, v in sections.items() if k != "by_length"}, mapped.meta)) is None
    # Damage the index cannot see (section bounds past the words) gives wrong answers at worst, never an error.
    wild = {**sections, "section_bounds": bytes([0xFF]) * len(sections["section_bounds"])}
    vocabulary = Vocabulary.read(pack(FORMAT, wild, mapped.meta))
    assert vocabulary is not None
    for word in list(_invented_codes())[::50]:
        vocabulary.is_word(word)
        vocabulary.frequency(word + "q")


def test_real_vocabulary_answers_each_word_with_its_stored_code(vocabulary: Vocabulary) -> None:
    fresh = Vocabulary.read(vocabulary._data)  # its own mapped file, read again: nothing remembered yet
    assert fresh is not None
    text = fresh._words.text().decode("ascii").split("\n")[:-1]
    codes = dict(zip(text, fresh._codes, strict=True))
    assert text == sorted(text) and len(codes) > 200_000
    for word in [*text[::97], "qzxvw", "governmentt", "café"]:
        code = codes.get(word, 0)
        assert (fresh.frequency(word), fresh.is_word(word)) == ((code & 0x7F) / 10, bool(code & 0x80)), word


def test_whole_word_counts_are_runs_of_letters_and_digits() -> None:
    import re
    from collections import Counter

    from copylint.checks.spelling import _whole_words

    text = "Tarnwick's tarnwick, Tarnwick2 tarnwicks x_tarnwick tarnwick\u0301 İstanbul straße ½tarnwick tarnwick."
    runs = Counter(re.findall(r"[^\W_]+", text))
    for word in [*runs, "tarnwick", "Tarnwick", "arnwick", "", "a b"]:
        assert _whole_words(text, word) == runs[word], word


@pytest.mark.parametrize(
    ("line", "corrections", "fixable"),
    [
        ("teh->the\n", ("the",), True),
        ("alot->a lot, allot,\n", ("a lot", "allot"), False),
        ("clas->class, disabled because of name clash\n", ("class",), False),
    ],
)
def test_codespell_lines_say_whether_a_fix_is_safe(line: str, corrections: tuple[str, ...], fixable: bool) -> None:
    parsed = parse_codespell_line(line)
    assert parsed is not None
    assert parsed[1].corrections == corrections and parsed[1].fixable is fixable


# -- what is flagged -------------------------------------------------------------------------------------


def test_known_misspelling_is_an_error_with_a_safe_fix() -> None:
    text = "Ferry fares\n\nThe goverment in Tarnwick raised ferry fares."
    [finding] = spelling(text)
    assert finding.span == Span(text.index("goverment"), text.index("goverment") + len("goverment"))
    assert finding.severity is Severity.ERROR
    assert finding.fix is not None and finding.fix.applicability is Applicability.SAFE
    assert finding.replacements == ("government",)


def test_unknown_typo_is_a_warning_with_ranked_suggestions_and_an_unsafe_fix() -> None:
    text = "Headline\n\nFirefighters said the villages had been evacauted by dawn."
    [finding] = spelling(text)
    assert text[finding.span.start : finding.span.end] == "evacauted"
    assert finding.severity is Severity.WARNING
    assert finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE
    assert finding.suggestions[0] == "evacuated"


@pytest.mark.parametrize(
    ("sentence", "typo", "fix"),
    [
        ("The harbour master said the new pier was finaly open.", "finaly", "finally"),
        ("Councillors voted to seperate the two budgets.", "seperate", "separate"),
        ("Water had flodded the lower streets of Tarnwick.", "flodded", "flooded"),
        ("The fishing industrey in Tarnwick employs 400 people.", "industrey", "industry"),
        ("Two ferry companys bid for the Haldane route.", "companys", "companies"),
        ("Councillors said the residnets would be rehoused.", "residnets", "residents"),
        ("The trust said visitor numbers had increasd sharply.", "increasd", "increased"),
        ("Police said the suspect was arested near the quay.", "arested", "arrested"),
        ("The minister said the decison would stand.", "decison", "decision"),
        ("She said the ferry service was unreliabel in winter.", "unreliabel", "unreliable"),
    ],
)
def test_common_typos_get_the_right_first_suggestion(sentence: str, typo: str, fix: str) -> None:
    assert flagged("Headline\n\n" + sentence) == [(typo, fix)]


def test_capital_of_a_sentence_start_is_kept_in_the_fix() -> None:
    assert flagged("Headline\n\nRecieved wisdom in Harlow was that the strike would end.") == [("Recieved", "Received")]


def test_title_case_headline_typo_is_caught_but_headline_names_are_not() -> None:
    text = "Council Approves Goverment Plan For Tarnwick Pier\n\nThe council in Tarnwick met on Monday."
    assert flagged(text) == [("Goverment", "Government")]
    assert flagged("Brive Coach Thion Backs Warsh Deal\n\nThe deal was signed.") == []


def test_month_misspelling_gets_its_capital_from_the_lexicon() -> None:
    assert flagged("Headline\n\nThe vote was moved to febuary by the council.") == [("febuary", "February")]
    assert flagged("Headline\n\nThe vote was moved to Febuary by the council.") == [("Febuary", "February")]


def test_possessive_is_checked_on_its_stem() -> None:
    text = "Headline\n\nThe goverment's plan for Tarnwick was dropped."
    [finding] = spelling(text)
    assert text[finding.span.start : finding.span.end] == "goverment"


def test_typo_inside_a_hyphenated_compound_is_caught() -> None:
    assert flagged("Headline\n\nA pro-goverment rally filled the square.") == [("goverment", "government")]


def test_missing_space_is_suggested_as_two_words() -> None:
    found = spelling("Headline\n\nThe inspectors said the pier was unsafe andthe ferry should stop.")
    assert [f.suggestions[0] for f in found] == ["and the"]


def test_repeated_typo_of_a_never_seen_form_is_flagged_each_time() -> None:
    text = "Headline\n\nThe legisation was passed. Critics said the legisation was rushed."
    assert flagged(text) == [("legisation", "legislation"), ("legisation", "legislation")]


# -- what stays clean -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # names: foreign places and people, even one edit from a common word, appear once or repeated
        "Rescuers reached Qaryatayn and Deir Hafer on Monday, said Brenna Okonkwo-Vale of the Marlbeck Trust.",
        "Coach Jerome Brive picked Olivier Thion and Kevin Warsh for the trip to Oyonnax.",
        "Talks in Homs ended. Abdurrahman Haddad said Homs would hold a vote.",
        # acronyms, tickers, hashtags, handles, URLs, e-mail addresses, measures and ordinals
        "SOHR and the IDF said ISIS fighters left. Shares of TRNW fell 3% on the FTSE.",
        "Follow @TarnwickCouncil and #floodwatch, read https://tarnwick.example/flood or mail desk@tarnwick.example.",
        "The 5.6km route opened on the 21st, with 4x4s and A380s at the 3rd terminal.",
        # compounds, contractions, British and American spellings
        "The pro-government, anti-corruption co-operative didn't say it'd back the e-mail ban.",
        "The organisation's colour and the organization's color were debated at the theatre and the theater.",
        "Councillors criticised the programme; the defense and defence budgets were analysed and analyzed.",
        # coined and modern words built from real ones
        "The carmaker's rollout of livestreamed teardowns drew backbenchers and whistleblowers.",
        # mixed case and all caps
        "The iPhone maker and eBay met McDonald's executives; NASA and UNESCO attended.",
    ],
)
def test_news_copy_stays_clean(text: str) -> None:
    assert spelling("Headline\n\n" + text) == []


def test_every_edit_as_cheap_as_a_plain_slip_is_a_cheap_slip() -> None:
    # _Scan._judge_word passes over an affixed word with no everyday word among its cheap slips before searching
    # for suggestions: that holds only if no other edit costs PLAIN_SLIP_COST or less.
    from copylint.checks.spelling import PLAIN_SLIP_COST, _cheap_slips, _edit_cost

    letters = "abcdefghijklmnopqrstuvwxyz"
    for word in ("harbuor", "plonkety", "bookkeeper", "aeiou", "strenght", "ab", "reflooded"):
        edits = {word[:i] + word[i + 1 :] for i in range(len(word))}
        edits |= {word[:i] + letter + word[i + 1 :] for i in range(len(word)) for letter in letters}
        edits |= {word[:i] + letter + word[i:] for i in range(len(word) + 1) for letter in letters}
        edits |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
        edits.discard(word)
        cheap = {edit for edit in edits if _edit_cost(word, edit) <= PLAIN_SLIP_COST}
        assert cheap and cheap <= _cheap_slips(word, vowels=True)


def test_an_affixed_word_is_coined_unless_one_cheap_slip_from_an_everyday_word() -> None:
    assert flagged("Headline\n\nThe fields were reflooded and the unflooded ones overbriefed.") == []
    assert flagged("Headline\n\nThe council said the backwords was ready.") == [("backwords", "backwards")]


def test_a_paragraph_in_another_language_is_left_alone() -> None:
    text = (
        "Headline\n\nO calendario acima foi divulgado pela organizacao em janeiro, com etapas em novembro.\n\n"
        "The goverment said the calendar was final."
    )
    assert flagged(text) == [("goverment", "government")]


def test_wire_story_in_the_house_style_has_no_spelling_finding() -> None:
    story = (
        "Flooding forces evacuation of Marlbeck villages\n\n"
        "MARLBECK, England (Wire) - Rescuers evacuated more than 300 people from villages along the River Tarn "
        "on Sunday after two days of heavy rain, the Marlbeck District Council said.\n\n"
        '"We have never seen the water this high," said Olwen Prydderch-Hayes, 54, whose bakery in Lower '
        "Tarnwick was flooded. The Environment Agency issued 12 severe flood warnings.\n\n"
        "The council's chief executive, Dariusz Okafor, said pumps from Yorkshire and the West Midlands were "
        "on their way. Residents could follow updates on @MarlbeckCouncil and at www.marlbeck.example/floods."
    )
    assert spelling(story) == []


# -- house words and inline acceptance ----------------------------------------------------------------------


def test_config_words_accept_a_desk_spelling() -> None:
    text = "Headline\n\nThe Grauniad-style spelling confrence was held."
    assert flagged(text) == [("confrence", "conference")]
    assert flagged(text, words=frozenset({"confrence"})) == []


def test_words_file_from_the_config_is_honoured(tmp_path: Path) -> None:
    (tmp_path / "names.txt").write_text("# desk names\nbrexiteering\n", encoding="utf-8")
    (tmp_path / "copylint.toml").write_text('words_file = "names.txt"\nselect = ["spelling"]\n', encoding="utf-8")
    story = tmp_path / "story.txt"
    story.write_text("Headline\n\nThe brexiteering goverment said no.\n", encoding="utf-8")
    result = run_cli(["check", "--format", "json", str(story)])
    assert result.code == 1
    assert "goverment" in result.out and "brexiteering" not in result.out


def test_document_accepted_words_are_not_flagged() -> None:
    text = "Headline\n\nThe sculptor called it a zorbleglass piece."
    ruleset = build_ruleset(Config(select=(RULE,)))
    plain = Document(text, [(Span(0, 8), "headline"), (Span(10, len(text)), "paragraph")])
    accepted = Document(
        text, [(Span(0, 8), "headline"), (Span(10, len(text)), "paragraph")], accepted_words=frozenset({"Zorbleglass"})
    )
    assert [text[f.span.start : f.span.end] for f in lint_document(plain, ruleset)] == []  # no near word: not flagged
    typo = "Headline\n\nThe sculptor called it a beautifull piece."
    spans = [(Span(0, 8), "headline"), (Span(10, len(typo)), "paragraph")]
    assert len(lint_document(Document(typo, spans), ruleset)) == 1
    assert lint_document(Document(typo, spans, accepted_words=frozenset({"beautifull"})), ruleset) == []
    assert lint_document(accepted, ruleset) == []


# -- the memo of forms seen ----------------------------------------------------------------------------------


def test_a_warm_memo_finds_what_a_cold_one_finds() -> None:
    ruleset = build_ruleset(Config(select=(RULE,)))
    first = "Headline\n\nThe council met on Monday. The mayor spoke.\n\nThe goverment said the legisation passed."
    again = "Headline\n\nThe council met on Monday.\n\nCritics said the goverment rushed the legisation."
    found = []
    for text in (first, again, first):
        document = Document(text, [(Span(0, 8), "headline"), (Span(10, len(text)), "paragraph")])
        found.append([text[f.span.start : f.span.end] for f in lint_document(document, ruleset)])
    assert found == [["goverment", "legisation"], ["goverment", "legisation"], ["goverment", "legisation"]]


def _found_in_turn(texts: list[str], ruleset: RuleSet) -> list[list[tuple[str, tuple[str, ...]]]]:
    found = []
    for text in texts:
        document = Document(text, [(Span(0, 8), "headline"), (Span(10, len(text)), "paragraph")])
        found.append([(text[f.span.start : f.span.end], f.suggestions) for f in lint_document(document, ruleset)])
    return found


# An unknown word seen in English (vilage) or close to no everyday word (plonkety), and a name one swap from an
# everyday word (Minsitry), are typos only when the story uses them once; "finaly" is ranked by its neighbours;
# a name a vowel from an everyday word (Hospitel) is a typo only at a sentence start.
MEMO_STORIES = [
    "Headline\n\nThe vilage said the finaly was a plonkety plan for Minsitry staff at Hospitel Road.",
    "Headline\n\nThe vilage and the next vilage said the plonkety rules, and the plonkety fees that the Minsitry "
    "office in town and the Minsitry staff set for the two of them, would be in place by the end of the year.",
    "Headline\n\nOne vilage saw the plonkety Minsitry say it was finaly today. Hospitel Road is shut.",
    "Headline\n\nThe vilage said the finaly was a plonkety plan for Minsitry staff at Hospitel Road.",
]


def test_remembered_verdicts_still_ask_how_often_the_story_uses_the_word() -> None:
    warm = _found_in_turn(MEMO_STORIES, build_ruleset(Config(select=(RULE,))))
    cold = [_found_in_turn([text], build_ruleset(Config(select=(RULE,))))[0] for text in MEMO_STORIES]
    assert warm == cold
    assert [len(found) for found in cold] == [4, 0, 5, 4]  # used twice: terms, and a name
    assert ("finaly", ("finale", "finally")) in cold[0] and ("finaly", ("finally", "finale")) in cold[2]
    assert ("Hospitel", ("Hospital",)) in cold[2]


def test_full_memos_change_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    import copylint.checks.spelling as spelling_module

    expected = _found_in_turn(MEMO_STORIES, build_ruleset(Config(select=(RULE,))))
    monkeypatch.setattr(spelling_module, "VERDICTS_MEMO", 0)
    monkeypatch.setattr(spelling_module, "SLIP_COSTS_MEMO", 0)
    assert _found_in_turn(MEMO_STORIES, build_ruleset(Config(select=(RULE,)))) == expected


# -- fixes, severity and data files -------------------------------------------------------------------------


def test_fix_applies_only_the_safe_correction(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Headline\n\nThe goverment said the pier was finaly open.\n", encoding="utf-8")
    result = run_cli(["check", "--fix", "--select", RULE, str(story)])
    assert result.code == 1  # the unsafe suggestion is still reported
    assert story.read_text(encoding="utf-8") == "Headline\n\nThe government said the pier was finaly open.\n"
    run_cli(["check", "--fix", "--unsafe-fixes", "--select", RULE, str(story)])
    assert story.read_text(encoding="utf-8") == "Headline\n\nThe government said the pier was finally open.\n"


def test_configured_severity_applies_to_every_finding() -> None:
    found = spelling("Headline\n\nThe goverment was finaly sworn in.", severity={RULE: Severity.INFO})
    assert [f.severity for f in found] == [Severity.INFO, Severity.INFO]


def test_a_desk_lexicon_adds_corrections(tmp_path: Path) -> None:
    folder = tmp_path / "desk"
    folder.mkdir()
    (folder / "ours.toml").write_text(
        'kind = "lexicon"\nrule = "spelling/nonword"\n[entries]\nhaldane-on-sea = "x"\ntarnwik = "Tarnwick"\n', encoding="utf-8"
    )
    with pytest.raises(RuleFileError, match=r"ours\.toml:4: .*haldane-on-sea"):
        build_ruleset(Config(select=(RULE,), rule_dirs=(folder,)))
    (folder / "ours.toml").write_text(
        'kind = "lexicon"\nrule = "spelling/nonword"\n[entries]\ntarnwik = "Tarnwick"\n', encoding="utf-8"
    )
    text = "Headline\n\nThe ferry to tarnwik was cancelled."
    assert flagged(text, rule_dirs=(folder,)) == [("tarnwik", "Tarnwick")]


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ('entries = ["a"]', "must be a table"),
        ('[entries]\nrecieve = "recieve"', "corrected to itself"),
        ("[entries]\nrecieve = []", "must be a word or a list"),
    ],
)
def test_bad_lexicon_entries_are_reported_with_their_line(tmp_path: Path, entries: str, message: str) -> None:
    folder = tmp_path / "desk"
    folder.mkdir()
    (folder / "bad.toml").write_text(f'kind = "lexicon"\nrule = "spelling/nonword"\n{entries}\n', encoding="utf-8")
    with pytest.raises(RuleFileError, match=rf"bad\.toml:\d+: .*{message}"):
        build_ruleset(Config(select=(RULE,), rule_dirs=(folder,)))


def test_bundled_spelling_data_is_valid() -> None:
    root = Path(__file__).resolve().parent.parent / "rules" / "spelling"
    for path in sorted(root.glob("*.toml")):
        data = parse_rule_file(str(path), path.read_text(encoding="utf-8"))
        for lexicon in data.lexicons:
            assert lexicon.rule == RULE
            for wrong, right in lexicon.entries.items():
                assert wrong == wrong.lower() and right.lower() != wrong
        assert all(word == word.strip() and " " not in word for word in data.words)


def test_cache_is_built_once_and_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from copylint import vocabulary as module
    from copylint.cachedir import STALE_AFTER
    from copylint.vocabulary import pack_tables

    builds: list[int] = []

    def build(files: object) -> bytes:  # the invented tables: building the real ones takes seconds
        builds.append(1)
        return pack_tables(_invented_codes(), _INVENTED_TYPOS)

    monkeypatch.setattr(module, "build_file", build)
    monkeypatch.setenv("COPYLINT_CACHE_DIR", str(tmp_path))
    old = tmp_path / "vocabulary-0badcafe.marshal"  # an older layout's file, written long ago
    old.write_bytes(b"old")
    os.utime(old, (0, STALE_AFTER))
    module._load_cached.cache_clear()
    try:
        assert module._load_cached(None).is_word("tabadel") and len(builds) == 1
        (cached,) = tmp_path.glob("vocabulary-*")  # the old file was pruned
        assert cached.suffix == ".mapped"
        whole = cached.read_bytes()
        for damaged in (b"not a vocabulary file", whole[: len(whole) // 2], whole[:-1], b""):
            module._load_cached.cache_clear()
            builds.clear()
            assert module._load_cached(None).frequency("tabadel") == 0.7 and not builds  # mapped, not rebuilt
            module._load_cached.cache_clear()  # (a mapping of a file is never used after the file is overwritten)
            cached.write_bytes(damaged)
            assert module._load_cached(None).is_word("tabadel") and len(builds) == 1  # damaged or truncated: rebuilt
            assert cached.read_bytes() == whole
    finally:
        module._load_cached.cache_clear()
