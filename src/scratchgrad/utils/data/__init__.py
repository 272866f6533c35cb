"""``torch.utils.data``: data sets, samplers and the DataLoader, defined in ``scratchgrad.data``."""

from scratchgrad.data.dataset import Dataset, Subset, TensorDataset, random_split
from scratchgrad.data.distributed import DistributedSampler
from scratchgrad.data.loader import DataLoader, default_collate, default_convert
from scratchgrad.data.samplers import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)
from scratchgrad.data.worker import get_worker_info
from scratchgrad.utils.data import dataloader, dataset, distributed, sampler

__all__ = [
    "BatchSampler",
    "DataLoader",
    "Dataset",
    "DistributedSampler",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "Subset",
    "SubsetRandomSampler",
    "TensorDataset",
    "WeightedRandomSampler",
    "dataloader",
    "dataset",
    "distributed",
    "default_collate",
    "default_convert",
    "get_worker_info",
    "random_split",
    "sampler",
]
