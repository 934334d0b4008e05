"""imbalanced-learn's sampler tags, declared without importing imbalanced-learn.

imbalanced-learn adds two things to scikit-learn's tags: an ``input_tags.dataframe``
flag and ``sampler_tags`` (whether the sampler records ``sample_indices_``). Its
``is_sampler`` and its sampler checks read them, and imbalanced-learn is not a
dependency of this package, so the dataclasses below declare the same fields on top of
scikit-learn's own: both libraries read a :class:`SamplerEstimatorTags` as they read the
tags of imbalanced-learn's samplers.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from sklearn.utils import InputTags, Tags


@dataclass(slots=True)
class SamplerInputTags(InputTags):
    """scikit-learn's input tags plus imbalanced-learn's ``dataframe`` flag.

    Parameters
    ----------
    dataframe : bool, default=False
        Whether the sampler takes a DataFrame (and gives one back).
    """

    dataframe: bool = False


@dataclass(slots=True)
class SamplerTags:
    """imbalanced-learn's tags of a sampler.

    Parameters
    ----------
    sample_indices : bool, default=False
        Whether the sampler records which input rows it returned (``sample_indices_``);
        an over-sampler that generates rows has no such indices.
    """

    sample_indices: bool = False


@dataclass(slots=True)
class SamplerEstimatorTags(Tags):
    """scikit-learn's estimator tags plus imbalanced-learn's ``sampler_tags``.

    Parameters
    ----------
    sampler_tags : SamplerTags or None, default=None
        The sampler's tags (``None`` for estimators that are not samplers).
    """

    sampler_tags: SamplerTags | None = None


def sampler_tags(tags: Tags) -> SamplerEstimatorTags:
    """``tags`` as an over-sampler's that takes DataFrames (imbalanced-learn's terms).

    Parameters
    ----------
    tags : Tags
        The estimator's scikit-learn tags (its input tags say what ``X`` may hold).

    Returns
    -------
    SamplerEstimatorTags
        The same tags with the estimator type ``"sampler"``, a required target, no
        transformer tags, DataFrames accepted and the sampler's tags.
    """
    values = {field.name: getattr(tags, field.name) for field in fields(tags)}
    inputs = {
        field.name: getattr(tags.input_tags, field.name) for field in fields(InputTags)
    }
    values.update(
        estimator_type="sampler",
        transformer_tags=None,
        input_tags=SamplerInputTags(**inputs, dataframe=True),
        sampler_tags=SamplerTags(sample_indices=False),
    )
    values["target_tags"].required = True
    return SamplerEstimatorTags(**values)
