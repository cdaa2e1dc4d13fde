"""Real-word errors: a real word typed in place of the intended one ("form" for "from"), found by context."""

from __future__ import annotations

import math
from collections.abc import Container, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from copylint.document import TokenKind
from copylint.errors import ConfigError
from copylint.finding import Applicability, Finding, Severity
from copylint.ngrams import ID_BITS, NgramModel, load_model
from copylint.rule import BaseRule, Category, PrepareInput, RuleContext, RuleDoc, match_case
from copylint.trigrams import BOUNDARY, TrigramModel, load_trigrams

if TYPE_CHECKING:
    from copylint.document import Block, Document, Token

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'"})
# Characters that glue a word to its neighbour ("pro-government", "and/or", "AT&T"): such a word is part
# of a compound the model knows nothing about, so it is left alone.
_JOINERS = frozenset("-‐‑–/&_@'’.\\+=*")
# Marks after which the next word starts a sentence or clause and may carry a capital.
_OPENERS = frozenset(".!?:;\"“”‘'(«[—–-")
LOG_PHRASE_END_FACTOR = math.log(5.0)  # extra evidence asked for when the word ends a phrase
# Extra evidence asked for in a headline, whose clipped grammar ('Mayor wins in expected result') the models
# of running text misjudge.
LOG_HEADLINE_FACTOR = math.log(10.0)
LOG_PAIRS_ONLY_FACTOR = math.log(3.0)  # extra evidence asked for when the window model is not installed
# How much the word pairs must favour an unlisted one-edit candidate before the window model weighs it: the
# window stage is the costly one, and weaker candidates almost never reach the edit threshold there.
LOG_EDIT_PREFILTER = math.log(50.0)
SENTENCE_START_PRIOR = 0.5  # how much a word's own frequency counts at the start of a sentence
_CAPITAL, _CUE, _MODEL = 1, 2, 4  # how a written token is checked (see ConfusionState.classify)
_ENTRY_KEYS = frozenset({"sets", "cues", "ignore"})
_CUE_KEYS = frozenset(
    {
        "written",
        "intended",
        "next",
        "after_quote",
        "after_name",
        "after",
        "after_ending",
        "after_comma",
        "before_stop",
        "before_consonant",
        "before_capital",
    }
)
_FLAG_KEYS = ("after_quote", "after_name", "after_comma", "before_stop", "before_consonant", "before_capital")
_STOPS = frozenset(",.;:?!")
_CONSONANTS = frozenset("bcdfgjklmnpqrstvwxz")
_CLOSING_QUOTES = frozenset("\"”’'")
_QUOTE_ENDS = frozenset(",.!?")


@dataclass(frozen=True, slots=True)
class Cue:
    """A fixed context that settles a confusion the word-pair model cannot (contractions, attributions,
    grammar the counts blur). The cue applies when one of its conditions on what comes before holds (if it
    has any) and one of its conditions on what comes after holds (if it has any)."""

    written: str
    intended: str
    next_words: frozenset[str]
    after_quote: bool = False  # also when the word follows the end of a quotation (',” sad the mayor')
    after_name: bool = False  # also when the word follows a capitalised word inside a sentence ('Ruiz sad')
    after_words: frozenset[str] = frozenset()  # also right after one of these words ('a lot if' -> 'of')
    after_endings: tuple[str, ...] = ()  # also right after a lower-case word with this ending ('named be')
    after_comma: bool = False  # right after a comma (', with was' -> 'which')
    before_stop: bool = False  # right before a comma, full stop, colon, semicolon or question mark
    before_consonant: bool = False  # before a word (not an acronym) starting with a consonant other than h
    before_capital: bool = False  # before a capitalised word, not an acronym: a name ('they Labour' -> 'the')

    @property
    def looks_before(self) -> bool:
        """True if the cue has conditions on what comes before the word."""
        return bool(self.after_quote or self.after_name or self.after_words or self.after_endings or self.after_comma)

    @property
    def looks_after(self) -> bool:
        """True if the cue has conditions on what comes after the word."""
        return bool(self.next_words or self.before_stop or self.before_consonant or self.before_capital)


class CueTrigger(NamedTuple):
    """What any of a word's cues could look at, so that most occurrences of common words ('in', 'of')
    are passed over without building their context."""

    next_words: frozenset[str]
    after_words: frozenset[str]
    after_comma: bool
    other: bool  # a cue looks at quotes, names, endings, stops or initials: always look closer


@dataclass(frozen=True)
class Lexicon:
    """The validated confusion data: each word's listed alternatives, the cues, and words never flagged."""

    alternatives: Mapping[str, tuple[tuple[str, float | None], ...]]  # word -> (alternative, own threshold)
    cues: Mapping[str, tuple[Cue, ...]]
    ignore: frozenset[str]


