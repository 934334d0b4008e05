"""``VAEAugmenter``: the scikit-learn face of the tabular VAE."""

from __future__ import annotations

import numbers
import warnings
from typing import ClassVar

import numpy as np
import pandas as pd
import torch
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import (
    _check_feature_names_in,
    check_is_fitted,
    validate_data,
)

from ._codec import TableCodec
from ._distributed import Processes, current_processes, local_cuda_device
from ._latent_prior import LatentMixture
from ._model import BlockLayout, TabularVAE, TensorTable
from ._parquet_source import MAX_TRACKED_LEVELS, ParquetTable, is_parquet_source
from ._table import Container, as_frame
from ._target import (
    CLASSES,
    CONTINUOUS,
    TARGET_COLUMN,
    class_index,
    requested_classes,
    requested_runs,
    rows_per_run,
    validate_target,
)
from ._training import ShuffledBatches, out_of_memory_advice, train

_CHUNK_ROWS = 4_096
#: Most decoder outputs (rows x outputs per row) computed at once outside training.
_CHUNK_OUTPUTS = 2**24
#: What to do when CUDA runs out of memory outside training.
_INFERENCE_MEMORY_ADVICE = (
    "Free GPU memory held by other tensors or processes, or move the model to the CPU: "
    "model.save(path), then vae_augment.load(path, device='cpu')."
)
_MIN_VALIDATION_ROWS = 10
#: Fitted state kept in private attributes (the public ones end in "_").
_PRIVATE_FIT_STATE = ("_container", "_codec", "_layout", "_target")
#: What rank 0 learns from Parquet data that the other training processes take over.
_SHARED_FIT_STATE = (
    "_container",
    "_codec",
    "_target",
    "classes_",
    "class_prior_",
    "n_features_in_",
    "feature_names_in_",
)


def _resolve_device(device) -> torch.device:
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        resolved = torch.device(device)
    except (RuntimeError, TypeError):
        resolved = None
    if resolved is None or resolved.type not in ("cpu", "cuda", "mps"):
        raise ValueError(
            f"device={device!r} is not a device VAEAugmenter runs on; use 'auto', 'cpu', "
            "'cuda', 'cuda:N' or 'mps'."
        )
    if resolved.type != "cpu":
        if resolved.type == "cuda":
            found = torch.cuda.device_count() if torch.cuda.is_available() else 0
        else:
            found = int(torch.backends.mps.is_available())
        if (resolved.index or 0) >= found:
            raise ValueError(
                f"device={device!r} asks for {resolved.type.upper()} device "
                f"{resolved.index or 0}, but torch finds {found} {resolved.type.upper()} "
                "device(s) here; use device='auto' or 'cpu'."
            )
    return resolved


def _available_device(fitted_on: torch.device) -> torch.device:
    """The device a model was fitted on when this machine has it, else the CPU."""
    try:
        return _resolve_device(fitted_on)
    except ValueError:
        warnings.warn(
            f"This VAEAugmenter was fitted on {fitted_on}, which this machine does not "
            "have; it was loaded on the CPU.",
            UserWarning,
            stacklevel=3,
        )
        return torch.device("cpu")


def _build_module(
    layout: BlockLayout, latent_dim: int, hidden_dims: tuple[int, ...]
) -> TabularVAE:
    """Build the network without drawing from (or seeding) torch's global generator."""
    with torch.random.fork_rng(devices=[]):
        return TabularVAE(layout, latent_dim, hidden_dims)


