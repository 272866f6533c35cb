"""LoRA layers: a frozen base layer plus a trained low-rank update, mergeable into it.

Each wraps one ``Linear``, ``Conv2d`` or ``Embedding`` (``base_layer``) and adds
``scaling * B A`` to its weight's effect, PEFT's way:

- Linear (in -> out): ``lora_A = Linear(in, r)``, ``lora_B = Linear(r, out)``, no biases;
  y = base(x) + lora_B(lora_A(dropout(x))) * scaling.
- Conv2d: ``lora_A`` a convolution like the base's with r output channels, ``lora_B`` a
  1x1 convolution to the output channels.
- Embedding (V, D): parameters ``lora_embedding_A`` (r, V) and ``lora_embedding_B`` (D, r);
  y = base(ids) + A.T[ids] @ B.T * scaling.

A starts like ``Linear``'s weight (Kaiming uniform) and B at zero (for Embedding the other
way round: A zero, B normal), so an adapted model starts equal to its base.
:meth:`LoraLayer.merge` adds the update into the base weight (the layer then costs what
the base costs); :meth:`LoraLayer.unmerge` takes it out again.
"""

from __future__ import annotations

from collections.abc import Callable

from scratchgrad import nn
from scratchgrad.autograd import no_grad
from scratchgrad.creation import zeros
from scratchgrad.nn import init
from scratchgrad.ops.neural.linear import embedding
from scratchgrad.tensor import Tensor

BaseLayer = nn.Linear | nn.Conv2d | nn.Embedding


class LoraLayer(nn.Module):
    """What the LoRA layers share: the base layer, scaling, dropout, merging and disabling.

    Args:
        base_layer: the layer adapted; its parameters are left as they are (the caller
            freezes them).
        r: the rank.
        scaling: the factor on the update (``lora_alpha / r``).
        lora_dropout: dropout on the branch's input.

    Attributes:
        merged: whether the update is in ``base_layer.weight`` now.
        disabled: run the base layer alone (``PeftModel.disable_adapter``).
    """

    base_layer: BaseLayer

    def __init__(self, base_layer: BaseLayer, r: int, scaling: float, lora_dropout: float):
        super().__init__()
        self.base_layer = base_layer
        self.r, self.scaling = r, scaling
        self.lora_dropout = nn.Dropout(lora_dropout) if lora_dropout > 0 else nn.Identity()
        self.merged = False
        self.disabled = False

    def get_delta_weight(self) -> Tensor:
        """The update ``scaling * B A`` in the shape of ``base_layer.weight``."""
        raise NotImplementedError

    def lora_forward(self, x: Tensor) -> Tensor:
        """The low-rank branch alone, scaled: same shape as ``base_layer(x)``."""
        raise NotImplementedError

    def merge(self) -> None:
        """Add the update into the base weight; forward then runs the base layer alone."""
        if not self.merged:
            with no_grad():
                self.base_layer.weight.array += self.get_delta_weight().array
            self.merged = True

    def unmerge(self) -> None:
        """Take the update out of the base weight again (undoes :meth:`merge`)."""
        if self.merged:
            with no_grad():
                self.base_layer.weight.array -= self.get_delta_weight().array
            self.merged = False

    def forward(self, x: Tensor) -> Tensor:
        """base(x), plus the low-rank branch unless merged or disabled."""
        out: Tensor = self.base_layer(x)
        if self.merged or self.disabled:
            return out
        return out + self.lora_forward(x)

    def extra_repr(self) -> str:
        """``r=8, scaling=1.0``."""
        return f"r={self.r}, scaling={self.scaling}"


class Linear(LoraLayer):
    """LoRA on a ``Linear`` (in -> out): y = base(x) + B(A(dropout(x))) * scaling.

    Args:
        base_layer: the ``nn.Linear``.
        r: the rank.
        scaling: the factor on the update.
        lora_dropout: dropout on the branch's input.
        init_lora_weights: B starts at zero (True) or random (False).

    Shape:
        (*, in) -> (*, out). ``lora_A.weight`` (r, in), ``lora_B.weight`` (out, r).
    """

    def __init__(
        self,
        base_layer: nn.Linear,
        r: int,
        scaling: float,
        lora_dropout: float = 0.0,
        init_lora_weights: bool = True,
    ) -> None:
        super().__init__(base_layer, r, scaling, lora_dropout)
        dtype = base_layer.weight.dtype
        self.lora_A = nn.Linear(base_layer.in_features, r, bias=False, dtype=dtype)
        self.lora_B = nn.Linear(r, base_layer.out_features, bias=False, dtype=dtype)
        if init_lora_weights:
            init.zeros_(self.lora_B.weight)

    def get_delta_weight(self) -> Tensor:
        """``scaling * B @ A``, (out, in)."""
        return (self.lora_B.weight @ self.lora_A.weight) * self.scaling

    def lora_forward(self, x: Tensor) -> Tensor:
        """B(A(dropout(x))) * scaling, (*, out)."""
        out: Tensor = self.lora_B(self.lora_A(self.lora_dropout(x))) * self.scaling
        return out


