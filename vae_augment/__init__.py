"""vae_augment: a variational autoencoder as a scikit-learn data-augmentation step."""

from ._augmenter import VAEAugmenter
from ._datasets import load_penguins
from ._quality import QualityReport, quality_report

__all__ = ["QualityReport", "VAEAugmenter", "load_penguins", "quality_report"]
__version__ = "0.1.0"
