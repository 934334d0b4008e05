"""Model files (``VAEAugmenter.save`` / ``vae_augment.load``): exact round trips, no
pickle inside, and clear refusals of damaged, modified, foreign or too-new files."""

import datetime
import hashlib
import json
import pickle
import struct
import zipfile

import joblib
import numpy as np
import pandas as pd
import pytest
import torch
from helpers import FAST
from safetensors.numpy import load as load_arrays
from safetensors.numpy import save as save_arrays
from sklearn.exceptions import NotFittedError

from vae_augment import ModelFileError, VAEAugmenter, load
from vae_augment.model.vae import TabularVAE
from vae_augment.persistence.model_file import FORMAT_VERSION
from vae_augment.persistence.reader import Reader
from vae_augment.persistence.state_types import STATE_TYPES, build_state
from vae_augment.persistence.writer import Writer

#: Persistence does not depend on how well the model learned: a few epochs suffice.
QUICK = {**FAST, "max_epochs": 5}


def _assert_same_output(loaded, original, X, seeds=(0, 7)):
    """``sample``, ``transform`` and ``score_samples`` agree exactly."""
    for seed in seeds:
        expected_X, expected_y = original.sample(150, random_state=seed)
        got_X, got_y = loaded.sample(150, random_state=seed)
        if isinstance(expected_X, pd.DataFrame):
            pd.testing.assert_frame_equal(got_X, expected_X)
        else:
            assert got_X.dtype == expected_X.dtype
            np.testing.assert_array_equal(got_X, expected_X)
        if isinstance(expected_y, pd.Series):
            pd.testing.assert_series_equal(got_y, expected_y)
        elif expected_y is not None:
            assert got_y.dtype == expected_y.dtype
            np.testing.assert_array_equal(got_y, expected_y)
        else:
            assert got_y is None
    expected = original.transform(X)
    if isinstance(expected, pd.DataFrame):
        pd.testing.assert_frame_equal(loaded.transform(X), expected)
    else:
        np.testing.assert_array_equal(loaded.transform(X), expected)
    np.testing.assert_array_equal(loaded.score_samples(X), original.score_samples(X))


def _every_dtype_frame(n_rows=120):
    """Columns of the dtypes the mixed fixture lacks, with missing values."""
    rng = np.random.default_rng(1)
    mixed = np.array(["a", 1, 2.5, None, pd.Timestamp("2020-05-01")], dtype=object)
    frame = pd.DataFrame(
        {
            "when": pd.date_range("2021-03-01", periods=n_rows, freq="h", tz="Europe/Oslo"),
            "local": pd.date_range(
                "2021-03-01",
                periods=n_rows,
                freq="D",
                tz=datetime.timezone(datetime.timedelta(hours=-3)),
            ),
            "wait": pd.to_timedelta(rng.integers(0, 600, n_rows), unit="s"),
            "ratio": pd.array(rng.random(n_rows), dtype="Float32"),
            "flag": pd.array(rng.random(n_rows) < 0.5, dtype="boolean"),
            "small": pd.array(rng.integers(0, 200, n_rows), dtype="UInt8"),
            "grade": pd.Categorical(
                rng.choice([3, 1, 2], n_rows), categories=[1, 2, 3], ordered=True
            ),
            "note": pd.Series(rng.choice(["x", "y"], n_rows), dtype="string"),
            "mixed": rng.choice(mixed, n_rows),
            "raw": rng.choice(np.array([b"\x00ab", b"cd"], dtype=object), n_rows),
            "f32": rng.normal(size=n_rows).astype(np.float32),
            "day": rng.choice(
                np.array([datetime.date(2020, 1, d) for d in (1, 2, 3)], dtype=object),
                n_rows,
            ),
        }
    )
    for column in ("ratio", "flag", "small", "note"):
        frame.loc[rng.random(n_rows) < 0.1, column] = pd.NA
    return frame


def _array_data(n_rows=200, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_rows, 3))
    X[:, 2] += 2 * X[:, 0]
    return X


