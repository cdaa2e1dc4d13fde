"""LanguageTool, on a server the user names, as the opt-in rule family ``grammar/languagetool``.

Copy is sent only to the configured URL (``--languagetool URL`` or ``languagetool = { url = ... }``), through
``language-tool-python``. Each LanguageTool match becomes a finding ``grammar/lt-<LT rule id>``; a server that
is down, slow or answers nonsense gives one warning and the run goes on without it.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from copylint.backends.policy import give_way, string_list
from copylint.errors import ConfigError
from copylint.finding import Applicability, Finding, Fix, Severity, Span
from copylint.rule import BaseRule, Category, RuleContext, RuleDoc

if TYPE_CHECKING:
    from copylint.document import Document

FAMILY_ID = "grammar/languagetool"
PREFIX = "grammar/lt-"
RULE_ID = re.compile(r"[A-Za-z0-9_]+\Z")
# LanguageTool rules off unless enabled_rules names them: they contradict news conventions.
DEFAULT_DISABLED = MappingProxyType(
    {"EN_UNPAIRED_QUOTES": "a quote that runs on into the next paragraph leaves its paragraph open by convention"}
)
# LanguageTool issue types reported at info: choices of style rather than errors.
_INFO_ISSUE_TYPES = frozenset({"style", "register", "locale-violation"})
_SETTING_KEYS = frozenset(
    {
        "url",
        "language",
        "timeout",
        "max_chars",
        "disabled_rules",
        "enabled_rules",
        "enabled_only",
        "disabled_categories",
        "enabled_categories",
        "picky",
        "mother_tongue",
        "preferred_variants",
        "spelling",
    }
)
# Code points beyond the Basic Multilingual Plane count twice in LanguageTool's (UTF-16) offsets; they are
# masked by one BMP character before sending so that offsets are code points.
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_MASK = "\ufffd"


def normalise_url(url: str, where: str) -> str:
    """The server's base URL ending in ``/``, without the ``/v2`` API path (language-tool-python adds it)."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{where}: languagetool url must be http://host[:port][/path] or https://..., not {url!r}")
    path = parts.path.rstrip("/")
    if path.endswith("/v2"):
        path = path[: -len("/v2")]
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path + "/", "", ""))


@dataclass(frozen=True)
class LanguageToolSettings:
    """The validated ``languagetool`` config table (and ``--languagetool URL``)."""

    url: str
    language: str = "en-US"
    timeout: float = 10.0
    max_chars: int = 20_000
    disabled_rules: frozenset[str] = frozenset(DEFAULT_DISABLED)
    enabled_rules: frozenset[str] = frozenset()
    enabled_only: bool = False
    disabled_categories: frozenset[str] = frozenset()
    enabled_categories: frozenset[str] = frozenset()
    picky: bool = False
    mother_tongue: str | None = None
    preferred_variants: frozenset[str] = frozenset()
    spelling: bool = False


def parse_settings(table: Mapping[str, Any], where: str, url: str | None = None) -> LanguageToolSettings | None:
    """Validate the ``languagetool`` table; ``url`` (from the command line) overrides its url. None: no server."""
    unknown = set(table) - _SETTING_KEYS
    if unknown:
        known = ", ".join(sorted(_SETTING_KEYS))
        raise ConfigError(f"{where}: languagetool: unknown key(s) {', '.join(sorted(unknown))} (known: {known})")
    here = f"{where}: languagetool"
    for key in ("language", "mother_tongue", "url"):
        if key in table and not (isinstance(table[key], str) and table[key].strip()):
            raise ConfigError(f"{here}: '{key}' must be a non-empty string")
    for key in ("enabled_only", "picky", "spelling"):
        if key in table and not isinstance(table[key], bool):
            raise ConfigError(f"{here}: '{key}' must be true or false")
    timeout = table.get("timeout", 10.0)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 < timeout <= 600:
        raise ConfigError(f"{here}: 'timeout' must be a number of seconds between 0 and 600")
    max_chars = table.get("max_chars", 20_000)
    if isinstance(max_chars, bool) or not isinstance(max_chars, int) or max_chars < 1000:
        raise ConfigError(f"{here}: 'max_chars' must be a whole number of at least 1000")
    lists = {key: string_list(table, key, here) for key in _SETTING_KEYS if key.endswith(("_rules", "_categories", "_variants"))}
    for name in lists["disabled_rules"] + lists["enabled_rules"]:
        if not RULE_ID.match(name):
            raise ConfigError(f"{here}: {name!r} is not a LanguageTool rule id (such as EN_A_VS_AN)")
    raw_url = url if url is not None else table.get("url")
    if raw_url is None:
        return None
    enabled = frozenset(lists["enabled_rules"])
    return LanguageToolSettings(
        url=normalise_url(raw_url, where if url is None else "--languagetool"),
        language=table.get("language", "en-US"),
        timeout=float(timeout),
        max_chars=max_chars,
        disabled_rules=(frozenset(DEFAULT_DISABLED) - enabled) | frozenset(lists["disabled_rules"]),
        enabled_rules=enabled,
        enabled_only=table.get("enabled_only", False),
        disabled_categories=frozenset(lists["disabled_categories"]),
        enabled_categories=frozenset(lists["enabled_categories"]),
        picky=table.get("picky", False),
        mother_tongue=table.get("mother_tongue"),
        preferred_variants=frozenset(lists["preferred_variants"]),
        spelling=table.get("spelling", False),
    )


