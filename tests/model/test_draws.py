"""Categorical draws: the softmax's frequencies, never a zero-probability category."""

import numpy as np
import torch

from vae_augment.model.draws import draw_categories


def test_draws_follow_the_softmax_and_skip_impossible_categories():
    logits = torch.log(torch.tensor([[0.2, 0.0, 0.5, 0.3], [0.0, 0.0, 0.0, 1.0]]))
    rows = logits.repeat_interleave(20_000, dim=0)  # -inf where the probability is 0
    drawn = draw_categories(rows, torch.Generator().manual_seed(0)).numpy()
    first = np.bincount(drawn[:20_000], minlength=4) / 20_000
    np.testing.assert_allclose(first, [0.2, 0.0, 0.5, 0.3], atol=0.01)
    assert first[1] == 0
    assert (drawn[20_000:] == 3).all()


def test_draws_are_the_generators_and_shift_invariant():
    logits = torch.randn(500, 7, generator=torch.Generator().manual_seed(1))
    first = draw_categories(logits, torch.Generator().manual_seed(2))
    again = draw_categories(logits + 50.0, torch.Generator().manual_seed(2))
    other = draw_categories(logits, torch.Generator().manual_seed(3))
    assert torch.equal(first, again)
    assert not torch.equal(first, other)
    assert first.dtype == torch.long and first.shape == (500,)