@pytest.fixture(params=["str", "Path"])
def model_path(request, tmp_path):
    path = tmp_path / "model.vae"
    return str(path) if request.param == "str" else path


# ------------------------------------------------------------------ round trips
def test_conditional_mixed_frame_round_trip(fitted, mixed, model_path):
    X, _ = mixed
    fitted.save(model_path)
    loaded = load(model_path)
    assert type(loaded) is VAEAugmenter
    assert loaded.get_params() == fitted.get_params()
    np.testing.assert_array_equal(loaded.classes_, fitted.classes_)
    assert loaded.loss_curve_ == fitted.loss_curve_
    assert loaded.n_iter_ == fitted.n_iter_
    _assert_same_output(loaded, fitted, X)


def test_every_pandas_dtype_round_trips(tmp_path):
    X = _every_dtype_frame()
    augmenter = VAEAugmenter(**QUICK).fit(X)
    augmenter.save(tmp_path / "model.vae")
    loaded = load(tmp_path / "model.vae")
    assert list(loaded.transform(X).dtypes) == list(X.dtypes)
    _assert_same_output(loaded, augmenter, X)


@pytest.mark.parametrize(
    "target",
    [None, "int_classes", "str_classes", "continuous"],
)
def test_array_input_round_trips(target, tmp_path):
    X = _array_data()
    y = {
        None: None,
        "int_classes": (X[:, 0] > 0).astype(int) + (X[:, 1] > 1),
        "str_classes": np.where(X[:, 0] > 0, "high", "low"),
        "continuous": X.sum(axis=1) + 0.1,
    }[target]
    augmenter = VAEAugmenter(**QUICK).fit(X, y)
    augmenter.save(tmp_path / "model.vae")
    loaded = load(tmp_path / "model.vae")
    _assert_same_output(loaded, augmenter, X)


def test_parameters_keep_their_python_types(tmp_path):
    X = _array_data(60)
    augmenter = VAEAugmenter(
        **{**QUICK, "hidden_dims": [16, 8], "random_state": np.random.RandomState(3)}
    ).fit(X)
    augmenter.save(tmp_path / "model.vae")
    loaded = load(tmp_path / "model.vae")
    assert loaded.hidden_dims == [16, 8]
    assert isinstance(loaded.random_state, np.random.RandomState)
    # The seed generator's state travels too: the next draws are the same.
    np.testing.assert_array_equal(
        loaded.random_state.randint(1000, size=5),
        augmenter.random_state.randint(1000, size=5),
    )


def _through_the_format(value):
    """``value`` written as a model file's JSON and safetensors, and read back."""
    writer = Writer(STATE_TYPES)
    node = json.loads(json.dumps(writer.encode(value, "value"), allow_nan=False))
    return Reader(load_arrays(save_arrays(writer.arrays)), build_state).decode(
        node, "value"
    )


def test_any_allowed_value_survives_the_format():
    expected = {
        "numbers": (1, 2.5, float("nan"), -float("inf"), True, None, 2**70),
        7: [np.int16(3), np.float32(0.5), np.bool_(True), np.str_("s"), b"\xff"],
        ("a", 1): pd.Timestamp("2021-01-01 12:00", tz="Europe/Oslo"),
        "times": [
            pd.Timedelta("3h"),
            np.datetime64("2020-01-02", "D"),
            datetime.date(1999, 12, 31),
            pd.NaT,
            pd.NA,
        ],
        "arrays": [
            np.arange(6, dtype=np.uint16).reshape(2, 3),
            np.array(["2020-01-01", "NaT"], dtype="datetime64[ms]"),
            np.array([[1, "b"], [None, 2.5]], dtype=object),
            np.array(["ab", "c"]),
            np.zeros((0, 4), dtype=np.float32),
        ],
        "dtypes": [
            np.dtype("<U3"),
            pd.CategoricalDtype(pd.to_datetime(["2020-01-01", "2021-01-01"]), ordered=True),
            pd.DatetimeTZDtype("ns", "UTC"),
            pd.StringDtype("python", na_value=pd.NA),
            pd.UInt32Dtype(),
            pd.BooleanDtype(),
        ],
        "device": torch.device("cuda", 1),
    }
    got = _through_the_format(expected)
    assert got.keys() == expected.keys()
    numbers = got["numbers"]
    assert isinstance(numbers, tuple) and numbers[:2] == (1, 2.5) and np.isnan(numbers[2])
    assert numbers[3:] == (-float("inf"), True, None, 2**70)
    assert [type(v) for v in got[7]] == [type(v) for v in expected[7]]
    assert got[7] == expected[7]
    assert got[("a", 1)] == expected[("a", 1)]
    assert str(got[("a", 1)].tz) == "Europe/Oslo"
    assert got["times"][:3] == expected["times"][:3]
    assert got["times"][3] is pd.NaT and got["times"][4] is pd.NA
    for got_array, expected_array in zip(got["arrays"], expected["arrays"], strict=True):
        assert got_array.dtype == expected_array.dtype
        assert got_array.shape == expected_array.shape
        np.testing.assert_array_equal(got_array, expected_array)
    assert got["dtypes"] == expected["dtypes"]
    assert got["device"] == torch.device("cuda", 1)


