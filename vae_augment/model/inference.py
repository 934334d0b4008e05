"""The one inference path: a network applied to rows in chunks, results on the host.

Transforming, scoring, encoding, sampling, fitting the latent prior and the validation
loss all go through :func:`chunked`: evaluation mode, no gradients, chunks small enough
for wide outputs, each chunk's tensors copied to numpy once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import torch

from .vae import TabularVAE

#: Most rows computed at once outside training (fastest measured for sampling).
CHUNK_ROWS = 16_384
#: Most rows the networks compute at once outside training, counting each proposal of
#: a row (conditional sampling decodes 64 codes a row): their activations bound the
#: memory of a step.
CHUNK_PASSES = 2**18
#: Most decoder outputs (rows x outputs per row) computed at once outside training.
CHUNK_OUTPUTS = 2**24

Step = Callable[[slice], tuple[torch.Tensor, ...]]


def chunk_slices(module: TabularVAE, n_rows: int, passes: int = 1) -> Iterator[slice]:
    """Row slices of at most :data:`CHUNK_ROWS` rows, fewer for wide outputs or for
    rows computed ``passes`` times at once.

    A 10,000-level column alone has 10,000 logits per row.
    """
    width = module.decoder_out.out_features * passes
    size = max(1, min(CHUNK_ROWS, CHUNK_PASSES // passes, CHUNK_OUTPUTS // width))
    return (slice(start, min(start + size, n_rows)) for start in range(0, n_rows, size))


def chunked(
    module: TabularVAE, n_rows: int, step: Step, passes: int = 1
) -> Iterator[tuple[np.ndarray, ...]]:
    """``step(rows)`` for every chunk of ``n_rows`` rows, as numpy arrays.

    Parameters
    ----------
    module : TabularVAE
        The network; it is put in evaluation mode.
    n_rows : int
        Number of rows.
    step : callable
        Computes a chunk's tensors from its row slice, under ``torch.no_grad()``.
    passes : int, default=1
        How many times ``step`` runs the networks over each row at once (the
        proposals of conditional sampling): chunks shrink to match.

    Yields
    ------
    tuple of ndarray
        The chunk's results, in ``step``'s order.
    """
    module.eval()
    for rows in chunk_slices(module, n_rows, passes):
        with torch.no_grad():
            outputs = step(rows)
        yield tuple(output.cpu().numpy() for output in outputs)


def collect(module: TabularVAE, n_rows: int, step: Step) -> tuple[np.ndarray, ...]:
    """Every chunk of :func:`chunked`, concatenated: one array per result of ``step``."""
    parts = list(zip(*chunked(module, n_rows, step), strict=True))
    return tuple(np.concatenate(part) for part in parts)
