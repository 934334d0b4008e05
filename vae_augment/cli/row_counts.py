"""How many rows ``sample`` writes, and of which classes: ``-n``, ``--class`` and
``--given-file`` each ask for a number of rows, and must agree."""

from __future__ import annotations

import argparse

import pandas as pd

from ..estimators.augmenter import VAEAugmenter
from ..table.io import input_name
from .arguments import UserError, listing


def requested_classes(augmenter: VAEAugmenter, pairs) -> dict | None:
    """Turn ``--class LABEL=COUNT`` pairs into ``{class: count}`` (``None`` for none).

    Labels are matched as text against the model's classes.
    """
    if not pairs:
        return None
    if augmenter.classes_ is None:
        raise UserError(
            "--class: the model has no classes (fit it with --target on a column of "
            "class labels); ask for rows with -n"
        )
    by_text = {str(c): c for c in augmenter.classes_}
    counts = {}
    for label, count in pairs:
        if label not in by_text:
            raise UserError(
                f"--class {label}={count}: the model has no class {label!r} (its "
                f"classes: {listing(by_text)})"
            )
        if by_text[label] in counts:
            raise UserError(f"--class {label!r} is given twice")
        counts[by_text[label]] = count
    return counts


def rows_asked(args: argparse.Namespace, classes: dict | None, given) -> int:
    """The number of rows that ``-n``, the ``--class`` counts and the rows of
    ``--given-file`` ask for (those given must agree)."""
    asks = []
    if args.n is not None:
        asks.append(("-n", args.n))
    if classes is not None:
        asks.append(("--class", sum(classes.values())))
        if not asks[-1][1]:
            raise UserError("--class asks for no rows (every count is 0)")
    if isinstance(given, pd.DataFrame):
        asks.append(("--given-file", len(given)))
        if given.empty:
            raise UserError(f"--given-file {input_name(args.given_file)} has no rows")
    if not asks:
        raise UserError(
            "give the number of rows with -n N, --class LABEL=COUNT or --given-file"
        )
    (option, n_rows), *others = asks
    for other, n_other in others:
        if n_other != n_rows:
            raise UserError(
                f"{option} asks for {n_rows} rows but {other} for {n_other}; make them "
                "agree, or give only one"
            )
    return n_rows
