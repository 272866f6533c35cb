"""Neural networks as scikit-learn estimators, with skorch's conventions, trained by our Trainer.

``NeuralNetClassifier(module, criterion, optimizer, lr, max_epochs, batch_size, train_split,
callbacks)`` wraps any ``nn.Module`` (an instance, a class or a factory); nested settings go
by double underscore (``module__hidden=64``, ``optimizer__weight_decay=1e-4``) through
``get_params``/``set_params``, so a net is one more estimator in a Pipeline, in
``cross_val_score`` and in ``GridSearchCV``. With ``module=None`` an MLP is sized from the
data and ``hidden_layer_sizes``, as scikit-learn's MLPClassifier. Training runs through
:class:`~scratchgrad.train.Trainer`: callbacks such as ``EarlyStopping`` work, and with
``out_dir`` set each fit writes a run folder (metrics, curves, checkpoints) that
``fit(X, y, ckpt_path=run_dir)`` resumes exactly. Shapes: X is (n_samples, n_features) or
(n_samples, *input_shape) for a module that takes images; outputs are float64 NumPy arrays.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from scratchgrad.backend import Array
from scratchgrad.data.dataset import TensorDataset
from scratchgrad.data.loader import DataLoader
from scratchgrad.ml._linear_base import encode_labels
from scratchgrad.ml._net_parts import (
    build_part,
    check_nested,
    forward_batches,
    mlp,
    nested,
)
from scratchgrad.nn.loss import CrossEntropyLoss, MSELoss
from scratchgrad.nn.module import Module
from scratchgrad.optim.adam import Adam
from scratchgrad.random import manual_seed
from scratchgrad.train.callbacks import Callback
from scratchgrad.train.module import Supervised

if TYPE_CHECKING:
    from scratchgrad.train.trainer import Trainer

__all__ = ["NeuralNetClassifier", "NeuralNetRegressor"]

F64 = NDArray[np.float64]


class _History(Callback):
    """Keeps every epoch's metrics (the estimator's ``history_``)."""

    def __init__(self) -> None:
        self.rows: list[dict[str, float]] = []

    def on_epoch_end(self, trainer: Any, module: Any, metrics: dict[str, float]) -> None:
        """Record a copy of the epoch's metrics."""
        self.rows.append(dict(metrics))


