"""End-to-end learning: small models trained for real must learn what they should, and no more.

Each test trains from a fixed seed, takes well under a second or two, and fails if the
training does not reach (or, for the perceptron on XOR, does reach) the stated result.
"""

from collections.abc import Callable

import numpy as np
import pytest

import scratchgrad as sg
import scratchgrad.nn.functional as F  # noqa: N812 - PyTorch's F
from scratchgrad import nn, optim

X_GATES = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
TRUTH_TABLES = {
    "AND": [0.0, 0.0, 0.0, 1.0],
    "OR": [0.0, 1.0, 1.0, 1.0],
    "XOR": [0.0, 1.0, 1.0, 0.0],
}


# ------------------------------------------------------------------ D3: the perceptron
def train_perceptron(y: sg.Tensor, epochs: int, seed: int, lr: float = 0.1) -> list[float]:
    """Perceptron rule on the four gate inputs; the accuracy on all rows after each epoch."""
    x = sg.tensor(X_GATES)
    g = sg.Generator(seed)
    w, b = sg.rand(2, generator=g) - 0.5, sg.rand((), generator=g) - 0.5
    history = []
    for _ in range(epochs):
        for xi, yi in zip(x, y, strict=True):
            error = (yi - F.heaviside(xi @ w + b, sg.tensor(0.0))).item()
            w.add_(lr * error * xi)
            b.add_(lr * error)
        predictions = F.heaviside(x @ w + b, sg.tensor(0.0))
        history.append((predictions == y).float().mean().item())
    return history


@pytest.mark.parametrize("gate", ["AND", "OR"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_perceptron_learns_and_or(gate: str, seed: int) -> None:
    history = train_perceptron(sg.tensor(TRUTH_TABLES[gate]), epochs=30, seed=seed)
    assert history[-1] == 1.0, history
    # once every row is right, the rule makes no more updates: it stays right
    first = history.index(1.0)
    assert all(acc == 1.0 for acc in history[first:]), history


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_perceptron_cannot_learn_xor(seed: int) -> None:
    history = train_perceptron(sg.tensor(TRUTH_TABLES["XOR"]), epochs=100, seed=seed)
    assert max(history) <= 0.75, history  # no line gets more than 3 of the 4 rows right


# ------------------------------------------------------------------ D5: an MLP on XOR
def fit_xor(model: nn.Module, optimizer: optim.Optimizer, steps: int) -> tuple[float, float]:
    """Full-batch BCE-with-logits training on XOR; returns (final loss, accuracy)."""
    x, y = sg.tensor(X_GATES), sg.tensor(TRUTH_TABLES["XOR"]).reshape(4, 1)
    loss_fn = nn.BCEWithLogitsLoss()
    for _ in range(steps):
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
    with sg.no_grad():
        accuracy = ((model(x) > 0).float() == y).float().mean().item()
    return loss.item(), accuracy


@pytest.mark.parametrize(
    ("make_optimizer", "steps"),
    [
        (lambda p: optim.SGD(p, lr=0.5), 600),
        (lambda p: optim.SGD(p, lr=0.1, momentum=0.9), 300),
        (lambda p: optim.Adam(p, lr=0.05), 300),
    ],
    ids=["sgd", "sgd-momentum", "adam"],
)
@pytest.mark.parametrize("seed", [0, 1])
def test_mlp_learns_xor(make_optimizer: Callable, steps: int, seed: int) -> None:
    sg.manual_seed(seed)
    model = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1))
    loss, accuracy = fit_xor(model, make_optimizer(model.parameters()), steps)
    assert accuracy == 1.0
    assert loss < 0.05


def test_linear_model_cannot_learn_xor() -> None:
    # the same training without the hidden layer: a line, so at most 3 of 4 rows
    sg.manual_seed(0)
    model = nn.Linear(2, 1)
    loss, accuracy = fit_xor(model, optim.Adam(model.parameters(), lr=0.05), 300)
    assert accuracy <= 0.75
    assert loss > 0.6  # stuck near log(2) = 0.693, the loss of predicting 1/2 everywhere


