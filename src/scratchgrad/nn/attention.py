"""MultiheadAttention, as ``torch.nn.MultiheadAttention``.

Same arguments, parameters, state_dict keys, default initialisation, masks and outputs.

Inside, sequences are batch-first (N, L, E) and heads split to (N, H, L, head_dim).
Without weights (``need_weights=False``, what the Transformer layers ask for) attention
is the fused :func:`~scratchgrad.ops.neural.attention.scaled_dot_product_attention`; with
weights it is composed of matmul, softmax and dropout, so the weights it returns carry
gradients too.

Masks follow torch's MultiheadAttention convention, the opposite of
``scaled_dot_product_attention``'s: a bool ``True`` means "may NOT attend" (it becomes
-inf); a float mask is added to the scores.
"""

from __future__ import annotations

import math
from typing import Any, cast

from scratchgrad.autograd import no_grad
from scratchgrad.backend import check_device, xp
from scratchgrad.creation import empty
from scratchgrad.errors import ShapeError
from scratchgrad.nn import init
from scratchgrad.nn.linear import Linear
from scratchgrad.nn.module import Module
from scratchgrad.nn.parameter import Parameter
from scratchgrad.ops.neural.attention import scaled_dot_product_attention
from scratchgrad.ops.neural.dropout import dropout
from scratchgrad.ops.neural.linear import linear
from scratchgrad.ops.neural.softmax import softmax
from scratchgrad.tensor import Tensor, wrap


def canonical_mask(mask: Tensor | None, name: str, dtype: Any) -> Tensor | None:
    """A float mask to add to scores: bool True -> -inf, False -> 0; a float mask as is.

    Args:
        mask: bool or float mask (any shape), or None.
        name: the argument's name, for the error message.
        dtype: the float dtype of the scores.

    Raises:
        TypeError: for a mask that is neither bool nor floating.
    """
    if mask is None:
        return None
    if mask.array.dtype == xp.bool_:
        dt = xp.dtype(str(dtype)).type
        return wrap(xp.where(mask.array, dt(-xp.inf), dt(0)))
    if mask.array.dtype.kind != "f":
        raise TypeError(f"only bool and floating types of {name} are supported, got {mask.dtype}")
    return mask


def _check_inputs(q: Tensor, k: Tensor, v: Tensor, kpm: Tensor | None, am: Tensor | None) -> bool:
    """Torch's shape rules for MultiheadAttention inputs; True when batched (3-D)."""
    batched = q.ndim == 3
    if q.ndim not in (2, 3) or k.ndim != q.ndim or v.ndim != q.ndim:
        raise ShapeError(
            f"MultiheadAttention: query, key and value must all be 2-D (unbatched) or 3-D "
            f"(batched), got {q.shape}, {k.shape}, {v.shape}"
        )
    if kpm is not None and kpm.ndim != q.ndim - 1:
        raise ShapeError(
            f"MultiheadAttention: key_padding_mask must be {q.ndim - 1}-D for a "
            f"{q.ndim}-D query, got {kpm.shape}"
        )
    if am is not None and am.ndim not in (2, 3):
        raise ShapeError(f"MultiheadAttention: attn_mask must be 2-D or 3-D, got {am.shape}")
    return batched


