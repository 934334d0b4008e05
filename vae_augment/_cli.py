"""The ``vae-augment`` command line: fit, sample, denoise, report and demo.

Tables are CSV or Parquet files (:mod:`vae_augment._io`); models are the safe model
files of :meth:`VAEAugmenter.save`. A mistake on the command line or in the data ends
with one line on stderr and a non-zero exit code, not a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

import pandas as pd

from ._augmenter import VAEAugmenter
from ._datasets import load_penguins
from ._io import PARQUET, read_table, table_format, write_table
from ._parquet_source import open_dataset
from ._quality import QualityReport, quality_report
from ._serialization import load

_PROG = "vae-augment"
# Errors that mean "bad input", reported in one line. The library raises ValueError or
# TypeError with a message naming the column or parameter; files raise OSError.
_USER_ERRORS = (ValueError, TypeError, OSError, ImportError, FloatingPointError)
_DEFAULTS = VAEAugmenter().get_params()
_MANY_CLASSES = 20
_EXIT_ERROR = 1
_EXIT_INTERRUPTED = 130


# ----------------------------------------------------------------- argument types
def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return value


def _non_negative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {text!r}")
    return value


def _positive_float(text: str) -> float:
    value = _non_negative_float(text)
    if value == 0:
        raise argparse.ArgumentTypeError(f"expected a number > 0, got {text!r}")
    return value


def _fraction(text: str) -> float:
    value = _non_negative_float(text)
    if value >= 1:
        raise argparse.ArgumentTypeError(f"expected a number in [0, 1), got {text!r}")
    return value


def _hidden_dims(text: str) -> tuple[int, ...]:
    try:
        return tuple(_positive_int(part) for part in text.split(","))
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(
            f"expected positive whole numbers separated by commas (e.g. 128,128), got "
            f"{text!r}"
        ) from None


def _batch_size(text: str) -> int | str:
    return "auto" if text == "auto" else _positive_int(text)


def _class_count(text: str) -> tuple[str, int]:
    label, _, count = text.rpartition("=")
    if not label or not count.isdigit():
        raise argparse.ArgumentTypeError(
            f"expected LABEL=COUNT with a whole number COUNT >= 0, got {text!r}"
        )
    return label, int(count)


def _table_path(text: str) -> str:
    """A CSV or Parquet file name (checked at parse time, before any slow work)."""
    try:
        table_format(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error).rstrip(".")) from None
    return text


def _training_data(text: str) -> str:
    """A CSV or Parquet file name, or a folder of Parquet files."""
    return text if Path(text).is_dir() else _table_path(text)


def _model_path(text: str) -> str:
    """A model file name that is not a table's (the model would overwrite the table)."""
    try:
        table_format(text)
    except ValueError:
        return text
    raise argparse.ArgumentTypeError(
        f"{text} is a table's name; writing the model there would overwrite the table, "
        "give it another name (e.g. model.vae)"
    )


# ------------------------------------------------------------------------- helpers
class _UserError(Exception):
    """A mistake in the arguments found after parsing (reported like a parse error)."""


def _listing(names, most: int = 10) -> str:
    names = [str(name) for name in names]
    more = f" and {len(names) - most} more" if len(names) > most else ""
    return ", ".join(names[:most]) + more


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def _model_input(augmenter: VAEAugmenter, data: pd.DataFrame, path: str):
    """The columns of ``data`` the model was fitted on, and ``X`` to give the model.

    A model fitted on an array gets the first ``n_features_in_`` columns as an array.
    """
    if not hasattr(augmenter, "feature_names_in_"):
        features = list(data.columns[: augmenter.n_features_in_])
        return features, data[features].to_numpy()
    features = list(augmenter.feature_names_in_)
    absent = [str(c) for c in features if c not in data.columns]
    if absent:
        raise _UserError(
            f"{path} lacks the column(s) {', '.join(absent)} that the model was fitted on"
        )
    return features, data[features]


def _with_target(X, y) -> pd.DataFrame:
    """Generated or reconstructed rows as a table, the target written under its name."""
    frame = X if isinstance(X, pd.DataFrame) else pd.DataFrame(X)
    frame = frame.rename(columns=str)
    if y is not None:
        name = getattr(y, "name", None)
        name = "target" if name is None else str(name)
        y = y.set_axis(frame.index) if isinstance(y, pd.Series) else y
        frame = frame.assign(**{name: pd.Series(y, index=frame.index)})
    return frame


