"""Tagged JSON: fitted state as JSON values, numeric arrays kept apart for safetensors.

Plain JSON values stay as they are; everything else becomes a JSON object whose
``"$type"`` names one of an allow-list of types (numpy arrays and scalars, pandas and
numpy dtypes, timestamps, torch tensors and devices, the state dataclasses). Reading
rebuilds only those types, from fixed tables: no string from a file is handed to anything
that could import a module or open a file (``pandas_dtype``, dateutil time zones), and a
state object is made by a builder the format version chooses (:class:`Reader`).
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
import functools
import math
import re
import zoneinfo

import numpy as np
import pandas as pd
import torch

from .errors import ModelFileError

_TYPE = "$type"

# The dtypes model files store, looked up in fixed tables (never by pandas_dtype(name),
# which imports modules for names like "int64[pyarrow]").
_MASKED_DTYPES = {
    cls().name: cls
    for cls in (
        pd.Int8Dtype,
        pd.Int16Dtype,
        pd.Int32Dtype,
        pd.Int64Dtype,
        pd.UInt8Dtype,
        pd.UInt16Dtype,
        pd.UInt32Dtype,
        pd.UInt64Dtype,
        pd.Float32Dtype,
        pd.Float64Dtype,
        pd.BooleanDtype,
    )
}
_STRING_STORAGES = ("python", "pyarrow")
_TIME_UNITS = ("s", "ms", "us", "ns")
#: numpy dtype kinds: bool, int, uint, float, datetime, timedelta, object, str, bytes.
_NUMPY_KINDS = "biufMmOUS"
#: What ``dtype.str`` gives for those kinds: "<f8", "|b1", "<U3", "|O", "<M8[10ms]".
_NUMPY_DTYPE_STR = re.compile(r"[<>|=]?[biufMmOUS]\d{0,9}(\[\d{0,9}[A-Za-z]{1,2}\])?")
_TORCH_DEVICE = re.compile(r"(cpu|cuda|mps)(:\d{1,4})?")


def _encode_tz(tz, path: str):
    if isinstance(tz, datetime.timezone):
        return {_TYPE: "timezone", "offset_seconds": tz.utcoffset(None).total_seconds()}
    # zoneinfo keys and pytz zones are IANA names; loading hands the name to pandas,
    # which picks its default time-zone library (zoneinfo from pandas 3, pytz before).
    name = getattr(tz, "key", None) or getattr(tz, "zone", None)
    if isinstance(name, str):
        return {_TYPE: "named_timezone", "name": name}
    raise TypeError(
        f"Cannot save attribute {path}: the time zone {tz!r} has no IANA name (use a "
        "named time zone such as 'Europe/Oslo', or a fixed UTC offset)."
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
        kind = type(value)
        if value is None or kind in (bool, int, str):
            return value
        if kind is float:
            return value if math.isfinite(value) else {_TYPE: "float", "value": repr(value)}
        if kind is list:
            return [self.encode(v, f"{path}[{i}]") for i, v in enumerate(value)]
        if kind is tuple:
            items = [self.encode(v, f"{path}[{i}]") for i, v in enumerate(value)]
            return {_TYPE: "tuple", "items": items}
        if kind is dict:
            return {
                _TYPE: "dict",
                "items": [
                    [self.encode(k, f"{path}.<key>"), self.encode(v, f"{path}[{k!r}]")]
                    for k, v in value.items()
                ],
            }
        if kind is bytes:
            return {_TYPE: "bytes", "base64": base64.b64encode(value).decode("ascii")}
        if kind is datetime.date:  # what databases' DATE columns come back as
            return {_TYPE: "datetime.date", "iso": value.isoformat()}
        if isinstance(value, np.ndarray):
            return self._encode_array(value, path)
        if isinstance(value, torch.Tensor):
            key = self._store(value.detach().cpu().numpy(), path)
            return {_TYPE: "torch.Tensor", "tensor": key}
        if isinstance(value, (np.datetime64, np.timedelta64)):
            return {
                _TYPE: "numpy.scalar",
                "dtype": value.dtype.str,
                "value": int(value.astype(np.int64)),
            }
        if isinstance(value, np.generic) and value.dtype.kind in "biufUS":
            item = value.item()
            if not isinstance(item, np.generic):  # long double has no Python type
                return {
                    _TYPE: "numpy.scalar",
                    "dtype": self.encode(value.dtype, path),
                    "value": self.encode(item, path),
                }
        if value is pd.NaT:
            return {_TYPE: "pandas.NaT"}
        if value is pd.NA:
            return {_TYPE: "pandas.NA"}
        if isinstance(value, pd.Timestamp):
            tz = None if value.tz is None else _encode_tz(value.tz, path)
            return {
                _TYPE: "pandas.Timestamp",
                "utc": self.encode(value.asm8, path),
                "tz": tz,
            }
        if isinstance(value, pd.Timedelta):
            return {_TYPE: "pandas.Timedelta", "value": self.encode(value.asm8, path)}
        if isinstance(value, (np.dtype, pd.api.extensions.ExtensionDtype)):
            return self._encode_dtype(value, path)
        if isinstance(value, torch.device) and _TORCH_DEVICE.fullmatch(str(value)):
            return {_TYPE: "torch.device", "value": str(value)}
        if isinstance(value, np.random.RandomState):
            return {
                _TYPE: "numpy.RandomState",
                "state": self.encode(value.get_state(legacy=True), f"{path}.state"),
            }
        if kind in self.state_types:
            return {
                _TYPE: "object",
                "class": self.state_types[kind],
                "state": {
                    f.name: self.encode(getattr(value, f.name), f"{path}.{f.name}")
                    for f in dataclasses.fields(value)
                },
            }
        raise TypeError(
            f"Cannot save attribute {path}: values of type {kind.__module__}."
            f"{kind.__qualname__} are not supported in model files. Use pickle or joblib "
            "for such a model (and share it only with people who trust you)."
        )

    def _encode_array(self, array: np.ndarray, path: str):
        kind = array.dtype.kind
        if kind in "biuf":
            return {_TYPE: "numpy.ndarray", "tensor": self._store(array, path)}
        if kind in "Mm":
            return {
                _TYPE: "numpy.ndarray",
                "dtype": array.dtype.str,
                "tensor": self._store(array.view(np.int64), path),
            }
        if kind in "OUS":
            return {
                _TYPE: "numpy.ndarray",
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
            if dtype.kind not in _NUMPY_KINDS:  # structured, complex, ...
                raise TypeError(
                    f"Cannot save attribute {path}: numpy dtype {dtype} is not "
                    "supported in model files."
                )
            return {_TYPE: "numpy.dtype", "str": dtype.str}
        if isinstance(dtype, pd.CategoricalDtype):
            categories = dtype.categories
            return {
                _TYPE: "pandas.CategoricalDtype",
                "categories": self._encode_array(
                    categories.to_numpy(), f"{path}.categories"
                ),
                "categories_dtype": self.encode(categories.dtype, f"{path}.categories"),
                "ordered": bool(dtype.ordered),
            }
        if isinstance(dtype, pd.DatetimeTZDtype):
            return {
                _TYPE: "pandas.DatetimeTZDtype",
                "unit": dtype.unit,
                "tz": _encode_tz(dtype.tz, path),
            }
        if isinstance(dtype, pd.StringDtype):
            na_value = dtype.na_value
            return {
                _TYPE: "pandas.StringDtype",
                "storage": dtype.storage,
                "na_value": "NA" if na_value is pd.NA else "nan",
            }
        if type(dtype) is _MASKED_DTYPES.get(dtype.name):
            return {_TYPE: "pandas.MaskedDtype", "name": dtype.name}
        raise TypeError(
            f"Cannot save attribute {path}: dtype {dtype} ({type(dtype).__name__}) is not "
            "supported in model files."
        )


@functools.cache
def _time_zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _decode_tz(node, path: str) -> datetime.tzinfo | str:
    """A fixed-offset time zone, or the IANA name of one for pandas to resolve."""
    if node[_TYPE] == "timezone":
        return datetime.timezone(datetime.timedelta(seconds=float(node["offset_seconds"])))
    # Only known IANA names: pandas resolves others through dateutil, which reads any
    # file a "dateutil/..." name points to.
    if node[_TYPE] == "named_timezone" and node["name"] in _time_zone_names():
        return node["name"]
    raise ModelFileError(f"{path} holds an unknown time zone {node.get('name')!r}")


def _numpy_dtype(text, path: str, kinds: str = _NUMPY_KINDS) -> np.dtype:
    """A numpy dtype of one of ``kinds`` from its ``dtype.str``."""
    if not (isinstance(text, str) and _NUMPY_DTYPE_STR.fullmatch(text)):
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
        if node is None or type(node) in (bool, int, float, str):
            return node
        if type(node) is list:
            return [self.decode(v, f"{path}[{i}]") for i, v in enumerate(node)]
        if type(node) is not dict or _TYPE not in node:
            raise ModelFileError(f"{path} is not a tagged value")
        tag = node[_TYPE]
        if tag == "float":
            return float(node["value"])
        if tag == "tuple":
            return tuple(
                self.decode(v, f"{path}[{i}]") for i, v in enumerate(node["items"])
            )
        if tag == "dict":
            return {self.decode(k, path): self.decode(v, path) for k, v in node["items"]}
        if tag == "bytes":
            return base64.b64decode(node["base64"], validate=True)
        if tag == "datetime.date":
            return datetime.date.fromisoformat(node["iso"])
        if tag == "numpy.ndarray":
            return self._decode_array(node, path)
        if tag == "torch.Tensor":
            return torch.from_numpy(self._array(node["tensor"]))
        if tag == "numpy.scalar":
            return self._decode_scalar(node, path)
        if tag == "pandas.NaT":
            return pd.NaT
        if tag == "pandas.NA":
            return pd.NA
        if tag == "pandas.Timestamp":
            timestamp = pd.Timestamp(self.decode(node["utc"], path))
            if node["tz"] is None:
                return timestamp
            return timestamp.tz_localize("UTC").tz_convert(_decode_tz(node["tz"], path))
        if tag == "pandas.Timedelta":
            return pd.Timedelta(self.decode(node["value"], path))
        if tag == "torch.device":
            if not _TORCH_DEVICE.fullmatch(node["value"]):
                raise ModelFileError(f"{path} names an unknown device {node['value']!r}")
            return torch.device(node["value"])
        if tag == "numpy.RandomState":
            random_state = np.random.RandomState()
            random_state.set_state(self.decode(node["state"], path))
            return random_state
        if tag == "object":
            return self._decode_object(node, path)
        if tag in _DTYPE_TAGS:
            return self._decode_dtype(node, path)
        raise ModelFileError(
            f"{path} holds a value of unknown type {tag!r}; the file may come from a newer "
            "vae_augment."
        )

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
        tag = node[_TYPE]
        if tag == "numpy.dtype":
            return _numpy_dtype(node["str"], path)
        if tag == "pandas.CategoricalDtype":
            categories = pd.Index(
                self._decode_array(node["categories"], path),
                dtype=self.decode(node["categories_dtype"], path),
            )
            return pd.CategoricalDtype(categories, ordered=bool(node["ordered"]))
        if tag == "pandas.DatetimeTZDtype":
            if node["unit"] not in _TIME_UNITS:
                raise ModelFileError(f"{path} names an unknown time unit {node['unit']!r}")
            return pd.DatetimeTZDtype(node["unit"], _decode_tz(node["tz"], path))
        if tag == "pandas.StringDtype":
            storage, na_value = node["storage"], node["na_value"]
            # The storage is passed explicitly (never pandas' default): "pyarrow" is
            # built only for a model whose string column was stored by pyarrow.
            if storage not in _STRING_STORAGES or na_value not in ("NA", "nan"):
                raise ModelFileError(
                    f"{path} names an unsupported string dtype ({storage!r}, {na_value!r})"
                )
            if na_value == "NA":  # the only kind before pandas 2.3
                return pd.StringDtype(storage)
            return pd.StringDtype(storage, na_value=np.nan)
        cls = _MASKED_DTYPES.get(node["name"])
        if cls is None:
            raise ModelFileError(f"{path} names an unsupported dtype {node['name']!r}")
        return cls()


_DTYPE_TAGS = {
    "numpy.dtype",
    "pandas.CategoricalDtype",
    "pandas.DatetimeTZDtype",
    "pandas.StringDtype",
    "pandas.MaskedDtype",
}
