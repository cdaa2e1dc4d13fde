"""Spelling: words that are not English words (non-word typos), told apart from the names news copy is full of."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from copylint.document import Token, TokenKind
from copylint.finding import Applicability, Finding, Severity, Span
from copylint.rule import BaseRule, Category, PrepareInput, RuleContext, RuleDoc, match_case
from copylint.vocabulary import Misspelling, Vocabulary

if TYPE_CHECKING:
    from copylint.document import Block, Document

# Characters that, touching a word, say it belongs to a URL, path, e-mail, domain or code rather than prose.
_GLUE_BEFORE = frozenset("/\\@_.:;=#&~+*<>|^`{}[]%$")
_GLUE_AFTER = frozenset("/\\@_=#&~+*<>|^`{}[]%$")
_HYPHENS = frozenset("-\u2010\u2011")
_OPENERS = frozenset("\"'“‘([ \t\n")
_WORD_BEFORE = re.compile(r"[A-Za-z]+$")
_TITLES = frozenset("mr mrs ms dr prof st gen col lt sgt capt gov sen rep rev jr sr no vs mt ft".split())
_APOSTROPHES = ("'s", "’s")
_CONTRACTION_TAILS = frozenset(["s", "t", "re", "ve", "ll", "d", "m"])
_LOWER_WORD = re.compile(r"^[a-z]+(?:'[a-z]+)*$")

# Affixes English builds new words with; a word made of one and a known word is coined, not misspelt.
_PREFIXES = tuple(
    "anti counter over under out mis non pre post pro re un co de dis inter intra multi micro macro mega mini "
    "neo semi sub super trans ultra cyber bio eco geo hyper tele mid self hydro electro photo neuro para "
    "extra infra crypto".split()
)
_SUFFIXES = tuple(
    "ations ation isations isation izations ization ising izing ised ized ises izes ise ize ers er ings ing "
    "eds ed ness less ful fully ably able ibly ible ists ist isms ism ity ities ments ment ships ship ory ly s es".split()
)
# British and American spellings of the same word (one is often missing from a list of the other's).
_SPELLING_VARIANTS = (
    ("isation", "ization"),
    ("ising", "izing"),
    ("ised", "ized"),
    ("ises", "izes"),
    ("iser", "izer"),
    ("our", "or"),
    ("tre", "ter"),
    ("lled", "led"),
    ("lling", "ling"),
    ("ller", "ler"),
    ("ae", "e"),
    ("oe", "e"),
    ("ence", "ense"),
    ("ogue", "og"),
    ("yse", "yze"),
    ("ysing", "yzing"),
    ("ysed", "yzed"),
)
# Function words do not combine into closed compounds; "andthe" is a missing space, "frontman" is a word.
_FUNCTION_WORDS = frozenset(
    "a an the and or but of to in on at by for with from as is was are were be been it its this that these "
    "those he she they we you i his her their our your my me him them us not no has had have do did does "
    "will would can could should may might must than then there here who what which when where why how".split()
)

FOREIGN_MIN_WORDS = 6  # a block with this many lower-case words ...
FOREIGN_SHARE = 0.35  # ... and this share of them not English is in another language: left alone
KNOWN_WORDS_MEMO = 200_000  # cap on the memo of real words seen (a long run's vocabulary)
VERDICTS_MEMO = 50_000  # cap on each memo of verdicts on an unknown word between given neighbours
SLIP_COSTS_MEMO = 200_000  # cap on the memo of slip costs from an unknown word to a suggestion
COMMON_ZIPF = 3.0  # a suggestion or a compound part this frequent is an everyday word
NAME_TARGET_ZIPF = 4.0  # a capitalised word is only called a typo if one edit turns it into a word this common
NAME_SLIP_COST = 0.55  # mid-sentence, only a swap or a doubled letter (names vary their vowels)
INITIAL_SLIP_COST = 0.75  # at a sentence start, a vowel or a neighbouring key too
WEB_WORD_MARGIN = 1.5  # a form seen on the web is a typo only if the suggestion is this much more frequent (Zipf)
WEB_WORD_ZIPF = 2.0  # ... and from this web frequency on (json, muni, toons) by a wider margin
WEB_WORD_MARGIN_HIGH = 2.0
WEB_TERM_ZIPF = 2.5  # from this web frequency on, a form is a term (json, muni) unless one cheap slip from a word
TERM_SLIP_COST = 0.75
REPEATED_TARGET_ZIPF = 4.0  # an unknown word used twice is a typo only of an everyday word
AFFIX_BASE_ZIPF = 3.0  # a base this frequent takes affixes (not a rare name: "neal" + "ly")
PLAIN_SLIP_ZIPF = 4.0  # ... unless an everyday word is one cheap slip away ("backwords")
PLAIN_SLIP_COST = 0.6
SLIP_WEIGHT = 1.6  # log10 units of likelihood one unit of edit cost is worth
SPLIT_COST = 0.6  # a missing space
PLURAL_COST = 0.5  # a -y plural made with -ys
SPLIT_ZIPF = 4.0  # both halves of a run-together pair must be everyday words
FIRST_LETTER_BONUS = 0.4  # writers rarely get the first letter wrong


class ContextModel:
    """How well a word fits between its neighbours: pointwise mutual information from a bigram model."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self._model: Any = None

    def _bigrams(self) -> Any:
        if self._model is None:
            from copylint.ngrams import load_model  # loaded only when two suggestions need telling apart

            self._model = load_model()
        return self._model

    def fit(self, left: str, target: str, right: str) -> float:
        """log10 P(target) plus the association of each adjacent pair (left, target words..., right)."""
        model = self._bigrams()
        words = target.split(" ")
        score = sum(self.vocabulary.frequency(w) - 9.0 for w in words) + 9.0
        chain = [w for w in (left, *words, right) if w]
        ids = [model.word_id(w) for w in chain]
        for a, b in itertools.pairwise(ids):
            if a < 0 or b < 0:
                continue
            expected = model.count(a) * model.count(b) / model.total
            if expected <= 0:
                continue
            seen = model.pair(a, b) or model.estimate(a, b)
            score += math.log10(seen / expected)
        return score