def _quality_lines(report: QualityReport) -> list[str]:
    return [
        f"quality: {report}",
        "",
        "per column (shape: 1 = same distribution)",
        report.columns.to_string(index=False, float_format=lambda v: f"{v:.3f}"),
    ]


# ------------------------------------------------------------------------ commands
def _check_target(args: argparse.Namespace, columns) -> None:
    if args.target is not None and args.target not in columns:
        raise _UserError(
            f"--target {args.target!r} is not a column of {args.data} (its columns: "
            f"{_listing(columns)})"
        )


def _fit(args: argparse.Namespace) -> int:
    # Before the data is read and the model trained, so that a bad -o fails fast.
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    params = {name: getattr(args, name) for name in _MODEL_OPTIONS}
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
            warnings.warn(
                f"--target {args.target!r} holds whole numbers and was modelled as "
                f"{n_classes} classes; for a numeric target give --target-type continuous",
                UserWarning,
                stacklevel=1,
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
            raise _UserError(f"--class {str(label)!r} is given twice")
        counts[label] = count
    return counts


def _sample(args: argparse.Namespace) -> int:
    augmenter = load(args.model)
    classes = None if not args.classes else _requested_classes(augmenter, args.classes)
    if classes is None and args.n is None:
        raise _UserError("give the number of rows with -n N, or --class LABEL=COUNT")
    if table_format(args.output) == PARQUET:
        # Written a row group at a time: any number of rows fits in memory.
        augmenter.sample_to_parquet(args.output, args.n, y=classes, random_state=args.seed)
        n_rows = args.n if args.n is not None else sum(classes.values())
    else:
        table = _with_target(*augmenter.sample(args.n, y=classes, random_state=args.seed))
        write_table(table, args.output)
        n_rows = len(table)
    print(f"Wrote {n_rows} rows to {args.output}")
    return 0


def _denoise(args: argparse.Namespace) -> int:
    augmenter = load(args.model)
    data = read_table(args.data)
    features, X = _model_input(augmenter, data, args.data)
    clean = augmenter.transform(X)
    if not isinstance(clean, pd.DataFrame):
        clean = pd.DataFrame(clean, columns=features, index=data.index)
    n_filled = int(data[features].isna().sum().sum())
    table = data.copy()
    for column in features:  # other columns (a target, an id) pass through unchanged
        table[column] = clean[column]
    write_table(table, args.output)
    print(
        f"Reconstructed {len(table)} rows ({n_filled} missing cells filled in). "
        f"Wrote {args.output}"
    )
    return 0


def _report(args: argparse.Namespace) -> int:
    from . import _plots

    plt = _plots._pyplot()  # fails early, naming the extra, without matplotlib
    plt.switch_backend("Agg")
    real, synthetic = read_table(args.real), read_table(args.synthetic)
    lacking = [str(c) for c in real.columns if c not in synthetic.columns]
    extra = [str(c) for c in synthetic.columns if c not in real.columns]
    if lacking or extra:
        raise _UserError(
            f"{args.synthetic} must have the columns of {args.real}; "
            + "; ".join(
                f"{what}: {', '.join(names)}"
                for what, names in (("missing", lacking), ("extra", extra))
                if names
            )
        )
    synthetic = synthetic[real.columns]
    if args.target is not None and args.model is None:
        raise _UserError("--target colours the latent view of --model; give --model too")
    if args.target is not None and args.target not in real.columns:
        raise _UserError(f"--target {args.target!r} is not a column of {args.real}")
    augmenter = None if args.model is None else load(args.model)
    if augmenter is not None:
        _, X_real = _model_input(augmenter, real, args.real)

    report = quality_report(real, synthetic)
    output = Path(args.output)
    output.mkdir(parents=True, exist_ok=True)
    summary = {
        "real_rows": len(real),
        "synthetic_rows": len(synthetic),
        "column_shapes": report.column_shapes,
        "pair_trends": report.pair_trends,
        "overall": report.overall,
        "columns": report.columns.to_dict(orient="records"),
        "pairs": report.pairs.to_dict(orient="records"),
    }
    (output / "quality.json").write_text(json.dumps(summary, indent=2, default=str) + "\n")
    lines = [
        f"{args.synthetic} ({len(synthetic)} rows) against {args.real} ({len(real)} rows)",
        *_quality_lines(report),
        "",
        "pairs (trend: 1 = same relation)",
        report.pairs.to_string(index=False, float_format=lambda v: f"{v:.3f}"),
    ]
    (output / "quality.txt").write_text("\n".join(lines) + "\n")

    figures = {
        "marginals.png": _plots.plot_marginals(real, synthetic),
        "associations.png": _plots.plot_association_difference(real, synthetic),
    }
    if augmenter is not None:
        y = None if args.target is None else real[args.target]
        figures["training_curves.png"] = _plots.plot_training_curves(augmenter)
        figures["latent.png"] = _plots.plot_latent(augmenter, X_real, y)
    for name, figure in figures.items():
        figure.savefig(output / name, dpi=120)
        plt.close(figure)
    print("\n".join(lines[:2]))
    written = ", ".join(["quality.json", "quality.txt", *figures])
    print(f"Wrote {written} to {output}")
    return 0


def _demo(args: argparse.Namespace) -> int:
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


# -------------------------------------------------------------------------- parser
class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (the usage is one --help away)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


#: VAEAugmenter parameters that ``fit`` takes as options: name -> (type, metavar, help).
_MODEL_OPTIONS = {
    "latent_dim": (_positive_int, "N", "size of the latent code"),
    "hidden_dims": (_hidden_dims, "N,N,...", "widths of the encoder's layers"),
    "max_epochs": (_positive_int, "N", "most passes over the training rows"),
    "batch_size": (_batch_size, "N", "rows per training step, or 'auto'"),
    "learning_rate": (_positive_float, "X", "Adam's learning rate"),
    "beta": (_non_negative_float, "X", "weight of the KL term (1 = plain VAE)"),
    "input_dropout": (_fraction, "X", "share of cells hidden from the encoder in training"),
    "target_type": (str, None, "how --target is modelled"),
    "device": (str, "DEVICE", "torch device: auto, cpu, cuda or cuda:N"),
}


def _add_command(commands, name: str, summary: str, description: str, example: str):
    return commands.add_parser(
        name,
        help=summary,
        description=description,
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _add_fit(commands) -> None:
    fit = _add_command(
        commands,
        "fit",
        "fit a model on a table and save it",
        "Fit a VAEAugmenter on a CSV or Parquet table and save the model. Parquet data\n"
        "(a file, or a folder of files) is streamed from disk, so it may be larger than\n"
        "memory.",
        "vae-augment fit penguins.csv --target species -o penguins.vae",
    )
    fit.add_argument(
        "data",
        metavar="DATA",
        type=_training_data,
        help=".csv, .parquet, or a folder of .parquet files",
    )
    fit.add_argument(
        "--target",
        metavar="COL",
        help="column to condition on (class labels) or to model jointly (numbers); see "
        "--target-type",
    )
    fit.add_argument(
        "-o",
        "--output",
        metavar="MODEL",
        type=_model_path,
        required=True,
        help="model file (not a .csv, .parquet or .pq name)",
    )
    for name, (kind, metavar, text) in _MODEL_OPTIONS.items():
        default = _DEFAULTS[name]
        shown = ",".join(map(str, default)) if isinstance(default, tuple) else default
        fit.add_argument(
            f"--{name.replace('_', '-')}",
            type=kind,
            metavar=metavar,
            default=default,
            choices=["auto", "classes", "continuous"] if name == "target_type" else None,
            help=f"{text} (default: {shown})",
        )
    fit.add_argument(
        "--seed",
        type=int,
        default=None,
        help="random seed (default: a fresh model each run)",
    )
    fit.add_argument("--quiet", action="store_true", help="no progress bar")
    fit.set_defaults(run=_fit)


def _add_sample(commands) -> None:
    sample = _add_command(
        commands,
        "sample",
        "generate synthetic rows from a saved model",
        "Generate synthetic rows. The target column is written under its name, after\n"
        "the other columns.",
        "vae-augment sample penguins.vae -o synthetic.csv --class Chinstrap=500 "
        "--class Gentoo=500",
    )
    sample.add_argument("model", metavar="MODEL", help="model file written by fit")
    sample.add_argument(
        "-n",
        type=_positive_int,
        metavar="N",
        help="number of rows (default: the sum of the --class counts)",
    )
    sample.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        type=_table_path,
        required=True,
        help=".csv or .parquet",
    )
    sample.add_argument(
        "--class",
        dest="classes",
        metavar="LABEL=COUNT",
        type=_class_count,
        action="append",
        help="rows of one class (repeat for several classes)",
    )
    sample.add_argument(
        "--seed",
        type=int,
        default=None,
        help="random seed (default: the fit's --seed, so repeated runs give the same rows)",
    )
    sample.set_defaults(run=_sample)


def _add_denoise(commands) -> None:
    denoise = _add_command(
        commands,
        "denoise",
        "reconstruct rows: denoise them and fill in missing values",
        "Reconstruct every row of DATA with a saved model: denoised values, missing cells\n"
        "filled in. Columns the model was not fitted on (a target, an id) pass through.",
        "vae-augment denoise penguins.vae penguins.csv -o clean.csv",
    )
    denoise.add_argument("model", metavar="MODEL", help="model file written by fit")
    denoise.add_argument("data", metavar="DATA", type=_table_path, help=".csv or .parquet")
    denoise.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        type=_table_path,
        required=True,
        help=".csv or .parquet",
    )
    denoise.set_defaults(run=_denoise)


