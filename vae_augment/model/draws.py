"""Categorical draws: one index per row, the only way the models draw a category."""

from __future__ import annotations

import torch


def draw_categories(logits: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """One index per row from ``softmax(logits)``, by inverting the cumulative sums.

    Equivalent in distribution to ``torch.multinomial(logits.softmax(1), 1)[:, 0]``,
    several times faster for many rows of few categories. A category of logit
    ``-inf`` (probability zero) is never drawn.

    Parameters
    ----------
    logits : Tensor of shape (n_rows, n_categories)
        Unnormalised log-probabilities, finite or ``-inf``, at least one finite a row.
    generator : torch.Generator
        Source of randomness (one uniform a row), on the device of ``logits``.

    Returns
    -------
    LongTensor of shape (n_rows,)
    """
    cumulative = (logits - logits.amax(dim=1, keepdim=True)).exp().cumsum(dim=1)
    uniform = torch.rand((len(logits), 1), generator=generator, device=logits.device)
    # Category k covers (cumulative[k-1], cumulative[k]]: zero-probability ones never win.
    drawn = (cumulative <= uniform * cumulative[:, -1:]).sum(dim=1)
    return drawn.clamp_(max=logits.shape[1] - 1)
