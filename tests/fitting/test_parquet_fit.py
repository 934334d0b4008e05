"""Fitting on Parquet data larger than memory, and sampling straight into a Parquet file."""

import warnings

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
import torch

import vae_augment
import vae_augment.table.parquet as parquet_source
import vae_augment.training.streaming as streaming
from vae_augment import VAEAugmenter
from vae_augment.model import inference
from vae_augment.model.tensors import TensorTable
from vae_augment.table.parquet import ParquetTable
from vae_augment.training.streaming import StreamedBatches

#: Settings that fit in well under a second on a few hundred rows.
QUICK = {"max_epochs": 3, "hidden_dims": (16,), "latent_dim": 4, "random_state": 0}


def make_table(n_rows: int = 600, seed: int = 0) -> pd.DataFrame:
    """Every column kind Parquet stores, missing values, a class label and a row id."""
    rng = np.random.default_rng(seed)
    age = pd.array(rng.integers(18, 90, n_rows), dtype="Int64")
    age[rng.random(n_rows) < 0.1] = pd.NA
    return pd.DataFrame(
        {
            "id": np.arange(n_rows),
            "plan": pd.Categorical(
                rng.choice(["basic", "plus", "pro"], n_rows, p=[0.6, 0.3, 0.1]),
                categories=["pro", "plus", "basic", "legacy"],
            ),
            "age": age,
            "income": rng.lognormal(10, 0.5, n_rows).round(2),
            "member": rng.random(n_rows) < 0.4,
            "city": pd.Series(rng.choice(["Oslo", "Lima", "Pune"], n_rows), dtype="str"),
            "joined": pd.Timestamp("2020-01-01")
            + pd.to_timedelta(rng.integers(0, 1000, n_rows), unit="D"),
            "seen": pd.Timestamp("2024-03-01", tz="Europe/Oslo")
            + pd.to_timedelta(rng.integers(0, 5000, n_rows), unit="h"),
            "risk": rng.choice(
                np.array(["bad", "good"], dtype=object), n_rows, p=[0.3, 0.7]
            ),
        }
    )


def write_groups(frame: pd.DataFrame, path, rows_per_group: int) -> None:
    frame.to_parquet(path, index=False, row_group_size=rows_per_group)


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    """The table and a file of it in six row groups."""
    frame = make_table()
    path = tmp_path_factory.mktemp("parquet") / "table.parquet"
    write_groups(frame, path, 100)
    return frame, path


@pytest.fixture(scope="module")
def conditional(table):
    """A model fitted on the Parquet file, conditional on its ``risk`` column."""
    _, path = table
    return VAEAugmenter(**QUICK).fit(path, y="risk")


def as_source(kind: str, frame: pd.DataFrame, folder):
    """The table as a Parquet file, a directory of files or a pyarrow dataset."""
    if kind == "file":
        write_groups(frame, folder / "table.parquet", 100)
        return folder / "table.parquet"
    parts = np.array_split(np.arange(len(frame)), 3)
    for i, rows in enumerate(parts):
        write_groups(frame.iloc[rows], folder / f"part-{i}.parquet", 150)
    return folder if kind == "directory" else ds.dataset(folder, format="parquet")


@pytest.mark.parametrize("kind", ["file", "directory", "dataset"])
def test_fit_from_parquet_learns_the_whole_table(kind, tmp_path):
    frame = make_table()
    aug = VAEAugmenter(**QUICK).fit(as_source(kind, frame, tmp_path), y="risk")

    features = frame.drop(columns="risk")
    assert aug.n_features_in_ == features.shape[1]
    assert list(aug.feature_names_in_) == list(features.columns)
    assert list(aug.classes_) == ["bad", "good"]
    # Counted over every row, not over the codec's sample.
    expected = frame["risk"].value_counts(normalize=True).sort_index().to_numpy()
    np.testing.assert_allclose(aug.class_prior_, expected)

    X_new, y_new = aug.sample(300)
    stored = pd.read_parquet(tmp_path if kind != "file" else tmp_path / "table.parquet")
    assert X_new.dtypes.to_dict() == stored.drop(columns="risk").dtypes.to_dict()
    assert list(X_new["plan"].cat.categories) == list(stored["plan"].cat.categories)
    assert X_new["age"].isna().any()
    assert set(X_new["city"]) <= {"Oslo", "Lima", "Pune"}
    assert y_new.name == "risk"
    assert set(y_new) == {"bad", "good"}


