"""vae_augment: a variational autoencoder as a scikit-learn data-augmentation step.

Everything public is importable from here; the sub-packages are the layers of the
implementation (see the documentation's Architecture page) and are not public API.
"""

import logging

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
from .utils.warning_types import (
    DataWarning,
    DeviceWarning,
    MaxEpochsWarning,
    TargetTypeWarning,
    TrainingWarning,
    VAEAugmentWarning,
)

# A library's convention: its records go where the application's logging sends them,
# and nowhere when it configures none.
logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "AugmentedEstimator",
    "DataWarning",
    "DeviceWarning",
    "MaxEpochsWarning",
    "ModelFileError",
    "QualityReport",
    "TargetTypeWarning",
    "TrainingWarning",
    "UtilityScores",
    "VAEAugmentWarning",
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
