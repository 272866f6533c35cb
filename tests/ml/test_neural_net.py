"""NeuralNetClassifier / NeuralNetRegressor: check_estimator, nested settings, sklearn tools."""

# ruff: noqa: N803, N806

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import scratchgrad as sg
from scratchgrad import nn, optim
from scratchgrad.ml import NeuralNetClassifier, NeuralNetRegressor
from scratchgrad.ml._net_parts import build_part, check_nested, forward_batches, mlp, nested
from scratchgrad.train import EarlyStopping
from tests.ml._common import BAD_INPUT_CHECKS, run_check_estimator, split


class TwoLayer(nn.Module):
    def __init__(self, hidden: int = 16, n_in: int = 4, n_out: int = 3) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Linear(n_in, hidden), nn.Tanh(), nn.Linear(hidden, n_out))

    def forward(self, x):
        return self.net(x)


@pytest.mark.parametrize("est", [NeuralNetClassifier(), NeuralNetRegressor()], ids=type)
def test_check_estimator_with_no_expected_failures(est):
    run_check_estimator(est)


@pytest.mark.parametrize("check", BAD_INPUT_CHECKS)
def test_bad_input(check):
    check(NeuralNetClassifier(max_epochs=2), "iris")


def test_iris_score_close_to_sklearn_mlp():
    X_tr, X_te, y_tr, y_te = split("iris")
    ours = make_pipeline(StandardScaler(), NeuralNetClassifier(random_state=0))
    theirs = make_pipeline(StandardScaler(), MLPClassifier(max_iter=1000, random_state=0))
    a = ours.fit(X_tr, y_tr).score(X_te, y_te)
    b = theirs.fit(X_tr, y_tr).score(X_te, y_te)
    assert a >= b - 0.03, (a, b)


def test_nested_params_reach_module_and_optimizer():
    net = NeuralNetClassifier(
        TwoLayer, module__hidden=5, optimizer=optim.SGD, optimizer__momentum=0.5
    )
    assert net.get_params()["module__hidden"] == 5
    X, _, y, _ = split("iris")
    net.set_params(module__hidden=7, max_epochs=2).fit(X, y)
    assert net.module_.net[0].weight.shape == (7, 4)
    twin = clone(net)
    assert twin.get_params()["module__hidden"] == 7 and twin.optimizer__momentum == 0.5


def test_unknown_nested_setting_is_refused_at_fit():
    X, _, y, _ = split("iris")
    net = NeuralNetClassifier(max_epochs=1, modul__hidden=3)
    with pytest.raises(TypeError, match="modul__hidden"):
        net.fit(X, y)


def test_module_instance_is_copied_not_trained_in_place():
    X, _, y, _ = split("iris")
    inst = TwoLayer()
    before = inst.net[0].weight.detach().numpy().copy()
    net = NeuralNetClassifier(inst, max_epochs=2).fit(X, y)
    np.testing.assert_array_equal(inst.net[0].weight.detach().numpy(), before)
    assert net.module_ is not inst


def test_grid_search_and_cross_val_score_over_nested_params():
    X, _, y, _ = split("iris")
    pipe = make_pipeline(StandardScaler(), NeuralNetClassifier(max_epochs=10, random_state=0))
    grid = {
        "neuralnetclassifier__module__activation": ["relu", "tanh"],
        "neuralnetclassifier__lr": [0.01, 0.03],
    }
    search = GridSearchCV(pipe, grid, cv=3).fit(X, y)
    assert search.best_score_ > 0.8
    scores = cross_val_score(pipe, X, y, cv=3)
    assert scores.shape == (3,) and scores.mean() > 0.8


def test_train_split_gives_val_metrics_and_early_stopping_stops():
    X, _, y, _ = split("iris")
    X = StandardScaler().fit_transform(X)
    stop = EarlyStopping("val_loss", patience=1, min_delta=10.0)  # never "improves" after 1st
    net = NeuralNetClassifier(max_epochs=20, train_split=0.25, callbacks=[stop]).fit(X, y)
    assert "val_accuracy" in net.history_[0]
    assert net.n_iter_ == 2
    assert stop.wait == 0  # the user's callback is copied, not mutated


def test_same_random_state_same_predictions_and_run_folder_resume(tmp_path):
    X, _, y, _ = split("wine")
    X = StandardScaler().fit_transform(X)
    full = NeuralNetClassifier(max_epochs=4, random_state=3).fit(X, y)
    again = NeuralNetClassifier(max_epochs=4, random_state=3).fit(X, y)
    np.testing.assert_array_equal(full.predict_proba(X), again.predict_proba(X))
    part = NeuralNetClassifier(max_epochs=2, random_state=3, out_dir=tmp_path).fit(X, y)
    (run_dir,) = tmp_path.iterdir()
    part.set_params(max_epochs=4).fit(X, y, ckpt_path=run_dir)
    np.testing.assert_allclose(part.predict_proba(X), full.predict_proba(X), atol=1e-6)


def test_regressor_learns_a_line_and_multi_output():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(128, 3))
    Y = np.stack([X @ [1.0, -2.0, 0.5], X @ [0.0, 1.0, 1.0]], axis=1)
    net = NeuralNetRegressor(max_epochs=60, random_state=0).fit(X, Y)
    assert net.predict(X).shape == (128, 2) and net.score(X, Y) > 0.95
    assert NeuralNetRegressor(max_epochs=2).fit(X, Y[:, 0]).predict(X).shape == (128,)


def test_cnn_module_on_images():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 1, 8, 8)).astype(np.float32)
    y = (X[:, 0, :4].mean(axis=(1, 2)) > X[:, 0, 4:].mean(axis=(1, 2))).astype(int)
    cnn = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(256, 2))
    net = NeuralNetClassifier(cnn, max_epochs=30, random_state=0).fit(X, y)
    assert net.score(X, y) > 0.9


# ------------------------------------------------------------------ the private helpers
def test_nested_and_check_nested():
    assert nested({"optimizer__eps": 1e-8, "module__h": 2}, "optimizer") == {"eps": 1e-8}
    check_nested({"criterion__weight": None}, "X")
    with pytest.raises(TypeError, match="unexpected setting 'hidden'"):
        check_nested({"hidden": 3}, "X")


def test_build_part_class_factory_instance_default():
    assert build_part(None, {"reduction": "sum"}, nn.MSELoss).reduction == "sum"
    assert isinstance(build_part(nn.L1Loss, {}, nn.MSELoss), nn.L1Loss)
    loss = nn.L1Loss()
    assert build_part(loss, {}, nn.MSELoss) is not loss


def test_mlp_shapes_and_forward_batches_match_one_pass():
    sg.manual_seed(0)
    model = mlp(5, (6, 4), 3, activation="tanh", dropout=0.1)
    X = np.random.default_rng(0).normal(size=(10, 5)).astype(np.float32)
    out = forward_batches(model, X, batch_size=3)
    assert out.shape == (10, 3) and out.dtype == np.float64
    np.testing.assert_allclose(out, model(sg.tensor(X)).detach().numpy(), rtol=1e-6)
    with pytest.raises(ValueError, match="activation"):
        mlp(2, (3,), 1, activation="swish")