def test_loaded_model_pickles_and_joblib_still_works(fitted, mixed, tmp_path):
    X, _ = mixed
    fitted.save(tmp_path / "model.vae")
    loaded = load(tmp_path / "model.vae")
    joblib.dump(loaded, tmp_path / "model.joblib")
    _assert_same_output(joblib.load(tmp_path / "model.joblib"), fitted, X, seeds=(1,))
    _assert_same_output(pickle.loads(pickle.dumps(loaded)), fitted, X, seeds=(1,))


# ---------------------------------------------------------------- file contents
def test_file_holds_only_json_and_safetensors(fitted, tmp_path):
    fitted.save(tmp_path / "model.vae")
    with zipfile.ZipFile(tmp_path / "model.vae") as archive:
        assert sorted(archive.namelist()) == [
            "estimator.json",
            "manifest.json",
            "weights.safetensors",
        ]
        members = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(members["manifest.json"])
    assert manifest["format"] == "vae-augment-model"
    assert manifest["format_version"] == FORMAT_VERSION
    assert manifest["estimator"] == "VAEAugmenter"  # a stable name, not a module path
    document = json.loads(members["estimator.json"])
    assert document["params"]["latent_dim"] == fitted.latent_dim
    arrays = load_arrays(members["weights.safetensors"])
    assert "module['encoder_dense.weight']" in arrays


def test_loading_never_unpickles(fitted, mixed, tmp_path, monkeypatch):
    fitted.save(tmp_path / "model.vae")

    def refuse(*args, **kwargs):
        raise AssertionError("load unpickled something")

    for module, name in [
        (pickle, "loads"),
        (pickle, "load"),
        (pickle, "Unpickler"),
        (torch, "load"),
    ]:
        monkeypatch.setattr(module, name, refuse)
    _assert_same_output(load(tmp_path / "model.vae"), fitted, mixed[0], seeds=(0,))


def test_saving_twice_gives_identical_bytes(fitted, tmp_path):
    fitted.save(tmp_path / "a.vae")
    fitted.save(tmp_path / "b.vae")
    assert (tmp_path / "a.vae").read_bytes() == (tmp_path / "b.vae").read_bytes()


