"""Reading tagged JSON back into fitted state, from fixed tables only (see :mod:`.tags`)."""

from __future__ import annotations

import base64
import datetime
import functools
import zoneinfo
from collections.abc import Callable
from typing import ClassVar

import numpy as np
import pandas as pd
import torch

from .errors import ModelFileError
from .tags import (
    MASKED_DTYPES,
    NUMPY_DTYPE_STR,
    NUMPY_KINDS,
    STRING_STORAGES,
    TIME_UNITS,
    TORCH_DEVICE,
    TYPE,
)


@functools.cache
def _time_zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _decode_tz(node, path: str) -> datetime.tzinfo | str:
    """A fixed-offset time zone, or the IANA name of one for pandas to resolve."""
    if node[TYPE] == "timezone":
        return datetime.timezone(datetime.timedelta(seconds=float(node["offset_seconds"])))
    # Only known IANA names: pandas resolves others through dateutil, which reads any
    # file a "dateutil/..." name points to.
    if node[TYPE] == "named_timezone" and node["name"] in _time_zone_names():
        return node["name"]
    raise ModelFileError(f"{path} holds an unknown time zone {node.get('name')!r}")


def _numpy_dtype(text, path: str, kinds: str = NUMPY_KINDS) -> np.dtype:
    """A numpy dtype of one of ``kinds`` from its ``dtype.str``."""
    if not (isinstance(text, str) and NUMPY_DTYPE_STR.fullmatch(text)):
        raise ModelFileError(f"{path} names an unsupported numpy dtype {text!r}")
    dtype = np.dtype(text)
    if dtype.kind not in kinds:
        raise ModelFileError(f"{path} names an unsupported numpy dtype {text!r}")
    return dtype


