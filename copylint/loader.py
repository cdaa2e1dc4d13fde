"""Read and validate rule data files (TOML), reporting problems as ``path:line: what is wrong``.

A data file declares ``kind`` (one of copylint.kinds.KIND_NAMES). Rules need ``id``, ``severity``,
``summary``, ``message`` and a ``[doc]`` table; see rules/README.md for each kind's keys.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from copylint.cachedir import prune_stale
from copylint.errors import RuleFileError
from copylint.finding import Applicability, Severity
from copylint.kinds import KIND_NAMES, DataRuleMeta, ExistenceRule, Pattern, PatternRule, SubstitutionRule, compile_pattern
from copylint.rule import DOC_SECTIONS, Category, Rule, RuleDoc

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

_TABLES_FORMAT = 1  # bump when what is cached for a rules folder changes
_ID = re.compile(r"^([a-z]+)/[a-z0-9]+(?:-[a-z0-9]+)*$")
_COMMON_KEYS = {"id", "kind", "severity", "summary", "message", "doc"}
_KIND_KEYS = {
    "substitution": _COMMON_KEYS | {"swap", "applicability", "ignore_case"},
    "existence": _COMMON_KEYS | {"phrases", "patterns", "ignore_case"},
    "pattern": _COMMON_KEYS | {"pattern", "replacement", "applicability", "ignore_case"},
    "wordlist": {"kind", "description", "words"},
    "lexicon": {"kind", "rule", "description", "entries"},
}


@dataclass(frozen=True)
class Lexicon:
    """Data for one Python rule (confusion sets, promo cues...), validated by that rule's ``prepare``."""

    rule: str
    path: str
    entries: Any
    raw: str = field(repr=False, compare=False, default="")

    def error(self, message: str, needle: str = "") -> RuleFileError:
        """A RuleFileError pointing at the line of this file that contains ``needle``."""
        return _FileReader(self.path, self.raw).fail(message, needle)


class LexiconKey:
    """Lexicon files compared by rule, path and text (their parsed entries need not be hashable), so that
    rules fed the same files can share one prepared state through a memo keyed on them."""

    def __init__(self, lexicons: tuple[Lexicon, ...]) -> None:
        self.lexicons = lexicons
        self._key = tuple((lexicon.rule, lexicon.path, lexicon.raw) for lexicon in lexicons)

    def __hash__(self) -> int:
        return hash(self._key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LexiconKey) and other._key == self._key


@dataclass(frozen=True)
class RuleData:
    """Everything read from rule data directories: rules and accepted words."""

    rules: tuple[Rule, ...] = ()
    words: frozenset[str] = frozenset()
    lexicons: tuple[Lexicon, ...] = ()

    def merged(self, other: RuleData) -> RuleData:
        """Both sets together."""
        return RuleData(self.rules + other.rules, self.words | other.words, self.lexicons + other.lexicons)

    def lexicons_for(self, rule_id: str) -> tuple[Lexicon, ...]:
        """Lexicons feeding ``rule_id`` (addressed to its id or to its whole category), bundled ones first."""
        category = rule_id.split("/", 1)[0]
        return tuple(lex for lex in self.lexicons if lex.rule in (rule_id, category))


class _FileReader:
    """Validation helpers bound to one file, so every error names path and line."""

    def __init__(self, path: str, raw: str) -> None:
        self.path = path
        self.raw = raw

    def line_of(self, needle: str) -> int:
        for number, line in enumerate(self.raw.splitlines(), start=1):
            if needle and needle in line:
                return number
        return 1

    def fail(self, message: str, needle: str = "") -> RuleFileError:
        return RuleFileError(f"{self.path}:{self.line_of(needle)}: {message}")

    def string(self, table: Mapping[str, Any], key: str, default: str | None = None, *, table_name: str = "") -> str:
        value = table.get(key, default)
        if not isinstance(value, str) or (default is None and not value.strip()):
            # Point at the key if it is there, else at the table it belongs in.
            needle = key if key in table else (f"[{table_name}]" if table_name else key)
            raise self.fail(f"'{key}' must be a non-empty string", needle)
        return value

    def compile(self, pattern: str, ignore_case: bool) -> Pattern:
        try:
            return compile_pattern(pattern, ignore_case)
        except Exception as exc:  # regex.error, imported lazily
            raise self.fail(f"invalid regular expression {pattern!r}: {exc}", pattern[:20]) from None