def test_codec_learns_what_its_bounded_sample_misses(tmp_path, monkeypatch):
    """A rare level, a lone missing value and lone extremes all reach the codec."""
    monkeypatch.setattr(parquet_source, "CODEC_SAMPLE_ROWS", 50)
    rng = np.random.default_rng(1)
    n_rows = 3000
    city = rng.choice(np.array(["Oslo", "Lima"], dtype=object), n_rows)
    city[1234] = "Reykjavik"
    income = rng.normal(100, 10, n_rows).round(2)
    income[2222], income[17] = 1e6, -5.0
    visits = rng.integers(0, 10, n_rows)
    visits[2999] = 1000
    score = rng.normal(size=n_rows)
    score[1500] = np.nan
    joined = pd.Series(pd.Timestamp("2020-01-01") + pd.to_timedelta(visits, unit="D"))
    joined[999] = pd.Timestamp("2035-05-05")
    frame = pd.DataFrame(
        {
            "city": pd.Categorical(city),
            "town": pd.Series(city, dtype="str"),
            "income": income,
            "visits": visits,
            "score": score,
            "joined": joined,
            "label": rng.choice(["no", "yes"], n_rows, p=[0.9, 0.1]),
        }
    )
    path = tmp_path / "rare.parquet"
    write_groups(frame, path, 500)

    aug = VAEAugmenter(**QUICK).fit(path, y="label")

    specs = {spec.name: spec for spec in aug.model_.table.codec.columns}
    assert "Reykjavik" in list(specs["city"].levels)
    assert "Reykjavik" in list(specs["town"].levels)
    assert specs["score"].has_missing
    assert not specs["income"].has_missing
    assert (specs["income"].lower, specs["income"].upper) == (-5.0, 1e6)
    assert specs["visits"].upper == 1000
    joined_range = pd.to_datetime([specs["joined"].lower, specs["joined"].upper], unit="us")
    assert list(joined_range) == [frame["joined"].min(), frame["joined"].max()]
    expected = frame["label"].value_counts(normalize=True).sort_index().to_numpy()
    np.testing.assert_allclose(aug.class_prior_, expected)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "never seen in fit" warning
        aug.transform(frame.drop(columns="label"))


def test_codec_sample_stays_bounded_with_many_distinct_values(tmp_path, monkeypatch):
    monkeypatch.setattr(parquet_source, "CODEC_SAMPLE_ROWS", 50)
    monkeypatch.setattr(parquet_source, "MAX_TRACKED_LEVELS", 20)
    codes = pd.Series([f"c{i}" for i in range(3000)], dtype="str")
    frame = pd.DataFrame({"code": codes, "amount": np.arange(3000) % 17})
    write_groups(frame, tmp_path / "codes.parquet", 1000)
    sample = ParquetTable(tmp_path / "codes.parquet", None).scan(0, 0.0).sample
    # About 50 uniform rows, 20 levels' first rows, the two extremes of "amount".
    assert len(sample) < 50 + 3 * np.sqrt(50) + 20 + 2


def record_ids(frame: pd.DataFrame, target) -> TensorTable:
    """An ``encode`` that keeps only the row ids (as the codes block)."""
    ids = torch.tensor(frame["id"].to_numpy())[:, None]
    observed = torch.ones((len(frame), 1), dtype=torch.bool)
    return TensorTable(torch.zeros((len(frame), 0)), ids, observed, None)


def epoch_ids(batches, epoch, generator) -> np.ndarray:
    streamed = list(batches.epoch(epoch, generator))
    assert len(streamed) == batches.n_batches(epoch)  # counted without reading
    return torch.cat([batch.codes[:, 0] for batch in streamed]).numpy()


