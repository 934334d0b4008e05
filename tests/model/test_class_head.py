"""The class head: rows generated for a class look like that class."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import torch
from helpers import FAST
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import balanced_accuracy_score

from vae_augment import VAEAugmenter, load
from vae_augment.model.class_acceptance import MAX_ROUNDS, accepted_rows


def threshold_table(n=600, seed=0):
    """``y`` is "yes" when a + b plus a shop's effect passes a threshold (with noise)."""
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(
        {
            "a": rng.normal(size=n),
            "b": rng.normal(size=n),
            "c": rng.normal(size=n),
            "shop": rng.choice(["north", "south"], n),
        }
    )
    score = X["a"] + X["b"] + np.where(X["shop"] == "north", 0.5, -0.5)
    y = pd.Series(np.where(score + rng.normal(0, 0.3, n) > 0.6, "yes", "no"), name="y")
    return X, y


def _features(X):
    shop = pd.Categorical(X["shop"], categories=["north", "south"])
    return pd.get_dummies(X.assign(shop=shop), columns=["shop"], dtype=float)


@pytest.fixture(scope="module")
def real_classifier():
    X, y = threshold_table()
    return HistGradientBoostingClassifier(random_state=0).fit(_features(X), y)


@pytest.fixture(scope="module")
def fitted():
    return VAEAugmenter(**FAST).fit(*threshold_table())


def _fidelity(classifier, X, y):
    """Balanced accuracy of a classifier trained on real rows, on rows ``X``."""
    return balanced_accuracy_score(y, classifier.predict(_features(X)))


def test_generated_rows_look_like_their_class(fitted, real_classifier):
    X_new, y_new = fitted.sample(y={"yes": 300, "no": 300}, random_state=0)
    assert fitted.model_.module.has_target_head
    # The real classifier on held-out real rows: 0.90; on rows of the decoder alone
    # (target_head=False, 3 seeds) 0.83-0.86; with the head 0.94-0.96.
    assert _fidelity(real_classifier, X_new, y_new) > 0.9


def test_without_a_class_head_the_rows_are_the_decoders(monkeypatch):
    X, y = threshold_table()
    model = VAEAugmenter(**FAST, target_head=False).fit(X, y)
    module = model.model_.module
    assert not module.has_target_head

    def refuse(*args):
        raise AssertionError("no head, no acceptance")

    monkeypatch.setattr(module, "class_probability", refuse)
    X_new, y_new = model.sample(y={"yes": 20, "no": 10}, given={"shop": "north"})
    assert list(y_new) == ["yes"] * 20 + ["no"] * 10 and len(X_new) == 30


def test_rows_the_head_never_accepts_still_come_back(fitted, monkeypatch):
    module = fitted.model_.module
    calls = []

    def never(numeric, codes, labels):
        calls.append(len(labels))
        return torch.zeros(len(labels))

    monkeypatch.setattr(module, "class_probability", never)
    X_new, y_new = fitted.sample(y={"yes": 40, "no": 60}, random_state=0)
    assert len(X_new) == 100 and (np.asarray(y_new) == "yes").sum() == 40
    assert X_new.notna().all().all()
    assert len(calls) == MAX_ROUNDS - 1  # every row tested before each new proposal


def test_given_cells_are_kept_with_a_class_head(fitted, real_classifier):
    X_new, y_new = fitted.sample(
        y={"yes": 100, "no": 100}, given={"shop": "south"}, random_state=0
    )
    assert (X_new["shop"] == "south").all()
    assert _fidelity(real_classifier, X_new, y_new) > 0.85


def test_a_seed_gives_the_same_rows_whatever_the_frame_size(fitted, tmp_path):
    X_new, y_new = fitted.sample(9000, random_state=4)
    path = tmp_path / "rows.parquet"
    fitted.sample_to_parquet(path, 9000, random_state=4, row_group_rows=256)
    written = pd.read_parquet(path)
    pd.testing.assert_frame_equal(written[X_new.columns], X_new, check_dtype=False)
    np.testing.assert_array_equal(written["y"].to_numpy(), np.asarray(y_new))


def test_imputation_does_not_pick_rows_of_a_class(fitted, monkeypatch):
    from vae_augment import VAEImputer

    module = fitted.model_.module
    X, _ = threshold_table(seed=2)
    X = X.mask(np.random.default_rng(0).random(X.shape) < 0.2)
    imputer = VAEImputer(fitted).fit(X)

    def refuse(*args):
        raise AssertionError("imputation accepted rows of a class")

    monkeypatch.setattr(module, "class_probability", refuse)
    filled = imputer.transform(X)
    assert not filled.isna().any().any()


def test_a_saved_model_keeps_its_class_head(fitted, tmp_path):
    path = tmp_path / "classes.vae"
    fitted.save(path)
    loaded = load(path)
    assert loaded.model_.module.has_target_head
    first = fitted.sample(300, random_state=3)
    again = loaded.sample(300, random_state=3)
    pd.testing.assert_frame_equal(first[0], again[0])
    np.testing.assert_array_equal(np.asarray(first[1]), np.asarray(again[1]))


class _Module:
    """A stand-in network whose head accepts rows with a positive number for class 1
    and a negative one for class 0."""

    has_target_head = True

    layout = SimpleNamespace(n_classes=2)

    @staticmethod
    def class_probability(numeric, codes, labels):
        positive = numeric[:, 0] > 0
        return torch.where(labels == 1, positive, ~positive).float()


class _Graded(_Module):
    """A head whose probability of class 1 rises smoothly with the number."""

    @staticmethod
    def class_probability(numeric, codes, labels):
        return torch.sigmoid(3 * numeric[:, 0])


def test_acceptance_draws_from_the_decoder_times_the_head_even_row_by_row():
    generator = torch.Generator().manual_seed(0)

    def propose(index):
        numeric = torch.randn((len(index), 1), generator=generator)
        return numeric, torch.zeros((len(index), 0), dtype=torch.long)

    one_by_one = [
        accepted_rows(_Graded(), torch.tensor([1]), propose, generator)[0][0, 0]
        for _ in range(600)
    ]
    together, _ = accepted_rows(
        _Graded(), torch.ones(3000, dtype=torch.long), propose, generator
    )
    # N(0, 1) times sigmoid(3x): mean 0.69 (the decoder's rows alone: 0).
    assert abs(float(torch.stack(one_by_one).mean()) - 0.69) < 0.1
    assert abs(float(together.mean()) - 0.69) < 0.05


def test_accepted_rows_are_those_the_head_accepts():
    generator = torch.Generator().manual_seed(0)
    labels = torch.tensor([0, 1] * 50)

    def propose(index):
        numeric = torch.randn((len(index), 1), generator=generator)
        return numeric, torch.zeros((len(index), 0), dtype=torch.long)

    numeric, _ = accepted_rows(_Module(), labels, propose, generator)
    assert ((numeric[:, 0] > 0) == (labels == 1)).all()
