"""``torch.utils.data``: data sets, samplers and the DataLoader, defined in ``scratchgrad.data``."""

from scratchgrad.data.dataset import Dataset, Subset, TensorDataset, random_split
from scratchgrad.data.loader import DataLoader, default_collate
from scratchgrad.data.samplers import (
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)
from scratchgrad.utils.data import dataloader, dataset, sampler

__all__ = [
    "DataLoader",
    "Dataset",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "Subset",
    "SubsetRandomSampler",
    "TensorDataset",
    "WeightedRandomSampler",
    "dataloader",
    "dataset",
    "default_collate",
    "random_split",
    "sampler",
]
