"""Running ``vae-augment`` in-process, with standard input when a test gives one."""

import io
import sys

import pytest

from vae_augment.cli.main import main


@pytest.fixture
def cli(capsys, monkeypatch):
    """``cli(*argv, stdin=b"...")``: exit code, stdout and stderr of one command."""

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
    """``fit`` options that fit the small test tables in about a second, seeded, quiet."""
    epochs = ["--max-epochs", "5", "--seed", "0", "--quiet"]
    return [*epochs, "--hidden-dims", "32,32", "--latent-dim", "4"]
