"""``torch.utils.data.dataloader``: the DataLoader and its collate function."""

from scratchgrad.data.loader import DataLoader, default_collate, default_convert
from scratchgrad.data.worker import get_worker_info

__all__ = ["DataLoader", "default_collate", "default_convert", "get_worker_info"]
