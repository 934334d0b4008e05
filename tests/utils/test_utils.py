"""The shared mechanisms: optional imports, atomic files, seeds, argument checks."""

import sys

import numpy as np
import pytest
import torch

from vae_augment.utils.checks import check_hidden_dims, check_positive_int
from vae_augment.utils.files import replaced_atomically
from vae_augment.utils.optional import optional_import
from vae_augment.utils.seeds import new_seed, process_seed, torch_generator


def test_optional_import_gives_the_module_or_names_the_extra(monkeypatch):
    assert optional_import("json", extra="x", feature="y").dumps([]) == "[]"
    monkeypatch.setitem(sys.modules, "pyarrow.dataset", None)
    with pytest.raises(
        ImportError,
        match=r'pyarrow is needed for Parquet files; .*"vae-augment\[parquet\]"',
    ):
        optional_import("pyarrow.dataset", extra="parquet", feature="Parquet files")


def test_atomic_replacement_keeps_the_old_file_on_failure(tmp_path):
    path = tmp_path / "model.vae"
    path.write_text("old")
    with pytest.raises(RuntimeError), replaced_atomically(path) as partial:
        partial.write_text("half")
        raise RuntimeError("interrupted")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["model.vae"]  # no partial left
    with replaced_atomically(path) as partial:
        partial.write_text("new")
    assert path.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["model.vae"]


def test_atomic_replacement_names_a_missing_folder(tmp_path):
    target = tmp_path / "absent" / "model.vae"
    with pytest.raises(FileNotFoundError, match=r"the folder .*absent does not exist"):
        with replaced_atomically(target):
            pass


def test_seeds_are_reproducible_and_leave_torch_global_generator_alone():
    before = torch.random.get_rng_state()
    assert new_seed(np.random.RandomState(3)) == new_seed(np.random.RandomState(3))
    first = torch.rand(3, generator=torch_generator(5, torch.device("cpu")))
    second = torch.rand(3, generator=torch_generator(5, torch.device("cpu")))
    assert torch.equal(first, second)
    assert torch.equal(torch.random.get_rng_state(), before)
    assert process_seed(7, 0) != process_seed(7, 1)


@pytest.mark.parametrize("value", [0, -1, 1.5, True, "3"])
def test_positive_int_check_names_the_parameter(value):
    with pytest.raises(ValueError, match="n_samples must be a positive integer"):
        check_positive_int(value, "n_samples")


@pytest.mark.parametrize("value", [(), (0,), (8, -1), (2.0,), "64", (True,)])
def test_hidden_dims_check(value):
    with pytest.raises(ValueError, match="hidden_dims must be a non-empty sequence"):
        check_hidden_dims(value)
    assert check_hidden_dims([np.int64(4), 2]) == (4, 2)
