"""The promo/... family: cues as data, structural evidence, deletion fixes, lexicon validation and the cue cache.

Every text here is invented (towns, people and headlines included); fixture files with more cases live in
tests/fixtures/rules/promo/.
"""

from __future__ import annotations

import marshal
import re
import subprocess
import sys
import tomllib
import unicodedata
from pathlib import Path

import pytest

from copylint.checks.promo import (
    _JUNK,
    _LEAD_MARK,
    _LEAD_MARK_SCAN,
    _WORD_END,
    _WORD_END_STDLIB,
    PROMO_RULES,
    CueSet,
    LazyPattern,
    _cue_regex,
    compile_cues,
    cue_prefixes,
    find_promos,
)
from copylint.config import Config
from copylint.document import LineIndex
from copylint.errors import RuleFileError
from copylint.finding import Applicability
from copylint.fixes import allowed_applicabilities, apply_edits, fix_until_stable
from copylint.formats import plaintext
from copylint.loader import Lexicon, builtin_rules_root
from copylint.rule import DOC_SECTIONS
from copylint.ruleset import build_ruleset

from .conftest import lint_text, run_cli

PROMO_DIR = Path(builtin_rules_root()) / "promo"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "wire_story.txt"

STORY = (
    "Floodwater cuts off Kellan Isle\n"
    "\n"
    "Floodwater cut off Kellan Isle on Sunday after the river Amsel burst its banks, the coastguard said.\n"
    "\n"
    "About 400 residents were without power, according to Valdoro county officials.\n"
    "\n"
    "Read  Ferry operator raises fares for winter crossings\n"
    "\n"
    "\u201cWe are moving generators across as fast as we can,\u201d county spokeswoman Mira Tal said.\n"
    "\n"
    "By: Valdoro Press\n"
)


def promo_findings(text: str) -> list:  # type: ignore[type-arg]
    """Findings of the whole promo family on ``text``."""
    return [f for f in lint_text(text, select=["promo"]) if f.category == "promo"]


def flagged(text: str) -> list[tuple[str, str]]:
    """(rule, flagged text) pairs."""
    return [(f.rule, text[f.span.start : f.span.end]) for f in promo_findings(text)]


def unsafe_fix(text: str) -> str:
    """``text`` after applying every promo fix, unsafe ones included, until it settles."""

    def lint(current: str) -> list:  # type: ignore[type-arg]
        return promo_findings(current)

    return fix_until_stable(text, lint, allowed_applicabilities(unsafe=True)).text


# --- the motivating case ---------------------------------------------------------------------------------


def test_read_plus_unrelated_headline_is_the_only_promo_and_is_deleted_with_its_blank_line() -> None:
    findings = promo_findings(STORY)
    assert [(f.rule, STORY[f.span.start : f.span.end]) for f in findings] == [
        ("promo/read-more", "Read  Ferry operator raises fares for winter crossings")
    ]
    finding = findings[0]
    assert LineIndex(STORY).position(finding.span.start) == (7, 1)
    assert finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE
    fixed = apply_edits(STORY, finding.fix.edits)
    assert fixed == STORY.replace("Read  Ferry operator raises fares for winter crossings\n\n", "")
    assert "\n\n\n" not in fixed


def test_safe_fixes_alone_leave_the_promo_in_place() -> None:
    outcome = fix_until_stable(STORY, promo_findings, allowed_applicabilities(unsafe=False))
    assert outcome.text == STORY


@pytest.mark.skipif(not SEED.exists(), reason="needs ../shared/seed (not in a fresh clone)")
def test_seed_story_read_paragraph_is_flagged_and_nothing_else() -> None:
    text = SEED.read_text(encoding="utf-8")
    findings = promo_findings(text)
    assert len(findings) == 1
    finding = findings[0]
    assert finding.rule == "promo/read-more"
    assert text[finding.span.start : finding.span.end].startswith("Read")
    block = text[finding.span.start : finding.span.end]
    assert finding.fix is not None
    fixed = apply_edits(text, finding.fix.edits)
    assert block not in fixed and "\n\n\n" not in fixed
    assert len(fixed) == len(text) - len(block) - 2


