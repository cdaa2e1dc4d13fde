"""Rule data files: every bundled file loads; mistakes are reported as path:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from copylint.errors import RuleFileError
from copylint.loader import load_builtin, load_user_directory, parse_rule_file
from copylint.rule import DOC_SECTIONS
from copylint.ruleset import all_rules

VALID = """id = "style/test-rule"
kind = "substitution"
severity = "warning"
summary = "s"
message = "m {match}"

[doc]
what = "w"
why = "y"
example = "e"
use_instead = "u"
fix_safety = "f"

[swap]
"utilise" = "use"
"""


def test_bundled_rules_load_with_unique_ids_and_full_docs() -> None:
    rules = all_rules(load_builtin())
    ids = [r.id for r in rules]
    assert len(ids) == len(set(ids))
    for rule in rules:
        category, name = rule.id.split("/", 1)
        assert category == rule.category.value and name == name.lower() and " " not in name
        assert rule.summary.strip()
        assert rule.doc.missing_sections() == [], rule.id
        assert all(getattr(rule.doc, section).strip() for section in DOC_SECTIONS)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (VALID.replace('kind = "substitution"', 'kind = "subs"'), 2, "'kind' must be one of"),
        (VALID.replace('severity = "warning"', 'severity = "loud"'), 3, "unknown severity"),
        (VALID.replace('id = "style/test-rule"', 'id = "Style Test"'), 1, "must look like 'category/kebab-name'"),
        (VALID.replace('id = "style/test-rule"', 'id = "weather/rain"'), 1, "unknown category 'weather'"),
        (VALID.replace('"utilise" = "use"', '"utilise" = "utilise"'), 15, "replaced by itself"),
        (VALID.replace('summary = "s"', 'summary = "s"\ncolour = "red"'), 5, "unknown key for kind substitution: colour"),
        (VALID.replace('fix_safety = "f"\n', ""), 7, "'fix_safety' must be a non-empty string"),
        (VALID + "[broken\n", 16, "invalid TOML"),
    ],
)
def test_bad_rule_files_report_path_and_line(text: str, line: int, message: str) -> None:
    with pytest.raises(RuleFileError) as caught:
        parse_rule_file("house/test.toml", text)
    assert str(caught.value).startswith(f"house/test.toml:{line}: ")
    assert message in str(caught.value)


def test_bad_regex_in_pattern_rule(tmp_path: Path) -> None:
    text = VALID.replace('kind = "substitution"', 'kind = "pattern"').replace('[swap]\n"utilise" = "use"\n', "")
    text = text.replace('message = "m {match}"', "message = \"m\"\npattern = '(unclosed'")
    with pytest.raises(RuleFileError, match=r"test\.toml:\d+: invalid regular expression"):
        parse_rule_file("test.toml", text)


def test_existence_rule_finds_phrases_and_patterns() -> None:
    text = VALID.replace('kind = "substitution"', 'kind = "existence"').replace('[swap]\n"utilise" = "use"\n', "")
    text = text.replace(
        'message = "m {match}"', "message = \"Avoid '{match}'\"\nphrases = [\"going forward\"]\npatterns = ['\\bsynerg\\w+']"
    )
    (rule,) = parse_rule_file("t.toml", text).rules
    from copylint.document import Document
    from copylint.finding import Severity, Span
    from copylint.rule import RuleContext

    body = "Going forward the synergies are clear; forwarding is fine."
    doc = Document(body, [(Span(0, len(body)), "paragraph")])
    found = [(body[f.span.start : f.span.end], f.message) for f in rule.check(doc, RuleContext(Severity.WARNING))]
    assert found == [("Going forward", "Avoid 'Going forward'"), ("synergies", "Avoid 'synergies'")]


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(VALID, encoding="utf-8")
    (tmp_path / "b.toml").write_text(VALID, encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"b\.toml:1: rule id 'style/test-rule' is already defined"):
        load_user_directory(tmp_path)


def test_wordlist_and_lexicon_kinds() -> None:
    words = parse_rule_file("w.toml", 'kind = "wordlist"\nwords = ["Treharne", "Qaraghandy"]\n')
    assert words.words == frozenset({"Treharne", "Qaraghandy"}) and words.rules == ()
    lexicon = parse_rule_file("l.toml", 'kind = "lexicon"\nrule = "style/doubled-word"\nentries = [["a", "b"]]\n')
    (lex,) = lexicon.lexicons
    assert lex.rule == "style/doubled-word" and lex.entries == [["a", "b"]]
    assert str(lex.error("bad entry", "entries")).startswith("l.toml:3: bad entry")


def test_missing_rule_directory(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError, match="does not exist"):
        load_user_directory(tmp_path / "nope")
