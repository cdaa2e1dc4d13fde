"""confusion/real-word: slips caught in context, correct uses left alone, lexicon validation, the cached model."""

from __future__ import annotations

import array
from pathlib import Path

import pytest

from copylint import ngrams, trigrams
from copylint.checks.confusion import parse_lexicons
from copylint.document import Document
from copylint.errors import ConfigError, RuleFileError
from copylint.finding import Applicability, Severity
from copylint.formats import plaintext
from copylint.loader import parse_rule_file
from copylint.ngrams import is_variant

from .conftest import lint_text

RULE = "confusion/real-word"
# Cases that rest on the window stage, whose model (pocketsphinx) is not installed where it ships no wheel.
needs_window = pytest.mark.skipif(trigrams.model_path() is None, reason="pocketsphinx is not installed")


def parse_plain(text: str) -> Document:
    """The plain-text document of ``text``."""
    return plaintext.parse(text, "test")[0]


def findings(text: str, **config: object) -> list[tuple[str, str, str]]:
    """(flagged text, first replacement, severity) of the rule's findings."""
    out = []
    for f in lint_text(text, select=[RULE], **config):
        if f.rule == RULE:
            out.append((text[f.span.start : f.span.end], f.replacements[0], f.severity.label))
    return out


@pytest.mark.parametrize(
    ("text", "written", "intended"),
    [
        ("Flood waters receded form the valley town of Marlow Creek on Tuesday.", "form", "from"),
        ("The council leader, Joan Pettifer, sad that repairs would take a month.", "sad", "said"),
        ("Turnout in Esterby was higher then expected.", "then", "than"),
        ("The murder trail began at Lenmouth Crown Court on Monday.", "trail", "trial"),
        ("Police said the car hit a pubic bench in Ashby.", "pubic", "public"),
        ("They said its been a difficult year for the club.", "its", "it's"),
    ],
)
def test_slip_is_flagged_with_the_intended_word(text: str, written: str, intended: str) -> None:
    assert findings(text) == [(written, intended, "warning")]


@pytest.mark.parametrize(
    "text",
    [
        "Parties met to form a government after the vote.",
        "It was a sad day for the town of Harwick.",
        "Then he left the room without a word.",
        "Sales rose by more than a third in Calder Vale.",
        "The hikers followed the trail over the ridge.",
        "Residents of the county were told to boil water.",
        "He said the form was sent from the town hall.",
        "The Form Group said profits rose.",  # a name, not a slip
        "He told reporters he was not sure what would happen next.",
    ],
)
def test_correct_use_stays_clean(text: str) -> None:
    assert findings(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Parties met to form a government after the vote.",
        "It was a sad day for the town of Harwick.",
        "He finished the speech and then he left the hall.",
        "Sales rose by more than a third in Calder Vale.",
        "She said she was sad that the mill had closed.",
        "Talks will resume in March, officials in Corby said.",
        "The firm has said it will cut 200 jobs.",
    ],
)
def test_correct_use_in_a_story_body_stays_clean(text: str) -> None:
    assert findings(f"Mill closes in Corby\n\n{text}\n") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"We will rebuild," sad the mayor of Ashby.', "after a quotation"),
        ("Mayor Ana Ruiz sad the road would reopen.", "after 'Ruiz'"),
        ("The plan was backed, sad Mr Okafor.", "before 'Mr'"),
    ],
)
def test_attribution_cues(text: str, message: str) -> None:
    (finding,) = lint_text(text, select=[RULE])
    assert text[finding.span.start : finding.span.end] == "sad"
    assert finding.replacements == ("said",)
    assert message in finding.message


