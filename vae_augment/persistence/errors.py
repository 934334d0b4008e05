"""The error every refusal of a model file raises."""

from __future__ import annotations


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
