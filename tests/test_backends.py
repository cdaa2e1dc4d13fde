"""Grammar backends: LanguageTool against a local server speaking its /v2 HTTP API, and Harper run for real."""

from __future__ import annotations

import json
import re
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from copylint.backends import BackendRequest, Backends, catalogue
from copylint.config import Config, load_config_file
from copylint.engine import lint_documents
from copylint.errors import ConfigError
from copylint.finding import Applicability, Finding, Severity, Span
from copylint.formats import plaintext
from copylint.rule import DOC_SECTIONS
from copylint.ruleset import build_ruleset
from tests.conftest import run_cli

# ---------------------------------------------------------------------------------------------------------------
# A stand-in LanguageTool server: /v2/languages and /v2/check as documented, offsets in UTF-16 code units.


@dataclass
class Phrase:
    """A phrase the fake server flags, with the LanguageTool rule that flags it."""

    text: str
    rule_id: str
    replacements: tuple[str, ...] = ()
    issue_type: str = "grammar"
    message: str = "Possible grammar error."


@dataclass
class FakeLanguageTool:
    """What the test server flags and what it was sent."""

    url: str = ""
    phrases: list[Phrase] = field(default_factory=list)
    checks: list[dict[str, str]] = field(default_factory=list)
    delay: float = 0.0
    broken: bool = False

    def answer(self, params: dict[str, str]) -> dict[str, Any]:
        """A /v2/check response body for ``params``."""
        text = params["text"]
        disabled = set(filter(None, params.get("disabledRules", "").split(",")))
        enabled = set(filter(None, params.get("enabledRules", "").split(",")))
        matches = []
        for phrase in self.phrases:
            if phrase.rule_id in disabled or (params.get("enabledOnly") == "true" and phrase.rule_id not in enabled):
                continue
            start = text.find(phrase.text)
            while start >= 0:
                offset = len(text[:start].encode("utf-16-le")) // 2  # Java string indices
                length = len(phrase.text.encode("utf-16-le")) // 2
                matches.append(
                    {
                        "message": phrase.message,
                        "shortMessage": "",
                        "replacements": [{"value": r} for r in phrase.replacements],
                        "offset": offset,
                        "length": length,
                        "context": {"text": text[max(0, start - 20) : start + 40], "offset": min(start, 20), "length": length},
                        "sentence": text,
                        "type": {"typeName": "Other"},
                        "rule": {
                            "id": phrase.rule_id,
                            "description": phrase.message,
                            "issueType": phrase.issue_type,
                            "category": {"id": "GRAMMAR", "name": "Grammar"},
                        },
                        "ignoreForIncompleteSentence": False,
                        "contextForSureMatch": 0,
                    }
                )
                start = text.find(phrase.text, start + 1)
        return {
            "software": {"name": "LanguageTool", "version": "6.6", "apiVersion": 1, "premium": False, "status": ""},
            "warnings": {"incompleteResults": False},
            "language": {"name": "English (US)", "code": "en-US"},
            "matches": matches,
        }


def _handler(fake: FakeLanguageTool) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

        def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            if self.path.startswith("/v2/languages"):
                languages = [
                    {"name": "English (US)", "code": "en", "longCode": "en-US"},
                    {"name": "English (GB)", "code": "en", "longCode": "en-GB"},
                ]
                self._send(200, json.dumps(languages).encode())
            else:
                self._send(404, b"not found", "text/plain")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            params = {k: v[0] for k, v in urllib.parse.parse_qs(self.rfile.read(length).decode()).items()}
            if not self.path.startswith("/v2/check"):
                self._send(404, b"not found", "text/plain")
                return
            fake.checks.append(params)
            if fake.delay:
                time.sleep(fake.delay)
            if fake.broken:
                self._send(500, b"<html>Internal error\nsomething broke</html>", "text/html")
                return
            self._send(200, json.dumps(fake.answer(params)).encode())

    return Handler


@pytest.fixture
def lt_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeLanguageTool]:
    """A LanguageTool-compatible server on 127.0.0.1 for the duration of one test."""
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    fake = FakeLanguageTool()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield fake
    server.shutdown()
    server.server_close()


