"""One fit, from rows to a :class:`~.fitted.FittedVAE`: data, network, training, prior."""

from __future__ import annotations

import numpy as np
import torch
from sklearn.utils import check_random_state

from ..model.devices import resolve_device
from ..model.inference import collect
from ..model.latent_prior import LatentMixture
from ..model.layout import BlockLayout
from ..model.target_head import TargetHead
from ..model.tensors import TensorTable
from ..model.vae import TabularVAE
from ..training.distributed import current_processes, local_cuda_device
from ..training.loop import train
from ..utils.seeds import process_seed
from ..utils.user_warnings import warn_user
from ..utils.warning_types import TrainingWarning
from .fit_log import log_fit
from .fitted import FittedVAE
from .settings import Settings
from .training_data import training_data


def _posterior_codes(
    module: TabularVAE,
    table: TensorTable,
    generator: torch.Generator,
    *,
    with_target: bool,
) -> np.ndarray:
    """One latent code drawn from each row's posterior."""

    def step(rows: slice):
        mean, log_var = module.posterior(table.rows(rows), with_target=with_target)
        noise = torch.randn(mean.shape, generator=generator, device=mean.device)
        return (mean + torch.exp(0.5 * log_var) * noise,)

    return collect(module, len(table), step)[0]


def _latent_prior(
    settings: Settings,
    module: TabularVAE,
    table: TensorTable,
    n_groups: int,
    rng,
    generator: torch.Generator,
) -> LatentMixture:
    """The latent distribution ``sample`` draws from (see ``latent_prior``)."""
    if settings.latent_prior == "normal":
        return LatentMixture.standard_normal(settings.latent_dim, n_groups)
    groups = (
        np.zeros(len(table), dtype=np.int64)
        if table.labels is None
        else table.labels.cpu().numpy()
    )
    rows = LatentMixture.rows_to_fit(groups, n_groups, rng)
    if len(rows) < len(table):
        table = table.rows(torch.as_tensor(rows, device=table.observed.device))
    # Codes of rows whose target the encoder saw carry the target's relation to X.
    codes = _posterior_codes(
        module, table, generator, with_target=settings.target_dropout < 1
    )
    return LatentMixture.fit(codes, groups[rows], n_groups, rng)


def fit_vae(settings: Settings, X, y, random_state) -> FittedVAE:
    """Fit a VAE of ``X`` (conditional on ``y``'s classes, or jointly with ``y``).

    Parameters
    ----------
    settings : Settings
        The hyper-parameters.
    X : table, Parquet path or pyarrow dataset
        The training rows (see ``VAEAugmenter.fit``).
    y : array-like, str or None
        The target, or the name of a Parquet target column.
    random_state : int, RandomState instance or None
        Seeds the split, the weights, the batches and the latent prior.

    Returns
    -------
    FittedVAE
        Everything the fit learned. Under ``torchrun``, every process returns the same.
    """
    processes = current_processes()
    device = resolve_device(settings.device)
    if processes.is_distributed and device == torch.device("cuda"):
        device = local_cuda_device()
    rng = check_random_state(random_state)
    data = training_data(settings, X, y, rng, processes, device)
    log_fit(data, device, processes)
    n_classes = data.table.n_classes
    layout = BlockLayout.of(data.table.codec, n_classes)
    generator = torch.Generator(device=device).manual_seed(data.seed)
    module = TabularVAE.build(
        layout,
        settings.latent_dim,
        settings.hidden_dims,
        target_head=settings.target_head and TargetHead.applies_to(layout),
    )
    module = module.to(device)
    module.reset_parameters(generator)
    # Same initial weights everywhere; each process its own noise and batch order.
    generator.manual_seed(process_seed(data.seed, processes.rank))
    history = train(
        module,
        data.batches,
        data.validation,
        processes=processes,
        beta=settings.beta,
        learning_rate=settings.learning_rate,
        max_epochs=settings.max_epochs,
        n_iter_no_change=settings.n_iter_no_change,
        input_dropout=settings.input_dropout,
        target_dropout=settings.target_dropout,
        generator=generator,
        verbose=settings.verbose,
    )
    n_groups = max(1, n_classes)
    try:
        prior = processes.first_computes(
            lambda: _latent_prior(
                settings, module, data.prior_rows, n_groups, rng, generator
            )
        )
    except KeyboardInterrupt:
        if processes.is_distributed:
            raise
        # Ctrl-C keeps the trained weights (see training.loop.train): fall back to the
        # quick prior rather than discard them.
        warn_user(
            "Interrupted while fitting the latent mixture; sample() draws latent "
            "codes from N(0, I) instead (latent_prior='normal').",
            TrainingWarning,
        )
        prior = LatentMixture.standard_normal(settings.latent_dim, n_groups)
    return FittedVAE(
        data.table,
        settings.latent_dim,
        settings.hidden_dims,
        module,
        prior,
        history,
        device,
    )
