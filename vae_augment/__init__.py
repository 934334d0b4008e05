"""vae_augment: a variational autoencoder as a scikit-learn data-augmentation step."""

from ._augmented import AugmentedEstimator
from ._augmenter import VAEAugmenter
from ._dask import dask_sample, dask_transform
from ._datasets import load_penguins
from ._plots import (
    plot_association_difference,
    plot_latent,
    plot_marginals,
    plot_training_curves,
)
from ._quality import QualityReport, quality_report
from ._resampler import VAEResampler
from ._serialization import ModelFileError, load

__all__ = [
    "AugmentedEstimator",
    "ModelFileError",
    "QualityReport",
    "VAEAugmenter",
    "VAEResampler",
    "dask_sample",
    "dask_transform",
    "load",
    "load_penguins",
    "plot_association_difference",
    "plot_latent",
    "plot_marginals",
    "plot_training_curves",
    "quality_report",
]
__version__ = "0.1.0"
