"""The training loop: early stopping keeps the best weights, divergence is reported."""

import numpy as np
import pytest
import torch

from vae_augment._codec import EncodedTable
from vae_augment._model import BlockLayout, TabularVAE, TensorTable
from vae_augment._training import mean_loss, train

LAYOUT = BlockLayout(
    n_numeric=2, category_sizes=(3,), missing_heads=(0,), encoder_blind=(), n_classes=0
)


def make_table(n_rows: int, seed: int) -> TensorTable:
    rng = np.random.default_rng(seed)
    numeric = rng.normal(size=(n_rows, 2)).astype(np.float32)
    numeric[rng.random(n_rows) < 0.2, 0] = np.nan
    codes = rng.integers(0, 3, (n_rows, 1))
    return TensorTable.from_encoded(EncodedTable(numeric, codes), None, torch.device("cpu"))


def make_module(seed: int = 0) -> TabularVAE:
    module = TabularVAE(LAYOUT, latent_dim=2, hidden_dims=(16,))
    module.reset_parameters(torch.Generator().manual_seed(seed))
    return module


def run(module, validation, **overrides):
    settings = {
        "beta": 1.0,
        "learning_rate": 1e-2,
        "batch_size": 32,
        "max_epochs": 40,
        "n_iter_no_change": 5,
        "input_dropout": 0.0,
        "generator": torch.Generator().manual_seed(0),
        "verbose": False,
    }
    return train(module, make_table(200, 0), validation, **{**settings, **overrides})


def test_best_weights_are_restored_not_last():
    validation = make_table(50, 1)
    module = make_module()
    history = run(module, validation)
    assert history.best_loss == min(history.validation_loss)
    assert history.validation_loss[history.best_epoch - 1] == history.best_loss
    # The restored weights reproduce the best epoch's validation loss exactly.
    assert mean_loss(module, validation, 1.0, 32) == pytest.approx(history.best_loss)
    if history.best_epoch < len(history.validation_loss):
        assert history.validation_loss[-1] != history.best_loss


def test_stops_after_patience_without_improvement():
    history = run(make_module(), make_table(50, 1), learning_rate=0.3, max_epochs=200)
    epochs = len(history.train_loss)
    assert epochs < 200
    assert epochs - history.best_epoch == 5


def test_diverging_loss_is_reported(monkeypatch):
    module = make_module()

    def nan_loss(table, **kwargs):
        loss = torch.full((len(table),), float("nan"), requires_grad=True)
        return loss, loss

    monkeypatch.setattr(module, "negative_elbo", nan_loss)
    with pytest.raises(FloatingPointError, match="learning_rate"):
        run(module, None)


def test_same_generator_same_training():
    first, second = make_module(), make_module()
    assert run(first, None).train_loss == run(second, None).train_loss
    for a, b in zip(first.parameters(), second.parameters(), strict=True):
        assert torch.equal(a, b)
