"""The one inference path: chunks sized for wide outputs, evaluation mode, no gradients."""

import numpy as np
import torch

from vae_augment.model import inference
from vae_augment.model.layout import BlockLayout
from vae_augment.model.vae import TabularVAE


def _module(category_sizes=(3,)) -> TabularVAE:
    layout = BlockLayout(2, category_sizes, (), (), 0)
    return TabularVAE.build(layout, latent_dim=2, hidden_dims=(4,))


def test_chunks_cover_every_row_once_and_shrink_for_wide_outputs(monkeypatch):
    size = inference.CHUNK_ROWS
    narrow = list(inference.chunk_slices(_module(), 2 * size + 1808))
    assert [s.stop - s.start for s in narrow] == [size, size, 1808]
    # Rows computed 64 times at once (conditional proposals) come in smaller chunks.
    proposals = list(inference.chunk_slices(_module(), 10_000, passes=64))
    assert max(s.stop - s.start for s in proposals) * 64 <= inference.CHUNK_PASSES
    assert sum(s.stop - s.start for s in proposals) == 10_000
    monkeypatch.setattr(inference, "CHUNK_OUTPUTS", 1_000)
    wide = _module(category_sizes=(96,))  # 2 * 2 + 96 = 100 outputs per row
    sizes = [s.stop - s.start for s in inference.chunk_slices(wide, 95)]
    assert sizes == [10] * 9 + [5]


def test_collect_runs_in_evaluation_mode_without_gradients():
    module = _module().train()
    seen = []

    def step(rows):
        seen.append((module.training, torch.is_grad_enabled()))
        return (torch.arange(rows.start, rows.stop), torch.ones(rows.stop - rows.start))

    n_rows = 2 * inference.CHUNK_ROWS + 808
    index, ones = inference.collect(module, n_rows, step)
    np.testing.assert_array_equal(index, np.arange(n_rows))
    assert ones.shape == (n_rows,) and isinstance(ones, np.ndarray)
    assert seen == [(False, False)] * 3