# --- placements and fixes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("glue", "deleted"),
    [(" ", " READ MORE: Ferry operator raises fares"), ("", "READ MORE: Ferry operator raises fares")],
)
def test_fragment_glued_to_a_paragraph_is_cut_with_the_space_before_it(glue: str, deleted: str) -> None:
    text = f"Floodwater cuts off Kellan Isle\n\nThe coastguard said the river rose.{glue}READ MORE: Ferry operator raises fares\n"
    findings = promo_findings(text)
    assert [(f.rule, text[f.span.start : f.span.end]) for f in findings] == [
        ("promo/read-more", "READ MORE: Ferry operator raises fares")
    ]
    assert findings[0].message.endswith("delete the fragment")
    assert unsafe_fix(text) == text.replace(deleted, "")


def test_last_paragraph_goes_with_the_blank_line_before_it() -> None:
    text = "Floodwater cuts off Kellan Isle\n\nThe river rose on Sunday.\n\nSign up for our morning briefing\n"
    assert flagged(text) == [("promo/newsletter", "Sign up for our morning briefing")]
    assert unsafe_fix(text) == "Floodwater cuts off Kellan Isle\n\nThe river rose on Sunday.\n"


def test_parenthesised_credit_mid_paragraph_is_cut_alone() -> None:
    text = "Floodwater cuts off Kellan Isle\n\nThe river rose. (Photo by Ana Ruiz/Valdoro Press) Crews arrived at dawn.\n"
    assert flagged(text) == [("promo/image-credit", "(Photo by Ana Ruiz/Valdoro Press)")]
    assert unsafe_fix(text) == "Floodwater cuts off Kellan Isle\n\nThe river rose. Crews arrived at dawn.\n"


def test_two_promos_in_a_row_both_go_and_the_text_settles() -> None:
    text = "Floodwater cuts off Kellan Isle\n\nThe river rose.\n\nAdvertisement\n\nRelated Stories\n\nCrews arrived at dawn.\n"
    assert flagged(text) == [("promo/advert", "Advertisement"), ("promo/read-more", "Related Stories")]
    assert unsafe_fix(text) == "Floodwater cuts off Kellan Isle\n\nThe river rose.\n\nCrews arrived at dawn.\n"


def test_headline_is_never_flagged() -> None:
    assert flagged("Watch: tall ships sail into Port Amsel\n\nThe regatta opened on Saturday.\n") == []


# --- look-alikes that must stay clean ---------------------------------------------------------------------

LOOK_ALIKES = [
    "\u201cRead the full report on the ministry's website,\u201d the minister told reporters.",
    "Read the full report on the ministry's website.",
    "Watch officials say the vote will be close.",
    "Watch what happens when the tide turns, the harbour master warned.",
    "Sign up for the evening course closes on Friday, the college said.",
    "Sign-up for the allotment scheme opens in May.",
    "Subscribers to the service rose 4 percent in the quarter.",
    "Read, a former miner, said the pit would close. Read said talks would resume on Monday.",
    "Related firms reported a profit of 9.4 million crowns.",
    "Related parties' loans 4.2 mln vs 1.8 mln",
    "Video rental shops in Valdoro closed last year.",
    "Share trading in Valdoro Mills resumes on Thursday.",
    "Listen to the whole interview on the county radio website.",
    "Click on the map to see each polling station, the page says.",
    "More than 40 people were hurt. Most read the warning too late.",
    "Follow-up talks are due in June. Following the vote, the council adjourned.",
    "Advertising revenue rose 5 percent. Sponsored by the council, the fair drew 4,000 visitors.",
    "The photo by Ana Ruiz won a regional prize. The mayor (pictured) cut the ribbon.",
    "Top stories this week included the flood in Valdoro.",
    "In pictures, the damage looks worse than it is, the mayor said.",
    "\u201cWatch: they will fold,\u201d he said. \u201cSubscribe to that theory if you like.\u201d",
]


@pytest.mark.parametrize("paragraph", LOOK_ALIKES)
def test_real_sentences_that_look_like_cues_stay_clean(paragraph: str) -> None:
    own = f"Floodwater cuts off Kellan Isle\n\nThe river rose on Sunday.\n\n{paragraph}\n"
    glued = f"Floodwater cuts off Kellan Isle\n\nThe river rose on Sunday. {paragraph}\n"
    assert flagged(own) == []
    assert flagged(glued) == []


