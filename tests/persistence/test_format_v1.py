"""Model files written by vae_augment 0.1.0 (format 1) load and give the same rows.

The files and the rows they gave were written at commit ff3b28b by
``tests/data/model_format_v1/make_fixtures.py``, before the package's modules moved.
The ``*_transform`` files were rewritten from the same model files when ``transform``
began to decode a numeric cell's mean in the column's units instead of its median (a
documented change of what ``transform`` returns), the ``*_sample*`` files when ``sample``
began to draw mixture components and levels by one faster mechanism
(``tests/persistence/data/rewrite_drawn_rows.py``, a documented change of the rows a
seed gives); scores are as written.
"""

import hashlib
import json
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from vae_augment import ModelFileError, VAEAugmenter, load

#: Written rows come back to float32 precision: other builds of numpy and torch (BLAS
#: kernels, summation order) move the last bits, and a value rounded to cents may
#: round the other way; any real change of the model moves them by far more.
CLOSE = {"rtol": 1e-5, "atol": 0.011}

FIXTURES = Path(__file__).resolve().parent / "data" / "model_format_v1"


def _same_rows(actual: pd.DataFrame, expected: pd.DataFrame) -> None:
    # Parquet gives the text columns back as pandas' default string dtype.
    pd.testing.assert_frame_equal(
        actual.reset_index(drop=True),
        expected.reset_index(drop=True),
        check_dtype=False,
        check_categorical=False,
        check_exact=False,
        **CLOSE,
    )


@pytest.fixture(scope="module")
def training_rows():
    return pd.read_parquet(FIXTURES / "mixed_X.parquet")


def test_conditional_model_samples_transforms_and_scores_as_written(training_rows):
    model = load(FIXTURES / "conditional.vae")
    assert isinstance(model, VAEAugmenter)
    assert model.classes_.tolist() == ["bad", "good"]
    X_new, y_new = model.sample(40, random_state=0)
    expected = pd.read_parquet(FIXTURES / "conditional_sample.parquet")
    _same_rows(X_new.assign(risk=y_new), expected)
    assert X_new.dtypes.to_dict() == training_rows.dtypes.to_dict()
    X_classes, _ = model.sample(y={"bad": 5, "good": 3}, random_state=1)
    _same_rows(X_classes, pd.read_parquet(FIXTURES / "conditional_sample_classes.parquet"))
    _same_rows(
        model.transform(training_rows.iloc[:30]),
        pd.read_parquet(FIXTURES / "conditional_transform.parquet"),
    )
    np.testing.assert_allclose(
        model.score_samples(training_rows.iloc[:30]),
        np.load(FIXTURES / "conditional_scores.npy"),
        **CLOSE,
    )


def test_regression_model_samples_transforms_and_scores_as_written():
    model = load(FIXTURES / "regression.vae")
    # written before target heads: the decoder generates the target, as then
    assert model.target_head is False and not model.model_.module.has_target_head
    assert model.target_dropout == 1.0  # written before it existed: the encoder was blind
    X = np.load(FIXTURES / "regression_X.npy")
    X_new, y_new = model.sample(40, random_state=0)
    np.testing.assert_allclose(
        X_new, np.load(FIXTURES / "regression_sample_X.npy"), **CLOSE
    )
    np.testing.assert_allclose(
        y_new, np.load(FIXTURES / "regression_sample_y.npy"), **CLOSE
    )
    np.testing.assert_allclose(
        model.transform(X[:30]), np.load(FIXTURES / "regression_transform.npy"), **CLOSE
    )
    np.testing.assert_allclose(
        model.score_samples(X[:30]), np.load(FIXTURES / "regression_scores.npy"), **CLOSE
    )


def _crafted_v1(tmp_path, edit):
    """The format-1 conditional model with its estimator document edited."""
    with zipfile.ZipFile(FIXTURES / "conditional.vae") as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    document = json.loads(members["estimator.json"])
    edit(document)
    members["estimator.json"] = json.dumps(document).encode()
    manifest = json.loads(members["manifest.json"])
    manifest["sha256"]["estimator.json"] = hashlib.sha256(
        members["estimator.json"]
    ).hexdigest()
    members["manifest.json"] = json.dumps(manifest).encode()
    path = tmp_path / "crafted.vae"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["state"].update(n_features_in_=9), "n_features_in_ does not match"),
        (lambda d: d["state"].update(n_iter_=1), "n_iter_ does not match"),
        (lambda d: d["state"].pop("_layout"), r"lacks \['_layout'\]"),
        (lambda d: d["params"].update(latent_dim=0), "latent_dim is 0"),
    ],
    ids=["n_features_in_", "n_iter_", "missing-layout", "latent_dim"],
)
def test_inconsistent_format_1_files_are_refused(tmp_path, edit, message):
    with pytest.raises(ModelFileError, match=message):
        load(_crafted_v1(tmp_path, edit))
