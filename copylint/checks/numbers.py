"""Numbers that contradict each other: across paragraphs, against the headline, against their whole, and dates."""

from __future__ import annotations

import datetime
import functools
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice, repeat
from types import MappingProxyType
from typing import TYPE_CHECKING

from copylint.finding import Applicability, Finding, Severity, Span
from copylint.loader import LexiconKey
from copylint.quantities import Bound, Extractor, Kind, Quantity, build_lexicon, lemma
from copylint.rule import BaseRule, Category, PrepareInput, RuleContext, RuleDoc

if TYPE_CHECKING:
    from copylint.document import Document

# Evidence needed before two differing numbers are called a contradiction (see _same_thing); a desk may raise
# it with the rule option ``min_evidence`` to see fewer, surer findings, or lower it to see more.
_THRESHOLD = 2
_OPTIONS = MappingProxyType({"min_evidence": _THRESHOLD})
# Objects of "N% of ..." that cannot be more than all of themselves (unlike "150% of GDP").
_WHOLE_SETS = frozenset(
    """vote votes voter voters respondent respondents population people resident residents adult adults child children
    student students household households workforce employee employees staff member members shareholder shareholders
    participant participants patient patients case cases death deaths seat seats electorate public pupils pupil
    women men""".split()
)


_TIME_NOUNS = frozenset("second minute hour day week month year decade century time".split())


@dataclass(frozen=True)
class NumbersState:
    """What every numbers rule prepares once: the quantity extractor built from the ``numbers`` lexicons."""

    extractor: Extractor


@functools.lru_cache(maxsize=4)
def _shared_extractor(key: LexiconKey) -> Extractor:
    """One extractor per set of lexicon files: a pure function's memo, so the five numbers rules of a rule set
    read each document's quantities once (the extractor remembers the last document it read)."""
    return Extractor(build_lexicon(key.lexicons))


class _NumbersRule(BaseRule):
    """Shared preparation for the numbers rules."""

    category = Category.NUMBERS

    def prepare(self, inputs: PrepareInput) -> NumbersState:
        """Merge and validate the ``numbers`` lexicons into an extractor (one per set of lexicon files)."""
        return NumbersState(_shared_extractor(LexiconKey(tuple(inputs.lexicons))))

    @staticmethod
    def _extractor(context: RuleContext) -> Extractor:
        state = context.state
        if not isinstance(state, NumbersState):  # a rule set built without prepare (tests may do this)
            from copylint.loader import load_builtin

            state = NumbersState(Extractor(build_lexicon(load_builtin().lexicons_for("numbers/disagreement"))))
        return state.extractor


# -- comparing two quantities ------------------------------------------------------------------------------


def _typo_evidence(a: Quantity, b: Quantity) -> int:
    """2 for swapped adjacent digits, 1 for one digit changed, added or dropped; 0 otherwise."""
    x, y = a.digits, b.digits
    if not x or not y or max(len(x), len(y)) < 2 or x == y:
        return 0
    if len(x) == len(y):
        diffs = [k for k in range(len(x)) if x[k] != y[k]]
        if len(diffs) == 2 and diffs[1] == diffs[0] + 1 and x[diffs[0]] == y[diffs[1]] and x[diffs[1]] == y[diffs[0]]:
            return 2
        return 1 if len(diffs) == 1 else 0
    shorter, longer = (x, y) if len(x) < len(y) else (y, x)
    if len(longer) - len(shorter) != 1:
        return 0
    return 1 if any(longer[:k] + longer[k + 1 :] == shorter for k in range(len(longer))) else 0


def _lenient_slip(a: Quantity, b: Quantity, typo: int, orphans: _Orphans) -> bool:
    """Whether a headline figure and a lede figure compared leniently look like one figure mistyped.

    Swapped digits are a slip. One changed digit ("20%" and "25%") is common between two real figures, so it
    counts only when the headline figure is stated nowhere in the body and the two are of one size; two
    single digits ("$4bn", "$1bn") count only when neither figure is stated again."""
    if _truncated(a, b):
        return False
    if typo >= 2:
        return True
    headline = a if a.headline else b
    small, big = sorted((abs(a.value), abs(b.value)))
    if not (headline in orphans and small > 0 and big / small < 20):
        return False
    if len(a.digits) == len(b.digits) == 1:
        # "$4bn" in the headline, "$1bn" in the lede and neither stated again: one digit, one slip
        return a in orphans and b in orphans
    return typo == 1