# One side of a word's context, for the written word and its listed alternatives: log values, whether each
# rests on listed pairs, the best gain of an alternative over the written word, and whether the written word
# fits (is attested next to the context word, or too rare for the pair to have been listed).
Side = tuple[tuple[float, ...], tuple[bool, ...], float, bool]
_NO_GAIN = -1e300
MEMO_LIMIT = 500_000  # sides, fits and decisions remembered, each: memory stays bounded over long batches
# A written word as the rule sees it: how it is checked (``_CAPITAL``, ``_CUE``, ``_MODEL`` bits; 0 = never),
# its candidates, its lower-case form, and its model id as a neighbour (of its lower-case form if capitalised:
# the pair counts are case-folded; -1 where none applies).
WordClass = tuple[int, "_WordInfo | None", str, int]
_NOT_A_WORD: WordClass = (0, None, "", -1)
# The word-pair stage's verdict on a word between two neighbours: the candidates the pairs favour, as
# (log gain, word, log threshold), for the window stage to weigh.
Decision = tuple[tuple[float, str, float], ...]
_NO_DECISION: Decision = ()
_SENTENCE_ENDS = frozenset(".!?;:")


def _gain(values: tuple[float, ...]) -> float:
    """How much better the best alternative (positions 1...) scores than the written word (position 0)."""
    return max(values[1:]) - values[0] if len(values) > 1 else _NO_GAIN


@dataclass(slots=True)
class _WordInfo:
    """What the rule needs to know about one written (lower-case) word, computed once per word."""

    word_id: int
    listed: tuple[tuple[str, int, float], ...]  # listed alternatives with their model ids and log thresholds
    edits: tuple[tuple[str, int], ...]  # real words one edit away with their model ids (not listed)
    ids: tuple[int, ...] = ()  # the written word, then the listed alternatives
    edit_ids: tuple[int, ...] = ()  # the one-edit candidates
    names: tuple[str, ...] = ()
    thresholds: tuple[float, ...] = ()  # log thresholds of the written word (0) and listed alternatives
    log_counts: tuple[float, ...] = ()
    zeros: tuple[float, ...] = ()
    unseen: tuple[bool, ...] = ()
    min_threshold: float = 0.0  # the bound for the quick rejection: no listed alternative gains more
    no_right: Side = ((), (), 0.0, True)  # the right side when nothing scorable follows
    starts: tuple[Side, Side] = (((), (), 0.0, True), ((), (), 0.0, True))  # left side with no word before
    # Remembered per neighbouring word (see ConfusionState.fits and .sides), keyed by its id with flags in the
    # low bits: small keys, cheaper to hash than one key for the pair.
    fit_memo: dict[int, bool] = field(default_factory=dict)  # context << 1 | left
    side_memo: dict[int, Side] = field(default_factory=dict)  # context << 2 | left << 1 | edits

    def __post_init__(self) -> None:
        self.ids = (self.word_id, *(i for _, i, _ in self.listed))
        self.edit_ids = tuple(i for _, i in self.edits)
        self.names = ("", *(w for w, _, _ in self.listed), *(w for w, _ in self.edits))
        self.thresholds = (0.0, *(t for _, _, t in self.listed))
        self.zeros = (0.0,) * (len(self.ids) + len(self.edit_ids))
        self.unseen = (False,) * (len(self.ids) + len(self.edit_ids))
        # A listed alternative goes on to the window model only if the word pairs favour it (gain > 0), or
        # less if a threshold factor below 1 asks for it.
        self.min_threshold = min((0.0, *self.thresholds[1:]))
        self.no_right = (self.zeros, self.unseen, _gain(self.zeros[: len(self.ids)]), True)

    def set_counts(self, log_counts: tuple[float, ...]) -> None:
        """Remember the candidates' log counts, which stand in for the left side at the start of a phrase."""
        self.log_counts = log_counts
        n = len(self.ids)
        damped = tuple(SENTENCE_START_PRIOR * v for v in log_counts[:n])
        self.starts = (
            (damped, self.unseen, _gain(damped), True),
            (log_counts[:n], self.unseen, _gain(log_counts[:n]), True),
        )




