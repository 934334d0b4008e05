"""Every warning vae_augment raises is one of its own classes, and filters work on them.

Each case provokes one warning where a user meets it; the tests check that it comes as
its class (a ``VAEAugmentWarning``), that ``warnings.simplefilter("error", TheClass)``
turns it into an exception, and that one filter on the base class silences all of ours.
(The command line prints warnings as lines of its own: ``tests/cli``.)
"""

import pickle
import warnings

import pytest
import torch
from sklearn.exceptions import ConvergenceWarning

from vae_augment import (
    DataWarning,
    DeviceWarning,
    MaxEpochsWarning,
    TrainingWarning,
    VAEAugmenter,
    VAEAugmentWarning,
)
from vae_augment.model.latent_prior import LatentMixture

TINY = {"max_epochs": 2, "hidden_dims": (8,), "latent_dim": 2, "random_state": 0}


def unseen_category(fitted, mixed, monkeypatch, tmp_path):
    X = mixed[0].head(5).copy()
    X.loc[X.index[0], "city"] = "Atlantis"
    fitted.transform(X)


def max_epochs_reached(fitted, mixed, monkeypatch, tmp_path):
    VAEAugmenter(**TINY).fit(mixed[0].head(40))


def interrupted_latent_mixture(fitted, mixed, monkeypatch, tmp_path):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(LatentMixture, "fit", interrupted)
    with warnings.catch_warnings():
        # The tiny fit also reaches max_epochs, a TrainingWarning too.
        warnings.simplefilter("ignore", MaxEpochsWarning)
        VAEAugmenter(**TINY).fit(mixed[0].head(40))


def fitted_on_a_missing_gpu(fitted, mixed, monkeypatch, tmp_path):
    model = pickle.loads(pickle.dumps(fitted))
    model.model_.device = torch.device("cuda", 1)
    payload = pickle.dumps(model)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    pickle.loads(payload)


CASES = {
    "unseen category": (unseen_category, DataWarning, "never seen in fit"),
    "max_epochs reached": (max_epochs_reached, MaxEpochsWarning, "max_epochs=2"),
    "interrupt": (interrupted_latent_mixture, TrainingWarning, "latent mixture"),
    "missing gpu": (fitted_on_a_missing_gpu, DeviceWarning, "loaded on the CPU"),
}


@pytest.fixture(params=list(CASES), ids=list(CASES))
def case(request, fitted, mixed, monkeypatch, tmp_path):
    provoke, category, message = CASES[request.param]
    return (lambda: provoke(fitted, mixed, monkeypatch, tmp_path)), category, message


def test_warning_comes_as_its_class(case):
    provoke, category, message = case
    with pytest.warns(category, match=message) as caught:
        provoke()
    ours = [w for w in caught if issubclass(w.category, VAEAugmentWarning)]
    assert [w.category for w in ours if message in str(w.message)] == [category]
    assert issubclass(category, UserWarning)


def test_a_filter_for_the_class_makes_it_an_error(case):
    provoke, category, message = case
    with warnings.catch_warnings():
        warnings.simplefilter("error", category)
        with pytest.raises(category, match=message):
            provoke()


def test_one_filter_silences_all_of_ours(case):
    provoke, _, _ = case
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.simplefilter("ignore", VAEAugmentWarning)
        provoke()
    assert not [w for w in caught if issubclass(w.category, VAEAugmentWarning)]


def test_max_epochs_warning_is_scikit_learns_convergence_warning(mixed):
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        with pytest.raises(ConvergenceWarning, match="before it converged"):
            VAEAugmenter(**TINY).fit(mixed[0].head(40))
