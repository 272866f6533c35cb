"""L-BFGS: quasi-Newton steps from a short history of gradient differences.

As ``torch.optim.LBFGS``: one parameter group, every parameter flattened into one vector,
``step(closure)`` runs up to ``max_iter`` iterations, each a two-loop recursion for the
direction and then a fixed step (``lr``) or a strong Wolfe line search
(:func:`scratchgrad.optim.line_search.strong_wolfe`). Iterates and the number of closure
calls agree with PyTorch's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scratchgrad.autograd import enable_grad, no_grad
from scratchgrad.backend import Array, xp
from scratchgrad.optim.line_search import strong_wolfe
from scratchgrad.optim.optimizer import Optimizer, ParamsT, StateDict, axpy_, check_nonnegative
from scratchgrad.tensor import Tensor

_FLAT = ("d", "prev_flat_grad")  # state vectors of every parameter, flattened
_LISTS = ("old_dirs", "old_stps")  # histories of such vectors
_SCALARS = ("t", "H_diag")  # 0-d tensors in PyTorch: scalars of the parameters' dtype


def lbfgs_direction(
    g: Array,
    old_dirs: list[Array],
    old_stps: list[Array],
    ro: list[Any],
    h_diag: Any,
    al: list[Any],
) -> Array:
    """The L-BFGS direction ``-H g`` by the two-loop recursion, as PyTorch computes it.

    Args:
        g: the flat gradient, shape (n,).
        old_dirs: gradient differences ``y``, oldest first, each shape (n,).
        old_stps: step differences ``s``, same order and shapes.
        ro: ``1 / (y @ s)`` of each pair.
        h_diag: scale of the initial inverse Hessian, ``y @ s / (y @ y)`` of the last pair.
        al: scratch of at least ``len(old_dirs)`` entries; holds the alphas afterwards.

    Returns:
        The direction, shape (n,), a new array.

    >>> d = lbfgs_direction(xp.array([2.0, 4.0]), [xp.array([2.0, 0.0])],
    ...                     [xp.array([1.0, 0.0])], [0.5], 0.5, [None])
    >>> d.tolist()
    [-1.0, -2.0]
    """
    q = xp.negative(g)
    for i in range(len(old_dirs) - 1, -1, -1):
        al[i] = old_stps[i].dot(q) * ro[i]
        axpy_(q, -al[i], old_dirs[i])
    r: Array = xp.multiply(q, h_diag)
    for i in range(len(old_dirs)):
        be_i = old_dirs[i].dot(r) * ro[i]
        axpy_(r, al[i] - be_i, old_stps[i])
    return r


def _remember(state: dict[str, Any], y: Array, s: Array, history_size: int) -> None:
    """Add the pair ``(y, s)`` to the history when ``y @ s > 1e-10`` (curvature positive)."""
    ys = y.dot(s)
    if ys <= 1e-10:
        return
    if len(state["old_dirs"]) == history_size:  # forget the oldest pair
        for name in ("old_dirs", "old_stps", "ro"):
            state[name].pop(0)
    state["old_dirs"].append(y)
    state["old_stps"].append(s)
    state["ro"].append(1.0 / ys)
    state["H_diag"] = ys / y.dot(y)


class LBFGS(Optimizer):
    """L-BFGS, as ``torch.optim.LBFGS`` (after minFunc).

    Args:
        params: tensors to optimize; one group only.
        lr: step size (the first trial step of the line search).
        max_iter: the most iterations per :meth:`step`.
        max_eval: the most closure calls per :meth:`step`; default ``max_iter * 5 // 4``.
        tolerance_grad: stop when the largest gradient entry is at most this.
        tolerance_change: stop when the step or the change of the loss is below this.
        history_size: the number of ``(y, s)`` pairs kept.
        line_search_fn: None (fixed steps of ``lr``) or ``"strong_wolfe"``.

    State: as PyTorch's, all under the first parameter: ``"func_evals"``, ``"n_iter"``
    (ints), ``"d"``, ``"prev_flat_grad"`` (flat Tensors), ``"old_dirs"``, ``"old_stps"``
    (lists of them), ``"ro"``, ``"al"`` (lists of floats), ``"t"``, ``"H_diag"``,
    ``"prev_loss"`` (floats).

    Raises:
        ValueError: for a negative lr or more than one parameter group.

    >>> import scratchgrad as sg
    >>> x = sg.tensor([3.0, -1.0], requires_grad=True)
    >>> opt = LBFGS([x], line_search_fn="strong_wolfe")
    >>> def closure():
    ...     opt.zero_grad()
    ...     loss = ((x - 1.0) ** 2).sum()
    ...     loss.backward()
    ...     return loss
    >>> _ = opt.step(closure)
    >>> [round(v, 4) for v in x.tolist()]
    [1.0, 1.0]
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1,
        max_iter: int = 20,
        max_eval: int | None = None,
        tolerance_grad: float = 1e-7,
        tolerance_change: float = 1e-9,
        history_size: int = 100,
        line_search_fn: str | None = None,
    ) -> None:
        check_nonnegative(lr=lr)
        defaults = {
            "lr": lr,
            "max_iter": max_iter,
            "max_eval": max_iter * 5 // 4 if max_eval is None else max_eval,
            "tolerance_grad": tolerance_grad,
            "tolerance_change": tolerance_change,
            "history_size": history_size,
            "line_search_fn": line_search_fn,
        }
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        self._params: list[Tensor] = self.param_groups[0]["params"]

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add the one group; a second is refused.

        Args:
            param_group: ``{"params": tensors, **hyperparameters}``.

        Raises:
            ValueError: when the optimizer already has its group.
        """
        if self.param_groups:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        super().add_param_group(param_group)

    # ------------------------------------------------------------ the flat vector
    def _gather_flat_grad(self) -> Array:
        """Every gradient flattened into one new vector (zeros for a missing gradient)."""
        return xp.concatenate(
            [
                xp.zeros(p.array.size, p.array.dtype) if p.grad is None else p.grad.array.ravel()
                for p in self._params
            ]
        )

    def _add_grad(self, step_size: Any, update: Array) -> None:
        """``params += step_size * update``, the flat ``update`` split over the parameters."""
        offset = 0
        for p in self._params:
            n = p.array.size
            axpy_(p.array, step_size, update[offset : offset + n].reshape(p.array.shape))
            offset += n

    def _directional_evaluate(
        self, closure: Callable[[], Any], x: list[Array], t: Any, d: Array
    ) -> tuple[float, Array]:
        """Loss and flat gradient at ``x + t * d``; the parameters are put back to ``x``."""
        self._add_grad(t, d)
        loss = float(closure())
        flat_grad = self._gather_flat_grad()
        for p, saved in zip(self._params, x, strict=True):
            p.array[...] = saved
        return loss, flat_grad

    # ------------------------------------------------------------ stepping
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Run up to ``max_iter`` L-BFGS iterations on the loss ``closure`` returns.

        Args:
            closure: zeroes the gradients, computes the loss, calls ``backward()`` and
                returns the loss; called with grad enabled, as often as PyTorch calls it.

        Returns:
            The loss of the first closure call (before this step moved the parameters).

        Raises:
            TypeError: without a closure.
            RuntimeError: for a line search other than ``"strong_wolfe"``.
        """
        if closure is None:
            raise TypeError("LBFGS.step() needs a closure that re-evaluates the loss")
        with no_grad():
            return self._run(enable_grad()(closure), self.param_groups[0])

    def _run(self, closure: Callable[[], Any], group: dict[str, Any]) -> Any:
        """The iterations of one step (torch's ``LBFGS.step`` body)."""
        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)
        orig_loss = closure()
        loss = float(orig_loss)
        state["func_evals"] += 1
        flat_grad = self._gather_flat_grad()
        if xp.abs(flat_grad).max() <= group["tolerance_grad"]:
            return orig_loss
        run = _Run(self, closure, group, state, loss, flat_grad)
        for n_iter in range(1, group["max_iter"] + 1):
            if run.iterate(n_iter):
                break
        run.save()
        return orig_loss

    def _update(self, p: Tensor, grad: Array, state: dict[str, Any], group: dict[str, Any]) -> None:
        """Not used: LBFGS steps every parameter at once, in :meth:`step`."""
        raise NotImplementedError("LBFGS updates all parameters together in step(closure)")

    # ------------------------------------------------------------ state dict
    def state_dict(self) -> StateDict:
        """PyTorch's layout; NumPy scalars become Python floats (JSON-friendly).

        Returns:
            ``{"state": {0: {...}}, "param_groups": [{...}]}``.
        """
        sd = super().state_dict()
        for entries in sd["state"].values():
            for name, value in entries.items():
                entries[name] = _plain(value)
        return sd

    def _load_value(self, p: Tensor, key: Any, name: str, value: Any) -> Any:
        """A copy of one saved entry: flat vectors as Tensors, scalars in the params' dtype."""
        dtype = p.array.dtype
        if name in ("func_evals", "n_iter"):
            return int(value)
        if name in _FLAT:
            return None if value is None else _flat_tensor(value, dtype)
        if name in _LISTS:
            return [_flat_tensor(v, dtype) for v in value]
        if name in ("ro", "al"):
            return [None if v is None else dtype.type(float(v)) for v in value]
        if name in _SCALARS:
            return None if value is None else dtype.type(float(value))
        return None if value is None else float(value)