def test_bare_read_needs_a_headline_about_something_else() -> None:
    # The same words as the story: more likely a sentence fragment about it than a link to another story.
    text = (
        "Ferry fares rise on Kellan Isle\n\nThe ferry operator raised fares on Kellan Isle.\n\n"
        "Read Ferry fares rise on Kellan Isle\n"
    )
    assert flagged(text) == []
    other = text.replace("Read Ferry fares rise on Kellan Isle", "Read Valdoro mill to hire 40 workers")
    assert flagged(other) == [("promo/read-more", "Read Valdoro mill to hire 40 workers")]


def test_bare_read_before_a_headline_in_capitals_needs_no_novel_words() -> None:
    text = "VALDORO MILLS Q3 NET\n\nValdoro Mills Inc said third quarter net rose.\n\nRead  VALDORO MILLS INC 4TH QTR NET\n"
    assert flagged(text) == [("promo/read-more", "Read  VALDORO MILLS INC 4TH QTR NET")]
    abbreviated = text.replace("VALDORO MILLS INC 4TH QTR NET", "OKLA. MILL, MINN. BANK SET MERGER")
    assert flagged(abbreviated) == [("promo/read-more", "Read  OKLA. MILL, MINN. BANK SET MERGER")]


def test_headline_tail_must_not_end_like_a_sentence() -> None:
    text = "Floodwater cuts off Kellan Isle\n\nThe river rose.\n\nRead Valdoro mill hires 40 workers.\n"
    assert flagged(text) == []
    assert flagged(text.replace("workers.", "workers in the U.S.")) == [
        ("promo/read-more", "Read Valdoro mill hires 40 workers in the U.S.")
    ]


# --- the data ----------------------------------------------------------------------------------------------