def check_positive_int(value, name: str) -> None:
    """Raise a ValueError naming ``name`` unless ``value`` is an integer >= 1."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}.")


def _new_seed(rng: np.random.RandomState) -> int:
    return int(rng.randint(np.iinfo(np.int32).max))


def _prior_sample(scan, classes: np.ndarray | None):
    """The rows the latent prior is fitted to: the codec sample's uniform rows.

    Extra rows (rare levels, extremes) would over-represent what is rare; they are
    added only for a class the uniform rows miss, which needs codes of its own.
    """
    keep = np.arange(len(scan.sample)) < scan.n_uniform
    if classes is not None:
        uniform_classes = scan.sample_target.iloc[: scan.n_uniform].unique()
        keep |= ~scan.sample_target.isin(uniform_classes).to_numpy()
    target = None if scan.sample_target is None else scan.sample_target[keep]
    return scan.sample[keep].reset_index(drop=True), (
        None if target is None else target.reset_index(drop=True)
    )


def _process_seed(seed: int, rank: int) -> int:
    """A seed of its own for each training process."""
    return int(np.random.SeedSequence([seed, rank]).generate_state(1)[0])


def _torch_generator(random_state, device: torch.device) -> torch.Generator:
    """A local torch generator seeded from a numpy seed, int or RandomState."""
    seed = _new_seed(check_random_state(random_state))
    return torch.Generator(device=device).manual_seed(seed)


class VAEAugmenter(TransformerMixin, BaseEstimator):
    """Variational autoencoder for mixed-type tables: sample, reconstruct, score.

    Fit it on a table (numeric, integer, boolean, categorical, string and datetime
    columns, missing values allowed) and, optionally, a target. Then

    * :meth:`sample` generates new rows with the same columns, dtypes and categories --
      per class when ``y`` held class labels;
    * :meth:`transform` reconstructs rows: it denoises observed values and fills in
      missing ones (the row count never changes);
    * :meth:`score_samples` gives each row's evidence lower bound (ELBO).

    Parameters
    ----------
    latent_dim : int, default=16
        Size of the latent code.
    hidden_dims : tuple of int, default=(128, 128)
        Widths of the encoder's hidden layers; the decoder mirrors them.
    beta : float, default=1.0
        Weight of the KL term of the ELBO (1 is the plain VAE).
    learning_rate : float, default=3e-3
        Adam's learning rate.
    batch_size : int or "auto", default="auto"
        Rows per training step (capped at the number of training rows), over all
        processes when several train together. ``"auto"`` uses
        ``min(256, max(16, n_train // 10))``: small tables get at least ten steps per
        epoch, which they need to learn pair-wise structure before early stopping.
    max_epochs : int, default=300
        Most passes over the training rows.
    validation_fraction : float, default=0.1
        Fraction of rows held out to monitor early stopping (stratified by class). When
        it would leave fewer than 10 rows, the training loss is monitored instead.
    n_iter_no_change : int, default=10
        Stop after this many epochs without improvement of the monitored loss; the
        weights of the best epoch are kept. (20 doubles the fit time on the benchmark
        tables for a small gain in how hard synthetic rows are to tell from real ones.)
    input_dropout : float, default=0.0
        During training, the fraction of observed cells hidden from the encoder (but
        still reconstructed). It teaches the encoder to fill in missing values in columns
        that had none in training (columns that had missing values learn it anyway), at
        some cost in sample fidelity; 0.1--0.3 suits imputation work.
    latent_prior : {"mixture", "normal"}, default="mixture"
        Where :meth:`sample` draws latent codes from. ``"mixture"`` fits a Gaussian
        mixture (up to 10 components, one mixture per class) to the latent codes of the
        training rows after training, so samples come from the regions real rows
        occupy; ``"normal"`` uses the VAE's N(0, I) prior, which also reaches regions no
        training row maps to and gives less realistic rows.
    target_type : {"auto", "classes", "continuous"}, default="auto"
        How a ``y`` given to :meth:`fit` is modelled. ``"auto"`` follows
        :func:`~sklearn.utils.multiclass.type_of_target`: binary or multiclass labels make
        the VAE conditional, a continuous target is modelled jointly with ``X``. Force
        ``"continuous"`` for an integer-valued regression target.
    device : str, default="auto"
        Torch device to train and run on; ``"auto"`` picks CUDA when available, else the
        CPU. Stored as given; the device used is ``device_``.
    random_state : int, RandomState instance or None, default=None
        Seeds the validation split, weight initialisation, mini-batch order and, unless
        :meth:`sample` gets its own, sampling. Torch's global seed is never touched.
    verbose : bool, default=False
        Show a progress bar with the loss during training.

    Attributes
    ----------
    n_features_in_ : int
        Number of columns seen in fit.
    feature_names_in_ : ndarray of str
        Column names seen in fit (only when they are all strings).
    classes_ : ndarray or None
        Class labels the model is conditioned on; ``None`` without a classification
        target.
    class_prior_ : ndarray or None
        Frequency of each class in fit, used by :meth:`sample` when no ``y`` is given.
    device_ : torch.device
        The device the model lives on.
    module_ : torch.nn.Module
        The trained network.
    loss_curve_ : list of float
        Mean negative ELBO per training row, per epoch.
    validation_loss_curve_ : list of float
        Mean negative ELBO per validation row, per epoch (empty when the training loss
        was monitored).
    best_loss_ : float
        The monitored loss of the kept weights.
    best_epoch_ : int
        The epoch whose weights were kept.
    n_iter_ : int
        Number of epochs run.
    latent_prior_ : LatentMixture
        The distribution of latent codes :meth:`sample` decodes (see ``latent_prior``).

    See Also
    --------
    sklearn.neighbors.KernelDensity : a density model with the same ``sample`` shape.

    Notes
    -----
    Numeric columns are mapped to a standard normal by quantiles, so generated values
    stay inside the training range and integer columns stay integers. Categories are
    *sampled* from the predicted distribution (argmax would erase rare levels).
    Missingness is modelled: a column that had missing values gets them back in
    samples, at its rate and in relation to the other columns; :meth:`transform` fills
    every missing cell in. A category not seen in fit is treated as missing by
    :meth:`transform` and :meth:`score_samples`, with a warning.

    Examples
    --------
    >>> import numpy as np
    >>> from vae_augment import VAEAugmenter
    >>> X = np.random.default_rng(0).normal(size=(100, 3))
    >>> aug = VAEAugmenter(max_epochs=5, random_state=0).fit(X)
    >>> X_new, _ = aug.sample(10)
    >>> X_new.shape
    (10, 3)
    >>> aug.transform(X).shape
    (100, 3)
    """

    _parameter_constraints: ClassVar[dict] = {
        "latent_dim": [Interval(numbers.Integral, 1, None, closed="left")],
        "hidden_dims": ["array-like"],
        "beta": [Interval(numbers.Real, 0, None, closed="left")],
        "learning_rate": [Interval(numbers.Real, 0, None, closed="neither")],
        "batch_size": [
            Interval(numbers.Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "max_epochs": [Interval(numbers.Integral, 1, None, closed="left")],
        "validation_fraction": [Interval(numbers.Real, 0, 1, closed="left")],
        "n_iter_no_change": [Interval(numbers.Integral, 1, None, closed="left")],
        "input_dropout": [Interval(numbers.Real, 0, 1, closed="left")],
        "latent_prior": [StrOptions({"mixture", "normal"})],
        "target_type": [StrOptions({"auto", CLASSES, CONTINUOUS})],
        "device": [StrOptions({"auto"}), str, torch.device],
        "random_state": ["random_state"],
        "verbose": ["boolean"],
    }

    def __init__(
        self,
        *,
        latent_dim: int = 16,
        hidden_dims: tuple[int, ...] = (128, 128),
        beta: float = 1.0,
        learning_rate: float = 3e-3,
        batch_size: int | str = "auto",
        max_epochs: int = 300,
        validation_fraction: float = 0.1,
        n_iter_no_change: int = 10,
        input_dropout: float = 0.0,
        latent_prior: str = "mixture",
        target_type: str = "auto",
        device: str = "auto",
        random_state=None,
        verbose: bool = False,
    ) -> None:
        self.latent_dim = latent_dim
        self.hidden_dims = hidden_dims
        self.beta = beta
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.input_dropout = input_dropout
        self.latent_prior = latent_prior
        self.target_type = target_type
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    # ------------------------------------------------------------------ fitting
    def fit(self, X, y=None) -> VAEAugmenter:
        """Learn the VAE of ``X`` (conditional on ``y`` when it holds class labels).

        Under ``torchrun`` (or in any ``torch.distributed`` process group), every
        process of the group trains the same model on its share of the rows with
        ``DistributedDataParallel``; see the user guide's "Scaling out" page.

        Parameters
        ----------
        X : array-like, DataFrame, str, path-like or pyarrow.dataset.Dataset
            Training table of shape (n_samples, n_features). Missing values (``NaN``,
            ``None``, ``pd.NA``) are allowed. A path names a Parquet file or a folder
            of Parquet files (or pass a pyarrow dataset of them): the rows are then
            streamed from disk, so the table may be larger than memory (the column
            codec is fitted on a sample of at most 100,000 rows plus the rows with
            each column's extremes, levels and missing values; at most 50,000
            validation rows are held out).
        y : array-like, Series or str, default=None
            Class labels to condition on, or a continuous target to model jointly with
            ``X``, of shape (n_samples,). When ``X`` is Parquet data, the name of its
            target column.

        Returns
        -------
        self : VAEAugmenter
            The fitted estimator.
        """
        try:
            return self._fit(X, y)
        except BaseException:
            # A failed fit must not leave a half-fitted estimator that passes
            # check_is_fitted and fails later in sample or transform.
            for name in [*vars(self)]:
                if name.endswith("_") or name in _PRIVATE_FIT_STATE:
                    delattr(self, name)
            raise

    def _fit(self, X, y) -> VAEAugmenter:
        self._validate_params()
        hidden_dims = self._hidden_dims()
        processes = current_processes()
        self.device_ = _resolve_device(self.device)
        if processes.is_distributed and self.device_ == torch.device("cuda"):
            self.device_ = local_cuda_device()
        rng = check_random_state(self.random_state)
        if is_parquet_source(X):
            batches, validation, prior_rows, seed = self._parquet_data(
                ParquetTable(X, y), rng, processes
            )
        else:
            batches, validation, prior_rows, seed = self._memory_data(X, y, rng, processes)
        self._layout = BlockLayout(
            n_numeric=len(self._codec.numeric_),
            category_sizes=tuple(len(c.levels) for c in self._codec.categorical_),
            missing_heads=tuple(
                j
                for j, c in enumerate(self._codec.numeric_ + self._codec.categorical_)
                if c.has_missing
            ),
            encoder_blind=tuple(
                j for j, c in enumerate(self._codec.numeric_) if c.name == TARGET_COLUMN
            ),
            n_classes=0 if self.classes_ is None else len(self.classes_),
        )
        generator = torch.Generator(device=self.device_).manual_seed(seed)
        self.module_ = _build_module(self._layout, self.latent_dim, hidden_dims).to(
            self.device_
        )
        self.module_.reset_parameters(generator)
        # Same initial weights everywhere; each process its own noise and batch order.
        generator.manual_seed(_process_seed(seed, processes.rank))
        history = train(
            self.module_,
            batches,
            validation,
            processes=processes,
            beta=self.beta,
            learning_rate=self.learning_rate,
            batch_size=batches.batch_size,
            max_epochs=self.max_epochs,
            n_iter_no_change=self.n_iter_no_change,
            input_dropout=self.input_dropout,
            generator=generator,
            verbose=self.verbose,
        )
        self.loss_curve_ = history.train_loss
        self.validation_loss_curve_ = history.validation_loss
        self.best_loss_ = history.best_loss
        self.best_epoch_ = history.best_epoch
        self.n_iter_ = len(history.train_loss)
        try:
            self.latent_prior_ = processes.first_computes(
                lambda: self._fit_latent_prior(prior_rows, rng, generator)
            )
        except KeyboardInterrupt:
            if processes.is_distributed:
                raise
            # Ctrl-C keeps the trained weights (see _training.train): fall back to the
            # quick prior rather than discard them.
            warnings.warn(
                "Interrupted while fitting the latent mixture; sample() draws latent "
                "codes from N(0, I) instead (latent_prior='normal').",
                UserWarning,
                stacklevel=3,
            )
            n_groups = 1 if self.classes_ is None else len(self.classes_)
            self.latent_prior_ = LatentMixture.standard_normal(self.latent_dim, n_groups)
        return self

    def _memory_data(self, X, y, rng, processes: Processes):
        """Training data from a table in memory (every process holds all of it).

        Returns this process's training batches and validation rows, the rows the
        latent prior is fitted to, and the seed of the weights.
        """
        frame, self._container = as_frame(X)
        validate_data(self, frame, reset=True, skip_check_array=True)
        if len(frame) < 2:
            raise ValueError(
                "VAEAugmenter needs at least 2 rows to fit; got n_samples = 1."
            )
        frame, labels = self._fit_target(frame, y)
        # Rank 0 learns the columns and splits the rows; the others take its choices.
        self._codec, (train_rows, validation_rows), seed = processes.first_computes(
            lambda: (
                TableCodec().fit(frame),
                self._split(len(frame), labels, rng),
                _new_seed(rng),
            )
        )
        table = TensorTable.from_encoded(self._codec.encode(frame), labels, self.device_)

        def share_of(rows: np.ndarray) -> TensorTable:
            rows = rows[processes.rank :: processes.world_size]
            return table.rows(torch.as_tensor(rows, device=self.device_))

        batches = ShuffledBatches(
            share_of(train_rows), self._batch_size(len(train_rows), processes)
        )
        validation = None if validation_rows is None else share_of(validation_rows)
        return batches, validation, table if processes.rank == 0 else None, seed

    def _parquet_data(self, source: ParquetTable, rng, processes: Processes):
        """Training data streamed from Parquet (see :mod:`._parquet_source`).

        Rank 0 reads the data once for the codec sample and the validation rows; then
        every process streams its own share of the row groups. Returns the same as
        :meth:`_memory_data`.
        """
        if source.n_rows < 2:
            raise ValueError(
                f"VAEAugmenter needs at least 2 rows to fit; X has {source.n_rows}."
            )
        validation_rate = source.validation_rate(
            self.validation_fraction, _MIN_VALIDATION_ROWS
        )
        prior_rows = None

        def plan():
            nonlocal prior_rows
            scan_seed = _new_seed(rng)
            scan = source.scan(scan_seed, validation_rate)
            self._container = Container(is_frame=True)
            validate_data(self, scan.sample, reset=True, skip_check_array=True)
            frame, _ = self._fit_target(scan.sample, scan.sample_target)
            if self.classes_ is not None:
                self._complete_classes(scan.class_counts, source.target)
            self._codec = TableCodec().fit(frame)
            prior_rows = self._encode_rows(
                *_prior_sample(scan, self.classes_), self.device_
            )
            validation = None
            # The draw may give a few rows fewer than planned: too few, no validation.
            if len(scan.validation) >= _MIN_VALIDATION_ROWS:
                validation = self._encode_rows(
                    scan.validation, scan.validation_target, "cpu"
                )
            state = {k: getattr(self, k) for k in _SHARED_FIT_STATE if hasattr(self, k)}
            return state, validation, scan_seed, _new_seed(rng)

        state, validation, scan_seed, seed = processes.first_computes(plan)
        for name, value in state.items():
            setattr(self, name, value)
        n_train = round(source.n_rows * (1 - validation_rate))
        batches = source.batches(
            encode=lambda frame, target: self._encode_rows(frame, target, self.device_),
            seed=scan_seed,
            validation_rate=validation_rate,
            batch_size=self._batch_size(n_train, processes),
            rank=processes.rank,
            world_size=processes.world_size,
        )
        if validation is not None:
            rows = torch.arange(processes.rank, len(validation), processes.world_size)
            validation = validation.rows(rows).to(self.device_)
        return batches, validation, prior_rows, seed

    def _complete_classes(self, class_counts: dict | None, target: str) -> None:
        """Classes and their frequencies from the counts over every row of the data.

        The codec sample holds every class of a text or integer target, but a float
        column of class labels (0.0 / 1.0) may have classes outside it.
        """
        if class_counts is None:
            raise ValueError(
                f"y={target!r} looks like class labels in a sample of the data but has "
                f"more than {MAX_TRACKED_LEVELS:,} distinct values over all rows; pass "
                "target_type='continuous' to model it as a number."
            )
        if any(label is None or label != label for label in class_counts):  # NaN
            raise ValueError(
                f"y={target!r} has missing values; drop or fill those rows before fitting."
            )
        labels = list(class_counts)
        classes = np.unique(
            np.concatenate([self.classes_, np.asarray(labels, dtype=self.classes_.dtype)])
        )
        counts = np.array([class_counts[c] for c in classes], dtype=np.float64)
        self.classes_, self.class_prior_ = classes, counts / counts.sum()

    def _encode_rows(self, frame: pd.DataFrame, target, device) -> TensorTable:
        """Encode training rows whose target is ``target`` (fit's model must be set)."""
        labels = None
        if self._target is not None and self._target.kind == CONTINUOUS:
            frame = frame.assign(**{TARGET_COLUMN: target.to_numpy()})
        elif self._target is not None:
            labels = class_index(target.to_numpy(dtype=object), self.classes_)
        return TensorTable.from_encoded(self._codec.encode(frame), labels, device)

    def _fit_latent_prior(
        self, table: TensorTable, rng, generator: torch.Generator
    ) -> LatentMixture:
        """The latent distribution ``sample`` draws from (see ``latent_prior``)."""
        n_groups = 1 if self.classes_ is None else len(self.classes_)
        if self.latent_prior == "normal":
            return LatentMixture.standard_normal(self.latent_dim, n_groups)
        codes = []
        self.module_.eval()
        with torch.no_grad():
            for rows in self._chunks(len(table)):
                mean, log_var = self.module_.posterior(table.rows(rows))
                noise = torch.randn(mean.shape, generator=generator, device=self.device_)
                codes.append((mean + torch.exp(0.5 * log_var) * noise).cpu().numpy())
        groups = (
            np.zeros(len(table), dtype=np.int64)
            if self.classes_ is None
            else table.labels.cpu().numpy()
        )
        return LatentMixture.fit(np.concatenate(codes), groups, n_groups, rng)

    def _batch_size(self, n_train: int, processes: Processes) -> int:
        """Rows per step on this process (``batch_size`` counts all processes' rows).

        More processes thus take the same steps as one, each step faster.
        """
        if self.batch_size == "auto":
            size = min(256, max(16, n_train // 10), n_train)
        else:
            size = min(self.batch_size, n_train)
        return max(1, -(-size // processes.world_size))

    def _hidden_dims(self) -> tuple[int, ...]:
        dims = tuple(self.hidden_dims)
        if not dims or not all(
            isinstance(d, numbers.Integral) and not isinstance(d, bool) and d >= 1
            for d in dims
        ):
            raise ValueError(
                f"hidden_dims must be a non-empty sequence of positive integers, got "
                f"{self.hidden_dims!r}."
            )
        return tuple(int(d) for d in dims)

    def _fit_target(self, frame: pd.DataFrame, y) -> tuple[pd.DataFrame, np.ndarray | None]:
        """Set ``classes_``/``class_prior_``; return the table to model and class indices.

        A continuous target becomes the table's last column; class labels are returned
        as indices into ``classes_``.
        """
        self.classes_ = self.class_prior_ = None
        self._target = None
        if y is None:
            return frame, None
        self._target, values = validate_target(y, len(frame), self.target_type)
        if self._target.kind == CONTINUOUS:
            return frame.assign(**{TARGET_COLUMN: values.to_numpy()}), None
        classes, labels = np.unique(values.to_numpy(), return_inverse=True)
        self.classes_ = classes
        self.class_prior_ = np.bincount(labels, minlength=len(classes)) / len(labels)
        return frame, labels

    def _split(self, n_rows: int, labels, rng) -> tuple[np.ndarray, np.ndarray | None]:
        """Training and validation row indices (no validation for tiny tables)."""
        n_validation = int(np.floor(self.validation_fraction * n_rows))
        rows = np.arange(n_rows)
        if n_validation < _MIN_VALIDATION_ROWS or n_rows - n_validation < 2:
            return rows, None
        stratify = None
        if labels is not None:
            counts = np.bincount(labels)
            if counts.min() >= 2 and n_validation >= len(counts):
                stratify = labels
        train_rows, validation_rows = train_test_split(
            rows,
            test_size=n_validation,
            random_state=rng.randint(np.iinfo(np.int32).max),
            stratify=stratify,
        )
        return np.sort(train_rows), np.sort(validation_rows)

    # -------------------------------------------------------------- encoding X
    def _encode(self, X) -> tuple[TensorTable, Container, pd.Index]:
        """Validate ``X`` against fit and put it on the device."""
        check_is_fitted(self)
        frame, container = as_frame(X)
        validate_data(self, frame, reset=False, skip_check_array=True)
        # Arrays (and frames with non-string names) are matched to fit's columns by
        # position; validate_data has already checked names and count.
        frame = frame.set_axis(
            [c.name for c in self._codec.columns_[: self.n_features_in_]], axis=1
        )
        if self._target is not None and self._target.kind == CONTINUOUS:
            frame = frame.assign(**{TARGET_COLUMN: np.nan})
        table = TensorTable.from_encoded(self._codec.encode(frame), None, self.device_)
        return table, container, frame.index

    def _chunks(self, n_rows: int):
        # Fewer rows per chunk for wide outputs: a 10,000-level column alone has
        # 10,000 logits per row.
        width = self.module_.decoder_out.out_features
        size = max(1, min(_CHUNK_ROWS, _CHUNK_OUTPUTS // width))
        return (slice(start, start + size) for start in range(0, n_rows, size))

    def _under_likely_class(self, table: TensorTable) -> TensorTable:
        """Label each row with its most probable class (a model without classes: as is)."""
        if self.classes_ is None:
            return table
        return table.with_labels(self._per_class_elbo(table).argmax(dim=1))

    def _per_class_elbo(self, table: TensorTable) -> torch.Tensor:
        """ELBO of each row under each class, plus the log prior: (n_rows, n_classes)."""
        n_classes = len(self.classes_)
        scores = torch.empty((len(table), n_classes), device=self.device_)
        for k in range(n_classes):
            labels = torch.full((len(table),), k, dtype=torch.long, device=self.device_)
            reconstruction, kl = self.module_.negative_elbo(table.with_labels(labels))
            scores[:, k] = -(reconstruction + kl) + float(np.log(self.class_prior_[k]))
        return scores

    # ---------------------------------------------------------------- transform
    @out_of_memory_advice("reconstructing rows", _INFERENCE_MEMORY_ADVICE)
    def transform(self, X):
        """Reconstruct rows: denoise observed values and fill in missing ones.

        Deterministic: the posterior mean is decoded, numeric columns by their predicted
        mean and categorical ones by their most probable level. A conditional model
        reconstructs each row under its most probable class.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Rows with the columns seen in fit; missing values are allowed.

        Returns
        -------
        X_new : ndarray or DataFrame of shape (n_samples, n_features)
            Reconstructed rows, without missing values, in the container, column order
            and dtypes of the fitted data.
        """
        table, container, index = self._encode(X)
        numeric, codes = [], []
        self.module_.eval()
        with torch.no_grad():
            for rows in self._chunks(len(table)):
                mean, levels = self.module_.reconstruct(
                    self._under_likely_class(table.rows(rows))
                )
                numeric.append(mean.cpu().numpy())
                codes.append(levels.cpu().numpy())
        frame = self._codec.decode(np.concatenate(numeric), np.concatenate(codes))
        frame = frame.drop(columns=TARGET_COLUMN, errors="ignore").set_axis(index)
        return container.wrap(frame)

    def _latent_means(self, X, y=None) -> np.ndarray:
        """Posterior mean of each row's latent code, shape (n_samples, latent_dim).

        A conditional model encodes each row under its label in ``y``, or under its most
        probable class (as :meth:`transform` does) when ``y`` is None; a model without
        classes ignores ``y``.
        """
        table, _, _ = self._encode(X)
        if self.classes_ is not None and y is not None:
            labels = requested_classes(np.asarray(y, dtype=object), None, self.classes_)
            if len(labels) != len(table):
                raise ValueError(
                    f"y has {len(labels)} labels but X has {len(table)} rows; they must "
                    "have the same length."
                )
            table = table.with_labels(torch.as_tensor(labels, device=self.device_))
        means = []
        self.module_.eval()
        with torch.no_grad():
            for rows in self._chunks(len(table)):
                chunk = table.rows(rows)
                if y is None:
                    chunk = self._under_likely_class(chunk)
                mean, _ = self.module_.posterior(chunk)
                means.append(mean.cpu().numpy())
        return np.concatenate(means).astype(np.float64)

    # ------------------------------------------------------------------ scoring
    @out_of_memory_advice("scoring rows", _INFERENCE_MEMORY_ADVICE)
    def score_samples(self, X) -> np.ndarray:
        """Evidence lower bound (ELBO) of each row; higher means more typical.

        The ELBO is evaluated at the posterior mean, so it is deterministic. Missing cells
        are left out of the likelihood (their missingness is scored where the model
        learned it). For a conditional model the classes are summed out:
        ``log sum_k p(k) exp(ELBO(x, k))``. Values are on the codec's scale (numeric
        columns after the normal-quantile map): compare rows of one fitted model, not
        models with different training data.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Rows with the columns seen in fit.

        Returns
        -------
        ndarray of shape (n_samples,)
            Per-row ELBO.
        """
        table, _, _ = self._encode(X)
        scores = []
        self.module_.eval()
        with torch.no_grad():
            for rows in self._chunks(len(table)):
                chunk = table.rows(rows)
                if self.classes_ is not None:
                    score = torch.logsumexp(self._per_class_elbo(chunk), dim=1)
                else:
                    reconstruction, kl = self.module_.negative_elbo(chunk)
                    score = -(reconstruction + kl)
                scores.append(score.cpu().numpy())
        return np.concatenate(scores).astype(np.float64)

    def score(self, X, y=None) -> float:
        """Mean per-row ELBO of ``X`` (see :meth:`score_samples`).

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Rows with the columns seen in fit.
        y : None
            Ignored; present for API consistency.

        Returns
        -------
        float
            Mean ELBO.
        """
        return float(np.mean(self.score_samples(X)))

    # ----------------------------------------------------------------- sampling
    @out_of_memory_advice("sampling rows", _INFERENCE_MEMORY_ADVICE)
    def sample(self, n_samples: int | None = None, *, y=None, random_state=None):
        """Generate synthetic rows (and their targets).

        Parameters
        ----------
        n_samples : int, default=None
            Number of rows. Defaults to the number of labels ``y`` asks for, or 1.
        y : array-like of labels or dict {label: count}, default=None
            Only for a model fitted with class labels: the class of every row to
            generate, or how many rows of each class (rows come grouped by class, in the
            dict's order). When ``None``, classes are drawn from ``class_prior_``.
        random_state : int, RandomState instance or None, default=None
            Seed for this call; defaults to the estimator's ``random_state``, so that an
            integer seed makes repeated calls return the same rows. Pass different seeds
            for different rows.

        Returns
        -------
        X : ndarray or DataFrame of shape (n_samples, n_features)
            Generated rows, in the container, columns and dtypes of the training data.
        y : ndarray, Series or None
            Their class labels (or continuous targets), like the ``y`` given in fit;
            ``None`` when the model was fitted without ``y``.

        See Also
        --------
        sample_to_parquet : the same rows, written to a file a row group at a time.
        """
        ((frame, y_new),) = self._generate(n_samples, y, random_state, frame_rows=None)
        return self._container.wrap(frame), y_new

    @out_of_memory_advice("sampling rows", _INFERENCE_MEMORY_ADVICE)
    def sample_to_parquet(
        self,
        path,
        n_samples: int | None = None,
        *,
        y=None,
        random_state=None,
        row_group_rows: int = 100_000,
    ) -> None:
        """Generate rows straight into a Parquet file, without holding them in memory.

        The file holds the rows :meth:`sample` returns for the same arguments (with
        the target, when the model has one, as the last column), written a row group
        at a time: memory stays flat however many rows are asked for. Needs pyarrow
        (``pip install "vae-augment[parquet]"``).

        Parameters
        ----------
        path : str or path-like
            The file to write (replaced if it exists; never left half-written).
        n_samples : int, default=None
            Number of rows (see :meth:`sample`).
        y : array-like of labels or dict {label: count}, default=None
            Classes of the rows (see :meth:`sample`); a dict asks for any number of
            rows without a label per row in memory.
        random_state : int, RandomState instance or None, default=None
            Seed (see :meth:`sample`).
        row_group_rows : int, default=100_000
            About how many rows are generated and written at a time (rounded up to
            whole inference chunks): the memory used grows with it.

        Raises
        ------
        ValueError
            If the target's name is also a column's name (name the target in fit).
        """
        from ._io import write_parquet_frames

        check_positive_int(row_group_rows, "row_group_rows")
        check_is_fitted(self)
        target = None
        if self._target is not None:
            target = "target" if self._target.name is None else self._target.name
            if target in {c.name for c in self._codec.columns_}:
                raise ValueError(
                    f"The target's name {target!r} is also a column of X; fit with a "
                    "target Series of another name to write both."
                )
        frames = (
            # concat, not assign: a target's name need not be a string (X.pop(3)).
            frame
            if y_part is None
            else pd.concat([frame, pd.Series(y_part, name=target)], axis=1)
            for frame, y_part in self._generate(
                n_samples, y, random_state, frame_rows=int(row_group_rows)
            )
        )
        write_parquet_frames(frames, path)

    def _generate(self, n_samples, y, random_state, *, frame_rows: int | None):
        """Generated rows as (frame, targets) pairs of about ``frame_rows`` rows each.

        ``frame_rows=None`` gives one pair with all rows. The rows do not depend on
        ``frame_rows``: inference chunks are the same and frames are groups of them.
        Arguments are checked here, before the first row is generated.
        """
        check_is_fitted(self)
        if n_samples is not None:
            check_positive_int(n_samples, "n_samples")
        rng = check_random_state(
            self.random_state if random_state is None else random_state
        )
        runs = self._requested_runs(n_samples, y)
        n_rows = (n_samples or 1) if runs is None else int(runs[1][-1])
        generator = _torch_generator(rng, self.device_)
        return self._generated_frames(n_rows, runs, rng, generator, frame_rows or n_rows)

    def _generated_frames(self, n_rows, runs, rng, generator, frame_rows):
        numeric, codes, labels = [], [], []
        done = 0
        self.module_.eval()
        for rows in self._chunks(n_rows):
            size = len(range(n_rows)[rows])
            chunk_labels = self._chunk_labels(runs, rows, size, rng)
            with torch.no_grad():
                groups = torch.zeros(size, dtype=torch.long, device=self.device_)
                if chunk_labels is not None:
                    labels.append(chunk_labels)
                    groups = torch.as_tensor(chunk_labels, device=self.device_)
                z = self.latent_prior_.sample(groups, generator)
                values, levels = self.module_.generate(
                    z, None if chunk_labels is None else groups, generator
                )
            numeric.append(values.cpu().numpy())
            codes.append(levels.cpu().numpy())
            done += size
            if sum(len(c) for c in codes) >= frame_rows or done == n_rows:
                yield self._decode_samples(numeric, codes, labels)
                numeric, codes, labels = [], [], []

    def _requested_runs(self, n_samples, y) -> tuple[np.ndarray, np.ndarray] | None:
        """The classes ``y`` asks for as runs: class indices and where each run ends."""
        if self.classes_ is None:
            if y is not None:
                raise ValueError(
                    "y can only be given to sample() when the model was fitted with class "
                    "labels."
                )
            return None
        if y is None:
            return None
        index, counts = requested_runs(y, n_samples, self.classes_)
        return index, np.cumsum(counts)

    def _chunk_labels(self, runs, rows: slice, size: int, rng) -> np.ndarray | None:
        """Class index of each row of an inference chunk (None without classes)."""
        if self.classes_ is None:
            return None
        if runs is None:
            return rng.choice(len(self.classes_), size=size, p=self.class_prior_)
        index, ends = runs
        which, counts = rows_per_run(ends, rows.start, rows.start + size)
        return np.repeat(index[which], counts)

    def _decode_samples(self, numeric, codes, labels) -> tuple[pd.DataFrame, object]:
        frame = self._codec.decode(np.concatenate(numeric), np.concatenate(codes))
        y_new = None
        if self._target is not None and self._target.kind == CONTINUOUS:
            y_new = self._target.wrap(frame.pop(TARGET_COLUMN).to_numpy())
        elif labels:
            y_new = self._target.wrap(self.classes_[np.concatenate(labels)])
        return frame, y_new

    # ------------------------------------------------------------------ sklearn
    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Output feature names: the input columns, unchanged.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Input feature names; checked against ``feature_names_in_`` when set.

        Returns
        -------
        ndarray of str
            The names of the transformed columns.
        """
        check_is_fitted(self)
        return _check_feature_names_in(self, input_features)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        tags.target_tags.required = False
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags

    # ------------------------------------------------------- saving and pickling
    def save(self, path) -> None:
        """Write the fitted model to a file that :func:`vae_augment.load` reads back.

        The file holds JSON and safetensors only (no pickle), and loading rebuilds only
        an allow-list of types, so loading it cannot run code: use it to share models.
        It records a format version and a SHA-256 checksum of every part; damaged
        (truncated, corrupted) or too-new files are refused on loading. The checksums
        detect corruption, not tampering (whoever edits a part can rewrite its
        checksum); safety does not depend on them. The weights are stored as CPU
        tensors, so a model fitted on a GPU loads anywhere.

        Parameters
        ----------
        path : str or path-like
            Where to write the file (replaced if it exists; never left half-written).

        Raises
        ------
        sklearn.exceptions.NotFittedError
            If the estimator is not fitted.
        TypeError
            If the fitted state holds a value that model files cannot store (a
            ``random_state`` of an unsupported type, say; the message names it), or
            the estimator is a subclass of VAEAugmenter (use pickle or joblib).

        See Also
        --------
        vae_augment.load : read a model file.
        """
        from ._serialization import save  # _serialization builds on this module

        save(self, path)

    def __getstate__(self):
        state = super().__getstate__()
        if "module_" in state:
            state = dict(state)
            module = state.pop("module_")
            state["_module_state"] = {
                k: v.detach().cpu() for k, v in module.state_dict().items()
            }
        return state

    def __setstate__(self, state):
        module_state = state.pop("_module_state", None)
        super().__setstate__(state)
        if module_state is None:
            return
        self.device_ = _available_device(self.device_)
        module = _build_module(self._layout, self.latent_dim, self._hidden_dims())
        module.load_state_dict(module_state)
        self.module_ = module.to(self.device_).eval()
