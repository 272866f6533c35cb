"""Pieces of the neural-net estimators: nested settings, the default MLP, batched forward.

skorch's convention for settings of the parts an estimator builds: ``module__hidden=64``
goes to the module's constructor, ``optimizer__weight_decay=1e-4`` to the optimizer's,
``criterion__label_smoothing=0.1`` to the loss's. They are stored as attributes of the
estimator under their full names, so ``get_params``/``set_params``/``clone`` see them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scratchgrad.autograd import no_grad
from scratchgrad.nn.activation import GELU, ReLU, Sigmoid, Tanh
from scratchgrad.nn.container import Sequential
from scratchgrad.nn.linear import Dropout, Linear
from scratchgrad.nn.module import Module
from scratchgrad.tensor import Tensor

PREFIXES = ("module__", "criterion__", "optimizer__")

_ACTIVATIONS: dict[str, Callable[[], Module]] = {
    "relu": ReLU,
    "tanh": Tanh,
    "logistic": Sigmoid,
    "gelu": GELU,
}


def check_nested(kwargs: Mapping[str, Any], owner: str) -> None:
    """Refuse keyword settings that are not ``module__*``, ``criterion__*`` or ``optimizer__*``.

    Raises:
        TypeError: naming the first unknown setting and the accepted prefixes.
    """
    for key in kwargs:
        if not key.startswith(PREFIXES):
            raise TypeError(
                f"{owner}: unexpected setting {key!r}; nested settings start with one of "
                f"{', '.join(PREFIXES)}"
            )


def nested(params: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    """The settings under ``prefix`` ("module") with the prefix removed.

    >>> nested({"module__hidden": 8, "lr": 0.1}, "module")
    {'hidden': 8}
    """
    start = prefix + "__"
    return {k[len(start) :]: v for k, v in params.items() if k.startswith(start)}


def build_part(part: Any, kwargs: dict[str, Any], default: Callable[..., Any]) -> Any:
    """An instance of a part: a class or factory is called with ``kwargs``; an instance copied.

    Args:
        part: None (use ``default``), a class/factory, or a ready instance.
        kwargs: constructor settings (only for a class or factory).
        default: the class used when ``part`` is None.
    """
    if part is None:
        return default(**kwargs)
    if isinstance(part, type) or (callable(part) and not isinstance(part, Module)):
        return part(**kwargs)
    return copy.deepcopy(part)  # a user's instance stays untouched by fit


def mlp(
    in_features: int,
    hidden_layer_sizes: Sequence[int],
    out_features: int,
    activation: str = "relu",
    dropout: float = 0.0,
) -> Sequential:
    """A multilayer perceptron, as scikit-learn's MLPClassifier sizes it.

    Args:
        in_features: D, columns of X.
        hidden_layer_sizes: widths of the hidden layers, e.g. (100,).
        out_features: classes (logits) or regression targets.
        activation: "relu", "tanh", "logistic" or "gelu".
        dropout: dropout probability after each hidden activation.

    Returns:
        A Sequential mapping (N, D) to (N, out_features).

    >>> mlp(4, (8,), 3)[0].weight.shape
    (8, 4)
    """
    if activation not in _ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(_ACTIVATIONS)}, got {activation!r}")
    layers: list[Module] = []
    width = in_features
    for h in hidden_layer_sizes:
        layers += [Linear(width, int(h)), _ACTIVATIONS[activation]()]
        if dropout > 0:
            layers.append(Dropout(dropout))
        width = int(h)
    layers.append(Linear(width, out_features))
    return Sequential(*layers)


def forward_batches(module: Module, X: NDArray[Any], batch_size: int) -> NDArray[np.float64]:
    """The module's outputs for X (N, ...) in eval mode, batch by batch, as float64 (N, K)."""
    module.eval()
    step = X.shape[0] if batch_size <= 0 else batch_size
    outs = []
    with no_grad():
        for start in range(0, X.shape[0], step):
            out = module(Tensor(np.ascontiguousarray(X[start : start + step])))
            outs.append(np.asarray(out.numpy(), dtype=np.float64))
    result: NDArray[np.float64] = np.concatenate(outs, axis=0)
    return result.reshape(X.shape[0], -1)