@pytest.mark.parametrize(
    ("text", "written", "intended"),
    [
        ("The stadium will be paid for by the club rather then the town.", "then", "than"),
        ("Prices rose sharply and even than. Analysts had expected it.", "than", "then"),
        ("The deal was agreed by Ruiz an Pettifer after midnight.", "an", "and"),
        ("The new hospital was named be the health minister on Monday.", "be", "by"),
        ("The ferry will by the last to leave Ashby this year.", "by", "be"),
        ("The letter, with was sent in March, was never answered.", "with", "which"),
        ("The storm spread too the coast by Tuesday evening.", "too", "to"),
        ("There was a lot if anger at the meeting in Calder Vale.", "if", "of"),
        ("The match could of been won in the first half.", "of", "have"),
        ("Police cordoned of the street after the fire.", "of", "off"),
        ("The club is expected to loose its manager this summer.", "loose", "lose"),
        ("A goat broke lose from its pen at the Harwick show.", "lose", "loose"),
        ("Voters said they where angry about the closure.", "where", "were"),
        ("Their is no plan to reopen the pier in Esterby.", "Their", "There"),
        ("The strike had no affect on the timetable.", "affect", "effect"),
        ("Councillors could not decide weather to close the library.", "weather", "whether"),
        ("He said he would chose a new captain before the final.", "chose", "choose"),
        ("Growth was slower, the minister said, and it was sad last week that taxes would rise.", "sad", "said"),
        ('"We will rebuild," Ruiz sad on Monday.', "sad", "said"),
        ("Mr Okafor and they Harwick council met on Monday.", "they", "the"),
        ("The striker, how had scored twice, was replaced at half-time.", "how", "who"),
        ("The figures were not it fact final.", "it", "in"),
        ("The plan is late, but in doesn't matter, she said.", "in", "it"),
        ("He in expected to sign a new contract.", "in", "is"),
        ("The panel was investigating his over the claims.", "his", "him"),
        ("The festival will return next years with a larger stage.", "years", "year"),
        ("Sales fell sharply last years.", "years", "year"),
    ],
)
def test_grammar_cues(text: str, written: str, intended: str) -> None:
    assert findings(text) == [(written, intended, "warning")]


@pytest.mark.parametrize(
    "text",
    [
        "She wrote of the floods in her memoir.",
        "It is an honour to serve the town, she said.",
        "The deal was an important step for Ashby.",
        "Students who need help with is and are in English can ask.",
        "He said the council would of course review the plan.",
        "The price was less than .05 of a share.",
        "Turnout was far higher than... well, anyone expected.",
        "The ferry leaves in May by the harbour wall.",
        "We too have made our views clear.",
        "Most if not all of the stalls had closed.",
        "Their own survey found the same.",
        "Stormy weather is expected on Friday.",
        "They chose a new captain on Friday.",
        "They were sad, and the town mourned.",
        "They said Harwick would win.",
        "The film was judged too American by the panel.",
        "Asked how he had done it, he smiled.",
        "It is unclear if the plan will work.",
        "Sales rose in the last years of the decade.",
        "The flood came in fact earlier than forecast.",
        "She said he in turn would resign.",
        "The title is his to lose.",
    ],
)
def test_grammar_cues_leave_sound_uses_alone(text: str) -> None:
    assert findings(text) == []


@pytest.mark.parametrize(
    "text",
    ['"We were sad," he said.', "They were sad, and the town of Ashby mourned.", 'It was a "sad" day, she said.'],
)
def test_sad_used_correctly_stays_clean(text: str) -> None:
    assert findings(text) == []


@needs_window
def test_sentence_start_keeps_capital_in_replacement() -> None:
    assert findings("Pubic support for the plan has grown.") == [("Pubic", "Public", "warning")]
    assert findings("Its been a hard year for the club.") == [("Its", "It's", "warning")]


def test_fix_is_unsafe_and_span_is_the_word() -> None:
    text = "The troops withdrew form the town."
    (finding,) = lint_text(text, select=[RULE])
    assert finding.fix is not None
    assert finding.fix.applicability is Applicability.UNSAFE
    assert (finding.span.start, finding.span.end) == (20, 24)
    assert finding.severity is Severity.WARNING


def test_threshold_factor_tunes_sensitivity() -> None:
    text = "Turnout in Esterby was higher then expected."
    assert findings(text, options={RULE: {"threshold_factor": 1e9}}) == []
    assert findings(text, options={RULE: {"threshold_factor": 1.0}}) == [("then", "than", "warning")]


def test_bad_threshold_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        lint_text("Some text.", select=[RULE], options={RULE: {"threshold": 0.5}})


def test_house_words_are_never_flagged() -> None:
    text = "Flood waters receded form the valley town."
    assert findings(text, words=frozenset({"form"})) == []


def test_word_glued_to_a_hyphen_is_left_alone() -> None:
    assert findings("The pro-form lobby met in Ashby.") == []


