"""``load``: a :class:`VAEAugmenter` from its model file."""

from __future__ import annotations

import os

import torch

from ..model.devices import resolve_device
from ..persistence.model_file import read_model
from .augmenter import VAEAugmenter


def load(path: str | os.PathLike, *, device: str | torch.device = "auto") -> VAEAugmenter:
    """Load a :class:`VAEAugmenter` from a file written by :meth:`VAEAugmenter.save`.

    Loading never runs code from the file: it holds JSON and safetensors only, and only
    an allow-list of types is rebuilt from it. This makes it the format for models you
    receive from others (unlike pickle and joblib files). The file's checksums detect
    corruption, not deliberate tampering (they can be rewritten with the file); safety
    does not depend on them.

    Parameters
    ----------
    path : str or path-like
        The model file.
    device : str or torch.device, default="auto"
        Where to put the network. ``"auto"`` keeps the device the model was fitted on
        when this machine has it and otherwise the CPU (with a warning); ``"cpu"``,
        ``"cuda"``, ``"cuda:N"`` or ``"mps"`` choose one. ``device_`` tells where it
        went.

    Returns
    -------
    VAEAugmenter
        The fitted estimator; it samples, transforms and scores exactly as the saved one
        did (on the same kind of device).

    Raises
    ------
    ModelFileError
        If the file is not a model file, is truncated or corrupted (checksums), was
        written in a newer format version, or holds types, classes or attributes this
        version of vae_augment does not know.
    ValueError
        For an unknown ``device``, or CUDA where there is none.

    See Also
    --------
    VAEAugmenter.save : write a model file.

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> from vae_augment import VAEAugmenter, load
    >>> X = np.random.default_rng(0).normal(size=(100, 3))
    >>> aug = VAEAugmenter(max_epochs=5, random_state=0).fit(X)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     aug.save(f"{folder}/model.vae")
    ...     same = load(f"{folder}/model.vae")
    >>> np.array_equal(same.sample(5)[0], aug.sample(5)[0])
    True
    """
    target = None if device == "auto" else resolve_device(device)
    params, model = read_model(
        path, param_names=set(VAEAugmenter._get_param_names()), device=target
    )
    estimator = VAEAugmenter(**params)
    estimator.model_ = model
    return estimator
