"""`sample --given` and `--given-file`: command-line text in the columns' own types."""

from __future__ import annotations

import argparse

import pandas as pd

from ..estimators.augmenter import VAEAugmenter
from ..fitting.conditioning import Condition, condition_of
from ..table.io import input_name
from .arguments import UserError, listing, one_line
from .tables import read_input


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


def _column_specs(augmenter: VAEAugmenter, columns, option: str) -> dict:
    """``{column: spec}`` of the model's columns named (as text) in ``columns``.

    ``option`` names what gave them, in messages about a column the model lacks.
    """
    table = augmenter.model_.table
    specs = {str(spec.name): spec for spec in table.codec.columns}
    for column in map(str, columns):
        if column in specs:
            continue
        if table.target is not None and column == str(table.target.name):
            raise UserError(
                f"{option}: {column!r} is the model's target; ask for classes with --class"
            )
        raise UserError(
            f"{option}: the model has no column {column!r} (its columns: {listing(specs)})"
        )
    return {column: specs[column] for column in map(str, columns)}


def _given_values(augmenter: VAEAugmenter, pairs) -> dict:
    """``--given COLUMN=VALUE`` pairs as ``{column: value}`` in the columns' own types.

    Columns and categories are matched as text; numbers and datetimes are parsed.
    """
    given = {}
    for column, text in pairs:
        spec = _column_specs(augmenter, [column], f"--given {column}=...")[column]
        if spec.name in given:
            raise UserError(f"--given {column} is given twice")
        given[spec.name] = _given_value(spec, column, text)
    return given


def _given_rows(augmenter: VAEAugmenter, args: argparse.Namespace) -> pd.DataFrame:
    """The rows of ``--given-file``, its columns and categories matched as text."""
    rows = read_input(args, args.given_file)
    option = f"--given-file {input_name(args.given_file)}"
    specs = _column_specs(augmenter, rows.columns, option)
    rows = rows.set_axis([specs[str(c)].name for c in rows.columns], axis=1)
    for spec in specs.values():
        if spec.levels is not None:
            rows[spec.name] = _as_levels(spec, rows[spec.name].astype(object))
    return rows


def given_cells(augmenter: VAEAugmenter, args: argparse.Namespace):
    """What ``--given`` or ``--given-file`` fixes: a dict, rows, or ``None`` for
    neither."""
    if args.given and args.given_file:
        raise UserError("give --given or --given-file, not both")
    if args.given:
        return _given_values(augmenter, args.given)
    if args.given_file:
        return _given_rows(augmenter, args)
    return None


def checked_condition(
    augmenter: VAEAugmenter, args: argparse.Namespace, given, n_rows: int
) -> Condition | None:
    """:func:`given_cells`' cells as the condition of ``n_rows`` generated rows.

    The library checks the values (categories seen in fit, numbers in range); its
    refusal is reported under the option that gave them.
    """
    if given is None:
        return None
    try:
        return condition_of(augmenter.model_, given, n_rows)
    except ValueError as error:
        option = "--given" if args.given else f"--given-file {input_name(args.given_file)}"
        raise UserError(f"{option}: {one_line(error).rstrip('.')}") from None