class _Run:
    """One call of :meth:`LBFGS.step`: the iteration state, loaded and saved back."""

    def __init__(
        self,
        opt: LBFGS,
        closure: Callable[[], Any],
        group: dict[str, Any],
        state: dict[str, Any],
        loss: float,
        flat_grad: Array,
    ) -> None:
        self.opt, self.closure, self.group, self.state = opt, closure, group, state
        self.loss, self.flat_grad = loss, flat_grad
        self.evals = 1
        self.d: Any = _array(state.get("d"))  # None before the first iteration
        self.t: Any = state.get("t")
        self.prev_flat_grad: Any = _array(state.get("prev_flat_grad"))
        self.prev_loss: Any = state.get("prev_loss")
        for name in _LISTS:
            state[name] = [_array(v) for v in state.get(name, [])]

    def iterate(self, n_iter: int) -> bool:
        """One iteration; True when a stopping condition holds."""
        state, group = self.state, self.group
        state["n_iter"] += 1
        self._direction()
        if self.prev_flat_grad is None:
            self.prev_flat_grad = self.flat_grad.copy()
        else:
            self.prev_flat_grad[...] = self.flat_grad
        self.prev_loss = self.loss
        if state["n_iter"] == 1:
            self.t = min(1.0, 1.0 / xp.abs(self.flat_grad).sum()) * group["lr"]
        else:
            self.t = group["lr"]
        gtd = self.flat_grad.dot(self.d)
        if gtd > -group["tolerance_change"]:
            return True
        opt_cond = self._move(n_iter, gtd)
        return bool(
            n_iter == group["max_iter"]
            or self.evals >= group["max_eval"]
            or opt_cond
            or xp.abs(self.d * self.t).max() <= group["tolerance_change"]
            or abs(self.loss - self.prev_loss) < group["tolerance_change"]
        )

    def _direction(self) -> None:
        """The steepest descent at the first iteration, else the L-BFGS direction."""
        state = self.state
        if state["n_iter"] == 1:
            self.d = xp.negative(self.flat_grad)
            state["old_dirs"], state["old_stps"], state["ro"] = [], [], []
            state["H_diag"] = 1
            return
        y = self.flat_grad - self.prev_flat_grad
        _remember(state, y, self.d * self.t, self.group["history_size"])
        if "al" not in state:
            state["al"] = [None] * self.group["history_size"]
        self.d = lbfgs_direction(
            self.flat_grad,
            state["old_dirs"],
            state["old_stps"],
            state["ro"],
            state["H_diag"],
            state["al"],
        )

    def _move(self, n_iter: int, gtd: Any) -> bool:
        """Step along ``d``, by line search or by ``t``; whether the gradient is now tiny."""
        opt, group, d = self.opt, self.group, self.d
        evals = 0
        opt_cond = False
        if group["line_search_fn"] is not None:
            if group["line_search_fn"] != "strong_wolfe":
                raise RuntimeError("only 'strong_wolfe' is supported")
            x_init = [p.array.copy() for p in opt._params]

            def obj_func(x: Any, t: Any, d: Array) -> tuple[float, Array]:
                return opt._directional_evaluate(self.closure, x, t, d)

            self.loss, self.flat_grad, self.t, evals = strong_wolfe(
                obj_func,
                x_init,
                self.t,
                d,
                self.loss,
                self.flat_grad,
                gtd,
                max_ls=group["max_eval"] - self.evals,
            )
            opt._add_grad(self.t, d)
            opt_cond = bool(xp.abs(self.flat_grad).max() <= group["tolerance_grad"])
        else:
            opt._add_grad(self.t, d)
            if n_iter != group["max_iter"]:  # no re-evaluation after the last iteration
                self.loss = float(self.closure())
                self.flat_grad = opt._gather_flat_grad()
                opt_cond = bool(xp.abs(self.flat_grad).max() <= group["tolerance_grad"])
                evals = 1
        self.evals += evals
        self.state["func_evals"] += evals
        return opt_cond

    def save(self) -> None:
        """Keep the iteration state for the next step, arrays as Tensors (PyTorch's keys)."""
        state = self.state
        state["d"] = _tensor(self.d)
        state["t"] = self.t
        for name in _LISTS:
            state[name] = [Tensor(a) for a in state[name]]
        state["prev_flat_grad"] = _tensor(self.prev_flat_grad)
        state["prev_loss"] = self.prev_loss


def _array(value: Any) -> Any:
    """The array of a state Tensor (None stays None)."""
    return value.array if isinstance(value, Tensor) else value


def _tensor(value: Array | None) -> Tensor | None:
    return None if value is None else Tensor(value)


def _flat_tensor(value: Any, dtype: Any) -> Tensor:
    """A flat copy of a saved vector (a Tensor, a NumPy array or anything array-like)."""
    data = value.array if isinstance(value, Tensor) else xp.asarray(value)
    return Tensor(xp.array(data, dtype=dtype, copy=True).ravel())


def _plain(value: Any) -> Any:
    """NumPy scalars (also inside lists) as Python numbers."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.item() if isinstance(value, xp.generic) else value


__all__ = ["LBFGS", "lbfgs_direction"]