@dataclass
class ConfusionState:
    """The rule's prepared state: the lexicon, thresholds and the lazily loaded n-gram model."""

    lexicon: Lexicon
    log_threshold: float
    log_edit_threshold: float
    log_factor: float
    use_edits: bool
    max_edit_candidates: int
    _model: NgramModel | None = None
    _words: dict[str, _WordInfo | None] = field(default_factory=dict)
    _remembered_sides: int = 0  # entries in the word infos' side_memo, bounded by MEMO_LIMIT
    _remembered_fits: int = 0  # and in their fit_memo
    _classes: dict[str, WordClass] = field(default_factory=dict)
    trigram_weight: float = 0.0
    decisions: dict[int, Decision] = field(default_factory=dict)
    _trigrams: TrigramModel | None = None
    _trigrams_loaded: bool = False
    triggers: dict[str, CueTrigger] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for word, word_cues in self.lexicon.cues.items():
            self.triggers[word] = CueTrigger(
                frozenset().union(*(c.next_words for c in word_cues)),
                frozenset().union(*(c.after_words for c in word_cues)),
                any(c.after_comma for c in word_cues),
                any(
                    c.after_quote or c.after_name or c.after_endings or c.before_stop or c.before_consonant or c.before_capital
                    for c in word_cues
                ),
            )

    @property
    def trigrams(self) -> TrigramModel | None:
        """The five-word window model, loaded on first use; None if the rule runs on word pairs alone."""
        if not self._trigrams_loaded:
            self._trigrams = load_trigrams() if self.trigram_weight > 0.0 else None
            self._trigrams_loaded = True
        return self._trigrams

    @property
    def model(self) -> NgramModel:
        """The n-gram model, loaded (or built and cached) on first use."""
        if self._model is None:
            self._model = load_model()
        return self._model

    def classify(self, written: str) -> WordClass:
        """How a written word is checked and what it gives its neighbours (see ``WordClass``), remembered
        per spelling."""
        found = self._classes.get(written)
        if found is None:
            found = self._classify(written)
            if len(self._classes) < 200_000:
                self._classes[written] = found
        return found

    def _classify(self, written: str) -> WordClass:
        model = self.model
        mode = 0
        if written[0].isupper():
            if len(written) > 1 and not written[1:].islower():
                return 0, None, written, -1  # all capitals or inner capitals: an acronym or a name
            mode |= _CAPITAL
        elif not written.islower():
            return 0, None, written, -1
        lower = written.lower().translate(_APOSTROPHES)
        # As a neighbour: the id of the word as written in lower case, or of its lower-case form if capitalised.
        neighbour_id = model.word_id(written if written.islower() else lower)
        if lower in self.lexicon.cues:
            mode |= _CUE
        if "'" in lower:
            return (mode if mode & _CUE else 0), None, lower, neighbour_id  # the model has no contractions
        info = self.info(lower)
        if info is not None:
            mode |= _MODEL
        return (mode if mode & (_CUE | _MODEL) else 0), info, lower, neighbour_id

    def info(self, word: str) -> _WordInfo | None:
        """Candidates for a lower-case written word, or None if it is not worth scoring."""
        if word in self._words:
            return self._words[word]
        result = self._compute(word)
        if len(self._words) < 100_000:
            self._words[word] = result
        return result

    def _compute(self, word: str) -> _WordInfo | None:
        if word in self.lexicon.ignore:
            return None
        model = self.model
        word_id = model.word_id(word)
        if word_id < 0:
            return None  # not a word the model knows: a spelling matter, or a name
        listed_words = self.lexicon.alternatives.get(word, ())
        near_ids = model.neighbour_ids(word_id) if self.use_edits and len(word) >= 2 else ()
        if not listed_words and not near_ids:
            return None  # most words met: nothing listed and no common word one edit away
        listed = tuple(
            (w, i, (self.log_threshold if t is None else math.log(t)) + self.log_factor)
            for w, t in listed_words
            if (i := model.word_id(w)) >= 0
        )
        edits: tuple[tuple[str, int], ...] = ()
        if near_ids:
            taken = {w for w, _ in listed_words}
            ignore = self.lexicon.ignore
            words = model.words
            near = [(w, i) for i in near_ids if (w := words[i]) not in taken and w not in ignore]
            edits = tuple(near[: self.max_edit_candidates])
        if not listed and not edits:
            return None
        info = _WordInfo(word_id, listed, edits)
        info.set_counts(tuple(math.log(model.count(i)) for i in info.ids + info.edit_ids))
        return info

    def fits(self, model: NgramModel, info: _WordInfo, context: int, left: bool) -> bool:
        """True if the word fits next to its context word (before it if ``left``): the pair, or the context
        word's class with the word, is listed, or the pair is too rare to have been listed (remembered)."""
        key = context << 1 | left
        found = info.fit_memo.get(key)
        if found is None:
            first, second = (context, info.word_id) if left else (info.word_id, context)
            # Most pairs met for the first time are too rare to have been listed (about 3 in 4 over a batch of
            # news copy): that test costs two reads, the listing look-ups a walk through two large tables.
            found = _unremarkable(model, first, second) or model.attested(first, second, left)
            if self._remembered_fits < MEMO_LIMIT:
                info.fit_memo[key] = found
                self._remembered_fits += 1
        return found

    def sides(self, model: NgramModel, info: _WordInfo, context: int, left: bool, edits: bool) -> Side:
        """One side (see ``Side``) next to ``context`` for the written word and its listed alternatives, or
        (``edits``) for its one-edit candidates, remembered."""
        key = context << 2 | left << 1 | edits
        found = info.side_memo.get(key)
        if found is None:
            word_id = info.word_id
            values, seen = model.log_sides(info.edit_ids if edits else info.ids, context, left)
            fits = seen[0] or (
                _unremarkable(model, context, word_id) if left else _unremarkable(model, word_id, context)
            )
            found = (values, seen, _NO_GAIN if edits else _gain(values), fits)
            if self._remembered_sides < MEMO_LIMIT:
                info.side_memo[key] = found
                self._remembered_sides += 1
        return found


