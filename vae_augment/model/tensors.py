"""An encoded table on the device: the unit every model and training function works on."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ..table.codec import EncodedTable


@dataclass
class TensorTable:
    """An encoded table on the training device.

    Parameters
    ----------
    numeric : Tensor of shape (n_samples, n_numeric)
        Numeric block, missing cells set to 0.
    codes : Tensor of shape (n_samples, n_categorical)
        Level indices, missing cells set to 0.
    observed : Tensor of shape (n_samples, n_columns), dtype bool
        Which cells hold a value.
    labels : Tensor of shape (n_samples,) or None
        Class index of each row for a conditional model.
    """

    numeric: torch.Tensor
    codes: torch.Tensor
    observed: torch.Tensor
    labels: torch.Tensor | None

    @classmethod
    def from_encoded(
        cls, encoded: EncodedTable, labels: np.ndarray | None, device: torch.device
    ) -> TensorTable:
        """Move an :class:`EncodedTable` (and class indices) to ``device`` once.

        The caller hands ``encoded`` over: its missing cells are set to 0 in place, and
        on the CPU its arrays become the tensors (no second copy of the table).
        """
        numeric_missing = np.isnan(encoded.numeric)
        codes_missing = encoded.codes < 0
        observed = ~np.concatenate([numeric_missing, codes_missing], axis=1)
        encoded.numeric[numeric_missing] = 0.0
        encoded.codes[codes_missing] = 0
        return cls(
            numeric=torch.as_tensor(encoded.numeric).to(device, torch.float32),
            codes=torch.as_tensor(encoded.codes).to(device),
            observed=torch.as_tensor(observed).to(device),
            labels=None if labels is None else torch.as_tensor(labels).to(device),
        )

    def __len__(self) -> int:
        return self.observed.shape[0]

    def rows(self, index: torch.Tensor | slice) -> TensorTable:
        """The rows at ``index`` (a view for slices, no host round trip)."""
        return TensorTable(
            self.numeric[index],
            self.codes[index],
            self.observed[index],
            None if self.labels is None else self.labels[index],
        )

    def to(self, device: torch.device | str) -> TensorTable:
        """The same rows on ``device``."""
        return TensorTable(
            self.numeric.to(device),
            self.codes.to(device),
            self.observed.to(device),
            None if self.labels is None else self.labels.to(device),
        )

    def with_labels(self, labels: torch.Tensor) -> TensorTable:
        """The same rows conditioned on other class labels."""
        return TensorTable(self.numeric, self.codes, self.observed, labels)

    @classmethod
    def concat(cls, tables: list[TensorTable]) -> TensorTable:
        """The rows of ``tables``, one after the other (on their common device)."""
        return cls(
            torch.cat([t.numeric for t in tables]),
            torch.cat([t.codes for t in tables]),
            torch.cat([t.observed for t in tables]),
            None if tables[0].labels is None else torch.cat([t.labels for t in tables]),
        )
