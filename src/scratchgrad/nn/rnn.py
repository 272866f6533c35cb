"""Recurrent layers: RNN, LSTM, GRU and their single-step cells, as ``torch.nn``.

Names, arguments, parameter names and order (``weight_ih_l0``, ``weight_hh_l0``,
``bias_ih_l0``, ``bias_hh_l0``, then ``..._reverse`` for the backward direction), the
default initialisation U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), output shapes and
reprs are PyTorch's, so a torch ``state_dict`` loads directly. Per layer and direction
the input projection of all time steps is one GEMM and the recurrence is one op
(:mod:`scratchgrad.ops.neural.rnn`).
"""

from __future__ import annotations

import math
import numbers
import warnings
from typing import Any

from scratchgrad.backend import check_device
from scratchgrad.creation import empty, zeros
from scratchgrad.errors import ShapeError
from scratchgrad.nn import init
from scratchgrad.nn.module import Module
from scratchgrad.nn.parameter import Parameter
from scratchgrad.ops.neural.dropout import dropout
from scratchgrad.ops.neural.linear import linear
from scratchgrad.ops.neural.rnn import Nonlinearity, gru_layer, lstm_layer, rnn_layer
from scratchgrad.ops.shape.join import cat, stack
from scratchgrad.tensor import Tensor

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}
_NAMES = {"RNN_TANH": "RNN", "RNN_RELU": "RNN", "LSTM": "LSTM", "GRU": "GRU"}

State = tuple[Tensor, ...]  # (h,) or, for an LSTM, (h, c)


def _check_sizes(input_size: int, hidden_size: int, num_layers: int, dropout: float) -> None:
    """PyTorch's checks of a recurrent layer's sizes and dropout probability."""
    if isinstance(dropout, bool) or not isinstance(dropout, numbers.Number):
        raise ValueError(f"dropout should be a number in range [0, 1], got {dropout!r}")
    if not 0 <= dropout <= 1:
        raise ValueError(f"dropout should be a number in range [0, 1], got {dropout}")
    for name, value in (("input_size", input_size), ("hidden_size", hidden_size)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"{name} should be of type int, got: {type(value).__name__}")
        if value <= 0:
            raise ValueError(f"{name} must be greater than zero, got {value}")
    if num_layers <= 0:
        raise ValueError(f"num_layers must be greater than zero, got {num_layers}")


def _uniform_init(module: Module, hidden_size: int) -> None:
    """Every parameter from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), as PyTorch."""
    bound = 1.0 / math.sqrt(hidden_size) if hidden_size > 0 else 0.0
    for p in module.parameters():
        init.uniform_(p, -bound, bound)


