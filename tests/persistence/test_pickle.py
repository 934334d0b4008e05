"""pickle/joblib round trips, also for models fitted on a GPU and loaded without one."""

import pickle

import joblib
import numpy as np
import pandas as pd
import pytest
import torch


def test_joblib_round_trip_samples_identically(fitted, mixed, tmp_path):
    X, _ = mixed
    path = tmp_path / "augmenter.joblib"
    joblib.dump(fitted, path)
    loaded = joblib.load(path)
    for seed in (0, 7):
        expected_X, expected_y = fitted.sample(200, random_state=seed)
        got_X, got_y = loaded.sample(200, random_state=seed)
        pd.testing.assert_frame_equal(got_X, expected_X)
        pd.testing.assert_series_equal(got_y, expected_y)
    pd.testing.assert_frame_equal(loaded.transform(X), fitted.transform(X))
    np.testing.assert_array_equal(loaded.score_samples(X), fitted.score_samples(X))


def test_pickle_holds_one_fitted_object_without_torch_module(fitted):
    state = fitted.__getstate__()
    # What fit learned is one object; the other fitted attributes read from it.
    assert set(state) - set(fitted.get_params()) - {"_sklearn_version"} == {"model_"}
    model_state = state["model_"].__getstate__()
    assert not any(isinstance(v, torch.nn.Module) for v in model_state.values())
    assert all(t.device.type == "cpu" for t in model_state["module"].values())


def test_unfitted_estimator_pickles(mixed):
    from vae_augment import VAEAugmenter

    augmenter = pickle.loads(pickle.dumps(VAEAugmenter(latent_dim=3)))
    assert augmenter.get_params()["latent_dim"] == 3


def test_cuda_fitted_model_loads_on_cpu_only_machine(fitted, monkeypatch):
    # A model fitted on a GPU records device cuda; its weights are pickled as CPU
    # tensors. Simulate loading it on a machine without CUDA.
    gpu_model = pickle.loads(pickle.dumps(fitted))
    gpu_model.model_.device = torch.device("cuda", 0)
    payload = pickle.dumps(gpu_model)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.warns(UserWarning, match="fitted on cuda:0.*loaded on the CPU"):
        loaded = pickle.loads(payload)
    assert loaded.device_.type == "cpu"
    assert next(loaded.module_.parameters()).device.type == "cpu"
    expected, _ = fitted.sample(100, random_state=3)
    got, _ = loaded.sample(100, random_state=3)
    pd.testing.assert_frame_equal(got, expected)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_cuda_fit_then_cpu_load(mixed, monkeypatch):
    from vae_augment import VAEAugmenter

    X, y = mixed
    augmenter = VAEAugmenter(max_epochs=3, device="cuda", random_state=0).fit(X, y)
    payload = pickle.dumps(augmenter)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.warns(UserWarning, match="loaded on the CPU"):
        loaded = pickle.loads(payload)
    X_new, _ = loaded.sample(50, random_state=0)
    assert X_new.shape == (50, X.shape[1])