def _bundled_entries() -> list[tuple[str, dict]]:  # type: ignore[type-arg]
    entries = []
    for path in sorted(PROMO_DIR.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        entries.extend((data["rule"], entry) for entry in data["entries"])
    return entries


@pytest.mark.parametrize(("rule_id", "entry"), _bundled_entries(), ids=lambda v: v if isinstance(v, str) else v["cue"][:30])
def test_every_bundled_cue_example_is_flagged_by_its_rule(rule_id: str, entry: dict) -> None:  # type: ignore[type-arg]
    example = entry["example"]
    assert example, "every bundled cue needs an example"
    own = f"Floodwater cuts off Kellan Isle\n\nThe river rose on Sunday.\n\n{example}\n\nCrews arrived at dawn.\n"
    assert rule_id in {f.rule for f in promo_findings(own)}
    if not entry.get("anywhere"):
        glued = f"Floodwater cuts off Kellan Isle\n\nThe river rose on Sunday. {example}\n"
        assert rule_id in {f.rule for f in promo_findings(glued)}


def test_every_promo_rule_has_a_lexicon_and_full_docs() -> None:
    rules_with_data = {tomllib.loads(p.read_text(encoding="utf-8"))["rule"] for p in PROMO_DIR.glob("*.toml")}
    assert rules_with_data == {rule.id for rule in PROMO_RULES}
    for rule in PROMO_RULES:
        assert rule.doc.missing_sections() == [], rule.id
        assert all(getattr(rule.doc, name).strip() for name in DOC_SECTIONS)


def _lexicon(entries: object, raw: str = "") -> Lexicon:
    return Lexicon("promo/read-more", "house/promo.toml", entries, raw)


@pytest.mark.parametrize(
    ("entries", "raw", "message"),
    [
        ({"cue": "x"}, "entries = 1", "house/promo.toml:1: 'entries' must be an array of tables"),
        (
            [{"cue": "read on", "colour": "red"}],
            'kind = "lexicon"\ncue = "read on"',
            "house/promo.toml:2: unknown promo entry key(s): colour",
        ),
        ([{"cue": "read (on"}], 'kind = "lexicon"\n\ncue = "read (on"', "house/promo.toml:3: invalid regular expression"),
        (
            [{"cue": "read on", "tail": "long"}],
            'cue = "read on"\ntail = "long"',
            "house/promo.toml:2: 'tail' must be one of none, title",
        ),
        (
            [{"cue": "read on", "case": "odd"}],
            'cue = "read on"\ncase = "odd"',
            "house/promo.toml:2: 'case' must be one of any, capital",
        ),
        ([{"cue": "read on", "max_words": -1}], 'cue = "read on"', "house/promo.toml:1: 'max_words' must be a whole number"),
        ([{"cue": "(on)", "anywhere": True, "tail": "any"}], 'cue = "(on)"', "house/promo.toml:1: an 'anywhere' cue"),
        ([{"cue": "x?"}], 'cue = "x?"', "house/promo.toml:1: cue 'x?' matches empty text"),
        ([{"tail": "any"}], "[[entries]]", "house/promo.toml:1: promo entry needs 'cue'"),
    ],
)
def test_bad_lexicon_entries_are_reported_with_path_and_line(entries: object, raw: str, message: str) -> None:
    with pytest.raises(RuleFileError) as caught:
        compile_cues((_lexicon(entries, raw),), use_cache=False)
    assert str(caught.value).startswith(message)


def test_a_desk_can_add_cues_in_its_own_rule_folder(tmp_path: Path) -> None:
    folder = tmp_path / "house"
    folder.mkdir()
    (folder / "promo.toml").write_text(
        'kind = "lexicon"\nrule = "promo/read-more"\n\n[[entries]]\ncue = \'lire aussi\'\ntail = "any"\n', encoding="utf-8"
    )
    text = "Floodwater cuts off Kellan Isle\n\nThe river rose.\n\nLire aussi : Le port de Valdoro rouvre\n"
    ruleset = build_ruleset(Config(select=("promo/read-more",), rule_dirs=(folder,)))
    document = plaintext.parse(text, "t")[0]
    active = ruleset.active[0]
    found = list(active.rule.check(document, active.context))
    assert [text[f.span.start : f.span.end] for f in found] == ["Lire aussi : Le port de Valdoro rouvre"]


def test_prefixes_are_derived_from_the_cue_patterns() -> None:
    cues = compile_cues((_lexicon([{"cue": "read more"}, {"cue": "(?:related|more) stories"}]),), use_cache=False)
    assert cues.cues[0].prefixes == ("read mor",)
    assert cues.cues[1].prefixes == ("more sto", "related")
    lexicon = _lexicon([{"cue": "[«»] ?lire aussi", "tail": "any"}])
    assert cue_prefixes(compile_cues((lexicon,), use_cache=False).cues[0].pattern.regex_pattern()) is None


def test_self_contained_cues_opening_with_a_bracket_are_found_by_a_substring_test() -> None:
    bracketed = [{"cue": r"\([^)]*photo[^)]*\)", "anywhere": True}, {"cue": r"\[[^\]]*image[^\]]*\]", "anywhere": True}]
    cues = compile_cues((_lexicon(bracketed),), use_cache=False)
    assert cues.anywhere_marks == ("(", "[")
    worded = compile_cues((_lexicon([*bracketed, {"cue": r"photo credit: \w+", "anywhere": True}]),), use_cache=False)
    assert worded.anywhere_marks is None  # "Phot" is not one character: the scanner's pattern says where
    text = "Headline\n\nThe mayor cut the ribbon [Image by Ana Ruiz] on Monday (Photo: Ana Ruiz)."
    document = plaintext.parse(text, "t")[0]
    found = [text[p.span.start : p.span.end] for p in find_promos(document, cues)]
    assert found == ["[Image by Ana Ruiz]", "(Photo: Ana Ruiz)"]


def test_cues_without_a_literal_prefix_still_match_through_the_slow_path() -> None:
    cues = compile_cues((_lexicon([{"cue": "[«»] ?lire aussi", "tail": "any", "case": "any"}]),), use_cache=False)
    assert cues.head is None and cues.slow_starts is not None
    text = "Floodwater cuts off Kellan Isle\n\nThe river rose. « lire aussi : Le port rouvre\n"
    document = plaintext.parse(text, "t")[0]
    assert [text[p.span.start : p.span.end] for p in find_promos(document, cues)] == ["« lire aussi : Le port rouvre"]


@pytest.mark.parametrize(
    ("cue", "expected"),
    [
        ("read more", r"read\s+more"),
        ("read  more ?:", r"read\s+\s+more\s*:"),
        ("e ?-mail me *now", r"e\s*-mail\s+me\s*now"),
        ("a ??b", r"a\s*?b"),
        ("[ab ]c d", r"[ab ]c\s+d"),
        (r"[\] ]x y", r"[\] ]x\s+y"),
        (r"a\ b c", r"a\ b\s+c"),
        ("[open class", "[open class"),
        ("end \\", "end\\s+\\"),  # a lone backslash at the end stays
        ("trailing \\ ", r"trailing\s+\ "),  # an escaped space stays a space
        ("lone\\", "lone\\"),
    ],
)
def test_cue_spaces_become_runs_of_whitespace_outside_classes_and_escapes(cue: str, expected: str) -> None:
    assert _cue_regex(cue) == f"(?:{expected}){_WORD_END}"


# --- which engine compiles a cue ------------------------------------------------------------------------


def test_plain_cues_compile_with_the_stdlib_re() -> None:
    pattern = LazyPattern(_cue_regex("read more")).get()
    assert isinstance(pattern, re.Pattern)
    assert [bool(pattern.match(text)) for text in ("READ  MORE:", "Read more", "Read mores", "Read moreé", "Read more2")] == [
        True,
        True,
        False,
        False,
        False,
    ]


def test_the_word_end_means_the_same_to_re_as_to_regex_on_every_assigned_character() -> None:
    regex = pytest.importorskip("regex")
    assigned = [chr(i) for i in range(sys.maxunicode + 1) if unicodedata.category(chr(i)) != "Cn"]
    text = "a" + "a".join(assigned) + "a"  # each character after a letter and before one
    by_regex = [m.start() for m in regex.finditer(_WORD_END, text, regex.IGNORECASE)]
    by_re = [m.start() for m in re.finditer(_WORD_END_STDLIB, text, re.IGNORECASE)]
    assert by_re == by_regex


def test_the_scanning_form_of_the_lead_matches_as_the_plain_one() -> None:
    import random

    cue = r"(?P<cue>R[Ee][Aa][Dd]|In|W)"
    plain = re.compile(rf"(?P<lead>{_LEAD_MARK})[ \t\u00a0]*{_JUNK}{cue}")
    scanning = re.compile(rf"(?P<lead>{_LEAD_MARK_SCAN})[ \t\u00a0]*{_JUNK}{cue}")
    alphabet = [*".!?…\"”’')][( \t\u00a0\n/|»•*-–—x", "Read", "In", "W", "READ"]
    rng = random.Random(7)
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 10)))
        found = [[(m.span(), m.span("lead"), m.span("cue")) for m in p.finditer(text)] for p in (plain, scanning)]
        assert found[0] == found[1], text


