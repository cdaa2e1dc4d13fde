"""The document model: blocks, tokens, sentences, line/column mapping and source maps."""

from __future__ import annotations

from copylint.document import Document, LineIndex, Segment, SourceMap, TextPiece, TokenKind, split_sentences
from copylint.finding import Span
from copylint.formats import plaintext


def test_plain_text_first_block_is_headline_and_spans_index_the_file() -> None:
    text = "Flood warning for Tarnby\n\nRiver levels rose overnight.\nMore rain is due.\n\n  Roads are shut.  \n"
    (doc,) = plaintext.parse(text, "story.txt")
    assert [b.role for b in doc.blocks] == ["headline", "paragraph", "paragraph"]
    assert doc.headline is not None and doc.headline.text == "Flood warning for Tarnby"
    assert [text[b.span.start : b.span.end] for b in doc.paragraphs] == [
        "River levels rose overnight.\nMore rain is due.",
        "Roads are shut.",
    ]


def test_blocks_split_on_blank_lines_with_crlf_and_whitespace() -> None:
    text = "Head\r\n\r\nFirst para.\r\n \r\nSecond para.\r\n"
    (doc,) = plaintext.parse(text, "t")
    assert [b.text for b in doc.blocks] == ["Head", "First para.", "Second para."]


def test_token_kinds_and_offsets() -> None:
    text = "Head\n\nSee https://example.org/a?b=1, mail desk@example.com, #Elections @deskbot 5.6km 1,200 G7 O’Brien’s."
    (doc,) = plaintext.parse(text, "t")
    tokens = doc.paragraphs[0].tokens
    kinds = {t.text: t.kind for t in tokens}
    assert kinds["https://example.org/a?b=1"] is TokenKind.URL
    assert kinds["desk@example.com"] is TokenKind.EMAIL
    assert kinds["#Elections"] is TokenKind.HANDLE and kinds["@deskbot"] is TokenKind.HANDLE
    assert kinds["5.6km"] is TokenKind.NUMBER and kinds["1,200"] is TokenKind.NUMBER
    assert kinds["G7"] is TokenKind.WORD and kinds["O’Brien’s"] is TokenKind.WORD
    for token in tokens:
        assert text[token.start : token.end] == token.text
        assert token.span == Span(token.start, token.end)


def test_sentences_do_not_split_after_titles_initials_or_abbreviations() -> None:
    text = "Mr. Hale met Dr. Osei at 5 p.m. on Friday. The U.S. envoy left. “It went well,” he said. 3 people stayed."
    sentences = [text[s:e] for s, e in split_sentences(text)]
    assert sentences == [
        "Mr. Hale met Dr. Osei at 5 p.m. on Friday.",
        "The U.S. envoy left.",
        "“It went well,” he said.",
        "3 people stayed.",
    ]


def test_block_sentences_are_absolute_spans() -> None:
    text = "Head\n\nOne. Two here."
    (doc,) = plaintext.parse(text, "t")
    assert [text[s.start : s.end] for s in doc.paragraphs[0].sentences] == ["One.", "Two here."]
    assert doc.sentence_at(text.index("here")) == Span(text.index("Two"), len(text))


def test_line_index_counts_code_points_and_all_line_endings() -> None:
    text = "a\r\nbé\rc\nd😀e"
    index = LineIndex(text)
    assert index.position(0) == (1, 1)
    assert index.position(text.index("é")) == (2, 2)
    assert index.position(text.index("c")) == (3, 1)
    assert index.position(text.index("e")) == (4, 3)


def test_source_map_maps_linear_and_atomic_segments() -> None:
    source = "<p>Fish &amp; chips</p>"
    piece = TextPiece(
        "paragraph",
        "Fish & chips",
        (Segment(0, 5, 3, 8), Segment(5, 6, 8, 13), Segment(6, 12, 13, 19)),
    )
    doc = Document.from_pieces(source, [TextPiece("headline", "Menu", (Segment(0, 4, 30, 34),)), piece])
    body = doc.paragraphs[0]
    chips = doc.text.index("chips")
    assert doc.to_source(Span(chips, chips + 5)) == Span(source.index("chips"), source.index("chips") + 5)
    amp = doc.text.index("&")
    assert doc.to_source(Span(amp, amp + 1)) == Span(8, 13)
    assert doc.to_source(Span(body.start, body.start + 4)) == Span(3, 7)


def test_source_map_identity_when_absent() -> None:
    doc = Document("abc", [(Span(0, 3), "headline")])
    assert doc.to_source(Span(1, 2)) == Span(1, 2)
    assert SourceMap([]).offset(5) == 5
