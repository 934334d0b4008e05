"""Learning a :class:`~.structure.TableStructure` from training rows and the user's
``column_kinds`` and ``rules`` parameters (checked here, with errors that name them)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from pandas.api import types as ptypes

from ..frames import column_label
from ..kinds import NUMERIC, column_kind
from .declared import declared_rule, parse_rule
from .discovery import find_rules
from .keys import KeyFormat, is_key
from .plan import plan
from .rules import DETERMINES, MIN_SUPPORT
from .structure import TableStructure

#: What ``column_kinds`` may ask for a column.
KIND_CHOICES = ("auto", "categorical", "numeric", "key")
_RULE_KEYS = {"add", "drop", "discover"}


def check_column_kinds(column_kinds, frame: pd.DataFrame) -> dict:
    """``column_kinds`` as ``{column: kind}`` without "auto", checked against ``frame``."""
    if column_kinds is None:
        return {}
    if not isinstance(column_kinds, Mapping):
        raise TypeError(
            f"column_kinds must be a dict {{column: kind}} or None, got "
            f"{type(column_kinds).__name__}."
        )
    kinds = {}
    for name, kind in column_kinds.items():
        if name not in frame.columns:
            raise ValueError(
                f"column_kinds names {column_label(name)}, which is not a column of X; "
                f"the columns are {list(frame.columns)[:10]}."
            )
        if kind not in KIND_CHOICES:
            raise ValueError(
                f"column_kinds[{name!r}] is {kind!r}; choose one of {list(KIND_CHOICES)}."
            )
        _check_kind(name, kind, frame[name])
        if kind != "auto":
            kinds[name] = kind
    return kinds


def _check_kind(name, kind: str, series: pd.Series) -> None:
    """Refuse a kind the column's values cannot have, naming the column."""
    if kind == "key":
        repeats = int(series.duplicated(keep=False).sum())
        if repeats or series.isna().any():
            what = f"{repeats:,} rows share a value" if repeats else "it has missing values"
            raise ValueError(
                f"column_kinds[{name!r}] is 'key', but {column_label(name)} is not "
                f"unique in every row: {what}."
            )
        if ptypes.is_float_dtype(series.dtype) and not (series == series.round()).all():
            raise ValueError(
                f"column_kinds[{name!r}] is 'key', but {column_label(name)} holds "
                "fractional numbers; a key holds whole numbers or text."
            )
    if kind == "numeric" and column_kind(series) != NUMERIC:
        raise ValueError(
            f"column_kinds[{name!r}] is 'numeric', but {column_label(name)} holds "
            f"{series.dtype} values that are not numbers (e.g. "
            f"{series.dropna().iloc[0]!r})."
        )


def check_rules(rules) -> tuple[bool, list, list]:
    """``rules`` as (discover, declared rules' text, dropped rules' text)."""
    if rules is None:
        return False, [], []
    if isinstance(rules, str):
        if rules != "auto":
            raise ValueError(
                f"rules must be 'auto', None or a dict with keys 'add', 'drop' and "
                f"'discover'; got {rules!r}."
            )
        return True, [], []
    if not isinstance(rules, Mapping) or not set(rules) <= _RULE_KEYS:
        raise ValueError(
            "rules must be 'auto', None or a dict with keys 'add', 'drop' and "
            f"'discover'; got {rules!r}."
        )
    add, drop = rules.get("add", []), rules.get("drop", [])
    for what, texts in (("add", add), ("drop", drop)):
        if isinstance(texts, str) or not all(isinstance(t, str) for t in texts):
            raise TypeError(
                f"rules[{what!r}] must be a list of rules as text, such as ['a <= b']."
            )
    discover = rules.get("discover", True)
    if not isinstance(discover, bool):
        raise TypeError(f"rules['discover'] must be True or False, got {discover!r}.")
    return discover, list(add), list(drop)


def _key_of(text: str, columns: list) -> tuple:
    rule = parse_rule(text, columns)
    if isinstance(rule, tuple):
        return (DETERMINES, frozenset(rule[1:]))
    return rule.key()


def _is_constant(series: pd.Series) -> bool:
    return len(series) > 1 and not series.isna().any() and series.nunique() == 1


def _is_code(series: pd.Series) -> bool:
    """Text of digits (zip codes, account numbers), kept as text."""
    if not (ptypes.is_string_dtype(series.dtype) or ptypes.is_object_dtype(series.dtype)):
        return False
    observed = series.dropna()
    return (
        len(observed) > 0
        and observed.map(lambda v: isinstance(v, str) and v.isdigit()).all()
    )


def learn_structure(frame: pd.DataFrame, column_kinds=None, rules="auto") -> TableStructure:
    """The structure of a training table (see :mod:`.structure`).

    Parameters
    ----------
    frame : DataFrame
        The training rows (features only).
    column_kinds : dict or None
        ``{column: "categorical" | "numeric" | "key" | "auto"}`` overrides.
    rules : "auto", None or dict
        ``"auto"`` finds rules; ``None`` neither finds nor enforces any; a dict may
        ``"add"`` rules (text), ``"drop"`` found ones and turn ``"discover"`` off.

    Raises
    ------
    ValueError
        For an override its column's values cannot have, a declared rule the rows
        break or that involves a key or constant, or a dropped rule never found.
    """
    overrides = check_column_kinds(column_kinds, frame)
    discover, add, drop = check_rules(rules)
    kinds, keys = [], []
    for name in frame.columns:
        series = frame[name]
        wanted = overrides.get(name)
        if wanted == "key" or (wanted is None and is_key(series, MIN_SUPPORT)):
            kinds.append("key")
            keys.append(KeyFormat.learn(series, name))
        elif wanted is None and _is_constant(series):
            kinds.append("constant")
        elif wanted == "categorical":
            kinds.append("categorical")
        elif _is_code(series):
            kinds.append("code")
        else:
            kinds.append("")  # the codec's type (see schema.column_type)
    names = tuple(frame.columns)
    if all(k in ("key", "constant") for k in kinds) and not overrides:
        # Nothing would be left to model: keep the columns as they are.
        kinds, keys = ["" for _ in kinds], []
    free = [n for n, k in zip(names, kinds, strict=True) if k not in ("key", "constant")]
    categorical = {n for n, k in overrides.items() if k == "categorical"}
    declared = []
    for text in add:
        rule = declared_rule(text, frame, categorical)
        bad = [n for n in rule.columns if n not in free]
        if bad:
            raise ValueError(
                f"rule {text!r} involves {column_label(bad[0])}, a "
                f"{kinds[names.index(bad[0])]} column; rules join modelled columns."
            )
        declared.append(rule)
    found = find_rules(frame[free], free, categorical) if discover else []
    shown = {r.describe(): r.key() for r in found}  # as schema_ writes them
    dropped = {shown.get(text) or _key_of(text, list(names)): text for text in drop}
    unknown = set(dropped) - {r.key() for r in found}
    if unknown:
        text = dropped[next(iter(unknown))]
        raise ValueError(
            f"rules['drop'] names {text!r}, which fit did not find; found rules are "
            f"{[r.describe() for r in found][:10]}."
        )
    taken = {r.key() for r in declared}
    kept = [r for r in found if r.key() not in dropped and r.key() not in taken]
    placed, reasons = plan(declared + kept, frame)
    return TableStructure(names, tuple(kinds), placed, tuple(reasons), keys)
