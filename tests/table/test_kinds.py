"""One rule decides a column's kind, and the codec, the report and the plots share it."""

import numpy as np
import pandas as pd
import pytest

from vae_augment import quality_report
from vae_augment.table.codec import TableCodec
from vae_augment.table.kinds import CATEGORICAL, NUMERIC, column_kind


@pytest.mark.parametrize(
    ("column", "kind"),
    [
        (pd.Series([1.5, None, 2.0]), NUMERIC),
        (pd.Series([1, 2, None], dtype=object), NUMERIC),  # numbers in an object column
        (pd.Series(pd.to_datetime(["2020-01-01", None])), NUMERIC),
        (pd.Series(pd.to_timedelta([1, 2], unit="s")), NUMERIC),
        (pd.Series([True, False]), CATEGORICAL),
        (pd.Series(["a", 1], dtype=object), CATEGORICAL),  # strings and numbers
        (pd.Series(["a", "b"], dtype="category"), CATEGORICAL),
        (pd.Series([1, 2], dtype="category"), CATEGORICAL),
    ],
)
def test_column_kind(column, kind):
    assert column_kind(column) == kind


def test_codec_and_quality_report_agree_on_object_columns_of_numbers():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"n": pd.Series(rng.integers(0, 100, 50), dtype=object)})
    assert TableCodec.fit(frame).columns[0].kind == NUMERIC
    report = quality_report(frame, frame.sample(frac=1.0, random_state=0))
    assert report.columns["kind"].tolist() == ["numeric"]