# ------------------------------------------------------------------ save errors
def test_save_unfitted_raises_not_fitted(tmp_path):
    with pytest.raises(NotFittedError):
        VAEAugmenter().save(tmp_path / "model.vae")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("attribute", "value", "message"),
    [
        (
            "latent_prior",
            {"on_epoch": print},
            r"latent_prior\['on_epoch'\].*builtin_func",
        ),
        ("history", object(), r"history: values of type builtins\.object"),
    ],
)
def test_unsupported_state_is_named_and_old_file_kept(
    fitted, tmp_path, attribute, value, message
):
    path = tmp_path / "model.vae"
    fitted.save(path)
    before = path.read_bytes()
    model = pickle.loads(pickle.dumps(fitted))
    setattr(model.model_, attribute, value)
    with pytest.raises(TypeError, match=message):
        model.save(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["model.vae"]


def test_subclass_is_not_saved(fitted, tmp_path):
    class MyAugmenter(VAEAugmenter):
        pass

    model = MyAugmenter.__new__(MyAugmenter)
    model.__setstate__(fitted.__getstate__())
    with pytest.raises(TypeError, match="Cannot save a MyAugmenter"):
        model.save(tmp_path / "model.vae")
    assert not list(tmp_path.iterdir())


# ---------------------------------------------------------------- load refusals
def _rewrite(source, target, edit, *, update_checksums, compression=zipfile.ZIP_STORED):
    """Copy a model file, changing members with ``edit(members)`` on the way."""
    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    edit(members)
    if update_checksums:
        manifest = json.loads(members["manifest.json"])
        for name in manifest["sha256"]:
            manifest["sha256"][name] = hashlib.sha256(members[name]).hexdigest()
        members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(target, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _patch_central_directory(path, field_offset, fmt, value):
    """Overwrite one field of every member's central directory entry."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        offset = archive.start_dir
    while data[offset : offset + 4] == b"PK\x01\x02":
        struct.pack_into(fmt, data, offset + field_offset, value)
        name_size, extra_size, comment_size = struct.unpack_from("<3H", data, offset + 28)
        offset += 46 + name_size + extra_size + comment_size
    path.write_bytes(bytes(data))


def _replace_in(name, old, new):
    def edit(members):
        assert old in members[name]
        members[name] = members[name].replace(old, new, 1)

    return edit


@pytest.fixture
def saved(fitted, tmp_path):
    path = tmp_path / "model.vae"
    fitted.save(path)
    return path


def test_garbage_and_empty_files_are_refused(tmp_path):
    for content in (b"", b"hello, I am a CSV file\n1,2,3\n"):
        path = tmp_path / "not_a_model.vae"
        path.write_bytes(content)
        with pytest.raises(ModelFileError, match="not a vae_augment model file"):
            load(path)


def test_pickle_file_is_refused_without_being_unpickled(fitted, tmp_path):
    joblib.dump(fitted, tmp_path / "model.joblib")
    with pytest.raises(ModelFileError, match="not a zip archive"):
        load(tmp_path / "model.joblib")


def test_truncated_file_is_refused(saved, tmp_path):
    data = saved.read_bytes()
    for size in (10, len(data) // 2, len(data) - 1):
        truncated = tmp_path / "truncated.vae"
        truncated.write_bytes(data[:size])
        with pytest.raises(ModelFileError, match="damaged"):
            load(truncated)


def test_tampered_member_is_refused(saved, tmp_path):
    tampered = tmp_path / "tampered.vae"
    _rewrite(
        saved,
        tampered,
        _replace_in("estimator.json", b'"latent_dim": 8', b'"latent_dim": 9'),
        update_checksums=False,
    )
    with pytest.raises(ModelFileError, match=r"checksum of its member estimator\.json"):
        load(tampered)


def test_file_from_a_newer_format_is_refused_naming_both_versions(saved, tmp_path):
    newer = tmp_path / "newer.vae"
    _rewrite(
        saved,
        newer,
        _replace_in(
            "manifest.json",
            f'"format_version": {FORMAT_VERSION}'.encode(),
            f'"format_version": {FORMAT_VERSION + 1}'.encode(),
        ),
        update_checksums=False,
    )
    newer_version = rf"version {FORMAT_VERSION + 1} .*reads format version {FORMAT_VERSION}"
    with pytest.raises(ModelFileError, match=newer_version):
        load(newer)


def test_unknown_type_tag_is_refused(saved, tmp_path):
    odd = tmp_path / "odd.vae"
    _rewrite(
        saved,
        odd,
        _replace_in(
            "estimator.json", b'"$type": "torch.device"', b'"$type": "builtins.eval"'
        ),
        update_checksums=True,
    )
    with pytest.raises(ModelFileError, match=r"unknown type 'builtins\.eval'"):
        load(odd)


def _nodes(node):
    """Every JSON object in a document, depth first."""
    if isinstance(node, dict):
        yield node
        node = list(node.values())
    if isinstance(node, list):
        for child in node:
            yield from _nodes(child)


def _tagged(document, tag, **fields):
    """The first tagged node with ``$type == tag`` and the given fields."""
    return next(
        n
        for n in _nodes(document)
        if n.get("$type") == tag and all(n.get(k) == v for k, v in fields.items())
    )


def _column(document, name):
    return next(
        n["state"]
        for n in _nodes(document)
        if n.get("class") == "ColumnSpec" and n["state"]["name"] == name
    )


def _container(document):
    return _tagged(document, "object", **{"class": "Container"})


def _set_class(name):
    return lambda document: _container(document).update({"class": name})


def _time_zone_column(document):
    _column(document, "joined")["dtype"] = {
        "$type": "pandas.DatetimeTZDtype",
        "unit": "ns",
        "tz": {"$type": "named_timezone", "name": "dateutil//etc/passwd"},
    }


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_set_class("subprocess:Popen"), r"'subprocess:Popen'.*not a vae_augment state"),
        (_set_class("VAEAugmenter"), r"'VAEAugmenter'.*not a vae_augment state"),
        (_set_class("Reader"), r"'Reader'.*not a vae_augment state"),
        (
            _set_class("vae_augment.table.frames:Container"),
            r"'vae_augment\.table\.frames:Container'.*not a vae_augment state",
        ),
        (
            lambda d: _container(d)["state"].update(evil=1),
            r"attributes \['array_dtype', 'date_columns', 'evil', 'is_frame', "
            r"'is_polars'\] for Container",
        ),
        (
            lambda d: _tagged(d, "pandas.MaskedDtype", name="Int64").update(
                name="int64[pyarrow]"
            ),
            r"unsupported dtype 'int64\[pyarrow\]'",
        ),
        (
            lambda d: _tagged(d, "pandas.StringDtype").update(storage="../evil"),
            r"unsupported string dtype \('\.\./evil'",
        ),
        (
            lambda d: _column(d, "income").update(
                dtype={"$type": "numpy.dtype", "str": "<c16"}
            ),
            r"unsupported numpy dtype '<c16'",
        ),
        (_time_zone_column, r"unknown time zone 'dateutil//etc/passwd'"),
        (lambda d: d["model"].pop("history"), r"model holds \['device', 'hidden_dims'"),
        (lambda d: d["model"].update(extra=1), r"model holds \['device', 'extra'"),
    ],
    ids=[
        "foreign_class",
        "estimator_class",
        "reader_class",
        "module_path_class",
        "extra_class_attribute",
        "arrow_dtype",
        "string_storage",
        "complex_dtype",
        "dateutil_time_zone",
        "missing_state",
        "extra_state",
    ],
)
def test_crafted_content_is_refused_without_parsing_names(
    saved, tmp_path, monkeypatch, edit, message
):
    def edit_document(members):
        document = json.loads(members["estimator.json"])
        edit(document)
        members["estimator.json"] = json.dumps(document).encode()

    crafted = tmp_path / "crafted.vae"
    _rewrite(saved, crafted, edit_document, update_checksums=True)
    # pandas_dtype imports modules for names such as "int64[pyarrow]".
    monkeypatch.setattr(pd.api.types, "pandas_dtype", None)
    with pytest.raises(ModelFileError, match=message):
        load(crafted)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("compressed", "member manifest.json is compressed"),
        ("encrypted", "member manifest.json is encrypted"),
        ("oversized", r"member manifest.json claims 2147483648 bytes"),
    ],
)
def test_unexpected_zip_members_are_refused_before_reading(
    saved, tmp_path, damage, message
):
    crafted = tmp_path / "crafted.vae"
    _rewrite(
        saved,
        crafted,
        lambda members: None,
        update_checksums=False,
        compression=zipfile.ZIP_DEFLATED if damage == "compressed" else zipfile.ZIP_STORED,
    )
    if damage == "encrypted":
        _patch_central_directory(crafted, 8, "<H", 1)  # general purpose flag bit 0
    elif damage == "oversized":
        _patch_central_directory(crafted, 24, "<I", 2**31)  # uncompressed size
    with pytest.raises(ModelFileError, match=message):
        load(crafted)


def test_extra_member_is_refused(saved, tmp_path):
    extended = tmp_path / "extended.vae"
    _rewrite(
        saved,
        extended,
        lambda members: members.update({"payload.pkl": pickle.dumps(print)}),
        update_checksums=False,
    )
    with pytest.raises(ModelFileError, match="not a vae_augment model file"):
        load(extended)


def test_inconsistent_weights_are_refused(saved, tmp_path):
    def shrink_latent_size(members):
        document = json.loads(members["estimator.json"])
        document["model"]["latent_dim"] = 4  # the weights are for 8
        members["estimator.json"] = json.dumps(document).encode()

    shrunk = tmp_path / "shrunk.vae"
    _rewrite(saved, shrunk, shrink_latent_size, update_checksums=True)
    with pytest.raises(ModelFileError, match="inconsistent"):
        load(shrunk)


def test_model_does_not_depend_on_parameters_changed_after_fit(mixed, tmp_path):
    # The fitted model keeps the architecture it was built with: pickling and model
    # files work after set_params, and give the rows of the fitted model.
    X, y = mixed
    model = VAEAugmenter(**QUICK).fit(X, y)
    expected, _ = model.sample(50, random_state=1)
    model.set_params(latent_dim=4, hidden_dims=(8,))
    for loaded in (
        pickle.loads(pickle.dumps(model)),
        (model.save(tmp_path / "model.vae"), load(tmp_path / "model.vae"))[1],
    ):
        assert loaded.get_params()["latent_dim"] == 4  # the parameters as set
        assert loaded.model_.latent_dim == QUICK["latent_dim"]  # the model as fitted
        pd.testing.assert_frame_equal(loaded.sample(50, random_state=1)[0], expected)


# ---------------------------------------------------------------------- devices
@pytest.mark.parametrize("via", ["model file", "pickle"])
@pytest.mark.parametrize("fitted_on", ["cuda:0", "cuda:1", "mps"])
def test_model_fitted_on_a_missing_device_loads_on_cpu(
    fitted, tmp_path, monkeypatch, fitted_on, via
):
    model = pickle.loads(pickle.dumps(fitted))
    model.model_.device = torch.device(fitted_on)
    model.save(tmp_path / "model.vae")
    payload = pickle.dumps(model)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    with pytest.warns(
        UserWarning,
        match=f"fitted on {fitted_on}, which this machine does not have; it was loaded on "
        "the CPU",
    ):
        loaded = (
            load(tmp_path / "model.vae") if via == "model file" else pickle.loads(payload)
        )
    assert loaded.device_ == torch.device("cpu")
    assert next(loaded.module_.parameters()).device.type == "cpu"
    expected, _ = fitted.sample(100, random_state=3)
    pd.testing.assert_frame_equal(loaded.sample(100, random_state=3)[0], expected)


def test_running_out_of_device_memory_is_no_damaged_file(saved, monkeypatch):
    move = TabularVAE.to

    def to(module, device, *args, **kwargs):
        if torch.device(device).type == "cuda":
            raise torch.cuda.OutOfMemoryError("CUDA out of memory.")
        return move(module, device, *args, **kwargs)

    monkeypatch.setattr(TabularVAE, "to", to)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    with pytest.raises(torch.cuda.OutOfMemoryError, match="out of memory"):
        load(saved, device="cuda")


def test_explicit_device(fitted, tmp_path, monkeypatch):
    fitted.save(tmp_path / "model.vae")
    assert load(tmp_path / "model.vae", device="cpu").device_ == torch.device("cpu")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(ValueError, match="asks for CUDA"):
        load(tmp_path / "model.vae", device="cuda")
    with pytest.raises(ValueError, match="device='gpu'"):
        load(tmp_path / "model.vae", device="gpu")


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_real_cuda_fit_loads_on_cpu(mixed, tmp_path, monkeypatch):
    X, y = mixed
    augmenter = VAEAugmenter(**{**QUICK, "device": "cuda"}).fit(X, y)
    augmenter.save(tmp_path / "gpu.vae")
    on_gpu = load(tmp_path / "gpu.vae")
    assert on_gpu.device_.type == "cuda"
    _assert_same_output(on_gpu, augmenter, X, seeds=(0,))
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.warns(UserWarning, match="loaded on the CPU"):
        on_cpu = load(tmp_path / "gpu.vae")
    np.testing.assert_allclose(
        on_cpu.score_samples(X), augmenter.score_samples(X), rtol=1e-4, atol=1e-4
    )


# ------------------------------------------- crafted content: invariants, versions
def _edit_array(members, key, change):
    arrays = dict(load_arrays(members["weights.safetensors"]))
    arrays[key] = change(arrays[key])
    members["weights.safetensors"] = save_arrays(arrays)


@pytest.mark.parametrize(
    ("key", "change", "message"),
    [
        ("table.codec.quantiles.quantiles", lambda a: a[:-5], "quantiles of shape"),
        ("table.codec.quantiles.quantiles", lambda a: a[::-1].copy(), "non-decreasing"),
        ("table.codec.quantiles.floor", lambda a: a * 0, "floor"),
        ("latent_prior.weights", lambda a: a * 2, "not probabilities"),
        ("latent_prior.means", lambda a: a[:, :, :-1].copy(), "do not fit together"),
        ("table.target.class_prior", lambda a: a[:1].copy(), "class frequencies"),
    ],
    ids=["truncated", "decreasing", "floor", "weights", "means", "class-prior"],
)
def test_arrays_that_break_the_model_are_refused(saved, tmp_path, key, change, message):
    crafted = tmp_path / "crafted.vae"
    _rewrite(saved, crafted, lambda m: _edit_array(m, key, change), update_checksums=True)
    with pytest.raises(ModelFileError, match=f"inconsistent content.*{message}"):
        load(crafted)


def test_newer_format_with_unknown_members_asks_for_an_upgrade(saved, tmp_path):
    def newer(members):
        members["schema.json"] = b"{}"
        manifest = json.loads(members["manifest.json"])
        manifest["format_version"] = FORMAT_VERSION + 1
        members["manifest.json"] = json.dumps(manifest).encode()

    crafted = tmp_path / "newer.vae"
    _rewrite(saved, crafted, newer, update_checksums=False)
    upgrade = rf"format version {FORMAT_VERSION + 1} .* upgrade vae_augment"
    with pytest.raises(ModelFileError, match=upgrade):
        load(crafted)


def test_save_into_a_missing_folder_names_the_folder(fitted, tmp_path):
    with pytest.raises(FileNotFoundError, match=r"the folder .*absent does not exist"):
        fitted.save(tmp_path / "absent" / "model.vae")
    assert not list(tmp_path.iterdir())


# ------------------------------------------------- the training table's column order
def test_table_columns_are_kept_and_ignored_by_load(fitted, mixed, saved, tmp_path):
    from vae_augment.persistence.model_file import read_table_columns, write_model

    X, _ = mixed
    columns = ["risk", *X.columns]
    path = tmp_path / "ordered.vae"
    write_model(path, fitted.get_params(deep=False), fitted.model_, table_columns=columns)
    assert read_table_columns(path) == columns
    _assert_same_output(load(path), fitted, X)  # the estimator is the same
    assert read_table_columns(saved) is None  # VAEAugmenter.save writes none


@pytest.mark.parametrize("columns", ["risk", [1, 2], ["a", "a"], {"a": 1}])
def test_table_columns_that_are_not_distinct_names_are_refused(
    fitted, saved, tmp_path, columns
):
    from vae_augment.persistence.model_file import read_table_columns

    def add(members):
        document = json.loads(members["estimator.json"])
        document["table_columns"] = columns
        members["estimator.json"] = json.dumps(document).encode()

    crafted = tmp_path / "crafted.vae"
    _rewrite(saved, crafted, add, update_checksums=True)
    with pytest.raises(ModelFileError, match="table_columns are not a list of distinct"):
        read_table_columns(crafted)
