"""Writing tagged JSON: fitted state as JSON values, numeric arrays kept apart for
safetensors (see :mod:`.tags`)."""

from __future__ import annotations

import base64
import dataclasses
import datetime
import math

import numpy as np
import pandas as pd
import torch

from ..table.frames import column_label
from .tags import MASKED_DTYPES, NUMPY_KINDS, TORCH_DEVICE, TYPE

#: What an encoder of one family returns for a value of another family.
_UNHANDLED = object()


def _encode_tz(tz, path: str):
    if isinstance(tz, datetime.timezone):
        return {TYPE: "timezone", "offset_seconds": tz.utcoffset(None).total_seconds()}
    # zoneinfo keys and pytz zones are IANA names; loading hands the name to pandas,
    # which picks its default time-zone library (zoneinfo from pandas 3, pytz before).
    name = getattr(tz, "key", None) or getattr(tz, "zone", None)
    if isinstance(name, str):
        return {TYPE: "named_timezone", "name": name}
    raise TypeError(
        f"Cannot save attribute {path}: the time zone {tz!r} has no IANA name (use a "
        "named time zone such as 'Europe/Oslo', or a fixed UTC offset)."
    )


def _column_error(spec, error: TypeError) -> TypeError:
    """What cannot be saved, in terms of the user's column rather than our attributes."""
    return TypeError(
        f"Cannot save {column_label(spec.name)}: its dtype {spec.dtype} (or its values) "
        "cannot be stored in a model file. Convert the column to a numpy or pandas "
        "dtype before fitting (pd.to_datetime for dates and objects holding datetimes, "
        ".dt.to_timestamp() for periods, .sparse.to_dense() for sparse columns, "
        ".astype('Int64'/'Float64'/'string') for pyarrow-backed ones), or use pickle or "
        f"joblib for this model. ({error})"
    )