def _truncated(a: Quantity, b: Quantity) -> bool:
    """One figure is the other cut short at the decimal point ("25%" for "25.7%"), as headlines do."""
    return int(a.value) == int(b.value) and (a.value != int(a.value) or b.value != int(b.value))


def _consistent(a: Quantity, b: Quantity) -> bool:
    """True if both statements can be true of one set (intervals overlap)."""
    return max(a.low, b.low) <= min(a.high, b.high)


def _nouns_match(a: Quantity, b: Quantity) -> int | None:
    """How well the counted nouns match: 1 same specific thing, 0 weakly, None not the same set."""
    if a.kind is Kind.AGE or b.kind is Kind.AGE:
        return 2 if a.kind is b.kind and a.noun == b.noun else None
    if a.modifiers and b.modifiers and not (a.modifiers & b.modifiers):
        return None  # "new cases" and "confirmed cases"
    if a.noun != b.noun and a.noun and b.noun and a.generic is b.generic:
        return None  # two things, and no generic noun to match the other's class by its predicate (below)
    # (predicates are worked out on first use)
    if a.predicate and b.predicate and a.predicate != b.predicate:
        return None
    if a.noun and b.noun:
        if a.noun != b.noun:
            # "34 hurt" (a class) and "43 people hurt" (a generic noun with that predicate): weakly the same
            if (a.generic and a.predicate == b.noun and not b.generic) or (b.generic and b.predicate == a.noun and not a.generic):
                return 0
            return None
        if not a.generic:
            return 1
        return 1 if a.predicate and a.predicate == b.predicate else 0
    if a.noun or b.noun:
        noun, bare = (a, b) if a.noun else (b, a)
        # a headline's bare "kills six" against the body's "six people were killed"
        if bare.predicate and (bare.predicate == noun.predicate or bare.predicate == noun.noun):
            return 0
        return None
    if a.predicate and a.predicate == b.predicate:
        return 0
    # neither says what it counts (money, shares): the same only if the words around them are, and even
    # then it takes more evidence (tables of rates and prices repeat their words)
    return -1 if len(a.context & b.context) >= 2 else None


def _same_thing(a: Quantity, b: Quantity, lede_blocks: frozenset[int], lenient: bool = False) -> int | None:
    """Evidence (a score) that ``a`` and ``b`` state the quantity of one set; None if they cannot.

    ``lenient`` is for a headline figure against a lede figure, one of them stated only once: headlines word
    things their own way ("Singapore growth at 8.1%" for "the economy grew by 8.1%"), so a change verb or a
    counted noun named differently does not rule the pair out (the caller asks for digits that look mistyped)."""
    if a.kind is not b.kind or a.unit != b.unit or a.sentence == b.sentence:
        return None
    if a.partitive != b.partitive:
        return None
    score = _nouns_match(a, b)
    if score is None and lenient and a.predicate == b.predicate and _nouns_overlap(a, b):
        score = 0
    # whether either is a change is worked out on first use: most pairs are told apart by their nouns first
    if score is None or (not lenient and (a.changing or b.changing)):
        return None
    # source and periods after the nouns: they are read from the sentence on first use
    if a.source and b.source and a.source != b.source:
        return None
    if a.years and b.years and not (a.years & b.years):
        return None  # "in 2015, 67 ..." and "in 2016, 76 ...": two periods
    shared = len(a.context & b.context)
    score += (shared >= 2) + (shared >= 4)
    if (a.definite or b.definite) and not (a.vague or b.vague):
        score += 1
    if (a.headline and b.block in lede_blocks) or (b.headline and a.block in lede_blocks):
        score += 1
    return score


def _nouns_overlap(a: Quantity, b: Quantity) -> bool:
    """One of two figures names nothing, or one's counted noun is among the other's words."""
    if not a.noun or not b.noun:
        return True
    return a.noun in b.context or lemma(a.noun) in b.context or b.noun in a.context or lemma(b.noun) in a.context


def _by_unit(exact: Sequence[Quantity]) -> dict[tuple[Kind, str], list[Quantity]]:
    """Figures by kind and unit, in text order: only figures of one kind and unit are ever compared."""
    by_unit: dict[tuple[Kind, str], list[Quantity]] = defaultdict(list)
    for q in exact:
        by_unit[(q.kind, q.unit)].append(q)
    return by_unit


