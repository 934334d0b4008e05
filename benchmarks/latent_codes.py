"""Latent codes as features: a classifier on VAE codes against one on PCA codes.

scikit-learn's digits (8x8 images, 1,797 rows), 70/30 split (seed 0). For each code
size, ``VAEEncoder`` (default settings with ``latent_dim`` set, the digit not shown to
it; also slower, longer training, and with ``beta=0.3``) and ``PCA`` are fitted on the
training images, and a logistic regression on their codes is scored (accuracy) on the
held-out images.

Run: ``.venv/bin/python benchmarks/latent_codes.py``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from vae_augment import VAEAugmenter, VAEEncoder


def main() -> None:
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, random_state=0, stratify=y
    )
    rows = []
    for size in (2, 4, 8, 16):
        scores = {}
        slow = {"learning_rate": 1e-3, "n_iter_no_change": 50}
        for name, step in (
            ("VAEEncoder", VAEEncoder(VAEAugmenter(latent_dim=size), random_state=0)),
            (
                "VAEEncoder (slower)",
                VAEEncoder(VAEAugmenter(latent_dim=size, **slow), random_state=0),
            ),
            (
                "VAEEncoder (slower, beta=0.3)",
                VAEEncoder(VAEAugmenter(latent_dim=size, beta=0.3, **slow), random_state=0),
            ),
            ("PCA", PCA(n_components=size, random_state=0)),
        ):
            model = make_pipeline(
                step, StandardScaler(), LogisticRegression(max_iter=2000)
            ).fit(X_train, y_train)
            scores[name] = model.score(X_test, y_test)
        rows.append({"size": size, **scores})
        print(json.dumps(rows[-1]), file=sys.stderr)
    names = [name for name in rows[0] if name != "size"]
    print("| code size | " + " | ".join(names) + " |\n|---|" + "---|" * len(names))
    for row in rows:
        print(f"| {row['size']} | " + " | ".join(f"{row[n]:.3f}" for n in names) + " |")


if __name__ == "__main__":
    main()