@pytest.mark.parametrize("world_size", [1, 2])
def test_every_training_row_is_streamed_once_per_epoch(table, world_size, monkeypatch):
    # A buffer per read batch: the order row groups are read in shows in the output.
    monkeypatch.setattr(streaming, "SHUFFLE_ROWS", 1)
    frame, path = table
    source = ParquetTable(path, "risk")
    assert source.n_rows == len(frame)
    assert source.n_row_groups == 6
    rate = source.validation_rate(0.2, minimum=10)
    validation_ids = source.scan(7, rate).validation["id"].to_numpy()
    assert 60 <= len(validation_ids) <= 180  # about 20% of 600 rows
    training_ids = np.setdiff1d(frame["id"], validation_ids)

    ranks = [
        StreamedBatches(
            source,
            encode=record_ids,
            seed=7,
            validation_rate=rate,
            batch_size=16,
            rank=rank,
            world_size=world_size,
        )
        for rank in range(world_size)
    ]
    generator = torch.Generator().manual_seed(0)
    orders = []
    for epoch in range(3):
        shares = [epoch_ids(batches, epoch, generator) for batches in ranks]
        ids = np.concatenate(shares)
        assert len(ids) == len(training_ids)  # each row once
        assert np.array_equal(np.sort(ids), training_ids)  # no validation row
        if world_size == 2:
            assert len(shares[0]) and len(shares[1])
        # Row groups (of 100 rows) in the order rank 0 read them.
        groups = pd.unique(shares[0] // 100)
        orders.append(tuple(groups))
    assert len(set(orders)) > 1


def test_row_groups_are_dealt_out_by_size(tmp_path):
    # Three large row groups and three small ones: dealt by count, one process could
    # get the three small ones (15 rows against 300) every epoch.
    frame = make_table(315)
    path = tmp_path / "uneven.parquet"
    writer = None
    for start, stop in [
        (0, 100),
        (100, 105),
        (105, 205),
        (205, 210),
        (210, 310),
        (310, 315),
    ]:
        part = pa.Table.from_pandas(frame.iloc[start:stop], preserve_index=False)
        writer = writer or pq.ParquetWriter(path, part.schema)
        writer.write_table(part)
    writer.close()
    source = ParquetTable(path, None)
    for epoch in range(5):
        shares = [
            StreamedBatches(
                source,
                encode=record_ids,
                seed=0,
                validation_rate=0.0,
                batch_size=1,
                rank=rank,
                world_size=2,
            ).n_batches(epoch)
            for rank in range(2)
        ]
        assert sum(shares) == 315
        assert abs(shares[0] - shares[1]) <= 100


def test_float_class_labels_outside_the_codec_sample(tmp_path, monkeypatch):
    monkeypatch.setattr(parquet_source, "CODEC_SAMPLE_ROWS", 50)
    frame = make_table(2000).drop(columns="risk")
    label = np.where(np.arange(2000) % 2 == 0, 0.0, 1.0)
    label[1235] = 2.0  # a class in one row: float labels get no extra rows
    write_groups(frame.assign(label=label), tmp_path / "labels.parquet", 500)
    aug = VAEAugmenter(**QUICK).fit(tmp_path / "labels.parquet", y="label")
    assert list(aug.classes_) == [0.0, 1.0, 2.0]
    np.testing.assert_allclose(aug.class_prior_, [1000 / 2000, 999 / 2000, 1 / 2000])
    _, y_new = aug.sample(y={2.0: 5}, random_state=0)
    assert list(y_new) == [2.0] * 5


def test_more_processes_than_row_groups_is_an_error(table):
    _, path = table
    with pytest.raises(ValueError, match=r"6 row group.*fewer than the 7 training"):
        StreamedBatches(
            ParquetTable(path, None),
            encode=record_ids,
            seed=0,
            validation_rate=0.0,
            batch_size=16,
            rank=0,
            world_size=7,
        )


def test_continuous_target_column(tmp_path, monkeypatch):
    monkeypatch.setattr(parquet_source, "CODEC_SAMPLE_ROWS", 50)
    monkeypatch.setattr(parquet_source, "MAX_TRACKED_LEVELS", 20)
    frame = make_table(2000).drop(columns="risk")
    frame["price"] = frame["income"] / 10 + np.random.default_rng(2).normal(size=2000)
    # Lone extremes the uniform sample misses, in rows no other column's extreme is in.
    frame.loc[1234, "price"], frame.loc[1500, "price"] = 1e5, 1.0
    path = tmp_path / "prices.parquet"
    write_groups(frame, path, 400)

    aug = VAEAugmenter(**QUICK).fit(path, y="price")

    assert aug.classes_ is None
    assert "price" not in aug.feature_names_in_
    X_new, y_new = aug.sample(50)
    assert isinstance(y_new, pd.Series)
    assert y_new.name == "price"
    assert y_new.dtype == np.float64
    assert list(X_new.columns) == list(frame.columns.drop("price"))
    target = aug.model_.table.codec.target
    assert (target.lower, target.upper) == (1.0, 1e5)


@pytest.mark.parametrize(
    ("y", "error", "message"),
    [
        (["risk"], TypeError, "y must be the name of its target column"),
        (np.array(["bad", "good"]), TypeError, "y must be the name"),
        ("rsk", ValueError, r"y='rsk' is not a column of X; its columns are \['id'"),
    ],
)
def test_bad_target_for_parquet_data(table, y, error, message):
    _, path = table
    with pytest.raises(error, match=message):
        VAEAugmenter(**QUICK).fit(path, y=y)


def test_fit_from_a_hive_partitioned_directory(tmp_path):
    frame = make_table(300).drop(columns="seen")
    frame["year"] = np.where(frame["id"] < 150, 2023, 2024)
    frame.to_parquet(tmp_path, partition_cols=["year"])
    aug = VAEAugmenter(**QUICK).fit(tmp_path, y="risk")
    assert "year" in aug.feature_names_in_
    assert set(aug.sample(100)[0]["year"]) <= {2023, 2024}


def test_bad_parquet_sources(tmp_path):
    csv = tmp_path / "table.csv"
    make_table(20).to_csv(csv, index=False)
    with pytest.raises(ValueError, match="not readable as Parquet"):
        VAEAugmenter(**QUICK).fit(csv)
    with pytest.raises(FileNotFoundError, match=r"missing\.parquet"):
        VAEAugmenter(**QUICK).fit(tmp_path / "missing.parquet")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="holds no Parquet files"):
        VAEAugmenter(**QUICK).fit(tmp_path / "empty")
    in_memory = ds.dataset(pa.Table.from_pandas(make_table(20)))
    with pytest.raises(TypeError, match="pyarrow dataset of Parquet files, got"):
        VAEAugmenter(**QUICK).fit(in_memory)
    with pytest.raises(TypeError, match="got RecordBatchReader"):
        VAEAugmenter(**QUICK).fit(pa.Table.from_pandas(make_table(20)).to_reader())


