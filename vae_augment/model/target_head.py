"""The target head: the target's distribution given a row's other cells.

A network of its own (the encoder's kind of first layer over the cells, then its own
hidden layer), trained on the real rows with the VAE:

* with a **continuous target**, a Gaussian: :meth:`TargetHead.draw` gives every
  generated row a target drawn given that row's generated features, so the rows carry
  the target's relation to the features rather than what the latent code kept of it
  (TSTR R² on five public regression tables: 0.83-1.20 of real rows', against
  0.08-0.89 from the decoder);
* with **class labels**, a classifier: :meth:`TargetHead.class_probability` is the
  acceptance probability of a row generated for a class (see
  :mod:`~.class_acceptance`), so the rows of a class look like that class to a model
  trained on real rows.

Figures in ``docs/benchmarks.md``.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from .layers import LOG_2PI, MIN_SCALE, cell_embeddings, mlp, read_cells
from .layout import BlockLayout
from .tensors import TensorTable


def _cells_of(numeric: torch.Tensor, codes: torch.Tensor) -> TensorTable:
    """Generated blocks (missing cells ``NaN`` / ``-1``) as a table to read."""
    observed = torch.cat([~torch.isnan(numeric), codes >= 0], dim=1)
    return TensorTable(numeric.nan_to_num(0.0), codes.clamp(min=0), observed, None)


class TargetHead(nn.Module):
    """p(target | other cells): the classes of ``layout`` when it has any, else the
    numeric column ``layout.encoder_blind[0]``.

    Parameters
    ----------
    layout : BlockLayout
        The table's blocks: class labels, or one encoder-blind column (the target).
    hidden_dims : tuple of int
        Widths of the hidden layers.
    """

    @staticmethod
    def applies_to(layout: BlockLayout) -> bool:
        """Whether ``layout`` has a target for a head: two classes or more, or one
        encoder-blind numeric column (a continuous target)."""
        if layout.n_classes:
            return layout.n_classes > 1
        return len(layout.encoder_blind) == 1

    def __init__(self, layout: BlockLayout, hidden_dims: tuple[int, ...]) -> None:
        super().__init__()
        if not self.applies_to(layout):
            raise ValueError(
                "a target head needs two classes or more, or one continuous target"
            )
        self.n_classes = layout.n_classes
        self.column = None if self.n_classes else layout.encoder_blind[0]
        first, last = hidden_dims[0], hidden_dims[-1]
        self.dense = nn.Linear(layout.n_numeric + layout.n_columns, first)
        self.levels = cell_embeddings(layout.category_sizes, first)
        self.body = mlp(hidden_dims)
        self.out = nn.Linear(last, self.n_classes or 2)

    def _outputs(
        self, table: TensorTable, seen: torch.Tensor, missing_slot, level_offsets
    ) -> torch.Tensor:
        hidden = read_cells(
            self.dense, self.levels, table, seen, missing_slot, level_offsets
        )
        return self.out(self.body(hidden))

    def distribution(
        self, table: TensorTable, seen: torch.Tensor, missing_slot, level_offsets
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Mean and scale of a continuous target given the cells marked in ``seen``
        (which must not include the target)."""
        mean, raw_scale = self._outputs(table, seen, missing_slot, level_offsets).unbind(
            dim=1
        )
        return mean, F.softplus(raw_scale) + MIN_SCALE

    def loss(
        self, table: TensorTable, seen: torch.Tensor, missing_slot, level_offsets
    ) -> torch.Tensor:
        """Per-row negative log-likelihood of the row's class or observed target."""
        if self.n_classes:
            logits = self._outputs(table, seen, missing_slot, level_offsets)
            return F.cross_entropy(logits, table.labels, reduction="none")
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
        continuous target drawn given each row's other cells; a target drawn missing
        stays missing. ``visible`` marks the columns the head reads (all but the
        target)."""
        cells = _cells_of(numeric, codes)
        mean, scale = self.distribution(
            cells, cells.observed & visible, missing_slot, level_offsets
        )
        noise = torch.randn(mean.shape, generator=generator, device=mean.device)
        numeric = numeric.clone()
        numeric[:, self.column] = torch.where(
            cells.observed[:, self.column], mean + scale * noise, numeric[:, self.column]
        )
        return numeric

    def class_probability(
        self,
        numeric: torch.Tensor,
        codes: torch.Tensor,
        labels: torch.Tensor,
        missing_slot,
        level_offsets,
    ) -> torch.Tensor:
        """Probability of each generated row's class ``labels`` given its cells."""
        cells = _cells_of(numeric, codes)
        logits = self._outputs(cells, cells.observed, missing_slot, level_offsets)
        return logits.softmax(dim=1).gather(1, labels[:, None])[:, 0]