def lint_backends(
    text: str, request: BackendRequest | None = None, select: Sequence[str] | None = None, **config: Any
) -> tuple[list[Finding], Backends]:
    """Findings on plain ``text`` with the backends configured as a CLI run would, and the warnings given."""
    backends = Backends()
    resolved, extra = backends.configure(Config(select=tuple(select) if select else None, **config), request)
    ruleset = build_ruleset(resolved, extra_rules=extra)
    return list(lint_documents("test", text, plaintext.parse(text, "test"), ruleset).findings), backends


def _by_rule(findings: list[Finding], prefix: str) -> list[Finding]:
    return [f for f in findings if f.rule.startswith(prefix)]


A_IDEA = Phrase("a idea", "EN_A_VS_AN", ("an idea",), message="Use 'an' instead of 'a'.")
STORY = "Library plan approved\n\nThe council in Oakfield approved a idea for a new library on Tuesday.\n"


# ---------------------------------------------------------------------------------------------------------------
# LanguageTool


def _lt(url: str, **settings: Any) -> dict[str, Any]:
    return {"languagetool": {"url": url, "timeout": 2, **settings}}


def test_languagetool_match_becomes_finding_with_unsafe_fix(lt_server: FakeLanguageTool) -> None:
    lt_server.phrases = [A_IDEA]
    findings, backends = lint_backends(STORY, **_lt(lt_server.url))
    [finding] = _by_rule(findings, "grammar/lt-")
    start = STORY.index("a idea")
    assert finding.rule == "grammar/lt-EN_A_VS_AN"
    assert finding.category == "grammar"
    assert finding.span == Span(start, start + len("a idea"))
    assert finding.message == "Use 'an' instead of 'a'."
    assert finding.severity is Severity.WARNING
    assert finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE
    assert finding.replacements == ("an idea",)
    assert backends.warnings == []
    [sent] = lt_server.checks
    assert sent["text"] == STORY.rstrip("\n")  # the whole article in one request
    assert sent["language"] == "en-US"
    assert "EN_UNPAIRED_QUOTES" in sent["disabledRules"]  # off for news: quotes run on across paragraphs


def test_languagetool_offsets_after_emoji_are_code_points(lt_server: FakeLanguageTool) -> None:
    lt_server.phrases = [A_IDEA]
    text = "Library plan approved \U0001f389\n\nCheers \U0001f44f\U0001f44f as the council approved a idea.\n"
    findings, _ = lint_backends(text, **_lt(lt_server.url))
    [finding] = _by_rule(findings, "grammar/lt-")
    assert text[finding.span.start : finding.span.end] == "a idea"


def test_languagetool_several_replacements_are_suggestions_only(lt_server: FakeLanguageTool) -> None:
    lt_server.phrases = [Phrase("a idea", "EN_A_VS_AN", ("an idea", "the idea"))]
    findings, _ = lint_backends(STORY, **_lt(lt_server.url))
    [finding] = _by_rule(findings, "grammar/lt-")
    assert finding.fix is None
    assert finding.suggestions == ("an idea", "the idea")


def test_languagetool_spelling_dropped_unless_asked_and_style_is_info(lt_server: FakeLanguageTool) -> None:
    lt_server.phrases = [
        Phrase("Oakfield", "MORFOLOGIK_RULE_EN_US", ("Oakfields",), issue_type="misspelling"),
        Phrase("on Tuesday", "TUESDAY_STYLE", ("Tuesday",), issue_type="style"),
    ]
    findings, _ = lint_backends(STORY, **_lt(lt_server.url))
    assert [(f.rule, f.severity) for f in _by_rule(findings, "grammar/lt-")] == [("grammar/lt-TUESDAY_STYLE", Severity.INFO)]
    findings, _ = lint_backends(STORY, **_lt(lt_server.url, spelling=True))
    assert "grammar/lt-MORFOLOGIK_RULE_EN_US" in {f.rule for f in findings}
    findings, _ = lint_backends(STORY, words=frozenset({"Oakfield"}), **_lt(lt_server.url, spelling=True))
    assert "grammar/lt-MORFOLOGIK_RULE_EN_US" not in {f.rule for f in findings}  # house words stay accepted