class _Orphans:
    """Figures in digits that no other figure of the same kind and unit restates: stated once only.

    Only headline and lede figures are ever asked about: each answer is worked out when first asked."""

    def __init__(self, by_unit: Mapping[tuple[Kind, str], Sequence[Quantity]]) -> None:
        self._by_unit = by_unit
        self._known: dict[Span, bool] = {}

    def __contains__(self, q: Quantity) -> bool:
        alone = self._known.get(q.span)
        if alone is None:
            group = self._by_unit[(q.kind, q.unit)]
            alone = bool(q.digits) and not any(r is not q and r.sentence != q.sentence and _restates(q, r) for r in group)
            self._known[q.span] = alone
        return alone


def _restates(a: Quantity, b: Quantity) -> bool:
    """``b`` may state ``a``'s value: consistent and within 5% ("10,000" allows 5,500 to 14,500, too loose here)."""
    return _consistent(a, b) and abs(a.value - b.value) <= 0.05 * max(abs(a.value), abs(b.value))


def _lede_blocks(document: Document) -> frozenset[int]:
    """The first two paragraphs (read without building the tuple of all of them, as each numbers rule asks)."""
    return frozenset(islice((b.index for b in document.blocks if not b.is_headline), 2))


@dataclass(frozen=True)
class _Conflict:
    """A quantity that disagrees with better-supported statements of the same thing."""

    quantity: Quantity
    other: Quantity  # the best-supported statement it contradicts
    others: tuple[Quantity, ...]


def _conflicts(quantities: Sequence[Quantity], lede: frozenset[int], threshold: int = _THRESHOLD) -> list[_Conflict]:
    """Exact statements that contradict another statement of the same set and are not in the majority."""
    exact = [q for q in quantities if not q.vague and q.kind is not Kind.AGE]
    by_key: dict[tuple[str, str], list[Quantity]] = defaultdict(list)
    for q in exact:
        by_key[(q.kind.value + q.unit, q.noun)].append(q)
    crowded: dict[tuple[str, str], bool] = {}  # worked out for the keys of pairs that get that far
    support: dict[Span, int] = defaultdict(int)
    against: dict[Span, list[Quantity]] = defaultdict(list)
    pending: list[tuple[Quantity, Quantity, int]] = []
    groups = _by_unit(exact)
    orphans = _Orphans(groups)
    passed: dict[tuple[Kind, str], int] = defaultdict(int)
    for a in exact:
        # _same_thing takes no two figures of different kinds or units: each figure is paired with the later
        # figures of its group, in the order of ``exact``
        key = (a.kind, a.unit)
        passed[key] += 1
        for b in groups[key][passed[key] :]:
            headline_pair = (a.headline and b.block in lede) or (b.headline and a.block in lede)
            score = _same_thing(a, b, lede)
            # failing that, a headline figure and a lede figure, one of them stated nowhere else: the lede
            # usually restates the headline, so they may be compared however each words it (if digits look
            # mistyped)
            lenient = False
            if score is None and headline_pair and (a in orphans or b in orphans):
                lenient = True
                score = _same_thing(a, b, lede, lenient)
            if score is None:
                continue
            if headline_pair and _truncated(a, b):
                continue  # "exports rise 25%" over "rose 25.7%": headlines cut figures short
            if _consistent(a, b) and not _bounded_typo(a, b, headline_pair):
                if a.value == b.value and score >= 0:
                    support[a.span] += 1
                    support[b.span] += 1
                continue
            typo = _typo_evidence(a, b)
            if lenient:
                if not _lenient_slip(a, b, typo, orphans):
                    continue
                typo = max(typo, 1)
            if a.digits or b.digits:
                # copy slips swap or mistype digits; figures with nothing in common are more likely two sets
                score += typo or -1
            elif not (a.definite or b.definite or headline_pair or len(a.context & b.context) >= 3):
                # "two executives" ... "three executives": number words restated come back as "the two" (or as
                # the lede's restatement of the headline, or in much the same words)
                score -= 1
            # "in Arlow" ... "in Besk", or no name in common at all: probably two sets
            places_differ = bool(a.places and b.places and not (a.places & b.places)) or bool(
                a.names and b.names and not (a.names & b.names)
            )
            contrasted = a.contrast or b.contrast  # "But ...", "while ...", "whereas ..."
            if places_differ and contrasted:
                continue  # set side by side on purpose: two sets
            score -= places_differ + contrasted
            bare, modified = (b, a) if a.modifiers else (a, b)
            # "eighteen investment firms" ... "the eighteen firms": the second points back at the first
            back = bare.definite and not modified.definite and modified.span.start < bare.span.start
            if a.modifiers != b.modifiers and not (a.modifiers and b.modifiers) and not (back or headline_pair):
                score -= 1  # "71,000 new construction jobs" may be a part of "337,000 jobs"
            if not headline_pair and _crowded(by_key, (a.kind.value + a.unit, a.noun), crowded):
                score -= 1 if a.noun else 2  # a list or table of figures, not restatements
            pending.append((a, b, score))
    for a, b, score in pending:
        # a figure restated elsewhere (the majority reading) is more likely the one the odd mention meant
        if support[a.span] or support[b.span]:
            score += 1
        if score >= threshold:
            against[a.span].append(b)
            against[b.span].append(a)
    result = []
    for q in exact:
        rivals = against.get(q.span)
        if not rivals:
            continue
        best = max(rivals, key=lambda r: (support[r.span], -abs(r.span.start - q.span.start)))
        if support[q.span] > support[best.span]:
            continue  # q is the majority reading; its rivals carry the finding
        result.append(_Conflict(q, best, tuple(rivals)))
    return result


