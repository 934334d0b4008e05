"""The synthesizers the comparison runs, behind one small interface.

``VAEAugmenter`` is ours. SDV's ``TVAESynthesizer`` (the quality reference) and
``GaussianCopulaSynthesizer`` (the fast baseline) run at their defaults; SDV is a
benchmark-only dependency (``pip install -e ".[bench]"``) -- its licence is not open
source, and ``vae_augment`` never imports it. MOSTLY AI's TabularARGN
(``mostlyai-engine``, Apache-2.0) is the third reference; it pins its own torchvision
and torchaudio and pulls transformers and opacus, so it runs from a virtual environment
of its own that CI never builds (``docs/benchmarks.md`` says how).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
from tables import sdtypes

from vae_augment import VAEAugmenter


def restore_dtypes(frame: pd.DataFrame, like: pd.DataFrame) -> pd.DataFrame:
    """Give generated columns the dtypes (and categories) of the training table.

    Parameters
    ----------
    frame : DataFrame
        Generated rows.
    like : DataFrame
        The training rows.

    Returns
    -------
    DataFrame
        ``frame`` with ``like``'s column order and dtypes.
    """
    frame = frame[list(like.columns)].copy()
    for name, dtype in like.dtypes.items():
        if isinstance(dtype, pd.CategoricalDtype):
            frame[name] = pd.Categorical(frame[name], categories=dtype.categories)
        elif pd.api.types.is_integer_dtype(dtype) and frame[name].isna().any():
            frame[name] = frame[name].round().astype("Int64")
        else:
            frame[name] = frame[name].astype(dtype)
    return frame


@dataclass
class VAESynthesizer:
    """``VAEAugmenter``, conditional on the target column.

    Parameters
    ----------
    params : dict
        Settings other than ``random_state`` (empty: the defaults).
    seed : int, default=0
        ``random_state`` of the augmenter.
    """

    params: dict = field(default_factory=dict)
    seed: int = 0

    def fit(self, train: pd.DataFrame, target: str) -> None:
        """Fit on the training rows, the target as ``y``."""
        self.target_, self.columns_ = target, list(train.columns)
        self.augmenter_ = VAEAugmenter(**self.params, random_state=self.seed)
        self.augmenter_.fit(train.drop(columns=target), train[target])

    def sample(self, n_rows: int) -> pd.DataFrame:
        """Generate ``n_rows`` rows, target included, in the training column order."""
        X, y = self.augmenter_.sample(n_rows, random_state=self.seed + 1)
        return X.assign(**{self.target_: y.to_numpy()})[self.columns_]


@dataclass
class SDVSynthesizer:
    """An SDV single-table synthesizer at its default settings.

    Parameters
    ----------
    kind : {"TVAE", "GaussianCopula"}
        Which synthesizer. SDV draws from torch's and numpy's global generators, so
        its runs are not seeded here.
    options : dict, default={}
        Settings passed to the synthesizer (empty: SDV's defaults).
    """

    kind: str
    options: dict = field(default_factory=dict)

    def fit(self, train: pd.DataFrame, target: str | None) -> None:
        """Fit on the whole training table (the target is a column like the others)."""
        from sdv.metadata import Metadata
        from sdv.single_table import GaussianCopulaSynthesizer, TVAESynthesizer

        columns = {name: {"sdtype": kind} for name, kind in sdtypes(train).items()}
        metadata = Metadata.load_from_dict({"tables": {"table": {"columns": columns}}})
        cls = {"TVAE": TVAESynthesizer, "GaussianCopula": GaussianCopulaSynthesizer}
        self.synthesizer_ = cls[self.kind](metadata, **self.options)
        self.like_ = train.iloc[:0]
        # SDV refuses pandas 'category' columns (and pandas 3's str dtype): plain objects.
        text = [n for n, k in sdtypes(train).items() if k == "categorical"]
        self.synthesizer_.fit({"table": train.astype(dict.fromkeys(text, object))})

    def sample(self, n_rows: int) -> pd.DataFrame:
        """Generate ``n_rows`` rows with the training dtypes."""
        rows = self.synthesizer_.sample(n_rows)
        rows = rows["table"] if isinstance(rows, dict) else rows
        return restore_dtypes(rows, self.like_)


@dataclass
class TabularARGNSynthesizer:
    """MOSTLY AI's TabularARGN (``mostlyai-engine``), fitted on the whole table.

    Parameters
    ----------
    max_epochs : float, default=100
        Training epochs (TabularARGN's own default is 100; on 2 CPU cores a table of
        a few thousand rows takes many minutes, so the comparison passes fewer).
    seed : int, default=0
        ``random_state`` of the model.
    """

    max_epochs: float = 100
    seed: int = 0

    def fit(self, train: pd.DataFrame, target: str | None) -> None:
        """Fit on the whole training table (the target is a column like the others)."""
        import tempfile

        from mostlyai.engine import TabularARGN

        self.like_ = train.iloc[:0]
        # Its workspace (checkpoints, encoded data) goes to a folder removed with us.
        self.workspace_ = tempfile.TemporaryDirectory(prefix="tabular-argn-")
        self.model_ = TabularARGN(
            max_epochs=self.max_epochs,
            random_state=self.seed,
            workspace_dir=self.workspace_.name,
            verbose=0,
        ).fit(train)

    def sample(self, n_rows: int) -> pd.DataFrame:
        """Generate ``n_rows`` rows with the training dtypes."""
        return restore_dtypes(self.model_.sample(n_samples=n_rows), self.like_)


#: Synthesizer factories by name (``seed`` -> fresh synthesizer), in report order.
SYNTHESIZERS: dict[str, Callable[[int], object]] = {
    "VAEAugmenter": lambda seed: VAESynthesizer(seed=seed),
    "VAEAugmenter, N(0, I) prior": lambda seed: VAESynthesizer(
        {"latent_prior": "normal"}, seed
    ),
    "VAEAugmenter (no target head)": lambda seed: VAESynthesizer(
        {"target_head": False}, seed
    ),
    "TVAE": lambda seed: SDVSynthesizer("TVAE"),
    "GaussianCopula": lambda seed: SDVSynthesizer("GaussianCopula"),
    "TabularARGN": lambda seed: TabularARGNSynthesizer(seed=seed),
}


def _importable(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def sdv_available() -> bool:
    """Whether SDV (TVAE, GaussianCopula) is installed."""
    return _importable("sdv")


def available(name: str) -> bool:
    """Whether the package synthesizer ``name`` needs is installed in this environment."""
    synthesizer = SYNTHESIZERS[name](0)
    if isinstance(synthesizer, SDVSynthesizer):
        return sdv_available()
    if isinstance(synthesizer, TabularARGNSynthesizer):
        return _importable("mostlyai.engine")
    return True