def test_languagetool_gives_way_to_copylints_own_finding(lt_server: FakeLanguageTool) -> None:
    text = "Bridge to reopen\n\nPolice said the the road would reopen on Friday.\n"
    lt_server.phrases = [Phrase("the the", "ENGLISH_WORD_REPEAT_RULE", ("the",))]
    findings, _ = lint_backends(text, **_lt(lt_server.url))
    assert [f.rule for f in findings if f.span.start == text.index("the the")] == ["style/doubled-word"]


def test_nothing_is_sent_unless_configured(lt_server: FakeLanguageTool) -> None:
    lt_server.phrases = [A_IDEA]
    findings, _ = lint_backends(STORY)
    assert _by_rule(findings, "grammar/") == []
    findings, _ = lint_backends(STORY, request=BackendRequest(no_languagetool=True), **_lt(lt_server.url))
    assert _by_rule(findings, "grammar/") == []
    assert lt_server.checks == []
    assert "grammar/languagetool" not in build_ruleset(Config()).ids


def test_languagetool_rule_selectors_become_server_parameters(lt_server: FakeLanguageTool) -> None:
    other = Phrase("a new library", "NEW_LIBRARY", ("the new library",))
    lt_server.phrases = [A_IDEA, other]
    findings, _ = lint_backends(STORY, ignore=("grammar/lt-EN_A_VS_AN",), **_lt(lt_server.url))
    assert [f.rule for f in _by_rule(findings, "grammar/lt-")] == ["grammar/lt-NEW_LIBRARY"]
    assert "EN_A_VS_AN" in lt_server.checks[-1]["disabledRules"].split(",")
    findings, _ = lint_backends(STORY, select=["grammar/lt-EN_A_VS_AN"], **_lt(lt_server.url))
    assert [f.rule for f in findings] == ["grammar/lt-EN_A_VS_AN"]
    assert lt_server.checks[-1]["enabledRules"] == "EN_A_VS_AN" and lt_server.checks[-1]["enabledOnly"] == "true"
    findings, _ = lint_backends(STORY, severity={"grammar/lt-NEW_LIBRARY": Severity.ERROR}, **_lt(lt_server.url))
    assert {f.rule: f.severity for f in _by_rule(findings, "grammar/lt-")}["grammar/lt-NEW_LIBRARY"] is Severity.ERROR


def test_server_that_is_down_warns_once_and_the_run_goes_on(lt_server: FakeLanguageTool, tmp_path: Path) -> None:
    closed = lt_server.url.rsplit(":", 1)[0] + ":9"  # the discard port: nothing listens there
    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    one.write_text("Bridge to reopen\n\nPolice said the the road would reopen.\n", encoding="utf-8")
    two.write_text(STORY, encoding="utf-8")
    result = run_cli(["check", "--languagetool", closed, str(one), str(two)])
    assert result.code == 1  # findings of copylint's own rules, not a usage error
    assert "[style/doubled-word]" in result.out
    warnings = [line for line in result.err.splitlines() if line.startswith("copylint: warning:")]
    assert warnings == [
        "copylint: warning: LanguageTool server http://127.0.0.1:9/ cannot be reached (is it running, and is the URL "
        "right?); grammar/lt-* checks skipped for the rest of this run"
    ]
    assert "Traceback" not in result.err


def test_slow_server_times_out_with_a_warning(lt_server: FakeLanguageTool) -> None:
    lt_server.phrases = [A_IDEA]
    lt_server.delay = 1.5
    started = time.perf_counter()
    findings, backends = lint_backends(STORY, **_lt(lt_server.url, timeout=0.3))
    assert time.perf_counter() - started < 1.4 * 2 + 1  # language-tool-python tries a check twice
    assert _by_rule(findings, "grammar/lt-") == []
    assert backends.warnings == [
        f"LanguageTool server {lt_server.url}/ did not answer within 0.3 s; grammar/lt-* checks skipped for the rest of this run"
    ]


