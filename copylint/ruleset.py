"""Build the active rule set: built-in Python rules plus data rules, filtered by select/ignore."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from copylint.checks import BUILTIN_RULES
from copylint.config import Config
from copylint.errors import ConfigError
from copylint.loader import RuleData, load_builtin, load_user_directory
from copylint.rule import Category, PrepareInput, Rule, RuleContext


@dataclass(frozen=True)
class ActiveRule:
    """A rule with the context it runs in."""

    rule: Rule
    context: RuleContext


@dataclass(frozen=True)
class RuleSet:
    """The rules to run on a document, in a fixed order."""

    active: tuple[ActiveRule, ...]
    config: Config

    @property
    def ids(self) -> tuple[str, ...]:
        """Ids of the active rules."""
        return tuple(a.rule.id for a in self.active)


def all_rules(data: RuleData, extra_rules: tuple[Rule, ...] = ()) -> tuple[Rule, ...]:
    """Built-in Python rules, data rules, then ``extra_rules`` (opt-in backends), checked for duplicate ids."""
    rules = BUILTIN_RULES + data.rules + extra_rules
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise ConfigError(f"rule id {rule.id!r} is defined twice")
        seen.add(rule.id)
    return rules


def _matches(selector: str, rule: Rule) -> bool:
    return selector == "ALL" or selector == rule.id or selector == rule.category.value


def _check_selectors(selectors: Iterable[str], rules: tuple[Rule, ...], where: str) -> None:
    categories = {c.value for c in Category}
    ids = {r.id for r in rules}
    for selector in selectors:
        if selector != "ALL" and selector not in ids and selector not in categories:
            raise ConfigError(f"{where}: unknown rule or category {selector!r} (see `copylint rules`)")


def _options(rule: Rule, configured: Mapping[str, Any], where: str) -> Mapping[str, Any]:
    defaults = dict(rule.default_options)
    unknown = set(configured) - set(defaults)
    if unknown:
        known = ", ".join(sorted(defaults)) or "none"
        raise ConfigError(f"{where}: unknown option(s) for {rule.id}: {', '.join(sorted(unknown))} (known: {known})")
    for key, value in configured.items():
        if (
            defaults[key] is not None
            and not isinstance(value, type(defaults[key]))
            and not (isinstance(defaults[key], float) and isinstance(value, int))
        ):
            raise ConfigError(f"{where}: option {key} of {rule.id} must be {type(defaults[key]).__name__}")
    defaults.update(configured)
    return MappingProxyType(defaults)


def load_rule_data(config: Config, builtin: RuleData | None = None) -> RuleData:
    """Bundled rule data plus the config's extra rule directories."""
    data = builtin if builtin is not None else load_builtin()
    for directory in config.rule_dirs:
        data = data.merged(load_user_directory(directory))
    return data


def build_ruleset(config: Config, builtin: RuleData | None = None, extra_rules: tuple[Rule, ...] = ()) -> RuleSet:
    """Rules selected by ``config`` (bundled data, loaded unless given, plus its rule_dirs; then ``extra_rules``,
    the opt-in backends), each with its severity, options and the house word list."""
    data = load_rule_data(config, builtin)
    rules = all_rules(data, extra_rules)
    where = str(config.path) if config.path else "command line"
    _check_selectors(config.select or (), rules, where)
    _check_selectors(config.ignore, rules, where)
    _check_selectors(config.severity, rules, where)
    _check_selectors(config.options, rules, where)
    house_words = data.words | config.words
    known_ids = {r.id for r in rules} | {r.category.value for r in rules}  # a lexicon may feed a whole category
    for lexicon in data.lexicons:
        if lexicon.rule not in known_ids:
            raise lexicon.error(f"lexicon is for unknown rule {lexicon.rule!r}", lexicon.rule)
    active = []
    for rule in rules:
        if config.select is not None and not any(_matches(s, rule) for s in config.select):
            continue
        if any(_matches(s, rule) for s in config.ignore):
            continue
        severity = config.severity.get(rule.id) or config.severity.get(rule.category.value) or rule.default_severity
        options = _options(rule, config.options.get(rule.id, {}), where)
        prepare = getattr(rule, "prepare", None)
        state = prepare(PrepareInput(options, house_words, data.lexicons_for(rule.id))) if prepare else None
        context = RuleContext(severity=severity, options=options, house_words=house_words, state=state)
        active.append(ActiveRule(rule, context))
    return RuleSet(tuple(active), config)
