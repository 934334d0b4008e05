"""vae_augment: a variational autoencoder as a scikit-learn data-augmentation step.

Everything public is importable from here; the sub-packages are the layers of the
implementation (see the documentation's Architecture page) and are not public API.
"""

from ._version import __version__ as __version__
from .datasets.penguins import load_penguins
from .estimators.augmenter import VAEAugmenter
from .estimators.encoder import VAEEncoder
from .estimators.imputer import VAEImputer
from .estimators.loading import load
from .evaluation.plots import (
    plot_association_difference,
    plot_latent,
    plot_marginals,
    plot_training_curves,
)
from .evaluation.quality import QualityReport, quality_report
from .evaluation.utility import UtilityScores
from .integrations.augmented import AugmentedEstimator
from .integrations.dask import dask_sample, dask_transform
from .integrations.resampler import VAEResampler
from .persistence.errors import ModelFileError

__all__ = [
    "AugmentedEstimator",
    "ModelFileError",
    "QualityReport",
    "UtilityScores",
    "VAEAugmenter",
    "VAEEncoder",
    "VAEImputer",
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
