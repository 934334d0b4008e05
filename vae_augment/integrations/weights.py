"""Sample weights of an augmented training set, and how an estimator's fit gets them.

Real rows keep the weights the user gave; a synthetic row weighs ``synthetic_weight``
times the mean weight of the real rows of its class (of all real rows for a regression
target). With per-class means, up-weighting a class (cost-sensitive learning) carries
over to its synthetic rows: every class's total weight grows by the same factor, so
augmenting does not undo the weighting. Without ``sample_weight`` every real row
weighs 1 and a synthetic row ``synthetic_weight``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn import get_config
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import has_fit_parameter


def check_sample_weight(sample_weight, n_rows: int) -> np.ndarray | None:
    """``sample_weight`` as a float array of ``n_rows`` non-negative weights, or ``None``.

    Raises
    ------
    ValueError
        For weights that are not numbers, not one per row, not finite, negative, or
        all zero.
    """
    if sample_weight is None:
        return None
    try:
        weights = np.asarray(sample_weight, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("sample_weight must hold numbers, one weight per row.") from None
    if weights.shape != (n_rows,):
        raise ValueError(
            f"sample_weight must have shape ({n_rows},), one weight per row of X; got "
            f"shape {weights.shape}."
        )
    if not np.isfinite(weights).all():
        raise ValueError("sample_weight contains NaN or infinity.")
    if (weights < 0).any():
        raise ValueError("sample_weight contains negative weights.")
    if not weights.any():
        raise ValueError(
            "Every sample weight is zero; sample_weight must have at least one weight "
            "above zero."
        )
    return weights


def augmented_weights(
    weights: np.ndarray | None, y, y_new, synthetic_weight: float, *, per_class: bool
) -> np.ndarray | None:
    """Weights of the real rows followed by those of the synthetic rows.

    Parameters
    ----------
    weights : ndarray or None
        The real rows' weights (``None``: all 1).
    y, y_new : array-like or None
        Targets of the real and the synthetic rows (``y_new`` is ``None`` when there
        are no synthetic rows).
    synthetic_weight : float
        A synthetic row's weight in units of the mean real weight of its class.
    per_class : bool
        Whether ``y`` holds classes (per-class means) or a continuous target (one mean).

    Returns
    -------
    ndarray or None
        ``None`` when every row weighs 1: the estimator is then fitted without weights.
    """
    if weights is None and (y_new is None or synthetic_weight == 1.0):
        return None
    real = np.ones(len(y)) if weights is None else weights
    if y_new is None:
        return real
    if per_class:
        means = pd.Series(real).groupby(np.asarray(y)).mean()
        synthetic = means.reindex(np.asarray(y_new)).to_numpy() * synthetic_weight
    else:
        synthetic = np.full(len(y_new), real.mean() * synthetic_weight)
    return np.concatenate([real, synthetic])


def weight_parameter(estimator) -> str:
    """The name under which ``estimator.fit`` takes sample weights.

    ``"sample_weight"``, or for a :class:`~sklearn.pipeline.Pipeline` without metadata
    routing, its last step's (``"<step>__sample_weight"``); with routing, a pipeline
    routes ``sample_weight`` to the steps that request it.

    Raises
    ------
    ValueError
        Naming the estimator, when its fit takes no sample weights.
    """
    if has_fit_parameter(estimator, "sample_weight"):
        return "sample_weight"
    if isinstance(estimator, Pipeline):
        if get_config()["enable_metadata_routing"]:
            return "sample_weight"
        name, last = estimator.steps[-1]
        if last not in (None, "passthrough") and has_fit_parameter(last, "sample_weight"):
            return f"{name}__sample_weight"
    raise ValueError(
        f"{type(estimator).__name__}.fit does not take sample_weight, which "
        "AugmentedEstimator passes on when fit is given sample_weight or "
        "synthetic_weight is not 1. Use an estimator that takes sample weights."
    )
