"""Recurrent layers, one node per layer and direction: the whole sequence in one op.

Each op takes the input projection of every time step, precomputed by one GEMM
(``gx = x @ W_ih.T + b_ih``, shape (L, N, G*H) for G gates), runs the recurrence in
NumPy and keeps what backpropagation through time needs; its backward walks the
sequence in reverse with a handful of array calls per step and gets ``W_hh``'s
gradient from one GEMM over all steps. Gate orders are PyTorch's: LSTM (i, f, g, o),
GRU (r, z, n) with n = tanh(W_in x + b_in + r * (W_hn h + b_hn)).

``reverse=True`` runs the sequence from the last step to the first (the backward
direction of a bidirectional layer); outputs are always stored in time order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from scratchgrad.autograd import Function, MultiOutputFunction
from scratchgrad.backend import Array, xp
from scratchgrad.errors import ShapeError
from scratchgrad.ops.registry import register
from scratchgrad.tensor import Tensor

Nonlinearity = Literal["tanh", "relu"]


def _sigmoid_(a: Array) -> Array:
    """sigmoid(a) in place, as 0.5 * (1 + tanh(a / 2)): no overflow for large |a|."""
    a *= 0.5
    xp.tanh(a, out=a)
    a *= 0.5
    a += 0.5
    return a


def _steps(n: int, reverse: bool) -> range:
    """Time indices in processing order."""
    return range(n - 1, -1, -1) if reverse else range(n)


def _previous(seq: Array, first: Array, reverse: bool) -> Array:
    """The state before each step, in time order: (L, N, H) from (L, N, H) and (N, H)."""
    if reverse:
        return xp.concatenate([seq[1:], first[None]])
    return xp.concatenate([first[None], seq[:-1]])


def _hh_grads(da: Array, h_prev: Array, fn: Function, wi: int) -> tuple[Array | None, ...]:
    """(dW_hh, db_hh) from gate gradients da (L, N, G*H) and previous states (L, N, H).

    ``wi`` is the position of W_hh among ``fn``'s inputs; b_hh, if given, follows it.
    """
    need = fn.needs_input_grad
    d2 = da.reshape(-1, da.shape[-1])
    gw = d2.T @ h_prev.reshape(-1, h_prev.shape[-1]) if need[wi] else None
    gb = d2.sum(0) if len(need) > wi + 1 and need[wi + 1] else None
    return gw, gb


@register("rnn_layer")
class RNNLayer(Function):
    """h_t = act(gx_t + h_{t-1} @ W_hh.T + b_hh), act tanh or relu, over a whole sequence.

    (L, N, H) input projection, (N, H) h0, (H, H) W_hh, (H,) b_hh -> (L, N, H) states.
    """

    def forward(
        self,
        gx: Array,
        h0: Array,
        w: Array,
        b: Array | None = None,
        *,
        nonlinearity: Nonlinearity = "tanh",
        reverse: bool = False,
    ) -> Array:
        out = gx + b if b is not None else gx.copy()  # (L, N, H), filled step by step
        h, wt = h0, xp.ascontiguousarray(w.T)
        for t in _steps(len(out), reverse):
            a = out[t]
            a += h @ wt
            if nonlinearity == "tanh":
                xp.tanh(a, out=a)
            else:
                xp.maximum(a, 0, out=a)
            h = a
        self.out, self.h0, self.w, self.reverse = out, h0, w, reverse
        self.relu = nonlinearity == "relu"
        return out

    def backward(self, grad: Array) -> tuple[Array | None, ...]:
        out, w = self.out, self.w
        deriv = (out > 0).astype(out.dtype) if self.relu else 1 - out * out  # (L, N, H)
        da = xp.empty_like(out)
        dh = xp.zeros_like(out[0])
        for t in _steps(len(out), not self.reverse):
            xp.multiply(grad[t] + dh, deriv[t], out=da[t])
            dh = da[t] @ w  # (N, H)
        gw, gb = _hh_grads(da, _previous(out, self.h0, self.reverse), self, 2)
        return (da, dh, gw, gb)[: len(self.needs_input_grad)]


def rnn_layer(
    gx: Tensor,
    h0: Tensor,
    w_hh: Tensor,
    b_hh: Tensor | None = None,
    nonlinearity: Nonlinearity = "tanh",
    reverse: bool = False,
) -> Tensor:
    """An Elman RNN over a sequence, from its input projection.

    Args:
        gx: x_t @ W_ih.T + b_ih for every step, shape (L, N, H).
        h0: initial hidden state, shape (N, H).
        w_hh: hidden-to-hidden weight, shape (H, H).
        b_hh: hidden-to-hidden bias, shape (H,), or None.
        nonlinearity: "tanh" or "relu".
        reverse: run from the last step to the first.

    Returns:
        The hidden states h_t in time order, shape (L, N, H).

    >>> import scratchgrad as sg
    >>> rnn_layer(sg.zeros(5, 2, 3), sg.zeros(2, 3), sg.ones(3, 3)).shape
    (5, 2, 3)
    """
    if nonlinearity not in ("tanh", "relu"):
        raise ValueError(f"rnn_layer: unknown nonlinearity {nonlinearity!r}: use 'tanh' or 'relu'")
    _check("rnn_layer", gx, 1, [h0], w_hh, b_hh)
    args = (gx, h0, w_hh) if b_hh is None else (gx, h0, w_hh, b_hh)
    return RNNLayer.apply(*args, nonlinearity=nonlinearity, reverse=reverse)


@register("lstm_layer")
class LSTMLayer(MultiOutputFunction):
    """LSTM over a sequence; two outputs: the hidden states and the final cell state.

    gx (L, N, 4H), h0 (N, H), c0 (N, H), W_hh (4H, H), b_hh (4H,) -> h (L, N, H), the
    hidden states in time order, and c_n (N, H), the cell state after the last step.
    """

    def forward(
        self,
        gx: Array,
        h0: Array,
        c0: Array,
        w: Array,
        b: Array | None = None,
        *,
        reverse: bool = False,
    ) -> tuple[Array, Array]:
        n_steps, hid = gx.shape[0], h0.shape[-1]
        gates = gx + b if b is not None else gx.copy()  # (L, N, 4H), activated in place
        out = xp.empty((n_steps, *h0.shape), dtype=gates.dtype)  # (L, N, H)
        cs, tcs = xp.empty_like(out), xp.empty_like(out)  # c_t, tanh(c_t)
        h, c, wt = h0, c0, xp.ascontiguousarray(w.T)
        for t in _steps(n_steps, reverse):
            a = gates[t]
            a += h @ wt
            _sigmoid_(a[:, : 2 * hid])
            xp.tanh(a[:, 2 * hid : 3 * hid], out=a[:, 2 * hid : 3 * hid])
            _sigmoid_(a[:, 3 * hid :])
            xp.multiply(a[:, hid : 2 * hid], c, out=cs[t])  # f * c_prev
            cs[t] += a[:, :hid] * a[:, 2 * hid : 3 * hid]  # + i * g
            c = cs[t]
            xp.tanh(c, out=tcs[t])
            h = xp.multiply(a[:, 3 * hid :], tcs[t], out=out[t])  # o * tanh(c)
        self.gates, self.cs, self.tcs, self.out = gates, cs, tcs, out
        self.h0, self.c0, self.w, self.reverse = h0, c0, w, reverse
        return out, c.copy()  # c_n: its own memory, not a view of the saved cs

    def _factors(self) -> tuple[Array, Array]:
        """Per-step factors: da = [dc, dc, dc, dh] * p, and dc_t = dc + dh * q."""
        g4 = self.gates.reshape(*self.gates.shape[:2], 4, -1)  # (L, N, 4, H)
        i, f, g, o = (g4[:, :, k] for k in range(4))
        c_prev = _previous(self.cs, self.c0, self.reverse)
        p = xp.empty_like(g4)
        p[:, :, 0] = g * i * (1 - i)
        p[:, :, 1] = c_prev * f * (1 - f)
        p[:, :, 2] = i * (1 - g * g)
        p[:, :, 3] = self.tcs * o * (1 - o)
        return p, o * (1 - self.tcs * self.tcs)

    def backward(self, grads: Sequence[Array | None]) -> tuple[Array | None, ...]:
        """Backpropagation through time from d(loss)/dh (L, N, H) and d(loss)/dc_n (N, H)."""
        gh, gc = grads
        p, q = self._factors()  # (L, N, 4, H), (L, N, H)
        f = self.gates.reshape(p.shape)[:, :, 1]
        grad = xp.zeros_like(self.out) if gh is None else gh  # (L, N, H)
        da = xp.empty_like(p)
        dh = xp.zeros_like(self.h0, dtype=p.dtype)
        dc = xp.zeros_like(dh) if gc is None else gc.copy()
        for t in _steps(len(p), not self.reverse):
            dh = grad[t] + dh
            dc += dh * q[t]
            xp.multiply(dc[:, None], p[t, :, :3], out=da[t, :, :3])
            xp.multiply(dh, p[t, :, 3], out=da[t, :, 3])
            dc *= f[t]
            dh = da[t].reshape(len(dh), -1) @ self.w  # (N, H)
        da = da.reshape(self.gates.shape)
        h_prev = _previous(self.out, self.h0, self.reverse)
        gw, gb = _hh_grads(da, h_prev, self, 3)
        return (da, dh, dc, gw, gb)[: len(self.needs_input_grad)]


def lstm_layer(
    gx: Tensor,
    h0: Tensor,
    c0: Tensor,
    w_hh: Tensor,
    b_hh: Tensor | None = None,
    reverse: bool = False,
) -> tuple[Tensor, Tensor]:
    """An LSTM over a sequence, from its input projection (gate order i, f, g, o).

    Args:
        gx: x_t @ W_ih.T + b_ih for every step, shape (L, N, 4H).
        h0: initial hidden state, shape (N, H).
        c0: initial cell state, shape (N, H).
        w_hh: hidden-to-hidden weight, shape (4H, H).
        b_hh: hidden-to-hidden bias, shape (4H,), or None.
        reverse: run from the last step to the first.

    Returns:
        The hidden states h_t in time order, shape (L, N, H), and the final cell state
        c_n, shape (N, H): two outputs of one node.

    >>> import scratchgrad as sg
    >>> h, c = lstm_layer(sg.zeros(5, 2, 12), sg.zeros(2, 3), sg.zeros(2, 3), sg.ones(12, 3))
    >>> h.shape, c.shape
    ((5, 2, 3), (2, 3))
    """
    _check("lstm_layer", gx, 4, [h0, c0], w_hh, b_hh)
    args = (gx, h0, c0, w_hh) if b_hh is None else (gx, h0, c0, w_hh, b_hh)
    h, c = LSTMLayer.apply(*args, reverse=reverse)
    return h, c


@register("gru_layer")
class GRULayer(Function):
    """GRU over a sequence: h_t = n + z * (h_{t-1} - n), gates r, z, n as PyTorch.

    gx (L, N, 3H), h0 (N, H), W_hh (3H, H), b_hh (3H,) -> (L, N, H) states.
    """

    def forward(
        self,
        gx: Array,
        h0: Array,
        w: Array,
        b: Array | None = None,
        *,
        reverse: bool = False,
    ) -> Array:
        n_steps, hid = gx.shape[0], h0.shape[-1]
        gates = xp.empty(gx.shape, dtype=xp.result_type(gx, w))  # r, z, n per step
        ghn = xp.empty((n_steps, *h0.shape), dtype=gates.dtype)  # W_hn h + b_hn
        out = xp.empty_like(ghn)
        h, wt = h0, xp.ascontiguousarray(w.T)
        for t in _steps(n_steps, reverse):
            gh = h @ wt  # (N, 3H)
            if b is not None:
                gh += b
            a = gates[t]
            xp.add(gx[t, :, : 2 * hid], gh[:, : 2 * hid], out=a[:, : 2 * hid])
            r, z, n = _sigmoid_(a[:, :hid]), _sigmoid_(a[:, hid : 2 * hid]), a[:, 2 * hid :]
            ghn[t] = gh[:, 2 * hid :]
            xp.multiply(r, ghn[t], out=n)
            n += gx[t, :, 2 * hid :]
            xp.tanh(n, out=n)
            h = xp.subtract(h, n, out=out[t])
            h *= z
            h += n
        self.gates, self.ghn, self.out = gates, ghn, out
        self.h0, self.w, self.reverse = h0, w, reverse
        return out

    def _factors(self, h_prev: Array) -> tuple[Array, Array, Array]:
        """Per step: dgx = dh * p, dgh = dh * q (both (N, 3, H)), and dh_prev += dh * z."""
        g3 = self.gates.reshape(*self.gates.shape[:2], 3, -1)  # (L, N, 3, H)
        r, z, n = (g3[:, :, k] for k in range(3))
        p = xp.empty_like(g3)
        p[:, :, 2] = (1 - z) * (1 - n * n)  # d n-preactivation
        p[:, :, 1] = (h_prev - n) * z * (1 - z)
        p[:, :, 0] = p[:, :, 2] * self.ghn * r * (1 - r)
        q = p.copy()
        q[:, :, 2] *= r
        return p, q, z

    def backward(self, grad: Array) -> tuple[Array | None, ...]:
        h_prev = _previous(self.out, self.h0, self.reverse)
        p, q, z = self._factors(h_prev)
        dgx, dgh = xp.empty_like(p), xp.empty_like(p)
        dh = xp.zeros_like(self.h0, dtype=p.dtype)
        for t in _steps(len(p), not self.reverse):
            dh = grad[t] + dh
            xp.multiply(dh[:, None], p[t], out=dgx[t])
            xp.multiply(dh[:, None], q[t], out=dgh[t])
            dh *= z[t]
            dh += dgh[t].reshape(len(dh), -1) @ self.w  # (N, H)
        dgh = dgh.reshape(self.gates.shape)
        gw, gb = _hh_grads(dgh, h_prev, self, 2)
        return (dgx.reshape(self.gates.shape), dh, gw, gb)[: len(self.needs_input_grad)]


def gru_layer(
    gx: Tensor,
    h0: Tensor,
    w_hh: Tensor,
    b_hh: Tensor | None = None,
    reverse: bool = False,
) -> Tensor:
    """A GRU over a sequence, from its input projection (gate order r, z, n).

    Args:
        gx: x_t @ W_ih.T + b_ih for every step, shape (L, N, 3H).
        h0: initial hidden state, shape (N, H).
        w_hh: hidden-to-hidden weight, shape (3H, H).
        b_hh: hidden-to-hidden bias, shape (3H,), or None.
        reverse: run from the last step to the first.

    Returns:
        The hidden states h_t in time order, shape (L, N, H).

    >>> import scratchgrad as sg
    >>> gru_layer(sg.zeros(5, 2, 9), sg.zeros(2, 3), sg.ones(9, 3)).shape
    (5, 2, 3)
    """
    _check("gru_layer", gx, 3, [h0], w_hh, b_hh)
    args = (gx, h0, w_hh) if b_hh is None else (gx, h0, w_hh, b_hh)
    return GRULayer.apply(*args, reverse=reverse)


def _check(
    op: str, gx: Tensor, gates: int, states: list[Tensor], w: Tensor, b: Tensor | None
) -> None:
    """Shapes: gx (L, N, G*H) with L > 0, each state (N, H), w (G*H, H), b (G*H,)."""
    h = states[0].shape
    shapes = f"(gx={gx.shape}, states={[s.shape for s in states]}, w_hh={w.shape})"
    if gx.ndim != 3 or len(h) != 2:
        raise ShapeError(f"{op}: gx must be (L, N, {gates}*H) and states (N, H) {shapes}")
    if gx.shape[0] == 0:
        raise ShapeError(f"{op}: expected sequence length to be larger than 0 {shapes}")
    want = (h[0], gates * h[1])
    if gx.shape[1:] != want or any(s.shape != h for s in states):
        raise ShapeError(f"{op}: gx must be (L, N={h[0]}, {gates}*H={gates * h[1]}) {shapes}")
    if w.shape != (gates * h[1], h[1]) or (b is not None and b.shape != (gates * h[1],)):
        raise ShapeError(
            f"{op}: w_hh must be ({gates * h[1]}, {h[1]}) and b_hh ({gates * h[1]},): "
            f"got {w.shape}, {None if b is None else b.shape} {shapes}"
        )


__all__ = []
