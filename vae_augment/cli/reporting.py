"""The ``report`` and ``demo`` commands: how synthetic rows compare with real ones."""

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
from .arguments import UserError
from .model_input import model_input
from .tables import read_input, text_columns_of


def _quality_lines(report: QualityReport) -> list[str]:
    return [
        str(report),
        "",
        "per column (score: 1 = same distribution)",
        report.columns.to_string(index=False, float_format=lambda v: f"{v:.3f}"),
    ]


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
        _, X_real = model_input(augmenter, real, args.real)

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
