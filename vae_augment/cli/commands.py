"""The commands that fit and use a model: fit, sample, denoise and impute.

Tables are delimited text or Parquet files, or the standard streams (:mod:`.tables`);
models are the safe model files of :meth:`VAEAugmenter.save`, with the order of the
training file's columns (:mod:`.columns`).
"""

from __future__ import annotations

import argparse
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from ..estimators.augmenter import VAEAugmenter
from ..estimators.loading import load
from ..fitting.generation import generated_frames
from ..fitting.imputation import impute as fill_missing
from ..model.devices import INFERENCE_MEMORY_ADVICE, out_of_memory_advice
from ..table.io import PARQUET, STANDARD_STREAM, input_name, output_name, table_format
from ..table.parquet import open_dataset
from ..utils.seeds import check_seed
from ..utils.user_warnings import warn_user
from ..utils.warning_types import TargetTypeWarning
from .arguments import MODEL_OPTIONS, UserError, listing
from .columns import load_model, save_model
from .conditions import checked_condition, given_cells
from .model_input import model_input
from .row_counts import requested_classes, rows_asked
from .tables import (
    MODEL_KINDS,
    READ_KINDS,
    cast_columns,
    is_text,
    read_input,
    tell,
    write_output,
)

#: Rows ``sample`` generates and writes at a time (one Parquet row group): memory stays
#: flat however many rows are asked for.
_ROWS_PER_WRITE = 100_000


def _rows_of(args: argparse.Namespace, path: str, augmenter: VAEAugmenter) -> pd.DataFrame:
    """The table at ``path``, its columns that were text in fit read as text; refused
    when it has no rows."""
    text = [str(c.name) for c in augmenter.model_.table.codec.columns if is_text(c.dtype)]
    data = read_input(args, path, text_columns=text)
    if data.empty:
        raise UserError(f"{input_name(path)} has no rows")
    return data


def _refuse_overwriting(output: str, **inputs: str) -> None:
    """A UserError when ``output`` is one of the files a command reads."""
    for option, path in inputs.items():
        if STANDARD_STREAM in (output, path):
            continue
        if Path(output).resolve() == Path(path).resolve():
            raise UserError(
                f"-o {output} is the {option} this command reads; writing there would "
                "destroy it, give another output file"
            )


def _check_target(args: argparse.Namespace, columns, count_missing) -> None:
    """Refuse a ``--target`` that is not a column, or that has missing values
    (``count_missing()`` counts them)."""
    if args.target is None:
        return
    if args.target not in columns:
        raise UserError(
            f"--target {args.target!r} is not a column of {input_name(args.data)} (its "
            f"columns: {listing(columns)})"
        )
    n_missing = count_missing()
    if n_missing:
        raise UserError(
            f"--target {args.target!r} has {n_missing} missing value(s) in "
            f"{input_name(args.data)}; drop those rows or fill them in"
        )


def _fitted_on_file(augmenter: VAEAugmenter, args: argparse.Namespace):
    """Fit ``augmenter`` on DATA; returns the file's columns and its number of rows."""
    if Path(args.data).is_dir() or table_format(args.data) == PARQUET:
        if not Path(args.data).exists():
            raise FileNotFoundError(f"{args.data}: no such file.")
        read_kinds = [f"{n}={k}" for n, k in args.dtype if k in READ_KINDS]
        if read_kinds:
            raise ValueError(
                f"--dtype {read_kinds[0]} says how delimited text is read; Parquet "
                "keeps its own dtypes"
            )
        dataset = open_dataset(args.data)
        import pyarrow.dataset as ds  # open_dataset has checked that it is installed

        columns = dataset.schema.names
        _check_target(
            args,
            columns,
            lambda: dataset.count_rows(filter=ds.field(args.target).is_null()),
        )
        augmenter.fit(dataset, args.target)  # streamed from disk
        return columns, dataset.count_rows()
    dtypes = dict(args.dtype)
    text = [name for name, kind in dtypes.items() if kind == "text"]
    data = cast_columns(read_input(args, args.data, text_columns=text), dtypes)
    columns = list(data.columns)
    _check_target(args, columns, lambda: int(data[args.target].isna().sum()))
    y = None if args.target is None else data.pop(args.target)
    augmenter.fit(data, y)
    return columns, len(data)


#: The library's parameter names in its warnings, and the options that set them.
_OPTION_NAMES = (
    ("a larger max_epochs", "a larger --max-epochs"),
    ("max_epochs=", "--max-epochs "),
)


