"""The columns a codec learned, grouped by the type a user knows them by (for logs).

The codec models two kinds (:mod:`.kinds`); users think of finer ones: a count column
is an integer column, a ``bool`` column is no category to them.
"""

from __future__ import annotations

from collections.abc import Hashable

from pandas.api import types as ptypes

from .codec import ColumnSpec, TableCodec
from .kinds import CATEGORICAL, time_kind

#: The column types, in the order logs list them.
COLUMN_TYPES = ("float", "integer", "datetime", "timedelta", "boolean", "categorical")


def column_type(spec: ColumnSpec) -> str:
    """One of :data:`COLUMN_TYPES` for a learned column."""
    if spec.kind == CATEGORICAL:
        return "boolean" if ptypes.is_bool_dtype(spec.dtype) else "categorical"
    times = time_kind(spec.dtype)
    if times is not None:
        return "datetime" if times[0] else "timedelta"
    return "float" if spec.step is None else "integer"


def columns_by_type(codec: TableCodec) -> dict[str, list[Hashable]]:
    """The feature columns' names per column type, types in :data:`COLUMN_TYPES` order.

    Only types that occur are keys; names keep the table's order.
    """
    grouped: dict[str, list[Hashable]] = {}
    for spec in codec.columns:
        grouped.setdefault(column_type(spec), []).append(spec.name)
    return {kind: grouped[kind] for kind in COLUMN_TYPES if kind in grouped}
