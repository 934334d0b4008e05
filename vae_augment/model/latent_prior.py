"""The distribution of latent codes that ``sample`` decodes.

A VAE is trained to make its *aggregate posterior* -- the latent codes of the training
rows -- close to N(0, I), but it never gets there: parts of the prior are left
unused ("prior holes"), and rows decoded from them look unlike any real row. Fitting a
small Gaussian mixture to the training rows' codes, one per class, and sampling from it
instead is the cheapest large gain in sample quality (see ``docs/benchmarks.md``).
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import numpy as np
import torch
from threadpoolctl import threadpool_limits

from ..utils.checks import require
from ..utils.seeds import new_seed
from .draws import draw_categories

#: Most mixture components per group.
MAX_COMPONENTS = 10
#: Codes of at most this many rows per group are used to fit the mixture.
MAX_FIT_ROWS = 5_000
#: Added to the diagonal of every covariance (the codes are on a unit scale).
REG_COVAR = 1e-4
#: Held while the mixtures fit with one BLAS thread (see :meth:`LatentMixture.fit`).
_ONE_BLAS_THREAD = threading.Lock()


@dataclass(frozen=True, eq=False)
class LatentMixture:
    """A Gaussian mixture over latent codes for each group of rows (class).

    Groups with fewer components than the largest have zero-weight padding.

    Parameters
    ----------
    weights : ndarray of shape (n_groups, n_components)
        Mixing weights; each row sums to 1.
    means : ndarray of shape (n_groups, n_components, latent_dim)
        Component means.
    cholesky : ndarray of shape (n_groups, n_components, latent_dim, latent_dim)
        Lower-triangular Cholesky factors of the component covariances.
    """

    weights: np.ndarray
    means: np.ndarray
    cholesky: np.ndarray

    def validate(self) -> None:
        """Check shapes and weights (a model file may be crafted).

        Raises
        ------
        ValueError
            If the arrays do not describe mixtures of one latent size.
        """
        weights, means, cholesky = self.weights, self.means, self.cholesky
        require(
            weights.ndim == 2 and means.ndim == 3 and cholesky.ndim == 4,
            "the latent mixture's arrays have the wrong number of dimensions",
        )
        n_groups, n_components, latent_dim = means.shape
        require(
            weights.shape == (n_groups, n_components)
            and cholesky.shape == (n_groups, n_components, latent_dim, latent_dim),
            "the latent mixture's weights, means and covariances do not fit together",
        )
        require(
            np.isfinite(means).all() and np.isfinite(cholesky).all(),
            "the latent mixture holds values that are not finite",
        )
        require(
            (weights >= 0).all() and np.allclose(weights.sum(axis=1), 1.0),
            "the latent mixture's weights are not probabilities",
        )

    @property
    def latent_dim(self) -> int:
        """Size of the latent codes."""
        return self.means.shape[2]

    @property
    def n_groups(self) -> int:
        """Number of groups (classes) with a mixture of their own."""
        return self.means.shape[0]

    @classmethod
    def standard_normal(cls, latent_dim: int, n_groups: int) -> LatentMixture:
        """N(0, I) for every group: the VAE's own prior."""
        return cls(
            weights=np.ones((n_groups, 1)),
            means=np.zeros((n_groups, 1, latent_dim)),
            cholesky=np.broadcast_to(
                np.eye(latent_dim), (n_groups, 1, latent_dim, latent_dim)
            ).copy(),
        )

    @staticmethod
    def rows_to_fit(
        groups: np.ndarray, n_groups: int, rng: np.random.RandomState
    ) -> np.ndarray:
        """The rows whose codes :meth:`fit` needs, in table order.

        Every row of a group of at most ``MAX_FIT_ROWS`` rows, a random
        ``MAX_FIT_ROWS`` of a larger one: codes are drawn for these rows only, not for
        a million rows of which the mixture would use five thousand.

        Parameters
        ----------
        groups : ndarray of shape (n_rows,)
            Group (class index) of every row, in ``range(n_groups)``.
        n_groups : int
            Number of groups.
        rng : RandomState
            Source of the subsample.

        Returns
        -------
        ndarray of shape (n_chosen,)
            Sorted row indices.
        """
        chosen = []
        for group in range(n_groups):
            rows = np.flatnonzero(groups == group)
            if len(rows) > MAX_FIT_ROWS:
                rows = rng.choice(rows, MAX_FIT_ROWS, replace=False)
            chosen.append(rows)
        return np.sort(np.concatenate(chosen))

    @classmethod
    def fit(
        cls,
        codes: np.ndarray,
        groups: np.ndarray,
        n_groups: int,
        rng: np.random.RandomState,
    ) -> LatentMixture:
        """Fit one full-covariance mixture per group to latent codes.

        Parameters
        ----------
        codes : ndarray of shape (n_rows, latent_dim)
            Latent codes drawn from the posteriors of the training rows of
            :meth:`rows_to_fit` (all of them are used).
        groups : ndarray of shape (n_rows,)
            Group (class index) of every row, in ``range(n_groups)``. A group without
            rows gets N(0, I).
        n_groups : int
            Number of groups.
        rng : RandomState
            Source of the mixtures' seeds.

        Returns
        -------
        LatentMixture
            The fitted mixtures.
        """
        # The mixtures' matrices are tiny (latent_dim square): a second BLAS thread
        # only adds hand-overs, 9x slower on 2 cores (1.35 s against 0.15 s for 3,500
        # codes of 16 dimensions) -- 40 % of a small table's fit. The limit holds for
        # the whole process, so fits in other threads wait here rather than restore
        # each other's limits out of order.
        with _ONE_BLAS_THREAD, threadpool_limits(limits=1, user_api="blas"):
            fitted = [
                _group_mixture(codes[groups == group], rng) for group in range(n_groups)
            ]
        latent_dim = codes.shape[1]
        width = max(len(w) for w, _, _ in fitted)
        weights = np.zeros((n_groups, width))
        means = np.zeros((n_groups, width, latent_dim))
        cholesky = np.broadcast_to(
            np.eye(latent_dim), (n_groups, width, latent_dim, latent_dim)
        ).copy()
        for group, (w, m, c) in enumerate(fitted):
            weights[group, : len(w)] = w / w.sum()
            means[group, : len(w)] = m
            cholesky[group, : len(w)] = c
        return cls(weights, means, cholesky)

    def _tensors(self, device: torch.device) -> tuple[torch.Tensor, ...]:
        """Weights, means and Cholesky factors as float32 tensors on ``device``."""
        return tuple(
            torch.as_tensor(array, dtype=torch.float32, device=device)
            for array in (self.weights, self.means, self.cholesky)
        )

    def sample(self, groups: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        """Draw one latent code for each entry of ``groups``.

        Parameters
        ----------
        groups : LongTensor of shape (n_rows,)
            Group of every code to draw.
        generator : torch.Generator
            Source of randomness, on the device of ``groups``.

        Returns
        -------
        Tensor of shape (n_rows, latent_dim)
            Latent codes, float32, on the device of ``groups``.
        """
        device = groups.device
        weights, means, cholesky = self._tensors(device)
        n_groups, n_components, latent_dim = means.shape
        means = means.reshape(n_groups * n_components, latent_dim)
        cholesky = cholesky.reshape(n_groups * n_components, latent_dim, latent_dim)
        component = draw_categories(weights.log()[groups], generator)
        noise = torch.randn((len(groups), latent_dim), generator=generator, device=device)
        # Rows sorted by (group, component): one matrix product per mixture component.
        slot = groups * n_components + component
        order = torch.argsort(slot)
        counts = torch.bincount(slot, minlength=len(means)).tolist()
        pieces = torch.split(noise[order], counts)
        z = torch.empty_like(noise)
        z[order] = torch.cat(
            [means[k] + piece @ cholesky[k].T for k, piece in enumerate(pieces)]
        )
        return z

    def log_prob(self, z: torch.Tensor, groups: torch.Tensor) -> torch.Tensor:
        """Log density of codes ``z`` under their group's mixture, shape (n_rows,).

        Parameters
        ----------
        z : Tensor of shape (n_rows, latent_dim)
            Latent codes.
        groups : LongTensor of shape (n_rows,)
            Group of every code.
        """
        device = z.device
        weights, means, cholesky = self._tensors(device)
        n_groups, n_components, latent_dim = means.shape
        # Whitening by each component's inverse Cholesky factor, all components of a
        # group in one matrix product: no factor gathered per row (a (n_rows,
        # n_components, latent_dim, latent_dim) block, 2.7 GB for 262,144 codes).
        eye = torch.eye(latent_dim, device=device).expand_as(cholesky)
        inverse = torch.linalg.solve_triangular(cholesky, eye, upper=False)
        shift = (inverse @ means.unsqueeze(-1)).squeeze(-1)  # (groups, components, dim)
        stacked = inverse.reshape(n_groups, n_components * latent_dim, latent_dim)
        log_det = torch.log(torch.diagonal(cholesky, dim1=-2, dim2=-1)).sum(-1)
        # Zero-weight padding components drop out of the sum.
        offset = torch.log(weights) - log_det - 0.5 * latent_dim * math.log(2 * math.pi)
        out = torch.empty(len(z), device=device)
        for group in torch.unique(groups).tolist():
            rows = torch.nonzero(groups == group)[:, 0]
            whitened = (z[rows] @ stacked[group].T).reshape(-1, n_components, latent_dim)
            whitened = whitened - shift[group]
            component = -0.5 * whitened.square().sum(-1) + offset[group]
            out[rows] = torch.logsumexp(component, dim=1)
        return out


def _group_mixture(
    codes: np.ndarray, rng: np.random.RandomState
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weights, means and covariance Cholesky factors of one group's mixture."""
    # Imported here, not with the package: it brings sklearn.cluster and more with it.
    from sklearn.mixture import GaussianMixture

    n_rows, latent_dim = codes.shape
    if n_rows < 2:
        # One row: a unit Gaussian around its code; none: the VAE's prior.
        centre = codes if n_rows else np.zeros((1, latent_dim))
        return np.ones(1), centre, np.eye(latent_dim)[None]
    # A full covariance needs about twice as many rows as it has dimensions to be of
    # full rank; with fewer rows a component would sample from a flat slice through
    # its training codes.
    rows_per_component = 2 * (latent_dim + 1)
    full = n_rows >= rows_per_component
    mixture = GaussianMixture(
        min(MAX_COMPONENTS, max(1, n_rows // rows_per_component)),
        covariance_type="full" if full else "diag",
        reg_covar=REG_COVAR,
        random_state=new_seed(rng),
    ).fit(codes.astype(np.float64))
    if full:
        cholesky = np.linalg.cholesky(mixture.covariances_)
    else:
        cholesky = np.sqrt(mixture.covariances_)[:, :, None] * np.eye(latent_dim)
    return mixture.weights_, mixture.means_, cholesky