def test_broken_server_answer_is_a_one_line_warning(lt_server: FakeLanguageTool) -> None:
    lt_server.broken = True
    findings, backends = lint_backends(STORY, **_lt(lt_server.url))
    assert _by_rule(findings, "grammar/") == []
    [warning] = backends.warnings
    assert warning.startswith(f"LanguageTool server {lt_server.url}/ failed (") and "\n" not in warning


def test_cli_languagetool_flag_end_to_end(lt_server: FakeLanguageTool, tmp_path: Path) -> None:
    lt_server.phrases = [A_IDEA]
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    result = run_cli(["check", "--languagetool", lt_server.url + "/v2/", "--select", "names", str(story)])
    assert f"{story}:3:34: warning [grammar/lt-EN_A_VS_AN] Use 'an' instead of 'a'." in result.out
    assert result.code == 1
    fixed = run_cli(["check", "--languagetool", lt_server.url, "--fix", "--unsafe-fixes", str(story)])
    assert fixed.code in (0, 1)
    assert "approved an idea for" in story.read_text(encoding="utf-8")


def test_config_file_points_at_the_server(lt_server: FakeLanguageTool, tmp_path: Path) -> None:
    lt_server.phrases = [A_IDEA]
    (tmp_path / "copylint.toml").write_text(
        f'[languagetool]\nurl = "{lt_server.url}"\nlanguage = "en-GB"\ndisabled_rules = ["SOME_RULE"]\n', encoding="utf-8"
    )
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    result = run_cli(["check", str(story)])
    assert "[grammar/lt-EN_A_VS_AN]" in result.out
    assert lt_server.checks[-1]["language"] == "en-GB"
    assert "SOME_RULE" in lt_server.checks[-1]["disabledRules"].split(",")


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"url": "http://127.0.0.1:8081", "colour": "blue"}, r"languagetool: unknown key\(s\) colour"),
        ({"url": "ftp://example"}, "languagetool url must be http://"),
        ({"url": "http://127.0.0.1:8081", "timeout": "soon"}, "'timeout' must be a number of seconds"),
        ({"url": "http://127.0.0.1:8081", "disabled_rules": ["not a rule"]}, "is not a LanguageTool rule id"),
        ({"url": "http://127.0.0.1:8081", "picky": "yes"}, "'picky' must be true or false"),
    ],
)
def test_languagetool_config_is_validated(tmp_path: Path, table: dict[str, Any], message: str) -> None:
    config = Config(languagetool=table, path=tmp_path / "copylint.toml")
    with pytest.raises(ConfigError, match=message) as caught:
        Backends().configure(config)
    assert str(caught.value).startswith(str(tmp_path / "copylint.toml"))


def test_bad_languagetool_config_is_exit_2_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "copylint.toml").write_text('[languagetool]\nurl = "http://127.0.0.1:8081"\nspeed = 3\n', encoding="utf-8")
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    result = run_cli(["check", str(story)])
    assert result.code == 2
    assert "languagetool: unknown key(s) speed" in result.err and "Traceback" not in result.err


# ---------------------------------------------------------------------------------------------------------------
# Harper (run for real through harper-py)

harper_py = pytest.importorskip("harper", reason="harper-py (copylint[harper]) is not installed")
HARPER = BackendRequest(harper=True)


@pytest.fixture(scope="module")
def harper_run() -> Callable[..., list[Finding]]:
    """Lint with Harper on, sharing one Harper linter across the module's tests (it takes a second to build)."""
    backends = Backends()

    def run(text: str, select: Sequence[str] | None = None, **config: Any) -> list[Finding]:
        resolved, extra = backends.configure(Config(select=tuple(select) if select else None, **config), HARPER)
        ruleset = build_ruleset(resolved, extra_rules=extra)
        return list(lint_documents("test", text, plaintext.parse(text, "test"), ruleset).findings)

    return run


def _harper(findings: list[Finding]) -> list[tuple[str, str, tuple[str, ...], bool]]:
    return [(f.rule, f.message.split(" (Harper:")[0], f.replacements, f.fix is not None) for f in findings if "harper" in f.rule]