@contextmanager
def _warnings_in_command_terms() -> Iterator[list]:
    """Show the library's warnings of a fit with its parameters named as options.

    Yields the list of ``TargetTypeWarning`` s, which are held back (their hint names
    ``target_type=``; ``fit`` gives its own). The others are shown even when the fit
    fails.
    """
    ambiguous: list = []
    caught: list = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield ambiguous
    finally:
        for w in caught:
            if issubclass(w.category, TargetTypeWarning):
                ambiguous.append(w)
                continue
            message = str(w.message)
            for name, option in _OPTION_NAMES:
                message = message.replace(name, option)
            warnings.warn_explicit(message, w.category, w.filename, w.lineno)


def fit(args: argparse.Namespace) -> int:
    # Before the data is read and the model trained, so that a bad -o fails fast.
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    params = {name: getattr(args, name) for name in MODEL_OPTIONS}
    params["target_head"] = args.target_head
    kinds = {name: kind for name, kind in args.dtype if kind in MODEL_KINDS}
    augmenter = VAEAugmenter(
        **params,
        column_kinds=kinds or None,
        random_state=args.seed,
        verbose=not args.quiet,
    )
    with _warnings_in_command_terms() as ambiguous:
        columns, n_rows = _fitted_on_file(augmenter, args)
    save_model(augmenter, args.output, columns)
    target = ""
    if augmenter.classes_ is not None:
        n_classes = len(augmenter.classes_)
        target = f", conditional on {args.target!r} ({n_classes} classes)"
        if ambiguous:
            warn_user(
                f"--target {args.target!r} holds whole numbers and was modelled as "
                f"{n_classes} classes; for a numeric target give --target-type "
                "continuous (--target-type classes silences this)",
                TargetTypeWarning,
            )
    elif args.target is not None:
        target = f", with target {args.target!r} modelled jointly"
    print(
        f"Fitted on {n_rows} rows and {augmenter.n_features_in_} columns{target}: "
        f"{augmenter.n_iter_} epochs (best {augmenter.best_epoch_}) on "
        f"{augmenter.device_}. Wrote {args.output}"
    )
    return 0


def sample(args: argparse.Namespace) -> int:
    _refuse_overwriting(args.output, MODEL=args.model)
    augmenter, layout = load_model(args.model)
    classes = requested_classes(augmenter, args.classes)
    given = given_cells(augmenter, args)
    n_rows = rows_asked(args, classes, given)
    condition = checked_condition(augmenter, args, given, n_rows)
    seed = augmenter.random_state if args.seed is None else args.seed
    frames = generated_frames(
        augmenter.model_,
        n_rows,
        classes,
        check_seed(seed),
        frame_rows=_ROWS_PER_WRITE,
        given=condition,
    )
    with out_of_memory_advice("sampling rows", INFERENCE_MEMORY_ADVICE):
        write_output(args, (layout.rows(X, y) for X, y in frames))
    tell(args, f"Wrote {n_rows} rows to {output_name(args.output)}")
    return 0


def _rewrite_model_columns(args: argparse.Namespace, rewrite) -> tuple[int, int]:
    """Write DATA to OUT with the model's columns replaced by ``rewrite``'s output.

    ``rewrite(augmenter, X)`` gets the model's columns of DATA (as the model takes
    them) and returns them rewritten, in the same order. Other columns (a target, an id)
    pass through unchanged, in place. Returns the rows and the missing cells of DATA's
    model columns.
    """
    _refuse_overwriting(args.output, DATA=args.data, MODEL=args.model)
    augmenter = load(args.model)
    data = _rows_of(args, args.data, augmenter)
    features, X = model_input(augmenter, data, args.data)
    new = rewrite(augmenter, X)
    new = (
        new.set_axis(features, axis=1).set_axis(data.index)
        if isinstance(new, pd.DataFrame)
        else pd.DataFrame(new, columns=features, index=data.index)
    )
    table = data.copy()
    for column in features:
        table[column] = new[column]
    write_output(args, [table])
    return len(table), int(data[features].isna().sum().sum())


def denoise(args: argparse.Namespace) -> int:
    n_rows, n_filled = _rewrite_model_columns(
        args, lambda augmenter, X: augmenter.transform(X)
    )
    tell(
        args,
        f"Reconstructed {n_rows} rows ({n_filled} missing cells filled in). "
        f"Wrote them to {output_name(args.output)}",
    )
    return 0


def impute(args: argparse.Namespace) -> int:
    def fill(augmenter: VAEAugmenter, X):
        rows = X if isinstance(X, pd.DataFrame) else pd.DataFrame(X)
        rng = check_seed(args.seed)
        return fill_missing(augmenter.model_, rows, sample_posterior=args.draw, rng=rng)

    n_rows, n_filled = _rewrite_model_columns(args, fill)
    tell(
        args,
        f"Filled in {n_filled} missing cells of {n_rows} rows. "
        f"Wrote them to {output_name(args.output)}",
    )
    return 0
