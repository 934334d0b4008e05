"""Rules a user declares, as text: the way :meth:`Rule.describe` writes them.

* ``"a <= b"`` (or ``"b >= a"``): an inequality;
* ``"total = a + b - 2 * c + 5"``: a linear identity;
* ``"hour = hhmm // 100"``, ``"minute = hhmm % 100"``: digits of a whole number;
* ``"month = date.month"``: a part of a datetime;
* ``"sub_grade -> grade"``: the second column is a function of the first (by level, or
  by thresholds when the first is a number).

Names with characters other than letters, digits, ``.`` and ``_`` go in backticks.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..frames import column_label
from .dates import DATE_PARTS, DatePartRule
from .linear import tolerance_of
from .mappings import MAX_THRESHOLD_LEVELS, label_codes, mapping_rule, threshold_rule
from .rules import DigitsRule, LinearRule, OrderRule
from .values import is_number_column

_TOKEN = re.compile(
    r"\s*(?:(?P<name>`[^`]+`|[A-Za-z_][\w.]*)|(?P<number>\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)"
    r"|(?P<op><=|>=|->|//|[-+*/%=()]))"
)


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise ValueError(f"rule {text!r}: cannot read it from {text[position:]!r}.")
        kind = match.lastgroup
        value = match.group(kind)
        tokens.append((kind, value.strip("`") if kind == "name" else value))
        position = match.end()
    return tokens


def _column(name: str, columns: list, rule: str):
    """The column a rule names (names match as text, so ``3`` finds column 3)."""
    by_text = {str(c): c for c in columns}
    if name not in by_text:
        raise ValueError(
            f"rule {rule!r} names {name!r}, which is not a column; the columns are "
            f"{columns[:10]}."
        )
    return by_text[name]


def _linear(tokens, dependent, columns, text) -> LinearRule:
    """``c1 * x1 + ... + constant`` as a linear rule for ``dependent``."""
    inputs, coefficients, constant = [], [], 0.0
    sign, i = 1.0, 0
    while i < len(tokens):
        kind, value = tokens[i]
        if kind == "op" and value in "+-":
            sign = 1.0 if value == "+" else -1.0
            i += 1
            continue
        factor = 1.0
        if kind == "number":
            if i + 1 < len(tokens) and tokens[i + 1] == ("op", "*"):
                factor, i = float(value), i + 2
                kind, value = tokens[i] if i < len(tokens) else ("end", "")
            else:
                constant += sign * float(value)
                i, sign = i + 1, 1.0
                continue
        if kind != "name":
            raise ValueError(
                f"rule {text!r}: expected a column or a number, got {value!r}."
            )
        inputs.append(_column(value, columns, text))
        coefficients.append(sign * factor)
        i, sign = i + 1, 1.0
    if not inputs:
        raise ValueError(f"rule {text!r} names no column on its right-hand side.")
    return LinearRule(
        dependent, tuple(inputs), coefficients=tuple(coefficients), constant=constant
    )


def _formula(tokens, dependent, columns, text):
    """The right-hand side of ``dependent = ...``: digits, a date part or a sum."""
    names = [value for kind, value in tokens if kind == "name"]
    ops = [value for kind, value in tokens if kind == "op"]
    if len(names) == 1 and ("//" in ops or "%" in ops):
        numbers = [int(float(v)) for kind, v in tokens if kind == "number"]
        divisor = numbers.pop(0) if "//" in ops else 1
        modulus = numbers.pop(0) if "%" in ops else 0
        source = _column(names[0], columns, text)
        return DigitsRule(dependent, (source,), divisor=divisor, modulus=modulus)
    if len(tokens) == 1 and tokens[0][0] == "name":
        name = tokens[0][1]
        if name not in {str(c) for c in columns} and "." in name:
            source, part = name.rsplit(".", 1)
            if part in DATE_PARTS:
                return DatePartRule(dependent, (_column(source, columns, text),), part=part)
    return _linear(tokens, dependent, columns, text)


def parse_rule(text: str, columns: list):
    """A declared rule, read from ``text`` (see the module docstring).

    Returns
    -------
    Rule
        An order, linear, digits or date-part rule; or ``("->", source, dependent)``
        for a dependency whose kind the data decides (:func:`declared_rule`).
    """
    if not isinstance(text, str):
        raise TypeError(f"a declared rule is text such as 'a <= b', got {text!r}.")
    tokens = _tokens(text)
    ops = [
        i
        for i, (kind, value) in enumerate(tokens)
        if kind == "op" and value in ("<=", ">=", "->", "=")
    ]
    if len(ops) != 1 or ops[0] == 0 or ops[0] == len(tokens) - 1:
        raise ValueError(
            f"rule {text!r}: write one of 'a <= b', 'a >= b', 'a -> b' or 'a = b + c'."
        )
    left, op, right = tokens[: ops[0]], tokens[ops[0]][1], tokens[ops[0] + 1 :]
    if op == "=":
        if len(left) != 1 or left[0][0] != "name":
            raise ValueError(f"rule {text!r}: its left-hand side must be one column.")
        return _formula(right, _column(left[0][1], columns, text), columns, text)
    if len(left) != 1 or len(right) != 1 or left[0][0] != "name" or right[0][0] != "name":
        raise ValueError(f"rule {text!r}: '{op}' takes one column on each side.")
    a, b = _column(left[0][1], columns, text), _column(right[0][1], columns, text)
    if op == "<=":
        return OrderRule(b, (a,))
    if op == ">=":
        return OrderRule(a, (b,))
    return ("->", a, b)


def declared_rule(text: str, frame: pd.DataFrame, categorical: set):
    """A declared rule fitted to the training rows, refused if some row breaks it.

    Raises
    ------
    ValueError
        If the rule cannot be read, names an unknown column, or training rows break it
        (the message says how many).
    """
    rule = parse_rule(text, list(frame.columns))
    if isinstance(rule, tuple):
        _, source, dependent = rule
        codes = {n: label_codes(frame[n]) for n in (source, dependent)}
        by_thresholds = (
            source not in categorical
            and is_number_column(frame[source])
            and frame[source].nunique() > MAX_THRESHOLD_LEVELS
        )
        if by_thresholds:
            rule = threshold_rule(frame, source, dependent, codes, chance=1.0)
        else:
            rule = mapping_rule(frame, source, dependent, codes, chance=1.0)
        if rule is None:
            raise ValueError(
                _dependency_broken(text, frame, source, dependent, by_thresholds)
            )
    if isinstance(rule, LinearRule):
        rule.tolerance = tolerance_of(frame, rule.columns, rule.coefficients)
    rule.declared = True
    keeps = rule.holds(frame)
    if not keeps.all():
        raise ValueError(
            f"rule {text!r} is broken by {int((~keeps).sum()):,} of {len(frame):,} "
            f"training rows (e.g. row {frame.index[np.argmin(keeps)]!r}); correct the "
            "rule or the data."
        )
    rule.support = int(frame[list(rule.columns)].notna().all(axis=1).sum())
    return rule


def _dependency_broken(text, frame, source, dependent, by_thresholds: bool) -> str:
    """Why the rows break a declared ``source -> dependent``, with how many rows."""
    both = frame[[source, dependent]].dropna()
    if by_thresholds:
        ordered = both.sort_values(source, kind="stable")[dependent].astype(object)
        changes = int((ordered != ordered.shift()).iloc[1:].sum())
        levels = ordered.nunique()
        return (
            f"rule {text!r} is broken by the training rows: {column_label(dependent)} "
            f"changes {changes:,} times along the sorted values of {column_label(source)}, "
            f"where thresholds would change it {levels - 1} times."
        )
    groups = both.groupby(source, observed=True)[dependent].transform("nunique")
    return (
        f"rule {text!r} is broken by {int((groups > 1).sum()):,} of {len(frame):,} "
        f"training rows: some value of {column_label(source)} goes with more than one "
        f"value of {column_label(dependent)}."
    )
