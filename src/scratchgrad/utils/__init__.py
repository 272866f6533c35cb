"""PyTorch's ``torch.utils`` import paths, so that ``import scratchgrad as torch`` programs run.

Compatibility paths only: each name is defined in its scratchgrad home (``scratchgrad.data``)
and re-exported here under the module path PyTorch programs import it from.
"""

from scratchgrad.utils import data

__all__ = ["data"]
