"""Imputing missing values in a mixed table, compared with KNNImputer and IterativeImputer.

From the Palmer penguins, 20 % of the observed cells of the four body measurements and
of ``species``, ``island`` and ``sex`` are removed at random (``year`` stays complete).
Each imputer gets the table with holes and fills them in; the removed values are the
answer key:

* numeric columns: RMSE on the removed cells, in the column's units, and the mean over
  columns of RMSE / column standard deviation ("std. RMSE", 1.0 = as bad as guessing
  a typical value);
* categorical columns: accuracy on the removed cells.

``VAEImputer`` is fitted on the table with holes (its VAE models missing cells rather
than needing them filled) and fills in only the missing cells. Its slower settings for
this job, as in ``denoising_images.py``:

* ``input_dropout=0.2`` hides a further fraction of observed cells from the encoder
  during training, which is what teaches it to infer one column from the others;
* ``learning_rate=1e-3, n_iter_no_change=50``: reconstructions keep improving after the
  defaults' early stopping has ended training, so a smaller step and more patience train
  longer.

The row "VAEImputer (defaults)" shows the default settings, for comparison.
scikit-learn's imputers work on numbers only: numbers are standardised, each
categorical becomes indicator columns (all missing where the category is), and the
imputed category is the one whose imputed indicator is largest (for ``KNNImputer``: the
neighbours' majority vote).

Run: ``python examples/imputation.py``. ``VAE_AUGMENT_FAST=1`` runs a quick smoke
version.
"""

import os

import numpy as np
import pandas as pd
from sklearn.experimental import enable_iterative_imputer  # noqa: F401
from sklearn.impute import IterativeImputer, KNNImputer

from vae_augment import VAEAugmenter, VAEImputer, load_penguins

FAST = os.environ.get("VAE_AUGMENT_FAST") == "1"
MISSING_RATE = 0.2
N_REPEATS = 1 if FAST else 5

penguins = load_penguins()
numeric = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
categorical = ["species", "island", "sex"]


def remove_at_random(table: pd.DataFrame, seed: int) -> pd.DataFrame:
    """``table`` with each cell of the numeric and categorical columns removed with
    probability MISSING_RATE."""
    holes = table.copy()
    rng = np.random.default_rng(seed)
    for column in numeric + categorical:
        drop = rng.random(len(table)) < MISSING_RATE
        holes.loc[drop, column] = np.nan
    return holes


def sklearn_impute(imputer, holes: pd.DataFrame) -> pd.DataFrame:
    """Impute a mixed table with a numeric-only scikit-learn imputer (see docstring)."""
    numbers = holes[[*numeric, "year"]]
    mean, std = numbers.mean(), numbers.std()
    parts, groups = [(numbers - mean) / std], {}
    for column in categorical:
        levels = holes[column].cat.categories
        # Drop the first level's indicator: with all of them, IterativeImputer predicts
        # each from the others exactly and never leaves its initial (mean) guess.
        indicators = pd.get_dummies(holes[column], dtype=float).iloc[:, 1:]
        indicators[holes[column].isna().to_numpy()] = np.nan
        groups[column] = (levels, indicators.columns)
        parts.append(indicators.add_prefix(f"{column}="))
    design = pd.concat(parts, axis=1)
    filled = pd.DataFrame(
        imputer.fit_transform(design), columns=design.columns, index=holes.index
    )
    out = holes.copy()
    out[numbers.columns] = filled[numbers.columns] * std + mean
    for column, (levels, others) in groups.items():
        score = filled[[f"{column}={level}" for level in others]].to_numpy()
        score = np.column_stack([1.0 - score.sum(axis=1), score])
        guess = pd.Series(levels[score.argmax(axis=1)], index=holes.index)
        out[column] = out[column].fillna(guess.astype(holes[column].dtype))
    return out


def vae_impute(holes: pd.DataFrame, **settings) -> pd.DataFrame:
    """VAEImputer fitted on the table with holes: only the missing cells change."""
    augmenter = VAEAugmenter(max_epochs=5 if FAST else 300, random_state=0, **settings)
    return VAEImputer(augmenter).fit(holes).transform(holes)


def scores(truth: pd.DataFrame, holes: pd.DataFrame, filled: pd.DataFrame) -> dict:
    """RMSE per numeric column, mean standardised RMSE, accuracy per categorical."""
    result, standardised = {}, []
    for column in numeric:
        removed = holes[column].isna() & truth[column].notna()
        error = filled.loc[removed, column] - truth.loc[removed, column]
        result[column] = float(np.sqrt((error**2).mean()))
        standardised.append(result[column] / truth[column].std())
    result["std. RMSE"] = float(np.mean(standardised))
    for column in categorical:
        removed = holes[column].isna() & truth[column].notna()
        hits = (
            filled.loc[removed, column].to_numpy() == truth.loc[removed, column].to_numpy()
        )
        result[f"{column} acc."] = float(hits.mean())
    return result


imputers = {
    "VAEImputer (slower training)": lambda holes: vae_impute(
        holes, input_dropout=0.2, learning_rate=1e-3, n_iter_no_change=50
    ),
    "VAEImputer (defaults)": vae_impute,
    "KNNImputer": lambda holes: sklearn_impute(KNNImputer(n_neighbors=5), holes),
    "IterativeImputer": lambda holes: sklearn_impute(
        IterativeImputer(max_iter=100, random_state=0), holes
    ),
}
results = {name: [] for name in imputers}
for repeat in range(N_REPEATS):
    holes = remove_at_random(penguins, seed=repeat)
    for name, impute in imputers.items():
        results[name].append(scores(penguins, holes, impute(holes)))

print(
    f"{len(penguins)} penguins, {MISSING_RATE:.0%} of cells removed at random, "
    f"mean over {N_REPEATS} draw(s) of the holes"
)
table = pd.DataFrame({name: pd.DataFrame(rows).mean() for name, rows in results.items()}).T
with pd.option_context("display.width", 200, "display.precision", 3):
    print(table.to_string())
