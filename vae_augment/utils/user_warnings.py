"""Warnings that point at the user's line, however deep in the package they are raised."""

from __future__ import annotations

import sys
import warnings

from .warning_types import VAEAugmentWarning

#: Modules whose frames lie between the user's call and the warning.
_INTERNAL = ("vae_augment.", "sklearn.", "contextlib")


def warn_user(message: str, category: type[Warning] = VAEAugmentWarning) -> None:
    """``warnings.warn`` with the stack level of the first frame outside the package.

    The same warning can be raised from different depths (``transform`` and
    ``score_samples`` reach the codec through different calls, scikit-learn's
    ``set_output`` and our decorators add frames): a fixed ``stacklevel`` would point
    into the package for some of them.
    """
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_globals.get("__name__", "").startswith(_INTERNAL):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level + 1)
