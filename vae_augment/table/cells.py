"""Putting given cells into decoded rows, exactly."""

from __future__ import annotations

import pandas as pd


def put_cells(frame: pd.DataFrame, given: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (decoded rows) with the observed cells of ``given`` put in exactly,
    in place (also returned).

    A column of another dtype than the training one (an imputed table's column that
    arrived all missing, as float) takes the given values' dtype where it cannot hold
    them.
    """
    for name in given.columns:
        where = given[name].notna().to_numpy()
        if where.any():
            dtype = frame[name].dtype
            values = given[name][where]
            column = frame[name].copy()
            try:
                column[where] = values.astype(dtype).to_numpy()
            except (TypeError, ValueError):
                column = column.astype(object)
                column[where] = values.to_numpy()
            frame[name] = column
    return frame