def _crowded(
    by_key: Mapping[tuple[str, str], Sequence[Quantity]], key: tuple[str, str], known: dict[tuple[str, str], bool]
) -> bool:
    """Whether the figures of one kind, unit and noun state three values or more, less changes: a list or a table.

    Remembered in ``known``; ``changing`` is asked only of a group with three values or more in all."""
    crowded = known.get(key)
    if crowded is None:
        group = by_key[key]
        crowded = len({q.value for q in group}) >= 3 and len({q.value for q in group if not q.changing}) >= 3
        known[key] = crowded
    return crowded


def _bounded_typo(a: Quantity, b: Quantity, headline_pair: bool = False) -> bool:
    """ "at least 67" then "the 76": consistent on paper, but swapped digits of a restated figure are a slip.

    A restatement is "the 76", the lede's version of the headline's figure, or the same hedge again
    ("approx 17,500" ... "approx 15,700")."""
    if a.bound is Bound.EXACT and b.bound is Bound.EXACT:
        return False
    same_hedge = a.bound is b.bound and a.qualifier == b.qualifier
    restated = a.definite or b.definite or headline_pair or same_hedge
    typo = _typo_evidence(a, b)
    if a.value == b.value or not typo:
        return False
    # one digit changed is a slip when the hedge, too, is stated again and the figure is long enough not to be
    # a second round figure: "up to 250 screens" ... "up to 2550 screens" (a hedge allows a larger figure, but
    # not one hedged the same way that differs by a digit); "over 15 years" ... "over 10 years" are two spans
    return (typo == 2 and restated) or (same_hedge and min(len(a.digits), len(b.digits)) >= 3)


def _where(document: Document, q: Quantity) -> str:
    if q.headline:
        return "the headline"
    number = next((k for k, b in enumerate(document.paragraphs, start=1) if b.index == q.block), 0)
    return f"paragraph {number}"


def _about(q: Quantity) -> str:
    if q.kind is Kind.AGE:
        return f"{q.noun.title()}'s age"
    return q.noun or q.predicate or "the same figure"


def _conflict_finding(rule: BaseRule, context: RuleContext, document: Document, conflict: _Conflict) -> Finding:
    q, other = conflict.quantity, conflict.other
    return rule.finding(
        context,
        q.span,
        f"'{q.text}' ({_about(q)}) disagrees with '{other.text}' in {_where(document, other)}",
        replacement=other.text,
        applicability=Applicability.DISPLAY_ONLY,
        related=tuple(r.span for r in conflict.others),
    )


# -- the rules ---------------------------------------------------------------------------------------------