# ------------------------------------------------------------------ B8: each optimizer
OPTIMIZERS = {
    "sgd": lambda p: optim.SGD(p, lr=0.05),
    "sgd-momentum": lambda p: optim.SGD(p, lr=0.05, momentum=0.9),
    "sgd-nesterov": lambda p: optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True),
    "adam": lambda p: optim.Adam(p, lr=0.05),
    "adamw": lambda p: optim.AdamW(p, lr=0.05),
    "nadam": lambda p: optim.NAdam(p, lr=0.05),
    "rmsprop": lambda p: optim.RMSprop(p, lr=0.01),
    "adagrad": lambda p: optim.Adagrad(p, lr=0.1),
}


def regression_data(seed: int) -> tuple[sg.Tensor, sg.Tensor]:
    """y = x @ w + 0.5 + noise, with 64 rows of 5 features."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((64, 5)).astype(np.float32)
    w = np.array([[1.0], [-2.0], [0.5], [0.0], [3.0]], dtype=np.float32)
    y = x @ w + 0.5 + 0.1 * rng.standard_normal((64, 1)).astype(np.float32)
    return sg.tensor(x), sg.tensor(y)


def regression_losses(make_optimizer: Callable, steps: int) -> list[float]:
    """Full-batch MSE of a small MLP on the regression data, before each step and at the end."""
    sg.manual_seed(0)
    x, y = regression_data(0)
    model = nn.Sequential(nn.Linear(5, 16), nn.Tanh(), nn.Linear(16, 1))
    optimizer = make_optimizer(model.parameters())
    loss_fn = nn.MSELoss()
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    with sg.no_grad():
        losses.append(loss_fn(model(x), y).item())
    return losses


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_loss_decreases_with_each_optimizer(name: str) -> None:
    losses = regression_losses(OPTIMIZERS[name], steps=150)
    assert all(np.isfinite(losses))
    assert losses[-1] < 0.1 * losses[0], (losses[0], losses[-1])
    assert np.mean(losses[-10:]) < np.mean(losses[-20:-10])  # still going down at the end


def test_gradient_descent_decreases_the_loss_every_step() -> None:
    # plain SGD with a small enough step never goes uphill on the full batch
    losses = regression_losses(lambda p: optim.SGD(p, lr=0.02), steps=100)
    steps_up = [i for i in range(1, len(losses)) if losses[i] > losses[i - 1]]
    assert steps_up == []
    assert losses[-1] < 0.5 * losses[0]


def test_a_zero_learning_rate_learns_nothing() -> None:
    # the control: the decrease above comes from the updates, not from the data or the seed
    losses = regression_losses(lambda p: optim.SGD(p, lr=0.0), steps=5)
    assert len(set(losses)) == 1


# ------------------------------------------------------------------ D13: a tiny CNN
def bar_images(n: int, seed: int) -> tuple[sg.Tensor, sg.Tensor]:
    """8 x 8 images with one vertical (class 0) or horizontal (class 1) bar, plus noise."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, n)
    images = 0.2 * rng.standard_normal((n, 1, 8, 8)).astype(np.float32)
    for i, (label, pos) in enumerate(zip(labels, rng.integers(1, 7, n), strict=True)):
        if label == 0:
            images[i, 0, :, pos] += 1.0
        else:
            images[i, 0, pos, :] += 1.0
    return sg.tensor(images), sg.tensor(labels)


def test_cnn_learns_bar_orientation() -> None:
    sg.manual_seed(0)
    x, y = bar_images(128, seed=0)
    x_test, y_test = bar_images(64, seed=1)
    model = nn.Sequential(
        nn.Conv2d(1, 4, kernel_size=3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(4 * 4 * 4, 2),
    )
    optimizer = optim.Adam(model.parameters(), lr=0.02)
    first = None
    for _ in range(40):
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        first = loss.item() if first is None else first
    assert loss.item() < 0.2 * first
    with sg.no_grad():
        accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
    assert accuracy >= 0.95
