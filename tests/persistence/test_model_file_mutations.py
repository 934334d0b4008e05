"""Any single mutation of a saved model file is refused, or loads to the same model.

Truncations, flipped bytes and edited JSON fields are caught by the archive's structure
and the checksums; arrays resized with the checksums recomputed, by the invariants of
the fitted state. What must never happen: a file that loads and samples differently.
"""

import hashlib
import io
import json
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers import FAST, make_mixed_frame
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from safetensors.numpy import load as load_arrays
from safetensors.numpy import save as save_arrays

from vae_augment import ModelFileError, VAEAugmenter, load

MUTATIONS = settings(
    # MUTATION_EXAMPLES=600 for a longer soak (it passed 600 of each, 2026-12-01).
    max_examples=int(os.environ.get("MUTATION_EXAMPLES", 60)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def original():
    """A small fitted model's file bytes, and what it gives."""
    X, y = make_mixed_frame(100)
    model = VAEAugmenter(**{**FAST, "max_epochs": 3}).fit(X, y)
    with tempfile.TemporaryDirectory() as folder:
        model.save(Path(folder) / "m.vae")
        data = (Path(folder) / "m.vae").read_bytes()
    return data, X.iloc[:20], _outputs(model, X.iloc[:20])


def _outputs(model, X):
    sampled, labels = model.sample(30, random_state=0)
    return sampled.assign(label=labels), model.transform(X), model.score_samples(X)


def _refused_or_same(data: bytes, X, expected) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.vae"
        path.write_bytes(data)
        try:
            model = load(path)
        except ModelFileError:
            return
    got = _outputs(model, X)
    pd.testing.assert_frame_equal(got[0], expected[0])
    pd.testing.assert_frame_equal(got[1], expected[1])
    np.testing.assert_array_equal(got[2], expected[2])


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _archive(members: dict[str, bytes], *, update_checksums: bool) -> bytes:
    if update_checksums:
        manifest = json.loads(members["manifest.json"])
        for name in manifest["sha256"]:
            manifest["sha256"][name] = hashlib.sha256(members[name]).hexdigest()
        members = {**members, "manifest.json": json.dumps(manifest).encode()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@MUTATIONS
@given(cut=st.floats(0.0, 1.0, exclude_max=True))
def test_truncated_file(original, cut):
    data, X, expected = original
    _refused_or_same(data[: int(cut * len(data))], X, expected)


@MUTATIONS
@given(where=st.floats(0.0, 1.0, exclude_max=True), flip=st.integers(1, 255))
def test_flipped_byte(original, where, flip):
    data, X, expected = original
    mutated = bytearray(data)
    mutated[int(where * len(data))] ^= flip
    _refused_or_same(bytes(mutated), X, expected)


def _leaves(node, path=()):
    """Paths to every number and string of a JSON document."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _leaves(value, (*path, i))
    elif isinstance(node, (int, float, str)) and not isinstance(node, bool):
        yield path


@MUTATIONS
@given(choice=st.floats(0.0, 1.0, exclude_max=True))
def test_edited_json_field(original, choice):
    data, X, expected = original
    members = _members(data)
    document = json.loads(members["estimator.json"])
    leaves = list(_leaves(document))
    path = leaves[int(choice * len(leaves))]
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    value = parent[path[-1]]
    parent[path[-1]] = value + "x" if isinstance(value, str) else -value - 1
    members["estimator.json"] = json.dumps(document).encode()
    _refused_or_same(_archive(members, update_checksums=False), X, expected)


@MUTATIONS
@given(choice=st.floats(0.0, 1.0, exclude_max=True), grow=st.booleans())
def test_resized_array_with_checksums_recomputed(original, choice, grow):
    data, X, expected = original
    members = _members(data)
    arrays = dict(load_arrays(members["weights.safetensors"]))
    key = sorted(arrays)[int(choice * len(arrays))]
    array = arrays[key]
    if array.ndim == 0 or (len(array) < 2 and not grow):
        return
    arrays[key] = np.concatenate([array, array[-1:]]) if grow else array[:-1].copy()
    members["weights.safetensors"] = save_arrays(arrays)
    _refused_or_same(_archive(members, update_checksums=True), X, expected)