def _lexicon(raw: str) -> object:
    data = parse_rule_file("desk/confusion.toml", raw)
    return data.lexicons[0]


def test_lexicon_sets_and_cues_are_merged() -> None:
    lexicon = parse_lexicons(
        [
            _lexicon('kind = "lexicon"\nrule = "confusion/real-word"\n[entries]\nsets = [["lintel", "lentil"]]\n'),
            _lexicon(
                'kind = "lexicon"\nrule = "confusion/real-word"\n[entries]\n'
                'sets = [{ words = ["lintel", "lentil"], threshold = 5 }]\nignore = ["Lentil"]\n'
            ),
        ]
    )
    assert lexicon.alternatives["lintel"] == (("lentil", 5.0),)
    assert "lentil" in lexicon.ignore


def test_written_thresholds_rate_each_direction_of_a_set() -> None:
    lexicon = parse_lexicons(
        [
            _lexicon(
                'kind = "lexicon"\nrule = "confusion/real-word"\n[entries]\n'
                'sets = [{ words = ["lintel", "lentil", "lental"], threshold = 50, written_thresholds = { lentil = 7 } }]\n'
            )
        ]
    )
    # 'lentil' written is flagged on weaker evidence than 'lintel' or 'lental' written.
    assert dict(lexicon.alternatives["lentil"]) == {"lintel": 7.0, "lental": 7.0}
    assert dict(lexicon.alternatives["lintel"]) == {"lentil": 50.0, "lental": 50.0}


def test_written_limits_which_members_are_flagged() -> None:
    lexicon = parse_lexicons(
        [
            _lexicon(
                'kind = "lexicon"\nrule = "confusion/real-word"\n[entries]\n'
                'sets = [{ words = ["lintel", "lentil"], written = ["lintel"] }]\n'
            )
        ]
    )
    assert dict(lexicon.alternatives["lintel"]) == {"lentil": None}
    assert "lentil" not in lexicon.alternatives


@needs_window
def test_an_before_a_consonant_is_a_slip_for_a_and_a_before_a_vowel_is_left_to_grammar() -> None:
    assert findings("Library news\n\nThe council approved an plan for a new library.") == [("an", "a", "warning")]
    assert findings("Library news\n\nFarmers lost cattle an sheep in the floods.") == [("an", "and", "warning")]
    assert findings("Library news\n\nThe council approved a idea for a new library.") == []
    assert findings("Library news\n\nShe was an 18-year-old student when she won an award.") == []


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ('sets = [["alone"]]', "two or more different words"),
        ('sets = [["fair", "fair"]]', "two or more different words"),
        ('sets = [["ice cream", "iced"]]', "not a single word"),
        ('sets = [{ words = ["bale", "able"], threshold = 0 }]', "at least 1"),
        ('sets = [{ words = ["bale", "able"], written_thresholds = { bale = 0.5 } }]', "at least 1"),
        ('sets = [{ words = ["bale", "able"], written_thresholds = { table = 5 } }]', "not in the set"),
        ('sets = [{ words = ["bale", "able"], written_thresholds = 5 }]', "member word = threshold"),
        ('sets = [{ words = ["bale", "able"], written = ["table"] }]', "one or more words of the set"),
        ('sets = [{ words = ["bale", "able"], written = [] }]', "one or more words of the set"),
        ('colour = ["x"]', "unknown entries key"),
        ('[[entries.cues]]\nwritten = "its"\nintended = "its"\nnext = ["own"]', "corrects a word to itself"),
        ('[[entries.cues]]\nwritten = "sad"\nintended = "said"', "needs a list of next words"),
        ('[[entries.cues]]\nwritten = "sad"\nintended = "said"\nafter_name = "yes"', "true or false"),
    ],
)
def test_bad_lexicon_is_reported_with_path_and_line(entries: str, message: str) -> None:
    raw = f'kind = "lexicon"\nrule = "confusion/real-word"\n[entries]\n{entries}\n'
    with pytest.raises(RuleFileError, match=rf"^desk/confusion\.toml:\d+: .*{message}"):
        parse_lexicons([_lexicon(raw)])