@pytest.mark.parametrize(
    ("text", "flagged", "rule", "replacement"),
    [
        ("The council approved a idea for the library.", "a", "grammar/harper-miscellaneous", "an"),
        ("The firm could of closed the plant in Dunmere.", "could of", "grammar/harper-word-choice", "could have"),
        ("The car was parked along side the road.", "along side", "grammar/harper-word-choice", "alongside"),
        ("The minister eluded to new taxes.", "eluded to", "grammar/harper-malapropism", "alluded to"),
        ("The vote was a mute point by then.", "mute point", "grammar/harper-eggcorn", "moot point"),
    ],
)
def test_harper_flags_with_exact_span_and_unsafe_fix(
    harper_run: Callable[..., list[Finding]], text: str, flagged: str, rule: str, replacement: str
) -> None:
    document = f"Council news\n\n{text}\n"
    [finding] = [f for f in harper_run(document) if f.rule.startswith("grammar/harper-")]
    word = re.search(rf"\b{re.escape(flagged)}\b", document)
    assert word is not None
    start = word.start()
    assert finding.rule == rule
    assert finding.span == Span(start, start + len(flagged))
    assert finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE
    assert finding.fix.edits[0].replacement == replacement
    assert finding.message.endswith(")") and "(Harper: " in finding.message


@pytest.mark.parametrize(
    "text",
    [
        "Councillor Mirela Tarnwick opened the bridge in Oakfield on Tuesday.",  # unknown names: spelling is ours
        "An MEP and an SNP councillor met an hour later, in a unanimous vote on a one-off fund.",  # a/an by sound
        "The home side topped Group A on Saturday.",  # the letter A
        "The flag was red, white and blue, officials said.",  # no serial comma in wire style
        "He had had enough, and he said that that was final.",  # grammatical repeats
        "Growth was 2019-2021 steady... officials said.",  # ASCII ranges and ellipses
        '"We will rebuild the pier," the mayor said.\n\n"It will take a year."',  # quotes run on
        "OAKFIELD, Jan 3 (Wire) - Rents rose in the city, an historic high.",  # dateline, British 'an historic'
    ],
)
def test_harper_stays_quiet_on_sound_news_copy(harper_run: Callable[..., list[Finding]], text: str) -> None:
    assert _harper(harper_run(f"Council news\n\n{text}\n")) == []


def test_harper_gives_way_to_doubled_word(harper_run: Callable[..., list[Finding]]) -> None:
    text = "Bridge news\n\nPolice said the the road would reopen.\n"
    findings = harper_run(text)
    assert [f.rule for f in findings if f.span.overlaps(Span(text.index("the the"), text.index("the the") + 7))] == [
        "style/doubled-word"
    ]


def test_harper_not_in_default_rule_set_and_opt_in_by_selection() -> None:
    text = "Council news\n\nThe council approved a idea for the library.\n"
    findings, _ = lint_backends(text)
    assert _by_rule(findings, "grammar/harper-") == []
    findings, _ = lint_backends(text, select=["grammar"])
    assert [f.rule for f in findings] == ["grammar/harper-miscellaneous"]
    findings, _ = lint_backends(text, select=["grammar/harper-word-choice"])
    assert findings == []
    findings, _ = lint_backends(text, select=["grammar"], harper={"enabled": False})
    assert findings == []


def test_harper_kinds_are_selectable(harper_run: Callable[..., list[Finding]]) -> None:
    text = "Council news\n\nThe council approved a idea, and the firm could of paid.\n"
    assert {f.rule for f in harper_run(text, select=["grammar/harper-word-choice"])} == {"grammar/harper-word-choice"}
    assert "grammar/harper-word-choice" not in {f.rule for f in harper_run(text, ignore=("grammar/harper-word-choice",))}
    # A kind that is off by default runs when selected by id.
    assert _harper(harper_run("News\n\nAll of the airlines raised fares.\n")) == []
    assert [f.rule for f in harper_run("News\n\nAll of the airlines raised fares.\n", select=["grammar/harper-redundancy"])] == [
        "grammar/harper-redundancy"
    ]