def test_failed_fit_leaves_the_estimator_unfitted(table):
    _, path = table
    aug = VAEAugmenter(**QUICK).fit(path, y="risk")
    with pytest.raises(ValueError):
        aug.fit(path, y="nope")
    assert not hasattr(aug, "module_")
    assert not hasattr(aug, "classes_")


# ------------------------------------------------------------------ sample_to_parquet
@pytest.fixture(scope="module")
def unconditional(table):
    _, path = table
    return VAEAugmenter(**QUICK).fit(path)


@pytest.fixture(scope="module")
def continuous(table):
    _, path = table
    return VAEAugmenter(**QUICK).fit(path, y="income")


@pytest.fixture(scope="module")
def unnamed(table):
    """A conditional model fitted in memory on labels without a name."""
    frame, _ = table
    return VAEAugmenter(**QUICK).fit(frame.drop(columns="risk"), frame["risk"].to_numpy())


def expected_rows(aug, n_samples, **kwargs) -> pd.DataFrame:
    X_new, y_new = aug.sample(n_samples, **kwargs)
    if y_new is None:
        return X_new
    name = getattr(y_new, "name", None) or "target"
    return X_new.assign(**{name: np.asarray(y_new)})


@pytest.mark.parametrize(
    ("model", "n_samples", "y", "target"),
    [
        ("unconditional", 9000, None, None),
        ("conditional", 9000, None, "risk"),
        ("conditional", None, {"good": 6000, "bad": 3000}, "risk"),
        ("continuous", 9000, None, "income"),
        ("unnamed", 9000, None, "target"),
    ],
)
def test_sample_to_parquet_writes_the_rows_sample_returns(
    request, model, n_samples, y, target, tmp_path, monkeypatch
):
    aug = request.getfixturevalue(model)
    path = tmp_path / "synthetic.parquet"
    # 4096 rows per row group: a whole number of inference chunks.
    monkeypatch.setattr(inference, "CHUNK_ROWS", 4096)
    aug.sample_to_parquet(path, n_samples, y=y, random_state=3, row_group_rows=4096)

    written = pd.read_parquet(path)
    expected = expected_rows(aug, n_samples, y=y, random_state=3)
    pd.testing.assert_frame_equal(written, expected)
    targets = [] if target is None else [target]
    assert list(written.columns) == [*aug.feature_names_in_, *targets]
    metadata = pq.ParquetFile(path).metadata
    sizes = [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]
    assert sizes == [4096, 4096, 808]
    assert not list(tmp_path.glob(".*"))  # no partial file left


