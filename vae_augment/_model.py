"""The variational autoencoder: MLP encoder and decoder with one likelihood per block.

The decoder predicts, for every row,

* a Gaussian (mean and learned scale) per numeric column, on the codec's normal scale;
* a categorical distribution per categorical column;
* a Bernoulli "is missing" probability per column that had missing values in training,

so missingness is modelled jointly with the values. When class labels are given the
model is a conditional VAE: a learned class embedding enters both encoder and decoder.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from ._codec import EncodedTable

_MIN_SCALE = 1e-2
_LOG_2PI = math.log(2 * math.pi)


@dataclass(frozen=True)
class BlockLayout:
    """The shape of a table in the model's terms.

    Parameters
    ----------
    n_numeric : int
        Number of numeric columns.
    category_sizes : tuple of int
        Number of levels of each categorical column.
    missing_heads : tuple of int
        Columns (numeric first, then categorical) with a missingness head.
    encoder_blind : tuple of int
        Numeric columns the encoder never sees (a target modelled jointly with ``X``:
        it is generated, but ``transform`` and ``score_samples`` have no value for it).
    n_classes : int
        Number of classes the model is conditioned on; 0 for an unconditional model.
    """

    n_numeric: int
    category_sizes: tuple[int, ...]
    missing_heads: tuple[int, ...]
    encoder_blind: tuple[int, ...]
    n_classes: int

    @property
    def n_columns(self) -> int:
        """Number of columns, numeric and categorical."""
        return self.n_numeric + len(self.category_sizes)


@dataclass
class TensorTable:
    """An encoded table on the training device.

    Parameters
    ----------
    numeric : Tensor of shape (n_samples, n_numeric)
        Numeric block, missing cells set to 0.
    codes : Tensor of shape (n_samples, n_categorical)
        Level indices, missing cells set to 0.
    observed : Tensor of shape (n_samples, n_columns), dtype bool
        Which cells hold a value.
    labels : Tensor of shape (n_samples,) or None
        Class index of each row for a conditional model.
    """

    numeric: torch.Tensor
    codes: torch.Tensor
    observed: torch.Tensor
    labels: torch.Tensor | None

    @classmethod
    def from_encoded(
        cls, encoded: EncodedTable, labels: np.ndarray | None, device: torch.device
    ) -> TensorTable:
        """Move an :class:`EncodedTable` (and class indices) to ``device`` once."""
        numeric_missing = np.isnan(encoded.numeric)
        codes_missing = encoded.codes < 0
        observed = ~np.concatenate([numeric_missing, codes_missing], axis=1)
        return cls(
            numeric=torch.as_tensor(np.where(numeric_missing, 0.0, encoded.numeric)).to(
                device, torch.float32
            ),
            codes=torch.as_tensor(np.where(codes_missing, 0, encoded.codes)).to(device),
            observed=torch.as_tensor(observed).to(device),
            labels=None if labels is None else torch.as_tensor(labels).to(device),
        )

    def __len__(self) -> int:
        return self.observed.shape[0]

    def rows(self, index: torch.Tensor | slice) -> TensorTable:
        """The rows at ``index`` (a view for slices, no host round trip)."""
        return TensorTable(
            self.numeric[index],
            self.codes[index],
            self.observed[index],
            None if self.labels is None else self.labels[index],
        )

    def to(self, device: torch.device | str) -> TensorTable:
        """The same rows on ``device``."""
        return TensorTable(
            self.numeric.to(device),
            self.codes.to(device),
            self.observed.to(device),
            None if self.labels is None else self.labels.to(device),
        )

    def with_labels(self, labels: torch.Tensor) -> TensorTable:
        """The same rows conditioned on other class labels."""
        return TensorTable(self.numeric, self.codes, self.observed, labels)


class DecoderOutput(NamedTuple):
    """Parameters of the per-block likelihoods predicted by the decoder."""

    mean: torch.Tensor
    scale: torch.Tensor
    logits: list[torch.Tensor]
    missing_logits: torch.Tensor


def _mlp(widths: tuple[int, ...]) -> nn.Sequential:
    layers: list[nn.Module] = [nn.SiLU()]
    for width_in, width_out in itertools.pairwise(widths):
        layers += [nn.Linear(width_in, width_out), nn.SiLU()]
    return nn.Sequential(*layers)


def _stack_codes(columns: list[torch.Tensor], like: torch.Tensor) -> torch.Tensor:
    """Stack per-column level indices into (n_rows, n_categorical), also for none."""
    if not columns:
        return torch.zeros((len(like), 0), dtype=torch.long, device=like.device)
    return torch.stack(columns, dim=1)


def _draw_levels(logits: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """One level per row from ``softmax(logits)``, by inverting the cumulative sums.

    Equivalent to ``torch.multinomial(logits.softmax(1), 1)``, several times faster for
    many rows of few levels.
    """
    cumulative = (logits - logits.amax(dim=1, keepdim=True)).exp().cumsum(dim=1)
    uniform = torch.rand((len(logits), 1), generator=generator, device=logits.device)
    # Level k covers (cumulative[k-1], cumulative[k]]: zero-probability levels never win.
    drawn = (cumulative <= uniform * cumulative[:, -1:]).sum(dim=1)
    return drawn.clamp_(max=logits.shape[1] - 1)


class TabularVAE(nn.Module):
    """A VAE over a mixed-type table laid out as in :class:`BlockLayout`.

    Parameters
    ----------
    layout : BlockLayout
        The table's blocks.
    latent_dim : int
        Size of the latent code.
    hidden_dims : tuple of int
        Widths of the encoder's hidden layers; the decoder mirrors them.
    """

    def __init__(
        self, layout: BlockLayout, latent_dim: int, hidden_dims: tuple[int, ...]
    ) -> None:
        super().__init__()
        self.layout = layout
        p, sizes = layout.n_numeric, layout.category_sizes
        first, last = hidden_dims[0], hidden_dims[-1]
        # Encoder input: numeric values, one "observed" flag per column, and one
        # embedding per categorical column whose extra last row stands for "missing".
        self.encoder_dense = nn.Linear(p + layout.n_columns, first)
        self.encoder_levels = (
            # A sum of one embedding per column, without materialising them all.
            nn.EmbeddingBag(sum(s + 1 for s in sizes), first, mode="sum") if sizes else None
        )
        offsets = np.concatenate([[0], np.cumsum([s + 1 for s in sizes])[:-1]])
        self.register_buffer("level_offsets", torch.as_tensor(offsets, dtype=torch.long))
        self.register_buffer(
            "missing_slot", torch.as_tensor(np.asarray(sizes, dtype=np.int64))
        )
        visible = torch.ones(layout.n_columns, dtype=torch.bool)
        visible[list(layout.encoder_blind)] = False
        self.register_buffer("encoder_visible", visible)
        self.register_buffer(
            "missing_heads", torch.as_tensor(layout.missing_heads, dtype=torch.long)
        )
        self.encoder_classes = (
            nn.Embedding(layout.n_classes, first) if layout.n_classes else None
        )
        self.encoder_body = _mlp(hidden_dims)
        self.encoder_out = nn.Linear(last, 2 * latent_dim)

        reversed_dims = tuple(reversed(hidden_dims))
        self.decoder_latent = nn.Linear(latent_dim, last)
        self.decoder_classes = (
            nn.Embedding(layout.n_classes, last) if layout.n_classes else None
        )
        self.decoder_body = _mlp(reversed_dims)
        n_outputs = 2 * p + sum(sizes) + len(layout.missing_heads)
        self.decoder_out = nn.Linear(first, n_outputs)
        self.latent_dim = latent_dim

    def reset_parameters(self, generator: torch.Generator) -> None:
        """Initialise all weights from ``generator`` (reproducible, no global seed).

        Linear layers get PyTorch's default ``U(-1/sqrt(fan_in), 1/sqrt(fan_in))``; the
        embeddings, which stand in for a linear layer on one-hot inputs, get the bound
        of the encoder's first layer.
        """
        with torch.no_grad():
            for module in self.modules():
                if isinstance(module, nn.Linear):
                    bound = 1.0 / math.sqrt(module.in_features)
                    for tensor in (module.weight, module.bias):
                        tensor.uniform_(-bound, bound, generator=generator)
                elif isinstance(module, (nn.Embedding, nn.EmbeddingBag)):
                    bound = 1.0 / math.sqrt(self.encoder_dense.in_features)
                    module.weight.uniform_(-bound, bound, generator=generator)

    # ----------------------------------------------------------------- networks
    def encode(
        self, table: TensorTable, seen: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Posterior mean and log-variance given the cells marked in ``seen``."""
        p = self.layout.n_numeric
        values = table.numeric * seen[:, :p]
        hidden = self.encoder_dense(torch.cat([values, seen.to(values.dtype)], dim=1))
        if self.encoder_levels is not None:
            index = torch.where(seen[:, p:], table.codes, self.missing_slot)
            hidden = hidden + self.encoder_levels(index + self.level_offsets)
        if self.encoder_classes is not None:
            hidden = hidden + self.encoder_classes(table.labels)
        mean, log_var = self.encoder_out(self.encoder_body(hidden)).chunk(2, dim=1)
        return mean, log_var.clamp(-12.0, 8.0)

    def decode(self, z: torch.Tensor, labels: torch.Tensor | None) -> DecoderOutput:
        """Likelihood parameters for latent codes ``z``."""
        hidden = self.decoder_latent(z)
        if self.decoder_classes is not None:
            hidden = hidden + self.decoder_classes(labels)
        out = self.decoder_out(self.decoder_body(hidden))
        p = self.layout.n_numeric
        mean, raw_scale = out[:, :p], out[:, p : 2 * p]
        split = [*self.layout.category_sizes, len(self.layout.missing_heads)]
        *logits, missing_logits = torch.split(out[:, 2 * p :], split, dim=1)
        # Element-wise kernels are several times slower on these narrow column slices
        # than on a contiguous copy.
        scale = F.softplus(raw_scale.contiguous()) + _MIN_SCALE
        return DecoderOutput(mean.contiguous(), scale, logits, missing_logits)

    # ------------------------------------------------------------------- losses
    def negative_elbo(
        self,
        table: TensorTable,
        *,
        generator: torch.Generator | None = None,
        input_dropout: float = 0.0,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Per-row reconstruction loss and KL divergence.

        With a ``generator`` the latent code is sampled (training); without one the
        posterior mean is used, which makes the value deterministic (evaluation).
        ``input_dropout`` hides that fraction of observed cells from the encoder,
        which teaches it to impute.
        """
        seen = table.observed & self.encoder_visible
        if input_dropout > 0:
            keep = torch.rand(seen.shape, generator=generator, device=seen.device)
            seen = seen & (keep >= input_dropout)
        mean, log_var = self.encode(table, seen)
        z = mean
        if generator is not None:
            noise = torch.randn(mean.shape, generator=generator, device=mean.device)
            z = mean + torch.exp(0.5 * log_var) * noise
        kl = 0.5 * (mean.square() + log_var.exp() - 1.0 - log_var).sum(dim=1)
        return self.reconstruction_loss(self.decode(z, table.labels), table), kl

    def forward(
        self,
        table: TensorTable,
        *,
        generator: torch.Generator | None = None,
        input_dropout: float = 0.0,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """The training step's :meth:`negative_elbo`.

        Training calls the module itself so that ``DistributedDataParallel``, which
        wraps this call, can average gradients over processes.
        """
        return self.negative_elbo(table, generator=generator, input_dropout=input_dropout)

    def reconstruction_loss(self, out: DecoderOutput, table: TensorTable) -> torch.Tensor:
        """Per-row negative log-likelihood of the observed cells and of missingness."""
        p = self.layout.n_numeric
        observed = table.observed
        gaussian = (
            0.5 * ((table.numeric - out.mean) / out.scale).square()
            + out.scale.log()
            + 0.5 * _LOG_2PI
        )
        loss = (gaussian * observed[:, :p]).sum(dim=1)
        for j, logits in enumerate(out.logits):
            nll = F.cross_entropy(logits, table.codes[:, j], reduction="none")
            loss = loss + nll * observed[:, p + j]
        if len(self.layout.missing_heads):
            is_missing = (~observed[:, self.missing_heads]).to(out.missing_logits.dtype)
            loss = loss + F.binary_cross_entropy_with_logits(
                out.missing_logits, is_missing, reduction="none"
            ).sum(dim=1)
        return loss

    # ------------------------------------------------------------ decoded rows
    def generate(
        self, z: torch.Tensor, labels: torch.Tensor | None, generator: torch.Generator
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Draw rows from the decoder's likelihoods: numeric block and codes.

        Categories are sampled from their predicted distribution (argmax would erase
        rare levels); missing cells are ``NaN`` / ``-1``.
        """
        out = self.decode(z, labels)
        noise = torch.randn(out.mean.shape, generator=generator, device=z.device)
        numeric = out.mean + out.scale * noise
        codes = _stack_codes([_draw_levels(logits, generator) for logits in out.logits], z)
        if len(self.layout.missing_heads):
            probability = torch.sigmoid(out.missing_logits)
            missing = torch.zeros(
                (len(z), self.layout.n_columns), dtype=torch.bool, device=z.device
            )
            missing[:, self.missing_heads] = (
                torch.rand(probability.shape, generator=generator, device=z.device)
                < probability
            )
            p = self.layout.n_numeric
            numeric = numeric.masked_fill(missing[:, :p], float("nan"))
            codes = codes.masked_fill(missing[:, p:], -1)
        return numeric, codes

    def posterior(self, table: TensorTable) -> tuple[torch.Tensor, torch.Tensor]:
        """Posterior mean and log-variance given every observed cell the encoder sees."""
        return self.encode(table, table.observed & self.encoder_visible)

    def reconstruct(self, table: TensorTable) -> tuple[torch.Tensor, torch.Tensor]:
        """Deterministic reconstruction (posterior mean, likelihood mode) of every cell."""
        mean, _ = self.posterior(table)
        out = self.decode(mean, table.labels)
        return out.mean, _stack_codes([lg.argmax(dim=1) for lg in out.logits], mean)
