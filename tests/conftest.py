"""Shared fixtures: a small mixed-type table and augmenters fitted on it once."""

import pytest
import torch
from helpers import FAST, make_mixed_frame

from vae_augment import VAEAugmenter

# The test models are tiny: one intra-op thread is as fast as two on a quiet machine and
# avoids a 10x slowdown when CI shares its cores (spinning threads wait for a busy core).
torch.set_num_threads(1)


@pytest.fixture(scope="session")
def mixed():
    """The mixed table and its labels."""
    return make_mixed_frame()


@pytest.fixture(scope="session")
def fitted(mixed):
    """A conditional augmenter fitted on the mixed table."""
    X, y = mixed
    return VAEAugmenter(**FAST).fit(X, y)


@pytest.fixture
def cli(capsys, monkeypatch):
    """``cli(*argv, stdin=b"...")``: exit code, stdout and stderr of one ``vae-augment``
    command, run in-process (with those bytes on standard input)."""
    import io
    import sys

    from vae_augment.cli.main import main

    def run(*argv, stdin: bytes | None = None):
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exit_info:  # parse errors, --help and --version
            code = exit_info.code
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def fast_fit():
    """``vae-augment fit`` options that fit the small test tables in about a second."""
    epochs = ["--max-epochs", "5", "--seed", "0", "--quiet"]
    return [*epochs, "--hidden-dims", "32,32", "--latent-dim", "4"]
