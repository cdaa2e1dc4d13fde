"""Harper (the offline grammar checker, through ``harper-py``) as one opt-in rule per Harper lint kind.

Findings get ids ``grammar/harper-<kind>`` (``grammar/harper-word-choice``, ...). Harper's spelling lints are
dropped in favour of copylint's own spelling checks, and a news profile switches off the Harper rules that
contradict wire style or misfire on news copy (listed in ``NEWS_PROFILE_OFF``, each with its reason).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from copylint.backends.policy import give_way, string_list
from copylint.document import TokenKind
from copylint.errors import ConfigError
from copylint.finding import Applicability, Finding, Fix, Severity, Span
from copylint.rule import BaseRule, Category, RuleContext, RuleDoc

if TYPE_CHECKING:
    from copylint.document import Document

PREFIX = "grammar/harper-"
DIALECTS = ("american", "british", "australian", "canadian", "indian")
_SETTING_KEYS = frozenset({"enabled", "dialect", "enabled_rules", "disabled_rules"})
_SKIPPED_TOKENS = frozenset({TokenKind.URL, TokenKind.EMAIL, TokenKind.HANDLE})
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")
_NEXT_WORD = re.compile(r"\s*(\S+)")
_UNSURE_INITIALS = frozenset("uUhHoOeE")

# Harper rules the news profile switches off: each contradicts wire style or misfires on news copy.
# `harper = { enabled_rules = ["OxfordComma"] }` turns one back on.
NEWS_PROFILE_OFF: Mapping[str, str] = MappingProxyType(
    {
        "SpellCheck": "copylint's spelling checks know the desk's names and house words",
        "OxfordComma": "wire style (AP, Reuters) leaves out the serial comma",
        "LongSentences": "a readability measure, not an error; wire leads run long by design",
        "UnclosedQuotes": "a quote that runs on into the next paragraph leaves its paragraph open by convention",
        "NumericRangeEnDash": "wire copy writes ranges with a hyphen (2019-2021)",
        "Dashes": "wire copy is plain ASCII: double hyphens stand for dashes",
        "UseEllipsisCharacter": "wire copy is plain ASCII: three full stops stand for an ellipsis",
        "Regionalisms": "British or American wording is the desk's choice, set by its dialect",
        "AppleNames": "flags product names in headlines and capitalised datelines",
        "NotablePlaces": "datelines are written in capitals (OAKFIELD, Jan 3)",
        "OrthographicConsistency": "flags acronyms in their house form (an agency's initials with 's)",
        "SplitWords": "suggests splitting sound words (debutant -> debut ant)",
        "ExpandTimeShorthands": "results and timings keep their short units (44.6secs)",
        "ExpandMemoryShorthands": "technology copy keeps its short units (80GB)",
        "Excellent": "rewrites plain wording, including inside quotes",
        "MassNouns": "flags count uses that are standard (another hearing)",
        "MissingPreposition": "misfires on ordinary verbs (X is pressing Y to ...)",
        "PronounVerbAgreement": "misfires on simple past tenses (he beat, he woke)",
        "QuantifierNumeralConflict": "'some nine hours' is standard news English",
        "PhrasalVerbAsCompoundNoun": "flags nouns used correctly (a comeback single)",
        "TheHowWhy": "misfires on initials (the WHO said)",
        "ModalBeAdjective": "misfires on the month of May",
        "WrongNegative": "misfires on compounds such as Indo-Pacific",
        "AvoidCurses": "quotes are reported verbatim",
        "Damages": "'damages' is the usual word in court and insurance copy",
        "Whereas": "misfires on 'where as many as'",
        "SentenceCapitalization": "misfires on headlines, short links and song titles ending in '!'",
        "CompoundNouns": "open compounds are often the desk's style (farm land)",
        "InflectedVerbAfterTo": "misfires when 'to' is a preposition (contributed to improved confidence)",
        # Measured on clean news copy: these fire mostly on sound English (bench/backends.py lists them in context).
        "RepeatedWords": "copylint's style/doubled-word covers it and knows 'had had', 'that that' and band names",
        "RedundantThat": "'that that' is often grammatical",
        "UpdatePlaceNames": "the desk's style book decides between a country's old and new names",
        "DiscourseMarkers": "a comma after a sentence-opening adverb is a style choice",
        "ToTwoToo": "misfires on 'too' before nouns and 'to' before adjectives",
        "QuiteQuiet": "misfires on 'quite a', 'quite the same'",
        "MissingTo": "misfires on 'want to be able to'",
        "FindOut": "misfires on 'wants to find out'",
        "DidPast": "misfires on 'what he did made'",
        "WereWhere": "misfires on inversions ('Gone were the days')",
        "TheirToTheyre": "misfires on 'their two versions'",
        "TheirToThere": "misfires on 'in their right mind'",
        "ThereToTheir": "misfires on 'there needs to be'",
        "ThatThan": "misfires on 'the danger that'",
        "PronounInflectionBe": "misfires when a clause separates subject and verb",
        "Everyone": "'every one of them' is correct",
        "OneOfTheSingular": "misfires on 'one of the largest ...'",
        "ItsContraction": "misfires on possessive 'its' after 'so' and 'and'",
        "SimplePastToPastParticiple": "misfires on compounds such as 'saw mill'",
        "CapitalizePersonalPronouns": "misfires on titles in title case",
        "Worldwide": "the World Wide Web is a name",
        "NotIn": "misfires on 'voting no in'",
        "Overall": "'over all the ...' is correct",
        "There": "misfires on words with the prefix re- ('The re-release')",
        "PronounKnew": "misfires on 'new' in names",
        "Insofar": "'in so far as' is standard British spelling",
        "DoToDueTo": "misfires on 'can do to ...'",
        "InDemandInDepth": "misfires on 'a drop in demand'",
        "NerveRacking": "'nerve-wracking' is an accepted spelling",
        "RoadMap": "misfires on product names",
        "DoubleModal": "misfires on the surname May",
        "SubjunctiveWasToWere": "'I wish I was' is accepted in quoted speech",
        "NotTo": "misfires on 'say no to'",
        "LetsConfusion": "misfires on 'to let supply and demand ...'",
        "WayTooAdjective": "misfires on 'on the way to'",
        "HowTo": "misfires on 'how people ...'",
        "PluralDecades": "misfires on names with numbers (a band's 20's)",
        "GoodAt": "'good in attack' is sports English",
        "AsHow": "misfires on 'such as how much'",
        "HelloGreeting": "misfires on names (game titles)",
        "HopHope": "misfires on 'hip hop'",
        "ThereAfterCompound": "misfires on 'sent there after'",
        "TheyToThem": "misfires on 'every call they make'",
        "WhomSubjectOfVerb": "misfires on 'some of whom said'",
        "SingleBe": "misfires on times such as 10.38am",
        "MissingDeterminer": "misfires on headline-style phrases",
        "WellBeing": "'wellbeing' is standard British spelling",
        "ResponsibleFor": "'responsible about' is sound English",
        "HelpedPast": "misfires on 'products that helped included'",
        "AdjectiveDoubleDegree": "misfires on 'to more modest growth'",
        "DayOneNames": "flags 'day one' as a brand name",
        "NationalCapitals": "datelines are written in capitals (OAKFIELD, Jan 3)",
        "The": "misfires on names in sports line-ups",
        "NounVerbConfusion": "misfires on 'expected to affect' and 'many believe'",
        "Everyday": "misfires on the adjective 'everyday'",
        "Nonetheless": "'none the less' is standard British spelling",
        "MergeWords": "misfires on names with figures or apostrophes",
        "ItsPossessive": "misfires on 'it's time' and on titles",
        "ThatWhich": "'that that' is often grammatical",
        "FillerWords": "quotes are reported verbatim, fillers included",
        "Therein": "misfires on 'there in response'",
        "NoMatchFor": "misfires on 'no match at all'",
        "PronounContraction": "misfires on 'were the most ...'",
        "PayForPrice": "'pay for the cost' is sound English",
        "PossessiveNoun": "misfires on 'you folks are'",
        "ProgressiveNeedsBe": "misfires on 'as I have concerning ...'",
        "ThereIsAgreement": "misfires on 'there are between X and Y ...'",
    }
)


@dataclass(frozen=True)
class Kind:
    """One Harper lint kind as a copylint rule: its severity, whether it runs by default, and its doc."""

    key: str
    severity: Severity
    default_on: bool
    summary: str
    example: str
    use_instead: str

    @property
    def rule_id(self) -> str:
        """``grammar/harper-<kebab kind>``."""
        return PREFIX + _CAMEL.sub("-", self.key).lower()


_W, _I = Severity.WARNING, Severity.INFO
KINDS: tuple[Kind, ...] = (
    Kind(
        "Agreement",
        _W,
        True,
        "Words that do not agree in number or person",
        "The figures shows a rise.",
        "The figures show a rise.",
    ),
    Kind(
        "BoundaryError",
        _W,
        True,
        "Words joined or split at the wrong place",
        "Residents said alot of homes flooded.",
        "Residents said a lot of homes flooded.",
    ),
    Kind(
        "Capitalization",
        _W,
        True,
        "Capital letters where they do not belong, or missing",
        "Councillors met on tuesday.",
        "Councillors met on Tuesday.",
    ),
    Kind(
        "Eggcorn",
        _W,
        True,
        "A phrase misheard as a similar-sounding one",
        "The vote was a mute point by then.",
        "The vote was a moot point by then.",
    ),
    Kind(
        "Enhancement",
        _I,
        False,
        "Wording Harper would make more vivid (off by default)",
        "The plan is a very good idea.",
        "The plan is an excellent idea.",
    ),
    Kind(
        "Formatting",
        _I,
        False,
        "Spacing and layout (off by default: copylint's typography rules cover it)",
        "A spokesman  said the bridge would stay shut.",
        "A spokesman said the bridge would stay shut.",
    ),
    Kind(
        "Grammar",
        _W,
        True,
        "Wrong verb forms and other grammar errors",
        "The programme will aired on Sunday.",
        "The programme will air on Sunday.",
    ),
    Kind(
        "Malapropism",
        _W,
        True,
        "A word confused with a similar one of different meaning",
        "The minister eluded to new taxes.",
        "The minister alluded to new taxes.",
    ),
    Kind(
        "Miscellaneous",
        _W,
        True,
        "Other errors, such as 'a' and 'an' before the wrong sound",
        "The council approved an plan for the library.",
        "The council approved a plan for the library.",
    ),
    Kind(
        "Nonstandard",
        _W,
        True,
        "Nonstandard forms of words",
        "The vote went ahead irregardless of the rain.",
        "The vote went ahead regardless of the rain.",
    ),
    Kind(
        "Preposition",
        _W,
        True,
        "A wrong, missing or superfluous preposition",
        "The figures are similar like last year's.",
        "The figures are similar to last year's.",
    ),
    Kind(
        "Punctuation",
        _W,
        True,
        "Punctuation errors, such as a space before a comma or 'its' for 'it's'",
        "Its a long way to the coast.",
        "It's a long way to the coast.",
    ),
    Kind(
        "Readability",
        _I,
        False,
        "Hard-to-read passages (off by default)",
        "A sentence of fifty words with four clauses.",
        "Two or three shorter sentences.",
    ),
    Kind(
        "Redundancy",
        _I,
        False,
        "Words that repeat a meaning already expressed (off by default)",
        "All of the airlines raised fares.",
        "All the airlines raised fares.",
    ),
    Kind(
        "Regionalism",
        _I,
        False,
        "Words of another dialect than the one set (off by default)",
        "The price of petrol rose (with dialect = american).",
        "The price of gas rose.",
    ),
    Kind(
        "Repetition",
        _W,
        True,
        "A word repeated by mistake",
        "Police said the the road would reopen.",
        "Police said the road would reopen.",
    ),
    Kind(
        "Style",
        _I,
        False,
        "Wording choices where several are correct (off by default)",
        "A delay was not unlikely.",
        "A delay was likely.",
    ),
    Kind(
        "Typo",
        _W,
        True,
        "A slip of the fingers that still spells a word",
        "The mayor said he can be seem at the fair.",
        "The mayor said he can be seen at the fair.",
    ),
    Kind(
        "Usage",
        _W,
        True,
        "Unidiomatic collocations",
        "Officers were obsessed on the ledger.",
        "Officers were obsessed with the ledger.",
    ),
    Kind(
        "WordChoice",
        _W,
        True,
        "A wrong word for the context ('could of', 'along side')",
        "The firm could of closed the plant.",
        "The firm could have closed the plant.",
    ),
)
KIND_BY_KEY: Mapping[str, Kind] = MappingProxyType({kind.key: kind for kind in KINDS})
KIND_BY_ID: Mapping[str, Kind] = MappingProxyType({kind.rule_id: kind for kind in KINDS})
DEFAULT_KINDS = frozenset(kind.key for kind in KINDS if kind.default_on)


@dataclass(frozen=True)
class HarperSettings:
    """The validated ``harper`` config table."""

    enabled: bool | None = None  # None: runs only when grammar checks are selected
    dialect: str = "american"
    enabled_rules: tuple[str, ...] = ()
    disabled_rules: tuple[str, ...] = ()


def parse_settings(table: Mapping[str, Any], where: str) -> HarperSettings:
    """Validate the ``harper`` table of a config (``harper = true`` arrives as ``{"enabled": true}``)."""
    unknown = set(table) - _SETTING_KEYS
    if unknown:
        known = ", ".join(sorted(_SETTING_KEYS))
        raise ConfigError(f"{where}: harper: unknown key(s) {', '.join(sorted(unknown))} (known: {known})")
    enabled = table.get("enabled")
    if enabled is not None and not isinstance(enabled, bool):
        raise ConfigError(f"{where}: harper: 'enabled' must be true or false")
    dialect = table.get("dialect", "american")
    if not isinstance(dialect, str) or dialect.lower() not in DIALECTS:
        raise ConfigError(f"{where}: harper: 'dialect' must be one of {', '.join(DIALECTS)}")
    return HarperSettings(
        enabled=enabled,
        dialect=dialect.lower(),
        enabled_rules=string_list(table, "enabled_rules", f"{where}: harper"),
        disabled_rules=string_list(table, "disabled_rules", f"{where}: harper"),
    )


@dataclass(frozen=True, slots=True)
class HarperLint:
    """One Harper lint mapped to copylint: kind key, absolute span, message and distinct replacements."""

    kind: str
    span: Span
    message: str
    replacements: tuple[str, ...]


def harper_available() -> bool:
    """True if the ``harper-py`` package (module ``harper`` with a ``Linter``) can be imported."""
    try:
        import harper
    except ImportError:
        return False
    return hasattr(harper, "Linter")


def lint_config(settings: HarperSettings, where: str) -> dict[str, bool | None]:
    """Harper's rule switches for ``settings``: the news profile plus the user's changes (names validated)."""
    import harper

    defaults = harper.get_default_lint_config()
    for name in settings.enabled_rules + settings.disabled_rules:
        if name not in defaults:
            close = [n for n in defaults if n.lower() == name.lower()]
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise ConfigError(f"{where}: harper: unknown Harper rule {name!r}{hint}")
    config: dict[str, bool | None] = dict.fromkeys(defaults)
    for name in NEWS_PROFILE_OFF:
        if name in config:
            config[name] = False
    for name in settings.enabled_rules:
        config[name] = True
    for name in settings.disabled_rules:
        config[name] = False
    config["SpellCheck"] = False  # always: spelling is copylint's own
    return config


def _replacements(problem: str, suggestions: list[Any]) -> tuple[str, ...]:
    """Harper's suggestions as replacement texts for the flagged span, distinct and in Harper's order."""
    import harper

    out: list[str] = []
    for suggestion in suggestions:
        kind = suggestion.kind
        text = suggestion.replacement_text
        if kind == harper.SuggestionKind.REMOVE:
            text = ""
        elif kind == harper.SuggestionKind.INSERT_AFTER:
            text = problem + text
        # Harper sometimes offers the same word with a trailing space; the span has none, so neither may the fix.
        if problem and not problem[-1].isspace():
            text = text.rstrip()
        if problem and not problem[0].isspace():
            text = text.lstrip()
        if text != problem and text not in out:
            out.append(text)
    return tuple(out)


def _clean_message(message: str) -> str:
    return " ".join(message.replace("`", "'").split())


class HarperEngine:
    """The run's Harper linter (built on first use: about a second) and the lints of the last document."""

    def __init__(self, settings: HarperSettings, config: dict[str, bool | None], warn: Callable[[str], None]) -> None:
        self.settings = settings
        self._config = config
        self._warn = warn
        self._linter: Any = None
        self._broken = False
        self._last_document: Document | None = None
        self._last: tuple[HarperLint, ...] = ()

    def _get_linter(self) -> Any:
        if self._linter is None:
            import harper

            linter = harper.Linter(harper.Dialect[self.settings.dialect.upper()])
            linter.set_lint_config(self._config)
            self._linter = linter
        return self._linter

    def lints(self, document: Document, house_words: frozenset[str]) -> tuple[HarperLint, ...]:
        """Harper's lints on ``document`` (computed once per document for all kind rules)."""
        if document is self._last_document:
            return self._last
        result: tuple[HarperLint, ...] = ()
        if not self._broken:
            try:
                result = tuple(self._lint(document, house_words))
            except Exception as exc:  # a backend failure must not stop the run
                self._broken = True
                self._warn(f"Harper failed ({type(exc).__name__}: {exc}); grammar/harper-* checks skipped for this run")
        self._last_document, self._last = document, result
        return result

    def _lint(self, document: Document, house_words: frozenset[str]) -> Iterator[HarperLint]:
        linter = self._get_linter()
        accepted = house_words | document.accepted_words
        for block in document.blocks:
            if not block.text.strip():
                continue
            skipped = [t.span for t in block.tokens if t.kind in _SKIPPED_TOKENS]
            organised = linter.organized_lints(block.text, language="plaintext")
            for name, lint in sorted(((n, x) for n, xs in organised.items() for x in xs), key=lambda p: p[1].span.start):
                kind = lint.lint_kind
                if kind == "Spelling":
                    continue
                if kind not in KIND_BY_KEY:
                    kind = "Miscellaneous"  # a kind added by a newer Harper
                span = Span(block.start + lint.span.start, block.start + lint.span.end)
                if any(span.overlaps(s) for s in skipped):
                    continue
                problem = lint.problem_text
                if problem.strip() and _strip_possessive(problem.strip()) in accepted:
                    continue
                if name == "AnA" and _doubtful_article(block.text, lint.span.start, lint.span.end):
                    continue
                message = f"{_clean_message(lint.message)} (Harper: {name})"
                yield HarperLint(kind, span, message, _replacements(problem, lint.suggestions))