def _meta(reader: _FileReader, table: Mapping[str, Any]) -> DataRuleMeta:
    rule_id = reader.string(table, "id")
    match = _ID.match(rule_id)
    if not match:
        raise reader.fail(f"rule id {rule_id!r} must look like 'category/kebab-name'", rule_id)
    try:
        category = Category(match.group(1))
    except ValueError:
        names = ", ".join(c.value for c in Category)
        raise reader.fail(f"unknown category {match.group(1)!r} (expected one of {names})", rule_id) from None
    try:
        severity = Severity.parse(reader.string(table, "severity"))
    except ValueError as exc:
        raise reader.fail(str(exc), "severity") from None
    doc_table = table.get("doc")
    if not isinstance(doc_table, dict):
        raise reader.fail("missing [doc] table with what, why, example, use_instead, fix_safety", "doc")
    unknown_doc = set(doc_table) - set(DOC_SECTIONS)
    if unknown_doc:
        raise reader.fail(f"unknown [doc] keys: {', '.join(sorted(unknown_doc))}", sorted(unknown_doc)[0])
    doc = RuleDoc(**{name: reader.string(doc_table, name, table_name="doc") for name in DOC_SECTIONS})
    message = reader.string(table, "message")
    return DataRuleMeta(rule_id, category, severity, reader.string(table, "summary"), doc, message, reader.path)


def _applicability(reader: _FileReader, table: Mapping[str, Any]) -> Applicability:
    value = reader.string(table, "applicability", "unsafe")
    try:
        return Applicability(value)
    except ValueError:
        raise reader.fail(f"applicability must be safe, unsafe or display-only, not {value!r}", "applicability") from None


def _bool(reader: _FileReader, table: Mapping[str, Any], key: str, default: bool) -> bool:
    value = table.get(key, default)
    if not isinstance(value, bool):
        raise reader.fail(f"'{key}' must be true or false", key)
    return value


def _string_list(reader: _FileReader, table: Mapping[str, Any], key: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise reader.fail(f"'{key}' must be a list of non-empty strings", key)
    return value


def _parse_toml(path: str, raw: str) -> dict[str, Any]:
    import tomllib  # only when the parsed tables are not cached: importing it costs a start ~5 ms

    try:
        return tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+), column \d+\)", str(exc))  # tomllib has no lineno before 3.14
        line = int(where.group(1)) if where else 1
        raise RuleFileError(f"{path}:{line}: invalid TOML: {exc}") from None


def parse_rule_file(path: str, raw: str, table: dict[str, Any] | None = None) -> RuleData:
    """Validate one data file's text (or ``table``, the TOML of ``raw`` parsed before) and build what it declares."""
    reader = _FileReader(path, raw)
    if table is None:
        table = _parse_toml(path, raw)
    kind = table.get("kind")
    if kind not in KIND_NAMES:
        raise reader.fail(f"'kind' must be one of {', '.join(KIND_NAMES)}, not {kind!r}", "kind")
    unknown = set(table) - _KIND_KEYS[kind]
    if unknown:
        first = sorted(unknown)[0]
        raise reader.fail(f"unknown key{'s' if len(unknown) > 1 else ''} for kind {kind}: {', '.join(sorted(unknown))}", first)
    if kind == "wordlist":
        return RuleData(words=frozenset(_string_list(reader, table, "words")))
    if kind == "lexicon":
        rule_id = reader.string(table, "rule")
        if "entries" not in table:
            raise reader.fail("lexicon needs 'entries'", "kind")
        return RuleData(lexicons=(Lexicon(rule_id, path, table["entries"], raw),))
    meta = _meta(reader, table)
    ignore_case = _bool(reader, table, "ignore_case", True)
    rule: Rule
    if kind == "substitution":
        swap = table.get("swap")
        if not isinstance(swap, dict) or not swap:
            raise reader.fail("substitution needs a non-empty [swap] table of phrase = replacement", "swap")
        swaps: dict[str, tuple[str, ...]] = {}
        for phrase, replacement in swap.items():
            choices = [replacement] if isinstance(replacement, str) else replacement
            if not isinstance(choices, list) or not choices or not all(isinstance(c, str) for c in choices):
                raise reader.fail(f"replacement for {phrase!r} must be a string or a list of strings", phrase)
            if any(" ".join(c.split()).lower() == " ".join(phrase.split()).lower() for c in choices):
                raise reader.fail(f"{phrase!r} is replaced by itself", phrase)
            key = " ".join(phrase.split())
            swaps[key.lower() if ignore_case else key] = tuple(choices)
        rule = SubstitutionRule(meta, swaps, _applicability(reader, table), ignore_case)
    elif kind == "existence":
        phrases = _string_list(reader, table, "phrases")
        patterns = _string_list(reader, table, "patterns")
        if not phrases and not patterns:
            raise reader.fail("existence needs 'phrases' or 'patterns'", "kind")
        for p in patterns:
            reader.compile(p, ignore_case)
        alternatives = [r"\s+".join(re.escape(w) for w in p.split()) for p in phrases] + patterns
        body = "|".join(f"(?:{a})" for a in alternatives)
        rule = ExistenceRule(meta, reader.compile(rf"(?<!\w)(?:{body})(?!\w)", ignore_case))
    else:
        pattern = reader.compile(reader.string(table, "pattern"), ignore_case)
        replacement = table.get("replacement")
        if replacement is not None and not isinstance(replacement, str):
            raise reader.fail("'replacement' must be a string", "replacement")
        rule = PatternRule(meta, pattern, replacement, _applicability(reader, table))
    return RuleData(rules=(rule,))