class Writer:
    """Turns fitted state into tagged JSON, collecting numeric arrays on the side.

    Parameters
    ----------
    state_types : dict
        ``{class: stable name}`` of the dataclasses a model file may hold; an instance
        is written as its fields under the class's stable name.
    """

    def __init__(self, state_types: dict[type, str]) -> None:
        self.arrays: dict[str, np.ndarray] = {}
        self.state_types = state_types

    def _store(self, array: np.ndarray, path: str) -> str:
        key = path
        while key in self.arrays:
            key += "'"
        self.arrays[key] = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("="))
        return key

    def encode(self, value, path: str):
        """The tagged JSON of ``value``, the attribute at ``path``."""
        for encode_family in (
            self._encode_plain,
            self._encode_numeric,
            self._encode_pandas_value,
            self._encode_any_dtype,
            self._encode_state,
        ):
            encoded = encode_family(value, path)
            if encoded is not _UNHANDLED:
                return encoded
        kind = type(value)
        raise TypeError(
            f"Cannot save attribute {path}: values of type {kind.__module__}."
            f"{kind.__qualname__} are not supported in model files. Use pickle or joblib "
            "for such a model (and share it only with people who trust you)."
        )

    def _encode_plain(self, value, path: str):
        """A JSON value, Python container, bytes or date, else ``_UNHANDLED``."""
        kind = type(value)
        if value is None or kind in (bool, int, str):
            return value
        if kind is float:
            return value if math.isfinite(value) else {TYPE: "float", "value": repr(value)}
        if kind is list:
            return [self.encode(v, f"{path}[{i}]") for i, v in enumerate(value)]
        if kind is tuple:
            items = [self.encode(v, f"{path}[{i}]") for i, v in enumerate(value)]
            return {TYPE: "tuple", "items": items}
        if kind is dict:
            return {
                TYPE: "dict",
                "items": [
                    [self.encode(k, f"{path}.<key>"), self.encode(v, f"{path}[{k!r}]")]
                    for k, v in value.items()
                ],
            }
        if kind is bytes:
            return {TYPE: "bytes", "base64": base64.b64encode(value).decode("ascii")}
        if kind is datetime.date:  # what databases' DATE columns come back as
            return {TYPE: "datetime.date", "iso": value.isoformat()}
        return _UNHANDLED

    def _encode_numeric(self, value, path: str):
        """A numpy array or scalar or a torch tensor, else ``_UNHANDLED``."""
        if isinstance(value, np.ndarray):
            return self._encode_array(value, path)
        if isinstance(value, torch.Tensor):
            key = self._store(value.detach().cpu().numpy(), path)
            return {TYPE: "torch.Tensor", "tensor": key}
        if isinstance(value, (np.datetime64, np.timedelta64)):
            return {
                TYPE: "numpy.scalar",
                "dtype": value.dtype.str,
                "value": int(value.astype(np.int64)),
            }
        if isinstance(value, np.generic) and value.dtype.kind in "biufUS":
            item = value.item()
            if not isinstance(item, np.generic):  # long double has no Python type
                return {
                    TYPE: "numpy.scalar",
                    "dtype": self.encode(value.dtype, path),
                    "value": self.encode(item, path),
                }
        return _UNHANDLED

    def _encode_pandas_value(self, value, path: str):
        """``NaT``, ``NA``, a timestamp or a time delta, else ``_UNHANDLED``."""
        if value is pd.NaT:
            return {TYPE: "pandas.NaT"}
        if value is pd.NA:
            return {TYPE: "pandas.NA"}
        if isinstance(value, pd.Timestamp):
            tz = None if value.tz is None else _encode_tz(value.tz, path)
            return {
                TYPE: "pandas.Timestamp",
                "utc": self.encode(value.asm8, path),
                "tz": tz,
            }
        if isinstance(value, pd.Timedelta):
            return {TYPE: "pandas.Timedelta", "value": self.encode(value.asm8, path)}
        return _UNHANDLED

    def _encode_any_dtype(self, value, path: str):
        """A numpy or pandas dtype, else ``_UNHANDLED``."""
        if isinstance(value, (np.dtype, pd.api.extensions.ExtensionDtype)):
            return self._encode_dtype(value, path)
        return _UNHANDLED

    def _encode_state(self, value, path: str):
        """A torch device, random state or state dataclass, else ``_UNHANDLED``."""
        if isinstance(value, torch.device) and TORCH_DEVICE.fullmatch(str(value)):
            return {TYPE: "torch.device", "value": str(value)}
        if isinstance(value, np.random.RandomState):
            return {
                TYPE: "numpy.RandomState",
                "state": self.encode(value.get_state(legacy=True), f"{path}.state"),
            }
        kind = type(value)
        if kind not in self.state_types:
            return _UNHANDLED
        try:
            state = {
                f.name: self.encode(getattr(value, f.name), f"{path}.{f.name}")
                for f in dataclasses.fields(value)
            }
        except TypeError as error:
            if self.state_types[kind] != "ColumnSpec":
                raise
            raise _column_error(value, error) from None
        return {TYPE: "object", "class": self.state_types[kind], "state": state}

    def _encode_array(self, array: np.ndarray, path: str):
        kind = array.dtype.kind
        if kind in "biuf":
            return {TYPE: "numpy.ndarray", "tensor": self._store(array, path)}
        if kind in "Mm":
            return {
                TYPE: "numpy.ndarray",
                "dtype": array.dtype.str,
                "tensor": self._store(array.view(np.int64), path),
            }
        if kind in "OUS":
            return {
                TYPE: "numpy.ndarray",
                "dtype": self.encode(array.dtype, path),
                "shape": list(array.shape),
                "items": [
                    self.encode(v, f"{path}[{i}]")
                    for i, v in enumerate(array.ravel().tolist())
                ],
            }
        raise TypeError(
            f"Cannot save attribute {path}: numpy arrays of dtype {array.dtype} are not "
            "supported in model files."
        )

    def _encode_dtype(self, dtype, path: str):
        if isinstance(dtype, np.dtype):
            if dtype.kind not in NUMPY_KINDS:  # structured, complex, ...
                raise TypeError(
                    f"Cannot save attribute {path}: numpy dtype {dtype} is not "
                    "supported in model files."
                )
            return {TYPE: "numpy.dtype", "str": dtype.str}
        if isinstance(dtype, pd.CategoricalDtype):
            categories = dtype.categories
            return {
                TYPE: "pandas.CategoricalDtype",
                "categories": self._encode_array(
                    categories.to_numpy(), f"{path}.categories"
                ),
                "categories_dtype": self.encode(categories.dtype, f"{path}.categories"),
                "ordered": bool(dtype.ordered),
            }
        if isinstance(dtype, pd.DatetimeTZDtype):
            return {
                TYPE: "pandas.DatetimeTZDtype",
                "unit": dtype.unit,
                "tz": _encode_tz(dtype.tz, path),
            }
        if isinstance(dtype, pd.StringDtype):
            na_value = dtype.na_value
            return {
                TYPE: "pandas.StringDtype",
                "storage": dtype.storage,
                "na_value": "NA" if na_value is pd.NA else "nan",
            }
        if type(dtype) is MASKED_DTYPES.get(dtype.name):
            return {TYPE: "pandas.MaskedDtype", "name": dtype.name}
        raise TypeError(
            f"Cannot save attribute {path}: dtype {dtype} ({type(dtype).__name__}) is not "
            "supported in model files."
        )
