"""The columns ``sample`` writes: the training file's, in its order, the target in place.

``fit`` records the order of the training file's columns in the model file
(:func:`~vae_augment.persistence.model_file.write_model`'s ``table_columns``). Model files
without it (saved from Python, or by vae_augment before it recorded the order) give the
model's columns followed by the target.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from ..estimators.augmenter import VAEAugmenter
from ..estimators.loading import load
from ..persistence.errors import ModelFileError
from ..persistence.model_file import read_table_columns, write_model
from .arguments import UserError, listing


@dataclass(frozen=True)
class TableLayout:
    """The columns of a model's rows as a file holds them.

    Parameters
    ----------
    columns : list of str
        Every column's name, the target's included, in the file's order.
    target : str or None
        The target column's name; ``None`` for a model without a target.
    """

    columns: list[str]
    target: str | None

    @classmethod
    def of(cls, augmenter: VAEAugmenter) -> TableLayout:
        """The model's columns as text, then its target (named ``target`` if unnamed).

        Raises
        ------
        UserError
            If the target's name is also a column's (one file cannot hold both).
        """
        table = augmenter.model_.table
        columns = [str(name) for name in table.codec.names]
        if table.target is None:
            return cls(columns, None)
        target = "target" if table.target.name is None else str(table.target.name)
        if target in columns:
            raise UserError(
                f"the model's target is named {target!r}, as one of its columns: a file "
                "cannot hold both; refit with the target renamed"
            )
        return cls([*columns, target], target)

    def in_order(self, names: Sequence[str]) -> TableLayout:
        """The same columns in the order they have in ``names`` (others left out)."""
        wanted = set(self.columns)
        return TableLayout([str(n) for n in names if str(n) in wanted], self.target)

    def rows(self, X: pd.DataFrame, y) -> pd.DataFrame:
        """Generated rows ``X`` and their targets ``y`` as one table, in this order."""
        frame = X.rename(columns=str)
        if self.target is not None:
            values = y.set_axis(frame.index) if isinstance(y, pd.Series) else y
            frame = frame.assign(**{self.target: pd.Series(values, index=frame.index)})
        return frame[self.columns]


def save_model(augmenter: VAEAugmenter, path: str, file_columns: Sequence) -> None:
    """Save a fitted model with the order of its training file's columns."""
    layout = TableLayout.of(augmenter).in_order(file_columns)
    write_model(
        path,
        augmenter.get_params(deep=False),
        augmenter.model_,
        table_columns=layout.columns,
    )


def load_model(path: str) -> tuple[VAEAugmenter, TableLayout]:
    """A model file's estimator and the layout of the rows it generates.

    Raises
    ------
    ModelFileError
        If the recorded order does not name the model's columns.
    """
    augmenter = load(path)
    layout = TableLayout.of(augmenter)
    recorded = read_table_columns(path)
    if recorded is None:
        return augmenter, layout
    if sorted(recorded) != sorted(layout.columns):
        raise ModelFileError(
            f"{path} has inconsistent content: its column order names "
            f"{listing(recorded)}, not the model's columns {listing(layout.columns)}."
        )
    return augmenter, layout.in_order(recorded)