def _doubtful_article(text: str, start: int, end: int) -> bool:
    """True when 'a' or 'an' before the next word depends on how it is read aloud, or is the letter A.

    Harper judges by spelling; news copy is full of initialisms ('an MEP'), figures ('an 8% rise'), and
    words whose first letter has two sounds (unit/umbrella, hour/house, one/other, euro/egg; British 'an
    historic'), so only clear cases are kept.
    """
    if text[start:end] == "A":
        before = text[:start].rstrip(" \"'“‘(")
        if before and before[-1] not in ".!?:":
            return True  # the letter A mid-sentence: 'Group A', 'Plan A'
    match = _NEXT_WORD.match(text, end)
    if match is None:
        return True
    word = match.group(1).lstrip("\"'“‘(")
    if not word or not word[0].isalpha() or word[0] in _UNSURE_INITIALS:
        return True
    return len(word) == 1 or word[:2].isupper() or not word[1:2].isalpha()


def _strip_possessive(word: str) -> str:
    for ending in ("'s", "’s"):
        if word.endswith(ending):
            return word[: -len(ending)]
    return word


class HarperKindRule(BaseRule):
    """Findings of one Harper lint kind, as ``grammar/harper-<kind>``."""

    category = Category.GRAMMAR

    def __init__(self, kind: Kind, engine: HarperEngine | None) -> None:
        self.kind = kind
        self.engine = engine
        self.id = kind.rule_id
        self.default_severity = kind.severity
        self.summary = f"Harper: {kind.summary[0].lower()}{kind.summary[1:]}"
        self.doc = RuleDoc(
            what=(
                f"Runs Harper, the offline grammar checker (the copylint[harper] extra), and reports its "
                f"'{kind.key}' lints: {kind.summary[0].lower()}{kind.summary[1:]}. Opt-in: enable it with "
                "--harper, `harper = true` in the config, or by selecting `grammar` or this rule's id."
            ),
            why=(
                "Harper catches grammar slips that word lists miss. Its spelling lints are dropped in favour of "
                "copylint's own, its rules that clash with wire style are off, and a finding on the same words as "
                "one of copylint's is dropped."
            ),
            example=kind.example,
            use_instead=kind.use_instead,
            fix_safety=(
                "Unsafe: a single Harper suggestion becomes a fix applied only with --unsafe-fixes; several "
                "suggestions are listed without a fix. Grammar changes can change meaning, so review each one."
            ),
        )

    def check(self, document: Document, context: RuleContext) -> Iterator[Finding]:
        """Yield the Harper lints of this rule's kind."""
        if self.engine is None:
            return
        for lint in self.engine.lints(document, context.house_words):
            if lint.kind != self.kind.key:
                continue
            fix = None
            if len(lint.replacements) == 1:
                fix = Fix.replace(lint.span, lint.replacements[0], Applicability.UNSAFE)
            yield Finding(
                rule=self.id,
                category=self.category.value,
                message=lint.message,
                span=lint.span,
                severity=context.severity,
                fix=fix,
                suggestions=lint.replacements[:5],
            )

    def defer(self, produced: list[Finding], others: tuple[Finding, ...]) -> list[Finding]:
        """Drop findings on the same words as copylint's own (or another backend's) findings."""
        return give_way(produced, others, spelling_like=lambda f: False)


def kind_rules(engine: HarperEngine | None, keys: frozenset[str] = frozenset(KIND_BY_KEY)) -> tuple[HarperKindRule, ...]:
    """One rule per Harper kind in ``keys``, in the order of ``KINDS``."""
    return tuple(HarperKindRule(kind, engine) for kind in KINDS if kind.key in keys)
