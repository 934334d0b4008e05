"""The training loop and its faults: best weights, divergence, interrupts, memory.

How training ended is told on the progress bar, in the log and as a warning when
``max_epochs`` ended it.

Also reproducibility: identical seeds give identical models, and ``sample`` from several
threads gives the rows it gives serially.
"""

import dataclasses
import itertools
import logging
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
import torch
from helpers import FAST

from vae_augment import MaxEpochsWarning, TrainingWarning, VAEAugmenter
from vae_augment.model.latent_prior import LatentMixture
from vae_augment.model.layout import BlockLayout
from vae_augment.model.tensors import TensorTable
from vae_augment.model.vae import TabularVAE
from vae_augment.table.codec import EncodedTable
from vae_augment.training import loop
from vae_augment.training.batches import ShuffledBatches
from vae_augment.training.distributed import Processes
from vae_augment.training.loop import mean_losses, train

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
        "max_epochs": 40,
        "n_iter_no_change": 5,
        "input_dropout": 0.0,
        "target_dropout": 1.0,
        "generator": torch.Generator().manual_seed(0),
        "verbose": False,
    }
    batches = ShuffledBatches(make_table(200, 0), 32)
    return train(
        module, batches, validation, processes=Processes(), **{**settings, **overrides}
    )


def test_best_weights_are_restored_not_last():
    validation = make_table(50, 1)
    module = make_module()
    history = run(module, validation)
    assert history.best_loss == min(history.validation_loss)
    assert history.validation_loss[history.best_epoch - 1] == history.best_loss
    # The restored weights reproduce the best epoch's validation loss exactly.
    assert mean_losses(module, validation, 1.0)[0] == pytest.approx(history.best_loss)
    if history.best_epoch < len(history.validation_loss):
        assert history.validation_loss[-1] != history.best_loss


def test_a_target_head_keeps_the_weights_of_its_own_best_epoch(monkeypatch):
    layout = dataclasses.replace(LAYOUT, encoder_blind=(1,))  # a continuous target
    module = TabularVAE(layout, latent_dim=2, hidden_dims=(16,), target_head=True)
    module.reset_parameters(torch.Generator().manual_seed(0))
    seen = []

    def recorded(*args):
        losses = losses_of(*args)
        seen.append(losses[1])
        return losses

    losses_of = loop.mean_losses
    monkeypatch.setattr(loop, "mean_losses", recorded)
    validation = make_table(50, 1)
    history = run(module, validation, max_epochs=60, n_iter_no_change=60)
    assert len(seen) == history.n_epochs == 60
    # the head's loss went up again after its best epoch: it is that epoch's weights
    assert seen[-1] > min(seen)
    assert losses_of(module, validation, 1.0)[1] == pytest.approx(min(seen))


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
    with pytest.raises(FloatingPointError, match="training loss became nan in epoch 1"):
        run(module, None)


def test_same_generator_same_training():
    first, second = make_module(), make_module()
    assert run(first, None).train_loss == run(second, None).train_loss
    for a, b in zip(first.parameters(), second.parameters(), strict=True):
        assert torch.equal(a, b)


def test_diverging_validation_loss_is_reported(monkeypatch):
    monkeypatch.setattr(loop, "mean_losses", lambda *args: (float("inf"), 0.0))
    with pytest.raises(FloatingPointError, match="validation loss became inf in epoch 1"):
        run(make_module(), make_table(50, 1))


def test_huge_learning_rate_diverges_with_advice():
    with pytest.raises(FloatingPointError, match=r"learning_rate.*extreme values"):
        run(make_module(), None, learning_rate=1e30)


# --------------------------------------------------------------- interrupts
def watch_steps(monkeypatch, interrupt_at: int | None = None) -> itertools.count:
    """Count training steps; the ``interrupt_at``-th (1-based) raises KeyboardInterrupt.

    Returns the counter: ``next(counter) - 1`` is the number of steps taken so far.
    """
    elbo = TabularVAE.negative_elbo
    steps = itertools.count(1)

    def counted(self, table, **kwargs):
        if kwargs.get("generator") is not None and next(steps) == interrupt_at:
            raise KeyboardInterrupt
        return elbo(self, table, **kwargs)

    monkeypatch.setattr(TabularVAE, "negative_elbo", counted)
    return steps


