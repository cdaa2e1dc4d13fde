"""Input formats: exact positions in the original file, what is and is not checked, byte-exact --fix, bad input.

Every fixture is invented wire copy. Only the starter rules run (doubled word, double space), so these
tests do not depend on the dictionaries other rules load.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from copylint.document import Segment, SourceMap
from copylint.finding import Span
from copylint.formats import FORMAT_BY_NAME, format_for, jsonfeed, markdown, nitf
from copylint.formats import html as html_format
from copylint.formats.jsonscan import JStr, loads
from copylint.formats.pieces import PieceBuilder, directives_in

from .conftest import run_cli

SELECT = ["--select", "typography/double-space,style/doubled-word"]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def check(path: Path, *extra: str) -> list[tuple[str, int, int, str]]:
    """(rule, line, column, flagged source text) of every finding, via the real CLI and its JSON output."""
    result = run_cli(["check", str(path), "--format", "json", *SELECT, *extra])
    assert result.code in (0, 1), result.err
    source = path.read_text(encoding="utf-8")
    files = json.loads(result.out)["files"]
    found = []
    for entry in files:
        for f in entry["findings"]:
            found.append((f["rule"], f["line"], f["column"], source[f["start"] : f["end"]]))
    return found


def fix(path: Path, *extra: str) -> str:
    result = run_cli(["check", str(path), "--fix", *SELECT, *extra])
    assert result.code in (0, 1), result.err
    return path.read_bytes().decode("utf-8")


# --- Markdown ------------------------------------------------------------------------------------------

MARKDOWN = """---
title: Harbour the the plan
tags: [port,  council]
---
# Harbour board backs the the ferry plan

The board of Port Ellery voted 7-2 on Monday to  renew the ferry contract.