class _NeuralNet(BaseEstimator):
    """What the classifier and the regressor share; see :class:`NeuralNetClassifier`."""

    _task = "regression"

    def __init__(
        self,
        module: Any = None,
        *,
        criterion: Any = None,
        optimizer: Any = Adam,
        lr: float = 0.01,
        max_epochs: int = 30,
        batch_size: int = 64,
        train_split: float | None = None,
        callbacks: list[Callback] | None = None,
        hidden_layer_sizes: tuple[int, ...] = (100,),
        random_state: int | np.random.RandomState | None = None,
        out_dir: str | Path | None = None,
        verbose: int = 0,
        **kwargs: Any,
    ) -> None:
        self.module = module
        self.criterion = criterion
        self.optimizer = optimizer
        self.lr = lr
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.train_split = train_split
        self.callbacks = callbacks
        self.hidden_layer_sizes = hidden_layer_sizes
        self.random_state = random_state
        self.out_dir = out_dir
        self.verbose = verbose
        for key, value in kwargs.items():
            setattr(self, key, value)

    # ------------------------------------------------------------ parameters
    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor's settings plus every nested ``module__*``-style setting."""
        params: dict[str, Any] = super().get_params(deep=False)
        return params | self._extra_params()

    def _extra_params(self) -> dict[str, Any]:
        """Settings given beyond the signature (the nested ones; checked by ``fit``)."""
        names = set(self._get_param_names())
        return {
            k: v
            for k, v in vars(self).items()
            if k not in names and not k.startswith("_") and not k.endswith("_")
        }

    def set_params(self, **params: Any) -> _NeuralNet:
        """Set settings, nested ones (``module__hidden=32``) included; returns self."""
        names = set(self._get_param_names())
        for key, value in params.items():
            if key not in names:
                setattr(self, key, value)
        super().set_params(**{k: v for k, v in params.items() if k in names})
        return self

    # ------------------------------------------------------------ fitting
    def _check_settings(self) -> None:
        check_nested(self._extra_params(), type(self).__name__)
        if not self.lr > 0:
            raise ValueError(f"lr must be > 0, got {self.lr}")
        if int(self.max_epochs) < 1:
            raise ValueError(f"max_epochs must be >= 1, got {self.max_epochs}")
        if self.train_split is not None and not 0 < self.train_split < 1:
            raise ValueError(f"train_split must be a fraction in (0, 1), got {self.train_split}")

    def _build_module(self, n_features: int, n_outputs: int) -> Module:
        kwargs = nested(self.get_params(), "module")
        if self.module is None:
            return mlp(n_features, self.hidden_layer_sizes, n_outputs, **kwargs)
        module: Module = build_part(self.module, kwargs, mlp)
        return module

    def _fit_arrays(
        self, X: NDArray[Any], y: NDArray[Any], n_outputs: int, ckpt_path: str | Path | None
    ) -> None:
        """Build the parts and train on X (N, ...) and targets y (N, ...)."""
        self._check_settings()
        seed = int(check_random_state(self.random_state).randint(2**31 - 1))
        manual_seed(seed)
        model = self._build_module(X.shape[1] if X.ndim == 2 else -1, n_outputs)
        params = self.get_params()
        criterion = build_part(self.criterion, nested(params, "criterion"), self._criterion())
        opt_kwargs = {"lr": self.lr} | nested(params, "optimizer")
        task_module = Supervised(
            model,
            criterion,
            lambda ps: self.optimizer(ps, **opt_kwargs),
            task=self._task,
            num_classes=n_outputs if self._task == "classification" else None,
        )
        history = _History()
        trainer = self._trainer(seed, history)
        train_loader, val_loader = self._loaders(X, y, seed)
        trainer.fit(task_module, train_loader, val_loader, ckpt_path=ckpt_path)
        model.eval()
        self.module_, self.criterion_ = model, criterion
        self.history_ = history.rows
        self.n_iter_ = len(history.rows)

    def _trainer(self, seed: int, history: _History) -> Trainer:
        # imported here: train.metrics imports ml (silhouette_score), so ml loads first
        from scratchgrad.train.trainer import Trainer

        callbacks = [*copy.deepcopy(list(self.callbacks or [])), history]
        trainer = Trainer(
            max_epochs=int(self.max_epochs),
            seed=seed,
            write_run=self.out_dir is not None,
            out_dir=Path(self.out_dir or "runs"),
            run_name=type(self).__name__,
            monitor="val_loss" if self.train_split is not None else "train_loss",
            progress=False,
            callbacks=callbacks,
        )
        trainer.progress.console.quiet = not self.verbose
        return trainer

    def _loaders(self, X: NDArray[Any], y: NDArray[Any], seed: int) -> tuple[Any, Any]:
        """Training batches (shuffled) and validation batches (None without ``train_split``)."""
        n = X.shape[0]
        bs = n if self.batch_size <= 0 else min(int(self.batch_size), n)
        idx = np.arange(n)
        val_idx = None
        if self.train_split is not None:
            strat = y if self._task == "classification" else None
            idx, val_idx = train_test_split(
                idx, test_size=self.train_split, stratify=strat, random_state=seed
            )
        train = DataLoader(TensorDataset(X[idx], y[idx]), batch_size=bs, shuffle=True)
        if val_idx is None:
            return train, None
        return train, DataLoader(TensorDataset(X[val_idx], y[val_idx]), batch_size=bs)

    def _criterion(self) -> type[Module]:
        return MSELoss

    def _outputs(self, X: Array) -> F64:
        """Network outputs (n_samples, n_outputs) for new X, in float64."""
        check_is_fitted(self)
        X32 = validate_data(self, X, reset=False, dtype=np.float32, allow_nd=True)
        return forward_batches(self.module_, X32, int(self.batch_size))