class NumberDisagreement(_NumbersRule):
    """Flags the same quantity of the same thing stated differently in two places of the body."""

    id = "numbers/disagreement"
    default_severity = Severity.WARNING
    default_options = _OPTIONS
    summary = "The same count stated differently in two places"
    doc = RuleDoc(
        what=(
            "Flags a number that restates a count, sum, share or age given elsewhere in the story, about the same "
            "set and from the same source, but with a different value ('at least 58 bodies' ... 'the 85 bodies'). "
            "The finding points at both places. Figures from different sources, about different sets, or marked as "
            "a change ('rose to', 'another', 'up from') are not compared; two sources that differ on a figure get "
            "at most an info note. The option min_evidence (default 2) sets how much agreement of noun, wording, "
            "digits and position two mentions need before they count as one figure."
        ),
        why="Readers notice when a story contradicts itself, and the wrong figure is usually a typing slip.",
        example=(
            "Miners trapped in Darrow\n\nCrews found the bodies of 58 miners in the Darrow shaft.\n\n"
            "Rescuers said the 85 miners had been trapped in the shaft since Tuesday."
        ),
        use_instead=(
            "Miners trapped in Darrow\n\nCrews found the bodies of 58 miners in the Darrow shaft.\n\n"
            "Rescuers said the 58 miners had been trapped in the shaft since Tuesday."
        ),
        fix_safety=(
            "Display only: the finding suggests the figure the rest of the story uses, but only the reporter's notes "
            "say which one is right, so nothing is changed automatically."
        ),
    )

    def check(self, document: Document, context: RuleContext) -> Iterator[Finding]:
        """Compare every pair of statements of the same kind of quantity in the body."""
        extractor = self._extractor(context)
        quantities = extractor.quantities(document) + extractor.ages(document)
        quantities.sort(key=lambda q: q.span.start)
        lede = _lede_blocks(document)
        for conflict in _conflicts(quantities, lede, int(context.options.get("min_evidence", _THRESHOLD))):
            if conflict.quantity.headline or conflict.other.headline:
                continue  # numbers/headline-body reports these
            yield _conflict_finding(self, context, document, conflict)
        yield from self._ages(document, context, extractor.ages(document))
        yield from self._sources_differ(document, context, quantities, lede)

    def _ages(self, document: Document, context: RuleContext, ages: list[Quantity]) -> Iterator[Finding]:
        by_name: dict[str, list[Quantity]] = defaultdict(list)
        for age in ages:
            by_name[age.noun].append(age)
        for group in by_name.values():
            if not any(q.definite for q in group):
                continue  # the surname never came with a first name: perhaps not a person
            values = {q.value for q in group}
            if len(values) != 2:
                continue  # one age, or too many people of that name to tell apart
            counts = {v: sum(q.value == v for q in group) for v in values}
            for q in group:
                others = [r for r in group if r.value != q.value]
                if counts[q.value] > counts[others[0].value]:
                    continue
                yield _conflict_finding(self, context, document, _Conflict(q, others[0], tuple(others)))

    def _sources_differ(
        self, document: Document, context: RuleContext, quantities: list[Quantity], lede: frozenset[int]
    ) -> Iterator[Finding]:
        """An info note, once per pair of sources, when two named sources give different figures for one set."""
        seen: set[tuple[str, str, str]] = set()
        for i, a in enumerate(quantities):
            if a.vague or a.kind is Kind.AGE or not a.noun:
                continue
            # whether ``a`` is a change, and its source (read from the sentence), are worked out on first use:
            # only when a later figure states the same kind of thing
            stated: bool | None = None
            for b in quantities[i + 1 :]:
                if b.noun != a.noun or b.kind is not a.kind or b.unit != a.unit or b.vague:
                    continue
                if stated is None:
                    stated = not a.changing and bool(a.source)
                if not stated:
                    break
                if b.partitive != a.partitive or _consistent(a, b) or b.changing or not b.source or b.source == a.source:
                    continue
                if (_nouns_match(a, b) or 0) < 1:
                    continue
                first_source, second_source = sorted((a.source, b.source))
                key = (a.noun, first_source, second_source)
                if key in seen:
                    continue
                seen.add(key)
                yield self.finding(
                    context,
                    b.span,
                    f"Sources differ on {a.noun}: '{a.text}' ({a.source}) in {_where(document, a)}, "
                    f"'{b.text}' ({b.source}) here; say whose figure each is",
                    severity=Severity.INFO,
                    related=(a.span,),
                )


