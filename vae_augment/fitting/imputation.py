"""Filling in missing cells: observed cells untouched, missing ones from the model."""

from __future__ import annotations

import pandas as pd

from .conditioning import Condition
from .fitted import FittedVAE
from .generation import generated_frames


def _draws(fitted: FittedVAE, rows: pd.DataFrame, rng, n_draws: int) -> list[pd.DataFrame]:
    """``n_draws`` conditional draws of every free cell given the observed ones."""
    # The observed cells are the condition; unseen levels and values outside the
    # training range are not refused here (they are treated as transform does).
    condition = Condition(rows.reset_index(drop=True), free_cells_missing=False)
    draws = []
    for _ in range(n_draws):
        ((filled, _),) = generated_frames(
            fitted, len(rows), None, rng, frame_rows=None, given=condition
        )
        draws.append(filled.set_axis(rows.index))
    return draws


def impute(fitted: FittedVAE, frame: pd.DataFrame, *, sample_posterior: bool, rng):
    """``frame`` (the fitted columns, checked) with every missing cell filled.

    Parameters
    ----------
    fitted : FittedVAE
        The model.
    frame : DataFrame
        Rows with the fitted columns, matched by position.
    sample_posterior : bool
        ``False``: the most probable fill, deterministic (the decoder's mean and most
        probable level at the posterior mean given the observed cells; it scored better
        than averaging 20 conditional draws, see ``docs/benchmarks.md``). ``True``: a
        draw from the model's distribution of the missing cells given the observed ones
        (different draws for different ``rng``: multiple imputation).
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
    if sample_posterior:
        (filled,) = _draws(fitted, rows, rng, 1)
    else:
        filled = fitted.reconstruct(rows)
    result = rows.copy()
    for name in names:
        holes = missing[name].to_numpy()
        if holes.all():  # nothing observed to keep: the fill, in the training dtype
            result[name] = filled[name]
        elif holes.any():
            result[name] = _filled(rows[name], holes, filled[name].to_numpy()[holes])
    return result.set_axis(frame.columns, axis=1)


def _filled(column: pd.Series, holes, values) -> pd.Series:
    """``column`` with ``values`` in its holes (as objects where its dtype cannot hold
    them: text that arrived in a float column)."""
    column = column.copy()
    try:
        column[holes] = values
    except (TypeError, ValueError):
        column = column.astype(object)
        column[holes] = values
    return column