Run `the the` in the console; see [the report](https://example.org/fares "the the") for details.

```text
a a block  here
```

<!-- copylint-disable typography -->
Fares rise  by 4 per cent.
<!-- copylint-enable -->

Mayor Ina Dorrow said the the vote &amp; the count were close.
"""


def test_markdown_positions_and_what_is_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "story.md", MARKDOWN)
    assert check(path) == [
        ("style/doubled-word", 5, 23, "the the"),
        ("typography/double-space", 7, 48, "  "),
        ("style/doubled-word", 19, 23, "the the"),
    ]


def test_markdown_fix_touches_only_the_fixed_spans(tmp_path: Path) -> None:
    path = write(tmp_path, "story.md", MARKDOWN)
    expected = (
        MARKDOWN.replace("backs the the ferry", "backs the ferry")
        .replace("to  renew", "to renew")
        .replace("said the the vote", "said the vote")
    )
    assert fix(path) == expected


def test_markdown_disable_can_name_one_rule(tmp_path: Path) -> None:
    text = "# Ferry fares\n\n<!-- copylint-disable style/doubled-word -->\nIt was a a close  vote.\n<!-- copylint-enable -->\n"
    assert check(write(tmp_path, "a.md", text)) == [("typography/double-space", 4, 17, "  ")]


def test_markdown_accept_comment_sets_accepted_words() -> None:
    document = markdown.parse("# Ferry\n\n<!-- copylint-accept: Dorrow Ellery -->\nMayor Dorrow spoke.\n", "a.md")[0]
    assert document.accepted_words == frozenset({"Dorrow", "Ellery"})


def test_markdown_blocks_roles_and_escapes() -> None:
    text = "# Wend \\*council\\* &amp; port\n\n## Fares\n\n- one item\n- two  item\n\n| a | b |\n|---|---|\n| the the | x |\n"
    document = markdown.parse(text, "a.md")[0]
    assert [(b.role, b.text) for b in document.blocks] == [
        ("headline", "Wend *council* & port"),
        ("subhead", "Fares"),
        ("paragraph", "one item"),
        ("paragraph", "two  item"),
    ]
    star = document.text.index("*")
    assert document.to_source(Span(star, star + 1)) == Span(7, 9)  # the escape maps as a whole


def test_markdown_image_alt_text_is_checked_and_destination_is_not() -> None:
    document = markdown.parse("# Ferry\n\nA view ![the the harbour](the%20the.png) at dusk.\n", "a.md")[0]
    assert document.blocks[1].text == "A view the the harbour at dusk."


# --- HTML ----------------------------------------------------------------------------------------------

HTML = """<!DOCTYPE html>
<html><head><title>Harbour  board</title>
<style>p {  margin: 0 }</style><script>var a  = "the the";</script></head>
<body>
<h1>Harbour board backs the the ferry plan</h1>
<p class="lead  story" title="the the">Fares at Port Ellery &amp; Wend rise  by 4&nbsp;per cent, the the board said.</p>
<p>It was <em>a</em> a close vote.</p>
<pre>the the  block</pre>
</body></html>
"""


def test_html_positions_and_what_is_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "story.html", HTML)
    assert check(path) == [
        ("style/doubled-word", 5, 25, "the the"),
        ("typography/double-space", 6, 76, "  "),
        ("style/doubled-word", 6, 98, "the the"),
        ("style/doubled-word", 7, 15, "a</em> a"),
    ]


def test_html_fix_keeps_markup_and_entities(tmp_path: Path) -> None:
    path = write(tmp_path, "story.html", HTML)
    expected = (
        HTML.replace("backs the the ferry", "backs the ferry")
        .replace("rise  by", "rise by")
        .replace("the the board", "the board")
    )
    assert fix(path) == expected  # the doubled word across </em> is reported but never fixed over the tag


def test_html_doubled_word_across_a_tag_is_only_suggested(tmp_path: Path) -> None:
    result = run_cli(["check", str(write(tmp_path, "a.html", "<h1>Vote</h1><p>It was <b>a</b> a close vote.</p>")), *SELECT])
    assert "suggestions: 'a'" in result.out and "fixable" not in result.out


def test_html_title_is_the_headline_without_h1() -> None:
    document = html_format.parse("<title>Wend  votes</title><p>Body <img src=x> text.</p>", "a.html")[0]
    assert [(b.role, b.text) for b in document.blocks] == [("headline", "Wend  votes"), ("paragraph", "Body text.")]


def test_html_br_splits_lines_but_is_never_fixed_over() -> None:
    document = html_format.parse("<p>One line<br>two</p>", "a.html")[0]
    assert document.text == "One line\ntwo"
    assert not document.source_map.exact(Span(7, 10))


# --- JSON and ninjs --------------------------------------------------------------------------------------

NINJS1 = (
    '{"uri": "urn:newsml:example:1", "headline": "Ferry \\"deal\\" backs the the plan",\n'
    ' "body_html": "<p>Caf\\u00e9 owners in Wend said  the fares\\nwere high.</p><p>It is a a test &amp; more.</p>",\n'
    ' "body_text": "First line.\\nThe the end."}\n'
)


def test_ninjs1_positions_through_escapes(tmp_path: Path) -> None:
    path = write(tmp_path, "story.json", NINJS1)
    assert check(path) == [
        ("style/doubled-word", 1, 67, "the the"),
        ("typography/double-space", 2, 48, "  "),
        ("style/doubled-word", 2, 84, "a a"),
        ("style/doubled-word", 3, 29, "The the"),
    ]


def test_ninjs1_fix_is_json_escaped_and_exact(tmp_path: Path) -> None:
    path = write(tmp_path, "story.json", NINJS1)
    expected = (
        NINJS1.replace("backs the the plan", "backs the plan")
        .replace("Wend said  the", "Wend said the")
        .replace("is a a test", "is a test")
        .replace("\\nThe the end", "\\nThe end")
    )
    assert fix(path) == expected
    json.loads(expected)


def test_ninjs2_headlines_and_bodies(tmp_path: Path) -> None:
    text = json.dumps(
        {
            "headlines": [
                {"role": "sub", "value": "Wend budget"},
                {"role": "main", "value": "Wend council backs the the budget"},
            ],
            "bodies": [{"role": "main", "contenttype": "text/plain", "value": "First  line.\n\nSecond line."}],
        }
    )
    document = jsonfeed.parse(text, "a.json")[0]
    assert [(b.role, b.text) for b in document.blocks] == [
        ("headline", "Wend council backs the the budget"),
        ("paragraph", "First  line."),
        ("paragraph", "Second line."),
    ]
    assert [f[0] for f in check(write(tmp_path, "a.json", text))] == ["style/doubled-word", "typography/double-space"]


def test_json_array_of_articles_and_field_paths(tmp_path: Path) -> None:
    text = '[{"story": {"title": "Wend the the vote", "paras": ["One  two.", "Three four."]}}, {"story": {"title": "Ok"}}]'
    path = write(tmp_path, "export.json", text)
    found = check(path, "--field", "story.title", "--field", "story.paras.*")
    assert found == [("style/doubled-word", 1, 28, "the the"), ("typography/double-space", 1, 57, "  ")]
    documents = jsonfeed.parser_for(jsonfeed.parse_fields(["story.title", "story.paras"]))[0](text, "export.json")
    assert [b.role for b in documents[0].blocks] == ["headline", "paragraph", "paragraph"]


def test_json_without_article_fields_is_passed_over_unless_fields_are_named(tmp_path: Path) -> None:
    path = write(tmp_path, "package.json", '{"name": "desk-tools", "description": "the the"}')
    result = run_cli(["check", str(path), *SELECT])
    assert result.code == 0 and result.err == ""
    named = run_cli(["check", str(path), "--field", "title", *SELECT])
    assert named.code == 2 and "none of the --field paths holds text" in named.err


def test_field_on_non_json_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli(["check", str(write(tmp_path, "a.txt", "Hed\n\nBody.\n")), "--field", "x"])
    assert result.code == 2 and "--field applies to JSON" in result.err


def test_json_string_offsets_cover_every_escape() -> None:
    source = '{"a": "x\\n\\u00e9\\"\\ud83d\\ude00 y  z"}'
    value = loads(source, "a.json")["a"]
    assert isinstance(value, JStr) and value.value == 'x\né"😀 y  z'
    mapping = value.offset_map(source)
    spaces = value.value.index("  ")
    assert source[mapping.offset(spaces) : mapping.offset(spaces + 2)] == "  "
    emoji = value.value.index("😀")
    assert source[mapping.offset(emoji) : mapping.offset(emoji + 1, at_end=True)] == "\\ud83d\\ude00"


# --- NITF and NewsML-G2 --------------------------------------------------------------------------------

NITF = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE nitf SYSTEM "nitf-3-6.dtd">
<nitf>
<head><title>Wend  ferry</title></head>
<body>
<body.head><hedline><hl1>Wend ferry deal backs the the plan</hl1></hedline></body.head>
<body.content>
<p>Fares at <org>Port Ellery</org> &amp; Wend rise  by 4 per cent.</p>
<!-- copylint-disable typography -->
<p>It was a <em>close</em>  close-run vote, the the clerk said.</p>
</body.content>
</body>
</nitf>
"""


def test_nitf_positions_and_fix(tmp_path: Path) -> None:
    path = write(tmp_path, "story.xml", NITF)
    assert check(path) == [
        ("style/doubled-word", 6, 48, "the the"),
        ("typography/double-space", 8, 51, "  "),
        ("style/doubled-word", 10, 45, "the the"),
    ]
    expected = (
        NITF.replace("backs the the plan", "backs the plan").replace("rise  by", "rise by").replace("the the clerk", "the clerk")
    )
    assert fix(path) == expected


NEWSML = """<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:example:1" version="1">
 <contentMeta><headline>Wend council backs the the budget</headline></contentMeta>
 <contentSet>
  <inlineXML contenttype="application/nitf+xml">
   <nitf><body><body.head><hedline><hl1>Budget</hl1></hedline></body.head>
   <body.content><p>The vote was  close.</p></body.content></body></nitf>
  </inlineXML>
 </contentSet>
</newsItem>
"""


def test_newsml_g2_headline_and_inline_nitf(tmp_path: Path) -> None:
    document = nitf.parse(NEWSML, "item.xml")[0]
    assert [(b.role, b.text) for b in document.blocks] == [
        ("headline", "Wend council backs the the budget"),
        ("subhead", "Budget"),
        ("paragraph", "The vote was  close."),
    ]
    assert check(write(tmp_path, "item.xml", NEWSML)) == [
        ("style/doubled-word", 3, 44, "the the"),
        ("typography/double-space", 7, 33, "  "),
    ]


# --- bad input: one line, exit 2, nothing written ------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE nitf [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<nitf><body><body.content><p>&lol3; the the</p></body.content></body></nitf>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE nitf [<!ENTITY secret SYSTEM "file:///etc/hostname">]>
<nitf><body><body.content><p>&secret; the the</p></body.content></body></nitf>
"""


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("bomb.xml", BILLION_LAUGHS, "XML declares entities"),
        ("xxe.xml", EXTERNAL_ENTITY, "XML declares entities"),
        ("cut.xml", NITF[: NITF.index("close</em>")], "is the file truncated?"),
        ("bad.xml", "<nitf><p>the the</nitf>", "invalid XML: mismatched tag"),
        ("cut.json", NINJS1[:90], "is the file truncated?"),
        ("bad.json", '{"headline": "the the",}', "invalid JSON"),
        ("cut.html", "<h1>Vote</h1><p>It was the the <a href=", "is the file truncated?"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_written(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = write(tmp_path, name, text)
    result = run_cli(["check", str(path), "--fix", *SELECT])
    assert result.code == 2
    errors = [line for line in result.err.splitlines() if line.startswith("copylint: error:")]
    assert len(errors) == 1 and message in errors[0] and "Traceback" not in result.err
    assert path.read_bytes() == text.encode("utf-8")


# --- building blocks ---------------------------------------------------------------------------------


def test_source_map_exact_refuses_gaps_jumps_and_partial_escapes() -> None:
    # text "ab&cd" from source "ab&amp;<i>cd": "ab" verbatim, "&" an entity, "cd" after a tag
    source_map = SourceMap([Segment(0, 2, 0, 2), Segment(2, 3, 2, 7), Segment(3, 5, 10, 12)])
    assert source_map.exact(Span(0, 3))  # verbatim run and a whole entity, contiguous in the source
    assert not source_map.exact(Span(1, 4))  # reaches over the <i> tag
    assert source_map.exact(Span(3, 5)) and source_map.exact(Span(1, 1)) and source_map.exact(Span(3, 3))
    partial = SourceMap([Segment(0, 2, 0, 12)])  # two code points decoded from one escape sequence
    assert not partial.exact(Span(0, 1)) and partial.exact(Span(0, 2))


def test_piece_builder_trims_and_merges() -> None:
    builder = PieceBuilder("paragraph")
    builder.verbatim(10, "  Wend ")
    builder.verbatim(17, "votes ")
    builder.decoded(23, 28, "&")
    builder.verbatim(28, " more  ")
    piece = builder.piece()
    assert piece is not None and piece.text == "Wend votes & more"
    assert piece.segments == (Segment(0, 11, 12, 23), Segment(11, 12, 23, 28), Segment(12, 17, 28, 33))


def test_directives_are_parsed_from_comments() -> None:
    text = (
        "<!-- copylint-disable style/doubled-word, typography --> x <!--copylint-accept: Ellery Wend--> <!-- copylint-enable -->"
    )
    assert [(d.kind, d.args) for d in directives_in(text)] == [
        ("disable", ("style/doubled-word", "typography")),
        ("accept", ("Ellery", "Wend")),
        ("enable", ()),
    ]


def test_formats_are_chosen_by_extension() -> None:
    assert [format_for(name).name for name in ("a.md", "b.HTML", "c.json", "d.jsonl", "e.xml", "f.txt", "g.rst")] == [
        "markdown",
        "html",
        "json",
        "jsonl",
        "xml",
        "text",
        "text",
    ]
    assert set(FORMAT_BY_NAME) >= {"text", "markdown", "html", "json", "jsonl", "xml"}


def test_markdown_wrapped_lines_keep_their_line_break_so_fixes_may_span_it() -> None:
    document = markdown.parse("# Ferry\n\nThe council said the\nthe bridge.\n\n> Quoted the\n> the line.\n", "a.md")[0]
    assert [b.text for b in document.blocks[1:]] == ["The council said the\nthe bridge.", "Quoted the\nthe line."]
    wrapped = document.text.index("the\nthe")
    quoted = document.text.index("the\nthe", wrapped + 1)
    assert document.source_map.exact(Span(wrapped, wrapped + 7))  # a plain line break is verbatim source
    assert not document.source_map.exact(Span(quoted, quoted + 7))  # the "> " marker is not in the text


def test_html_page_with_article_checks_only_the_article() -> None:
    page = (
        "<html><head><title>Wend  votes</title></head><body><header>Menu the the</header>"
        "<article><header><h1>Wend votes</h1></header><p>Body &amp; text.</p>"
        "<aside>Read more: the the</aside><table><tr><td>x  y</td></tr></table></article>"
        "<footer>Wend Post</footer></body></html>"
    )
    document = html_format.parse(page, "a.html")[0]
    assert [(b.role, b.text) for b in document.blocks] == [("headline", "Wend votes"), ("paragraph", "Body & text.")]


def test_other_xml_is_passed_over(tmp_path: Path) -> None:
    result = run_cli(["check", str(write(tmp_path, "build.xml", "<project><p>the the</p></project>")), *SELECT])
    assert result.code == 0 and result.err == ""
