"""Dask DataFrames: transform and sample partition by partition with a fitted augmenter.

The augmenter is fitted in memory as usual; these functions only apply it lazily to
partitions. :func:`dask_transform` is deterministic (the posterior mean), so it needs no
randomness. :func:`dask_sample` gives every partition its own random stream, spawned
from one seed with :class:`numpy.random.SeedSequence`, so a seeded call gives the same
rows on every compute, whatever the scheduler, and no two partitions repeat each other.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted, validate_data

from ..estimators.augmenter import VAEAugmenter
from ..table.class_requests import requested_runs, rows_per_run
from ..table.frames import ARRAY, PANDAS
from ..utils.checks import check_positive_int
from ..utils.optional import optional_import
from ..utils.seeds import check_seed


def _dask():
    """Import dask and dask.dataframe, or say which extra installs them."""
    return tuple(
        optional_import(name, extra="dask", feature="Dask DataFrames")
        for name in ("dask", "dask.dataframe")
    )


def _check_augmenter(augmenter) -> None:
    if not isinstance(augmenter, VAEAugmenter):
        raise TypeError(
            f"augmenter must be a fitted VAEAugmenter, got {type(augmenter).__name__}."
        )
    check_is_fitted(augmenter)
    kind = augmenter.model_.table.container.kind
    if kind != PANDAS:
        fitted_on = "an array" if kind == ARRAY else "a polars DataFrame"
        raise ValueError(
            f"augmenter was fitted on {fitted_on}, but Dask partitions are pandas "
            "DataFrames; fit it on a pandas DataFrame (for instance a sample of the Dask "
            "DataFrame, computed)."
        )


def dask_transform(augmenter: VAEAugmenter, X):
    """Reconstruct the rows of a Dask DataFrame, partition by partition.

    Each partition goes through ``augmenter.transform``, which is deterministic (the
    posterior mean is decoded), so the result does not depend on how ``X`` is split.

    Parameters
    ----------
    augmenter : VAEAugmenter
        An augmenter fitted on a pandas DataFrame with the columns of ``X``.
    X : dask.dataframe.DataFrame
        Rows to reconstruct; missing values are allowed.

    Returns
    -------
    dask.dataframe.DataFrame
        The reconstructed rows, lazily: the index, partitions and divisions of ``X``,
        the columns and dtypes of the training data.

    Raises
    ------
    TypeError
        If ``X`` is not a Dask DataFrame.
    ValueError
        If ``augmenter`` was fitted on an array, or ``X`` has other columns than in fit.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> from vae_augment import VAEAugmenter, dask_transform, load_penguins
    >>> penguins = load_penguins()
    >>> aug = VAEAugmenter(max_epochs=3, random_state=0).fit(penguins)
    >>> ddf = dd.from_pandas(penguins, npartitions=4)
    >>> dask_transform(aug, ddf).compute().shape
    (344, 8)
    """
    _, dd = _dask()
    _check_augmenter(augmenter)
    if not isinstance(X, dd.DataFrame):
        raise TypeError(
            f"X must be a dask DataFrame, got {type(X).__name__}; use "
            "augmenter.transform for an in-memory table."
        )
    # Check the columns now rather than in every partition's task.
    validate_data(augmenter, X._meta, reset=False, skip_check_array=True)
    meta = augmenter.model_.table.codec.empty_frame(X._meta.index)
    return X.map_partitions(augmenter.transform, meta=meta)


def _sample_partition(
    augmenter: VAEAugmenter, start: int, stop: int, counts, seed, given=None
):
    """Rows ``start:stop`` of the sample: ``(X, y)`` indexed by their global positions."""
    if isinstance(given, pd.DataFrame):
        given = given.iloc[start:stop]
    X, y = augmenter.sample(
        stop - start if counts is None else None,
        y=counts,
        given=given,
        random_state=np.random.RandomState(np.random.MT19937(seed)),
    )
    index = pd.RangeIndex(start, stop)
    return X.set_axis(index), None if y is None else pd.Series(y).set_axis(index)


def _class_blocks(augmenter: VAEAugmenter, n_samples, y) -> tuple[list, np.ndarray] | None:
    """Labels of ``y`` and the row where each one's block ends (``None`` without ``y``)."""
    if y is None:
        return None
    if augmenter.classes_ is None:
        raise ValueError(
            "y can only be given when the augmenter was fitted with class labels."
        )
    if not isinstance(y, Mapping):
        raise TypeError(
            f"y must be None or a dict {{label: count}}, got {type(y).__name__}."
        )
    requested_runs(y, n_samples, augmenter.classes_)  # checks labels and counts
    labels = [label for label in y if y[label] > 0]
    return labels, np.cumsum([y[label] for label in labels])


def _partition_counts(blocks, start: int, stop: int) -> dict | None:
    """How many rows of each class fall in rows ``start:stop`` (classes come in blocks)."""
    if blocks is None:
        return None
    labels, ends = blocks
    which, counts = rows_per_run(ends, start, stop)
    return {label: int(n) for label, n in zip(labels[which], counts, strict=True) if n > 0}


