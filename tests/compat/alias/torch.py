"""``import torch`` resolving to scratchgrad: names only, no code of its own.

Putting this folder first on ``sys.path`` makes ``torch`` and every ``torch.X.Y`` the
module ``scratchgrad.X.Y`` itself (the same objects, so isinstance checks hold).
"""

import importlib
import importlib.abc
import importlib.machinery
import sys

import scratchgrad


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds ``torch.X`` as ``scratchgrad.X``."""

    def find_spec(self, name, path=None, target=None):  # type: ignore[no-untyped-def]
        if name.startswith("torch."):
            return importlib.machinery.ModuleSpec(name, self)
        return None

    def create_module(self, spec):  # type: ignore[no-untyped-def]
        return importlib.import_module("scratchgrad" + spec.name[len("torch") :])

    def exec_module(self, module):  # type: ignore[no-untyped-def]
        pass


sys.meta_path.insert(0, _Alias())
sys.modules[__name__] = scratchgrad
