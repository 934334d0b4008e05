"""The container ``transform`` gives its rows in: ``set_output``'s choice, else the input's.

scikit-learn's ``set_output(transform="pandas" | "polars")`` wraps what ``transform``
returns; an array of mixed columns would become a table of object columns there. So the
estimators build the asked-for DataFrame themselves, with the fitted dtypes, and
scikit-learn only names its columns.
"""

from __future__ import annotations

from sklearn.utils._set_output import _get_output_config

from ..table.frames import Container


def transform_container(estimator, given: Container, fitted: Container) -> Container:
    """How ``estimator.transform`` gives back rows it was given in ``given``.

    Parameters
    ----------
    estimator : estimator
        The transformer, whose ``set_output`` configuration (or scikit-learn's global
        ``transform_output``) is read.
    given : Container
        How this call's ``X`` was given.
    fitted : Container
        How the training table was given.

    Returns
    -------
    Container
        ``given`` without a configured output (``"default"``) or when it is of the
        configured kind; else ``fitted`` when that is of the configured kind (a polars
        fit's date columns come back as dates); else a plain pandas or polars one.
    """
    wanted = _get_output_config("transform", estimator)["dense"]
    if wanted in ("default", given.kind):
        return given
    if wanted == fitted.kind:
        return fitted
    return Container(is_frame=True, is_polars=wanted == "polars")