@dataclass(frozen=True, slots=True)
class LanguageToolMatch:
    """One LanguageTool match mapped to the document: rule id, absolute span, message, replacements, type."""

    rule_id: str
    span: Span
    message: str
    replacements: tuple[str, ...]
    issue_type: str


def chunks(document: Document, max_chars: int) -> Iterator[tuple[int, int]]:
    """(start, end) ranges of ``document.text`` of at most ``max_chars`` (unless one block is longer), cut between blocks."""
    start: int | None = None
    end = 0
    for block in document.blocks:
        if start is not None and block.span.end - start > max_chars:
            yield start, end
            start = None
        if start is None:
            start = block.span.start
        end = block.span.end
    if start is not None:
        yield start, end


def _reason(exc: BaseException, timeout: float) -> str:
    import requests

    chain = [exc]
    while chain[-1].__cause__ is not None and len(chain) < 5:
        chain.append(chain[-1].__cause__)
    for error in chain:
        if isinstance(error, requests.exceptions.Timeout):
            return f"did not answer within {timeout:g} s"
        if isinstance(error, requests.exceptions.ConnectionError):
            return "cannot be reached (is it running, and is the URL right?)"
    if isinstance(exc, KeyError | TypeError | AttributeError):
        return "answered with something that is not a LanguageTool /v2/check response"
    text = " ".join(str(exc).split())
    if len(text) > 160:
        text = text[:157] + "..."
    return f"failed ({type(exc).__name__}: {text})"


class LanguageToolClient:
    """The run's connection to one LanguageTool server: made on first use, given up after the first failure."""

    def __init__(self, settings: LanguageToolSettings, warn: Callable[[str], None]) -> None:
        self.settings = settings
        self._warn = warn
        self._tool: Any = None
        self._down = False
        self.spelling_ids: set[str] = set()  # finding ids of LT rules of issue type "misspelling"

    def _connect(self) -> Any:
        if self._tool is None:
            import language_tool_python

            settings = self.settings

            class _Tool(language_tool_python.LanguageTool):
                """language-tool-python with the configured timeout instead of its five minutes."""

                _TIMEOUT = settings.timeout  # type: ignore[assignment]  # typed as its default, read as seconds

            tool = _Tool(settings.language, remote_server=settings.url, mother_tongue=settings.mother_tongue)
            tool.disabled_rules = set(settings.disabled_rules)
            tool.enabled_rules = set(settings.enabled_rules)
            tool.enabled_rules_only = settings.enabled_only
            tool.disabled_categories = set(settings.disabled_categories)
            tool.enabled_categories = set(settings.enabled_categories)
            tool.preferred_variants = set(settings.preferred_variants)
            tool.picky = settings.picky
            self._tool = tool
        return self._tool

    def check(self, document: Document) -> list[LanguageToolMatch]:
        """LanguageTool's matches on ``document``; empty (after one warning) when the server fails."""
        if self._down:
            return []
        try:
            return list(self._check(document))
        except ImportError:
            self._down = True
            self._warn(
                "LanguageTool is configured but language-tool-python is not installed "
                "(pip install 'copylint[languagetool]'); grammar/lt-* checks skipped"
            )
        except Exception as exc:  # a server that is down or broken must not stop the run
            self._down = True
            self._warn(
                f"LanguageTool server {self.settings.url} {_reason(exc, self.settings.timeout)}; "
                "grammar/lt-* checks skipped for the rest of this run"
            )
        return []

    def _check(self, document: Document) -> Iterator[LanguageToolMatch]:
        tool = self._connect()
        text = document.text
        for start, end in chunks(document, self.settings.max_chars):
            chunk = text[start:end]
            if not chunk.strip():
                continue
            for match in tool.check(_ASTRAL.sub(_MASK, chunk)):
                offset = int(match.offset)
                length = int(match.error_length)
                if offset < 0 or length < 0 or offset + length > len(chunk):
                    continue
                replacements = tuple(r for r in dict.fromkeys(match.replacements) if isinstance(r, str) and _MASK not in r)
                yield LanguageToolMatch(
                    rule_id=str(match.rule_id),
                    span=Span(start + offset, start + offset + length),
                    message=" ".join(str(match.message).split()),
                    replacements=replacements,
                    issue_type=str(match.rule_issue_type or ""),
                )


