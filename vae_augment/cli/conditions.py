"""`sample --given` and `--given-file`: command-line text in the columns' own types."""

from __future__ import annotations

import argparse

import pandas as pd

from ..estimators.augmenter import VAEAugmenter
from ..table.io import read_table
from .arguments import UserError, listing


def _as_levels(spec, values: pd.Series) -> pd.Series:
    """A categorical column's values matched to its levels as text (a file's 6 is the
    level "6"); values matching no level are left for the library to refuse."""
    by_text = {str(level): level for level in spec.levels}
    return values.map(lambda v: by_text.get(str(v), v) if pd.notna(v) else v)


def _given_value(spec, column: str, text: str):
    """One ``--given`` value, read in its column's type."""
    if spec.levels is not None:
        return _as_levels(spec, pd.Series([text], dtype=object)).iloc[0]
    if spec.time_unit is not None:
        try:
            value = (
                pd.Timestamp(text)
                if pd.api.types.is_datetime64_any_dtype(spec.dtype)
                else pd.Timedelta(text)
            )
        except ValueError:
            raise UserError(f"--given {column}={text}: expected a time") from None
        tz = getattr(spec.dtype, "tz", None)
        return value.tz_localize(tz) if tz is not None and value.tzinfo is None else value
    try:
        number = float(text)
    except ValueError:
        raise UserError(f"--given {column}={text}: expected a number") from None
    if spec.step is None:
        return number
    if not number.is_integer():
        raise UserError(f"--given {column}={text}: expected a whole number")
    return int(number)


def _given_values(augmenter: VAEAugmenter, pairs) -> dict:
    """``--given COLUMN=VALUE`` pairs as ``{column: value}`` in the columns' own types.

    Columns and categories are matched as text; numbers and datetimes are parsed.
    """
    table = augmenter.model_.table
    specs = {str(spec.name): spec for spec in table.codec.columns}
    given = {}
    for column, text in pairs:
        spec = specs.get(column)
        if spec is None:
            if table.target is not None and column == str(table.target.name):
                raise UserError(
                    f"--given {column}=...: {column!r} is the model's target; ask for "
                    "classes with --class"
                )
            raise UserError(
                f"--given {column}=...: the model has no column {column!r} (its "
                f"columns: {listing(specs)})"
            )
        if spec.name in given:
            raise UserError(f"--given {column} is given twice")
        given[spec.name] = _given_value(spec, column, text)
    return given


def condition(augmenter: VAEAugmenter, args: argparse.Namespace):
    """What ``--given`` or ``--given-file`` fixes (``None`` for neither)."""
    if args.given and args.given_file:
        raise UserError("give --given or --given-file, not both")
    if args.given:
        return _given_values(augmenter, args.given)
    if args.given_file:
        rows = read_table(args.given_file)
        specs = {str(spec.name): spec for spec in augmenter.model_.table.codec.columns}
        rows = rows.rename(columns=lambda c: specs[str(c)].name if str(c) in specs else c)
        for spec in specs.values():
            if spec.levels is not None and spec.name in rows.columns:
                rows[spec.name] = _as_levels(spec, rows[spec.name].astype(object))
        return rows
    return None