class Reader:
    """Rebuilds fitted state from tagged JSON and the arrays of the weights member.

    Parameters
    ----------
    arrays : dict
        The arrays of the weights member, by key.
    build : callable
        ``build(class_name, state, path)`` makes the object a tagged ``"object"`` node
        stands for, from its decoded attributes (the format version decides how).
    """

    def __init__(self, arrays: dict[str, np.ndarray], build) -> None:
        self.arrays = arrays
        self.build = build

    def _array(self, key: str) -> np.ndarray:
        if key not in self.arrays:
            raise ModelFileError(f"the weights member has no array {key!r}")
        return np.array(self.arrays[key])  # a writable copy

    def decode(self, node, path: str):
        """The value tagged JSON ``node``, the attribute at ``path``, stands for."""
        if node is None or type(node) in (bool, int, float, str):
            return node
        if type(node) is list:
            return [self.decode(v, f"{path}[{i}]") for i, v in enumerate(node)]
        if type(node) is not dict or TYPE not in node:
            raise ModelFileError(f"{path} is not a tagged value")
        tag = node[TYPE]
        decode_tagged = self._DECODERS.get(tag)
        if decode_tagged is None:
            raise ModelFileError(
                f"{path} holds a value of unknown type {tag!r}; the file may come from a "
                "newer vae_augment."
            )
        return decode_tagged(self, node, path)

    def _decode_float(self, node, path: str) -> float:
        """A non-finite float."""
        return float(node["value"])

    def _decode_tuple(self, node, path: str) -> tuple:
        """A tuple."""
        return tuple(self.decode(v, f"{path}[{i}]") for i, v in enumerate(node["items"]))

    def _decode_dict(self, node, path: str) -> dict:
        """A dict (of any keys)."""
        return {self.decode(k, path): self.decode(v, path) for k, v in node["items"]}

    def _decode_bytes(self, node, path: str) -> bytes:
        """Bytes, from base64."""
        return base64.b64decode(node["base64"], validate=True)

    def _decode_date(self, node, path: str) -> datetime.date:
        """A date, from its ISO form."""
        return datetime.date.fromisoformat(node["iso"])

    def _decode_tensor(self, node, path: str) -> torch.Tensor:
        """A torch tensor of the weights member."""
        return torch.from_numpy(self._array(node["tensor"]))

    def _decode_nat(self, node, path: str):
        """``pd.NaT``."""
        return pd.NaT

    def _decode_na(self, node, path: str):
        """``pd.NA``."""
        return pd.NA

    def _decode_timestamp(self, node, path: str) -> pd.Timestamp:
        """A pandas timestamp, naive or in its time zone."""
        timestamp = pd.Timestamp(self.decode(node["utc"], path))
        if node["tz"] is None:
            return timestamp
        return timestamp.tz_localize("UTC").tz_convert(_decode_tz(node["tz"], path))

    def _decode_timedelta(self, node, path: str) -> pd.Timedelta:
        """A pandas time delta."""
        return pd.Timedelta(self.decode(node["value"], path))

    def _decode_device(self, node, path: str) -> torch.device:
        """A torch device of a known kind."""
        if not TORCH_DEVICE.fullmatch(node["value"]):
            raise ModelFileError(f"{path} names an unknown device {node['value']!r}")
        return torch.device(node["value"])

    def _decode_random_state(self, node, path: str) -> np.random.RandomState:
        """A numpy random state."""
        random_state = np.random.RandomState()
        random_state.set_state(self.decode(node["state"], path))
        return random_state

    def _decode_scalar(self, node, path: str):
        if isinstance(node["dtype"], str):  # datetime64 / timedelta64: int64 + unit
            dtype = _numpy_dtype(node["dtype"], path, kinds="Mm")
            return np.array(int(node["value"]), dtype=np.int64).view(dtype)[()]
        dtype = self.decode(node["dtype"], path)
        return np.array([self.decode(node["value"], path)], dtype=dtype)[0]

    def _decode_array(self, node, path: str) -> np.ndarray:
        if "tensor" in node:
            array = self._array(node["tensor"])
            if "dtype" not in node:
                return array
            dtype = _numpy_dtype(node["dtype"], path, kinds="Mm")
            if array.dtype != np.int64:
                raise ModelFileError(f"{path} has times stored as {array.dtype}")
            return array.view(dtype)
        dtype = self.decode(node["dtype"], path)
        items = [self.decode(v, f"{path}[{i}]") for i, v in enumerate(node["items"])]
        array = np.empty(len(items), dtype=dtype)
        for i, item in enumerate(items):  # element-wise: tuples are single items
            array[i] = item
        return array.reshape(node["shape"])

    def _decode_object(self, node, path: str):
        if not isinstance(node.get("state"), dict):
            raise ModelFileError(f"{path} is an object without attributes")
        state = {
            name: self.decode(v, f"{path}.{name}") for name, v in node["state"].items()
        }
        return self.build(node["class"], state, path)

    def _decode_dtype(self, node, path: str):
        tag = node[TYPE]
        if tag == "numpy.dtype":
            return _numpy_dtype(node["str"], path)
        if tag == "pandas.CategoricalDtype":
            categories = pd.Index(
                self._decode_array(node["categories"], path),
                dtype=self.decode(node["categories_dtype"], path),
            )
            return pd.CategoricalDtype(categories, ordered=bool(node["ordered"]))
        if tag == "pandas.DatetimeTZDtype":
            if node["unit"] not in TIME_UNITS:
                raise ModelFileError(f"{path} names an unknown time unit {node['unit']!r}")
            return pd.DatetimeTZDtype(node["unit"], _decode_tz(node["tz"], path))
        if tag == "pandas.StringDtype":
            storage, na_value = node["storage"], node["na_value"]
            # The storage is passed explicitly (never pandas' default): "pyarrow" is
            # built only for a model whose string column was stored by pyarrow.
            if storage not in STRING_STORAGES or na_value not in ("NA", "nan"):
                raise ModelFileError(
                    f"{path} names an unsupported string dtype ({storage!r}, {na_value!r})"
                )
            if na_value == "NA":  # the only kind before pandas 2.3
                return pd.StringDtype(storage)
            return pd.StringDtype(storage, na_value=np.nan)
        cls = MASKED_DTYPES.get(node["name"])
        if cls is None:
            raise ModelFileError(f"{path} names an unsupported dtype {node['name']!r}")
        return cls()

    #: The decoder of each tag: a new type is a new entry.
    _DECODERS: ClassVar[dict[str, Callable]] = {
        "float": _decode_float,
        "tuple": _decode_tuple,
        "dict": _decode_dict,
        "bytes": _decode_bytes,
        "datetime.date": _decode_date,
        "numpy.ndarray": _decode_array,
        "torch.Tensor": _decode_tensor,
        "numpy.scalar": _decode_scalar,
        "pandas.NaT": _decode_nat,
        "pandas.NA": _decode_na,
        "pandas.Timestamp": _decode_timestamp,
        "pandas.Timedelta": _decode_timedelta,
        "torch.device": _decode_device,
        "numpy.RandomState": _decode_random_state,
        "object": _decode_object,
        "numpy.dtype": _decode_dtype,
        "pandas.CategoricalDtype": _decode_dtype,
        "pandas.DatetimeTZDtype": _decode_dtype,
        "pandas.StringDtype": _decode_dtype,
        "pandas.MaskedDtype": _decode_dtype,
    }
