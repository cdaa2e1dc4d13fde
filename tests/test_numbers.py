"""The numbers rules: quantity extraction, how findings point at both places, sources, and lexicon checks.

Every text here is invented (towns, people and figures). Flagged and clean cases for each rule live in
tests/fixtures/rules/numbers/; these tests check what the fixtures cannot express.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bench.corpus import Article
from bench.injectors.numbers import NumbersInjector
from copylint.checks.numbers import NUMBER_RULES
from copylint.errors import RuleFileError
from copylint.finding import Applicability, Severity
from copylint.formats import plaintext
from copylint.loader import Lexicon, load_builtin, parse_rule_file
from copylint.quantities import Bound, Extractor, Kind, Quantity, build_lexicon

from .conftest import lint_text, run_cli


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    """An extractor built from the bundled lexicons."""
    return Extractor(build_lexicon(load_builtin().lexicons_for("numbers/disagreement")))


def _quantities(extractor: Extractor, text: str) -> list[Quantity]:
    return extractor.quantities(plaintext.parse(text, "test")[0])


def _one(extractor: Extractor, text: str) -> Quantity:
    found = _quantities(extractor, text)
    assert len(found) == 1, [q.text for q in found]
    return found[0]


# -- extraction -------------------------------------------------------------------------------------------


def test_count_with_qualifier_noun_and_predicate(extractor: Extractor) -> None:
    q = _one(extractor, "Fire in Arlow\n\nAt least 58 people were killed in the fire.")
    assert (q.text, q.value, q.kind, q.bound, q.qualifier) == ("58", 58, Kind.COUNT, Bound.LOWER, "at least")
    assert (q.noun, q.generic, q.predicate) == ("people", True, "dead")
    assert q.low == 58 and q.high == float("inf")


def test_noun_class_from_lexicon(extractor: Extractor) -> None:
    q = _one(extractor, "Shaft search\n\nCrews recovered 12 bodies from the Darrow shaft.")
    assert q.noun == "dead" and not q.generic


def test_money_with_currency_and_scale(extractor: Extractor) -> None:
    text = "Port deal\n\nThe port agreed a £4.6m contract and a $1.25bn loan."
    found = _quantities(extractor, text)
    assert [(q.text, q.kind, q.unit, q.value) for q in found] == [
        ("£4.6m", Kind.MONEY, "£", 4.6e6),
        ("$1.25bn", Kind.MONEY, "$", 1.25e9),
    ]
    # "$1.25bn" allows rounding in its last place only
    assert found[1].low == pytest.approx(1.245e9) and found[1].high == pytest.approx(1.255e9)


def test_percent_forms(extractor: Extractor) -> None:
    text = "Poll\n\nSupport fell to 41% in May. A rival poll put it at 43 per cent. A third had 44 percent."
    assert [(q.text, q.kind, q.value) for q in _quantities(extractor, text)] == [
        ("41%", Kind.PERCENT, 41),
        ("43 per cent", Kind.PERCENT, 43),
        ("44 percent", Kind.PERCENT, 44),
    ]


def test_number_words(extractor: Extractor) -> None:
    text = "Rescue\n\nTwenty-five miners and half a dozen divers joined two hundred volunteers."
    assert [(q.text, q.value) for q in _quantities(extractor, text)] == [
        ("Twenty-five", 25),
        ("half a dozen", 6),
        ("two hundred", 200),
    ]


def test_vague_quantities_have_ranges(extractor: Extractor) -> None:
    q = _one(extractor, "Floods\n\nDozens of homes were flooded in Kelby.")
    assert q.vague and (q.low, q.high) == (20, 250) and q.noun == "homes"  # the lexicon's class name


def test_scores_alone_is_not_a_quantity(extractor: Extractor) -> None:
    assert _quantities(extractor, "Exams\n\nTest scores rose in Kelby schools.") == []


def test_years_dates_times_and_labels_are_not_counts(extractor: Extractor) -> None:
    text = (
        "Timetable\n\nIn 2019 the Route 66 bus left at 10:30 on March 3 and again at 9 am. "
        "Flight 214 was late. The Apollo 11 crew met on 4 May. Page 12 has the rest."
    )
    assert _quantities(extractor, text) == []


def test_ranges_and_scores_are_left_alone(extractor: Extractor) -> None:
    text = "Match\n\nBetween 10 and 15 fans were hurt. Arlow won 3-1. Some 20 to 30 stewards helped."
    assert _quantities(extractor, text) == []


def test_changes_are_marked(extractor: Extractor) -> None:
    text = "Toll\n\nThe toll rose to 21 from 12 on Monday. Another 9 bodies were found."
    assert [(q.text, q.changing) for q in _quantities(extractor, text)] == [("21", True), ("12", True), ("9", True)]


@pytest.mark.parametrize(("filler", "changing"), [(10, True), (11, False)])
def test_an_earlier_state_needs_a_change_verb_within_fifteen_words(extractor: Extractor, filler: int, changing: bool) -> None:
    # ``changing`` is worked out on first use from the words around the figure: the verb may sit at the very
    # edge of what it reads ("rose" 14 words before "from 1,200"), or just beyond it
    text = "Output\n\nOutput rose " + " ".join(["steadily"] * filler) + " to 1,500 tonnes from 1,200 tonnes in Kelby."
    assert [(q.text, q.changing) for q in _quantities(extractor, text)] == [("1,500", False), ("1,200", changing)]


def test_a_change_is_read_in_the_words_after_the_figure(extractor: Extractor) -> None:
    text = "Vote\n\n" + "Turnout was 12 versus 14 " + "in Kelby " * 20 + "and 16 against 18 seats."
    assert [(q.text, q.changing) for q in _quantities(extractor, text)] == [
        ("12", True), ("14", True), ("16", True), ("18", True)
    ]  # fmt: skip


def test_attribution_is_read_from_the_sentence(extractor: Extractor) -> None:
    found = _quantities(
        extractor,
        "Toll\n\nThe Kelby Observatory said 67 people were killed. According to police, 40 people were killed.",
    )
    assert [q.source for q in found] == ["observatory", "police"]


def test_partitive_needs_a_determiner(extractor: Extractor) -> None:
    found = _quantities(extractor, "Crash\n\nPolice said 12 of the passengers and dozens of people were hurt.")
    assert [(q.text, q.partitive, q.noun) for q in found] == [("12", True, "passenger"), ("dozens", False, "people")]


def test_ages_in_wire_style(extractor: Extractor) -> None:
    document = plaintext.parse("Council\n\nMayor Tessa Ruddle, 54, spoke. Ruddle, 45, left.", "test")[0]
    assert [(q.text, q.kind, q.noun, q.definite) for q in extractor.ages(document)] == [
        ("54", Kind.AGE, "ruddle", True),
        ("45", Kind.AGE, "ruddle", False),
    ]
    # each age's span is the sentence it is in, as Block.sentences splits the paragraph
    body = document.blocks[1]
    assert [q.sentence for q in extractor.ages(document)] == list(body.sentences)


def test_each_figure_gets_the_sentence_it_is_in(extractor: Extractor) -> None:
    text = (
        "Storm in Kelby\n\n"
        "Mr. Ofori said 14 homes flooded. No rain fell on Tuesday… Crews closed 23 roads! "
        "“Nine bridges shut,” Ms. Venn said.  Officials counted 31 trees down"
    )
    document = plaintext.parse(text, "test")[0]
    body = document.blocks[1]
    sentences = body.sentences
    assert len(sentences) == 5  # "Mr." and "Ms." end no sentence
    found = extractor.quantities(document)
    assert [(q.text, q.sentence) for q in found] == [
        ("14", sentences[0]),
        ("23", sentences[2]),
        ("Nine", sentences[3]),
        ("31", sentences[4]),
    ]
    # the sentence facts are read from that sentence's text, one object per sentence
    assert found[0].names == frozenset({"ofori"}) and found[3].names == frozenset()
    assert found[2].facts is not found[3].facts
    assert found[2].source == "venn"


def test_quantity_fields_and_lazy_facts_are_read_by_name(extractor: Extractor) -> None:
    q = _one(extractor, "Fire in Arlow\n\nPolice said another 12 people were hurt in Arlow.")
    assert (q.span.start, q.span.end, q.block, q.headline, q.definite, q.partitive) == (
        q.span.start,
        q.span.start + 2,
        1,
        False,
        False,
        False,
    )
    assert (q.source, q.places, q.changing) == ("police", frozenset({"arlow"}), True)
    assert "hurt" in q.context and "people" not in q.context


# -- findings ---------------------------------------------------------------------------------------------

_MINE = (
    "Mine collapse traps workers\n\n"
    "Crews found the bodies of 58 miners in the Darrow shaft on Monday.\n\n"
    "Rescue teams said the 85 miners had been trapped in the Darrow shaft since the weekend."
)


def test_disagreement_points_at_both_places_and_fixes_nothing() -> None:
    findings = lint_text(_MINE, select=["numbers/disagreement"])
    first, second = findings
    assert _MINE[first.span.start : first.span.end] == "58" and first.related == (second.span,)
    assert _MINE[second.span.start : second.span.end] == "85" and second.related == (first.span,)
    assert first.fix is not None and first.fix.applicability is Applicability.DISPLAY_ONLY
    assert first.suggestions == ("85",) and second.suggestions == ("58",)
    assert first.severity is Severity.WARNING
    assert "paragraph 2" in first.message


def test_majority_reading_is_not_flagged() -> None:
    text = (
        "Storm hits Brenhill\n\nThe storm damaged 1,240 homes in Brenhill.\n\n"
        "Repairs to the 1,420 homes damaged in Brenhill will take months.\n\n"
        "All 1,240 homes damaged by the storm were insured."
    )
    findings = lint_text(text, select=["numbers/disagreement"])
    assert [(text[f.span.start : f.span.end], f.replacements) for f in findings] == [("1,420", ("1,240",))]


def test_different_sources_get_only_an_info_note() -> None:
    text = (
        "Flood toll disputed\n\nPolice said 40 people were killed in the Kelby floods.\n\n"
        "The Kelby Relief Committee said 46 people were killed in the floods."
    )
    findings = lint_text(text, select=["numbers"])
    assert [(f.rule, f.severity, text[f.span.start : f.span.end]) for f in findings] == [
        ("numbers/disagreement", Severity.INFO, "46")
    ]
    assert "police" in findings[0].message and "committee" in findings[0].message


def test_different_sets_are_not_compared() -> None:
    text = (
        "Fire in Arlow\n\nAt least 58 people were killed in the fire, officials said.\n\n"
        "Another 12 people were hurt. In all, 85 people were taken to hospital."
    )
    assert [f for f in lint_text(text, select=["numbers"]) if f.severity >= Severity.WARNING] == []


def test_rounded_and_hedged_figures_agree() -> None:
    text = (
        "Quarry firm cuts about 1,200 jobs\n\nThe Ostley Stone company will cut 1,185 jobs at its quarries.\n\n"
        "Nearly 1,200 jobs will go by March, and the firm's £4.6m savings plan ends in 2027. The £4.63m plan was approved."
    )
    assert lint_text(text, select=["numbers"]) == []


def test_headline_body_points_at_headline() -> None:
    text = "Ferry fire in Lenmouth leaves 34 hurt\n\nA fire on a ferry in Lenmouth left 43 people hurt on Sunday."
    findings = lint_text(text, select=["numbers/headline-body"])
    assert [text[f.span.start : f.span.end] for f in findings] == ["34", "43"]
    assert "the headline" in findings[1].message
    assert lint_text(text, select=["numbers/disagreement"]) == []


def test_part_exceeds_whole_of_them() -> None:
    text = "Trawler sinks\n\nThe trawler had 9 crew members aboard. The coastguard said 11 of them were rescued."
    findings = lint_text(text, select=["numbers/part-exceeds-whole"])
    assert [(text[f.span.start : f.span.end], len(f.related)) for f in findings] == [("11", 1)]


def test_date_weekday_fix_is_unsafe() -> None:
    text = "Inquiry date set\n\nThe hearing opens on Friday, June 5, 2025, in Arlow."
    (finding,) = lint_text(text, select=["numbers/date-weekday"])
    assert finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE
    assert finding.replacements == ("Thursday",)
    assert "June 5, 2025 is a Thursday" in finding.message


def test_date_weekday_uses_the_dateline_year_nearest_the_story() -> None:
    # dated 30 December 2025: "Friday, January 2" is in 2026, when it is a Friday
    text = "ARLOW, Dec. 30, 2025 - Ferry strike called\n\nThe strike starts on Friday, January 2."
    assert lint_text(text, select=["numbers/date-weekday"]) == []
    wrong = text.replace("Friday", "Monday")
    (finding,) = lint_text(wrong, select=["numbers/date-weekday"])
    assert finding.replacements == ("Friday",)


def test_motivating_story_shape_gives_no_warning() -> None:
    """Different counts from different sources, with vague words that agree (invented, same shape)."""
    text = (
        "Militants kill scores in Dorvan\n\n"
        "Militants killed dozens of villagers while retreating from Dorvan.\n\n"
        "The bodies of at least 64 villagers, many of them shot, were found in Dorvan after the army retook it.\n\n"
        "At least 31 of the dead were found in a well.\n\n"
        "The Dorvan Rights Monitor said it had documented the killings of at least 112 people in the town.\n\n"
        "A local committee published the names of 64 villagers confirmed killed.\n\n"
        "The Monitor also said it documented at least 9 killed by army troops after they retook the town."
    )
    findings = lint_text(text, select=["numbers"])
    assert [f for f in findings if f.severity >= Severity.WARNING] == []


def test_every_numbers_rule_is_documented_with_an_example_it_flags() -> None:
    for rule in NUMBER_RULES:
        assert rule.doc.missing_sections() == [], rule.id
        assert rule.id.startswith("numbers/")
        assert [f for f in lint_text(rule.doc.example, select=[rule.id]) if f.rule == rule.id], rule.id
        assert [f for f in lint_text(rule.doc.use_instead, select=[rule.id]) if f.rule == rule.id] == [], rule.id


def test_cli_reports_numbers_with_related_line(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(_MINE, encoding="utf-8")
    result = run_cli(["check", "--select", "numbers", str(path)])
    assert result.code == 1
    assert "numbers/disagreement" in result.out


# -- lexicon data -----------------------------------------------------------------------------------------


def _lexicon(body: str) -> Lexicon:
    raw = 'kind = "lexicon"\nrule = "numbers"\n' + body
    (lexicon,) = parse_rule_file("desk/numbers.toml", raw).lexicons
    return lexicon


@pytest.mark.parametrize(
    ("body", "message", "line"),
    [
        ('[entries.vague]\n"a smattering" = [5, 2]\n', "needs [low, high]", 4),
        ('[entries.words]\n"a score" = "twenty"\n', "needs a positive number", 4),
        ('[entries.nouns]\ndead = ["dead"]\nhurt = ["dead"]\n', "is in both", 4),
        ("[entries.colours]\nred = 1\n", "unknown table", 3),
    ],
)
def test_bad_lexicon_entries_point_at_their_line(body: str, message: str, line: int) -> None:
    bundled = load_builtin().lexicons_for("numbers/disagreement")
    with pytest.raises(RuleFileError) as caught:
        build_lexicon((*bundled, _lexicon(body)))
    assert message in str(caught.value)
    assert str(caught.value).startswith(f"desk/numbers.toml:{line}:")


def test_desk_lexicon_extends_every_numbers_rule(tmp_path: Path) -> None:
    folder = tmp_path / "house-rules"
    folder.mkdir()
    (folder / "numbers.toml").write_text(
        'kind = "lexicon"\nrule = "numbers"\n[entries.vague]\n"a smattering" = [2, 8]\n', encoding="utf-8"
    )
    text = "Floods in Kelby\n\nA smattering of homes were flooded in Kelby.\n\nThe 40 homes flooded in Kelby stand by the river."
    assert lint_text(text, select=["numbers/vague-vs-exact"]) == []
    findings = lint_text(text, select=["numbers/vague-vs-exact"], rule_dirs=(folder,))
    assert [text[f.span.start : f.span.end] for f in findings] == ["A smattering"]


def test_bundled_lexicons_are_valid_and_sorted_sensibly() -> None:
    lexicon = build_lexicon(load_builtin().lexicons_for("numbers/disagreement"))
    assert lexicon.words[("twelve",)] == 12
    assert all(low <= high for low, high in lexicon.vague.values())
    assert not set(lexicon.nouns) & lexicon.generic  # a generic noun never names a class


def test_min_evidence_option_trades_recall_for_certainty() -> None:
    text = "Schools close\n\nSnow closed 12 schools in Arlow.\n\nThe 21 schools in Arlow will reopen next week."
    assert len(lint_text(text, select=["numbers/disagreement"])) == 2
    strict = {"numbers/disagreement": {"min_evidence": 9}}
    assert lint_text(text, select=["numbers/disagreement"], options=strict) == []


def test_different_periods_are_different_sets() -> None:
    text = "Floods\n\nFloods closed 12 schools in Arlow in March.\n\nThe 21 schools in Arlow closed in April."
    assert lint_text(text, select=["numbers/disagreement"]) == []


def test_a_full_date_in_the_body_is_not_a_dateline() -> None:
    # the story is undated; "June 1, 2026" is a payment date, not the year the weekday belongs to
    text = "Bond issue\n\nPayments start on June 1, 2026. Pricing is due on Wednesday, April 15, the bank said."
    assert lint_text(text, select=["numbers/date-weekday"]) == []


def test_part_far_bigger_than_whole_counts_something_else() -> None:
    text = "Car sales\n\nDealers held 35,000 of the two models in stock."
    assert lint_text(text, select=["numbers/part-exceeds-whole"]) == []


# -- second pass: extraction details ----------------------------------------------------------------------


def test_a_verb_before_a_counted_noun_takes_it_as_object(extractor: Extractor) -> None:
    text = "Steel\n\nArlow Steel will cut 4,500 jobs. The index rose 12 points. The club climbed seven places."
    assert [(q.text, q.changing) for q in _quantities(extractor, text)] == [
        ("4,500", False),
        ("12", True),
        ("seven", True),
    ]


def test_against_is_a_comparison_only_between_figures(extractor: Extractor) -> None:
    text = "Court\n\nPolice filed charges against two men. The deficit was 112 mln dlrs against 144 mln dlrs."
    assert [(q.text, q.changing) for q in _quantities(extractor, text)] == [
        ("two", False),
        ("112 mln dlrs", True),
        ("144 mln dlrs", True),
    ]


def test_a_conversion_in_brackets_is_stepped_over(extractor: Extractor) -> None:
    q = _quantities(extractor, "Deal\n\nHarlow Ferries agreed a $386m (£300m) deal to run the port.")[0]
    assert (q.text, q.noun) == ("$386m", "deal")


def test_hyphenated_modifiers_and_comparatives(extractor: Extractor) -> None:
    text = "Cars\n\nMakers sold 20,000 plug-in vehicles. Crops were 24% higher than in 2024."
    found = _quantities(extractor, text)
    assert [(q.text, q.noun, set(q.modifiers)) for q in found] == [
        ("20,000", "vehicle", {"plug", "in"}),
        ("24%", "", set()),
    ]


def test_a_year_before_a_comma_is_a_period(extractor: Extractor) -> None:
    q = _one(extractor, "Growth\n\nThe economy grew by 1.8% in 2025, the statistics office said on Friday.")
    assert q.years == {"2025", "friday"}


def test_headline_figure_restated_in_the_body_is_not_set_against_other_sums() -> None:
    # the headline's $11bn is in the lede; $17bn (one digit away) is another sum
    text = "Dorn Retail buys rival for $11bn\n\nDorn Retail is to buy Besk Stores for $11bn, bringing its total to $17bn."
    assert lint_text(text, select=["numbers"]) == []


# -- the bench injector -----------------------------------------------------------------------------------


def _article(headline: str, *paragraphs: str) -> Article:
    return Article("test", "test", headline, paragraphs)


def test_injector_picks_restatements_of_one_quantity() -> None:
    article = _article(
        "Mine rescue in Darrow",
        "Crews found 58 trapped miners in the Darrow shaft on Monday, rescuers said.",
        "The 58 trapped miners in the shaft were brought up by crews overnight.",
    )
    (pair,) = NumbersInjector().candidates(article)
    assert (pair.first.match.group(), pair.second.match.group(), pair.group) == ("58", "58", "count")
    injected = NumbersInjector().inject(article, random.Random(3))
    assert injected is not None and injected.injections[0].original == "58"


def test_injector_leaves_two_sets_alone() -> None:
    players = _article(
        "Arlow beat Besk",
        "Tom Mabry scored 16 points for Arlow as they beat Besk.",
        "Jon Kettle scored 16 points for Besk in the defeat.",
    )
    periods = _article(
        "Prices",
        "Kelby prices fell 0.6% in January, the statistics office said.",
        "Kelby prices had fallen 0.6% in December, the statistics office said.",
    )
    series = _article(
        "Cup run",
        "Arlow have won their last five meetings with Besk at home.",
        "Besk have lost their last five meetings with Arlow at home.",
    )
    assert [NumbersInjector().candidates(a) for a in (players, periods, series)] == [[], [], []]


def test_injector_pairs_a_headline_figure_with_the_lede() -> None:
    article = _article("Ferries in $368m port deal", "Harlow Ferries agreed a $368m deal to run the port.", "More later.")
    (pair,) = NumbersInjector().candidates(article)
    assert pair.group == "headline"


def test_a_time_word_after_a_share_or_sum_is_not_what_it_counts(extractor: Extractor) -> None:
    text = "Sales\n\nCar sales in Harwick fell 11 percent last month. Kelby will spend $4m next year on the $9m port."
    assert [(q.text, q.noun) for q in _quantities(extractor, text)] == [
        ("11 percent", ""),
        ("$4m", ""),
        ("$9m", "port"),
    ]