class HeadlineBodyNumber(_NumbersRule):
    """Flags a number in the headline that the body states differently."""

    id = "numbers/headline-body"
    default_severity = Severity.WARNING
    default_options = _OPTIONS
    summary = "A headline number the body contradicts"
    doc = RuleDoc(
        what=(
            "Flags a count, sum or share in the headline when the body gives the same quantity of the same thing "
            "with a value the headline cannot be rounded from (headline '34 hurt', body '43 people were hurt'). "
            "Headlines word things their own way, so a headline figure and a lede figure, one of them stated "
            "nowhere else, are compared even when they name their thing differently, if the digits look swapped "
            "or mistyped ('$368m port deal' over 'a $386m (£300m) deal'). A headline that cuts a figure short "
            "('25%' for '25.7%') agrees with it."
        ),
        why="The headline is what most readers see; if it disagrees with the story, one of them is wrong.",
        example="Ferry fire in Lenmouth leaves 34 hurt\n\nA fire on a ferry in Lenmouth left 43 people hurt on Sunday.",
        use_instead="Ferry fire in Lenmouth leaves 43 hurt\n\nA fire on a ferry in Lenmouth left 43 people hurt on Sunday.",
        fix_safety="Display only: the finding suggests the body's figure, but either may be the wrong one.",
    )

    def check(self, document: Document, context: RuleContext) -> Iterator[Finding]:
        """Compare headline quantities with statements of the same thing in the body."""
        if document.headline is None:
            return
        extractor = self._extractor(context)
        quantities = extractor.quantities(document)
        if not any(q.headline for q in quantities):
            return
        threshold = int(context.options.get("min_evidence", _THRESHOLD))
        for conflict in _conflicts(quantities, _lede_blocks(document), threshold):
            q = conflict.quantity
            if q.headline or conflict.other.headline:
                yield _conflict_finding(self, context, document, conflict)


class PartExceedsWhole(_NumbersRule):
    """Flags a part larger than its whole: "35 of the 30 passengers", a share over 100% of a set."""

    id = "numbers/part-exceeds-whole"
    default_severity = Severity.WARNING
    summary = "A part bigger than the whole it belongs to"
    doc = RuleDoc(
        what=(
            "Flags 'N of the things' when the story says there were fewer things in all ('35 of the passengers' "
            "after '30 passengers were aboard', '12 of the 10 crew'), 'N of them' right after a smaller total, and "
            "a share over 100% of a set of people or votes. A whole hedged with 'at least' or 'more than' is not a "
            "ceiling and is not used."
        ),
        why="A part cannot exceed its whole: one of the two figures is wrong.",
        example="The bus carried 28 passengers. Police said 32 of the passengers were taken to hospital.",
        use_instead="The bus carried 28 passengers. Police said 23 of the passengers were taken to hospital.",
        fix_safety="No fix: only the reporter knows which of the two figures is wrong.",
    )

    def check(self, document: Document, context: RuleContext) -> Iterator[Finding]:
        """Compare each partitive count with its whole."""
        quantities = self._extractor(context).quantities(document)
        lede = _lede_blocks(document)
        for k, part in enumerate(quantities):
            if part.kind is Kind.PERCENT:
                if part.low > 100 and not part.changing and self._share_of_set(document, part):
                    yield self.finding(context, part.span, f"'{part.text}' of a set cannot be more than all of it")
                continue
            if not part.partitive or part.vague or part.changing:
                continue
            if part.kind is not Kind.COUNT:
                continue
            whole = self._whole(document, quantities, k, lede)
            # a part far bigger than its "whole" counts something else ("35,000 of the two models" are cars)
            if whole is not None and whole.high < part.low <= 2 * whole.high:
                yield self.finding(
                    context,
                    part.span,
                    f"'{part.text}' of {whole.noun or 'them'} is more than the {whole.text} in all ({_where(document, whole)})",
                    related=(whole.span,),
                )

    @staticmethod
    def _share_of_set(document: Document, part: Quantity) -> bool:
        rest = document.text[part.span.end : part.span.end + 40].lower().split()
        words = [w.strip(".,;:") for w in rest[1:4] if w not in ("the", "all", "its", "their")]
        return bool(words) and rest[0] == "of" and words[0] in _WHOLE_SETS

    @staticmethod
    def _whole(document: Document, quantities: Sequence[Quantity], k: int, lede: frozenset[int]) -> Quantity | None:
        part = quantities[k]
        # "12 of the 10 crew": the whole follows in the same phrase
        if k + 1 < len(quantities):
            nxt = quantities[k + 1]
            between = document.text[part.span.end : nxt.span.start].lower().split()
            if between in (["of", "the"], ["of"], ["of", "all"]) and not nxt.vague and nxt.bound in (Bound.EXACT, Bound.UPPER):
                return nxt
        if document.text[max(0, part.span.start - 4) : part.span.start].lower().endswith("all "):
            return None  # "all 30 of their games" is the whole
        if not part.noun:
            # "12 of them": the count just before, in the same or the previous sentence of the paragraph
            after = document.text[part.span.end : part.span.end + 12].lower().split()
            if after[:2] not in (["of", "them"], ["of", "whom"]):
                return None
            previous = [q for q in quantities[:k] if q.block == part.block and q.sentence.end >= part.sentence.start - 200]
            if not previous:
                return None
            prev = previous[-1]
            if prev.noun in _TIME_NOUNS:
                return None
            if prev.kind is Kind.COUNT and prev.noun and not prev.partitive and not prev.vague and not prev.changing:
                return prev if prev.bound in (Bound.EXACT, Bound.UPPER) else None
            return None
        candidates = [
            q
            for q in quantities
            if q is not part
            and q.kind is Kind.COUNT
            and not q.partitive
            and not q.vague
            and q.noun == part.noun
            and q.bound in (Bound.EXACT, Bound.UPPER)
            and 0 <= part.block - q.block <= 1  # a whole stated before and nearby; far away it is often another set
            and q.span.start < part.span.start
            and not q.changing
            and (not q.source or not part.source or q.source == part.source)
            and (not q.modifiers or not part.modifiers or q.modifiers & part.modifiers)
        ]
        # only a whole stated once (several totals of one noun are probably different sets)
        if len({q.value for q in candidates}) != 1:
            return None
        whole = candidates[0]
        if whole.generic and not (whole.predicate and whole.predicate == part.predicate) and whole.block != part.block:
            return None
        return whole


