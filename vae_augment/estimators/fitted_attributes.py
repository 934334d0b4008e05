"""The estimator's fitted attributes: read-only views of the one object, ``model_``,
that holds what fit learned."""

from __future__ import annotations

from collections.abc import Callable

from sklearn.utils.validation import check_is_fitted

from ..table.structure.schema import TableSchema


class FittedAttribute:
    """A read-only attribute computed from an estimator's ``model_``.

    Before fit, reading it raises :class:`~sklearn.exceptions.NotFittedError` (an
    ``AttributeError``, so ``hasattr`` is False), as for any fitted attribute. It cannot
    be assigned (a data descriptor), so no stale copy can shadow the fitted model.

    Parameters
    ----------
    read : callable
        ``read(model)`` gives the attribute's value from the fitted model.
    absent_when_none : bool, default=False
        Whether a ``None`` value means the attribute does not exist (scikit-learn's
        ``feature_names_in_`` is absent rather than ``None`` for arrays).
    """

    def __init__(self, read: Callable, *, absent_when_none: bool = False) -> None:
        self._read = read
        self._absent_when_none = absent_when_none
        self._name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    def __get__(self, estimator, owner: type | None = None):
        if estimator is None:
            return self
        check_is_fitted(estimator)
        value = self._read(estimator.model_)
        if value is None and self._absent_when_none:
            raise AttributeError(
                f"{type(estimator).__name__} has no {self._name}: fit was given no "
                "DataFrame whose column names are all strings."
            )
        return value

    def __set__(self, estimator, value) -> None:
        raise AttributeError(
            f"{type(estimator).__name__}.{self._name} is read-only: what fit learned "
            "lives in model_ and is set by fit."
        )


class FittedVAEAttributes:
    """``VAEAugmenter``'s fitted attributes (documented there), read from ``model_``."""

    n_features_in_ = FittedAttribute(lambda model: model.table.n_features)
    feature_names_in_ = FittedAttribute(
        lambda model: model.table.feature_names, absent_when_none=True
    )
    classes_ = FittedAttribute(lambda model: model.table.classes)
    class_prior_ = FittedAttribute(lambda model: model.table.class_prior)
    device_ = FittedAttribute(lambda model: model.device)
    module_ = FittedAttribute(lambda model: model.module)
    loss_curve_ = FittedAttribute(lambda model: model.history.train_loss)
    validation_loss_curve_ = FittedAttribute(lambda model: model.history.validation_loss)
    best_loss_ = FittedAttribute(lambda model: model.history.best_loss)
    best_epoch_ = FittedAttribute(lambda model: model.history.best_epoch)
    n_iter_ = FittedAttribute(lambda model: model.history.n_epochs)
    latent_prior_ = FittedAttribute(lambda model: model.latent_prior)
    schema_ = FittedAttribute(lambda model: TableSchema(model.table.codec))
