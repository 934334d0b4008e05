"""Torch devices: the one a user asks for, the one a loaded model can use, GPU memory."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import torch

from ..utils.user_warnings import warn_user
from ..utils.warning_types import DeviceWarning

#: What to do when CUDA runs out of memory outside training.
INFERENCE_MEMORY_ADVICE = (
    "Free GPU memory held by other tensors or processes, or move the model to the CPU: "
    "model.save(path), then vae_augment.load(path, device='cpu')."
)


def resolve_device(device) -> torch.device:
    """The torch device ``device`` names (``"auto"``: CUDA when available, else CPU).

    Raises
    ------
    ValueError
        For a name that is no device, or a GPU this machine does not have.
    """
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        resolved = torch.device(device)
    except (RuntimeError, TypeError):
        resolved = None
    if resolved is None or resolved.type not in ("cpu", "cuda", "mps"):
        raise ValueError(
            f"device={device!r} is not a device VAEAugmenter runs on; use 'auto', 'cpu', "
            "'cuda', 'cuda:N' or 'mps'."
        )
    if resolved.type != "cpu":
        if resolved.type == "cuda":
            found = torch.cuda.device_count() if torch.cuda.is_available() else 0
        else:
            found = int(torch.backends.mps.is_available())
        if (resolved.index or 0) >= found:
            raise ValueError(
                f"device={device!r} asks for {resolved.type.upper()} device "
                f"{resolved.index or 0}, but torch finds {found} {resolved.type.upper()} "
                "device(s) here; use device='auto' or 'cpu'."
            )
    return resolved


def available_device(fitted_on: torch.device) -> torch.device:
    """The device a model was fitted on when this machine has it, else the CPU."""
    try:
        return resolve_device(fitted_on)
    except ValueError:
        warn_user(
            f"This VAEAugmenter was fitted on {fitted_on}, which this machine does not "
            "have; it was loaded on the CPU.",
            DeviceWarning,
        )
        return torch.device("cpu")


@contextmanager
def out_of_memory_advice(task: str, advice: str) -> Iterator[None]:
    """Re-raise CUDA out-of-memory errors inside the block with what to change.

    The error keeps its type (:class:`torch.cuda.OutOfMemoryError`), so that handlers
    written for torch's own error still catch it; the message names ``task``, gives
    ``advice`` and keeps torch's first line. Usable as a decorator too.
    """
    try:
        yield
    except torch.cuda.OutOfMemoryError as error:
        detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise torch.cuda.OutOfMemoryError(
            f"The GPU ran out of memory while {task}. {advice} (torch: {detail})"
        ) from None
