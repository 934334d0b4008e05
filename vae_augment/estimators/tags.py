"""The scikit-learn tags the package's estimators share: mixed tables, NaN allowed."""

from __future__ import annotations


class MixedTableTags:
    """Tags of an estimator that takes tables of any column kinds, with missing values.

    ``_keeps_float32`` says whether a float32 array comes back as float32 (true for the
    estimators that give back the input's columns).
    """

    _keeps_float32 = True

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        tags.target_tags.required = False
        if self._keeps_float32:
            tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
