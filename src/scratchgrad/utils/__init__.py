"""PyTorch's ``torch.utils`` import paths, so that ``import scratchgrad as torch`` programs run.

``utils.data`` is a compatibility path: each name is defined in its scratchgrad home
(``scratchgrad.data``) and re-exported under the module path PyTorch programs import it
from. ``utils.tensorboard`` (``SummaryWriter``) lives here, as in torch; it needs the
optional tensorboard package, so it is imported on demand, not by this package.
"""

from scratchgrad.utils import data

__all__ = ["data"]
