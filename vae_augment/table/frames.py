"""Input tables: accept arrays and DataFrames, give back the container the user passed.

Every layer above this one works on a :class:`pandas.DataFrame`.
:func:`as_frame` turns user input (an array, a pandas or polars DataFrame, a pyarrow
Table) into one, with clear errors for shapes the estimator cannot use, and remembers
how to turn a result back into the same kind of container.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from ..utils.checks import require
from .polars_frames import (
    is_polars,
    pandas_to_polars,
    polars_concat,
    polars_series_to_pandas,
    polars_to_pandas,
)

ARRAY, PANDAS, POLARS = "array", "pandas", "polars"


@dataclass(frozen=True)
class Container:
    """How the user's table was given, so that outputs can be given back the same way.

    Parameters
    ----------
    is_frame : bool
        Whether the input was a DataFrame (pandas or polars).
    array_dtype : numpy.dtype or None
        The dtype of an array input (``None`` for a DataFrame).
    is_polars : bool, default=False
        Whether the DataFrame was a polars one.
    date_columns : tuple of str, default=()
        The columns of a polars DataFrame that were ``Date`` (pandas holds them as
        datetimes), to give them back as dates.
    """

    is_frame: bool
    array_dtype: np.dtype | None = None
    # Fields added after format 2 have defaults: older files and pickles lack them.
    is_polars: bool = False
    date_columns: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        """``"array"``, ``"pandas"`` or ``"polars"``, as scikit-learn's ``set_output``
        names containers."""
        if not self.is_frame:
            return ARRAY
        return POLARS if self.is_polars else PANDAS

    def validate(self) -> None:
        """Check that the fields fit together.

        Raises
        ------
        ValueError
            If they do not (a model file may be crafted).
        """
        require(
            not self.is_polars or self.is_frame, "the container is polars but not a frame"
        )
        require(
            isinstance(self.date_columns, tuple)
            and all(isinstance(name, str) for name in self.date_columns)
            and (self.is_polars or not self.date_columns),
            "the container's date columns are not names of a polars frame's columns",
        )

    def wrap(self, frame: pd.DataFrame):
        """Return ``frame`` as a pandas or polars DataFrame, or as an array of the
        input's dtype."""
        if self.is_polars:
            return pandas_to_polars(frame, self.date_columns)
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
        The user's table: an array, a pandas or polars DataFrame (a polars one is
        converted as :mod:`.polars_frames` describes), or a pyarrow Table (taken as
        its pandas DataFrame).
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
        For sparse matrices, objects that are not tables and polars columns of a dtype
        the model cannot hold.
    ValueError
        For tables that are not 2-D, have no rows or no columns, or have duplicate
        column names.
    """
    frame, container = _frame_and_container(X, what)
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


def _frame_and_container(X, what: str) -> tuple[pd.DataFrame, Container]:
    """``X`` as a pandas DataFrame, and how it was given (its shape not checked yet)."""
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
    if is_polars(X):
        frame, dates = polars_to_pandas(X, what)
        return frame, Container(is_frame=True, is_polars=True, date_columns=dates)
    if type(X).__module__.startswith("pyarrow") and hasattr(X, "to_pandas"):
        X = X.to_pandas()  # a pyarrow Table or RecordBatch: results come as DataFrames
    if isinstance(X, pd.DataFrame):
        return X, Container(is_frame=True)
    return _array_frame(X, what)


def pandas_view(data, what: str):
    """A polars DataFrame or Series as its pandas equivalent; anything else as it is.

    For arguments read as pandas whatever their container (``sample``'s ``given``, a
    target); ``what`` names the argument in error messages.
    """
    if not is_polars(data):
        return data
    if type(data).__name__ == "Series":
        return polars_series_to_pandas(data, what)
    return polars_to_pandas(data, what)[0]


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

    pandas DataFrames and Series get a fresh ``RangeIndex``; polars ones are stacked by
    polars (``synthetic`` is then polars too: the model was fitted on ``real``'s kind);
    arrays are stacked with numpy. ``None`` stays ``None`` (a model fitted without a
    target).
    """
    if real is None:
        return None
    if is_polars(real):
        return polars_concat(real, synthetic)
    if isinstance(real, (pd.DataFrame, pd.Series)):
        return pd.concat([real, synthetic], ignore_index=True)
    return np.concatenate([np.asarray(real), np.asarray(synthetic)])
