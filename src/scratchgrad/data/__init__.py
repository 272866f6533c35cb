"""Data: data sets, loaders, splits, transforms and tokenizers."""

from scratchgrad.data.builtin import DATASETS, DataSplits, TextCorpus
from scratchgrad.data.builtin import load as load_dataset
from scratchgrad.data.builtin.mnist import load_mnist, read_idx
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
from scratchgrad.data.splits import (
    split_indices,
    split_sizes,
    stratified_indices,
    train_val_test_split,
)
from scratchgrad.data.tokenizers import (
    BPETokenizer,
    CharTokenizer,
    Tokenizer,
    WordTokenizer,
)
from scratchgrad.data.transforms import (
    Compose,
    GaussianNoise,
    Normalize,
    OnInput,
    RandomHorizontalFlip,
    RandomResizedCrop,
    RandomRotation,
    RandomVerticalFlip,
    ToTensor,
    Transform,
)
from scratchgrad.data.worker import WorkerInfo, get_worker_info
from scratchgrad.errors import IDXError, TokenizerError, UnknownTokenError

__all__ = [
    "BatchSampler",
    "WorkerInfo",
    "default_convert",
    "get_worker_info",
    "WeightedRandomSampler",
    "SubsetRandomSampler",
    "SequentialSampler",
    "Sampler",
    "RandomSampler",
    "DATASETS",
    "BPETokenizer",
    "CharTokenizer",
    "Compose",
    "DataLoader",
    "DataSplits",
    "Dataset",
    "DistributedSampler",
    "GaussianNoise",
    "IDXError",
    "Normalize",
    "OnInput",
    "RandomHorizontalFlip",
    "RandomResizedCrop",
    "RandomRotation",
    "RandomVerticalFlip",
    "Subset",
    "TensorDataset",
    "TextCorpus",
    "ToTensor",
    "Tokenizer",
    "TokenizerError",
    "Transform",
    "UnknownTokenError",
    "WordTokenizer",
    "default_collate",
    "load_dataset",
    "load_mnist",
    "random_split",
    "read_idx",
    "split_indices",
    "split_sizes",
    "stratified_indices",
    "train_val_test_split",
]
