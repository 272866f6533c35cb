"""Houlsby bottleneck adapters: small residual MLPs inserted after frozen layers.

An adapter maps a layer's output h (*, D) to ``h + up(act(down(h)))`` with ``down``
D -> m and ``up`` m -> D, m << D (Houlsby et al., 2019, "Parameter-Efficient Transfer
Learning for NLP"). ``up`` starts at zero, so an adapted model starts equal to its base.
In a GPT, adapting "attn" and "mlp" puts one after each sublayer, before the residual
sum, as in the paper.

>>> from scratchgrad import nn
>>> model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
>>> add_adapters(model, ["0"], bottleneck=2)
['0']
>>> [n for n, p in model.named_parameters() if p.requires_grad]
['0.adapter.down.weight', '0.adapter.down.bias', '0.adapter.up.weight', '0.adapter.up.bias']
"""

from __future__ import annotations

from scratchgrad import nn
from scratchgrad.nn import init
from scratchgrad.peft.freezing import freeze
from scratchgrad.peft.model import matches, set_submodule
from scratchgrad.tensor import Tensor


class BottleneckAdapter(nn.Module):
    """h -> h + up(act(down(h))): a residual bottleneck MLP that starts as the identity.

    Args:
        dim: D, the width of the adapted output.
        bottleneck: m, the hidden width.
        activation: the non-linearity (default ReLU).

    Shape:
        (*, D) -> (*, D).
    """

    def __init__(self, dim: int, bottleneck: int = 64, activation: nn.Module | None = None):
        super().__init__()
        self.down = nn.Linear(dim, bottleneck)
        self.act = activation if activation is not None else nn.ReLU()
        self.up = nn.Linear(bottleneck, dim)
        for p in self.up.parameters():
            init.zeros_(p)

    def forward(self, h: Tensor) -> Tensor:
        """h + up(act(down(h))), (*, D)."""
        out: Tensor = h + self.up(self.act(self.down(h)))
        return out


class AdapterLayer(nn.Module):
    """A frozen layer followed by its adapter: x -> adapter(layer(x)).

    Args:
        layer: the layer adapted (its output's last dim is the adapter's D).
        adapter: the adapter.
    """

    def __init__(self, layer: nn.Module, adapter: BottleneckAdapter) -> None:
        super().__init__()
        self.layer = layer
        self.adapter = adapter

    def forward(self, x: Tensor) -> Tensor:
        """adapter(layer(x))."""
        out: Tensor = self.adapter(self.layer(x))
        return out


def _width(module: nn.Module, dim: int | None, name: str) -> int:
    if dim is not None:
        return dim
    if isinstance(module, nn.Linear):
        return module.out_features
    raise ValueError(f"add_adapters: give dim: {name} is a {type(module).__name__}, not a Linear")


def add_adapters(
    model: nn.Module,
    target_modules: list[str] | str,
    bottleneck: int = 64,
    dim: int | None = None,
    freeze_base: bool = True,
) -> list[str]:
    """Insert a :class:`BottleneckAdapter` after each target layer, in place.

    Args:
        model: the model.
        target_modules: names (equal or a ``.``-suffix) or a regex, as ``LoraConfig``'s.
        bottleneck: m, the adapters' hidden width.
        dim: D, the targets' output width; None takes a Linear's ``out_features``.
        freeze_base: freeze every parameter of the model first, so only adapters train.

    Returns:
        The names of the adapted layers.

    Raises:
        ValueError: if no module matches, or ``dim`` is needed and not given.
    """
    if freeze_base:
        freeze(model)
    names = [n for n, _ in model.named_modules() if n and matches(n, target_modules)]
    names = [n for n in names if not any(n.startswith(o + ".") for o in names)]
    if not names:
        raise ValueError(f"add_adapters: target modules {target_modules} not found in the model")
    for name in names:
        layer = model.get_submodule(name)
        set_submodule(
            model,
            name,
            AdapterLayer(layer, BottleneckAdapter(_width(layer, dim, name), bottleneck)),
        )
    return names


__all__ = ["AdapterLayer", "BottleneckAdapter", "add_adapters"]