def _add_weights(
    module: Module, suffix: str, shape: tuple[int, int, int], bias: bool, dtype: Any
) -> list[str]:
    """Register weight_ih, weight_hh (and bias_ih, bias_hh) + suffix; return their names.

    ``shape`` is (G * H, H_in, H) for G gates.
    """
    g, n_in, hidden = shape
    shapes: list[tuple[int, ...]] = [(g, n_in), (g, hidden), (g,), (g,)]
    names = [f"{k}{suffix}" for k in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
    for name, size in zip(names, shapes, strict=True):
        if bias or name.startswith("weight"):
            setattr(module, name, Parameter(empty(*size, dtype=dtype)))
        else:
            module.register_parameter(name, None)
    return names if bias else names[:2]


def _run_direction(
    mode: str, x: Tensor, ws: list[Parameter], state: State, reverse: bool
) -> tuple[Tensor, State]:
    """One layer, one direction: x (L, N, H_in) -> output (L, N, H) and its final state."""
    w_ih, w_hh = ws[0], ws[1]
    b_ih, b_hh = (ws[2], ws[3]) if len(ws) == 4 else (None, None)
    gx = linear(x, w_ih, b_ih)  # (L, N, G*H): every step's input projection in one GEMM
    last = 0 if reverse else x.shape[0] - 1
    if mode == "LSTM":
        y, c = lstm_layer(gx, state[0], state[1], w_hh, b_hh, reverse=reverse)  # (L, N, H), (N, H)
        return y, (y.select(0, last), c)
    if mode == "GRU":
        y = gru_layer(gx, state[0], w_hh, b_hh, reverse=reverse)
    else:
        nl: Nonlinearity = "relu" if mode == "RNN_RELU" else "tanh"
        y = rnn_layer(gx, state[0], w_hh, b_hh, nonlinearity=nl, reverse=reverse)
    return y, (y.select(0, last),)


class RNNBase(Module):
    """The shared machinery of RNN, LSTM and GRU; use those classes.

    Args:
        mode: "RNN_TANH", "RNN_RELU", "LSTM" or "GRU".
        input_size: features of each input step, H_in.
        hidden_size: features of the hidden state, H.
        num_layers: stacked recurrent layers.
        bias: learn the biases b_ih and b_hh.
        batch_first: input and output are (N, L, *) instead of (L, N, *).
        dropout: dropout probability on the outputs of every layer but the last,
            in training mode only.
        bidirectional: also run each layer from the last step to the first (D = 2).
        proj_size: only 0 (LSTM projections are not supported).
        device: "cpu" or None.
        dtype: parameter dtype (default: the default float dtype).
    """

    def __init__(
        self,
        mode: str,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        proj_size: int = 0,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        name = _NAMES[mode]
        check_device(device, name)
        _check_sizes(input_size, hidden_size, num_layers, dropout)
        if proj_size != 0:
            raise NotImplementedError(f"{name}: proj_size={proj_size} is not supported; use 0")
        if dropout > 0 and num_layers == 1:
            warnings.warn(
                "dropout option adds dropout after all but last recurrent layer, so non-zero "
                f"dropout expects num_layers greater than 1, but got dropout={dropout} and "
                f"num_layers={num_layers}",
                stacklevel=3,
            )
        self.mode, self.input_size, self.hidden_size = mode, input_size, hidden_size
        self.num_layers, self.bias, self.batch_first = num_layers, bias, batch_first
        self.dropout, self.bidirectional, self.proj_size = float(dropout), bidirectional, 0
        self._flat_weights_names: list[str] = []
        self._all_weights: list[list[str]] = []
        d, g = 2 if bidirectional else 1, _GATES[mode] * hidden_size
        for layer in range(num_layers):
            n_in = input_size if layer == 0 else hidden_size * d
            for suffix in ("", "_reverse")[:d]:
                names = _add_weights(
                    self, f"_l{layer}{suffix}", (g, n_in, hidden_size), bias, dtype
                )
                self._flat_weights_names.extend(names)
                self._all_weights.append(names)
        self.reset_parameters()

    @property
    def all_weights(self) -> list[list[Parameter]]:
        """Per layer and direction: [weight_ih, weight_hh, bias_ih, bias_hh] (or no biases)."""
        return [[getattr(self, n) for n in names] for names in self._all_weights]

    def reset_parameters(self) -> None:
        """Draw every weight and bias again from U(-1/sqrt(H), 1/sqrt(H))."""
        _uniform_init(self, self.hidden_size)

    def flatten_parameters(self) -> None:
        """Do nothing, as torch on the CPU (cuDNN's packed weight buffer does not exist here)."""

    def extra_repr(self) -> str:
        """``10, 20, num_layers=2, batch_first=True``: the settings that differ from default."""
        s = f"{self.input_size}, {self.hidden_size}"
        for key, default in (
            ("num_layers", 1),
            ("bias", True),
            ("batch_first", False),
            ("dropout", 0),
            ("bidirectional", False),
        ):
            if getattr(self, key) != default:
                s += f", {key}={getattr(self, key)}"
        return s

    # ---------------------------------------------------------------- forward
    def _check_input(self, x: Tensor) -> None:
        name = _NAMES[self.mode]
        if x.ndim not in (2, 3):
            raise ValueError(f"{name}: Expected input to be 2D or 3D, got {x.ndim}D instead")
        w = self._parameters[self._flat_weights_names[0]]
        if w is not None and x.dtype != w.dtype:
            raise ValueError(
                f"{name}: input dtype ({x.dtype}) does not match weight dtype ({w.dtype}); "
                f"convert the input or the model"
            )
        if x.shape[-1] != self.input_size:
            raise ShapeError(
                f"{name}: input.size(-1) must be equal to input_size. Expected "
                f"{self.input_size}, got {x.shape[-1]} (input {x.shape})"
            )

    def _prepare_state(self, x: Tensor, hx: State | None, batched: bool) -> State:
        """The initial states, each (D * num_layers, N, H), checked; zeros when hx is None."""
        name, n_states = _NAMES[self.mode], 2 if self.mode == "LSTM" else 1
        d = 2 if self.bidirectional else 1
        want = (d * self.num_layers, x.shape[1], self.hidden_size)
        if hx is None:
            return (zeros(*want, dtype=x.dtype),) * n_states
        dim = 3 if batched else 2
        if any(h.ndim != dim for h in hx):
            got = ", ".join(f"{h.ndim}-D" for h in hx)
            raise ShapeError(
                f"{name}: for {'batched 3-D' if batched else 'unbatched 2-D'} input, hx "
                f"should also be {dim}-D but got ({got}) tensors"
            )
        hx = hx if batched else tuple(h.unsqueeze(1) for h in hx)
        for k, h in enumerate(hx):
            if h.shape != want:
                which = f"hidden[{k}]" if n_states == 2 else "hidden"
                raise ShapeError(f"{name}: Expected {which} size {want}, got {list(h.shape)}")
        return hx

    def _run(self, x: Tensor, hx: State | None) -> tuple[Tensor, State]:
        """Input (L, N, H_in) or (L, H_in) -> output in the same layout and final states."""
        self._check_input(x)
        batched = x.ndim == 3
        if not batched:
            x = x.unsqueeze(1)
        elif self.batch_first:
            x = x.transpose(0, 1)
        states = self._prepare_state(x, hx, batched)
        d = 2 if self.bidirectional else 1
        finals: list[State] = []
        for layer in range(self.num_layers):
            outs = []
            for k in range(layer * d, layer * d + d):
                state0 = tuple(s.select(0, k) for s in states)
                y, final = _run_direction(self.mode, x, self.all_weights[k], state0, k % d == 1)
                outs.append(y)
                finals.append(final)
            x = outs[0] if d == 1 else cat(outs, -1)  # (L, N, D * H)
            if self.training and self.dropout > 0 and layer < self.num_layers - 1:
                x = dropout(x, self.dropout, True)
        h_n = tuple(stack([f[j] for f in finals]) for j in range(len(states)))
        if not batched:
            return x.squeeze(1), tuple(h.squeeze(1) for h in h_n)
        return (x.transpose(0, 1) if self.batch_first else x), h_n


class RNN(RNNBase):
    """An Elman RNN: h_t = act(x_t @ W_ih.T + b_ih + h_{t-1} @ W_hh.T + b_hh).

    Args:
        input_size, hidden_size, num_layers: sizes H_in, H and the number of layers.
        nonlinearity: "tanh" or "relu".
        bias, batch_first, dropout, bidirectional, device, dtype: as :class:`RNNBase`.

    Shape:
        input (L, N, H_in), or (N, L, H_in) with batch_first, or unbatched (L, H_in);
        hx (D * num_layers, N, H) or None (zeros) -> output (L, N, D * H) in the input's
        layout, h_n (D * num_layers, N, H).

    >>> import scratchgrad as sg
    >>> out, h = RNN(3, 5, num_layers=2)(sg.zeros(7, 2, 3))
    >>> out.shape, h.shape
    ((7, 2, 5), (2, 2, 5))
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        nonlinearity: str = "tanh",
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(
                f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'."
            )
        self.nonlinearity = nonlinearity
        mode = "RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU"
        args = (num_layers, bias, batch_first, dropout, bidirectional)
        super().__init__(mode, input_size, hidden_size, *args, device=device, dtype=dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> tuple[Tensor, Tensor]:
        """(output, h_n); see the class docstring for shapes."""
        out, h = self._run(input, None if hx is None else (hx,))
        return out, h[0]


class GRU(RNNBase):
    """A gated recurrent unit; gate order (r, z, n) in the weights, as PyTorch.

    r, z = sigmoid(...), n = tanh(W_in x + b_in + r * (W_hn h + b_hn)),
    h' = (1 - z) * n + z * h.

    Args: as :class:`RNNBase` (without mode and proj_size).

    Shape: as :class:`RNN`.

    >>> import scratchgrad as sg
    >>> out, h = GRU(3, 5, bidirectional=True)(sg.zeros(7, 3))
    >>> out.shape, h.shape
    ((7, 10), (2, 5))
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__("GRU", *args, **kwargs)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> tuple[Tensor, Tensor]:
        """(output, h_n); see the class docstring for shapes."""
        out, h = self._run(input, None if hx is None else (hx,))
        return out, h[0]


class LSTM(RNNBase):
    """A long short-term memory layer; gate order (i, f, g, o) in the weights, as PyTorch.

    Args: as :class:`RNNBase` (proj_size must be 0).

    Shape:
        input as :class:`RNN`; hx = (h_0, c_0), each (D * num_layers, N, H), or None
        -> output (L, N, D * H), (h_n, c_n) each (D * num_layers, N, H).

    >>> import scratchgrad as sg
    >>> out, (h, c) = LSTM(3, 5, batch_first=True)(sg.zeros(2, 7, 3))
    >>> out.shape, h.shape, c.shape
    ((2, 7, 5), (1, 2, 5), (1, 2, 5))
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__("LSTM", *args, **kwargs)

    def forward(
        self, input: Tensor, hx: tuple[Tensor, Tensor] | None = None
    ) -> tuple[Tensor, tuple[Tensor, Tensor]]:
        """(output, (h_n, c_n)); see the class docstring for shapes."""
        out, (h, c) = self._run(input, hx)
        return out, (h, c)


# -------------------------------------------------------------------- cells
class RNNCellBase(Module):
    """The shared machinery of RNNCell, LSTMCell and GRUCell: one time step.

    Parameters ``weight_ih`` (G*H, H_in), ``weight_hh`` (G*H, H), ``bias_ih`` and
    ``bias_hh`` (G*H,) for G gates, all U(-1/sqrt(H), 1/sqrt(H)) at start.
    """

    weight_ih: Parameter
    weight_hh: Parameter
    bias_ih: Parameter | None
    bias_hh: Parameter | None

    def __init__(
        self, mode: str, input_size: int, hidden_size: int, bias: bool, device: Any, dtype: Any
    ) -> None:
        super().__init__()
        check_device(device, type(self).__name__)
        _check_sizes(input_size, hidden_size, 1, 0.0)
        self.mode, self.input_size, self.hidden_size, self.bias = (
            mode,
            input_size,
            hidden_size,
            bias,
        )
        g = _GATES[mode] * hidden_size
        _add_weights(self, "", (g, input_size, hidden_size), bias, dtype)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw every weight and bias again from U(-1/sqrt(H), 1/sqrt(H))."""
        _uniform_init(self, self.hidden_size)

    def extra_repr(self) -> str:
        """``10, 20`` plus ``bias=False`` when there are no biases."""
        return f"{self.input_size}, {self.hidden_size}" + ("" if self.bias else ", bias=False")

    def _check(self, x: Tensor, hx: State | None) -> None:
        name = type(self).__name__
        if x.ndim not in (1, 2):
            raise ValueError(f"{name}: Expected input to be 1D or 2D, got {x.ndim}D instead")
        for k, h in enumerate(hx or ()):
            if h.ndim not in (1, 2):
                which = f"hx[{k}]" if len(hx or ()) == 2 else "hidden"
                raise ValueError(f"{name}: Expected {which} to be 1D or 2D, got {h.ndim}D instead")
        if x.shape[-1] != self.input_size:
            raise ShapeError(
                f"{name}: input has inconsistent input_size: got {x.shape[-1]}, expected "
                f"{self.input_size} (input {x.shape})"
            )

    def _step(self, x: Tensor, hx: State | None, n_states: int) -> State:
        """Input (N, H_in) or (H_in,), states (N, H) or (H,) -> the next states."""
        self._check(x, hx)
        batched = x.ndim == 2
        x2 = x if batched else x.unsqueeze(0)
        want = (x2.shape[0], self.hidden_size)
        if hx is None:
            hx = (zeros(*want, dtype=x.dtype),) * n_states
        elif not batched:
            hx = tuple(h.unsqueeze(0) for h in hx)
        for k, h in enumerate(hx):
            if h.shape != want:
                raise ShapeError(
                    f"{type(self).__name__}: hidden{k} must be (batch, hidden_size) = {want}, "
                    f"got {h.shape} (input {x.shape})"
                )
        ws = [
            p for p in (self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh) if p is not None
        ]
        _, state = _run_direction(self.mode, x2.unsqueeze(0), ws, hx, reverse=False)
        return state if batched else tuple(s.squeeze(0) for s in state)


class RNNCell(RNNCellBase):
    """One step of an Elman RNN: h' = act(x @ W_ih.T + b_ih + h @ W_hh.T + b_hh).

    Args:
        input_size: H_in. hidden_size: H. bias: learn b_ih and b_hh.
        nonlinearity: "tanh" or "relu". device: "cpu" or None. dtype: parameter dtype.

    Shape:
        input (N, H_in) or (H_in,), hx (N, H) or (H,) or None (zeros) -> h' like hx.

    >>> import scratchgrad as sg
    >>> RNNCell(3, 5)(sg.zeros(2, 3)).shape
    (2, 5)
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        nonlinearity: str = "tanh",
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity: {nonlinearity}")
        self.nonlinearity = nonlinearity
        mode = "RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU"
        super().__init__(mode, input_size, hidden_size, bias, device, dtype)

    def extra_repr(self) -> str:
        """As RNNCellBase, plus ``nonlinearity=relu`` when not tanh."""
        s = super().extra_repr()
        return s + (", nonlinearity=relu" if self.nonlinearity == "relu" else "")

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        """The next hidden state; see the class docstring for shapes."""
        return self._step(input, None if hx is None else (hx,), 1)[0]


class GRUCell(RNNCellBase):
    """One GRU step, gates (r, z, n) as :class:`GRU`.

    Args and shapes as :class:`RNNCell` (no nonlinearity).

    >>> import scratchgrad as sg
    >>> GRUCell(3, 5)(sg.zeros(3)).shape
    (5,)
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__("GRU", input_size, hidden_size, bias, device, dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        """The next hidden state; see the class docstring for shapes."""
        return self._step(input, None if hx is None else (hx,), 1)[0]


class LSTMCell(RNNCellBase):
    """One LSTM step, gates (i, f, g, o) as :class:`LSTM`.

    Args: as :class:`GRUCell`.

    Shape:
        input (N, H_in) or (H_in,), hx = (h, c) each (N, H) or (H,), or None
        -> (h', c') like hx.

    >>> import scratchgrad as sg
    >>> h, c = LSTMCell(3, 5)(sg.zeros(2, 3))
    >>> h.shape, c.shape
    ((2, 5), (2, 5))
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__("LSTM", input_size, hidden_size, bias, device, dtype)

    def forward(
        self, input: Tensor, hx: tuple[Tensor, Tensor] | None = None
    ) -> tuple[Tensor, Tensor]:
        """(h', c'); see the class docstring for shapes."""
        h, c = self._step(input, hx, 2)
        return h, c


__all__ = ["GRU", "LSTM", "RNN", "GRUCell", "LSTMCell", "RNNBase", "RNNCell", "RNNCellBase"]