@pytest.mark.parametrize(
    "y",
    [{"bad": 5000, "good": 3000}, {"good": 0, "bad": 4096}, {"bad": 4096, "good": 0}],
    ids=["run-across-chunks", "zero-count-first", "zero-count-at-chunk-edge"],
)
def test_class_runs_give_exact_grouped_rows(conditional, tmp_path, y):
    _, labels = conditional.sample(y=y, random_state=1)
    assert list(labels) == [k for k, n in y.items() for _ in range(n)]
    path = tmp_path / "runs.parquet"
    conditional.sample_to_parquet(path, y=y, random_state=1, row_group_rows=5000)
    assert list(pd.read_parquet(path)["risk"]) == list(labels)


def test_sample_to_parquet_dict_keeps_the_order_of_classes(conditional, tmp_path):
    path = tmp_path / "ordered.parquet"
    conditional.sample_to_parquet(path, y={"good": 5, "bad": 3}, random_state=0)
    assert pd.read_parquet(path)["risk"].tolist() == ["good"] * 5 + ["bad"] * 3


def test_sample_to_parquet_replaces_an_existing_file(unconditional, tmp_path):
    path = tmp_path / "synthetic.parquet"
    pd.DataFrame({"old": [1, 2, 3]}).to_parquet(path)
    unconditional.sample_to_parquet(path, 10, random_state=0)
    written = pd.read_parquet(path)
    assert len(written) == 10
    assert list(written.columns) == list(unconditional.feature_names_in_)


def test_failed_sample_to_parquet_leaves_no_file(unconditional, tmp_path, monkeypatch):
    path = tmp_path / "synthetic.parquet"
    decode = unconditional.model_.table.codec.decode
    calls = []

    def fail_on_third_call(numeric, codes, **options):
        calls.append(len(numeric))
        if len(calls) == 3:
            raise RuntimeError("decoding failed")
        return decode(numeric, codes, **options)

    monkeypatch.setattr(unconditional.model_.table.codec, "decode", fail_on_third_call)
    with pytest.raises(RuntimeError, match="decoding failed"):
        unconditional.sample_to_parquet(
            path, 5 * inference.CHUNK_ROWS, random_state=0, row_group_rows=10
        )
    assert len(calls) == 3
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_samples": 0}, "n_samples must be a positive integer"),
        ({"n_samples": 2.5}, "n_samples must be a positive integer"),
        ({"n_samples": 10, "row_group_rows": 0}, "row_group_rows must be a positive"),
        ({"n_samples": 10, "row_group_rows": 1.5}, "row_group_rows must be a positive"),
        ({"n_samples": 10, "row_group_rows": True}, "row_group_rows must be a positive"),
        ({"y": {"good": 0}}, "y asks for no rows"),
    ],
)
def test_bad_sample_to_parquet_arguments(conditional, tmp_path, kwargs, message):
    path = tmp_path / "synthetic.parquet"
    with pytest.raises(ValueError, match=message):
        conditional.sample_to_parquet(path, **kwargs)
    assert not list(tmp_path.iterdir())


