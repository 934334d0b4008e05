"""Model files and pickles written before polars tables were remembered (format 2) load
and give the same rows.

The files and the rows they gave were written at commit 3f6d4f9 by
``tests/persistence/data/model_format_v2/make_v2_fixtures.py``. ``conditional_transform``
was rewritten from the same model file when ``transform`` began to decode a numeric
cell's mean in the column's units instead of its median (a documented change of what
``transform`` returns), the ``*_sample`` files when ``sample`` began to draw mixture
components and levels by one faster mechanism
(``tests/persistence/data/rewrite_drawn_rows.py``, a documented change of the rows a
seed gives); scores are as written.
"""

import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from vae_augment import load

#: Written rows come back to float32 precision: other builds of numpy and torch (BLAS
#: kernels, summation order) move the last bits, and a value rounded to cents may
#: round the other way; any real change of the model moves them by far more.
CLOSE = {"rtol": 1e-5, "atol": 0.011}

FIXTURES = Path(__file__).resolve().parent / "data" / "model_format_v2"


@pytest.fixture(scope="module")
def training_rows():
    return pd.read_parquet(FIXTURES / "mixed_X.parquet")


def _same_rows(actual: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(actual, expected, check_exact=False, **CLOSE)


@pytest.mark.parametrize(
    "read",
    [
        lambda: load(FIXTURES / "conditional.vae"),
        lambda: pickle.loads((FIXTURES / "conditional.pkl").read_bytes()),
    ],
    ids=["model file", "pickle"],
)
def test_pandas_model_gives_pandas_rows_as_written(training_rows, read):
    model = read()
    X_new, y_new = model.sample(40, random_state=0)
    assert isinstance(X_new, pd.DataFrame)
    assert isinstance(y_new, pd.Series)
    _same_rows(
        X_new.assign(risk=y_new), pd.read_parquet(FIXTURES / "conditional_sample.parquet")
    )
    _same_rows(
        model.transform(training_rows.iloc[:30]),
        pd.read_parquet(FIXTURES / "conditional_transform.parquet"),
    )
    np.testing.assert_allclose(
        model.score_samples(training_rows.iloc[:30]),
        np.load(FIXTURES / "conditional_scores.npy"),
        **CLOSE,
    )


def test_array_model_gives_arrays_as_written():
    model = load(FIXTURES / "array.vae")
    X_new, y_new = model.sample(40, random_state=0)
    assert y_new is None
    np.testing.assert_allclose(X_new, np.load(FIXTURES / "array_sample.npy"), **CLOSE)
