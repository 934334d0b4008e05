"""The vocabulary of tagged JSON, shared by its writer and its reader.

Plain JSON values stay as they are; everything else becomes a JSON object whose
``"$type"`` names one of an allow-list of types (numpy arrays and scalars, pandas and
numpy dtypes, timestamps, torch tensors and devices, the state dataclasses). Reading
rebuilds only those types, from the fixed tables below: no string from a file is handed
to anything that could import a module or open a file (``pandas_dtype``, dateutil time
zones), and a state object is made by a builder the format version chooses.
"""

from __future__ import annotations

import re

import pandas as pd

#: The key naming a tagged value's type.
TYPE = "$type"

# The dtypes model files store, looked up in fixed tables (never by pandas_dtype(name),
# which imports modules for names like "int64[pyarrow]").
MASKED_DTYPES = {
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
STRING_STORAGES = ("python", "pyarrow")
TIME_UNITS = ("s", "ms", "us", "ns")
#: numpy dtype kinds: bool, int, uint, float, datetime, timedelta, object, str, bytes.
NUMPY_KINDS = "biufMmOUS"
#: What ``dtype.str`` gives for those kinds: "<f8", "|b1", "<U3", "|O", "<M8[10ms]".
NUMPY_DTYPE_STR = re.compile(r"[<>|=]?[biufMmOUS]\d{0,9}(\[\d{0,9}[A-Za-z]{1,2}\])?")
TORCH_DEVICE = re.compile(r"(cpu|cuda|mps)(:\d{1,4})?")
