"""Data: data sets, loaders, splits, transforms and tokenizers."""

from scratchgrad.data.dataset import Dataset, Subset, TensorDataset, random_split
from scratchgrad.data.loader import DataLoader, default_collate
from scratchgrad.data.mnist import IDXError, load_mnist, read_idx

__all__ = [
    "DataLoader",
    "Dataset",
    "IDXError",
    "Subset",
    "TensorDataset",
    "default_collate",
    "load_mnist",
    "random_split",
    "read_idx",
]
