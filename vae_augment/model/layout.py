"""The shape of a table in the model's terms, derived from the codec and the target."""

from __future__ import annotations

from dataclasses import dataclass

from ..table.codec import TableCodec


@dataclass(frozen=True)
class BlockLayout:
    """The blocks the network reads and predicts.

    Parameters
    ----------
    n_numeric : int
        Number of numeric columns.
    category_sizes : tuple of int
        Number of levels of each categorical column.
    missing_heads : tuple of int
        Columns (numeric first, then categorical) with a missingness head.
    encoder_blind : tuple of int
        Numeric columns the encoder never sees (a target modelled jointly with ``X``:
        it is generated, but ``transform`` and ``score_samples`` have no value for it).
    n_classes : int
        Number of classes the model is conditioned on; 0 for an unconditional model.
    """

    n_numeric: int
    category_sizes: tuple[int, ...]
    missing_heads: tuple[int, ...]
    encoder_blind: tuple[int, ...]
    n_classes: int

    @classmethod
    def of(cls, codec: TableCodec, n_classes: int) -> BlockLayout:
        """The layout of ``codec``'s blocks for a model of ``n_classes`` classes."""
        numeric, categorical = codec.numeric, codec.categorical
        return cls(
            n_numeric=len(numeric),
            category_sizes=tuple(len(c.levels) for c in categorical),
            missing_heads=tuple(
                j for j, c in enumerate(numeric + categorical) if c.has_missing
            ),
            # The target is the numeric block's last column.
            encoder_blind=() if codec.target is None else (len(numeric) - 1,),
            n_classes=n_classes,
        )

    @property
    def n_columns(self) -> int:
        """Number of columns, numeric and categorical."""
        return self.n_numeric + len(self.category_sizes)
