"""What each ``vae-augment`` command does: fit, sample, denoise, report and demo.

Tables are delimited text or Parquet files, or the standard streams (:mod:`.tables`);
models are the safe model files of :meth:`VAEAugmenter.save`, with the order of the
training file's columns (:mod:`.columns`).
"""

from __future__ import annotations

import argparse
import json
import math
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from ..datasets.penguins import load_penguins
from ..estimators.augmenter import VAEAugmenter
from ..estimators.loading import load
from ..evaluation import plots
from ..evaluation.quality import QualityReport, quality_report
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
from .row_counts import requested_classes, rows_asked
from .tables import is_text, read_input, tell, text_columns_of, write_output

#: Rows ``sample`` generates and writes at a time (one Parquet row group): memory stays
#: flat however many rows are asked for.
_ROWS_PER_WRITE = 100_000


def _model_input(augmenter: VAEAugmenter, data: pd.DataFrame, path: str):
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


def _quality_lines(report: QualityReport) -> list[str]:
    return [
        str(report),
        "",
        "per column (score: 1 = same distribution)",
        report.columns.to_string(index=False, float_format=lambda v: f"{v:.3f}"),
    ]


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
    data = read_input(args, args.data)
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
    augmenter = VAEAugmenter(**params, random_state=args.seed, verbose=not args.quiet)
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
    features, X = _model_input(augmenter, data, args.data)
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


def _with_columns_of(real: pd.DataFrame, other: pd.DataFrame, path: str, real_path: str):
    """``other`` with the columns of ``real``, in its order (refused if they differ)."""
    lacking = [str(c) for c in real.columns if c not in other.columns]
    extra = [str(c) for c in other.columns if c not in real.columns]
    if lacking or extra:
        raise UserError(
            f"{path} must have the columns of {real_path}; "
            + "; ".join(
                f"{what}: {', '.join(names)}"
                for what, names in (("missing", lacking), ("extra", extra))
                if names
            )
        )
    return other[real.columns]


_HEADLINE = (
    "column_shapes",
    "column_pair_trends",
    "overall",
    "missing_values",
    "detection_auc",
    "copies",
    "dcr_ratio",
)


def _records(frame: pd.DataFrame) -> list:
    return json.loads(frame.to_json(orient="records"))  # NaN as null


def _report_json(report: QualityReport) -> dict:
    """The numbers of a report, NaN as null: headline scores, ceiling, TSTR, tables."""

    def headline(scores: QualityReport) -> dict:
        values = {name: getattr(scores, name) for name in _HEADLINE}
        return {
            name: None if value is None or math.isnan(value) else float(value)
            for name, value in values.items()
        }

    ceiling = report.holdout
    return {
        "real_rows": report.real_rows,
        "synthetic_rows": report.synthetic_rows,
        **headline(report),
        "holdout": None
        if ceiling is None
        else {"rows": ceiling.synthetic_rows, **headline(ceiling)},
        "target": report.target,
        "tstr": None if report.tstr is None else asdict(report.tstr),
        "trtr": None if report.trtr is None else asdict(report.trtr),
        "columns": _records(report.columns),
        "pairs": _records(report.pairs),
    }


def report(args: argparse.Namespace) -> int:
    plt = plots.pyplot()  # fails early, naming the extra, without matplotlib
    plt.switch_backend("Agg")
    real = read_input(args, args.real)

    def like_real(path: str) -> pd.DataFrame:
        # Parts of one table read alike: REAL's text columns are text in the others.
        other = read_input(args, path, text_columns=text_columns_of(real))
        return _with_columns_of(real, other, path, args.real)

    synthetic = like_real(args.synthetic)
    holdout = None if args.holdout is None else like_real(args.holdout)
    if args.target is not None and args.target not in real.columns:
        raise UserError(f"--target {args.target!r} is not a column of {args.real}")
    augmenter = None if args.model is None else load(args.model)
    if augmenter is not None:
        _, X_real = _model_input(augmenter, real, args.real)

    report = quality_report(
        real, synthetic, holdout=holdout, target=args.target, random_state=args.seed
    )
    output = Path(args.output)
    output.mkdir(parents=True, exist_ok=True)
    summary = json.dumps(_report_json(report), indent=2, default=str)
    (output / "quality.json").write_text(summary + "\n")
    lines = [
        f"{args.synthetic} against {args.real}",
        *_quality_lines(report),
        "",
        "pairs (score: 1 = same relation; counted: in column pair trends)",
        report.pairs.to_string(index=False, float_format=lambda v: f"{v:.3f}"),
    ]
    (output / "quality.txt").write_text("\n".join(lines) + "\n")

    figures = {
        "marginals.png": plots.plot_marginals(real, synthetic),
        "associations.png": plots.plot_association_difference(real, synthetic),
    }
    extra = {}
    if augmenter is not None:
        y = None if args.target is None else real[args.target]
        extra["Training curves"] = figures["training_curves.png"] = (
            plots.plot_training_curves(augmenter)
        )
        extra["Latent space"] = figures["latent.png"] = plots.plot_latent(
            augmenter, X_real, y
        )
    for name, figure in figures.items():
        figure.savefig(output / name, dpi=120)
    page = Path(args.html) if args.html is not None else output / "report.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    report.to_html(page, figures=extra)
    plt.close("all")
    print("\n".join(lines[:2]))
    written = ", ".join(["quality.json", "quality.txt", *figures])
    print(f"Wrote {written} to {output}, and {page}")
    return 0


def demo(args: argparse.Namespace) -> int:
    """Fit on the Palmer penguins, write synthetic rows and a real-vs-synthetic summary."""
    output = Path(args.output)
    output.mkdir(parents=True, exist_ok=True)
    real = load_penguins()
    X, y = real.drop(columns="species"), real["species"]
    print(f"Fitting VAEAugmenter on the Palmer penguins ({len(real)} rows, by species)...")
    augmenter = VAEAugmenter(random_state=args.seed, verbose=True).fit(X, y)
    X_new, y_new = augmenter.sample(args.n_samples, random_state=args.seed)
    synthetic = X_new.assign(species=y_new)[real.columns]
    synthetic.to_csv(output / "synthetic.csv", index=False)

    report = quality_report(real, synthetic)
    lines = [
        f"VAEAugmenter on the Palmer penguins: {len(real)} real rows, "
        f"{len(synthetic)} synthetic rows",
        f"trained {augmenter.n_iter_} epochs (best {augmenter.best_epoch_}) "
        f"on {augmenter.device_}",
        *_quality_lines(report),
        "",
        "species counts, real vs synthetic",
        real["species"]
        .value_counts()
        .rename("real")
        .to_frame()
        .join(synthetic["species"].value_counts().rename("synthetic"))
        .to_string(),
    ]
    summary = "\n".join(lines)
    (output / "summary.txt").write_text(summary + "\n")
    print(summary)
    print(f"\nWrote {output / 'synthetic.csv'} and {output / 'summary.txt'}")
    return 0