def test_harper_options_switch_rules(harper_run: Callable[..., list[Finding]]) -> None:
    text = "Council news\n\nThe flag was red, white and blue, officials said.\n"
    # OxfordComma is a style lint: its kind, off by default, is selected too.
    findings = harper_run(text, select=["grammar/harper-style"], harper={"enabled_rules": ["OxfordComma"]})
    assert [f.message.rsplit("(Harper: ", 1)[1] for f in findings if "harper" in f.rule] == ["OxfordComma)"]
    text = "Council news\n\nThe council approved a idea for the library.\n"
    assert _harper(harper_run(text, harper={"disabled_rules": ["AnA"]})) == []


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"dialect": "klingon"}, "'dialect' must be one of american, british"),
        ({"disabled_rules": ["Ana"]}, "unknown Harper rule 'Ana' \\(did you mean AnA\\?\\)"),
        ({"enabled": "yes"}, "'enabled' must be true or false"),
        ({"colour": 1}, "harper: unknown key\\(s\\) colour"),
    ],
)
def test_harper_config_is_validated(table: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Backends().configure(Config(harper=table), HARPER)


def test_unknown_harper_rule_id_is_an_error() -> None:
    with pytest.raises(ConfigError, match="unknown Harper rule 'grammar/harper-spelling'"):
        Backends().configure(Config(ignore=("grammar/harper-spelling",)))


def test_harper_config_file_and_cli_flag(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Council news\n\nThe council approved a idea for the library.\n", encoding="utf-8")
    result = run_cli(["check", "--harper", str(story)])
    assert f"{story}:3:22: warning [grammar/harper-miscellaneous] Incorrect indefinite article. (Harper: AnA)" in result.out
    (tmp_path / "copylint.toml").write_text('harper = { dialect = "british" }\nignore = ["grammar/harper-style"]\n')
    assert run_cli(["check", str(story)]).out.count("grammar/harper") == 0  # a table alone does not switch it on
    (tmp_path / "copylint.toml").write_text("harper = true\n", encoding="utf-8")
    assert "[grammar/harper-miscellaneous]" in run_cli(["check", str(story)]).out
    assert load_config_file(tmp_path / "copylint.toml").harper == {"enabled": True}


# ---------------------------------------------------------------------------------------------------------------
# Listing and documentation


def test_backend_rules_are_listed_and_documented() -> None:
    rules = catalogue()
    ids = [r.id for r in rules]
    assert ids[0] == "grammar/languagetool"
    assert "grammar/harper-word-choice" in ids and "grammar/harper-spelling" not in ids
    assert len(ids) == len(set(ids))
    for rule in rules:
        assert rule.doc.missing_sections() == [], rule.id
        assert all(getattr(rule.doc, s).strip() for s in DOC_SECTIONS)
    listing = run_cli(["rules"])
    assert "grammar/languagetool" in listing.out and "grammar/harper-agreement" in listing.out
    explained = run_cli(["explain", "grammar/harper-eggcorn"])
    assert explained.code == 0 and "The vote was a moot point by then." in explained.out


def test_harper_grammar_without_suggestion_has_no_fix(harper_run: Callable[..., list[Finding]]) -> None:
    text = "TV news\n\nThe programme will aired on Sunday.\n"
    [finding] = [f for f in harper_run(text) if f.rule.startswith("grammar/harper-")]
    assert (finding.rule, text[finding.span.start : finding.span.end]) == ("grammar/harper-grammar", "will aired")
    assert finding.fix is None and finding.suggestions == ()


def test_default_run_imports_no_backend(tmp_path: Path) -> None:
    import subprocess
    import sys

    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    code = (
        "import sys; from copylint.cli import main; main(['check', sys.argv[1]]); "
        "print(sorted(m for m in sys.modules if m.startswith(('copylint.backends.', 'harper', 'language_tool_python'))))"
    )
    done = subprocess.run([sys.executable, "-c", code, str(story)], capture_output=True, text=True, check=False, cwd=tmp_path)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stderr
