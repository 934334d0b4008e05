"""vae_augment: a variational autoencoder as a scikit-learn data-augmentation step."""

from ._augmented import AugmentedEstimator
from ._augmenter import VAEAugmenter
from ._datasets import load_penguins
from ._quality import QualityReport, quality_report
from ._resampler import VAEResampler

__all__ = [
    "AugmentedEstimator",
    "QualityReport",
    "VAEAugmenter",
    "VAEResampler",
    "load_penguins",
    "quality_report",
]
__version__ = "0.1.0"
