"""Tables in and out: validation, column kinds, the codec, the target, Parquet and files."""