def _strings(lexicon: Any, value: Any, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise lexicon.error(f"{what} must be a list of non-empty strings", what.split()[0])
    return [v.strip().translate(_APOSTROPHES) for v in value]


def _threshold(lexicon: Any, value: Any, what: str) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 1:
        raise lexicon.error(f"a confusion set's {what} must be a number of at least 1", what)
    return float(value)


def parse_lexicons(lexicons: Sequence[Any]) -> Lexicon:
    """Validate the `lexicon` files addressed to this rule and merge them (later files add to earlier)."""
    alternatives: dict[str, dict[str, float | None]] = {}
    cues: dict[str, list[Cue]] = {}
    ignore: set[str] = set()
    for lexicon in lexicons:
        entries = lexicon.entries
        if not isinstance(entries, dict):
            raise lexicon.error("entries must be a table with sets, cues and/or ignore", "entries")
        unknown = set(entries) - _ENTRY_KEYS
        if unknown:
            names = ", ".join(sorted(unknown))
            raise lexicon.error(f"unknown entries key(s): {names} (known: cues, ignore, sets)", sorted(unknown)[0])
        sets = entries.get("sets", [])
        if not isinstance(sets, list):
            raise lexicon.error("sets must be a list of lists of words", "sets")
        for item in sets:
            members, threshold = item, None
            written_thresholds: dict[str, float] = {}
            flagged: set[str] | None = None  # the members flagged when written (None: all of them)
            if isinstance(item, dict):
                if set(item) - {"words", "threshold", "written_thresholds", "written"} or "words" not in item:
                    raise lexicon.error(
                        "a confusion set table needs 'words' and may give 'threshold', 'written_thresholds' and 'written'",
                        "words",
                    )
                if "written" in item:
                    flagged = {w.lower() for w in _strings(lexicon, item["written"], "written")}
                members, threshold = item["words"], item.get("threshold")
                if threshold is not None:
                    threshold = _threshold(lexicon, threshold, "threshold")
                raw_written = item.get("written_thresholds", {})
                if not isinstance(raw_written, dict):
                    raise lexicon.error("written_thresholds must be a table of member word = threshold", "written_thresholds")
                written_thresholds = {
                    str(w).lower(): _threshold(lexicon, t, "written_thresholds") for w, t in raw_written.items()
                }
            words = [w.lower() for w in _strings(lexicon, members, "sets entry")]
            if set(written_thresholds) - set(words):
                raise lexicon.error("written_thresholds names a word that is not in the set", "written_thresholds")
            if flagged is not None and (not flagged or flagged - set(words)):
                raise lexicon.error("written must name one or more words of the set", "written")
            if len(words) < 2 or len(set(words)) != len(words):
                needle = str(members[0]) if members else "sets"
                raise lexicon.error(f"confusion set {members!r} needs two or more different words", needle)
            for word in words:
                if not all(part.isalpha() for part in word.split("'")):
                    raise lexicon.error(f"{word!r} in a confusion set is not a single word", word)
                if flagged is not None and word not in flagged:
                    continue  # only ever a candidate for the others
                bucket = alternatives.setdefault(word, {})
                for other in words:
                    if other != word:
                        bucket[other] = written_thresholds.get(word, threshold)  # a later file may re-rate a set
        raw_cues = entries.get("cues", [])
        if not isinstance(raw_cues, list):
            raise lexicon.error("cues must be a list of tables ([[entries.cues]])", "cues")
        for cue in raw_cues:
            if not isinstance(cue, dict) or not {"written", "intended"} <= set(cue) <= _CUE_KEYS:
                raise lexicon.error("each cue needs written and intended, with next and/or after_quote", "cues")
            flags = {key: cue.get(key, False) for key in _FLAG_KEYS}
            if not all(isinstance(v, bool) for v in flags.values()):
                raise lexicon.error(f"{', '.join(_FLAG_KEYS)} must be true or false", "_")
            if not (any(flags.values()) or cue.get("next") or cue.get("after") or cue.get("after_ending")):
                raise lexicon.error(
                    "a cue needs a list of next words, after words or after endings, or one of the flags", "written"
                )
            written = _strings(lexicon, [cue["written"]], "written")[0].lower()
            intended = _strings(lexicon, [cue["intended"]], "intended")[0]
            if written == intended.lower():
                raise lexicon.error(f"cue for {written!r} corrects a word to itself", written)
            next_words = frozenset(w.lower() for w in _strings(lexicon, cue.get("next", []), "next"))
            after_words = frozenset(w.lower() for w in _strings(lexicon, cue.get("after", []), "after"))
            endings = tuple(w.lower() for w in _strings(lexicon, cue.get("after_ending", []), "after_ending"))
            cues.setdefault(written, []).append(
                Cue(
                    written,
                    intended,
                    next_words,
                    flags["after_quote"],
                    flags["after_name"],
                    after_words,
                    endings,
                    flags["after_comma"],
                    flags["before_stop"],
                    flags["before_consonant"],
                    flags["before_capital"],
                )
            )
        ignore.update(w.lower() for w in _strings(lexicon, entries.get("ignore", []), "ignore"))
    return Lexicon(
        MappingProxyType({w: tuple(a.items()) for w, a in alternatives.items()}),
        MappingProxyType({w: tuple(c) for w, c in cues.items()}),
        frozenset(ignore),
    )


@dataclass(frozen=True, slots=True)
class _Either:
    """Membership in either of two sets, without building their union."""

    first: frozenset[str]
    second: frozenset[str]

    def __contains__(self, item: object) -> bool:
        return item in self.first or item in self.second


def _is_sentence_start(tokens: Sequence[Token], i: int) -> bool:
    return i == 0 or (tokens[i - 1].kind is TokenKind.PUNCT and tokens[i - 1].text in _OPENERS)


def _glued(text: str, token: Token) -> bool:
    """True if the token touches a joining character on either side ("pro-government", "U.S.")."""
    start, end = token[1], token[2]  # by position: this runs for most words
    if start > 0 and text[start - 1] in _JOINERS:
        return True
    if end >= len(text):
        return False
    after = text[end]
    if after == ".":
        return end + 1 < len(text) and text[end + 1].isalnum()
    return after in _JOINERS


class RealWordConfusion(BaseRule):
    """Flags a real word that is very likely a slip for another ("form" for "from", "sad" for "said")."""

    id = "confusion/real-word"
    category = Category.CONFUSION
    default_severity = Severity.WARNING
    summary = "A real word where context says another was meant (form/from, sad/said, than/then)"
    default_options = MappingProxyType(
        {
            "threshold": 90.0,
            "edit_threshold": 3000.0,
            "threshold_factor": 1.0,
            "edit_candidates": True,
            "max_edit_candidates": 8,
            "trigram_weight": 0.7,
        }
    )
    doc = RuleDoc(
        what=(
            "Flags a correctly spelled word that is probably a slip for another real word: one from a confusion\n"
            "set (rules/confusion/*.toml: form/from, sad/said, than/then, trial/trail, affect/effect...) or any\n"
            "common word one keystroke away (has/as, at/are, the/they). Scoring has two stages. First the word\n"
            "pairs: each candidate against the written word with the words either side, from Google Books\n"
            "word-pair counts shipped by symspellpy. Candidates the pairs favour are then weighed over a window of\n"
            "two words either side with CMU Sphinx's English trigram model, shipped by pocketsphinx, and the word\n"
            "is flagged only when the blend of both gains says the alternative is much more likely there.\n"
            "Cues in the same lexicons settle what the models blur: contractions (its/it's), attributions\n"
            "(',” sad the mayor') and grammar ('rather then', 'could of been', 'named be', 'cordoned of').\n"
            "Options: `threshold` (default 90) is how many times more likely a listed alternative must be, for\n"
            "sets that do not carry their own `threshold` in the lexicon (function-word sets such as if/of carry\n"
            "higher ones); `edit_threshold` (default 3000) the same for an unlisted word one edit away, which is\n"
            "only tried where the written word is not attested next to its neighbours; `threshold_factor`\n"
            "(default 1.0) multiplies every threshold: 2 or 4 for fewer, surer findings, 0.5 or 0.25 to catch\n"
            "more; `trigram_weight` (default 0.7) is the window model's share of the evidence (0: word pairs\n"
            "alone); `edit_candidates` (default true) switches one-edit candidates off; `max_edit_candidates`\n"
            "(default 8) caps how many are scored per word. Without pocketsphinx (or at weight 0) the word pairs\n"
            "decide alone and every threshold is tripled. A headline without a closing full stop asks for\n"
            "ten times more."
        ),
        why=(
            "Spell checkers pass these slips because every word is in the dictionary, and the eye reads the\n"
            "intended word. They are among the most common errors that reach print on a wire desk."
        ),
        example=(
            "Rebels withdrew form the village on Sunday.\n"
            "The mayor, Ana Ruiz, sad the bridge would reopen.\n"
            "Turnout was higher then expected."
        ),
        use_instead=(
            "Rebels withdrew from the village on Sunday.\n"
            "The mayor, Ana Ruiz, said the bridge would reopen.\n"
            "Turnout was higher than expected."
        ),
        fix_safety=(
            "Unsafe: the fix puts in the most likely word, but context can mislead a statistical model and a\n"
            "wrong fix changes the meaning, so it is applied only with --unsafe-fixes. Other likely words are\n"
            "listed as suggestions. The same word used correctly ('form a government', 'a sad day') is left\n"
            "alone, and so are capitalised words inside a sentence (names), words glued to a hyphen or slash,\n"
            "house words and words listed under `ignore` in a confusion lexicon."
        ),
    )

    def prepare(self, inputs: PrepareInput) -> ConfusionState:
        """Validate the confusion lexicons and set up the (lazily loaded) model."""
        options = inputs.options
        threshold = float(options["threshold"])
        edit_threshold = float(options["edit_threshold"])
        factor = float(options["threshold_factor"])
        trigram_weight = float(options["trigram_weight"])
        if threshold < 1.0 or edit_threshold < 1.0 or factor <= 0.0:
            raise ConfigError(f"{self.id}: threshold and edit_threshold must be at least 1, threshold_factor above 0")
        if not 0.0 <= trigram_weight <= 1.0:
            raise ConfigError(f"{self.id}: trigram_weight must be between 0 and 1")
        return ConfusionState(
            lexicon=parse_lexicons(inputs.lexicons),
            log_threshold=math.log(threshold),
            log_edit_threshold=math.log(edit_threshold),
            log_factor=math.log(factor),
            use_edits=bool(options["edit_candidates"]),
            max_edit_candidates=max(0, int(options["max_edit_candidates"])),
            trigram_weight=trigram_weight,
        )

    def check(self, document: Document, context: RuleContext) -> Iterator[Finding]:
        """Score each checkable word against its candidates in the words either side."""
        state = context.state
        if not isinstance(state, ConfusionState):
            state = self.prepare(PrepareInput(context.options, context.house_words, ()))
        # Not a union: house word lists can be long, and this runs once per article.
        skip = document.accepted_words if not context.house_words else _Either(context.house_words, document.accepted_words)
        for block in document.blocks:
            yield from self._check_block(document.text, block, state, context, skip)

    def _check_block(
        self, text: str, block: Block, state: ConfusionState, context: RuleContext, skip: Container[str]
    ) -> Iterator[Finding]:
        tokens = block.tokens
        model = state.model
        cues = state.lexicon.cues
        headline = block.is_headline
        # A headline in clipped grammar (no closing full stop) asks for more evidence in the window stage.
        clipped = LOG_HEADLINE_FACTOR if headline and tokens and tokens[-1].text not in _SENTENCE_ENDS else 0.0
        word_kind = TokenKind.WORD
        found_class = state._classes.get
        classify = state.classify
        decisions = state.decisions
        triggers = state.triggers
        sides = state.sides
        fits = state.fits
        joiners = _JOINERS
        size = len(text)
        # One look-up per token; each word's class also serves its neighbours.
        classes = [
            (found_class(t[0]) or classify(t[0])) if t[3] is word_kind else _NOT_A_WORD for t in tokens
        ]
        classes.append(_NOT_A_WORD)
        for i, (mode, info, lower, _) in enumerate(classes):
            if mode != _MODEL:  # a lower-case word scored by the model alone: the common case, and nothing to ask
                if not mode:
                    continue
                if mode & _CAPITAL and ((headline and i > 0) or not _is_sentence_start(tokens, i)):
                    # A capital inside a sentence marks a name; headlines capitalise freely, so only their first
                    # word counts.
                    continue
                if mode & _CUE:
                    trigger = triggers[lower]
                    if (
                        trigger.other
                        or classes[i + 1][2].lower() in trigger.next_words
                        or (
                            i > 0
                            and (tokens[i - 1][0] in trigger.after_words or (trigger.after_comma and tokens[i - 1][0] == ","))
                        )
                    ):
                        finding = self._cue(text, tokens, i, lower, cues, context)
                        if finding is not None:
                            yield finding
                            continue
            if info is None:
                continue
            word_id = info.word_id
            # The neighbours' ids, before compounds are ruled out (classes[-1] stands for nothing before).
            prev_id = classes[i - 1][3]
            next_id = classes[i + 1][3]
            if not info.listed:
                # Only one-edit candidates, which are tried only where the word does not fit: the common case.
                # A word that fits its neighbours is passed over before any compound is looked for: ruling a
                # neighbour out as part of a compound only leaves less to fit.
                fit: bool | None = True
                if prev_id >= 0:
                    fit = info.fit_memo.get(prev_id << 1 | 1)
                    if fit is None:
                        fit = fits(model, info, prev_id, True)
                if fit and next_id >= 0:
                    fit = info.fit_memo.get(next_id << 1)
                    if fit is None:
                        fit = fits(model, info, next_id, False)
                if fit:
                    continue
            token = tokens[i]
            start, end = token[1], token[2]  # inlined: this runs for most words
            if ((start > 0 and text[start - 1] in joiners) or (end < size and text[end] in joiners)) and _glued(
                text, token
            ):
                continue  # part of a compound ("pro-government", "and/or"), which the model knows nothing about
            ruled_out = False  # a neighbour that is part of a compound
            if prev_id >= 0:
                before = tokens[i - 1]
                start = before[1]
                if ((start > 0 and text[start - 1] in joiners) or text[before[2]] in joiners) and _glued(text, before):
                    prev_id, ruled_out = -1, True
            if next_id >= 0:
                after = tokens[i + 1]
                end = after[2]
                if ((end < size and text[end] in joiners) or text[after[1] - 1] in joiners) and _glued(text, after):
                    next_id, ruled_out = -1, True
            if prev_id < 0 and next_id < 0:
                continue  # no context to judge by
            if (
                ruled_out  # the word may fit the neighbour that is left
                and not info.listed
                and (prev_id < 0 or fits(model, info, prev_id, True))
                and (next_id < 0 or fits(model, info, next_id, False))
            ):
                continue
            if lower in skip:
                continue
            if prev_id >= 0:
                left = info.side_memo.get(prev_id << 2 | 2) or sides(model, info, prev_id, True, False)
            else:
                # Nothing before: the word's own frequency stands in for the left side. At the start of a
                # sentence it is damped, as sentences open with other words ("If", "But") than running text.
                left = info.starts[i > 0 and tokens[i - 1].text == ","]
            if next_id >= 0:
                right = info.side_memo.get(next_id << 2) or sides(model, info, next_id, False, False)
                end_factor = 0.0
            else:
                right = info.no_right
                # Before a comma or full stop there is no right side to compare, and the left side alone
                # overrates words that rarely end a phrase ("they were said," for "they were sad,"): ask for more.
                end_factor = LOG_PHRASE_END_FACTOR
            if left[3] and right[3] and left[2] + right[2] - end_factor <= info.min_threshold:
                continue  # the word fits both neighbours and no listed alternative can beat it: the common case
            key = ((((prev_id + 1) << ID_BITS | word_id) << ID_BITS | (next_id + 1)) << 2) | (left is info.starts[1]) << 1
            key |= left is info.starts[0]
            best = decisions.get(key)
            if best is None:
                best = self._best(model, state, info, prev_id, next_id, left, right, end_factor)
                if len(decisions) < MEMO_LIMIT:
                    decisions[key] = best
            if best is _NO_DECISION:
                continue
            winners = _weigh(state, tokens, i, lower, best, clipped)
            if winners:
                winners.sort(reverse=True)
                yield self._report(token, winners, context)

    def _best(
        self,
        model: NgramModel,
        state: ConfusionState,
        info: _WordInfo,
        prev_id: int,
        next_id: int,
        left_side: Side,
        right_side: Side,
        end_factor: float,
    ) -> Decision:
        """The word-pair stage (see ``Decision``): listed alternatives, and one-edit candidates where the
        written word does not fit its neighbours, that the word pairs favour.

        A word's score is log P(word | previous) + log P(next | word); with no word before, the word's
        own frequency stands in for the left side. Each side's values for the written word and all its
        candidates are remembered per neighbouring word, as pairs recur.
        """
        left, left_seen, _, left_fits = left_side
        right, right_seen, _, right_fits = right_side
        base = left[0] + right[0] + end_factor
        listed = len(info.listed)
        favoured: list[tuple[float, str, float]] = []
        for k in range(1, listed + 1):
            gain = left[k] + right[k] - base
            threshold = info.thresholds[k]
            if gain > min(0.0, threshold) and (left_seen[k] or right_seen[k]):
                favoured.append((gain, info.names[k], threshold))
        # A word attested with both its neighbours is not taken for a slip unless a list says so:
        # "the find of" is sound even though "the kind of" is far more common. Nor is a pair's absence
        # held against a word too rare for the pair to have been listed ("has been strained").
        if not (left_fits and right_fits) and info.edit_ids:
            edits = info.edit_ids
            offset = listed + 1
            if prev_id >= 0:
                left, left_seen, _, _ = state.sides(model, info, prev_id, True, True)
            else:
                prior = 1.0 if left_side is info.starts[1] else SENTENCE_START_PRIOR
                left, left_seen = tuple(prior * v for v in info.log_counts[offset:]), info.unseen
            if next_id >= 0:
                right, right_seen, _, _ = state.sides(model, info, next_id, False, True)
            else:
                right, right_seen = info.zeros, info.unseen
            edit_threshold = state.log_edit_threshold + state.log_factor
            for k in range(len(edits)):
                gain = left[k] + right[k] - base
                if gain > min(LOG_EDIT_PREFILTER, edit_threshold) and (left_seen[k] or right_seen[k]):
                    favoured.append((gain, info.names[offset + k], edit_threshold))
        if not favoured:
            return _NO_DECISION
        return tuple(favoured)

    def _report(self, token: Token, winners: list[tuple[float, str]], context: RuleContext) -> Finding:
        written = token.text
        choices = tuple(match_case(written, word) for _, word in winners[:3])
        return self.finding(
            context,
            token.span,
            f"'{written}' may be a slip for '{choices[0]}' here",
            replacement=choices[0],
            applicability=Applicability.UNSAFE,
            suggestions=choices,
        )

    def _cue(
        self, text: str, tokens: Sequence[Token], i: int, lower: str, cues: Mapping[str, tuple[Cue, ...]], context: RuleContext
    ) -> Finding | None:
        following = ""
        next_token = tokens[i + 1] if i + 1 < len(tokens) else None
        if next_token is not None and next_token.kind is TokenKind.WORD and not _glued(text, next_token):
            following = next_token.text
        stop = next_token is not None and next_token.kind is TokenKind.PUNCT and next_token.text in _STOPS
        if stop and next_token is not None and next_token.end < len(text) and not text[next_token.end].isspace():
            stop = False  # an ellipsis ('far faster than...') or a decimal ('less than .07'), not a stop
        previous = ""
        if i >= 1 and tokens[i - 1].kind is TokenKind.WORD and not _glued(text, tokens[i - 1]):
            previous = tokens[i - 1].text
        # The end of a quotation: a closing quote mark right after , . ! or ?, then a space before the word.
        quoted = _after_quotation(tokens, i)
        # A capitalised word inside a sentence, or right after a quotation (',” Ruiz sad'), is a name.
        named = bool(previous) and previous[0].isupper()
        named = named and (not _is_sentence_start(tokens, i - 1) or _after_quotation(tokens, i - 1))
        comma = i >= 1 and tokens[i - 1].text == ","
        for cue in cues.get(lower, ()):
            before = ""
            if cue.looks_before:
                if quoted and cue.after_quote:
                    before = "after a quotation"
                elif (
                    (named and cue.after_name)
                    or previous in cue.after_words  # as written: 'May by' is a month, not 'may be'
                    or (previous.islower() and cue.after_endings and _ends_with(previous, cue.after_endings))
                ):
                    before = f"after '{previous}'"
                elif comma and cue.after_comma:
                    before = "after a comma"
                else:
                    continue
            after = ""
            if cue.looks_after:
                if following and following.lower().translate(_APOSTROPHES) in cue.next_words:
                    after = f"before '{following}'"
                elif stop and cue.before_stop and next_token is not None:
                    after = f"before '{next_token.text}'"
                elif (cue.before_consonant and following[:1].lower() in _CONSONANTS and following[1:].islower()) or (
                    cue.before_capital and following[:1].isupper() and following[1:].islower()
                ):
                    after = f"before '{following}'"
                else:
                    continue
            where = after or before
            written = tokens[i].text
            intended = cue.intended.replace("'", "’") if "’" in written or "’" in text else cue.intended
            replacement = match_case(written, intended)
            return self.finding(
                context,
                tokens[i].span,
                f"'{written}' {where} should be '{replacement}'",
                replacement=replacement,
                applicability=Applicability.UNSAFE,
            )
        return None


def _weigh(
    state: ConfusionState,
    tokens: Sequence[Token],
    i: int,
    written: str,
    favoured: tuple[tuple[float, str, float], ...],
    extra: float = 0.0,
) -> list[tuple[float, str]]:
    """Candidates that beat the written word by their threshold, as (margin, word).

    The evidence is the word-pair gain blended with the trigram model's gain over a window of two words
    either side (``trigram_weight`` of it from the window), or the word-pair gain alone, asked for more,
    without that model. ``extra`` is added to every threshold (in headlines).
    """
    trigrams = state.trigrams
    if trigrams is None:
        extra += LOG_PAIRS_ONLY_FACTOR
        return [(gain - threshold - extra, word) for gain, word, threshold in favoured if gain > threshold + extra]
    left, right = _window(tokens, i)
    written_score, *scores = trigrams.window_scores(left, (written, *(word for _, word, _ in favoured)), right)
    weight = state.trigram_weight
    winners = []
    for (gain, word, threshold), score in zip(favoured, scores, strict=True):
        window_gain = score - written_score
        margin = (1.0 - weight) * gain + weight * window_gain - threshold - extra
        if margin > 0.0:
            winners.append((margin, word))
    return winners


_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
    " seventeen eighteen nineteen"
).split()
_TENS = "zero ten twenty thirty forty fifty sixty seventy eighty ninety".split()