def _walk(root: Traversable, prefix: str) -> Iterable[tuple[str, Traversable]]:
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        name = f"{prefix}/{entry.name}" if prefix else entry.name
        if entry.is_dir():
            yield from _walk(entry, name)
        elif entry.name.endswith(".toml"):
            yield name, entry


def load_directory(root: Traversable, label: str, *, cache: bool = False) -> RuleData:
    """Load every ``*.toml`` under ``root`` (recursively, in name order).

    With ``cache``, the parsed TOML of the whole folder is kept in the user cache (keyed by a checksum of every
    file's name and text), so that a start reads it with marshal instead of parsing; validation runs all the same.
    """
    files: list[tuple[str, str]] = []
    for name, entry in _walk(root, ""):
        path = f"{label}/{name}"
        try:
            files.append((path, entry.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as exc:
            raise RuleFileError(f"{path}:1: cannot read: {exc}") from None
    tables = _cached_tables(files) if cache else None
    data = RuleData()
    seen: dict[str, str] = {}
    for index, (path, raw) in enumerate(files):
        loaded = parse_rule_file(path, raw, tables[index] if tables is not None else None)
        for rule in loaded.rules:
            if rule.id in seen:
                raise RuleFileError(f"{path}:1: rule id {rule.id!r} is already defined in {seen[rule.id]}")
            seen[rule.id] = path
        data = data.merged(loaded)
    return data


def _cached_tables(files: list[tuple[str, str]]) -> list[dict[str, Any]] | None:
    """The parsed TOML of ``files``, from the user cache or parsed now and stored; None if a file does not parse."""
    import marshal
    import zlib

    from copylint.vocabulary import default_cache_dir

    checksum = 0
    for path, raw in files:
        checksum = zlib.crc32(f"{path}\0{raw}\0".encode(), checksum)
    try:
        folder = default_cache_dir()
    except ImportError:
        return None
    target = folder / f"rules-{_TABLES_FORMAT}-{checksum:08x}-{len(files)}.marshal"
    try:
        tables = marshal.loads(target.read_bytes())
        if isinstance(tables, list) and len(tables) == len(files) and all(isinstance(t, dict) for t in tables):
            return tables
    except (OSError, EOFError, ValueError, TypeError):
        pass  # missing or damaged: parse again
    try:
        tables = [_parse_toml(path, raw) for path, raw in files]
    except RuleFileError:
        return None  # reported, with its line, when the file is validated
    try:
        folder.mkdir(parents=True, exist_ok=True)
        scratch = target.with_suffix(f".{os.getpid()}.tmp")
        scratch.write_bytes(marshal.dumps(tables))  # ValueError for values marshal cannot hold (TOML dates)
        os.replace(scratch, target)
        prune_stale(folder, f"rules-{_TABLES_FORMAT}-*-{len(files)}.marshal", target)  # rules before an edit
    except (OSError, ValueError):
        pass  # a read-only cache only costs the next start the parse
    return tables


def builtin_rules_root() -> Traversable:
    """The bundled rules/ folder: inside the wheel as copylint/rules_data, or beside the package in a checkout.

    Found beside this file when the package is a folder on disk (importlib.resources costs a start ~10 ms of
    imports); through importlib.resources otherwise (a zipped install).
    """
    package = Path(__file__).resolve().parent
    for folder in (package / "rules_data", package.parent / "rules"):
        if folder.is_dir():
            return folder
    from importlib import resources

    return resources.files("copylint").joinpath("rules_data")


def load_builtin() -> RuleData:
    """Rules and word lists shipped with copylint."""
    return load_directory(builtin_rules_root(), "rules", cache=True)


def load_user_directory(path: Path) -> RuleData:
    """Rules from a directory named in config."""
    if not path.is_dir():
        raise RuleFileError(f"{path}:1: rule directory does not exist")
    return load_directory(path, str(path))
