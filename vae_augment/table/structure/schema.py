"""``TableSchema``: what fit learned of a table's structure, as users read it.

Every column has a kind: the type a user knows it by (float, integer, datetime,
timedelta, boolean, categorical) or a structural one (key, constant, code: text of
digits such as zip codes, kept as text). The rules are listed with whether they are
enforced, and why not when they are not.
"""

from __future__ import annotations

from collections.abc import Hashable

from pandas.api import types as ptypes

from ..kinds import CATEGORICAL, CONSTANT, KEY, time_kind

#: The column types, in the order logs list them.
COLUMN_TYPES = (
    "float",
    "integer",
    "datetime",
    "timedelta",
    "boolean",
    "categorical",
    "code",
    "key",
    "constant",
)


def column_type(spec, structural: str = "") -> str:
    """One of :data:`COLUMN_TYPES` for a learned column (``structural``: its kind in
    the table's structure, if any)."""
    if structural:
        return structural
    if spec.kind in (KEY, CONSTANT):
        return spec.kind
    if spec.kind == CATEGORICAL:
        return "boolean" if ptypes.is_bool_dtype(spec.dtype) else "categorical"
    times = time_kind(spec.dtype)
    if times is not None:
        return "datetime" if times[0] else "timedelta"
    return "float" if spec.step is None else "integer"


class TableSchema:
    """Each column's kind and the table's rules (``VAEAugmenter.schema_``).

    Parameters
    ----------
    codec : TableCodec
        The fitted codec.
    """

    def __init__(self, codec) -> None:
        structure = codec.structure
        structural = {}
        if structure is not None:
            structural = dict(zip(structure.names, structure.kinds, strict=True))
        self.columns: dict[Hashable, str] = {
            spec.name: column_type(spec, structural.get(spec.name, ""))
            for spec in codec.columns
        }
        self.rules = [] if structure is None else list(structure.rules)
        self.reasons = [] if structure is None else list(structure.reasons)
        self.keys = [] if structure is None else list(structure.keys)

    @property
    def enforced(self) -> list:
        """The rules every output row keeps by construction."""
        return [r for r, why in zip(self.rules, self.reasons, strict=True) if not why]

    def by_type(self) -> dict[str, list]:
        """Column names per kind, kinds in :data:`COLUMN_TYPES` order."""
        grouped: dict[str, list] = {}
        for name, kind in self.columns.items():
            grouped.setdefault(kind, []).append(name)
        return {kind: grouped[kind] for kind in COLUMN_TYPES if kind in grouped}

    def to_dict(self) -> dict:
        """The schema as plain data: ``{"columns": {name: kind}, "rules": [...]}``,
        each rule with its text, kind, columns, support, and ``enforced``/``reason``."""
        return {
            "columns": dict(self.columns),
            "rules": [
                {**rule.to_dict(), "enforced": not why, "reason": why}
                for rule, why in zip(self.rules, self.reasons, strict=True)
            ],
            "keys": {key.name: key.describe() for key in self.keys},
        }

    def __repr__(self) -> str:
        n_rules = len(self.rules)
        lines = [
            f"TableSchema({len(self.columns)} columns; {n_rules} rule"
            f"{'' if n_rules == 1 else 's'}, {len(self.enforced)} enforced)"
        ]
        width = max((len(str(n)) for n in self.columns), default=0)
        formats = {key.name: key.describe() for key in self.keys}
        lines.append("columns:")
        for name, kind in self.columns.items():
            extra = f" ({formats[name]})" if name in formats else ""
            lines.append(f"  {name!s:<{width}}  {kind}{extra}")
        if self.rules:
            lines.append("rules:")
        for rule, why in zip(self.rules, self.reasons, strict=True):
            status = "enforced" if not why else "found   "
            note = f"  [{why}]" if why else ""
            weak = f"  [weak: {rule.support} rows]" if rule.weak else ""
            lines.append(f"  {status}  {rule.describe()}{weak}{note}")
        return "\n".join(lines)
