"""The scikit-learn surface: ``VAEAugmenter`` and loading its model files."""
