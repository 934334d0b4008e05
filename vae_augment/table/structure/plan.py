"""Which rules are enforced: each column follows from at most one rule, without cycles.

Rules are taken in order (declared ones first, then the most specific found ones). A
rule is enforced when its dependent column is not derived yet, does not feed its own
inputs, and is missing exactly where an input is (so deriving it reproduces the
training rows' missing cells); a linear identity whose column is taken is written for
another of its columns. A threshold rule whose label follows from another rule is
*placed*: its number is rebuilt from the label (see
:class:`~.rules.ThresholdRule`). An inequality is enforced between two free number
columns where the lower ones are observed wherever the upper one is. The others are
still reported, with the reason.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from .rules import LinearRule, OrderRule, ThresholdRule
from .values import is_number_column


def _missing_alike(rule, frame: pd.DataFrame) -> bool:
    """Whether the dependent is missing exactly where one of the inputs is."""
    inputs_missing = frame[list(rule.inputs)].isna().any(axis=1).to_numpy()
    return bool(np.array_equal(frame[rule.dependent].isna().to_numpy(), inputs_missing))


def _feeds(derived: dict, column, target) -> bool:
    """Whether ``target`` is ``column`` or one of the columns it is derived from."""
    if column == target:
        return True
    rule = derived.get(column)
    return rule is not None and any(_feeds(derived, i, target) for i in rule.needs)


def _enforceable(rule, derived: dict):
    """``rule`` (or a linear rule rewritten for another column) if it can be
    enforced next to ``derived``; else the reason it cannot."""
    options = [rule]
    if isinstance(rule, LinearRule):
        options += [rule.solved_for(name) for name in rule.inputs]
    for option in options:
        dependent = option.dependent
        if dependent not in derived and not any(
            _feeds(derived, i, dependent) for i in option.inputs
        ):
            return option, ""
    taken = derived.get(rule.dependent)
    if taken is not None and not isinstance(rule, LinearRule):
        return rule, f"{rule.dependent!r} already follows from {taken.describe()!r}"
    return rule, "implied by the enforced rules"


def plan(rules: list, frame: pd.DataFrame) -> tuple[list, list[str]]:
    """The rules as enforced (linear ones possibly rewritten) and, for each, ``""`` if
    it is enforced or the reason it is not."""
    derived: dict = {}
    planned, reasons = [], []
    for rule in rules:
        reason = ""
        if isinstance(rule, OrderRule) or (
            isinstance(rule, ThresholdRule) and rule.dependent in derived
        ):
            planned.append(rule)
            reasons.append(None)  # decided below, once every derived column is known
            continue
        if not _missing_alike(rule, frame):
            reason = "its column is missing in other rows than its inputs"
        else:
            rule, reason = _enforceable(rule, derived)
            if not reason:
                derived[rule.dependent] = rule
        planned.append(rule)
        reasons.append(reason)
    for i, rule in enumerate(planned):
        if reasons[i] is None and isinstance(rule, ThresholdRule):
            reasons[i] = _placing_reason(rule, frame, derived)
            if not reasons[i]:
                planned[i] = dataclasses.replace(rule, placed=True)
                derived[rule.source] = planned[i]
    for i, rule in enumerate(planned):
        if reasons[i] is None:
            reasons[i] = _order_reason(rule, frame, derived)
    return planned, reasons


def _placing_reason(rule: ThresholdRule, frame: pd.DataFrame, derived: dict) -> str:
    """Why the number of ``rule`` cannot be rebuilt from its (derived) label, or ``""``."""
    source, label = rule.source, rule.dependent
    if source in derived:
        return f"{source!r} follows from {derived[source].describe()!r}"
    if _feeds(derived, label, source):
        return "implied by the enforced rules"
    if (frame[source].notna() & frame[label].isna()).any():
        return f"{label!r} is missing in rows where {source!r} is not"
    return ""


def _order_reason(rule: OrderRule, frame: pd.DataFrame, derived: dict) -> str:
    for name in rule.columns:
        if name in derived:
            return f"{name!r} follows from {derived[name].describe()!r}"
        if not is_number_column(frame[name]):
            return f"{name!r} is not a number column"
    if (frame[rule.upper].notna() & frame[rule.lower].isna()).any():
        return f"{rule.lower!r} is missing in rows where {rule.upper!r} is not"
    return ""


def derivation_order(rules: list) -> list:
    """The derived (non-order) rules, each after the rules its inputs follow from."""
    by_column = {r.computes: r for r in rules}
    ordered, done = [], set()

    def visit(rule):
        if rule.computes in done:
            return
        for name in rule.needs:
            if name in by_column:
                visit(by_column[name])
        done.add(rule.computes)
        ordered.append(rule)

    for rule in rules:
        visit(rule)
    return ordered


def order_levels(orders: list) -> list:
    """Upper columns of enforced orders, each after its lower columns' own uppers."""
    lowers: dict = {}
    for rule in orders:
        lowers.setdefault(rule.upper, []).append(rule.lower)
    ordered, done = [], set()

    def visit(name):
        if name in done or name not in lowers:
            return
        for lower in lowers[name]:
            visit(lower)
        done.add(name)
        ordered.append(name)

    for name in lowers:
        visit(name)
    return [(name, lowers[name]) for name in ordered]