@dataclass(frozen=True)
class SpellingData:
    """What ``prepare`` builds once per rule set: extra corrections, accepted words, and the vocabulary."""

    corrections: Mapping[str, Misspelling]
    house_exact: frozenset[str]
    house_lower: frozenset[str]
    _vocabulary: list[Vocabulary] = field(default_factory=list, repr=False, compare=False)

    _context: list[ContextModel] = field(default_factory=list, repr=False, compare=False)
    # memo of forms never flagged, as written and in lower case (words, and names and acronyms no list knows)
    known_words: set[str] = field(default_factory=set, repr=False, compare=False)
    # memos of what depends on the word and its neighbours alone, not on the document (see _Scan._judge)
    stems: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    word_verdicts: dict[tuple[str, str, str, int], tuple[_Verdict | None, bool]] = field(
        default_factory=dict, repr=False, compare=False
    )
    name_verdicts: dict[tuple[str, bool, str, str, int], _Verdict | None] = field(default_factory=dict, repr=False, compare=False)
    slip_costs: dict[tuple[str, str], float] = field(default_factory=dict, repr=False, compare=False)

    @property
    def vocabulary(self) -> Vocabulary:
        """The shared vocabulary, loaded on first use (not when the rule set is built)."""
        if not self._vocabulary:
            self._vocabulary.append(Vocabulary.load())
        return self._vocabulary[0]

    @property
    def context(self) -> ContextModel:
        """The bigram context model, loaded the first time two suggestions are ranked."""
        if not self._context:
            self._context.append(ContextModel(self.vocabulary))
        return self._context[0]


@dataclass(frozen=True, slots=True)
class _Verdict:
    """Why a word is flagged and what to offer."""

    suggestions: tuple[str, ...]
    known: Misspelling | None  # set when a dictionary of misspellings lists the word