def test_desk_lexicon_extends_the_rule(tmp_path: Path) -> None:
    folder = tmp_path / "house"
    folder.mkdir()
    (folder / "extra.toml").write_text(
        'kind = "lexicon"\nrule = "confusion/real-word"\n[entries]\nsets = [{ words = ["mist", "missed"], threshold = 2 }]\n',
        encoding="utf-8",
    )
    text = "The striker mist the penalty in the final minute."
    assert findings(text) == []
    assert findings(text, rule_dirs=(folder,)) == [("mist", "missed", "warning")]


def test_one_edit_and_variants() -> None:
    assert ngrams.one_edit_apart("form", "from")
    assert ngrams.one_edit_apart("has", "as")
    assert ngrams.one_edit_apart("sad", "said")
    assert not ngrams.one_edit_apart("form", "farms")
    assert is_variant("system", "systems")
    assert is_variant("favor", "favour")
    assert not is_variant("form", "from")


def test_neighbour_table_leaves_out_inflections_and_national_spellings() -> None:
    words = ["favor", "favors", "favour", "flavor", "sister", "system", "systems"]
    table = ngrams.neighbour_table(words, [1e7] * len(words))
    by_word = dict(zip(words, table, strict=True))
    assert [words[i] for i in by_word["favor"]] == ["flavor"]
    assert by_word["system"] == []


def test_model_is_cached_and_reloaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    uni = tmp_path / "uni.txt"
    bi = tmp_path / "bi.txt"
    uni.write_text("the 1000\nform 50\nfrom 400\ntown 60\nA 5\n", encoding="utf-8")
    bi.write_text("the town 900\nfrom the 800\nform the 10\n", encoding="utf-8")
    data = ngrams.build_data(uni, bi)
    model = ngrams.NgramModel(data)
    assert model.word_id("A") == -1
    assert model.pair(model.word_id("from"), model.word_id("the")) == 800.0
    assert model.pair(model.word_id("the"), model.word_id("from")) == 0.0
    assert model.neighbours(model.word_id("the")) == []
    cache = tmp_path / "cache" / "model.marshal"
    ngrams._write_cache(cache, data)
    again = ngrams._read_cache(cache)
    assert again == data
    reloaded = ngrams.NgramModel(again)
    assert [reloaded.word_id(w) for w in ("form", "from", "the", "town", "tow")] == [
        model.word_id(w) for w in ("form", "from", "the", "town", "tow")
    ]
    assert reloaded.pair(reloaded.word_id("from"), reloaded.word_id("the")) == 800.0
    whole = cache.read_bytes()
    cache.write_bytes(whole[:-5])  # cut short, as by a full disk
    assert ngrams._read_cache(cache) is None
    cache.write_bytes(b"")
    assert ngrams._read_cache(cache) is None
    cache.write_bytes(b"not a model")
    assert ngrams._read_cache(cache) is None


def test_sorted_words_are_read_in_place_and_found_by_id() -> None:
    words = ["as", "at", "form", "from", "has"]
    data = ngrams.NgramData(
        words="".join(w + "\n" for w in words).encode("ascii"),
        word_starts=array.array("I", [0, 3, 6, 11, 16, 20]).tobytes(),
        unigrams=b"",
        bigram_keys=b"",
        bigram_counts=b"",
        neighbours=b"",
        neighbour_offsets=b"",
        suffixes="",
        suffix_mass=b"",
        word_suffixes=b"",
        class_keys=b"",
        class_counts=b"",
        floor=1.0,
        total=1.0,
    )
    sorted_words = ngrams.NgramModel(data).words
    assert list(sorted_words) == words and len(sorted_words) == 5
    assert sorted_words[-1] == "has" and sorted_words[1:3] == ["at", "form"]
    assert [sorted_words.index_of(w) for w in [*words, "a", "fro", "hat", "zz", ""]] == [0, 1, 2, 3, 4, -1, -1, -1, -1, -1]
    with pytest.raises(IndexError):
        sorted_words[5]
    sorted_words.SPLIT_AFTER = 1  # as in a batch: split into a list, with the same answers
    assert [sorted_words.index_of(w) for w in [*words, "a", "fro", "hat", "zz", ""]] == [0, 1, 2, 3, 4, -1, -1, -1, -1, -1]
    assert sorted_words._list == words and sorted_words[-1] == "has" and sorted_words[1:3] == ["at", "form"]