def test_interrupt_keeps_the_best_weights_so_far(monkeypatch):
    steps_per_epoch = -(-200 // 32)
    reference = make_module()
    expected = run(reference, make_table(50, 1), max_epochs=3)
    watch_steps(monkeypatch, interrupt_at=3 * steps_per_epoch + 2)  # inside epoch 4
    module = make_module()
    with pytest.warns(TrainingWarning, match="interrupted in epoch 4.*best of the 3"):
        history = run(module, make_table(50, 1))
    assert history.validation_loss == expected.validation_loss
    assert history.best_epoch == expected.best_epoch
    for a, b in zip(
        module.state_dict().values(), reference.state_dict().values(), strict=True
    ):
        assert torch.equal(a, b)
    assert not module.training


def test_interrupt_in_the_first_epoch_propagates(monkeypatch):
    watch_steps(monkeypatch, interrupt_at=2)
    with pytest.raises(KeyboardInterrupt):
        run(make_module(), None)


def test_interrupted_fit_leaves_a_usable_estimator(monkeypatch, mixed):
    X, y = mixed
    steps = watch_steps(monkeypatch)
    reference = VAEAugmenter(**{**FAST, "max_epochs": 3}).fit(X, y)
    steps_per_epoch = (next(steps) - 1) // 3
    monkeypatch.undo()
    watch_steps(monkeypatch, interrupt_at=3 * steps_per_epoch + steps_per_epoch // 2)
    with pytest.warns(TrainingWarning, match="interrupted in epoch 4") as caught:
        augmenter = VAEAugmenter(**FAST).fit(X, y)
    assert caught[0].filename == __file__  # the warning points at the user's call
    assert augmenter.n_iter_ == 3
    assert augmenter.best_epoch_ == reference.best_epoch_
    assert augmenter.loss_curve_ == reference.loss_curve_
    state, expected = augmenter.module_.state_dict(), reference.module_.state_dict()
    for name, tensor in expected.items():
        assert torch.equal(state[name], tensor), name
    X_new, y_new = augmenter.sample(50, random_state=0)
    assert list(X_new.columns) == list(X.columns) and len(y_new) == 50


def test_interrupt_while_fitting_the_latent_mixture_keeps_the_model(monkeypatch, mixed):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(LatentMixture, "fit", interrupted)
    with pytest.warns(TrainingWarning, match="latent mixture.*N\\(0, I\\)"):
        augmenter = VAEAugmenter(**FAST).fit(*mixed)
    assert augmenter.latent_prior_.weights.shape == (2, 1)  # N(0, I) per class
    assert len(augmenter.sample(20, random_state=0)[0]) == 20


# ---------------------------------------------------- how training ended
def test_early_stop_is_logged_and_shown_without_a_warning(caplog, capsys):
    with caplog.at_level(logging.DEBUG, logger="vae_augment"), warnings.catch_warnings():
        warnings.simplefilter("error", MaxEpochsWarning)
        history = run(
            make_module(),
            make_table(50, 1),
            learning_rate=0.3,
            max_epochs=200,
            verbose=True,
        )
    n, kept = history.n_epochs, history.best_epoch
    assert n < 200
    epochs = [r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG]
    assert len(epochs) == n
    assert epochs[-1] == (
        f"epoch {n}: training loss {history.train_loss[-1]:.4f}, validation loss "
        f"{history.validation_loss[-1]:.4f}"
    )
    assert caplog.records[-1].getMessage() == (
        f"Training stopped early at epoch {n} (no improvement in validation loss for 5 "
        f"epochs); kept epoch {kept} (validation loss {history.best_loss:.4f})."
    )
    assert f"VAEAugmenter: stopped early at epoch {n}, kept epoch {kept}" in (
        capsys.readouterr().err
    )


def test_max_epochs_warns_logs_and_shows_the_kept_epoch(caplog, capsys):
    with caplog.at_level(logging.INFO, logger="vae_augment"):
        with pytest.warns(MaxEpochsWarning) as caught:
            history = run(make_module(), None, max_epochs=3, verbose=True)
    kept = history.best_epoch
    message = str(caught[0].message)
    assert message.startswith("Training reached max_epochs=3 before it converged")
    assert f"the training loss last improved at epoch {kept}" in message
    assert f"Kept the weights of epoch {kept}" in message
    assert "reached max_epochs=3 before early stopping" in caplog.records[-1].getMessage()
    assert f"VAEAugmenter: reached max_epochs=3, kept epoch {kept}" in (
        capsys.readouterr().err
    )


def test_early_stop_in_the_last_epoch_is_no_max_epochs_warning():
    first = run(make_module(), make_table(50, 1), learning_rate=0.3, max_epochs=200)
    with warnings.catch_warnings():
        warnings.simplefilter("error", MaxEpochsWarning)
        again = run(
            make_module(), make_table(50, 1), learning_rate=0.3, max_epochs=first.n_epochs
        )
    assert again.n_epochs == first.n_epochs


def test_max_epochs_warning_points_at_the_users_fit(mixed):
    with pytest.warns(MaxEpochsWarning) as caught:
        VAEAugmenter(**{**FAST, "max_epochs": 2}).fit(mixed[0].head(50))
    assert caught[0].filename == __file__


def test_interrupt_is_shown_on_the_progress_bar(monkeypatch, capsys):
    watch_steps(monkeypatch, interrupt_at=3 * -(-200 // 32) + 2)  # inside epoch 4
    with pytest.warns(TrainingWarning):
        history = run(make_module(), make_table(50, 1), verbose=True)
    assert f"interrupted in epoch 4, kept epoch {history.best_epoch}" in (
        capsys.readouterr().err
    )


# ------------------------------------------------------------ out of memory
def out_of_memory(*args, **kwargs):
    raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 20.00 GiB")


def test_out_of_memory_in_training_suggests_smaller_batches(monkeypatch, mixed):
    monkeypatch.setattr(TabularVAE, "decode", out_of_memory)
    with pytest.raises(torch.cuda.OutOfMemoryError, match="smaller batch_size") as error:
        VAEAugmenter(**FAST).fit(*mixed)
    assert "while training" in str(error.value) and "20.00 GiB" in str(error.value)


@pytest.mark.parametrize("method", ["sample", "transform", "score_samples"])
def test_out_of_memory_outside_training_is_explained(monkeypatch, fitted, mixed, method):
    monkeypatch.setattr(TabularVAE, "decode", out_of_memory)
    args = (10,) if method == "sample" else (mixed[0],)
    with pytest.raises(torch.cuda.OutOfMemoryError, match="device='cpu'") as error:
        getattr(fitted, method)(*args)
    assert "ran out of memory while" in str(error.value)


# -------------------------------------------------------------- determinism
def test_same_seed_same_weights_samples_and_reconstructions(mixed):
    X, y = mixed
    first = VAEAugmenter(**{**FAST, "max_epochs": 10}).fit(X, y)
    second = VAEAugmenter(**{**FAST, "max_epochs": 10}).fit(X, y)
    for a, b in zip(
        first.module_.state_dict().values(),
        second.module_.state_dict().values(),
        strict=True,
    ):
        assert torch.equal(a, b)
    pd.testing.assert_frame_equal(first.sample(200)[0], second.sample(200)[0])
    pd.testing.assert_frame_equal(first.transform(X), second.transform(X))
    np.testing.assert_array_equal(first.score_samples(X), second.score_samples(X))


def test_sample_from_threads_equals_serial_sample(fitted):
    seeds = range(12)
    serial = [fitted.sample(300, random_state=seed) for seed in seeds]
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(lambda seed: fitted.sample(300, random_state=seed), seeds))
    for (X_serial, y_serial), (X_thread, y_thread) in zip(serial, threaded, strict=True):
        pd.testing.assert_frame_equal(X_serial, X_thread)
        pd.testing.assert_series_equal(y_serial, y_thread)


def test_transform_from_threads_equals_serial_transform(fitted, mixed):
    X, _ = mixed
    expected = fitted.transform(X)
    with ThreadPoolExecutor(max_workers=4) as pool:
        for result in pool.map(lambda _: fitted.transform(X), range(4)):
            pd.testing.assert_frame_equal(result, expected)
