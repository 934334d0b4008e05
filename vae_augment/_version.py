"""The version of vae_augment (the one place it is written)."""

__version__ = "0.1.0"
