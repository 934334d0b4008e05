"""Argument types of the command line, checked at parse time, and its own user error."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from ..table.io import STANDARD_STREAM, check_encoding, table_format

PROG = "vae-augment"


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return value


def seed(text: str) -> int:
    """A random seed: a whole number from 0 to 2**32 - 1 (numpy's range)."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError(
            f"expected a whole number from 0 to {2**32 - 1}, got {text!r}"
        )
    return value


def non_negative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {text!r}")
    return value


def positive_float(text: str) -> float:
    value = non_negative_float(text)
    if value == 0:
        raise argparse.ArgumentTypeError(f"expected a number > 0, got {text!r}")
    return value


def fraction(text: str) -> float:
    value = non_negative_float(text)
    if value >= 1:
        raise argparse.ArgumentTypeError(f"expected a number in [0, 1), got {text!r}")
    return value


def probability(text: str) -> float:
    value = non_negative_float(text)
    if value > 1:
        raise argparse.ArgumentTypeError(f"expected a number in [0, 1], got {text!r}")
    return value


def hidden_dims_list(text: str) -> tuple[int, ...]:
    try:
        return tuple(positive_int(part) for part in text.split(","))
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(
            f"expected positive whole numbers separated by commas (e.g. 128,128), got "
            f"{text!r}"
        ) from None


def batch_size(text: str) -> int | str:
    return "auto" if text == "auto" else positive_int(text)


def class_count(text: str) -> tuple[str, int]:
    label, _, count = text.rpartition("=")
    if not label or not count.isdigit():
        raise argparse.ArgumentTypeError(
            f"expected LABEL=COUNT with a whole number COUNT >= 0, got {text!r}"
        )
    return label, int(count)


def given_pair(text: str) -> tuple[str, str]:
    """``COLUMN=VALUE`` of ``sample --given`` (the value is typed later, by column)."""
    column, sep, value = text.partition("=")
    if not sep or not column:
        raise argparse.ArgumentTypeError(f"expected COLUMN=VALUE, got {text!r}")
    return column, value


#: What ``--dtype COL=KIND`` may ask for a column.
COLUMN_KINDS = ("text", "integer", "float", "datetime", "categorical", "key")


def column_dtype(text: str) -> tuple[str, str]:
    """``COL=KIND`` of ``--dtype``."""
    name, sep, kind = text.rpartition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected COL=KIND, got {text!r}")
    if kind not in COLUMN_KINDS:
        raise argparse.ArgumentTypeError(
            f"{text!r}: KIND must be one of {', '.join(COLUMN_KINDS)}"
        )
    return name, kind


def table_path(text: str) -> str:
    """A table's file name, of a known format (checked at parse time, before any slow
    work), or ``-`` for the standard stream."""
    try:
        table_format(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error).rstrip(".")) from None
    return text


def training_data(text: str) -> str:
    """A table's file name, ``-``, or a folder of Parquet files."""
    return text if Path(text).is_dir() else table_path(text)


def model_path(text: str) -> str:
    """A model file name that is not a table's (the model would overwrite the table)."""
    if text == STANDARD_STREAM:
        raise argparse.ArgumentTypeError(
            "a model is written to a file, not to standard output; give a file name "
            "(e.g. model.vae)"
        )
    try:
        table_format(text)
    except ValueError:
        return text
    raise argparse.ArgumentTypeError(
        f"{text} is a table's name; writing the model there would overwrite the table, "
        "give it another name (e.g. model.vae)"
    )


#: How ``--sep`` takes a tab: the two characters ``\t`` (as a shell passes '\t'), or
#: ``tab``.
_TAB_NAMES = ("\\t", "tab")


def separator(text: str) -> str:
    """The field separator of delimited text: one character (``\\t`` or ``tab``: a tab)."""
    sep = "\t" if text in _TAB_NAMES else text
    if len(sep) != 1 or sep in '"\r\n':
        raise argparse.ArgumentTypeError(
            f"expected one character other than a quote or a line break (e.g. ';', or "
            f"'\\t' for a tab), got {text!r}"
        )
    return sep


def text_encoding(text: str) -> str:
    """A text encoding Python knows (utf-8, latin-1, cp1252, ...)."""
    try:
        return check_encoding(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


_DEVICE = re.compile(r"auto|cpu|mps|cuda(:\d+)?")


def device_name(text: str) -> str:
    """A torch device name as ``VAEAugmenter(device=...)`` takes it (whether this
    machine has it is checked when the model is fitted)."""
    if not _DEVICE.fullmatch(text):
        raise argparse.ArgumentTypeError(
            f"expected auto, cpu, cuda, cuda:N or mps, got {text!r}"
        )
    return text


#: VAEAugmenter parameters that ``fit`` takes as options: name -> (type, metavar, help).
MODEL_OPTIONS = {
    "latent_dim": (positive_int, "N", "size of the latent code"),
    "hidden_dims": (hidden_dims_list, "N,N,...", "widths of the encoder's layers"),
    "max_epochs": (positive_int, "N", "most passes over the training rows"),
    "batch_size": (batch_size, "N", "rows per training step, or 'auto'"),
    "learning_rate": (positive_float, "X", "Adam's learning rate"),
    "beta": (non_negative_float, "X", "weight of the KL term (1 = plain VAE)"),
    "input_dropout": (fraction, "X", "share of cells hidden from the encoder in training"),
    "target_dropout": (
        probability,
        "X",
        "share of rows whose --target is hidden from the encoder in training",
    ),
    "target_type": (str, None, "how --target is modelled"),
    "device": (device_name, "DEVICE", "torch device: auto, cpu, cuda, cuda:N or mps"),
}


class UserError(Exception):
    """A mistake in the arguments found after parsing (reported like a parse error)."""


def one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def listing(names, most: int = 10) -> str:
    """``names`` as text, the first ``most`` of them and how many more."""
    names = [str(name) for name in names]
    more = f" and {len(names) - most} more" if len(names) > most else ""
    return ", ".join(names[:most]) + more