class VagueVsExact(_NumbersRule):
    """Flags a vague quantity ("dozens") that does not fit the exact count given for the same thing."""

    id = "numbers/vague-vs-exact"
    default_severity = Severity.WARNING
    summary = "'Dozens', 'scores' or 'hundreds' where the story's own count is far off"
    doc = RuleDoc(
        what=(
            "Flags 'a handful', 'several', 'dozens', 'scores', 'hundreds', 'thousands' and the like when the story "
            "gives an exact count of the same thing that the word cannot stand for ('dozens of homes' when the "
            "story counts 6; 'hundreds' for 40). The ranges are generous and live in rules/numbers/vague.toml."
        ),
        why="An inflated or deflated vague word misleads as much as a wrong figure, and it often survives an update.",
        example="Dozens of homes were flooded in Kelby.\n\nThe council said 7 homes were flooded.",
        use_instead="Several homes were flooded in Kelby.\n\nThe council said 7 homes were flooded.",
        fix_safety="No fix: the right word depends on the count the editor trusts.",
    )

    def check(self, document: Document, context: RuleContext) -> Iterator[Finding]:
        """Compare each vague quantity with exact counts of the same thing."""
        quantities = self._extractor(context).quantities(document)
        lede = _lede_blocks(document)
        vague = [q for q in quantities if q.vague and not q.changing]
        exact = [q for q in quantities if not q.vague and q.kind is Kind.COUNT and q.bound is not Bound.UPPER]
        for v in vague:
            misfits = []
            fits = 0
            for e in exact:
                score = _same_thing(v, e, lede)
                if score is None or score < 1:
                    continue
                if _consistent(v, e):
                    fits += 1
                elif score >= 2 and not (v.names and e.names and not v.names & e.names):
                    misfits.append(e)
            if misfits and not fits:
                e = misfits[0]
                yield self.finding(
                    context,
                    v.span,
                    f"'{v.text}' does not fit the count of {e.text} in {_where(document, e)}",
                    related=tuple(m.span for m in misfits),
                )


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_NUMBERS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_WD = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MO = r"(?P<month>" + "|".join(sorted((m.title() for m in _MONTH_NUMBERS), key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
_WEEKDAY_NAME = re.compile(r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day")
_DATE_FORMS = (
    re.compile(rf"\b{_WD},?\s+(?:the\s+)?{_MO}\s+{_DAY}\b{_YEAR}"),
    re.compile(rf"\b{_WD},?\s+(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MO}{_YEAR}"),
    re.compile(rf"\b{_WD}\s+\({_MO}\s+{_DAY}\)"),
    re.compile(rf"\b{_WD}\s+\({_DAY}\s+{_MO}\)"),
)
_FULL_DATE = (
    re.compile(rf"\b{_MO}\s+{_DAY},?\s+(?P<year>(?:19|20)\d\d)\b"),
    re.compile(rf"\b{_DAY}\s+{_MO},?\s+(?P<year>(?:19|20)\d\d)\b"),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<monthnum>[01]\d)-(?P<day>[0-3]\d)\b"),
)


def _dateline(document: Document) -> datetime.date | None:
    """The story's own date, from a full date near the top (dateline or first paragraph)."""
    for block in document.blocks[:2]:
        # a dateline opens the headline or the first paragraph: "ARLOW, March 3, 2025 -", "March 3, 2025 (Wire)"
        head = block.text[:60]
        for form in _FULL_DATE:
            m = form.search(head)
            if m is None or m.start() > 30:
                continue
            month = int(m.group("monthnum")) if "monthnum" in m.groupdict() else _MONTH_NUMBERS[m.group("month").lower()]
            try:
                return datetime.date(int(m.group("year")), month, int(m.group("day")))
            except ValueError:
                continue
    return None


class DateWeekday(BaseRule):
    """Flags a weekday that does not fall on the date it is given with ("Tuesday, March 4, 2025")."""

    id = "numbers/date-weekday"
    category = Category.NUMBERS
    default_severity = Severity.WARNING
    summary = "A weekday that does not match its date"
    doc = RuleDoc(
        what=(
            "Flags a weekday written with a date ('Friday, June 6, 2025', 'Monday (March 3)') when the calendar "
            "puts that date on another day. The year comes from the date itself or from a full date at the top "
            "of the story (its dateline); without a known year nothing is flagged."
        ),
        why="A wrong weekday-date pair sends readers to the wrong day; one of the two is a slip.",
        example="The hearing opens on Friday, June 5, 2025.",
        use_instead="The hearing opens on Thursday, June 5, 2025.",
        fix_safety=(
            "Unsafe: the fix puts in the weekday of the date as written, but the date may be the wrong half, so it is "
            "applied only with --unsafe-fixes."
        ),
    )

    def check(self, document: Document, context: RuleContext) -> Iterator[Finding]:
        """Check each weekday-and-date pair against the calendar."""
        dated: datetime.date | None = None
        looked = False
        for block in document.blocks:
            text = block.text
            if "day," not in text and "day " not in text:  # (a weekday is followed by a comma, a space or " (")
                continue
            # every date form opens with a weekday name, and no match holds another: the forms are tried only
            # where a weekday name starts (a search for a form would try every position)
            weekdays = [m.start() for m in _WEEKDAY_NAME.finditer(text)]
            if not weekdays:
                continue
            for form in _DATE_FORMS:
                for m in filter(None, map(form.match, repeat(text), weekdays)):
                    month = _MONTH_NUMBERS[m.group("month").lower()]
                    day = int(m.group("day"))
                    year_text = m.groupdict().get("year")
                    if year_text:
                        years = [int(year_text)]
                    else:
                        if not looked:
                            dated, looked = _dateline(document), True
                        if dated is None:
                            continue
                        years = [dated.year - 1, dated.year, dated.year + 1]
                    candidates = []
                    for year in years:
                        try:
                            candidates.append(datetime.date(year, month, day))
                        except ValueError:
                            continue
                    if not candidates:
                        continue
                    anchor = dated
                    date = min(candidates, key=lambda d: abs((d - anchor).days)) if anchor and not year_text else candidates[0]
                    actual = _WEEKDAYS[date.weekday()]
                    written = m.group("weekday")
                    if actual == written.lower():
                        continue
                    start = block.start + m.start("weekday")
                    yield self.finding(
                        context,
                        Span(start, start + len(written)),
                        f"{date.strftime('%B')} {date.day}, {date.year} is a {actual.title()}, not a {written}",
                        replacement=actual.title(),
                        applicability=Applicability.UNSAFE,
                    )


NUMBER_RULES = (NumberDisagreement(), HeadlineBodyNumber(), PartExceedsWhole(), VagueVsExact(), DateWeekday())
