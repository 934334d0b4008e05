"""A meta-estimator's prediction methods: delegated to ``estimator_``, metadata routed.

:class:`EstimatorDelegation` gives a meta-estimator that fits ``estimator_`` (a clone
of its ``estimator``) the estimator's ``predict``, ``predict_proba``,
``predict_log_proba``, ``decision_function``, ``score`` and ``classes_`` (each only when
the estimator has it), its classifier or regressor tags, and scikit-learn's metadata
routing to all of them and to ``fit``.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from sklearn import get_config
from sklearn.utils import metadata_routing
from sklearn.utils.metadata_routing import MetadataRouter, MethodMapping, process_routing
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

#: The estimator's methods that a meta-estimator delegates to, metadata included.
_DELEGATED = (
    "fit",
    "predict",
    "predict_proba",
    "predict_log_proba",
    "decision_function",
    "score",
)


def _estimator_has(method: str):
    """True when the fitted (or, before fit, the given) estimator has ``method``."""

    def check(self) -> bool:
        estimator = getattr(self, "estimator_", self.estimator)
        return hasattr(estimator, method)

    return check


class EstimatorDelegation:
    """Methods of a meta-estimator that delegate to its fitted ``estimator_``.

    The subclass has an ``estimator`` parameter, sets ``estimator_`` in ``fit``, and
    passes ``self._estimator_params("fit", fit_params)`` to the estimator's ``fit``.
    """

    # score's sample_weight is the estimator's to request, not this object's.
    __metadata_request__score: ClassVar[dict] = {"sample_weight": metadata_routing.UNUSED}

    def get_metadata_routing(self) -> MetadataRouter:
        """The metadata this object requests, and those it routes to the estimator.

        What this object's own ``fit`` consumes it requests itself (for
        ``sample_weight``: ``set_fit_request``); the estimator's requests route metadata
        to its ``fit``, ``predict``, ``predict_proba``, ``predict_log_proba``,
        ``decision_function`` and ``score``.

        Returns
        -------
        MetadataRouter
            The routing information.
        """
        mapping = MethodMapping()
        for method in _DELEGATED:
            mapping.add(caller=method, callee=method)
        return (
            MetadataRouter(owner=self)
            .add_self_request(self)
            .add(estimator=self.estimator, method_mapping=mapping)
        )

    def _estimator_params(self, method: str, params: dict, allow=()) -> dict:
        """The metadata ``params`` of ``self.<method>`` for the estimator's ``method``.

        With metadata routing enabled, those the estimator requests (scikit-learn's
        errors for metadata nobody requests); without, only the names in ``allow``.
        """
        if get_config()["enable_metadata_routing"]:
            return process_routing(self, method, **params).estimator[method]
        extra = sorted(set(params) - set(allow))
        if extra:
            raise ValueError(
                f"AugmentedEstimator.{method} got {extra}: passing metadata on to the "
                "estimator needs sklearn.set_config(enable_metadata_routing=True)."
            )
        return params

    @property
    def classes_(self) -> np.ndarray:
        """Class labels of the fitted classifier."""
        check_is_fitted(self)
        return self.estimator_.classes_

    @available_if(_estimator_has("predict"))
    def predict(self, X, **predict_params):
        """Predict with the estimator fitted on real plus synthetic rows.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Rows to predict, as the estimator takes them (never augmented).
        **predict_params : dict
            Only with metadata routing enabled: metadata the estimator's ``predict``
            requests.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predictions of ``estimator_``.
        """
        check_is_fitted(self)
        params = self._estimator_params("predict", predict_params)
        return self.estimator_.predict(X, **params)

    @available_if(_estimator_has("predict_proba"))
    def predict_proba(self, X, **predict_proba_params):
        """Class probabilities from the fitted estimator.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Rows to predict, as the estimator takes them (never augmented).
        **predict_proba_params : dict
            Only with metadata routing enabled: metadata the estimator's
            ``predict_proba`` requests.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Class probabilities of ``estimator_``.
        """
        check_is_fitted(self)
        params = self._estimator_params("predict_proba", predict_proba_params)
        return self.estimator_.predict_proba(X, **params)

    @available_if(_estimator_has("predict_log_proba"))
    def predict_log_proba(self, X, **predict_log_proba_params):
        """Log class probabilities from the fitted estimator.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Rows to predict, as the estimator takes them (never augmented).
        **predict_log_proba_params : dict
            Only with metadata routing enabled: metadata the estimator's
            ``predict_log_proba`` requests.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log class probabilities of ``estimator_``.
        """
        check_is_fitted(self)
        params = self._estimator_params("predict_log_proba", predict_log_proba_params)
        return self.estimator_.predict_log_proba(X, **params)

    @available_if(_estimator_has("decision_function"))
    def decision_function(self, X, **decision_function_params):
        """Decision function of the fitted estimator.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Rows to predict, as the estimator takes them (never augmented).
        **decision_function_params : dict
            Only with metadata routing enabled: metadata the estimator's
            ``decision_function`` requests.

        Returns
        -------
        scores : ndarray
            Decision function of ``estimator_``.
        """
        check_is_fitted(self)
        params = self._estimator_params("decision_function", decision_function_params)
        return self.estimator_.decision_function(X, **params)

    @available_if(_estimator_has("score"))
    def score(self, X, y, sample_weight=None, **score_params) -> float:
        """The fitted estimator's ``score`` on ``X, y``.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Test rows.
        y : array-like of shape (n_samples,)
            True targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights, passed on to the estimator's ``score`` (with metadata
            routing, when the estimator requests them).
        **score_params : dict
            Only with metadata routing enabled: other metadata the estimator's
            ``score`` requests.

        Returns
        -------
        float
            ``estimator_.score(X, y)``.
        """
        check_is_fitted(self)
        weight = {} if sample_weight is None else {"sample_weight": sample_weight}
        params = self._estimator_params(
            "score", {**weight, **score_params}, allow=("sample_weight",)
        )
        return self.estimator_.score(X, y, **params)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = self.estimator.__sklearn_tags__()
        tags.estimator_type = inner.estimator_type
        tags.classifier_tags = inner.classifier_tags
        tags.regressor_tags = inner.regressor_tags
        tags.input_tags.allow_nan = inner.input_tags.allow_nan
        tags.input_tags.categorical = inner.input_tags.categorical
        tags.input_tags.string = inner.input_tags.string
        return tags