def _edit_cost(typo: str, word: str) -> float:
    """Weighted restricted Damerau-Levenshtein distance: cheap for the slips people make most."""
    cols = len(word) + 1
    # inserting a missed letter: cheap when it is a doubled letter or a vowel (the same on every row)
    missed = [0.0] + [
        0.45 if (j > 1 and word[j - 2] == b) or (j < len(word) and word[j] == b) else (0.7 if b in "aeiou" else 1.0)
        for j, b in enumerate(word, 1)
    ]
    previous2: list[float] = []
    previous = [float(j) for j in range(cols)]
    for i, a in enumerate(typo, 1):
        # deleting a typed letter: cheap when it doubled its neighbour
        dropped = 0.45 if (i > 1 and typo[i - 2] == a) or (i < len(typo) and typo[i] == a) else 0.9
        vowel, near, before = a in "aeiou", _NEIGHBOURS.get(a, ""), typo[i - 2] if i > 1 else ""
        current = [float(i)] + [0.0] * (cols - 1)
        for j in range(1, cols):
            b = word[j - 1]
            if a == b:
                current[j] = previous[j - 1]
                continue
            # substituting: vowels, letters that sound alike and neighbouring keys are the likely slips
            if vowel and b in "aeiou":
                substitution = previous[j - 1] + 0.6
            elif a + b in _SOUND_ALIKE:
                substitution = previous[j - 1] + 0.7
            elif b in near:
                substitution = previous[j - 1] + 0.75
            else:
                substitution = previous[j - 1] + 1.0
            best = min(substitution, previous[j] + dropped, current[j - 1] + missed[j])
            if j > 1 and before == b and a == word[j - 2]:
                best = min(best, previous2[j - 2] + 0.55)
            current[j] = best
        previous2, previous = previous, current
    return previous[-1]


_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEIGHBOURS: dict[str, str] = {}
for _r, _row in enumerate(_KEYBOARD_ROWS):
    for _c, _key in enumerate(_row):
        near = [_row[k] for k in (_c - 1, _c + 1) if 0 <= k < len(_row)]
        for _other in (_r - 1, _r + 1):
            if 0 <= _other < len(_KEYBOARD_ROWS):
                near += [_KEYBOARD_ROWS[_other][k] for k in (_c - 1, _c, _c + 1) if 0 <= k < len(_KEYBOARD_ROWS[_other])]
        _NEIGHBOURS[_key] = "".join(near)
_SOUND_ALIKE = frozenset(["ck", "kc", "cs", "sc", "sz", "zs", "iy", "yi", "fv", "vf", "gj", "jg", "mn", "nm", "td", "dt"])


def _consonant_y(word: str) -> bool:
    return len(word) > 2 and word[-1] == "y" and word[-2] not in "aeiou"


