"""Pieces the networks share: hidden layers, the first layer over a row's cells, and
the constants of their Gaussian likelihoods."""

from __future__ import annotations

import itertools
import math

import torch
from torch import nn

from .tensors import TensorTable

#: Smallest scale a predicted Gaussian may have (on the codec's normal scale).
MIN_SCALE = 1e-2
LOG_2PI = math.log(2 * math.pi)


def mlp(widths: tuple[int, ...]) -> nn.Sequential:
    """SiLU, then a linear layer and SiLU between each pair of ``widths``."""
    layers: list[nn.Module] = [nn.SiLU()]
    for width_in, width_out in itertools.pairwise(widths):
        layers += [nn.Linear(width_in, width_out), nn.SiLU()]
    return nn.Sequential(*layers)


def cell_embeddings(sizes: tuple[int, ...], width: int) -> nn.EmbeddingBag | None:
    """One embedding per level of every categorical column, plus one for "missing"
    (summed over a row's columns without materialising them); ``None`` without any."""
    return nn.EmbeddingBag(sum(s + 1 for s in sizes), width, mode="sum") if sizes else None


def read_cells(
    dense: nn.Linear,
    levels: nn.EmbeddingBag | None,
    table: TensorTable,
    seen: torch.Tensor,
    missing_slot: torch.Tensor,
    level_offsets: torch.Tensor,
) -> torch.Tensor:
    """First hidden layer over the cells marked in ``seen``: the numeric values and the
    "seen" flags through ``dense``, plus one embedding per categorical cell (an unseen
    one gets its column's "missing" row, ``missing_slot``)."""
    p = table.numeric.shape[1]
    values = table.numeric * seen[:, :p]
    hidden = dense(torch.cat([values, seen.to(values.dtype)], dim=1))
    if levels is not None:
        index = torch.where(seen[:, p:], table.codes, missing_slot)
        hidden = hidden + levels(index + level_offsets)
    return hidden