class NeuralNetClassifier(ClassifierMixin, _NeuralNet):
    """A classifier made of a neural network, trained by the Trainer with cross-entropy.

    Args:
        module: None (an MLP sized from the data and ``hidden_layer_sizes``), an
            ``nn.Module`` class or factory (called with the ``module__*`` settings), or a
            Module instance (copied for each fit). It maps X (N, ...) to logits (N, C).
        criterion: the loss, a class (called with ``criterion__*``) or an instance;
            ``CrossEntropyLoss`` by default.
        optimizer: an optimizer class, called with the parameters, ``lr`` and the
            ``optimizer__*`` settings (``Adam`` by default).
        lr: the learning rate.
        max_epochs: epochs of training.
        batch_size: samples per batch (<= 0: the whole training set).
        train_split: the fraction held out (stratified) for ``val_*`` metrics and
            ``EarlyStopping(monitor="val_loss")``; None trains on everything.
        callbacks: Trainer callbacks (copied for each fit), e.g. ``[EarlyStopping()]``.
        hidden_layer_sizes: widths of the default MLP's hidden layers.
        random_state: seeds the weights, the shuffling and the split.
        out_dir: where each fit writes a run folder; None writes nothing.
        verbose: 0 is silent; 1 prints one line per epoch.
        **kwargs: nested settings: ``module__*``, ``criterion__*``, ``optimizer__*``
            (``module__activation="tanh"`` and ``module__dropout`` for the default MLP).

    Attributes:
        classes_: the labels, shape (n_classes,).
        module_: the trained network (in eval mode).
        criterion_: the loss used.
        history_: one dict of metrics per epoch (``train_loss``, ``val_accuracy``, ...).
        n_iter_: epochs trained.
        n_features_in_: columns of X.

    >>> import numpy as np
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    >>> net = NeuralNetClassifier(hidden_layer_sizes=(8,), random_state=0).fit(X, [0, 0, 1, 1])
    >>> net.predict([[-3.0], [3.0]]).tolist()
    [0, 1]
    """

    _task = "classification"

    def fit(self, X: Array, y: Array, ckpt_path: str | Path | None = None) -> NeuralNetClassifier:
        """Train on X (n_samples, ...) and labels y (n_samples,); returns self.

        Args:
            X: inputs.
            y: class labels of any type.
            ckpt_path: a run folder (from ``out_dir``) to continue training from.
        """
        X, y = validate_data(self, X, y, dtype=np.float32, allow_nd=True)
        check_classification_targets(y)
        self.classes_, codes = encode_labels(y)
        self._fit_arrays(X, codes.astype(np.int64), len(self.classes_), ckpt_path)
        return self

    def _criterion(self) -> type[Module]:
        return CrossEntropyLoss

    def predict_proba(self, X: Array) -> F64:
        """Class probabilities, shape (n_samples, n_classes); rows sum to 1."""
        logits = self._outputs(X)
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        probs: F64 = e / e.sum(axis=1, keepdims=True)
        return probs

    def predict(self, X: Array) -> Array:
        """Predicted labels, shape (n_samples,)."""
        codes = self._outputs(X).argmax(axis=1)
        out: Array = self.classes_[codes]
        return out


class NeuralNetRegressor(RegressorMixin, _NeuralNet):
    """A regressor made of a neural network, trained by the Trainer with mean squared error.

    The same settings as :class:`NeuralNetClassifier` (the default criterion is
    ``MSELoss``); y may be (n_samples,) or (n_samples, n_targets).

    Attributes:
        module_: the trained network (in eval mode).
        criterion_: the loss used.
        history_: one dict of metrics per epoch.
        n_iter_: epochs trained.
        n_features_in_: columns of X.

    >>> import numpy as np
    >>> X = np.linspace(-1, 1, 32)[:, None]
    >>> net = NeuralNetRegressor(max_epochs=200, random_state=0).fit(X, 2 * X[:, 0])
    >>> bool(abs(net.predict([[0.5]])[0] - 1.0) < 0.1)
    True
    """

    def fit(self, X: Array, y: Array, ckpt_path: str | Path | None = None) -> NeuralNetRegressor:
        """Train on X (n_samples, ...) and targets y (n_samples,) or (n_samples, k).

        Args:
            X: inputs.
            y: real targets.
            ckpt_path: a run folder (from ``out_dir``) to continue training from.
        """
        X, y = validate_data(
            self, X, y, dtype=np.float32, allow_nd=True, multi_output=True, y_numeric=True
        )
        self._y_ndim = y.ndim
        Y = np.asarray(y, dtype=np.float32).reshape(X.shape[0], -1)
        self._fit_arrays(X, Y, Y.shape[1], ckpt_path)
        return self

    def predict(self, X: Array) -> F64:
        """Predictions, shape (n_samples,) or (n_samples, n_targets) as y was."""
        out = self._outputs(X)
        return out[:, 0] if self._y_ndim == 1 else out

    def __sklearn_tags__(self) -> Any:
        """Multi-output targets are supported."""
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
