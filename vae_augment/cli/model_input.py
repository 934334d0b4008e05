"""The model's columns of a table a command reads."""

from __future__ import annotations

import pandas as pd

from ..estimators.augmenter import VAEAugmenter
from ..table.io import input_name
from .arguments import UserError, listing


def model_input(augmenter: VAEAugmenter, data: pd.DataFrame, path: str):
    """The columns of ``data`` the model was fitted on, and ``X`` to give the model.

    Columns are matched by name, as text (a file's header is text), so a file may order
    them differently. A model fitted on an array (or on integer column names) knows its
    columns as 0, 1, ...: a file with none of those names gives its first columns in
    order; a file with some of them but not all is refused, as matching it by position
    would put values in the wrong columns.
    """
    table = augmenter.model_.table
    names = table.codec.names
    by_text = {str(column): column for column in data.columns}
    absent = [str(name) for name in names if str(name) not in by_text]
    unnamed = table.feature_names is None
    if unnamed and len(absent) == len(names) and data.shape[1] >= len(names):
        features = list(data.columns[: len(names)])
    elif absent:
        how = " (named 0, 1, ... in order, or none of them)" if unnamed else ""
        raise UserError(
            f"{input_name(path)} lacks the column(s) {listing(absent)} that the model "
            f"was fitted on{how}"
        )
    else:
        features = [by_text[str(name)] for name in names]
    X = data[features]
    if unnamed:  # the names it was fitted with, in their order
        X = X.set_axis(names, axis=1)
    return features, X if table.container.is_frame else X.to_numpy()
