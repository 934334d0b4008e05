"""``sample`` writes the training file's columns in their order, the target in place."""

from pathlib import Path

import pandas as pd
import pytest
from helpers import make_mixed_frame

from vae_augment import VAEAugmenter, load
from vae_augment.persistence.model_file import read_table_columns, write_model
from vae_augment.table.io import read_table, write_table

FORMAT_V1 = Path(__file__).parents[1] / "persistence" / "data" / "model_format_v1"


@pytest.fixture(scope="module")
def target_first(tmp_path_factory):
    """A table whose first column is the target, as CSV."""
    folder = tmp_path_factory.mktemp("order")
    X, y = make_mixed_frame(120)
    table = pd.concat([y.rename("risk"), X], axis=1)
    write_table(table, folder / "table.csv")
    return folder, list(table.columns)


@pytest.mark.parametrize("out", ["s.csv", "s.parquet"])
def test_sample_keeps_a_target_written_first(target_first, cli, fast_fit, out):
    folder, columns = target_first
    model = folder / "m.vae"
    fit = ["fit", folder / "table.csv", "--target", "risk", "-o", model, *fast_fit]
    assert cli(*fit)[0] == 0
    assert read_table_columns(model) == columns
    assert cli("sample", model, "-n", 20, "-o", folder / out)[0] == 0
    sampled = read_table(folder / out)
    assert list(sampled.columns) == columns
    assert set(sampled["risk"]) <= {"bad", "good"}


def test_target_in_the_middle_of_parquet_training_data(tmp_path, cli, fast_fit):
    X, y = make_mixed_frame(120)
    table = X.iloc[:, :3].assign(risk=y).join(X.iloc[:, 3:])
    write_table(table, tmp_path / "table.parquet")  # fitted streamed from disk
    fit = ["fit", tmp_path / "table.parquet", "--target", "risk", "-o", tmp_path / "m.vae"]
    assert cli(*fit, *fast_fit)[0] == 0
    code, out, _ = cli("sample", tmp_path / "m.vae", "-n", 5, "-o", "-")
    assert code == 0
    assert out.splitlines()[0] == ",".join(table.columns)


def test_a_model_saved_without_the_order_puts_the_target_last(tmp_path, cli):
    X, y = make_mixed_frame(80)
    VAEAugmenter(max_epochs=2, random_state=0).fit(X, y).save(tmp_path / "m.vae")
    assert read_table_columns(tmp_path / "m.vae") is None
    assert cli("sample", tmp_path / "m.vae", "-n", 5, "-o", tmp_path / "s.csv")[0] == 0
    assert list(read_table(tmp_path / "s.csv").columns) == [*X.columns, "risk"]


def test_a_model_file_of_format_1_gives_its_rows_target_last(tmp_path, cli):
    # A file of vae_augment 0.1.0: the rows sample(40, random_state=0) gives, target last.
    out = tmp_path / "s.parquet"
    argv = ["sample", FORMAT_V1 / "conditional.vae", "-n", 40, "--seed", 0, "-o", out]
    assert cli(*argv)[0] == 0
    expected = pd.read_parquet(FORMAT_V1 / "conditional_sample.parquet")
    pd.testing.assert_frame_equal(
        read_table(out), expected, check_dtype=False, check_categorical=False
    )


def test_an_order_that_does_not_name_the_models_columns_is_refused(tmp_path, cli):
    X, y = make_mixed_frame(80)
    model = VAEAugmenter(max_epochs=2, random_state=0).fit(X, y.rename("risk"))
    columns = ["risk", *X.columns[:-1]]  # one column short
    write_model(tmp_path / "m.vae", model.get_params(), model.model_, table_columns=columns)
    assert load(tmp_path / "m.vae").n_features_in_ == X.shape[1]  # the library loads it
    code, _, err = cli("sample", tmp_path / "m.vae", "-n", 5, "-o", tmp_path / "s.csv")
    assert code == 1
    assert "has inconsistent content: its column order names risk, income" in err
    assert not (tmp_path / "s.csv").exists()
