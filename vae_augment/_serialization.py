"""Model files that cannot run code on loading: JSON for structure, safetensors for arrays.

A model file is a zip archive of three members:

* ``manifest.json`` -- the format name and version, the library version that wrote it,
  the estimator's class and the SHA-256 of the two other members;
* ``estimator.json`` -- the constructor parameters and the fitted state, as tagged JSON;
* ``weights.safetensors`` -- every numeric array of the fitted state and the network's
  weights, in the safetensors format.

Nothing is pickled. The fitted state (what the estimator's ``__getstate__`` returns) is
walked generically: plain JSON values stay as they are, everything else becomes a JSON
object whose ``"$type"`` names one of an allow-list of types (numpy arrays and scalars,
pandas and numpy dtypes, timestamps, the state classes listed in ``_STATE_CLASSES``, ...).
Loading rebuilds only those types, from fixed tables: no string from the file is handed
to anything that could import a module or open a file (``pandas_dtype``, dateutil time
zones), and a state class is filled in without running its ``__init__``.
"""

from __future__ import annotations

import base64
import datetime
import functools
import hashlib
import json
import math
import os
import re
import secrets
import zipfile
import zoneinfo
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from safetensors import SafetensorError
from safetensors.numpy import load as load_arrays
from safetensors.numpy import save as save_arrays
from sklearn.utils.validation import check_is_fitted

from ._augmenter import VAEAugmenter, _available_device, _resolve_device
from ._codec import ColumnSpec, TableCodec
from ._latent_prior import LatentMixture
from ._model import BlockLayout
from ._quantiles import NormalQuantileMap
from ._table import Container
from ._target import TargetSpec

FORMAT_NAME = "vae-augment-model"
#: Written into every file; files with a larger version are refused.
FORMAT_VERSION = 1

_MANIFEST = "manifest.json"
_ESTIMATOR = "estimator.json"
_WEIGHTS = "weights.safetensors"
_MEMBERS = (_MANIFEST, _ESTIMATOR, _WEIGHTS)
# What rebuilding state from a well-formed archive with nonsense inside can raise
# (RecursionError, a RuntimeError, for absurdly nested JSON).
_MALFORMED = (
    LookupError,
    TypeError,
    ValueError,
    AttributeError,
    ArithmeticError,
    RuntimeError,
)
_ZIP_MAGIC = b"PK\x03\x04"
# A fixed member timestamp: saving the same model twice gives the same bytes.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_TYPE = "$type"

# What a fitted VAEAugmenter holds, hence all that a model file may hold. A new fitted
# attribute (of the estimator or of one of these classes), or a new state class, needs
# one line here.
#: The fitted attributes, as ``__getstate__`` gives them (the network as its weights).
_FITTED_STATE = frozenset(
    {
        "n_features_in_",
        "device_",
        "_container",
        "_target",
        "classes_",
        "class_prior_",
        "_codec",
        "_layout",
        "_module_state",
        "loss_curve_",
        "validation_loss_curve_",
        "best_loss_",
        "best_epoch_",
        "n_iter_",
        "latent_prior_",
    }
)
#: Set only by a fit on a DataFrame with string column names.
_OPTIONAL_FITTED_STATE = frozenset({"feature_names_in_"})
#: The classes of the fitted state, with their attributes.
_STATE_CLASSES = {
    Container: {"is_frame", "array_dtype"},
    TargetSpec: {"kind", "dtype", "name", "is_series"},
    TableCodec: {"columns_", "numeric_", "categorical_", "quantiles_"},
    ColumnSpec: {
        "name",
        "kind",
        "dtype",
        "has_missing",
        "step",
        "origin",
        "upper",
        "scale",
        "time_unit",
        "decimals",
        "levels",
    },
    NormalQuantileMap: {"references_", "quantiles_", "_floor", "_bounds"},
    BlockLayout: {
        "n_numeric",
        "category_sizes",
        "missing_heads",
        "encoder_blind",
        "n_classes",
    },
    LatentMixture: {"weights", "means", "cholesky"},
}

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


class ModelFileError(ValueError):
    """A file that :func:`load` refuses: not a model file, damaged, or too new.

    Raised for files that are not zip archives, truncated or corrupted files (a member
    whose checksum does not match the manifest), files written in a newer format version
    and files holding types, classes or attributes that this version of vae_augment does
    not know.

    The SHA-256 checksums detect corruption (an interrupted copy, a flipped bit), not
    tampering: whoever rewrites a member can rewrite the manifest's checksum too. Loading
    is safe for any file because of the format itself (JSON and safetensors, no pickle)
    and the allow-list of types it rebuilds, not because of the checksums.
    """


