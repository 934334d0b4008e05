"""Filling in missing cells: observed cells untouched, missing ones from the model."""

from __future__ import annotations

import pandas as pd

from ..table.cells import put_cells
from .conditioning import Condition
from .fitted import FittedVAE
from .generation import generated_frames


def _draw(fitted: FittedVAE, rows: pd.DataFrame, rng) -> pd.DataFrame:
    """A conditional draw of every missing cell given the observed ones."""
    # The observed cells are the condition; unseen levels and values outside the
    # training range are not refused here (they are treated as transform does).
    condition = Condition(rows.reset_index(drop=True), free_cells_missing=False)
    ((filled, _),) = generated_frames(
        fitted, len(rows), None, rng, frame_rows=None, given=condition
    )
    return filled.set_axis(rows.index)


def impute(fitted: FittedVAE, frame: pd.DataFrame, *, sample_posterior: bool, rng):
    """``frame`` (the fitted columns, checked) with every missing cell filled.

    Parameters
    ----------
    fitted : FittedVAE
        The model.
    frame : DataFrame
        Rows with the fitted columns, matched by position.
    sample_posterior : bool
        ``False``: the point fill, deterministic (the decoder's mean in the column's
        units and most probable level at the posterior mean given the observed cells;
        it scored better than averaging 20 conditional draws, see
        ``docs/benchmarks.md``). ``True``: a draw from the model's distribution of the
        missing cells given the observed ones (different draws for different ``rng``:
        multiple imputation).
    rng : RandomState
        Source of the draws (``sample_posterior=True``).

    Returns
    -------
    DataFrame
        ``frame``'s index, columns and dtypes; observed cells are the very values of
        ``frame``, and no cell is missing.
    """
    names = fitted.table.codec.names
    rows = frame.set_axis(names, axis=1)
    missing = rows.isna()
    filled = (
        _draw(fitted, rows, rng)
        if sample_posterior
        else fitted.reconstruct(rows, keep_observed=True)
    )
    # The fills go into the holes as put_cells puts fixed cells into generated rows;
    # a column with nothing observed takes the fill whole, in the training dtype.
    result = put_cells(rows.copy(), filled.where(missing))
    for name in names:
        if missing[name].all():
            result[name] = filled[name]
    return result.set_axis(frame.columns, axis=1)