class Conv2d(LoraLayer):
    """LoRA on a ``Conv2d``: A is a convolution like the base's to r channels, B a 1x1 one.

    Args:
        base_layer: the ``nn.Conv2d`` (groups 1, zero padding).
        r: the rank.
        scaling: the factor on the update.
        lora_dropout: dropout on the branch's input.
        init_lora_weights: B starts at zero (True) or random (False).

    Shape:
        (N, Cin, H, W) -> (N, Cout, Ho, Wo). ``lora_A.weight`` (r, Cin, kh, kw),
        ``lora_B.weight`` (Cout, r, 1, 1).

    Raises:
        ValueError: for grouped convolutions or a padding mode other than zeros.
    """

    def __init__(
        self,
        base_layer: nn.Conv2d,
        r: int,
        scaling: float,
        lora_dropout: float = 0.0,
        init_lora_weights: bool = True,
    ) -> None:
        if base_layer.groups != 1 or base_layer.padding_mode != "zeros":
            raise ValueError("LoRA Conv2d: only groups=1 and padding_mode='zeros' are supported")
        super().__init__(base_layer, r, scaling, lora_dropout)
        b, dtype = base_layer, base_layer.weight.dtype
        self.lora_A = nn.Conv2d(
            b.in_channels, r, b.kernel_size, b.stride, b.padding, b.dilation, bias=False,
            dtype=dtype,
        )  # fmt: skip
        self.lora_B = nn.Conv2d(r, b.out_channels, 1, bias=False, dtype=dtype)
        if init_lora_weights:
            init.zeros_(self.lora_B.weight)

    def get_delta_weight(self) -> Tensor:
        """``scaling * B A`` over the rank, (Cout, Cin, kh, kw): a 1x1 after a kxk is a kxk."""
        a = self.lora_A.weight  # (r, Cin, kh, kw)
        b = self.lora_B.weight.flatten(1)  # (Cout, r)
        return (b @ a.flatten(1)).reshape(b.shape[0], *a.shape[1:]) * self.scaling

    def lora_forward(self, x: Tensor) -> Tensor:
        """B(A(dropout(x))) * scaling, (N, Cout, Ho, Wo)."""
        out: Tensor = self.lora_B(self.lora_A(self.lora_dropout(x))) * self.scaling
        return out


class Embedding(LoraLayer):
    """LoRA on an ``Embedding`` (V, D): y = base(ids) + A.T[ids] @ B.T * scaling.

    Args:
        base_layer: the ``nn.Embedding``.
        r: the rank.
        scaling: the factor on the update.
        lora_dropout: accepted for the shared signature; PEFT applies none to ids either.
        init_lora_weights: A starts at zero (True) or random (False); B is N(0, 1).

    Shape:
        ids (*) -> (*, D). ``lora_embedding_A`` (r, V), ``lora_embedding_B`` (D, r).
    """

    def __init__(
        self,
        base_layer: nn.Embedding,
        r: int,
        scaling: float,
        lora_dropout: float = 0.0,
        init_lora_weights: bool = True,
    ) -> None:
        super().__init__(base_layer, r, scaling, 0.0)
        dtype = base_layer.weight.dtype
        v, d = base_layer.num_embeddings, base_layer.embedding_dim
        self.lora_embedding_A = nn.Parameter(zeros(r, v, dtype=dtype))
        self.lora_embedding_B = nn.Parameter(zeros(d, r, dtype=dtype))
        init.normal_(self.lora_embedding_B)
        if not init_lora_weights:
            init.normal_(self.lora_embedding_A)

    def get_delta_weight(self) -> Tensor:
        """``scaling * (B A).T``, (V, D)."""
        return (self.lora_embedding_B @ self.lora_embedding_A).T * self.scaling

    def lora_forward(self, x: Tensor) -> Tensor:
        """The rows of A.T at the ids, times B.T, scaled: (*, D)."""
        base = self.base_layer
        rows = embedding(x, self.lora_embedding_A.T, getattr(base, "padding_idx", None))
        out: Tensor = (rows @ self.lora_embedding_B.T) * self.scaling
        return out


LORA_LAYERS: dict[type[nn.Module], Callable[..., LoraLayer]] = {
    nn.Linear: Linear,
    nn.Conv2d: Conv2d,
    nn.Embedding: Embedding,
}
"""The LoRA layer for each supported base layer type."""


def lora_layer(
    base: nn.Module, r: int, scaling: float, lora_dropout: float, init_lora_weights: bool
) -> LoraLayer:
    """The LoRA layer that wraps ``base`` (a Linear, Conv2d or Embedding).

    Raises:
        ValueError: for any other layer type.
    """
    cls = LORA_LAYERS.get(type(base))
    if cls is None:
        known = ", ".join(t.__name__ for t in LORA_LAYERS)  # Linear, Conv2d, Embedding
        raise ValueError(f"LoRA: {type(base).__name__} is not supported; only {known}")
    return cls(base, r, scaling, lora_dropout, init_lora_weights)


__all__ = ["LORA_LAYERS", "Conv2d", "Embedding", "Linear", "LoraLayer", "lora_layer"]