def spoken_start(number: str) -> str:
    """The first word of a figure read aloud ('18-year-old' -> 'eighteen', '1998' -> 'nineteen', '2006' ->
    'two'), which decides 'a' or 'an' before it; the trigram model was built from text with figures spelled out."""
    digits = number[: len(number) - len(number.lstrip("0123456789"))]
    if not digits:
        return "number"
    value = int(digits)
    if value < 20:
        return _ONES[value]
    if value < 100:
        return _TENS[value // 10]
    if value < 1000 or (value < 10000 and value % 1000 < 100):
        return _ONES[int(digits[0])]  # 'four hundred', 'two thousand (and six)'
    if value < 10000:
        return spoken_start(digits[:2])  # a year: 'nineteen ninety-eight'
    return _ONES[int(digits[0])]


def _window_word(token: Token) -> str:
    """A token as the trigram model knows it: a word in lower case, a figure as its first word read aloud, and
    anything else (a mark, a link) as nothing."""
    if token.kind is TokenKind.WORD:
        return token.text.lower().translate(_APOSTROPHES)
    if token.kind is TokenKind.NUMBER:
        return spoken_start(token.text)
    return ""


def _window(tokens: Sequence[Token], i: int) -> tuple[list[str], list[str]]:
    """Up to two lower-case words either side of token ``i`` in its sentence, nearest last on the left and
    first on the right, with ``BOUNDARY`` where the sentence (or block) ends. Commas, quotes and other marks
    are passed over, as the model was built from text without them; a figure counts as its first word read
    aloud."""
    left: list[str] = []
    k = i - 1
    while len(left) < 2:
        if k < 0 or tokens[k].text in _SENTENCE_ENDS:
            left.append(BOUNDARY)
            break
        word = _window_word(tokens[k])
        if word:
            left.append(word)
        k -= 1
    left.reverse()
    right: list[str] = []
    k = i + 1
    while len(right) < 2:
        if k >= len(tokens) or tokens[k].text in _SENTENCE_ENDS:
            right.append(BOUNDARY)
            break
        word = _window_word(tokens[k])
        if word:
            right.append(word)
        k += 1
    return left, right


def _after_quotation(tokens: Sequence[Token], i: int) -> bool:
    """True if token ``i`` follows the end of a quotation: a closing quote right after , . ! or ?, then a space."""
    return (
        i >= 2
        and tokens[i - 1].text in _CLOSING_QUOTES
        and tokens[i - 2].text in _QUOTE_ENDS
        and tokens[i - 2].end == tokens[i - 1].start
        and tokens[i - 1].end < tokens[i].start
    )


def _ends_with(word: str, endings: tuple[str, ...]) -> bool:
    """True if ``word`` has one of ``endings`` after a stem of at least three letters ('named', not 'red')."""
    return any(word.endswith(e) and len(word) >= len(e) + 3 for e in endings)


def _unremarkable(model: NgramModel, first: int, second: int) -> bool:
    """True if a pair would be expected below the listing floor even for unrelated words of these frequencies."""
    return model.counts[first] * model.counts[second] / model.total < model.floor