def _add_report(commands) -> None:
    report = _add_command(
        commands,
        "report",
        "compare synthetic rows with real ones: scores and plots",
        "Write quality.json, quality.txt, marginals.png and associations.png (plus\n"
        "training_curves.png and latent.png with --model) to DIR.\n"
        "Needs matplotlib: pip install 'vae-augment[plots]'.",
        "vae-augment report penguins.csv synthetic.csv -o report "
        "--model penguins.vae --target species",
    )
    report.add_argument("real", metavar="REAL", type=_table_path, help=".csv or .parquet")
    report.add_argument(
        "synthetic", metavar="SYNTHETIC", type=_table_path, help=".csv or .parquet"
    )
    report.add_argument(
        "-o", "--output", metavar="DIR", required=True, help="output folder"
    )
    report.add_argument("--model", metavar="MODEL", help="also plot this model's training")
    report.add_argument(
        "--target",
        metavar="COL",
        help="with --model: colour the latent view by COL (a conditional model encodes "
        "the rows under their class in COL when COL holds its classes, else under their "
        "most probable class)",
    )
    report.set_defaults(run=_report)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``vae-augment`` command."""
    parser = _Parser(prog=_PROG, description="Variational-autoencoder data augmentation.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_fit(commands)
    _add_sample(commands)
    _add_denoise(commands)
    _add_report(commands)
    demo = commands.add_parser(
        "demo", help="fit on the embedded Palmer penguins table and write synthetic rows"
    )
    demo.add_argument("--output", "-o", default="demo-output", help="output folder")
    demo.add_argument(
        "--n-samples", "-n", type=_positive_int, default=1000, help="rows to generate"
    )
    demo.add_argument("--seed", type=int, default=0, help="random seed")
    demo.set_defaults(run=_demo)
    return parser


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    print(f"{_PROG}: warning: {_one_line(message)}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    Parameters
    ----------
    argv : list of str, default=None
        The arguments (``sys.argv[1:]`` when None).

    Returns
    -------
    int
        0 on success, 1 for bad input or a failed step (one line on stderr), 2 for a
        wrong command line, 130 when interrupted.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    prog = f"{_PROG} {args.command}"
    with warnings.catch_warnings():
        warnings.showwarning = _show_warning
        try:
            return args.run(args)
        except _UserError as error:
            print(f"{prog}: error: {error} (see {prog} --help)", file=sys.stderr)
        except _USER_ERRORS as error:
            print(f"{prog}: error: {_one_line(error)}", file=sys.stderr)
        except KeyboardInterrupt:
            print(f"{prog}: interrupted", file=sys.stderr)
            return _EXIT_INTERRUPTED
    return _EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
