"""Find, parse and validate configuration into a frozen Config.

Looked for by walking up from the checked file: ``.copylint.toml``, then ``copylint.toml``, then
``pyproject.toml`` with a ``[tool.copylint]`` table; the first directory holding one wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from copylint.errors import ConfigError
from copylint.finding import Severity

CONFIG_FILES = (".copylint.toml", "copylint.toml", "pyproject.toml")
FAIL_ON_CHOICES = ("error", "warning", "info", "never")
_KEYS = {"select", "ignore", "fail_on", "severity", "options", "words", "words_file", "rule_dirs", "languagetool", "harper"}


@dataclass(frozen=True)
class Config:
    """Settings for one checked file; ``path`` is the file they came from (None for defaults)."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    fail_on: Severity | None = Severity.WARNING
    severity: Mapping[str, Severity] = field(default_factory=lambda: MappingProxyType({}))
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: MappingProxyType({}))
    words: frozenset[str] = frozenset()
    rule_dirs: tuple[Path, ...] = ()
    languagetool: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    harper: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))  # `harper = true` is {"enabled": True}
    path: Path | None = None

    def with_overrides(
        self,
        *,
        select: tuple[str, ...] | None = None,
        ignore: tuple[str, ...] = (),
        fail_on: str | None = None,
    ) -> Config:
        """Apply command-line flags: --select replaces, --ignore adds, --fail-on replaces."""
        updated = self
        if select is not None:
            updated = replace(updated, select=select)
        if ignore:
            updated = replace(updated, ignore=updated.ignore + ignore)
        if fail_on is not None:
            updated = replace(updated, fail_on=parse_fail_on(fail_on))
        return updated


def parse_fail_on(value: str) -> Severity | None:
    """``never`` becomes None; otherwise a Severity."""
    if value == "never":
        return None
    return Severity.parse(value)


def _string_tuple(path: Path, key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: '{key}' must be a list of strings")
    return tuple(value)


def read_words_file(path: Path) -> frozenset[str]:
    """One word per line; blank lines and lines starting with # are skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read words file: {exc}") from None
    return frozenset(line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#"))


def parse_config(table: Mapping[str, Any], path: Path) -> Config:
    """Validate a [tool.copylint] (or copylint.toml) table; relative paths are relative to its file."""
    unknown = set(table) - _KEYS
    if unknown:
        raise ConfigError(f"{path}: unknown configuration key{'s' if len(unknown) > 1 else ''}: {', '.join(sorted(unknown))}")
    base = path.parent
    select = _string_tuple(path, "select", table["select"]) if "select" in table else None
    ignore = _string_tuple(path, "ignore", table.get("ignore", []))
    fail_on_value = table.get("fail_on", "warning")
    if fail_on_value not in FAIL_ON_CHOICES:
        raise ConfigError(f"{path}: 'fail_on' must be one of {', '.join(FAIL_ON_CHOICES)}")
    severity_table = table.get("severity", {})
    if not isinstance(severity_table, dict):
        raise ConfigError(f"{path}: 'severity' must be a table of rule = severity")
    severities: dict[str, Severity] = {}
    for rule_id, value in severity_table.items():
        try:
            severities[rule_id] = Severity.parse(str(value))
        except ValueError as exc:
            raise ConfigError(f"{path}: severity of {rule_id}: {exc}") from None
    options = table.get("options", {})
    if not isinstance(options, dict) or not all(isinstance(v, dict) for v in options.values()):
        raise ConfigError(f"{path}: 'options' must be a table of rule tables")
    words = frozenset(_string_tuple(path, "words", table.get("words", [])))
    if "words_file" in table:
        if not isinstance(table["words_file"], str):
            raise ConfigError(f"{path}: 'words_file' must be a path")
        words |= read_words_file(base / table["words_file"])
    rule_dirs = tuple(base / d for d in _string_tuple(path, "rule_dirs", table.get("rule_dirs", [])))
    languagetool = table.get("languagetool", {})
    if not isinstance(languagetool, dict):
        raise ConfigError(f"{path}: 'languagetool' must be a table")
    harper = table.get("harper", {})
    if isinstance(harper, bool):
        harper = {"enabled": harper}
    if not isinstance(harper, dict):
        raise ConfigError(f"{path}: 'harper' must be true, false or a table")
    return Config(
        select=select,
        ignore=ignore,
        fail_on=parse_fail_on(fail_on_value),
        severity=MappingProxyType(severities),
        options=MappingProxyType({k: MappingProxyType(dict(v)) for k, v in options.items()}),
        words=words,
        rule_dirs=rule_dirs,
        languagetool=MappingProxyType(dict(languagetool)),
        harper=MappingProxyType(dict(harper)),
        path=path,
    )


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib  # only when a config file exists: the parser costs a start that has none ~5 ms

    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None


def load_config_file(path: Path) -> Config:
    """Read one config file (pyproject.toml uses its [tool.copylint] table)."""
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("copylint", {})
    return parse_config(data, path)


def find_config_file(start: Path) -> Path | None:
    """The nearest config file in ``start`` or its parents."""
    directory = start if start.is_dir() else start.parent
    for folder in (directory, *directory.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if name == "pyproject.toml" and "copylint" not in _read_toml(candidate).get("tool", {}):
                continue
            return candidate
    return None