@pytest.mark.parametrize(
    ("cue", "matching", "other"),
    [
        (r"read \p{L}+", "Read Valdoro", "Read 2024"),  # re has no \p{..}
        (r"(?:reed){e<=1} more", "Read more", "Rent more"),  # re would take a fuzzy constraint for literal braces
        (r"read[[:digit:]]", "Read7", "Read:"),  # ...and a POSIX class for a nested set
        (r"(?<=^|\. )read on", "Read on", "Reading on"),  # variable-width lookbehind
    ],
)
def test_cues_in_syntax_only_regex_reads_compile_with_regex(cue: str, matching: str, other: str) -> None:
    pytest.importorskip("regex")
    pattern = LazyPattern(_cue_regex(cue)).get()
    assert not isinstance(pattern, re.Pattern)
    assert pattern.match(matching) is not None
    assert pattern.match(other) is None


def test_a_desk_cue_that_needs_regex_still_flags_its_promo() -> None:
    lexicon = _lexicon([{"cue": r"\p{L}+ picks", "tail": "title", "case": "any"}])
    cues = compile_cues((lexicon,), use_cache=False)
    text = "Floodwater cuts off Kellan Isle\n\nThe river rose.\n\nEDITOR PICKS Harbour Weekly\n"
    document = plaintext.parse(text, "t")[0]
    assert [text[p.span.start : p.span.end] for p in find_promos(document, cues)] == ["EDITOR PICKS Harbour Weekly"]
    assert not isinstance(cues.cues[0].pattern.get(), re.Pattern)


