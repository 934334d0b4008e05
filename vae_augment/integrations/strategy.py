"""How many synthetic rows to make: imbalanced-learn's strategies, or plain enlarging.

imbalanced-learn users know ``sampling_strategy``; :func:`rows_to_generate` gives it the
meanings it has for imbalanced-learn's over-samplers, with the same counts (a test
compares them with ``imblearn.utils.check_sampling_strategy``):

* ``"minority"`` -- only the smallest class, up to the size of the largest;
* ``"not minority"`` / ``"not majority"`` / ``"all"`` -- every class but the smallest /
  every class but the largest (``"auto"`` is this one) / every class, up to the size of
  the largest;
* a float ``r`` (binary targets) -- the minority class up to ``r`` times the majority
  (``int(r * majority - minority)`` new rows, which must be at least one);
* a dict ``{class: target_count}`` -- those classes up to those counts;
* a callable -- ``f(y)`` returns such a dict.

:func:`rows_to_enlarge` is the plain "add ``ratio`` times as many rows" mode, per class in
proportion to the class counts.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

_STRATEGIES = ("auto", "minority", "not minority", "not majority", "all")


def class_counts(y) -> pd.Series:
    """Rows per class, in sorted class order."""
    return pd.Series(np.asarray(y)).value_counts().sort_index()


def rows_to_generate(
    y, sampling_strategy: str | float | Mapping | Callable
) -> dict[object, int]:
    """Synthetic rows per class that ``sampling_strategy`` asks for.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Class labels.
    sampling_strategy : str, float, dict or callable
        See the module docstring.

    Returns
    -------
    dict
        ``{class: number of rows to generate}`` for every class the strategy targets,
        in sorted class order; a targeted class that is already large enough has 0
        (imbalanced-learn's ``sampling_strategy_``).

    Raises
    ------
    ValueError
        For a single class, an unknown strategy, a float for a non-binary target, outside
        (0, 1] or asking for no new row, a dict naming unknown classes or asking for
        fewer rows than a class has, a callable that does not return a dict.
    """
    counts = class_counts(y)
    if len(counts) < 2:
        raise ValueError(
            f"y has one class ({counts.index.tolist()[0]!r}); over-sampling needs at "
            "least two. Use n_synthetic to enlarge a one-class training set."
        )
    majority = int(counts.max())
    if callable(sampling_strategy):
        sampling_strategy = _called(sampling_strategy, y)
    if isinstance(sampling_strategy, str):
        targets = _named_targets(counts, sampling_strategy, majority)
    elif isinstance(sampling_strategy, numbers.Real) and not isinstance(
        sampling_strategy, bool
    ):
        targets = _ratio_targets(counts, sampling_strategy, majority)
    elif isinstance(sampling_strategy, Mapping):
        targets = _dict_targets(counts, sampling_strategy)
    else:
        raise ValueError(
            f"sampling_strategy must be a string, a float, a dict or a callable; got "
            f"{type(sampling_strategy).__name__}."
        )
    return {
        label: int(targets[label]) - int(count)
        for label, count in counts.items()
        if label in targets
    }


def _called(strategy: Callable, y) -> Mapping:
    """The ``{class: target_count}`` dict a callable strategy returns for ``y``."""
    wanted = strategy(np.asarray(y))
    if not isinstance(wanted, Mapping):
        raise ValueError(
            "A callable sampling_strategy must return a dict {class: target_count}; "
            f"it returned {type(wanted).__name__}."
        )
    return wanted


def _named_targets(counts: pd.Series, name: str, majority: int) -> dict[object, int]:
    """Rows per class that a named strategy (``"minority"``, ``"all"``, ...) asks for."""
    if name not in _STRATEGIES:
        raise ValueError(
            f"sampling_strategy={name!r} is not one of "
            f"{list(_STRATEGIES)}, a float, a dict or a callable."
        )
    selected = {
        "minority": counts.index[counts == counts.min()][:1],
        "not minority": counts.index[counts.index != counts.idxmin()],
        "not majority": counts.index[counts.index != counts.idxmax()],
        "auto": counts.index[counts.index != counts.idxmax()],
        "all": counts.index,
    }[name]
    return {label: majority for label in selected}


def _ratio_targets(counts: pd.Series, ratio: float, majority: int) -> dict[object, int]:
    """Rows of the minority class that a float strategy (binary targets) asks for."""
    if len(counts) != 2:
        raise ValueError(
            "A float sampling_strategy is only for binary targets; y has "
            f"{len(counts)} classes. Use a dict {{class: target_count}} instead."
        )
    if not 0 < ratio <= 1:
        raise ValueError(
            f"sampling_strategy={ratio} must be in (0, 1]: the wanted "
            "ratio of minority to majority rows."
        )
    # The class that is not the majority (the second one when both are as large).
    minority = counts.index[counts.index != counts.idxmax()].tolist()[0]
    # imbalanced-learn's rounding, so that both give the same counts.
    new_rows = int(majority * ratio - counts[minority])
    if new_rows <= 0:
        raise ValueError(
            f"sampling_strategy={ratio} asks for no new row of class {minority!r}, "
            f"which has {counts[minority]} rows for {majority} of the majority; "
            "over-sampling needs a larger ratio."
        )
    return {minority: int(counts[minority]) + new_rows}


def _dict_targets(counts: pd.Series, wanted: Mapping) -> dict[object, int]:
    """Rows per class that a ``{class: target_count}`` strategy asks for, checked."""
    unknown = [label for label in wanted if label not in counts.index]
    if unknown:
        raise ValueError(
            f"sampling_strategy names unknown class(es) {unknown}; y has classes "
            f"{counts.index.tolist()}."
        )
    targets = dict(wanted)
    for label, target in targets.items():
        if isinstance(target, bool) or not isinstance(target, numbers.Integral):
            raise ValueError(
                f"sampling_strategy[{label!r}] must be a whole number of rows, got "
                f"{target!r}."
            )
        if target < counts[label]:
            raise ValueError(
                f"sampling_strategy asks for {target} rows of class {label!r}, which "
                f"already has {counts[label]}; over-sampling cannot remove rows."
            )
    return targets


def rows_to_enlarge(y, ratio: float) -> dict[object, int]:
    """Synthetic rows per class that add ``ratio`` times the data, class shares kept.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Class labels.
    ratio : float
        Synthetic rows per real row.

    Returns
    -------
    dict
        ``{class: number of rows}``, rounded per class, only classes with at least one.
    """
    counts = class_counts(y)
    wanted = {label: round(ratio * count) for label, count in counts.items()}
    return {label: n for label, n in wanted.items() if n > 0}
