"""A sampler's ``y`` in the forms imbalanced-learn takes, and the resampled ``y`` alike.

imbalanced-learn's samplers take class labels as a list, a 1-D array, a column vector,
a Series, a one-column DataFrame or a one-vs-all indicator matrix (a single 1 per row),
and give the resampled labels back in the same form (a column vector as a 1-D array).
:func:`split_labels` takes the labels out of such a ``y``; the function it returns with
them puts the resampled labels back into the form ``y`` had.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from sklearn.utils.multiclass import type_of_target


def _unchanged(labels):
    return labels


def split_labels(y) -> tuple[object, Callable]:
    """The class labels in ``y``, and how to give resampled labels back like ``y``.

    Parameters
    ----------
    y : list, array-like, Series or DataFrame
        The target as the user passed it.

    Returns
    -------
    labels : list, ndarray, Series or the given ``y``
        One label per row (``y`` itself when it is one already).
    give_back : callable
        Turns resampled labels (of the kind ``labels`` is) into the form of ``y``.

    Raises
    ------
    ValueError
        For a 2-D ``y`` with several columns that is not a one-vs-all indicator matrix
        (multilabel and multi-output targets).
    """
    if isinstance(y, list):
        return y, lambda labels: np.asarray(labels).tolist()
    if isinstance(y, pd.DataFrame) and y.shape[1] == 1:
        column = y.columns[0]
        return y[column], lambda labels: labels.to_frame(column)
    if isinstance(y, np.ndarray) and y.ndim == 2:
        return _array_labels(y)
    return y, _unchanged


def _array_labels(y: np.ndarray) -> tuple[np.ndarray, Callable]:
    """The labels of a 2-D array ``y``: a column vector or a one-vs-all matrix."""
    if y.shape[1] == 1:
        return y[:, 0], _unchanged
    if type_of_target(y) == "multilabel-indicator" and (y.sum(axis=1) == 1).all():
        indicators = np.eye(y.shape[1], dtype=y.dtype)
        return y.argmax(axis=1), lambda labels: indicators[np.asarray(labels)]
    raise ValueError(
        f"y must be 1-D (one class label per row) or a one-vs-all indicator matrix (a "
        f"single 1 per row); got shape {y.shape}. Multilabel and multioutput targets "
        "are not supported."
    )