# ---------------------------------------------------------------------------- writing
def _class_name(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


_STATE_CLASS_NAMES = {_class_name(cls): cls for cls in _STATE_CLASSES}


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


class _Writer:
    """Turns fitted state into tagged JSON, collecting numeric arrays on the side."""

    def __init__(self) -> None:
        self.arrays: dict[str, np.ndarray] = {}

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
        if kind in _STATE_CLASSES:
            attributes = vars(value)
            if set(attributes) != _STATE_CLASSES[kind]:
                raise TypeError(
                    f"Cannot save attribute {path}: this {kind.__name__} has attributes "
                    f"{sorted(attributes)}, but model files know "
                    f"{sorted(_STATE_CLASSES[kind])} (update _STATE_CLASSES)."
                )
            return {
                _TYPE: "object",
                "class": _class_name(kind),
                "state": {
                    name: self.encode(v, f"{path}.{name}") for name, v in attributes.items()
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


def _write_archive(members: dict[str, bytes], path: Path) -> None:
    """Write the members to a sibling file, then move it over ``path``.

    An interrupted save never leaves a damaged file behind (nor destroys an older one).
    """
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}.partial")
    try:
        with open(partial, "xb") as file, zipfile.ZipFile(file, "w") as archive:
            for name, data in members.items():
                # Stored, not compressed: weights barely compress, and a fixed date makes
                # saving the same model twice give the same bytes.
                archive.writestr(zipfile.ZipInfo(name, date_time=_ZIP_DATE), data)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def save(estimator: VAEAugmenter, path: str | os.PathLike) -> None:
    """Write a fitted estimator to a model file; see :meth:`VAEAugmenter.save`."""
    from . import __version__  # the package has finished importing when this runs

    if type(estimator) is not VAEAugmenter:
        raise TypeError(
            f"Cannot save a {type(estimator).__name__}: model files hold a "
            "VAEAugmenter, and load rebuilds only that class. Use pickle or joblib for "
            "subclasses."
        )
    check_is_fitted(estimator)
    writer = _Writer()
    state = estimator.__getstate__()
    params = set(estimator.get_params(deep=False))
    unknown = _state_keys_problem(set(state) - params)
    if unknown:
        raise TypeError(f"Cannot save this VAEAugmenter: {unknown}.")
    document = {
        "params": {k: writer.encode(v, k) for k, v in state.items() if k in params},
        "state": {k: writer.encode(v, k) for k, v in state.items() if k not in params},
    }
    members = {
        _ESTIMATOR: json.dumps(document, indent=1, allow_nan=False).encode("utf-8"),
        _WEIGHTS: save_arrays(writer.arrays),
    }
    manifest = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "library_version": __version__,
        "estimator": _class_name(type(estimator)),
        "sha256": {
            name: hashlib.sha256(data).hexdigest() for name, data in members.items()
        },
    }
    manifest_bytes = json.dumps(manifest, indent=1).encode("utf-8")
    _write_archive({_MANIFEST: manifest_bytes, **members}, Path(path))


# ---------------------------------------------------------------------------- reading
def _state_keys_problem(keys: set[str]) -> str | None:
    """What is wrong with the names of a VAEAugmenter's fitted state, if anything."""
    missing = _FITTED_STATE - keys
    extra = keys - _FITTED_STATE - _OPTIONAL_FITTED_STATE
    if missing:
        return f"its fitted state lacks {sorted(missing)}"
    if extra:
        return f"a fitted VAEAugmenter has no attributes {sorted(extra)}"
    return None


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


class _Reader:
    """Rebuilds fitted state from tagged JSON and the arrays of the weights member."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.arrays = arrays

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
        cls = _STATE_CLASS_NAMES.get(node["class"])
        if cls is None:
            raise ModelFileError(
                f"{path} names class {node['class']!r}, which is not a vae_augment state "
                "class."
            )
        if set(node["state"]) != _STATE_CLASSES[cls]:
            raise ModelFileError(
                f"{path} holds attributes {sorted(node['state'])} for {cls.__name__}, "
                f"which has {sorted(_STATE_CLASSES[cls])}."
            )
        state = {
            name: self.decode(v, f"{path}.{name}") for name, v in node["state"].items()
        }
        instance = cls.__new__(cls)
        vars(instance).update(state)  # also for frozen dataclasses, without __init__
        return instance

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


def _read_members(path: Path) -> tuple[dict, dict, dict[str, np.ndarray]]:
    """Open the archive and check it against its manifest.

    Returns the manifest, the estimator document and the arrays of the weights member.
    """
    with open(path, "rb") as file:
        head = file.read(len(_ZIP_MAGIC))
    if head != _ZIP_MAGIC:
        raise ModelFileError(
            f"{path} is not a vae_augment model file (it is not a zip archive); such files "
            "are written by VAEAugmenter.save."
        )
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if sorted(names) != sorted(_MEMBERS):
                raise ModelFileError(
                    f"{path} is not a vae_augment model file: it holds members {names}, "
                    f"not {list(_MEMBERS)}."
                )
            # Checked before reading anything: save writes members uncompressed and
            # unencrypted, and a member cannot be larger than the whole file.
            size = path.stat().st_size
            for info in archive.infolist():
                if info.compress_type != zipfile.ZIP_STORED:
                    problem = "is compressed"
                elif info.flag_bits & 1:
                    problem = "is encrypted"
                elif info.file_size > size:
                    problem = f"claims {info.file_size} bytes, more than the file has"
                else:
                    continue
                raise ModelFileError(
                    f"{path} is not a vae_augment model file: its member {info.filename} "
                    f"{problem}."
                )
            members = {name: archive.read(name) for name in names}
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError) as error:
        raise ModelFileError(
            f"{path} is damaged (truncated or modified) and cannot be read: {error}."
        ) from None
    try:
        manifest = json.loads(members[_MANIFEST])
        format_name, version = manifest["format"], manifest["format_version"]
        checksums = dict(manifest["sha256"])
    except (ValueError, TypeError, KeyError, RecursionError):
        raise ModelFileError(
            f"{path} is not a vae_augment model file: its manifest is unreadable."
        ) from None
    if format_name != FORMAT_NAME or type(version) is not int or version < 1:
        raise ModelFileError(
            f"{path} is not a vae_augment model file: its manifest names format "
            f"{format_name!r}, version {version!r}."
        )
    if version > FORMAT_VERSION:
        raise ModelFileError(
            f"{path} was written in model format version {version} (by vae_augment "
            f"{manifest.get('library_version', '?')}), but this vae_augment reads format "
            f"version {FORMAT_VERSION} and older; upgrade vae_augment to load it."
        )
    for name in (_ESTIMATOR, _WEIGHTS):
        if hashlib.sha256(members[name]).hexdigest() != checksums.get(name):
            raise ModelFileError(
                f"{path} has been modified or damaged: the checksum of its member {name} "
                "does not match the manifest. Refusing to load it."
            )
    try:
        document = json.loads(members[_ESTIMATOR])
        arrays = load_arrays(members[_WEIGHTS])
    except (ValueError, LookupError, TypeError, RecursionError, SafetensorError) as error:
        raise ModelFileError(f"{path} has an unreadable member: {error!r}") from None
    return manifest, document, arrays


def load(path: str | os.PathLike, *, device: str | torch.device = "auto") -> VAEAugmenter:
    """Load a :class:`VAEAugmenter` from a file written by :meth:`VAEAugmenter.save`.

    Loading never runs code from the file: it holds JSON and safetensors only, and only
    an allow-list of types is rebuilt from it. This makes it the format for models you
    receive from others (unlike pickle and joblib files). The file's checksums detect
    corruption, not deliberate tampering (they can be rewritten with the file); safety
    does not depend on them.

    Parameters
    ----------
    path : str or path-like
        The model file.
    device : str or torch.device, default="auto"
        Where to put the network. ``"auto"`` keeps the device the model was fitted on
        when this machine has it and otherwise the CPU (with a warning); ``"cpu"``,
        ``"cuda"``, ``"cuda:N"`` or ``"mps"`` choose one. ``device_`` tells where it
        went.

    Returns
    -------
    VAEAugmenter
        The fitted estimator; it samples, transforms and scores exactly as the saved one
        did (on the same kind of device).

    Raises
    ------
    ModelFileError
        If the file is not a model file, is truncated or corrupted (checksums), was
        written in a newer format version, or holds types, classes or attributes this
        version of vae_augment does not know.
    ValueError
        For an unknown ``device``, or CUDA where there is none.

    See Also
    --------
    VAEAugmenter.save : write a model file.

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> from vae_augment import VAEAugmenter, load
    >>> X = np.random.default_rng(0).normal(size=(100, 3))
    >>> aug = VAEAugmenter(max_epochs=5, random_state=0).fit(X)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     aug.save(f"{folder}/model.vae")
    ...     same = load(f"{folder}/model.vae")
    >>> np.array_equal(same.sample(5)[0], aug.sample(5)[0])
    True
    """
    target = None if device == "auto" else _resolve_device(device)
    path = Path(path)
    manifest, document, arrays = _read_members(path)
    if manifest.get("estimator") != _class_name(VAEAugmenter):
        raise ModelFileError(
            f"{path} holds {manifest.get('estimator')!r}, not a VAEAugmenter."
        )
    reader = _Reader(arrays)
    try:
        params = {k: reader.decode(v, k) for k, v in document["params"].items()}
        unknown = set(params) ^ set(VAEAugmenter._get_param_names())
        if unknown:
            raise ModelFileError(
                f"its parameters differ from this VAEAugmenter's in {sorted(unknown)}; it "
                f"was written by vae_augment {manifest.get('library_version', '?')}"
            )
        problem = _state_keys_problem(set(document["state"]))
        if problem:
            raise ModelFileError(problem)
        state = {k: reader.decode(v, k) for k, v in document["state"].items()}
        fitted_on = state["device_"]
        if not isinstance(fitted_on, torch.device):
            raise ModelFileError(f"device_ is {fitted_on!r}, not a device")
        estimator = VAEAugmenter.__new__(VAEAugmenter)
        estimator.__setstate__({**params, **state, "device_": torch.device("cpu")})
    except ModelFileError as error:
        raise ModelFileError(f"{path} cannot be loaded: {error}.") from None
    except _MALFORMED as error:
        raise ModelFileError(f"{path} has inconsistent content: {error!r}") from None
    # Outside the try: running out of GPU memory here is no damaged file.
    estimator.device_ = _available_device(fitted_on) if target is None else target
    estimator.module_.to(estimator.device_)
    return estimator