def test_sample_to_parquet_with_a_target_named_by_a_number(tmp_path):
    X = pd.DataFrame(np.random.default_rng(0).normal(size=(200, 4)))
    y = X.pop(3)
    aug = VAEAugmenter(**QUICK).fit(X, y)
    aug.sample_to_parquet(tmp_path / "synthetic.parquet", 20, random_state=0)
    written = pd.read_parquet(tmp_path / "synthetic.parquet")
    X_new, y_new = aug.sample(20, random_state=0)
    # Parquet names columns with strings.
    assert list(written.columns) == ["0", "1", "2", "3"]
    np.testing.assert_array_equal(written.to_numpy(), X_new.assign(y=y_new).to_numpy())


def test_target_named_like_a_column_cannot_be_written(table, tmp_path):
    frame, _ = table
    X = frame.drop(columns="risk")
    aug = VAEAugmenter(**QUICK).fit(X, frame["risk"].rename("city"))
    with pytest.raises(ValueError, match="The target's name 'city' is also a column"):
        aug.sample_to_parquet(tmp_path / "synthetic.parquet", 10)
    assert not list(tmp_path.iterdir())


def test_model_fitted_on_parquet_saves_and_loads(conditional, tmp_path):
    path = tmp_path / "model.vae"
    conditional.save(path)
    loaded = vae_augment.load(path)
    X_before, y_before = conditional.sample(50, random_state=1)
    X_after, y_after = loaded.sample(50, random_state=1)
    pd.testing.assert_frame_equal(X_after, X_before)
    pd.testing.assert_series_equal(y_after, y_before)
    np.testing.assert_allclose(loaded.class_prior_, conditional.class_prior_)


def test_a_file_lacking_a_column_is_named(tmp_path):
    frame = make_table(200)
    folder = tmp_path / "parts"
    folder.mkdir()
    write_groups(frame.iloc[:100], folder / "a.parquet", 50)
    write_groups(frame.iloc[100:].drop(columns="city"), folder / "b.parquet", 50)
    with pytest.raises(ValueError, match=r"b\.parquet lacks the column\(s\) \['city'\]"):
        VAEAugmenter(**QUICK).fit(folder, y="risk")


def test_a_column_of_other_types_in_two_files_is_named(tmp_path):
    frame = make_table(200)
    folder = tmp_path / "parts"
    folder.mkdir()
    write_groups(frame.iloc[:100], folder / "a.parquet", 50)
    write_groups(frame.iloc[100:].astype({"income": str}), folder / "b.parquet", 50)
    with pytest.raises(
        ValueError, match=r"Column 'income' holds numbers in some files .* text in .*b\."
    ):
        VAEAugmenter(**QUICK).fit(folder, y="risk")


def test_hive_folders_and_numbers_of_several_widths_are_one_table(tmp_path):
    frame = make_table(200)
    for year, part in ((2023, frame.iloc[:100]), (2024, frame.iloc[100:])):
        (tmp_path / f"year={year}").mkdir()
        if year == 2024:  # int32 here, int64 there: both numbers
            part = part.astype({"id": "int32"})
        write_groups(part, tmp_path / f"year={year}" / "part.parquet", 50)
    aug = VAEAugmenter(**QUICK).fit(tmp_path, y="risk")
    assert "year" in aug.feature_names_in_