class MultiheadAttention(Module):
    """Multi-head attention: project, attend per head, concatenate, project out.

    Args:
        embed_dim: model width E (query features); divisible by num_heads.
        num_heads: number of heads H; each has E / H features.
        dropout: dropout on the attention weights in training.
        bias: learn in_proj_bias and out_proj.bias.
        add_bias_kv: not supported (raises NotImplementedError).
        add_zero_attn: not supported (raises NotImplementedError).
        kdim: key features (default E).
        vdim: value features (default E).
        batch_first: inputs and outputs are (N, L, E) instead of (L, N, E).
        device: "cpu" or None (the only device).
        dtype: parameter dtype (default: the default float dtype).

    Attributes:
        in_proj_weight: (3E, E), Xavier-uniform at start (when kdim = vdim = E).
        q_proj_weight, k_proj_weight, v_proj_weight: (E, E), (E, kdim), (E, vdim),
            Xavier-uniform, used instead of in_proj_weight when kdim or vdim differ.
        in_proj_bias: (3E,), zeros at start, or None.
        out_proj: Linear(E, E); its bias starts at zero (torch names its class
            NonDynamicallyQuantizableLinear; it is a plain Linear).

    Shape:
        query (L, N, E), key (S, N, kdim), value (S, N, vdim) -> output (L, N, E) and
        weights (N, L, S), or (N, H, L, S) per head; batch-first (N, L, E); unbatched
        (L, E) -> (L, E) and (L, S).

    >>> import scratchgrad as sg
    >>> mha = MultiheadAttention(8, 2, batch_first=True)
    >>> x = sg.randn(3, 5, 8)
    >>> out, w = mha(x, x, x)
    >>> out.shape, w.shape
    ((3, 5, 8), (3, 5, 5))
    """

    in_proj_weight: Parameter | None
    q_proj_weight: Parameter | None
    k_proj_weight: Parameter | None
    v_proj_weight: Parameter | None
    in_proj_bias: Parameter | None

    def __init__(
        self,
        embed_dim: int,
        num_heads: int,
        dropout: float = 0.0,
        bias: bool = True,
        add_bias_kv: bool = False,
        add_zero_attn: bool = False,
        kdim: int | None = None,
        vdim: int | None = None,
        batch_first: bool = False,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(
                f"embed_dim and num_heads must be greater than 0, got embed_dim={embed_dim} "
                f"and num_heads={num_heads} instead"
            )
        if add_bias_kv or add_zero_attn:
            raise NotImplementedError(
                "MultiheadAttention: add_bias_kv=True and add_zero_attn=True are not supported"
            )
        if embed_dim % num_heads:
            raise ValueError(
                f"MultiheadAttention: embed_dim must be divisible by num_heads, got "
                f"embed_dim={embed_dim}, num_heads={num_heads}"
            )
        super().__init__()
        check_device(device, "MultiheadAttention")
        self.embed_dim = embed_dim
        self.kdim = kdim if kdim is not None else embed_dim
        self.vdim = vdim if vdim is not None else embed_dim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.num_heads = num_heads
        self.dropout = dropout
        self.batch_first = batch_first
        self.head_dim = embed_dim // num_heads
        self._make_projections(bias, dtype)
        self.out_proj = Linear(embed_dim, embed_dim, bias=bias, dtype=dtype)
        self.bias_k = self.bias_v = None
        self.add_zero_attn = add_zero_attn
        self._reset_parameters()

    def _make_projections(self, bias: bool, dtype: Any) -> None:
        e = self.embed_dim
        names = ("q_proj_weight", "k_proj_weight", "v_proj_weight")
        if self._qkv_same_embed_dim:
            self.in_proj_weight = Parameter(empty(3 * e, e, dtype=dtype))
            for name in names:
                self.register_parameter(name, None)
        else:
            for name, cols in zip(names, (e, self.kdim, self.vdim), strict=True):
                setattr(self, name, Parameter(empty(e, cols, dtype=dtype)))
            self.register_parameter("in_proj_weight", None)
        if bias:
            self.in_proj_bias = Parameter(empty(3 * e, dtype=dtype))
        else:
            self.register_parameter("in_proj_bias", None)

    def _reset_parameters(self) -> None:
        """Xavier-uniform projection weights, zero biases (torch's ``_reset_parameters``)."""
        with no_grad():
            for w in (self.in_proj_weight, self.q_proj_weight, self.k_proj_weight):
                if w is not None:
                    init.xavier_uniform_(w)
            if self.v_proj_weight is not None:
                init.xavier_uniform_(self.v_proj_weight)
            if self.in_proj_bias is not None:
                init.zeros_(self.in_proj_bias)
                if self.out_proj.bias is not None:
                    init.zeros_(self.out_proj.bias)

    # ------------------------------------------------------------ forward
    def forward(
        self,
        query: Tensor,
        key: Tensor,
        value: Tensor,
        key_padding_mask: Tensor | None = None,
        need_weights: bool = True,
        attn_mask: Tensor | None = None,
        average_attn_weights: bool = True,
        is_causal: bool = False,
    ) -> tuple[Tensor, Tensor | None]:
        """Attend from query to key/value.

        Args:
            query: (L, N, E), or (N, L, E) when batch_first, or (L, E) unbatched.
            key: (S, N, kdim), (N, S, kdim) or (S, kdim).
            value: (S, N, vdim), (N, S, vdim) or (S, vdim).
            key_padding_mask: (N, S) or (S,); bool True = ignore that key, or float added.
            need_weights: also return the attention weights (slower path).
            attn_mask: (L, S) or (N * num_heads, L, S); bool True = may not attend, or
                float added to the scores.
            average_attn_weights: average the returned weights over heads.
            is_causal: a hint that attn_mask is the causal mask (attn_mask is required,
                as torch).

        Returns:
            (output, weights): output like query with E features; weights (N, L, S), or
            (N, H, L, S) when not averaged ((L, S) / (H, L, S) unbatched), or None.

        Raises:
            ShapeError: for inconsistent shapes or masks.
            RuntimeError: for is_causal without attn_mask.
        """
        batched = _check_inputs(query, key, value, key_padding_mask, attn_mask)
        if not batched:  # one sequence: a batch of one (batch_first is ignored, as torch)
            query, key, value = query.unsqueeze(0), key.unsqueeze(0), value.unsqueeze(0)
            if key_padding_mask is not None:
                key_padding_mask = key_padding_mask.unsqueeze(0)
        elif not self.batch_first:
            query, key, value = (t.transpose(0, 1) for t in (query, key, value))
        out, weights = self._attend(
            query, key, value, key_padding_mask, need_weights, attn_mask, is_causal
        )
        if weights is not None and average_attn_weights:
            weights = weights.mean(dim=1)
        if not batched:
            return out.squeeze(0), None if weights is None else weights.squeeze(0)
        return (out if self.batch_first else out.transpose(0, 1)), weights

    def _project(self, query: Tensor, key: Tensor, value: Tensor) -> tuple[Tensor, ...]:
        """q, k, v: (N, L, E), (N, S, E), (N, S, E), from one GEMM when query is key is value."""
        b = self.in_proj_bias
        bs = (None, None, None) if b is None else b.chunk(3)
        ws: tuple[Tensor, ...]
        if self.in_proj_weight is None:
            separate = (self.q_proj_weight, self.k_proj_weight, self.v_proj_weight)
            ws = cast("tuple[Tensor, Tensor, Tensor]", separate)  # built together in __init__
        elif query is key and key is value:
            return linear(query, self.in_proj_weight, b).chunk(3, dim=-1)
        else:
            ws = self.in_proj_weight.chunk(3)
        return tuple(
            linear(x, w, bias) for x, w, bias in zip((query, key, value), ws, bs, strict=True)
        )

    def _merged_mask(
        self, kpm: Tensor | None, am: Tensor | None, n: int, n_q: int, n_k: int, dtype: Any
    ) -> Tensor | None:
        """One float mask broadcastable to (N, H, L, S), or None."""
        kpm, am = canonical_mask(kpm, "key_padding_mask", dtype), canonical_mask(am, "", dtype)
        if am is not None:
            want = (n_q, n_k) if am.ndim == 2 else (n * self.num_heads, n_q, n_k)
            if am.shape != want:
                raise ShapeError(
                    f"MultiheadAttention: the shape of the {am.ndim}D attn_mask is {am.shape}, "
                    f"but should be {want}"
                )
            if am.ndim == 3:
                am = am.reshape(n, self.num_heads, n_q, n_k)
        if kpm is not None:
            if kpm.shape != (n, n_k):
                raise ShapeError(
                    f"MultiheadAttention: expected key_padding_mask of shape {(n, n_k)}, "
                    f"got {kpm.shape}"
                )
            kpm = kpm.reshape(n, 1, 1, n_k)
            return kpm if am is None else am + kpm
        return am

    def _attend(
        self,
        query: Tensor,
        key: Tensor,
        value: Tensor,
        kpm: Tensor | None,
        need_weights: bool,
        am: Tensor | None,
        is_causal: bool,
    ) -> tuple[Tensor, Tensor | None]:
        """Batch-first attention: (N, L, E) -> output (N, L, E), weights (N, H, L, S)."""
        n, n_q, e = query.shape
        n_k = key.shape[1]
        if e != self.embed_dim:
            raise ShapeError(
                f"MultiheadAttention: was expecting embedding dimension of {self.embed_dim}, "
                f"but got {e}"
            )
        if key.shape[:2] != value.shape[:2] or key.shape[0] != n:
            raise ShapeError(
                f"MultiheadAttention: key and value must share batch and sequence dims with "
                f"each other and the query's batch: query={query.shape}, key={key.shape}, "
                f"value={value.shape}"
            )
        if is_causal and am is None:
            raise RuntimeError(
                "Need attn_mask if specifying the is_causal hint. You may use the Transformer "
                "module method `generate_square_subsequent_mask` to create this mask."
            )
        causal = is_causal and kpm is None and not need_weights  # else the mask says it
        mask = None if causal else self._merged_mask(kpm, am, n, n_q, n_k, query.dtype)
        q, k, v = (self._split_heads(t) for t in self._project(query, key, value))
        p = self.dropout if self.training else 0.0
        weights = None
        if need_weights:
            scores = (q * (1.0 / math.sqrt(self.head_dim))) @ k.transpose(-1, -2)  # (N,H,L,S)
            weights = softmax(scores if mask is None else scores + mask, dim=-1)
            weights = dropout(weights, p) if p > 0 else weights
            out = weights @ v  # (N, H, L, hd)
        else:
            out = scaled_dot_product_attention(q, k, v, mask, p, is_causal=causal)
        out = out.transpose(1, 2).reshape(n, n_q, self.embed_dim)  # heads side by side
        return self.out_proj(out), weights

    def _split_heads(self, x: Tensor) -> Tensor:
        """(N, L, E) -> (N, H, L, E / H)."""
        n, length, _ = x.shape
        return x.reshape(n, length, self.num_heads, self.head_dim).transpose(1, 2)


__all__ = ["MultiheadAttention", "canonical_mask"]
