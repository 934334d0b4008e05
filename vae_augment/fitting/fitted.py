"""``FittedVAE``: everything a fit learned, declared once, and what it computes from rows.

The estimator's fitted attributes read from this object; pickling, the model file and
the state that training processes share (:class:`TableState`) are made of its fields.
A fitted model never depends on the estimator's parameters after fit: it keeps the
architecture it was built with.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd
import torch

from ..model.devices import available_device
from ..model.inference import collect
from ..model.latent_prior import LatentMixture
from ..model.layout import BlockLayout
from ..model.tensors import TensorTable
from ..model.vae import TabularVAE
from ..table.class_requests import class_index
from ..table.codec import TableCodec
from ..table.frames import Container
from ..table.target import CONTINUOUS, Target
from ..training.stopping import TrainingHistory
from ..utils.checks import check_hidden_dims, require


@dataclass(eq=False)
class TableState:
    """What fit learned about the table; the part training processes share.

    Parameters
    ----------
    container : Container
        How ``X`` was given (pandas or polars DataFrame, or array), to give results
        back alike.
    feature_names : ndarray of str or None
        The column names scikit-learn records (``None`` for arrays and non-string
        names).
    codec : TableCodec
        The feature columns (and a continuous target) and their encoding.
    target : Target or None
        What fit learned of ``y``; ``None`` without one.
    """

    container: Container
    feature_names: np.ndarray | None
    codec: TableCodec
    target: Target | None

    @property
    def n_features(self) -> int:
        """Number of feature columns."""
        return len(self.codec.columns)

    @property
    def n_classes(self) -> int:
        """Number of classes the model is conditioned on (0 without class labels)."""
        return 0 if self.target is None else self.target.n_classes

    @property
    def classes(self) -> np.ndarray | None:
        """The class labels (``None`` without class labels)."""
        return self.target.classes if self.n_classes else None

    @property
    def class_prior(self) -> np.ndarray | None:
        """Each class's frequency in fit (``None`` without class labels)."""
        return self.target.class_prior if self.n_classes else None

    def validate(self) -> None:
        """Check that the codec, the container, the target and the feature names fit
        together.

        Raises
        ------
        ValueError
            If they do not (a model file may be crafted).
        """
        self.codec.validate()
        self.container.validate()
        require(
            set(self.container.date_columns) <= set(self.codec.names),
            "the container's date columns are not columns of the codec",
        )
        if self.target is not None:
            self.target.validate()
        continuous = self.target is not None and self.target.kind == CONTINUOUS
        require(
            continuous == (self.codec.target is not None),
            "the codec's target does not match the model's target",
        )
        names = self.feature_names
        require(
            names is None or list(names) == self.codec.names,
            "the feature names do not match the codec's columns",
        )

    def tensors(self, frame: pd.DataFrame, y, device) -> TensorTable:
        """Rows of the feature columns (and their targets ``y``, or ``None``) on ``device``.

        Without ``y`` a continuous target is missing and rows have no class labels.
        """
        labels = continuous = None
        if y is not None and self.target.kind == CONTINUOUS:
            continuous = pd.Series(np.asarray(y))
        elif y is not None:
            labels = class_index(np.asarray(y, dtype=object), self.target.classes)
        encoded = self.codec.encode(frame, continuous)
        return TensorTable.from_encoded(encoded, labels, device)


