"""Plots render to PNG and show what they claim: a panel per column, a colour per class."""

import sys

import matplotlib
import numpy as np
import pandas as pd
import pytest
from helpers import FAST
from matplotlib.colors import to_hex

from vae_augment import (
    VAEAugmenter,
    plot_association_difference,
    plot_latent,
    plot_marginals,
    plot_training_curves,
    quality_report,
)

matplotlib.use("Agg")
import matplotlib.pyplot as plt


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def synthetic(fitted):
    X_new, _ = fitted.sample(300)
    return X_new


def render(fig, tmp_path, name="plot.png"):
    path = tmp_path / name
    fig.savefig(path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return path


def test_training_curves_show_both_losses_and_the_kept_epoch(fitted, tmp_path):
    fig = plot_training_curves(fitted)
    render(fig, tmp_path)
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert list(lines) == ["training", "validation", f"best epoch ({fitted.best_epoch_})"]
    assert len(lines["training"].get_xdata()) == fitted.n_iter_
    np.testing.assert_allclose(
        lines["validation"].get_ydata(), fitted.validation_loss_curve_
    )
    assert lines[f"best epoch ({fitted.best_epoch_})"].get_xdata()[0] == fitted.best_epoch_


def test_training_curves_need_a_fitted_augmenter():
    with pytest.raises(Exception, match="not fitted"):
        plot_training_curves(VAEAugmenter())


def test_marginals_draw_one_panel_per_column(mixed, synthetic, tmp_path):
    X, _ = mixed
    fig = plot_marginals(X, synthetic, ncols=3)
    render(fig, tmp_path)
    assert [ax.get_title() for ax in fig.axes] == list(X.columns)
    assert fig.axes[0].get_gridspec().get_geometry() == (3, 3)


def test_marginals_show_levels_missing_values_and_rates(mixed, synthetic, tmp_path):
    X, _ = mixed
    fig = plot_marginals(X, synthetic, columns=["plan", "income", "joined"])
    render(fig, tmp_path)
    plan, income, joined = fig.axes
    levels = [tick.get_text() for tick in plan.get_yticklabels()]
    assert set(levels) == {"basic", "plus", "pro", "(missing)"}
    legend = [text.get_text() for text in income.get_legend().get_texts()]
    assert legend[0] == f"real ({X['income'].isna().mean():.1%} missing)"
    assert legend[1].startswith("synthetic")
    assert "2020" in " ".join(tick.get_text() for tick in joined.get_xticklabels())


def test_marginals_sum_rare_levels():
    real = pd.DataFrame({"c": [f"level{k}" for k in range(40)]})
    fig = plot_marginals(real, real)
    assert fig.axes[0].get_yticklabels()[-1].get_text() == "(other)"
    assert len(fig.axes[0].get_yticklabels()) == 15


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"columns": ["income", "nope"]}, "'nope' is not a column of real"),
        ({"ncols": 0}, "ncols must be a positive integer"),
        ({"columns": []}, "columns is empty"),
    ],
)
def test_marginals_reject_bad_arguments(mixed, synthetic, kwargs, match):
    X, _ = mixed
    with pytest.raises(ValueError, match=match):
        plot_marginals(X, synthetic, **kwargs)


def test_association_difference_has_one_scale_per_kind_of_score(mixed, synthetic, tmp_path):
    X, _ = mixed
    fig = plot_association_difference(X, synthetic)
    render(fig, tmp_path)
    heat, *colour_bars = fig.axes
    correlation, contingency = (image.get_array() for image in heat.get_images())
    assert correlation.shape == contingency.shape == (X.shape[1], X.shape[1])
    # Each pair is on exactly one of the two scales; the diagonal on none.
    assert (correlation.mask ^ contingency.mask).sum() == X.shape[1] * (X.shape[1] - 1)
    assert (correlation.mask & contingency.mask).diagonal().all()
    labels = [bar.get_ylabel() for bar in colour_bars]
    assert labels == [
        "correlations: |r real - r synthetic| / 2",
        "contingency tables: total variation",
    ]
    pairs = quality_report(X, synthetic, random_state=0).pairs
    names = list(X.columns)
    for pair in pairs.itertuples():
        i, j = names.index(pair.column_a), names.index(pair.column_b)
        cells = correlation if pair.metric == "CorrelationSimilarity" else contingency
        assert cells[i, j] == cells[j, i] == pytest.approx(1 - pair.score)


def test_association_difference_of_a_table_with_itself_is_zero(mixed):
    X, _ = mixed
    images = plot_association_difference(X, X).axes[0].get_images()
    assert max(image.get_array().max() for image in images) == pytest.approx(0.0)


def test_latent_view_has_a_colour_per_class(fitted, mixed, tmp_path):
    X, y = mixed
    fig = plot_latent(fitted, X, y)
    render(fig, tmp_path)
    ax = fig.axes[0]
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["good", "bad"]
    colours = {to_hex(dots.get_facecolor()[0]) for dots in ax.collections}
    assert len(colours) == 2
    assert [len(dots.get_offsets()) for dots in ax.collections] == [
        int((y == "good").sum()),
        int((y == "bad").sum()),
    ]
    assert ax.get_xlabel().startswith("PC 1")  # latent_dim 8 is projected to 2-D


def test_latent_view_of_a_two_dimensional_code_and_a_continuous_target(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 3))
    target = X[:, 0] + rng.normal(scale=0.1, size=120)
    aug = VAEAugmenter(**{**FAST, "latent_dim": 2, "max_epochs": 5}).fit(X, target)
    fig = plot_latent(aug, X, target)
    render(fig, tmp_path)
    assert (fig.axes[0].get_xlabel(), fig.axes[0].get_ylabel()) == ("z1", "z2")
    assert fig.axes[1].get_ylabel() == "target"  # a colour bar, not a legend


def test_latent_view_of_a_conditional_model_coloured_by_another_column(fitted, mixed):
    X, _ = mixed
    income = X["income"].fillna(X["income"].median())  # not the model's classes
    fig = plot_latent(fitted, X, income)
    uncoloured = plot_latent(fitted, X).axes[0].collections[0].get_offsets()
    # Rows are encoded under their most probable class, as without y: y only colours.
    np.testing.assert_allclose(fig.axes[0].collections[0].get_offsets(), uncoloured)
    assert fig.axes[1].get_ylabel() == "target"


def test_latent_view_colours_by_labels_the_model_does_not_know(fitted, mixed):
    X, y = mixed
    fig = plot_latent(fitted, X, y.replace("bad", "ugly"))
    legend = [text.get_text() for text in fig.axes[0].get_legend().get_texts()]
    assert legend == ["good", "ugly"]


def test_latent_view_rejects_a_y_of_another_length(fitted, mixed):
    X, y = mixed
    with pytest.raises(ValueError, match="y has 10 values but X has"):
        plot_latent(fitted, X, y.replace("bad", "ugly")[:10])


def test_missing_matplotlib_names_the_extra(monkeypatch, fitted):
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r'pip install "vae-augment\[plots\]"'):
        plot_training_curves(fitted)
