"""Opt-in grammar backends: LanguageTool (a server the user names) and Harper (offline), as extra rules.

Neither is in the default rule set. ``Backends.configure`` reads the config and the command-line request,
resolves selectors that name backend rules (``grammar/lt-EN_A_VS_AN`` is passed to the server as an enabled or
disabled rule), and returns the rules to hand to ``build_ruleset(..., extra_rules=...)``. The heavy packages
are imported only when a backend runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import TYPE_CHECKING

from copylint.config import Config
from copylint.errors import ConfigError
from copylint.rule import Rule

if TYPE_CHECKING:
    from copylint.backends import harper, languagetool

__all__ = ["BackendRequest", "Backends", "catalogue"]

_GRAMMAR = "grammar"


@dataclass(frozen=True)
class BackendRequest:
    """What the command line asks of the backends for this run."""

    languagetool_url: str | None = None  # --languagetool URL (overrides the config's url)
    no_languagetool: bool = False  # --no-languagetool: send nothing this run, whatever the config says
    harper: bool = False  # --harper


_LT_PREFIX = "grammar/lt-"
_LT_FAMILY = "grammar/languagetool"
_HARPER_PREFIX = "grammar/harper-"


def catalogue() -> tuple[Rule, ...]:
    """Every backend rule, for `copylint rules` and `copylint explain` (none of them can run from here)."""
    from copylint.backends import harper, languagetool

    return (languagetool.LanguageToolRule(None), *harper.kind_rules(None))


def _is_lt_rule(selector: str) -> bool:
    return selector.startswith(_LT_PREFIX)


def _is_harper(selector: str) -> bool:
    return selector.startswith(_HARPER_PREFIX)


def _is_backend(selector: str) -> bool:
    return _is_lt_rule(selector) or _is_harper(selector) or selector == _LT_FAMILY


class Backends:
    """The run's backend engines (built on first use and shared by every config) and its warnings."""

    def __init__(self, warn: Callable[[str], None] | None = None) -> None:
        self.warnings: list[str] = []
        self._warn_out = warn
        self._harper: dict[tuple[object, ...], harper.HarperEngine] = {}
        self._languagetool: dict[languagetool.LanguageToolSettings, languagetool.LanguageToolClient] = {}

    def warn(self, message: str) -> None:
        """Record a one-line warning (each distinct message once per run) and pass it on."""
        if message in self.warnings:
            return
        self.warnings.append(message)
        if self._warn_out is not None:
            self._warn_out(message)

    def configure(self, config: Config, request: BackendRequest | None = None) -> tuple[Config, tuple[Rule, ...]]:
        """``config`` with backend selectors resolved, and the backend rules to add to its rule set."""
        request = request or BackendRequest()
        selectors = (*(config.select or ()), *config.ignore, *config.severity, *config.options)
        if (
            not config.languagetool
            and not config.harper
            and request == BackendRequest()
            and not any(s == _GRAMMAR or _is_backend(s) for s in selectors)
        ):
            return config, ()  # the default run: nothing to resolve, and the backend modules stay unimported
        from copylint.backends import harper, languagetool

        where = str(config.path) if config.path else "command line"
        lt_settings = languagetool.parse_settings(config.languagetool, where, request.languagetool_url)
        if request.no_languagetool:
            lt_settings = None
        harper_settings = harper.parse_settings(config.harper, where)
        for selector in selectors:
            self._validate(selector, where)
        select = list(config.select) if config.select is not None else None
        rules: list[Rule] = []

        # LanguageTool: runs when a URL is configured; grammar/lt-<ID> selectors become server parameters.
        if lt_settings is not None:
            lt_settings, select = self._lt_selection(config, lt_settings, select, request)
            if select is None or any(s in ("ALL", _GRAMMAR, languagetool.FAMILY_ID) for s in select):
                client = self._languagetool.get(lt_settings)
                if client is None:
                    client = self._languagetool[lt_settings] = languagetool.LanguageToolClient(lt_settings, self.warn)
                severities = MappingProxyType({k: v for k, v in config.severity.items() if _is_lt_rule(k)})
                rules.append(languagetool.LanguageToolRule(client, severities))
        elif any(_is_lt_rule(s) or s == languagetool.FAMILY_ID for s in config.select or ()):
            self.warn("LanguageTool rules are selected but no server is configured (--languagetool URL); skipped")
        if select is not None:
            select = [s for s in select if not _is_lt_rule(s)]

        # Harper: runs when enabled, or when grammar checks are selected (and it is not switched off).
        named = {harper.KIND_BY_ID[s].key for s in config.select or () if _is_harper(s)}
        by_option = request.harper or harper_settings.enabled is True
        by_selection = harper_settings.enabled is not False and (bool(named) or _GRAMMAR in (config.select or ()))
        if by_option or by_selection:
            if not harper.harper_available():
                self.warn("Harper is not installed (pip install 'copylint[harper]'); grammar/harper-* checks skipped")
            else:
                kinds = harper.DEFAULT_KINDS | named
                rules.extend(harper.kind_rules(self._harper_engine(harper_settings, where), kinds))
                if by_option and select is not None and not named:  # --harper adds to what is selected
                    select.extend(harper.KIND_BY_KEY[k].rule_id for k in sorted(harper.DEFAULT_KINDS))

        # Selectors of backend rules that do not run this time are dropped, so that a shared config stays valid.
        running = {rule.id for rule in rules}

        def keep(selector: str) -> bool:
            return not _is_backend(selector) or selector in running

        resolved = replace(
            config,
            select=tuple(dict.fromkeys(s for s in select if keep(s))) if select is not None else None,
            ignore=tuple(s for s in config.ignore if keep(s)),
            severity=MappingProxyType({k: v for k, v in config.severity.items() if keep(k)}),
            options=MappingProxyType({k: v for k, v in config.options.items() if keep(k)}),
        )
        return resolved, tuple(rules)

    @staticmethod
    def _validate(selector: str, where: str) -> None:
        from copylint.backends import harper, languagetool

        if _is_harper(selector) and selector not in harper.KIND_BY_ID:
            known = ", ".join(sorted(harper.KIND_BY_ID))
            raise ConfigError(f"{where}: unknown Harper rule {selector!r} (known: {known})")
        if _is_lt_rule(selector) and not languagetool.RULE_ID.match(selector[len(languagetool.PREFIX) :]):
            raise ConfigError(f"{where}: {selector!r} is not grammar/lt- followed by a LanguageTool rule id")

    @staticmethod
    def _lt_selection(
        config: Config,
        settings: languagetool.LanguageToolSettings,
        select: list[str] | None,
        request: BackendRequest,
    ) -> tuple[languagetool.LanguageToolSettings, list[str] | None]:
        """Turn grammar/lt-<ID> selectors into server parameters; make sure the family is selected when asked for."""
        ids = _lt_ids(config.select or ())
        ignored = _lt_ids(config.ignore)
        enabled = settings.enabled_rules | ids
        enabled_only = settings.enabled_only
        if select is not None:
            broad = any(s in ("ALL", _GRAMMAR, _LT_FAMILY) for s in select)
            if ids and not broad:
                enabled_only = True  # only the named LanguageTool rules
            if ids or (request.languagetool_url is not None and not broad):
                select.append(_LT_FAMILY)
        settings = replace(
            settings,
            enabled_rules=frozenset(enabled),
            enabled_only=enabled_only,
            disabled_rules=(settings.disabled_rules - ids) | ignored,
        )
        return settings, select

    def _harper_engine(self, settings: harper.HarperSettings, where: str) -> harper.HarperEngine:
        from copylint.backends import harper

        key = (settings.dialect, settings.enabled_rules, settings.disabled_rules)
        engine = self._harper.get(key)
        if engine is None:
            engine = self._harper[key] = harper.HarperEngine(settings, harper.lint_config(settings, where), self.warn)
        return engine


def _lt_ids(selectors: Iterable[str]) -> frozenset[str]:
    return frozenset(s[len(_LT_PREFIX) :] for s in selectors if _is_lt_rule(s))
