"""``torch.utils.data.dataset``: map-style data sets and random_split."""

from scratchgrad.data.dataset import Dataset, Subset, TensorDataset, random_split

__all__ = ["Dataset", "Subset", "TensorDataset", "random_split"]