def test_missing_count_files_are_a_copylint_error(tmp_path: Path) -> None:
    with pytest.raises(ngrams.ModelError):
        ngrams.build_data(tmp_path / "none.txt", tmp_path / "none2.txt")


# The window stage: listed alternatives the word pairs favour are weighed with the trigram model.
@needs_window
@pytest.mark.parametrize(
    ("text", "written", "intended"),
    [
        ("Storm hits Dunmore\n\nThe bridge will stay closed until the end if March.", "if", "of"),
        ("Storm hits Dunmore\n\nRescue crews worked though the night to reach the village.", "though", "through"),
        ("Storm hits Dunmore\n\nHe has been charged which fraud, police in Dunmore said.", "which", "with"),
        ("Storm hits Dunmore\n\nVillagers said there homes had been flooded twice this year.", "there", "their"),
    ],
)
def test_function_word_slips_are_weighed_in_a_window(text: str, written: str, intended: str) -> None:
    assert findings(text) == [(written, intended, "warning")]


@pytest.mark.parametrize(
    "text",
    [
        "Storm hits Dunmore\n\nOfficials in Harnsby said the bridge is closed after the storm.",
        "Storm hits Dunmore\n\nRescue crews worked through the night to reach the village.",
        "Storm hits Dunmore\n\nShe was elected to the council in 2019 and is now its leader.",
        "Storm hits Dunmore\n\nThe company said it expected to hire 300 staff in Wexley.",
    ],
)
def test_window_stage_leaves_sound_function_words_alone(text: str) -> None:
    assert findings(text) == []


def test_window_reads_figures_skips_commas_and_stops_at_the_sentence() -> None:
    from copylint.checks.confusion import _window
    from copylint.trigrams import BOUNDARY

    document = parse_plain("Storm hits Dunmore\n\nIt rained. In 2019, the river rose in the town.")
    tokens = document.blocks[1].tokens
    at = [t.text for t in tokens].index("rose")
    assert _window(tokens, at) == (["the", "river"], ["in", "the"])
    first = [t.text for t in tokens].index("In")
    assert _window(tokens, first) == ([BOUNDARY], ["two", "the"])
    last = [t.text for t in tokens].index("town")
    assert _window(tokens, last) == (["in", "the"], [BOUNDARY])


@pytest.mark.parametrize(
    ("figure", "spoken"),
    [
        ("18-year-old", "eighteen"),
        ("8Mbps", "eight"),
        ("11th", "eleven"),
        ("21", "twenty"),
        ("1998", "nineteen"),
        ("2006", "two"),
        ("800", "eight"),
        ("11,000", "eleven"),
        ("1500", "fifteen"),
    ],
)
def test_a_figure_counts_in_the_window_as_its_first_word_read_aloud(figure: str, spoken: str) -> None:
    from copylint.checks.confusion import spoken_start

    assert spoken_start(figure) == spoken


@needs_window
def test_slip_before_a_figure_is_caught() -> None:
    assert findings("Storm hits Dunmore\n\nThe strike runs form 6 to 9 January.") == [("form", "from", "warning")]


@needs_window
def test_trigram_window_score_prefers_the_likely_word() -> None:
    from copylint.trigrams import BOUNDARY, load_trigrams

    model = load_trigrams()
    assert model is not None
    assert model.window_score(["troops", "retreated"], "from", ["the", "town"]) > model.window_score(
        ["troops", "retreated"], "form", ["the", "town"]
    )
    # A sentence edge ends the window: nothing past it is scored.
    assert model.window_score([BOUNDARY], "the", [BOUNDARY, "x"]) == model.window_score([BOUNDARY], "the", [BOUNDARY])


def test_without_the_trigram_model_the_word_pairs_decide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(trigrams, "model_path", lambda: None)
    assert trigrams.load_trigrams() is None
    text = "Storm hits Dunmore\n\nRebels withdrew form the village on Sunday."
    assert findings(text) == [("form", "from", "warning")]
    assert findings(text, options={RULE: {"trigram_weight": 0.0}}) == [("form", "from", "warning")]


def test_bad_trigram_weight_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="trigram_weight"):
        findings("Rebels withdrew form the village.", options={RULE: {"trigram_weight": 1.5}})
