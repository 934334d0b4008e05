"""Run under ``torchrun`` by ``gpu_check.py``: one fit through the DDP path.

The script initialises the process group itself (NCCL for CUDA tensors and gloo for
CPU ones when a GPU is visible, gloo alone otherwise), so that even one process trains
through ``DistributedDataParallel``; rank 0 prints what the fit ended with, as JSON::

    python -m torch.distributed.run --standalone --nproc_per_node=1 \\
        benchmarks/torchrun_smoke.py
"""

import json

import torch
from sklearn.datasets import load_breast_cancer
from torch import distributed as dist

from vae_augment import VAEAugmenter


def main() -> None:
    cuda = torch.cuda.is_available()
    dist.init_process_group("cpu:gloo,cuda:nccl" if cuda else "gloo")
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    model = VAEAugmenter(device="cuda" if cuda else "cpu", random_state=0).fit(X, y)
    X_new, _ = model.sample(1000, random_state=0)
    if dist.get_rank() == 0:
        result = {
            "world_size": dist.get_world_size(),
            "backend": str(dist.get_backend()),
            "device": str(model.device_),
            "n_iter": model.n_iter_,
            "best_epoch": model.best_epoch_,
            "rows": len(X_new),
        }
        print(json.dumps(result), flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
