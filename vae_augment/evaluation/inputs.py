"""The tables a quality report compares, checked once: columns, kinds and the target."""

from __future__ import annotations

import pandas as pd

from ..table.frames import as_frame, column_label
from ..table.kinds import is_numeric_column, time_kind


def _time_label(dtype) -> str:
    kind = time_kind(dtype)
    if kind is None:
        return "numbers"
    return "datetimes" if kind[0] else "timedeltas"


def _check_same_kinds(real: pd.DataFrame, other: pd.DataFrame, what: str, numeric: dict):
    """Refuse a column that holds another kind of values in ``other`` than in real."""
    for name, is_numeric in numeric.items():
        column = other[name]
        if not column.notna().any():
            continue  # an all-missing column has no kind of its own
        kinds = ("numbers", "categories or text")
        if is_numeric_column(column) != is_numeric:
            raise ValueError(
                f"{column_label(name)} holds {kinds[not is_numeric]} in real (dtype "
                f"{real[name].dtype}) but {kinds[is_numeric]} in {what} (dtype "
                f"{column.dtype}); give both tables the same column types."
            )
        if is_numeric and _time_label(real[name].dtype) != _time_label(column.dtype):
            raise ValueError(
                f"{column_label(name)} holds {_time_label(real[name].dtype)} in real but "
                f"{_time_label(column.dtype)} in {what}; give both tables the same "
                "column types."
            )


def _with_columns_of(real: pd.DataFrame, other: pd.DataFrame, what: str) -> pd.DataFrame:
    """``other`` with the columns of real, in real's order (refused if they differ)."""
    lacking = [c for c in real.columns if c not in other.columns]
    extra = [c for c in other.columns if c not in real.columns]
    if lacking or extra:
        parts = [
            f"{how} {', '.join(column_label(c) for c in names)}"
            for how, names in (("lacks", lacking), ("has the extra", extra))
            if names
        ]
        raise ValueError(f"{what} must have the columns of real; it {' and '.join(parts)}.")
    return other[list(real.columns)].reset_index(drop=True)


def _check_target(target, frames: dict[str, pd.DataFrame]) -> None:
    for what, frame in frames.items():
        if target not in frame.columns:
            raise ValueError(
                f"target {target!r} is not a column of {what} (its columns: "
                f"{', '.join(map(str, frame.columns))})."
            )
    if frames["real"].shape[1] < 2:
        raise ValueError(
            f"target {target!r} is the only column of real: there is nothing to "
            "predict it from."
        )


def checked_tables(real, synthetic, holdout=None, target=None):
    """The tables as DataFrames with the same columns, and each column's kind.

    Parameters
    ----------
    real, synthetic : array-like or DataFrame
        The real rows and the rows compared with them.
    holdout : array-like or DataFrame, default=None
        Held-out real rows, or None.
    target : hashable, default=None
        A column that must be in every table, or None.

    Returns
    -------
    real, synthetic, holdout : DataFrame (holdout None when not given)
        The tables with fresh ``RangeIndex``es, columns in the order of ``real``.
    numeric : dict
        ``{column: whether it is numeric}`` (as the codec decides, from ``real``).

    Raises
    ------
    ValueError
        For an empty table, other columns than real's, a column of another kind than
        in real, or a target that is not a column of every table (or is the only one).
    """
    frames = {"real": real, "synthetic": synthetic, "holdout": holdout}
    frames = {
        what: as_frame(frame, what=what)[0]
        for what, frame in frames.items()
        if frame is not None
    }
    if target is not None:
        _check_target(target, frames)
    real = frames.pop("real").reset_index(drop=True)
    numeric = {name: is_numeric_column(real[name]) for name in real.columns}
    for what, frame in frames.items():
        frames[what] = _with_columns_of(real, frame, what)
        _check_same_kinds(real, frames[what], what, numeric)
    return real, frames["synthetic"], frames.get("holdout"), numeric
