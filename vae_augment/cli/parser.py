"""The argument parser of ``vae-augment``: its commands, options, help and examples."""

from __future__ import annotations

import argparse

from .._version import __version__
from ..estimators.augmenter import VAEAugmenter
from ..table.io import DEFAULT_ENCODING
from . import commands as actions
from . import reporting
from .arguments import (
    MODEL_OPTIONS,
    PROG,
    class_count,
    column_dtype,
    given_pair,
    model_path,
    positive_int,
    seed,
    separator,
    table_path,
    text_encoding,
    training_data,
)

_DEFAULTS = VAEAugmenter().get_params()
#: What a table argument takes.
_TABLE = ".csv, .tsv, .csv.gz, .tsv.gz or .parquet"
_INPUT = f"{_TABLE}, or - for CSV on standard input"
_OUTPUT = f"{_TABLE}, or - for CSV on standard output"
#: The arguments that name a table to read: standard input can be only one of them.
TABLE_INPUTS = ("data", "real", "synthetic", "given_file")


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (the usage is one --help away)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


class _HelpFormatter(
    argparse.RawDescriptionHelpFormatter, argparse.ArgumentDefaultsHelpFormatter
):
    """Descriptions and examples as written; each option's default after its help,
    unless it has none (None) or is a switch that is off (False)."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if action.default is None or action.default is False:
            return action.help
        return super()._get_help_string(action)


def _add_command(commands, name: str, summary: str, description: str, example: str):
    return commands.add_parser(
        name,
        help=summary,
        description=description,
        epilog=f"example:\n  {example}",
        formatter_class=_HelpFormatter,
    )


def _add_text_options(command) -> None:
    """``--sep`` and ``--encoding``, for the delimited text a command reads and writes."""
    command.add_argument(
        "--sep",
        type=separator,
        metavar="CHAR",
        help="field separator of delimited-text tables ('\\t' or 'tab' for a tab; "
        "default: a comma, or a tab for .tsv names)",
    )
    command.add_argument(
        "--encoding",
        type=text_encoding,
        metavar="NAME",
        default=DEFAULT_ENCODING,
        help="text encoding of delimited-text tables (e.g. latin-1, cp1252)",
    )


def _add_fit(commands) -> None:
    fit = _add_command(
        commands,
        "fit",
        "fit a model on a table and save it",
        "Fit a VAEAugmenter on a table and save the model, with the order of the\n"
        "table's columns (sample writes its rows in that order). Parquet data (a file,\n"
        "or a folder of files) is streamed from disk, so it may be larger than memory.",
        "vae-augment fit penguins.csv --target species -o penguins.vae",
    )
    fit.add_argument(
        "data",
        metavar="DATA",
        type=training_data,
        help=f"a table ({_INPUT}) or a folder of .parquet files",
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
        type=model_path,
        required=True,
        help="model file (not a table's name)",
    )
    for name, (kind, metavar, text) in MODEL_OPTIONS.items():
        default = _DEFAULTS[name]
        fit.add_argument(
            f"--{name.replace('_', '-')}",
            type=kind,
            metavar=metavar,
            # A tuple as typed on the command line (argparse passes a text default
            # through the type).
            default=",".join(map(str, default)) if isinstance(default, tuple) else default,
            choices=["auto", "classes", "continuous"] if name == "target_type" else None,
            help=text,
        )
    fit.add_argument(
        "--no-target-head",
        dest="target_head",
        action="store_false",
        help="generate a numeric --target from the decoder, not from a model of it "
        "given each generated row's other columns, and keep the decoder's rows of a "
        "class as they are, not only those a model of the class given the other "
        "columns accepts (the default)",
    )
    fit.add_argument(
        "--seed",
        type=seed,
        default=None,
        help="random seed (default: a fresh model each run)",
    )
    fit.add_argument(
        "--dtype",
        type=column_dtype,
        action="append",
        default=[],
        metavar="COL=KIND",
        help="read or model column COL as KIND: text, integer, float, datetime (how "
        "the table is read), categorical or key (how it is modelled); repeatable. "
        "Whole numbers with leading zeros (zip codes) are read as text anyway",
    )
    fit.add_argument("--quiet", action="store_true", help="no progress bar")
    _add_text_options(fit)
    fit.set_defaults(run=actions.fit)


def _add_sample(commands) -> None:
    sample = _add_command(
        commands,
        "sample",
        "generate synthetic rows from a saved model",
        "Generate synthetic rows. The columns come in the order of fit's table, the\n"
        "target column (if fit had one) under its name, in its place. Rows are written\n"
        "a hundred thousand at a time: memory stays flat however many are asked for.",
        "vae-augment sample penguins.vae -o synthetic.csv --class Chinstrap=500 "
        "--class Gentoo=500",
    )
    sample.add_argument("model", metavar="MODEL", help="model file written by fit")
    sample.add_argument(
        "-n",
        type=positive_int,
        metavar="N",
        help="number of rows (default: the sum of the --class counts, or the rows of "
        "--given-file)",
    )
    sample.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        type=table_path,
        required=True,
        help=_OUTPUT,
    )
    sample.add_argument(
        "--class",
        dest="classes",
        metavar="LABEL=COUNT",
        type=class_count,
        action="append",
        help="rows of one class (repeat for several classes)",
    )
    sample.add_argument(
        "--given",
        metavar="COLUMN=VALUE",
        type=given_pair,
        action="append",
        help="fix a column's value in every row; the other columns follow it (repeat "
        "for several columns)",
    )
    sample.add_argument(
        "--given-file",
        metavar="ROWS",
        type=table_path,
        help=f"a table ({_INPUT}) with some of the columns and one row per row to "
        "generate (empty cells are free); -n defaults to its length",
    )
    sample.add_argument(
        "--seed",
        type=seed,
        default=None,
        help="random seed (default: the fit's --seed, so repeated runs give the same rows)",
    )
    _add_text_options(sample)
    sample.set_defaults(run=actions.sample)


def _add_model_data_output(command) -> None:
    """The MODEL DATA -o OUT arguments of the commands that rewrite a table."""
    command.add_argument("model", metavar="MODEL", help="model file written by fit")
    command.add_argument("data", metavar="DATA", type=table_path, help=_INPUT)
    command.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        type=table_path,
        required=True,
        help=_OUTPUT,
    )
    _add_text_options(command)


def _add_denoise(commands) -> None:
    denoise = _add_command(
        commands,
        "denoise",
        "reconstruct rows: denoise them and fill in missing values",
        "Reconstruct every row of DATA with a saved model: denoised values, missing cells\n"
        "filled in. Columns the model was not fitted on (a target, an id) pass through.",
        "vae-augment denoise penguins.vae penguins.csv -o clean.csv",
    )
    _add_model_data_output(denoise)
    denoise.set_defaults(run=actions.denoise)


def _add_impute(commands) -> None:
    impute = _add_command(
        commands,
        "impute",
        "fill in missing cells, leaving observed cells as they are",
        "Fill in every missing cell of DATA with a saved model, given the row's observed\n"
        "cells; observed cells are written unchanged (denoise, in contrast, rewrites\n"
        "every cell). Columns the model was not fitted on pass through.",
        "vae-augment impute penguins.vae penguins.csv -o complete.csv",
    )
    _add_model_data_output(impute)
    impute.add_argument(
        "--draw",
        action="store_true",
        help="draw each fill from the model's distribution given the observed cells "
        "(default: the point fill of transform); vary --seed for multiple imputation",
    )
    impute.add_argument("--seed", type=seed, default=None, help="random seed of --draw")
    impute.set_defaults(run=actions.impute)


def _add_report(commands) -> None:
    report = _add_command(
        commands,
        "report",
        "compare synthetic rows with real ones: scores and plots",
        "Write quality.json, quality.txt, marginals.png, associations.png and report.html\n"
        "(plus training_curves.png and latent.png with --model) to DIR. The scores:\n"
        "SDMetrics' column shapes and pair trends, detection AUC, copies, and with\n"
        "--holdout the same for held-out real rows (the ceiling) and the DCR ratio.\n"
        "Needs matplotlib: pip install 'vae-augment[plots]'.",
        "vae-augment report train.csv synthetic.csv --holdout test.csv -o report "
        "--model penguins.vae --target species",
    )
    report.add_argument("real", metavar="REAL", type=table_path, help=_INPUT)
    report.add_argument("synthetic", metavar="SYNTHETIC", type=table_path, help=_INPUT)
    report.add_argument(
        "-o", "--output", metavar="DIR", required=True, help="output folder"
    )
    report.add_argument(
        "--holdout",
        metavar="HOLDOUT",
        type=table_path,
        help="real rows the model did not see, scored like SYNTHETIC as the ceiling to "
        f"compare with: {_INPUT}",
    )
    report.add_argument("--model", metavar="MODEL", help="also plot this model's training")
    report.add_argument(
        "--target",
        metavar="COL",
        help="score a model trained on SYNTHETIC at predicting COL in real rows (TSTR); "
        "with --model also colour the latent view by COL (a conditional model encodes "
        "the rows under their class in COL when COL holds its classes, else under their "
        "most probable class)",
    )
    _add_text_options(report)
    report.add_argument(
        "--html",
        metavar="PATH",
        help="write the HTML page there (default: DIR/report.html)",
    )
    report.add_argument(
        "--seed",
        type=seed,
        default=0,
        help="random seed of the scores' subsets, folds and models",
    )
    report.set_defaults(run=reporting.report)


def _add_demo(commands) -> None:
    demo = _add_command(
        commands,
        "demo",
        "fit on the embedded Palmer penguins table and write synthetic rows",
        "Fit a VAEAugmenter on the Palmer penguins table that comes with the package\n"
        "(conditional on species), write synthetic rows to DIR/synthetic.csv and a\n"
        "real-vs-synthetic summary (quality scores, species counts) to DIR/summary.txt.",
        "vae-augment demo -o demo-output -n 500",
    )
    demo.add_argument(
        "--output", "-o", metavar="DIR", default="demo-output", help="output folder"
    )
    demo.add_argument(
        "--n-samples",
        "-n",
        type=positive_int,
        metavar="N",
        default=1000,
        help="rows to generate",
    )
    demo.add_argument("--seed", type=seed, default=0, help="random seed")
    demo.set_defaults(run=reporting.demo)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``vae-augment`` command."""
    parser = _Parser(prog=PROG, description="Variational-autoencoder data augmentation.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_fit(commands)
    _add_sample(commands)
    _add_denoise(commands)
    _add_impute(commands)
    _add_report(commands)
    _add_demo(commands)
    return parser