def test_checking_an_article_with_a_photo_credit_does_not_import_regex(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text(
        "Orvik ferry returns after storm repairs\n\n"
        "The Orvik ferry carried its first passengers in three weeks on Monday after storm repairs to the "
        "harbour wall were finished ahead of schedule. (Photo: Tomas Brell/Orvik Courier)\n\n"
        "\u201cPeople can get to work again,\u201d harbour master Ines Varga said. Crossings run every hour.\n",
        encoding="utf-8",
    )
    assert run_cli(["check", str(story)]).code == 1  # in-process first: the prefix cache is then warm
    code = "import sys; from copylint.cli import main; main(['check', sys.argv[1]]); print('regex' in sys.modules)"
    repo = Path(__file__).resolve().parents[1]  # the working directory comes first on the path: this copylint
    done = subprocess.run([sys.executable, "-c", code, str(story)], capture_output=True, text=True, check=False, cwd=repo)
    assert "[promo/image-credit]" in done.stdout, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False"


def _scanners(cues: CueSet) -> tuple[object, ...]:
    """What compile_cues works out (and caches) for a set of cues."""
    sources = tuple(s.source if s is not None else None for s in (cues.head, cues.body, cues.gate, cues.anywhere))
    return tuple(c.prefixes for c in cues.cues), sources, cues.start_prefixes


def test_prefixes_are_cached_per_set_of_cues(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPYLINT_CACHE_DIR", str(tmp_path))
    lexicon = _lexicon([{"cue": "read more", "tail": "any"}, {"cue": "related\\s*:", "tail": "any"}])
    first = compile_cues((lexicon,), use_cache=False)
    assert _scanners(compile_cues((lexicon,))) == _scanners(first)  # computed, then stored
    written = list(tmp_path.glob("promo-*.marshal"))
    assert len(written) == 1
    stored = marshal.loads(written[0].read_bytes())
    assert stored[0] == [("read mor",), ("related", "related:")]
    assert first.gate is not None and stored[1:] == (first.gate.source, None)
    assert _scanners(compile_cues((lexicon,))) == _scanners(first)  # read back
    written[0].write_bytes(b"not marshal")  # a damaged cache is rebuilt, never trusted
    assert _scanners(compile_cues((lexicon,))) == _scanners(first)
    assert marshal.loads(written[0].read_bytes()) == stored
    for wrong in ([["read mor"], 7], (stored[0], 7, None), (stored[0][:1], stored[1], None)):
        written[0].write_bytes(marshal.dumps(wrong))  # well-formed but not what is stored: rebuilt too
        assert _scanners(compile_cues((lexicon,))) == _scanners(first)
    capital = _lexicon([{"cue": "read more", "tail": "any", "case": "any"}, {"cue": "related\\s*:", "tail": "any"}])
    assert _scanners(compile_cues((capital,))) != _scanners(first)  # the case is part of what the cache is keyed by
    assert len(list(tmp_path.glob("promo-*.marshal"))) == 2


# --- the command line --------------------------------------------------------------------------------------


def test_cli_reports_and_unsafe_fix_removes_the_promo(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    result = run_cli(["check", "--select", "promo", str(path)])
    assert result.code == 1
    assert f"{path}:7:1: warning [promo/read-more]" in result.out
    fixed = run_cli(["check", "--select", "promo", "--fix", "--unsafe-fixes", str(path)])
    assert fixed.code == 0
    assert path.read_text(encoding="utf-8") == STORY.replace("Read  Ferry operator raises fares for winter crossings\n\n", "")


def test_explain_shows_every_section() -> None:
    result = run_cli(["explain", "promo/watch-video"])
    assert result.code == 0
    for heading in ("What it does", "Why it matters", "Example", "Use instead", "Fix safety"):
        assert heading in result.out
