"""Built-in data sets, one module per source, each split into train / validation / test.

- :mod:`~scratchgrad.data.builtin.bundled`: scikit-learn's bundled sets (``iris``,
  ``wine``, ``breast_cancer``, ``diabetes``, ``digits``).
- :mod:`~scratchgrad.data.builtin.toy`: generated sets (``xor``, ``moons``, ``circles``,
  ``spirals``, ``blobs``, ``linear_regression``, ``tags``, ``ratings``).
- :mod:`~scratchgrad.data.builtin.mnist`: MNIST IDX files (the reader and ``mnist``).
- :mod:`~scratchgrad.data.builtin.text`: texts (``text_corpus``, the built-in ``sonnets``).

Every data set registers itself in :data:`DATASETS`; ``load(name, **kwargs)`` makes one.
"""

from scratchgrad.data.builtin import bundled, mnist, text, toy
from scratchgrad.data.builtin.registry import DATASETS, DataSplits, TextCorpus, load

__all__ = ["DATASETS", "DataSplits", "TextCorpus", "bundled", "load", "mnist", "text", "toy"]