def _cheap_slips(word: str, vowels: bool) -> set[str]:
    """Words one cheap slip from ``word``: neighbours swapped, a letter doubled or undoubled, (a vowel)."""
    found = set()
    for i in range(len(word) - 1):
        found.add(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
        if word[i] == word[i + 1]:
            found.add(word[:i] + word[i + 1 :])
    for i, letter in enumerate(word):
        found.add(word[: i + 1] + letter + word[i + 1 :])
        if vowels and letter in "aeiou":
            found.update(word[:i] + v + word[i + 1 :] for v in "aeiou" if v != letter)
    found.discard(word)
    return found


def _whole_words(text: str, word: str) -> int:
    """How many maximal runs of letters and digits (str.isalnum, the re module's [^\\W_]) in ``text`` are ``word``:
    each occurrence is checked at both ends, with no table of the story's words built."""
    if not word.isalnum():
        return 0
    found = 0
    size, end_of_text = len(word), len(text)
    at = text.find(word)
    while at >= 0:
        end = at + size
        if (at == 0 or not text[at - 1].isalnum()) and (end == end_of_text or not text[end].isalnum()):
            found += 1
        at = text.find(word, at + 1)
    return found


class NonWord(BaseRule):
    """Flags words that are not English words, with ranked suggestions; names, acronyms and URLs are left alone."""

    id = "spelling/nonword"
    category = Category.SPELLING
    default_severity = Severity.WARNING
    summary = "A word that is not in the dictionary (a likely typo)"
    default_options = MappingProxyType({"max_suggestions": 5})
    doc = RuleDoc(
        what=(
            "Flags words that are not English words: known misspellings (codespell's list and copylint's own "
            "lexicon) and lower-case words that are neither in the dictionary nor common in English but are one or "
            "two edits from an everyday word, with suggestions ranked by how well each fits between the "
            "neighbouring words. A capitalised word is taken for a name unless a list knows the misspelling, or it "
            "appears once, is unknown to English and one common slip (swapped or doubled letter; at a sentence "
            "start or in a headline also a vowel) from an everyday word. Acronyms, words with digits, URLs, e-mail "
            "addresses, handles, hyphenated compounds, possessives, British and American spellings, words built "
            "from known words (re-, -ing, -ness...), terms repeated in the story, paragraphs in another language "
            "and the house word list (`words`, `words_file`, an inline `copylint-accept` comment) are not flagged."
        ),
        why="A non-word in print is the most visible slip a desk can make, and readers take it as a sign of haste.",
        example="The goverment said the new bridge in Tarnwick would open in Febuary.",
        use_instead="The government said the new bridge in Tarnwick would open in February.",
        fix_safety=(
            "Safe when a dictionary of known misspellings gives a single correction (reported as an error). "
            "Otherwise unsafe: the best-ranked suggestion is offered as the fix and the others are listed, "
            "because a rare word or an unfamiliar name may be right after all."
        ),
    )

    def prepare(self, inputs: PrepareInput) -> SpellingData:
        """Validate correction lexicons and fold the house word list; the vocabulary loads on first check."""
        corrections: dict[str, Misspelling] = {}
        for lexicon in inputs.lexicons:
            entries = lexicon.entries
            if not isinstance(entries, dict):
                raise lexicon.error("entries must be a table of misspelling = correction", "entries")
            for wrong, right in entries.items():
                if not isinstance(wrong, str) or not _LOWER_WORD.match(wrong):
                    raise lexicon.error(f"misspelling {wrong!r} must be one lower-case word", str(wrong))
                choices = [right] if isinstance(right, str) else right
                if not isinstance(choices, list) or not choices or not all(isinstance(c, str) and c.strip() for c in choices):
                    raise lexicon.error(f"correction of {wrong!r} must be a word or a list of words", wrong)
                if any(c.lower() == wrong for c in choices):
                    raise lexicon.error(f"{wrong!r} is corrected to itself", wrong)
                corrections[wrong] = Misspelling(tuple(choices), isinstance(right, str))
        house = frozenset(w.strip() for w in inputs.house_words if w.strip())
        return SpellingData(MappingProxyType(corrections), house, frozenset(w.lower() for w in house))

    def check(self, document: Document, context: RuleContext) -> Iterator[Finding]:
        """Look at every word token; only rare and unknown words reach the slower checks."""
        data = context.state
        if not isinstance(data, SpellingData):  # run without a rule set (a plug-in host): prepare now
            data = self.prepare(PrepareInput({}, context.house_words, ()))
        vocabulary = data.vocabulary
        accepted_lower = data.house_lower | {w.lower() for w in document.accepted_words}
        scan = _Scan(self, document, context, data, vocabulary, accepted_lower)
        known = data.known_words
        is_word = vocabulary.is_word
        word_kind = TokenKind.WORD
        for block in document.blocks:
            tokens = block.tokens
            found: list[Finding] = []
            unknown = 0
            for index, (text, _, _, kind) in enumerate(tokens):  # unpacked: faster than attribute access
                if kind is not word_kind:
                    continue
                if text in known:  # the fast path: most words end here, as written (the memo holds both cases)
                    continue
                lower = text.lower()
                if lower in known or is_word(lower):
                    if len(known) < KNOWN_WORDS_MEMO:
                        known.add(lower)
                        known.add(text)
                    continue
                unknown += lower == text
                finding = scan.examine(block, tokens, index, tokens[index], lower)
                if finding is not None:
                    found.append(finding)
            if not found:
                continue
            # A block where many lower-case words are unknown is in another language (or is code): not ours.
            words = sum(1 for t in tokens if t.kind is word_kind and t.text.lower() == t.text)
            if not (words >= FOREIGN_MIN_WORDS and unknown > FOREIGN_SHARE * words):
                yield from found


class _Scan:
    """The slow path for one document: words the fast path did not recognise."""

    def __init__(
        self,
        rule: NonWord,
        document: Document,
        context: RuleContext,
        data: SpellingData,
        vocabulary: Vocabulary,
        accepted_lower: frozenset[str],
    ) -> None:
        self.rule = rule
        self.document = document
        self.text = document.text
        self.context = context
        self.data = data
        self.vocabulary = vocabulary
        self.accepted_lower = accepted_lower
        self.max_suggestions = int(context.options.get("max_suggestions", 5))
        self._lower_text: str | None = None
        self._left = self._right = ""

    def count(self, lower: str) -> int:
        """How often the word occurs in the document as a whole word, any capitalisation."""
        if self._lower_text is None:
            self._lower_text = self.text.lower()
        if self._lower_text.count(lower) < 2:  # a substring count first: one C call, rarely above one
            return 1
        return _whole_words(self._lower_text, lower)

    def lower_count(self, lower: str) -> int:
        """How often the word occurs in lower case as a whole word (an ordinary word, not a name)."""
        return _whole_words(self.text, lower)

    def examine(self, block: Block, tokens: tuple[Token, ...], index: int, token: Token, lower: str) -> Finding | None:
        """A finding for ``token`` if it is a non-word, else None."""
        word = token.text
        if word in self.data.house_exact or lower in self.accepted_lower:
            return None
        stems = self.data.stems
        stem = stems.get(word)
        if stem is None:
            stem = self._stem(word, lower)
            if stem is None:
                known = self.data.known_words
                if len(known) < KNOWN_WORDS_MEMO:
                    known.add(word)  # never flagged, wherever it stands: the next time the fast path takes it
                return None
            if len(stems) < VERDICTS_MEMO:
                stems[word] = stem
        if stem in self.accepted_lower or self._glued(token):
            return None
        start = token.start
        end = start + len(stem)
        compound = self._compound(tokens, index)
        if compound is not None and self._compound_is_word(compound, stem):
            return None
        shown = self.text[start:end]
        capitalised = shown[0].isupper()
        self._left, self._right = self._neighbours(tokens, index)
        # In a headline every word may carry a capital, so a capital there says no more than at a sentence start.
        initial = capitalised and (block.is_headline or self._sentence_initial(block, start))
        verdict = self._judge(stem, capitalised, initial)
        if verdict is None:
            return None
        return self._finding(Span(start, end), shown, verdict)

    def _stem(self, word: str, lower: str) -> str | None:
        """The lower-case word to judge (a possessive dropped), or None if this form is never a typo anywhere."""
        plain = word.replace("’", "'")
        if not plain.isascii() or not plain.replace("'", "").isalpha():
            return None  # digits, an underscore or a letter outside ASCII
        if len(word) > 1 and word.isupper():
            return None  # acronym or all-caps headline
        stem = lower.replace("’", "'")
        for tail in _APOSTROPHES:
            if stem.endswith(tail.replace("’", "'")):
                stem = stem[:-2]
                break
        if "'" in stem:
            return None  # a contraction of a word; O'Neill, d'Ivoire, rock'n'roll: names and set forms
        if self.vocabulary.is_word(stem) or len(stem) < 2:
            return None
        rest = word[1 : len(stem)]
        if rest and not rest.islower():
            return None  # McDonald, iPhone, eBay
        if word[0].isupper() and self.vocabulary.frequency(stem) > 0 and self._known(stem) is None:
            return None  # a name English text knows, and no list calls it a misspelling (see _judge)
        return stem

    def _neighbours(self, tokens: tuple[Token, ...], index: int) -> tuple[str, str]:
        """The lower-case words just before and after ``tokens[index]`` when only spaces separate them."""
        text = self.text
        left = right = ""
        if index > 0:
            before = tokens[index - 1]
            if before.kind is TokenKind.WORD and text[before.end : tokens[index].start].isspace():
                left = before.text.lower()
        if index + 1 < len(tokens):
            after = tokens[index + 1]
            if after.kind is TokenKind.WORD and text[tokens[index].end : after.start].isspace():
                right = after.text.lower()
        return left, right

    def _glued(self, token: Token) -> bool:
        text = self.text
        before = text[token.start - 1] if token.start > 0 else " "
        after = text[token.end] if token.end < len(text) else " "
        if before in _GLUE_BEFORE or after in _GLUE_AFTER:
            return True
        return after == "." and token.end + 1 < len(text) and text[token.end + 1].isalnum()

    def _compound(self, tokens: tuple[Token, ...], index: int) -> list[str] | None:
        """The parts of the hyphenated compound ``tokens[index]`` belongs to, or None."""
        start = index
        while start >= 2 and self._joins(tokens[start - 2], tokens[start - 1], tokens[start]):
            start -= 2
        end = index
        while end + 2 < len(tokens) and self._joins(tokens[end], tokens[end + 1], tokens[end + 2]):
            end += 2
        if start == end:
            return None
        return [tokens[i].text for i in range(start, end + 1, 2)]

    @staticmethod
    def _joins(left: Token, mark: Token, right: Token) -> bool:
        return (
            mark.kind is TokenKind.PUNCT
            and mark.text in _HYPHENS
            and left.end == mark.start
            and mark.end == right.start
            and left.kind in (TokenKind.WORD, TokenKind.NUMBER)
            and right.kind in (TokenKind.WORD, TokenKind.NUMBER)
        )

    def _compound_is_word(self, parts: list[str], stem: str) -> bool:
        """True if the parts joined are a word, the part is a short prefix or fragment (mis-, hi-fis), or the
        compound holds a name (Abish-uly, Mong-koo)."""
        joined = "".join(p.lower() for p in parts)
        if self.vocabulary.is_word(joined) or self.vocabulary.frequency(joined) >= COMMON_ZIPF - 0.5:
            return True
        return len(stem) <= 3 or any(p[:1].isupper() for p in parts)

    def _sentence_initial(self, block: Block, start: int) -> bool:
        """True if the word at ``start`` opens a sentence (or a block), so its capital says nothing."""
        text = self.text
        position = start
        while position > block.start and text[position - 1] in _OPENERS:
            position -= 1
        if position == block.start:
            return True
        if text[position - 1] not in "!?…":
            if text[position - 1] != ".":
                return False
            match = _WORD_BEFORE.search(text, max(block.start, position - 12), position - 1)
            if match is not None and match.group().lower() in _TITLES:
                return False  # "Mr. Smith": not a sentence start
        return position < start or text[position - 1 : start].strip() == ""

    def _coined(self, stem: str, ranked: list[str], affixed: bool) -> bool:
        """True if ``stem`` is a known word with an affix (``affixed``: ``_affixed(stem)``), or two everyday words
        run together (and not a plain slip from an everyday word, which is likelier than a coinage)."""
        vocabulary = self.vocabulary
        best = ranked[0] if ranked and " " not in ranked[0] else ""
        if best and vocabulary.frequency(best) >= PLAIN_SLIP_ZIPF and self._slip_cost(stem, best) <= PLAIN_SLIP_COST:
            return False
        if affixed:
            return True
        if any(" " not in r and vocabulary.frequency(r) >= PLAIN_SLIP_ZIPF for r in ranked):
            return False  # two words run together lose to any everyday word one edit away (indus+trey)
        for cut in range(3, len(stem) - 2):
            left, right = stem[:cut], stem[cut:]
            if (
                left not in _FUNCTION_WORDS
                and right not in _FUNCTION_WORDS
                and vocabulary.is_word(left)
                and vocabulary.is_word(right)
                and vocabulary.frequency(left) >= COMMON_ZIPF
                and vocabulary.frequency(right) >= COMMON_ZIPF
            ):
                return True
        return False

    def _cheap_everyday_slip(self, stem: str) -> bool:
        """True if an everyday word is one cheap slip from ``stem``, as _coined asks of the best suggestion. Every
        edit of cost PLAIN_SLIP_COST or less is one of _cheap_slips (with vowels): a swap, a doubled or undoubled
        letter, or a vowel for a vowel; any other edit, or two edits, cost more."""
        vocabulary = self.vocabulary
        return any(
            vocabulary.is_word(c) and vocabulary.frequency(c) >= PLAIN_SLIP_ZIPF and self._slip_cost(stem, c) <= PLAIN_SLIP_COST
            for c in _cheap_slips(stem, vowels=True)
        )

    def _affixed(self, stem: str) -> bool:
        """True if ``stem`` is a known word (or a suffixed one) with a prefix, or a known word with a suffix."""
        for prefix in _PREFIXES:
            if stem.startswith(prefix) and len(stem) - len(prefix) >= 4:
                base = stem[len(prefix) :]
                if self._base(base) or self._suffixed(base):
                    return True
        return self._suffixed(stem)

    def _suffixed(self, stem: str) -> bool:
        for suffix in _SUFFIXES:
            if stem.endswith(suffix) and len(stem) - len(suffix) >= 4:
                base = stem[: -len(suffix)]
                if suffix == "s" and (base.endswith(("s", "x", "z", "sh", "ch")) or _consonant_y(base)):
                    continue  # businesss, companys
                if suffix[0] in "aeiou" and base.endswith("e") and not base.endswith(("ee", "oe", "ye")):
                    continue  # moveing, saleing: the e drops
                if self._base(base) or self._base(base + "e"):
                    return True
                if (
                    len(base) > 3
                    and base[-1] == base[-2]
                    and base[-3] in "aeiou"
                    and base[-4] not in "aeiou"
                    and self._base(base[:-1])
                ):
                    return True
                if base.endswith("i") and self._base(base[:-1] + "y"):
                    return True
        return False

    def _variant(self, stem: str) -> bool:
        """True if ``stem`` is the British (or American) form of a dictionary word, or an irregular plural."""
        is_word = self.vocabulary.is_word
        for british, american in _SPELLING_VARIANTS:
            if len(british) < 3 and len(stem) < 6:
                continue  # "ae" and "oe" only in longer words (paediatric, manoeuvre), not in slips (aer, mooe)
            if british in stem and is_word(stem.replace(british, american)):
                return True
            if len(american) > 2 and american in stem and is_word(stem.replace(american, british)):
                return True
        return stem.endswith("women") and is_word(stem[:-5] + "woman")

    def _base(self, word: str) -> bool:
        vocabulary = self.vocabulary
        if vocabulary.is_word(word):
            return True
        return vocabulary.frequency(word) >= AFFIX_BASE_ZIPF and self._known(word) is None

    def _known(self, stem: str) -> Misspelling | None:
        return self.data.corrections.get(stem) or self.vocabulary.misspelling(stem)

    def _judge(self, stem: str, capitalised: bool, initial: bool) -> _Verdict | None:
        """The verdict on ``stem`` between ``self._left`` and ``self._right``: what depends on the word and its
        neighbours alone is remembered across documents; how often the story uses the word is asked each time."""
        vocabulary = self.vocabulary
        if not capitalised:
            memo = self.data.word_verdicts
            key = (stem, self._left, self._right, self.max_suggestions)
            entry = memo.get(key)
            if entry is None:
                entry = self._judge_word(stem)
                if len(memo) < VERDICTS_MEMO:
                    memo[key] = entry
            verdict, unless_repeated = entry
            if verdict is not None and unless_repeated and self.count(stem) > 1:
                return None
            return verdict
        # A capitalised word is a name unless a list knows the misspelling, or it appears once, was never
        # seen in English, and one common slip (a swap or a doubled letter; a vowel too at a sentence
        # start) turns it into an everyday word. The document is counted only when that is still open.
        frequency = vocabulary.frequency(stem)
        known = self._known(stem)
        if known is None and frequency > 0:
            return None
        repeated = self.count(stem) > 1
        ours = stem in self.data.corrections  # the desk's own lexicon is trusted on names too
        if known is not None and (self.lower_count(stem) > 0 or (not repeated and (initial or ours or frequency == 0))):
            return _Verdict(known.corrections, known)
        if repeated or frequency > 0:
            return None
        names = self.data.name_verdicts
        name_key = (stem, initial, self._left, self._right, self.max_suggestions)
        if name_key in names:
            return names[name_key]
        verdict = self._judge_name(stem, initial)
        if len(names) < VERDICTS_MEMO:
            names[name_key] = verdict
        return verdict

    def _judge_name(self, stem: str, initial: bool) -> _Verdict | None:
        """The verdict on a capitalised ``stem`` used once and unknown to English: a slip if one cheap slip
        makes it an everyday word (depends on the word and its neighbours alone)."""
        vocabulary = self.vocabulary
        limit = INITIAL_SLIP_COST if initial else NAME_SLIP_COST
        close = [
            c
            for c in _cheap_slips(stem, vowels=initial)
            if vocabulary.is_word(c) and vocabulary.frequency(c) >= NAME_TARGET_ZIPF and self._slip_cost(stem, c) <= limit
        ]
        if not close:
            return None
        return _Verdict(tuple(self._order(stem, close)[: self.max_suggestions]), None)

    def _judge_word(self, stem: str) -> tuple[_Verdict | None, bool]:
        """The verdict on a lower-case ``stem`` between its neighbours, and whether it lapses if the story uses
        the word more than once (the one question about the document; the rest depends on the word and its
        neighbours alone)."""
        vocabulary = self.vocabulary
        frequency = vocabulary.frequency(stem)
        known = self._known(stem)
        if known is not None:
            return _Verdict(tuple(self._order(stem, known.corrections)), known), False
        # a form seen in English and used more than once is a term: unless_repeated (below) says so
        if self._variant(stem):
            return None, False
        # An affixed word is coined (see _coined) unless the best suggestion is an everyday word one cheap slip
        # away: with no such word at all, whatever the suggestions, no candidate search is needed.
        affixed = self._affixed(stem)
        if affixed and not self._cheap_everyday_slip(stem):
            return None, False
        candidates = vocabulary.candidates(stem, 1)
        if not candidates and len(stem) >= 5 and frequency == 0:
            # nothing one edit away (so the word is not affixed: a cheap slip is one edit): two edits, then
            candidates = vocabulary.candidates(stem, 2)
        ranked = self._ranked(stem, candidates)
        if self._coined(stem, ranked, affixed):
            return None, False
        if not ranked:
            return None, False  # nothing it could be a slip for: a coinage or a foreign word
        best = max(vocabulary.frequency(option.split(" ")[0]) for option in ranked)
        needed = WEB_WORD_MARGIN if frequency < WEB_WORD_ZIPF else WEB_WORD_MARGIN_HIGH
        if frequency > 0 and best - frequency < needed:
            return None, False
        if (
            frequency >= WEB_TERM_ZIPF
            and min((self._slip_cost(stem, o) for o in ranked if " " not in o), default=0.0) > TERM_SLIP_COST
        ):
            return None, False  # a form this common on the web (json, muni) is a term unless one slip from a word
        # used twice: a form seen in English is a term, and so is one close to no everyday word (a currency, a species)
        return _Verdict(tuple(ranked), None), frequency > 0 or best < REPEATED_TARGET_ZIPF

    def _ranked(self, stem: str, candidates: list[tuple[str, int]]) -> list[str]:
        """Real words near ``stem`` (``candidates``, and two words run together), best first: likely slips to
        words that fit between the neighbours."""
        vocabulary = self.vocabulary
        options = [c for c, _ in candidates if "'" not in c or "'" in stem]
        if stem.endswith("ys") and _consonant_y(stem[:-1]) and vocabulary.is_word(stem[:-2] + "ies"):
            options.append(stem[:-2] + "ies")  # companys: the plural of a consonant + y word
        for cut in range(1, len(stem)):
            left, right = stem[:cut], stem[cut:]
            if (
                (left in ("a", "i") or len(left) > 1)
                and len(right) > 1
                and vocabulary.is_word(left)
                and vocabulary.is_word(right)
                and min(vocabulary.frequency(left), vocabulary.frequency(right)) >= SPLIT_ZIPF
            ):
                options.append(f"{left} {right}")
        return self._order(stem, options)[: self.max_suggestions]

    def _order(self, stem: str, options: tuple[str, ...] | list[str]) -> list[str]:
        """Rank ``options`` by how likely each is in this place, less the cost of the slip that leads to it."""
        if len(options) < 2:
            return list(options)
        context = self.data.context
        scored = []
        for option in options:
            target = option.lower()
            cost = SPLIT_COST if " " in target else self._slip_cost(stem, target)
            if target.endswith("ies") and stem.endswith("ys") and target[:-3] == stem[:-2]:
                cost = PLURAL_COST  # companys -> companies: one slip of grammar, not two of typing
            fit = context.fit(self._left, target, self._right)
            bonus = FIRST_LETTER_BONUS if target[:1] == stem[:1] else 0.0
            scored.append((fit - SLIP_WEIGHT * cost + bonus, option))
        scored.sort(key=lambda item: (-item[0], item[1]))
        return [option for _, option in scored]

    def _slip_cost(self, typo: str, word: str) -> float:
        """``_edit_cost(typo, word)``, remembered: an unknown word met between other neighbours is ranked again."""
        costs = self.data.slip_costs
        key = (typo, word)
        cost = costs.get(key)
        if cost is None:
            cost = _edit_cost(typo, word)
            if len(costs) < SLIP_COSTS_MEMO:
                costs[key] = cost
        return cost

    def _finding(self, span: Span, shown: str, verdict: _Verdict) -> Finding:
        rule, context = self.rule, self.context
        suggestions = tuple(match_case(shown, s) for s in verdict.suggestions)
        if verdict.known is not None and verdict.known.fixable and len(suggestions) == 1:
            severity = Severity.ERROR if context.severity is rule.default_severity else context.severity
            return rule.finding(
                context,
                span,
                f"'{shown}' is a misspelling of '{suggestions[0]}'",
                replacement=suggestions[0],
                applicability=Applicability.SAFE,
                severity=severity,
            )
        if not suggestions:
            return rule.finding(context, span, f"'{shown}' is not in the dictionary")
        listed = ", ".join(f"'{s}'" for s in suggestions[:3])
        return rule.finding(
            context,
            span,
            f"'{shown}' is not a word; did you mean {listed}?",
            replacement=suggestions[0],
            applicability=Applicability.UNSAFE,
            suggestions=suggestions,
        )
