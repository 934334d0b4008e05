"""A small training set: tune augmentation and classifier together with GridSearchCV.

200 rows of sklearn's breast-cancer table are the training set, the other 369 the test
set. ``AugmentedEstimator`` adds VAE-generated rows inside ``fit``; ``GridSearchCV``
tunes the amount of augmentation (``n_synthetic``, 0 included), the VAE's latent size
and the classifier's regularisation at once. The fit inside each inner fold only sees
that fold's training rows.

Run: ``python examples/small_training_set.py``. ``VAE_AUGMENT_FAST=1`` runs a quick
smoke version.
"""

import os

from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from vae_augment import AugmentedEstimator, VAEAugmenter

FAST = os.environ.get("VAE_AUGMENT_FAST") == "1"

X, y = load_breast_cancer(return_X_y=True, as_frame=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, train_size=200, stratify=y, random_state=0
)
classifier = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
model = AugmentedEstimator(
    classifier, VAEAugmenter(max_epochs=5 if FAST else 300), random_state=0
)
grid = {
    "n_synthetic": [0.0, 1.0] if FAST else [0.0, 0.5, 1.0, 2.0],
    "augmenter__latent_dim": [16] if FAST else [8, 16],
    "estimator__logisticregression__C": [0.1, 1.0],
}
search = GridSearchCV(model, grid, cv=3, n_jobs=1).fit(X_train, y_train)
print("best parameters:", search.best_params_)
print(f"cross-validated accuracy {search.best_score_:.3f}")
print(f"test accuracy            {search.score(X_test, y_test):.3f}")
plain = classifier.fit(X_train, y_train)
print(f"test accuracy, no augmentation, C=1: {plain.score(X_test, y_test):.3f}")
