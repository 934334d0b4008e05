"""Rewrite the drawn rows of the stored model files, from the same files.

For a documented change of how ``sample`` draws (the model files themselves, their
transforms and scores stay as written). Run it from the repository root::

    python tests/persistence/data/rewrite_drawn_rows.py
"""

import pickle
from pathlib import Path

import numpy as np
import torch

from vae_augment import load

HERE = Path(__file__).resolve().parent


def main() -> None:
    torch.set_num_threads(1)  # as the test suite runs
    v1, v2 = HERE / "model_format_v1", HERE / "model_format_v2"

    conditional = load(v1 / "conditional.vae")
    X_new, y_new = conditional.sample(40, random_state=0)
    X_new.assign(risk=y_new).to_parquet(v1 / "conditional_sample.parquet")
    X_cls, _ = conditional.sample(y={"bad": 5, "good": 3}, random_state=1)
    X_cls.to_parquet(v1 / "conditional_sample_classes.parquet")
    regression = load(v1 / "regression.vae")
    X_new, y_new = regression.sample(40, random_state=0)
    np.save(v1 / "regression_sample_X.npy", X_new)
    np.save(v1 / "regression_sample_y.npy", y_new)

    conditional = load(v2 / "conditional.vae")
    from_pickle = pickle.loads((v2 / "conditional.pkl").read_bytes())
    X_new, y_new = conditional.sample(40, random_state=0)
    assert X_new.equals(from_pickle.sample(40, random_state=0)[0])
    X_new.assign(risk=y_new).to_parquet(v2 / "conditional_sample.parquet")
    np.save(v2 / "array_sample.npy", load(v2 / "array.vae").sample(40, random_state=0)[0])


if __name__ == "__main__":
    main()
