"""The Palmer penguins table, shipped with the package for demos, docs and tests."""

from __future__ import annotations

from importlib import resources

import pandas as pd


def load_penguins() -> pd.DataFrame:
    """Load the Palmer penguins table (344 rows, 8 columns, some missing values).

    Columns: ``species``, ``island`` and ``sex`` (categorical), four body measurements
    (float, with missing values) and ``year`` (int). Data by Gorman, Williams and Fraser
    (2014), distributed under CC0 by the ``palmerpenguins`` project.

    Returns
    -------
    DataFrame
        The table, with ``species``, ``island`` and ``sex`` as ``category`` columns.

    Examples
    --------
    >>> from vae_augment import load_penguins
    >>> load_penguins().shape
    (344, 8)
    """
    with (
        resources.files(__package__)
        .joinpath("data")
        .joinpath("penguins.csv")
        .open() as handle
    ):
        frame = pd.read_csv(handle)
    for column in ("species", "island", "sex"):
        frame[column] = frame[column].astype("category")
    return frame
