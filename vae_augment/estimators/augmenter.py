"""``VAEAugmenter``: the scikit-learn face of the tabular VAE; it validates, then
delegates to :mod:`vae_augment.fitting` (fit, the fitted model, generation)."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from ..fitting.fit import fit_vae
from ..fitting.generation import generated_frames, sample_to_parquet
from ..fitting.settings import PARAMETER_CONSTRAINTS, Settings
from ..model.devices import INFERENCE_MEMORY_ADVICE, out_of_memory_advice
from ..persistence.model_file import write_model
from ..table.frames import as_frame, pandas_view
from ..utils.seeds import check_seed
from .fitted_attributes import FittedVAEAttributes
from .output import transform_container
from .tags import MixedTableTags


class VAEAugmenter(
    FittedVAEAttributes,
    MixedTableTags,
    OneToOneFeatureMixin,
    TransformerMixin,
    BaseEstimator,
):
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
        Most passes over the training rows. Reaching it before early stopping ends
        training gives a :class:`~vae_augment.MaxEpochsWarning` (a scikit-learn
        ``ConvergenceWarning``).
    validation_fraction : float, default=0.1
        Fraction of rows held out to monitor early stopping (stratified by class). When
        it would leave fewer than 10 rows, the training loss is monitored instead.
    n_iter_no_change : int, default=10
        Stop after this many epochs without improvement of the monitored loss; the
        weights of the best epoch are kept.
    input_dropout : float, default=0.0
        During training, the fraction of observed cells hidden from the encoder (but
        still reconstructed). It teaches the encoder to fill in missing values in columns
        that had none in training (columns that had missing values learn it anyway), at
        some cost in sample fidelity; 0.1--0.3 suits imputation work.
    target_dropout : float, default=1.0
        During training, the fraction of rows whose continuous target is hidden from
        the encoder; in the others the encoder sees it, so the latent codes (and the
        rows :meth:`sample` decodes from them) carry the target's relation to ``X``.
        ``transform``, ``score_samples`` and ``encode`` never see the target (they have
        none), which the hidden rows teach the encoder. 1.0: the encoder never sees it.
        No effect without a continuous target.
    target_head : bool, default=True
        With a continuous target: a network of its own learns the target's
        distribution given the other columns of the real rows (a Gaussian on the
        target's normal scale, trained with the VAE), and :meth:`sample` draws each
        generated row's target from it, given that row's generated features, so that
        the rows keep the target's relation to ``X``. ``False``: the decoder generates
        the target with the features from the latent code (so do models saved
        before this parameter existed).
        With class labels: the network learns the class given the other columns, and
        a row :meth:`sample` generates for a class (with or without ``y`` and
        ``given``; not in imputation) is kept with the probability the network gives
        that class, otherwise generated anew (rejection sampling from
        the decoder's rows times the classifier, at most 20 rounds, after which a row
        keeps the decoder's last proposal), so that the rows of each class look like
        that class to a model trained on real rows. ``False``: the decoder's rows as
        they are.
        No effect without a target.
    latent_prior : {"mixture", "normal"}, default="mixture"
        Where :meth:`sample` draws latent codes from: ``"mixture"``, a Gaussian mixture
        (one per class) fitted to the training rows' codes after training, so samples
        come from where real rows are; ``"normal"``, the VAE's N(0, I) prior.
    target_type : {"auto", "classes", "continuous"}, default="auto"
        How a ``y`` given to :meth:`fit` is modelled. ``"auto"`` follows
        :func:`~sklearn.utils.multiclass.type_of_target`: binary or multiclass labels make
        the VAE conditional, a continuous target is modelled jointly with ``X``; whole
        numbers with more than 20 distinct values that are also more than 5 % of the
        rows (a price, a count) are continuous, and with more than 20 values that are
        fewer than 5 % of the rows they stay classes with a warning. ``"classes"`` and
        ``"continuous"`` force the kind.
    column_kinds : dict or None, default=None
        ``{column: kind}`` overriding the kind fit infers for a column (``schema_``
        shows them): ``"categorical"`` models any column as categories, ``"numeric"``
        keeps a column that would be a key a number, ``"key"`` makes a column that is
        unique in every row a key (generated rows get fresh keys in its format),
        ``"auto"`` infers. A kind the column's values cannot have is refused, naming
        the column.
    rules : "auto", dict or None, default="auto"
        The rules every training row keeps, which every generated, reconstructed and
        imputed row then keeps by construction (see the user guide's "Table structure"
        page). ``"auto"`` finds them: exact linear identities, inequalities, a column
        determined by another's levels or thresholds, digits of a number and parts of a
        datetime. A dict may ``"add"`` rules written as text (``["a <= b", "total = a +
        b"]``; refused with the number of rows that break them), ``"drop"`` found ones
        (as ``schema_`` writes them) and turn ``"discover"`` off. ``None``: no rules.
    device : str, default="auto"
        Torch device to train and run on; ``"auto"`` picks CUDA when available, else the
        CPU. Stored as given; the device used is ``device_``.
    random_state : int, RandomState instance or None, default=None
        Seeds the validation split, weight initialisation, mini-batch order and, unless
        :meth:`sample` gets its own, sampling. Torch's global seed is never touched.
    verbose : bool, default=False
        Show a progress bar with the loss during training; it ends with the reason
        training stopped. The ``vae_augment`` logger records the fit at INFO whatever
        ``verbose`` is (see the user guide's "Logging and warnings" page).

    Attributes
    ----------
    model_ : FittedVAE
        Everything fit learned, in one object (the columns and their encoding, the
        target, the network, the latent prior, the training history); the attributes
        below read from it, and pickling and :meth:`save` store it. It never depends on
        parameters changed after fit.
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
        Mean negative ELBO per training row, per epoch (plus the target head's negative
        log-likelihood of the class or target, with ``target_head``).
    validation_loss_curve_ : list of float
        Mean negative ELBO (plus the target head's, as above) per validation row, per
        epoch (empty when the training loss was monitored).
    best_loss_ : float
        The monitored loss of the kept weights.
    best_epoch_ : int
        The epoch whose weights were kept (a target head keeps those of the epoch of
        its own lowest validation loss).
    n_iter_ : int
        Number of epochs run.
    latent_prior_ : LatentMixture
        The distribution of latent codes :meth:`sample` decodes (see ``latent_prior``).
    schema_ : TableSchema
        Each column's kind (float, integer, categorical, key, constant, code, ...) and
        the rules found or declared, with which are enforced (see ``rules``); its
        ``to_dict()`` gives the same as plain data.

    See Also
    --------
    sklearn.neighbors.KernelDensity : a density model with the same ``sample`` shape.

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
        **PARAMETER_CONSTRAINTS,
        "random_state": ["random_state"],
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
        target_dropout: float = 1.0,
        target_head: bool = True,
        latent_prior: str = "mixture",
        target_type: str = "auto",
        column_kinds: dict | None = None,
        rules: str | dict | None = "auto",
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
        self.target_dropout = target_dropout
        self.target_head = target_head
        self.latent_prior = latent_prior
        self.target_type = target_type
        self.column_kinds = column_kinds
        self.rules = rules
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    def fit(self, X, y=None) -> VAEAugmenter:
        """Learn the VAE of ``X`` (conditional on ``y`` when it holds class labels).

        Under ``torchrun`` (or in any ``torch.distributed`` process group), every
        process of the group trains the same model on its share of the rows with
        ``DistributedDataParallel``; see the user guide's "Scaling out" page.

        Parameters
        ----------
        X : array-like, DataFrame, str, path-like or pyarrow.dataset.Dataset
            Training table of shape (n_samples, n_features): an array, a pandas or
            polars DataFrame, or a pyarrow Table. Missing values (``NaN``, ``None``,
            ``pd.NA``, polars nulls) are allowed. A path names a Parquet file or a folder
            of Parquet files (or pass a pyarrow dataset of them): the rows are then
            streamed from disk, so the table may be larger than memory (see the user
            guide's "Scaling out" page).
        y : array-like, Series or str, default=None
            Class labels to condition on, or a continuous target to model jointly with
            ``X``, of shape (n_samples,) (a pandas or polars Series keeps its name and
            dtype in :meth:`sample`). When ``X`` is Parquet data, the name of its
            target column.

        Returns
        -------
        self : VAEAugmenter
            The fitted estimator.
        """
        try:
            self._validate_params()
            params = self.get_params(deep=False)
            del params["random_state"]
            self.model_ = fit_vae(Settings(**params), X, y, self.random_state)
        except BaseException:
            # A failed fit must not leave an earlier fit's model behind.
            vars(self).pop("model_", None)
            raise
        return self

    def _frame(self, X):
        """``X`` checked against fit, as a DataFrame, plus how it was given."""
        check_is_fitted(self)
        frame, container = as_frame(X)
        validate_data(self, frame, reset=False, skip_check_array=True)
        return frame, container

    def _rng(self, random_state) -> np.random.RandomState:
        return check_seed(self.random_state if random_state is None else random_state)

    @out_of_memory_advice("reconstructing rows", INFERENCE_MEMORY_ADVICE)
    def transform(self, X):
        """Reconstruct rows: denoise observed values and fill in missing ones.

        Deterministic: the posterior mean is decoded, numeric columns by the mean of the
        decoder's distribution in the column's own units (a three-point rule that gives
        the far tails little weight) and categorical ones by their most probable level.
        A conditional model reconstructs each row under its most probable class.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Rows with the columns seen in fit (pandas or polars); missing values are
            allowed.

        Returns
        -------
        X_new : ndarray or DataFrame of shape (n_samples, n_features)
            Reconstructed rows, without missing values, in the column order and dtypes
            of the fitted data, in the container of ``X`` (an array, a pandas or a
            polars DataFrame) or the one ``set_output`` asks for.
        """
        frame, container = self._frame(X)
        output = transform_container(self, container, self.model_.table.container)
        return output.wrap(self.model_.reconstruct(frame))

    @out_of_memory_advice("encoding rows", INFERENCE_MEMORY_ADVICE)
    def encode(self, X, y=None) -> np.ndarray:
        """Posterior mean of each row's latent code (deterministic).

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Rows with the columns seen in fit; missing values are allowed.
        y : array-like of shape (n_samples,), default=None
            A conditional model's class of each row; ``None`` encodes each row under
            its most probable class (as :meth:`transform` does). Ignored by a model
            without classes.

        Returns
        -------
        ndarray of shape (n_samples, latent_dim)
            The codes, float64.
        """
        frame, _ = self._frame(X)
        return self.model_.latent_means(frame, y)

    @out_of_memory_advice("scoring rows", INFERENCE_MEMORY_ADVICE)
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
        frame, _ = self._frame(X)
        return self.model_.score(frame)

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

    @out_of_memory_advice("sampling rows", INFERENCE_MEMORY_ADVICE)
    def sample(
        self, n_samples: int | None = None, *, y=None, given=None, random_state=None
    ):
        """Generate synthetic rows (and their targets), optionally with cells fixed.

        Parameters
        ----------
        n_samples : int, default=None
            Number of rows. Defaults to the number of labels ``y`` asks for, to the
            length of a ``given`` DataFrame, or 1.
        y : array-like of labels or dict {label: count}, default=None
            Only for a model fitted with class labels: the class of every row to
            generate, or how many rows of each class (rows come grouped by class, in the
            dict's order). When ``None``, classes are drawn from ``class_prior_`` (or,
            with ``given``, from their probability given the fixed cells).
        given : dict or DataFrame, default=None
            Cells to fix: ``{column: value}`` for every row, or a DataFrame (pandas or
            polars) with some of the columns and one row per generated row
            (``NaN``/``None``/null = free). Fixed
            cells come back exactly; the others follow the model's distribution given
            them (importance-resampled latent codes: no rejection loop, rare conditions
            cost the same). Values must be categories and within ranges seen in fit.
        random_state : int, RandomState instance or None, default=None
            Seed for this call; defaults to the estimator's ``random_state``, so that an
            integer seed makes repeated calls return the same rows. Pass different seeds
            for different rows.

        Returns
        -------
        X : ndarray or DataFrame of shape (n_samples, n_features)
            Generated rows, in the container (array, pandas or polars DataFrame),
            columns and dtypes of the training data.
        y : ndarray, Series or None
            Their class labels (or continuous targets), like the ``y`` given in fit;
            ``None`` when the model was fitted without ``y``.

        See Also
        --------
        sample_to_parquet : the same rows, written to a file a row group at a time.
        """
        check_is_fitted(self)
        rng = self._rng(random_state)
        given = pandas_view(given, "given")
        ((frame, y_new),) = generated_frames(
            self.model_, n_samples, y, rng, frame_rows=None, given=given
        )
        return self.model_.table.container.wrap(frame), y_new

    @out_of_memory_advice("sampling rows", INFERENCE_MEMORY_ADVICE)
    def sample_to_parquet(
        self,
        path,
        n_samples: int | None = None,
        *,
        y=None,
        given=None,
        random_state=None,
        row_group_rows: int = 100_000,
    ) -> None:
        """Generate rows straight into a Parquet file, without holding them in memory.

        The rows :meth:`sample` returns for the same arguments (the target, if any,
        as the last column), written a row group at a time: memory stays flat however
        many rows are asked for. Needs pyarrow (the ``parquet`` extra).

        Parameters
        ----------
        path : str or path-like
            The file to write (replaced if it exists; never left half-written).
        n_samples : int, default=None
            Number of rows (see :meth:`sample`).
        y : array-like of labels or dict {label: count}, default=None
            Classes of the rows (see :meth:`sample`).
        given : dict or DataFrame, default=None
            Cells to fix (see :meth:`sample`).
        random_state : int, RandomState instance or None, default=None
            Seed (see :meth:`sample`).
        row_group_rows : int, default=100_000
            About how many rows are generated and written at a time; memory grows
            with it.

        Raises
        ------
        ValueError
            If the target's name is also a column's name (name the target in fit).
        """
        check_is_fitted(self)
        rng = self._rng(random_state)
        sample_to_parquet(
            self.model_,
            path,
            n_samples,
            y,
            rng,
            row_group_rows=row_group_rows,
            given=pandas_view(given, "given"),
        )

    def save(self, path) -> None:
        """Write the fitted model to a file that :func:`vae_augment.load` reads back.

        The file holds JSON and safetensors only (no pickle), so loading it cannot run
        code: use it to share models. It records a format version and checksums, so
        damaged or too-new files are refused (see :func:`vae_augment.load`); a model
        fitted on a GPU loads anywhere.

        Parameters
        ----------
        path : str or path-like
            Where to write the file (replaced if it exists; never left half-written).

        Raises
        ------
        sklearn.exceptions.NotFittedError
            If the estimator is not fitted.
        TypeError
            If a value cannot be stored (the message names it), or the estimator is a
            subclass of VAEAugmenter (use pickle or joblib).
        """
        if type(self) is not VAEAugmenter:
            raise TypeError(
                f"Cannot save a {type(self).__name__}: model files hold a VAEAugmenter, "
                "and load rebuilds only that class. Use pickle or joblib for subclasses."
            )
        check_is_fitted(self)
        write_model(path, self.get_params(deep=False), self.model_)
