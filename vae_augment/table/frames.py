"""Input tables: accept arrays and DataFrames, give back the container the user passed.

Every layer above this one works on a :class:`pandas.DataFrame`.
:func:`as_frame` turns user input into one (with clear errors for shapes the estimator
cannot use) and remembers how to turn a result back into the same kind of container.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse


@dataclass(frozen=True)
class Container:
    """How the user's table was given, so that outputs can be given back the same way.

    Parameters
    ----------
    is_frame : bool
        Whether the input was a :class:`pandas.DataFrame`.
    array_dtype : numpy.dtype or None
        The dtype of an array input (``None`` for a DataFrame).
    """

    is_frame: bool
    array_dtype: np.dtype | None = None

    def wrap(self, frame: pd.DataFrame) -> pd.DataFrame | np.ndarray:
        """Return ``frame`` as a DataFrame or as an array of the input's dtype."""
        if self.is_frame:
            return frame
        try:
            return frame.to_numpy(dtype=self.array_dtype)
        except (TypeError, ValueError):  # fitted on a DataFrame with non-numeric columns
            return frame.to_numpy(dtype=object)


def as_frame(X, *, what: str = "X") -> tuple[pd.DataFrame, Container]:
    """Validate a 2-D table and return it as a DataFrame plus its container description.

    Parameters
    ----------
    X : array-like, DataFrame or pyarrow Table of shape (n_samples, n_features)
        The user's table (a pyarrow Table is taken as its pandas DataFrame).
    what : str, default="X"
        The argument name used in error messages.

    Returns
    -------
    frame : DataFrame
        The same data; array columns are named ``0 .. n_features - 1``.
    container : Container
        What :meth:`Container.wrap` needs to give results back in the input's form.

    Raises
    ------
    TypeError
        For sparse matrices and objects that are not tables.
    ValueError
        For tables that are not 2-D, have no rows or no columns, or have duplicate
        column names.
    """
    if sparse.issparse(X):
        raise TypeError(
            f"{what} is a sparse matrix; VAEAugmenter needs dense data. "
            "Convert it with X.toarray() first."
        )
    if isinstance(X, pd.Series):
        raise ValueError(
            f"Expected 2D array, got a pandas Series for {what}. Use "
            "series.to_frame() for a single column."
        )
    if type(X).__module__.startswith("pyarrow") and hasattr(X, "to_pandas"):
        X = X.to_pandas()  # a pyarrow Table or RecordBatch: results come as DataFrames
    if isinstance(X, pd.DataFrame):
        frame = X
        container = Container(is_frame=True)
    else:
        frame, container = _array_frame(X, what)
    n_rows, n_columns = frame.shape
    if n_rows == 0:
        raise ValueError(
            f"Found array with 0 sample(s) (shape={frame.shape}) while a minimum of 1 "
            f"is required: {what} has no rows."
        )
    if n_columns == 0:
        raise ValueError(
            f"Found array with 0 feature(s) (shape={frame.shape}) while a minimum of 1 "
            f"is required: {what} has no columns."
        )
    duplicated = frame.columns[frame.columns.duplicated()].unique()
    if len(duplicated):
        raise ValueError(
            f"{what} has duplicate column names: {list(duplicated)}. Rename them so "
            "that every column has its own name."
        )
    return frame, container


def _array_frame(X, what: str) -> tuple[pd.DataFrame, Container]:
    """A 2-D array-like of a supported dtype as a DataFrame, plus its container."""
    if isinstance(X, (str, bytes, dict)) or not (
        hasattr(X, "__len__") or hasattr(X, "__array__")
    ):
        raise TypeError(
            f"{what} must be a 2-D array-like or a pandas DataFrame, got "
            f"{type(X).__name__}."
        )
    array = np.asarray(X)
    if array.ndim != 2:
        raise ValueError(
            f"Expected 2D array, got {array.ndim}D array instead for {what} "
            f"(shape {array.shape}). Reshape your data either using "
            "array.reshape(-1, 1) if your data has a single feature or "
            "array.reshape(1, -1) if it contains a single sample."
        )
    if array.dtype.kind == "c":
        raise ValueError(f"Complex data not supported: {what} holds complex numbers.")
    if array.dtype.kind not in "biufOUSMm":
        raise TypeError(f"{what} has unsupported dtype {array.dtype}.")
    return pd.DataFrame(array), Container(is_frame=False, array_dtype=array.dtype)


def feature_names(frame: pd.DataFrame, container: Container) -> np.ndarray | None:
    """The names scikit-learn records as ``feature_names_in_``, or ``None``.

    As in scikit-learn: a DataFrame whose column names are all strings has feature
    names; arrays and DataFrames with non-string names have none.

    Raises
    ------
    TypeError
        For a DataFrame mixing string and non-string column names (scikit-learn's
        rule, with its message).
    """
    if not container.is_frame:
        return None
    names = list(frame.columns)
    are_strings = [isinstance(name, str) for name in names]
    if all(are_strings):
        return np.asarray(names, dtype=object)
    if any(are_strings):
        kinds = sorted({type(name).__qualname__ for name in names})
        raise TypeError(
            "Feature names are only supported if all input features have string names, "
            f"but your input has {kinds} as feature name / column name types. If you "
            "want feature names to be stored and validated, you must convert them all "
            "to strings, by using X.columns = X.columns.astype(str) for example. "
            "Otherwise you can remove feature / column names from your input data, or "
            "convert them all to a non-string data type."
        )
    return None


def column_label(name: Hashable) -> str:
    """Return a column name as users see it in messages (``'age'`` or ``column 3``)."""
    return f"column {name!r}" if isinstance(name, str) else f"column {name}"


def concat_rows(real, synthetic):
    """Stack synthetic rows under real ones, keeping the container (and dtypes).

    DataFrames and Series get a fresh ``RangeIndex``; arrays are stacked with numpy.
    ``None`` stays ``None`` (a model fitted without a target).
    """
    if real is None:
        return None
    if isinstance(real, (pd.DataFrame, pd.Series)):
        return pd.concat([real, synthetic], ignore_index=True)
    return np.concatenate([np.asarray(real), np.asarray(synthetic)])
