"""VAEAugmenter in other tools' terms: imbalanced-learn samplers, meta-estimators, Dask."""
