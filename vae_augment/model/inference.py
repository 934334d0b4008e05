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

#: Most rows computed at once outside training.
CHUNK_ROWS = 16_384
#: Most decoder outputs (rows x outputs per row) computed at once outside training.
CHUNK_OUTPUTS = 2**24

Step = Callable[[slice], tuple[torch.Tensor, ...]]


def chunk_slices(module: TabularVAE, n_rows: int) -> Iterator[slice]:
    """Row slices of at most :data:`CHUNK_ROWS` rows, fewer for wide outputs.

    A 10,000-level column alone has 10,000 logits per row.
    """
    width = module.decoder_out.out_features
    size = max(1, min(CHUNK_ROWS, CHUNK_OUTPUTS // width))
    return (slice(start, min(start + size, n_rows)) for start in range(0, n_rows, size))


def chunked(
    module: TabularVAE, n_rows: int, step: Step
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

    Yields
    ------
    tuple of ndarray
        The chunk's results, in ``step``'s order.
    """
    module.eval()
    for rows in chunk_slices(module, n_rows):
        with torch.no_grad():
            outputs = step(rows)
        yield tuple(output.cpu().numpy() for output in outputs)


def collect(module: TabularVAE, n_rows: int, step: Step) -> tuple[np.ndarray, ...]:
    """Every chunk of :func:`chunked`, concatenated: one array per result of ``step``."""
    parts = list(zip(*chunked(module, n_rows, step), strict=True))
    return tuple(np.concatenate(part) for part in parts)
