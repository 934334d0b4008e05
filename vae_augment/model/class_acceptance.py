"""Rows of a class that look like it: the conditional decoder's rows, accepted by the
target head.

A conditional VAE's rows of a class blur into the other classes (on the telecom churn
table a classifier trained on real rows calls 71 % of the generated rows of each class
by their class, against 88 % of held-out real rows: ``docs/benchmarks.md``). With a
target head, a row proposed for class ``c`` is accepted with probability
``p_head(c | row)`` and proposed anew otherwise: rejection sampling from
``q(row | c) * p_head(c | row)``, the product of the generative and the discriminative
model (which makes classes somewhat more separable than real rows are when the
decoder alone already separates them well; figures in the benchmarks).
"""

from __future__ import annotations

from collections.abc import Callable

import torch

#: Proposals per row at most: a row the head has rejected this often keeps its last
#: proposal (a plain draw of the decoder), so the loop always ends.
MAX_ROUNDS = 20

#: The acceptance probability is the head's raised to this power: 1 samples from the
#: product of decoder and head; below 1 tempers the head (measured in the benchmarks).
ACCEPTANCE_POWER = 1.0

Propose = Callable[[torch.Tensor], tuple[torch.Tensor, torch.Tensor]]


def accepted_rows(
    module,
    labels: torch.Tensor,
    propose: Propose,
    generator: torch.Generator,
    tested: torch.Tensor | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Generated blocks of rows of classes ``labels``, accepted by the head.

    Parameters
    ----------
    module : TabularVAE
        The network; without a target head the first proposal is the answer.
    labels : LongTensor of shape (n_rows,)
        The class of every row.
    propose : callable
        ``propose(index)`` gives the numeric block and codes of new rows for the
        positions ``index`` (a LongTensor) of ``labels``.
    generator : torch.Generator
        Source of the acceptance draws.
    tested : BoolTensor of shape (n_rows,), default=None
        The rows to accept or reject (default all): a row with nothing left to draw
        keeps its first proposal.

    Returns
    -------
    numeric, codes : Tensor
        The rows' blocks; a row rejected ``MAX_ROUNDS`` times keeps its last proposal.
    """
    everyone = torch.arange(len(labels), device=labels.device)
    numeric, codes = propose(everyone)
    if not module.has_target_head:
        return numeric, codes
    pending = everyone if tested is None else everyone[tested]
    for _ in range(MAX_ROUNDS - 1):
        if not len(pending):
            break
        probability = module.class_probability(
            numeric[pending], codes[pending], labels[pending]
        )
        draw = torch.rand(len(pending), generator=generator, device=labels.device)
        pending = pending[draw >= probability**ACCEPTANCE_POWER]
        if len(pending):
            numeric[pending], codes[pending] = propose(pending)
    return numeric, codes
