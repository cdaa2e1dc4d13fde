"""Python rules, one module per family; BUILTIN_RULES is the explicit list (nothing registers itself)."""

from __future__ import annotations

from copylint.checks.confusion import RealWordConfusion
from copylint.checks.names import NAMES_RULES
from copylint.checks.numbers import NUMBER_RULES
from copylint.checks.promo import PROMO_RULES
from copylint.checks.spelling import NonWord
from copylint.checks.style import DoubledWord
from copylint.rule import Rule

BUILTIN_RULES: tuple[Rule, ...] = (DoubledWord(), RealWordConfusion(), *NAMES_RULES, *NUMBER_RULES, *PROMO_RULES, NonWord())
