"""Checks of arguments that scikit-learn's parameter validation does not cover."""

from __future__ import annotations

import numbers


def check_positive_int(value, name: str) -> None:
    """Raise a ValueError naming ``name`` unless ``value`` is an integer >= 1."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}.")


def check_hidden_dims(value) -> tuple[int, ...]:
    """``value`` as a tuple of ints; a ValueError unless it is a non-empty sequence of
    positive integers."""
    try:
        dims = () if isinstance(value, (str, bytes)) else tuple(value)
    except TypeError:  # not iterable
        dims = ()
    if not dims or not all(
        isinstance(d, numbers.Integral) and not isinstance(d, bool) and d >= 1 for d in dims
    ):
        raise ValueError(
            f"hidden_dims must be a non-empty sequence of positive integers, got {value!r}."
        )
    return tuple(int(d) for d in dims)


def require(condition, message: str) -> None:
    """Raise a ValueError with ``message`` unless ``condition`` holds (for invariants)."""
    if not condition:
        raise ValueError(message)