def dask_sample(
    augmenter: VAEAugmenter,
    n_samples: int | None = None,
    *,
    npartitions: int,
    y=None,
    given=None,
    random_state=None,
):
    """Generate synthetic rows as a Dask DataFrame, partition by partition.

    Partition ``i`` calls ``augmenter.sample`` with its own random stream: the seed
    (``random_state``, or the augmenter's) is spread into ``npartitions`` independent
    streams with :meth:`numpy.random.SeedSequence.spawn`. So a seeded call gives the same
    rows on every compute and with any scheduler, and its partitions do not repeat each
    other; changing ``npartitions`` changes the rows.

    Parameters
    ----------
    augmenter : VAEAugmenter
        An augmenter fitted on a pandas DataFrame.
    n_samples : int, default=None
        Number of rows. Defaults to the total of ``y``'s counts; required without ``y``.
    npartitions : int
        Number of partitions, at most ``n_samples``. Their sizes differ by at most one.
    y : dict {label: count}, default=None
        Only for an augmenter fitted with class labels: how many rows of each class.
        As in :meth:`VAEAugmenter.sample`, the rows come grouped by class in the dict's
        order (a class's block may span partitions). When ``None``, each partition draws
        its classes from ``class_prior_``.
    given : dict or DataFrame, default=None
        Cells to fix, as in :meth:`VAEAugmenter.sample`: a dict for every row, or a
        DataFrame of ``n_samples`` rows (each partition takes its slice).
    random_state : int, RandomState instance or None, default=None
        Seed of the whole sample; defaults to the augmenter's ``random_state``. An
        integer gives the same rows on every call and compute.

    Returns
    -------
    X : dask.dataframe.DataFrame
        The rows, lazily, with the training data's columns and dtypes and an integer
        index ``0 .. n_samples - 1`` (divisions known).
    y : dask.dataframe.Series or None
        Their class labels (or continuous targets) with the same partitions; ``None``
        when the augmenter was fitted without ``y``. Compute ``X`` and ``y`` together
        (``dask.compute(X, y)``) to sample each partition once.

    Raises
    ------
    ValueError
        If ``n_samples`` or ``npartitions`` is not a positive integer, if there are more
        partitions than rows, if ``augmenter`` was fitted on an array, or if ``y`` does
        not fit the augmenter (unknown class, negative count, total other than
        ``n_samples``, or a model without classes).
    TypeError
        If ``y`` is neither ``None`` nor a dict.

    Examples
    --------
    >>> import dask
    >>> from vae_augment import VAEAugmenter, dask_sample, load_penguins
    >>> penguins = load_penguins()
    >>> X, y = penguins.drop(columns="species"), penguins["species"]
    >>> aug = VAEAugmenter(max_epochs=3, random_state=0).fit(X, y)
    >>> X_new, y_new = dask_sample(aug, 1000, npartitions=4, random_state=0)
    >>> X_new.npartitions
    4
    >>> X_new, y_new = dask.compute(X_new, y_new)
    >>> X_new.shape, y_new.shape
    ((1000, 7), (1000,))
    """
    dask, dd = _dask()
    _check_augmenter(augmenter)
    if n_samples is not None:
        check_positive_int(n_samples, "n_samples")
    blocks = _class_blocks(augmenter, n_samples, y)
    if blocks is not None:
        n_samples = int(blocks[1][-1])
    elif n_samples is None and isinstance(given, pd.DataFrame):
        n_samples = len(given)
    elif n_samples is None:
        raise ValueError("n_samples is required when y is None.")
    if isinstance(given, pd.DataFrame) and len(given) != n_samples:
        raise ValueError(
            f"given has {len(given)} rows but {n_samples} are asked for; give one row "
            "per generated row."
        )
    check_positive_int(npartitions, "npartitions")
    if npartitions > n_samples:
        raise ValueError(
            f"npartitions={npartitions} is more than the {n_samples} rows to generate; "
            "every partition needs at least one row."
        )

    seed = augmenter.random_state if random_state is None else random_state
    entropy = (
        None if seed is None else check_seed(seed).randint(2**32, size=4, dtype=np.uint64)
    )
    streams = np.random.SeedSequence(entropy).spawn(npartitions)
    sizes = np.full(npartitions, n_samples // npartitions)
    sizes[: n_samples % npartitions] += 1
    bounds = np.concatenate([[0], np.cumsum(sizes)]).tolist()

    augmenter_key = dask.delayed(augmenter, traverse=False)
    given_key = None if given is None else dask.delayed(given, traverse=False)
    parts = [
        dask.delayed(_sample_partition)(
            augmenter_key,
            start,
            stop,
            _partition_counts(blocks, start, stop),
            stream,
            given_key,
        )
        for start, stop, stream in zip(bounds[:-1], bounds[1:], streams, strict=True)
    ]
    # A one-row sample shows the partitions' exact dtypes (y's included).
    X_meta, y_meta = _sample_partition(
        augmenter, 0, 1, None, np.random.SeedSequence(0), given
    )
    divisions = (*bounds[:-1], n_samples - 1)
    X = dd.from_delayed(
        [part[0] for part in parts], meta=X_meta.iloc[:0], divisions=divisions
    )
    if y_meta is None:
        return X, None
    y_new = dd.from_delayed(
        [part[1] for part in parts], meta=y_meta.iloc[:0], divisions=divisions
    )
    return X, y_new
