"""The variational autoencoder: MLP encoder and decoder with one likelihood per block.

The decoder predicts, for every row,

* a Gaussian (mean and learned scale) per numeric column, on the codec's normal scale;
* a categorical distribution per categorical column;
* a Bernoulli "is missing" probability per column that had missing values in training,

so missingness is modelled jointly with the values. When class labels are given the
model is a conditional VAE: a learned class embedding enters both encoder and decoder.

The model may also get a :class:`~.target_head.TargetHead`: with a continuous target
(the column the encoder is blind to) it draws the target of every generated row given
that row's generated features; with class labels it accepts or rejects the rows
generated for a class (:mod:`.class_acceptance`).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from .draws import draw_categories
from .layers import LOG_2PI, MIN_SCALE, cell_embeddings, mlp, read_cells
from .layout import BlockLayout
from .target_head import TargetHead
from .tensors import TensorTable


class DecoderOutput(NamedTuple):
    """Parameters of the per-block likelihoods predicted by the decoder."""

    mean: torch.Tensor
    scale: torch.Tensor
    logits: list[torch.Tensor]
    missing_logits: torch.Tensor


def _stack_codes(columns: list[torch.Tensor], like: torch.Tensor) -> torch.Tensor:
    """Stack per-column level indices into (n_rows, n_categorical), also for none."""
    if not columns:
        return torch.zeros((len(like), 0), dtype=torch.long, device=like.device)
    return torch.stack(columns, dim=1)


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
    target_head : bool, default=False
        Whether the class labels, or the continuous target (``layout.encoder_blind``),
        get a target head.
    """

    def __init__(
        self,
        layout: BlockLayout,
        latent_dim: int,
        hidden_dims: tuple[int, ...],
        *,
        target_head: bool = False,
    ) -> None:
        super().__init__()
        self.layout = layout
        p, sizes = layout.n_numeric, layout.category_sizes
        first, last = hidden_dims[0], hidden_dims[-1]
        # Encoder input: numeric values, one "observed" flag per column, and one
        # embedding per categorical column whose extra last row stands for "missing".
        self.encoder_dense = nn.Linear(p + layout.n_columns, first)
        self.encoder_levels = cell_embeddings(sizes, first)
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
        self.encoder_body = mlp(hidden_dims)
        self.encoder_out = nn.Linear(last, 2 * latent_dim)

        reversed_dims = tuple(reversed(hidden_dims))
        self.decoder_latent = nn.Linear(latent_dim, last)
        self.decoder_classes = (
            nn.Embedding(layout.n_classes, last) if layout.n_classes else None
        )
        self.decoder_body = mlp(reversed_dims)
        n_outputs = 2 * p + sum(sizes) + len(layout.missing_heads)
        self.decoder_out = nn.Linear(first, n_outputs)
        self.latent_dim = latent_dim
        # One hidden layer of half the encoder's first width: as good as the encoder's
        # widths on five regression tables, with fewer weights (docs/benchmarks.md).
        self.target_head = (
            TargetHead(layout, (max(1, first // 2),)) if target_head else None
        )

    @classmethod
    def build(
        cls,
        layout: BlockLayout,
        latent_dim: int,
        hidden_dims: tuple[int, ...],
        *,
        target_head: bool = False,
    ) -> TabularVAE:
        """A new network, built without drawing from (or seeding) torch's global
        generator; :meth:`reset_parameters` then initialises it from a local one."""
        with torch.random.fork_rng(devices=[]):
            return cls(layout, latent_dim, hidden_dims, target_head=target_head)

    @property
    def has_target_head(self) -> bool:
        """Whether the network has a target head."""
        return self.target_head is not None

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
        hidden = read_cells(
            self.encoder_dense,
            self.encoder_levels,
            table,
            seen,
            self.missing_slot,
            self.level_offsets,
        )
        if self.encoder_classes is not None:
            hidden = hidden + self.encoder_classes(table.labels)
        mean, log_var = self.encoder_out(self.encoder_body(hidden)).chunk(2, dim=1)
        return mean, log_var.clamp(-12.0, 8.0)

    def target_head_loss(self, table: TensorTable) -> torch.Tensor:
        """Per-row negative log-likelihood of the row's class or observed target under
        the target head, given the row's other cells (zeros without a head)."""
        if not self.has_target_head:
            return torch.zeros(len(table), device=table.numeric.device)
        seen = table.observed & self.encoder_visible
        return self.target_head.loss(table, seen, self.missing_slot, self.level_offsets)

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
        scale = F.softplus(raw_scale.contiguous()) + MIN_SCALE
        return DecoderOutput(mean.contiguous(), scale, logits, missing_logits)

    # ------------------------------------------------------------------- losses
    def negative_elbo(
        self,
        table: TensorTable,
        *,
        generator: torch.Generator | None = None,
        input_dropout: float = 0.0,
        target_dropout: float = 1.0,
        scored: torch.Tensor | None = None,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Per-row reconstruction loss and KL divergence.

        With a ``generator`` the latent code is sampled (training); without one the
        posterior mean is used, which makes the value deterministic (evaluation).
        ``input_dropout`` hides that fraction of observed cells from the encoder,
        which teaches it to impute; in training, the encoder sees the columns it is
        otherwise blind to (a continuous target) in all rows but a ``target_dropout``
        fraction of them; ``scored`` limits the missingness terms (see
        :meth:`reconstruction_loss`).
        """
        seen = table.observed & self.encoder_visible
        if generator is not None and target_dropout < 1:
            shown = torch.rand((len(seen), 1), generator=generator, device=seen.device)
            seen = seen | (table.observed & (shown >= target_dropout))
        if input_dropout > 0:
            keep = torch.rand(seen.shape, generator=generator, device=seen.device)
            seen = seen & (keep >= input_dropout)
        mean, log_var = self.encode(table, seen)
        z = mean
        if generator is not None:
            noise = torch.randn(mean.shape, generator=generator, device=mean.device)
            z = mean + torch.exp(0.5 * log_var) * noise
        kl = 0.5 * (mean.square() + log_var.exp() - 1.0 - log_var).sum(dim=1)
        out = self.decode(z, table.labels)
        return self.reconstruction_loss(out, table, scored=scored), kl

    def forward(
        self,
        table: TensorTable,
        *,
        generator: torch.Generator | None = None,
        input_dropout: float = 0.0,
        target_dropout: float = 1.0,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """The training loss: :meth:`negative_elbo`, the target head's loss added to
        the reconstruction term.

        Training calls the module itself so that ``DistributedDataParallel``, which
        wraps this call, can average gradients over processes.
        """
        reconstruction, kl = self.negative_elbo(
            table,
            generator=generator,
            input_dropout=input_dropout,
            target_dropout=target_dropout,
        )
        return reconstruction + self.target_head_loss(table), kl

    def reconstruction_loss(
        self, out: DecoderOutput, table: TensorTable, *, scored: torch.Tensor | None = None
    ) -> torch.Tensor:
        """Per-row negative log-likelihood of the observed cells and of missingness.

        ``scored`` (n_rows, n_columns), if given, limits the missingness terms to those
        cells: a cell left free in a condition is neither observed nor missing.
        """
        p = self.layout.n_numeric
        observed = table.observed
        gaussian = (
            0.5 * ((table.numeric - out.mean) / out.scale).square()
            + out.scale.log()
            + 0.5 * LOG_2PI
        )
        loss = (gaussian * observed[:, :p]).sum(dim=1)
        for j, logits in enumerate(out.logits):
            nll = F.cross_entropy(logits, table.codes[:, j], reduction="none")
            loss = loss + nll * observed[:, p + j]
        if len(self.layout.missing_heads):
            is_missing = (~observed[:, self.missing_heads]).to(out.missing_logits.dtype)
            terms = F.binary_cross_entropy_with_logits(
                out.missing_logits, is_missing, reduction="none"
            )
            if scored is not None:
                terms = terms * scored[:, self.missing_heads]
            loss = loss + terms.sum(dim=1)
        return loss

    # ------------------------------------------------------------ decoded rows
    def generate(
        self,
        z: torch.Tensor,
        labels: torch.Tensor | None,
        generator: torch.Generator,
        *,
        missing: bool = True,
        given: TensorTable | None = None,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Draw rows from the decoder's likelihoods: numeric block and codes.

        Categories are sampled from their predicted distribution (argmax would erase
        rare levels); missing cells are ``NaN`` / ``-1``, drawn from the missingness
        heads unless ``missing=False`` (imputation: every cell gets a value). The
        observed cells of ``given`` are kept. With a continuous target's head, the target
        is drawn from it, given the row's other cells (a class head does not change the
        rows: see :mod:`.class_acceptance`).
        """
        out = self.decode(z, labels)
        noise = torch.randn(out.mean.shape, generator=generator, device=z.device)
        numeric = out.mean + out.scale * noise
        codes = _stack_codes(
            [draw_categories(logits, generator) for logits in out.logits], z
        )
        if missing and len(self.layout.missing_heads):
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
        if given is not None:
            p = self.layout.n_numeric
            numeric = torch.where(given.observed[:, :p], given.numeric, numeric)
            codes = torch.where(given.observed[:, p:], given.codes, codes)
        if self.has_target_head and not self.layout.n_classes:
            numeric = self.target_head.draw(
                numeric,
                codes,
                self.encoder_visible,
                self.missing_slot,
                self.level_offsets,
                generator,
            )
        return numeric, codes

    def class_probability(
        self, numeric: torch.Tensor, codes: torch.Tensor, labels: torch.Tensor
    ) -> torch.Tensor:
        """The target head's probability of each generated row's class ``labels``."""
        return self.target_head.class_probability(
            numeric, codes, labels, self.missing_slot, self.level_offsets
        )

    def posterior(
        self, table: TensorTable, *, with_target: bool = False
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Posterior mean and log-variance given every observed cell the encoder sees
        (and, ``with_target``, the columns it is blind to outside training)."""
        if with_target:
            return self.encode(table, table.observed)
        return self.encode(table, table.observed & self.encoder_visible)

    def point_values(
        self, z: torch.Tensor, labels: torch.Tensor | None
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """The decoder's likelihood of every cell, for codes ``z``, as point values.

        Returns the mean and scale of each numeric cell (on the codec's normal scale,
        for :meth:`~vae_augment.table.codec.TableCodec.decode` to average in the
        column's units) and the most probable level of each categorical cell.
        """
        out = self.decode(z, labels)
        codes = _stack_codes([lg.argmax(dim=1) for lg in out.logits], z)
        return out.mean, out.scale, codes

    def reconstruct(
        self, table: TensorTable
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Deterministic reconstruction of every cell at the posterior mean.

        The same three blocks as :meth:`point_values`.
        """
        mean, _ = self.posterior(table)
        return self.point_values(mean, table.labels)

    # ------------------------------------------------------------------ classes
    def elbo_per_class(
        self, table: TensorTable, log_prior: np.ndarray, *, scored=None
    ) -> torch.Tensor:
        """ELBO of each row under each class plus the class's log prior.

        Parameters
        ----------
        table : TensorTable
            Rows (their own labels are ignored).
        log_prior : ndarray of shape (n_classes,)
            Log frequency of each class.
        scored : Tensor or None, default=None
            The cells whose missingness counts (see :meth:`reconstruction_loss`).

        Returns
        -------
        Tensor of shape (n_rows, n_classes)
        """
        device = table.observed.device
        scores = torch.empty((len(table), self.layout.n_classes), device=device)
        for k in range(self.layout.n_classes):
            labels = torch.full((len(table),), k, dtype=torch.long, device=device)
            reconstruction, kl = self.negative_elbo(
                table.with_labels(labels), scored=scored
            )
            scores[:, k] = -(reconstruction + kl) + float(log_prior[k])
        return scores

    def under_likely_class(self, table: TensorTable, log_prior: np.ndarray) -> TensorTable:
        """Label each row with its most probable class (unconditional models: as is)."""
        if not self.layout.n_classes:
            return table
        return table.with_labels(self.elbo_per_class(table, log_prior).argmax(dim=1))

    # -------------------------------------------------------------- conditions
    def conditional_codes(
        self,
        table: TensorTable,
        prior,
        groups: torch.Tensor,
        generator: torch.Generator,
        n_proposals: int,
    ) -> torch.Tensor:
        """Latent codes drawn given the observed cells of ``table`` (rows' labels set).

        Sampling-importance-resampling with a defensive proposal: ``n_proposals`` codes
        per row, half from the encoder's posterior of the partly observed row, half from
        the unconditional ``prior``, each weighted by the decoder's likelihood of the
        observed cells times the prior density over the proposal's (the mixture of
        both), and one drawn by weight. The prior's half keeps the draw sound when the
        encoder has never seen rows so incomplete (a single fixed cell); the encoder's
        half finds the codes of a condition the prior rarely reaches.

        Parameters
        ----------
        table : TensorTable
            Rows whose observed cells are the condition (the others are free).
        prior : LatentMixture
            The unconditional distribution of codes (``sample`` and ``log_prob``).
        groups : LongTensor of shape (n_rows,)
            Each row's group in ``prior`` (its class, or 0).
        generator : torch.Generator
            Source of randomness.
        n_proposals : int
            Codes proposed per row (at least 2: one from each proposal).

        Returns
        -------
        Tensor of shape (n_rows, latent_dim)
        """
        mean, log_var = self.posterior(table)
        n_rows, latent_dim = mean.shape
        device = mean.device
        n_encoder = max(1, n_proposals // 2)
        n_prior = max(1, n_proposals - n_encoder)
        std = torch.exp(0.5 * log_var)
        noise = torch.randn(
            (n_encoder, n_rows, latent_dim), generator=generator, device=device
        )
        from_encoder = mean + std * noise
        from_prior = prior.sample(groups.repeat(n_prior), generator).reshape(
            n_prior, n_rows, latent_dim
        )
        z = torch.cat([from_encoder, from_prior])  # (n_proposals, n_rows, latent_dim)
        n_total = n_encoder + n_prior
        flat = z.reshape(n_total * n_rows, latent_dim)
        repeated = table.rows(torch.arange(n_rows, device=device).repeat(n_total))
        out = self.decode(flat, repeated.labels)
        log_likelihood = -self.reconstruction_loss(out, repeated, scored=repeated.observed)
        log_p = prior.log_prob(flat, groups.repeat(n_total)).reshape(n_total, n_rows)
        whitened = (z - mean) / std
        log_q = (-0.5 * whitened.square() - torch.log(std) - 0.5 * LOG_2PI).sum(-1)
        share = math.log(n_encoder / n_total), math.log(n_prior / n_total)
        log_mixture = torch.logaddexp(log_q + share[0], log_p + share[1])
        log_weights = log_likelihood.reshape(n_total, n_rows) + log_p - log_mixture
        chosen = draw_categories(log_weights.T, generator)
        return z[chosen, torch.arange(n_rows, device=device)]
