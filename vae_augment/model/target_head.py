"""The target head: a Gaussian over a continuous target given a row's other cells.

A network of its own (the encoder's kind of first layer over the cells, then its own
hidden layers), trained on the real rows with the VAE. :meth:`TargetHead.draw` gives
every generated row a target drawn given that row's generated features, so the rows
carry the target's relation to the features rather than what the latent code kept of
it (TSTR R² on five public regression tables: 0.83-1.20 of real rows', against
0.08-0.89 from the decoder; ``docs/benchmarks.md``).
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from .layers import LOG_2PI, MIN_SCALE, cell_embeddings, mlp, read_cells
from .layout import BlockLayout
from .tensors import TensorTable


class TargetHead(nn.Module):
    """p(target | other cells) for the numeric column ``layout.encoder_blind[0]``.

    Parameters
    ----------
    layout : BlockLayout
        The table's blocks; its one encoder-blind column is the target.
    hidden_dims : tuple of int
        Widths of the hidden layers.
    """

    def __init__(self, layout: BlockLayout, hidden_dims: tuple[int, ...]) -> None:
        super().__init__()
        if len(layout.encoder_blind) != 1:
            raise ValueError("a target head needs a continuous target")
        self.column = layout.encoder_blind[0]
        first, last = hidden_dims[0], hidden_dims[-1]
        self.dense = nn.Linear(layout.n_numeric + layout.n_columns, first)
        self.levels = cell_embeddings(layout.category_sizes, first)
        self.body = mlp(hidden_dims)
        self.out = nn.Linear(last, 2)

    def distribution(
        self, table: TensorTable, seen: torch.Tensor, missing_slot, level_offsets
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Mean and scale of the target given the cells marked in ``seen`` (which
        must not include the target)."""
        hidden = read_cells(
            self.dense, self.levels, table, seen, missing_slot, level_offsets
        )
        mean, raw_scale = self.out(self.body(hidden)).unbind(dim=1)
        return mean, F.softplus(raw_scale) + MIN_SCALE

    def loss(
        self, table: TensorTable, seen: torch.Tensor, missing_slot, level_offsets
    ) -> torch.Tensor:
        """Per-row negative log-likelihood of the observed target."""
        mean, scale = self.distribution(table, seen, missing_slot, level_offsets)
        target = table.numeric[:, self.column]
        nll = 0.5 * ((target - mean) / scale).square() + scale.log() + 0.5 * LOG_2PI
        return nll * table.observed[:, self.column]

    def draw(
        self,
        numeric: torch.Tensor,
        codes: torch.Tensor,
        visible: torch.Tensor,
        missing_slot,
        level_offsets,
        generator: torch.Generator,
    ) -> torch.Tensor:
        """``numeric`` (generated blocks, missing cells ``NaN`` / ``-1``) with the
        target drawn given each row's other cells; a target drawn missing stays
        missing. ``visible`` marks the columns the head reads (all but the target)."""
        observed = torch.cat([~torch.isnan(numeric), codes >= 0], dim=1)
        cells = TensorTable(numeric.nan_to_num(0.0), codes.clamp(min=0), observed, None)
        mean, scale = self.distribution(
            cells, observed & visible, missing_slot, level_offsets
        )
        noise = torch.randn(mean.shape, generator=generator, device=mean.device)
        numeric = numeric.clone()
        numeric[:, self.column] = torch.where(
            observed[:, self.column], mean + scale * noise, numeric[:, self.column]
        )
        return numeric
