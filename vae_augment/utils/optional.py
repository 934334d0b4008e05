"""Optional dependencies: imported when needed, the message naming the extra to install."""

from __future__ import annotations

import importlib
from types import ModuleType


def optional_import(module: str, *, extra: str, feature: str) -> ModuleType:
    """Import ``module``, or say which ``vae-augment`` extra installs it.

    Parameters
    ----------
    module : str
        The module to import, e.g. ``"pyarrow.dataset"``.
    extra : str
        The package's optional-dependency group that installs it, e.g. ``"parquet"``.
    feature : str
        What needs it, for the message: "pyarrow is needed for ``feature``".

    Returns
    -------
    module
        The imported module.

    Raises
    ------
    ImportError
        When the module cannot be imported; the message gives the ``pip install``
        command.
    """
    try:
        return importlib.import_module(module)
    except ImportError as error:
        package = module.split(".")[0]
        raise ImportError(
            f"{package} is needed for {feature}; install it with "
            f'pip install "vae-augment[{extra}]".'
        ) from error
