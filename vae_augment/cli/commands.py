"""What each ``vae-augment`` command does: fit, sample, denoise, report and demo.

Tables are CSV or Parquet files (:mod:`vae_augment.table.io`); models are the safe model
files of :meth:`VAEAugmenter.save`.
"""

from __future__ import annotations

import argparse
import json
import math
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from ..datasets.penguins import load_penguins
from ..estimators.augmenter import VAEAugmenter
from ..estimators.loading import load
from ..evaluation import plots
from ..evaluation.quality import QualityReport, quality_report
from ..fitting.imputation import impute as fill_missing
from ..table.io import PARQUET, read_table, table_format, write_table
from ..table.parquet import open_dataset
from ..utils.seeds import check_seed
from ..utils.user_warnings import warn_user
from .arguments import MODEL_OPTIONS, UserError, listing
from .conditions import condition

_MANY_CLASSES = 20


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
            f"{path} lacks the column(s) {listing(absent)} that the model was fitted "
            f"on{how}"
        )
    else:
        features = [by_text[str(name)] for name in names]
    X = data[features]
    if unnamed:  # the names it was fitted with, in their order
        X = X.set_axis(names, axis=1)
    return features, X if table.container.is_frame else X.to_numpy()


def _rows_of(path: str) -> pd.DataFrame:
    """The table at ``path``, refused when it has no rows."""
    data = read_table(path)
    if data.empty:
        raise UserError(f"{path} has no rows")
    return data


def _refuse_overwriting(output: str, **inputs: str) -> None:
    """A UserError when ``output`` is one of the files a command reads."""
    for option, path in inputs.items():
        if Path(output).resolve() == Path(path).resolve():
            raise UserError(
                f"-o {output} is the {option} this command reads; writing there would "
                "destroy it, give another output file"
            )


def _with_target(X, y) -> pd.DataFrame:
    """Generated or reconstructed rows as a table, the target written under its name."""
    frame = X if isinstance(X, pd.DataFrame) else pd.DataFrame(X)
    frame = frame.rename(columns=str)
    if y is not None:
        name = getattr(y, "name", None)
        name = "target" if name is None else str(name)
        if name in frame.columns:
            raise UserError(
                f"the model's target is named {name!r}, as one of its columns: the file "
                "cannot hold both; write Parquet, or refit with the target renamed"
            )
        y = y.set_axis(frame.index) if isinstance(y, pd.Series) else y
        frame = frame.assign(**{name: pd.Series(y, index=frame.index)})
    return frame


def _quality_lines(report: QualityReport) -> list[str]:
    return [
        str(report),
        "",
        "per column (score: 1 = same distribution)",
        report.columns.to_string(index=False, float_format=lambda v: f"{v:.3f}"),
    ]


def _check_target(args: argparse.Namespace, columns) -> None:
    if args.target is not None and args.target not in columns:
        raise UserError(
            f"--target {args.target!r} is not a column of {args.data} (its columns: "
            f"{listing(columns)})"
        )


def fit(args: argparse.Namespace) -> int:
    # Before the data is read and the model trained, so that a bad -o fails fast.
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    params = {name: getattr(args, name) for name in MODEL_OPTIONS}
    augmenter = VAEAugmenter(**params, random_state=args.seed, verbose=not args.quiet)
    if Path(args.data).is_dir() or table_format(args.data) == PARQUET:
        dataset = open_dataset(args.data)
        _check_target(args, dataset.schema.names)
        augmenter.fit(dataset, args.target)  # streamed from disk
        n_rows = dataset.count_rows()
    else:
        data = read_table(args.data)
        _check_target(args, data.columns)
        y = None if args.target is None else data.pop(args.target)
        augmenter.fit(data, y)
        n_rows = len(data)
    augmenter.save(args.output)
    target = ""
    if augmenter.classes_ is not None:
        n_classes = len(augmenter.classes_)
        target = f", conditional on {args.target!r} ({n_classes} classes)"
        if n_classes > _MANY_CLASSES and pd.api.types.is_numeric_dtype(
            pd.Series(augmenter.classes_.tolist()).dtype
        ):
            warn_user(
                f"--target {args.target!r} holds whole numbers and was modelled as "
                f"{n_classes} classes; for a numeric target give --target-type continuous"
            )
    elif args.target is not None:
        target = f", with target {args.target!r} modelled jointly"
    print(
        f"Fitted on {n_rows} rows and {augmenter.n_features_in_} columns{target}: "
        f"{augmenter.n_iter_} epochs (best {augmenter.best_epoch_}) on "
        f"{augmenter.device_}. Wrote {args.output}"
    )
    return 0


def _requested_classes(augmenter: VAEAugmenter, pairs) -> dict:
    """Turn ``--class LABEL=COUNT`` pairs into ``{class: count}`` for ``sample``.

    Labels are matched as text against the model's classes; ``sample`` refuses the
    labels that match none (and a model without classes).
    """
    classes = () if augmenter.classes_ is None else augmenter.classes_
    by_text = {str(c): c for c in classes}
    counts = {}
    for label, count in pairs:
        label = by_text.get(label, label)
        if label in counts:
            raise UserError(f"--class {str(label)!r} is given twice")
        counts[label] = count
    return counts


def sample(args: argparse.Namespace) -> int:
    _refuse_overwriting(args.output, MODEL=args.model)
    augmenter = load(args.model)
    classes = None if not args.classes else _requested_classes(augmenter, args.classes)
    given = condition(augmenter, args)
    if classes is None and args.n is None and not isinstance(given, pd.DataFrame):
        raise UserError(
            "give the number of rows with -n N, --class LABEL=COUNT or --given-file"
        )
    if table_format(args.output) == PARQUET:
        # Written a row group at a time: any number of rows fits in memory.
        augmenter.sample_to_parquet(
            args.output, args.n, y=classes, given=given, random_state=args.seed
        )
        n_rows = args.n or (sum(classes.values()) if classes else len(given))
    else:
        table = _with_target(
            *augmenter.sample(args.n, y=classes, given=given, random_state=args.seed)
        )
        write_table(table, args.output)
        n_rows = len(table)
    print(f"Wrote {n_rows} rows to {args.output}")
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
    data = _rows_of(args.data)
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
    write_table(table, args.output)
    return len(table), int(data[features].isna().sum().sum())


def denoise(args: argparse.Namespace) -> int:
    n_rows, n_filled = _rewrite_model_columns(
        args, lambda augmenter, X: augmenter.transform(X)
    )
    print(
        f"Reconstructed {n_rows} rows ({n_filled} missing cells filled in). "
        f"Wrote {args.output}"
    )
    return 0


def impute(args: argparse.Namespace) -> int:
    def fill(augmenter: VAEAugmenter, X):
        rows = X if isinstance(X, pd.DataFrame) else pd.DataFrame(X)
        rng = check_seed(args.seed)
        return fill_missing(augmenter.model_, rows, sample_posterior=args.draw, rng=rng)

    n_rows, n_filled = _rewrite_model_columns(args, fill)
    print(f"Filled in {n_filled} missing cells of {n_rows} rows. Wrote {args.output}")
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
    real = read_table(args.real)
    synthetic = _with_columns_of(
        real, read_table(args.synthetic), args.synthetic, args.real
    )
    holdout = None
    if args.holdout is not None:
        holdout = _with_columns_of(real, read_table(args.holdout), args.holdout, args.real)
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