@dataclass(eq=False)
class FittedVAE:
    """Everything :func:`~vae_augment.fitting.fit.fit_vae` learned.

    Parameters
    ----------
    table : TableState
        The columns, their encoding and the target.
    latent_dim : int
        The latent size the network was built with.
    hidden_dims : tuple of int
        The hidden widths the network was built with.
    module : TabularVAE
        The trained network (on ``device``).
    latent_prior : LatentMixture
        Where ``sample`` draws latent codes from.
    history : TrainingHistory
        The losses per epoch and the kept epoch.
    device : torch.device
        Where the network lives.
    """

    table: TableState
    latent_dim: int
    hidden_dims: tuple[int, ...]
    module: TabularVAE
    latent_prior: LatentMixture
    history: TrainingHistory
    device: torch.device

    @property
    def layout(self) -> BlockLayout:
        """The network's blocks."""
        return BlockLayout.of(self.table.codec, self.table.n_classes)

    @functools.cached_property
    def log_class_prior(self) -> np.ndarray:
        """Log frequency of each class (empty without classes)."""
        prior = self.table.class_prior
        return np.log(prior if prior is not None else np.ones(0))

    def validate(self) -> None:
        """Check every invariant the model's outputs rely on (pickles and model files
        are checked before the network is rebuilt).

        Raises
        ------
        ValueError
            If the parts do not fit together.
        """
        self.table.validate()
        self.latent_prior.validate()
        require(
            type(self.latent_dim) is int and self.latent_dim >= 1,
            f"latent_dim is {self.latent_dim!r}",
        )
        check_hidden_dims(self.hidden_dims)
        require(
            self.latent_prior.latent_dim == self.latent_dim
            and self.latent_prior.n_groups == max(1, self.table.n_classes),
            "the latent prior does not fit the latent size or the classes",
        )
        require(
            0 <= self.history.best_epoch <= self.history.n_epochs,
            "the kept epoch is not one of the epochs run",
        )

    def to(self, device: torch.device) -> FittedVAE:
        """Move the network to ``device`` (in place); returns ``self``."""
        self.module.to(device)
        self.device = device
        return self

    # ------------------------------------------------------- what rows give
    def encode(self, frame: pd.DataFrame) -> TensorTable:
        """Rows with the fitted columns (matched by position) on the device."""
        frame = frame.set_axis(self.table.codec.names, axis=1)
        return self.table.tensors(frame, None, self.device)

    def reconstruct(
        self, frame: pd.DataFrame, *, keep_observed: bool = False
    ) -> pd.DataFrame:
        """Deterministic reconstruction of every row (under its most likely class).

        Keys are the rows' own. ``keep_observed=True`` keeps every observed cell
        (imputation), the table's rules holding through the reconstructed ones.
        """
        table = self.encode(frame)
        rows = frame.set_axis(self.table.codec.names, axis=1).reset_index(drop=True)
        structure = self.table.codec.structure
        given = None
        if keep_observed:
            given = rows
        elif structure is not None and structure.keys:
            given = rows[[key.name for key in structure.keys]]

        def step(rows: slice):
            chunk = self.module.under_likely_class(table.rows(rows), self.log_class_prior)
            return self.module.reconstruct(chunk)

        numeric, scale, codes = collect(self.module, len(table), step)
        decoded, _ = self.table.codec.decode(numeric, codes, given=given, scale=scale)
        return decoded.set_axis(frame.index)

    def score(self, frame: pd.DataFrame) -> np.ndarray:
        """Per-row ELBO at the posterior mean (classes summed out)."""
        table = self.encode(frame)

        def step(rows: slice):
            chunk = table.rows(rows)
            if self.table.n_classes:
                return (
                    torch.logsumexp(
                        self.module.elbo_per_class(chunk, self.log_class_prior), 1
                    ),
                )
            reconstruction, kl = self.module.negative_elbo(chunk)
            return (-(reconstruction + kl),)

        (scores,) = collect(self.module, len(table), step)
        return scores.astype(np.float64)

    def latent_means(self, frame: pd.DataFrame, y=None) -> np.ndarray:
        """Posterior mean of each row's code, shape (n_samples, latent_dim).

        A conditional model encodes each row under its label in ``y``, or under its most
        probable class when ``y`` is None; a model without classes ignores ``y``.
        """
        table = self.encode(frame)
        labeled = self.table.n_classes and y is not None
        if labeled:
            labels = class_index(
                np.asarray(y, dtype=object).ravel(), self.table.target.classes
            )
            if len(labels) != len(table):
                raise ValueError(
                    f"y has {len(labels)} labels but X has {len(table)} rows; they must "
                    "have the same length."
                )
            table = table.with_labels(torch.as_tensor(labels, device=self.device))

        def step(rows: slice):
            chunk = table.rows(rows)
            if not labeled:
                chunk = self.module.under_likely_class(chunk, self.log_class_prior)
            return (self.module.posterior(chunk)[0],)

        (means,) = collect(self.module, len(table), step)
        return means.astype(np.float64)

    def decode_codes(self, codes: np.ndarray, y=None) -> pd.DataFrame:
        """Rows for latent codes: each cell's mean (in its units) or most probable level.

        A conditional model decodes each code under its class in ``y`` (required).
        """
        if codes.ndim != 2 or codes.shape[1] != self.latent_dim:
            raise ValueError(
                f"Z must have shape (n_samples, {self.latent_dim}), got {codes.shape}."
            )
        z = torch.as_tensor(np.asarray(codes, dtype=np.float32), device=self.device)
        labels = None
        if self.table.n_classes:
            if y is None:
                raise ValueError(
                    "y is needed to decode codes of a model fitted with class labels: "
                    "the class of each code."
                )
            index = class_index(np.asarray(y, dtype=object).ravel(), self.table.classes)
            if len(index) != len(z):
                raise ValueError(f"y has {len(index)} labels for {len(z)} codes.")
            labels = torch.as_tensor(index, device=self.device)

        def step(rows: slice):
            return self.module.point_values(
                z[rows], None if labels is None else labels[rows]
            )

        numeric, scale, levels = collect(self.module, len(z), step)
        decoded, _ = self.table.codec.decode(numeric, levels, scale=scale)
        return decoded

    # ------------------------------------------------------------- pickling
    def __getstate__(self) -> dict:
        """The fields, the network as its weights on the CPU (no torch module)."""
        state = {f.name: getattr(self, f.name) for f in fields(self)}
        state["module"] = {k: v.detach().cpu() for k, v in self.module.state_dict().items()}
        return state

    def __setstate__(self, state: dict) -> None:
        """Rebuild the network from its weights, on ``device`` when this machine has it."""
        weights = state["module"]
        vars(self).update(state)
        self.validate()
        self.device = available_device(state["device"])
        module = TabularVAE.build(
            self.layout,
            self.latent_dim,
            self.hidden_dims,
            # Models saved before target heads existed, or fitted without one, have none.
            target_head=any(name.startswith("target_head.") for name in weights),
        )
        module.load_state_dict(weights)
        self.module = module.to(self.device).eval()