class LanguageToolRule(BaseRule):
    """Matches of the configured LanguageTool server, as ``grammar/lt-<LT rule id>``."""

    id = FAMILY_ID
    category = Category.GRAMMAR
    default_severity = Severity.WARNING
    summary = "LanguageTool's grammar and style matches, from the server you configure (grammar/lt-<RULE_ID>)"
    doc = RuleDoc(
        what=(
            "Sends each article to the LanguageTool server named by --languagetool URL or `languagetool = { url "
            "= ... }` (the copylint[languagetool] extra) and reports its matches as grammar/lt-<LT rule id>. "
            "Nothing is sent anywhere unless a URL is configured."
        ),
        why=(
            "Desks that run a LanguageTool server get its grammar rules next to copylint's news rules, in one "
            "report. Its spelling matches are dropped (copylint's spelling checks know the desk's names), and a "
            "match on the same words as one of copylint's findings is dropped."
        ),
        example="The council have approved an plan for the new library.",
        use_instead="The council have approved a plan for the new library.",
        fix_safety=(
            "Unsafe: when LanguageTool offers exactly one replacement it becomes a fix applied only with "
            "--unsafe-fixes; several replacements are listed without a fix."
        ),
    )

    def __init__(self, client: LanguageToolClient | None, severities: Mapping[str, Severity] | None = None) -> None:
        self.client = client
        self.severities = severities or MappingProxyType({})  # severity of single grammar/lt-<ID> rules

    def check(self, document: Document, context: RuleContext) -> Iterator[Finding]:
        """Yield one finding per LanguageTool match (spelling matches only with ``spelling = true``)."""
        if self.client is None:
            return
        settings = self.client.settings
        accepted = context.house_words | document.accepted_words
        for match in self.client.check(document):
            rule_id = PREFIX + match.rule_id
            if match.issue_type == "misspelling":
                if not settings.spelling or document.text[match.span.start : match.span.end] in accepted:
                    continue
                self.client.spelling_ids.add(rule_id)
            severity = self.severities.get(rule_id) or (
                Severity.INFO if match.issue_type in _INFO_ISSUE_TYPES else context.severity
            )
            fix = None
            if len(match.replacements) == 1:
                fix = Fix.replace(match.span, match.replacements[0], Applicability.UNSAFE)
            yield Finding(
                rule=rule_id,
                category=self.category.value,
                message=match.message or f"LanguageTool rule {match.rule_id}",
                span=match.span,
                severity=severity,
                fix=fix,
                suggestions=match.replacements[:5],
            )

    def defer(self, produced: list[Finding], others: tuple[Finding, ...]) -> list[Finding]:
        """Drop matches on the same words as copylint's own findings (spelling ones on any overlap)."""
        spelling = self.client.spelling_ids if self.client is not None else set()
        return give_way(produced, others, spelling_like=lambda f: f.rule in spelling)
