"""``torch.utils.data.dataloader``: the DataLoader and its collate function."""

from scratchgrad.data.loader import DataLoader, default_collate

__all__ = ["DataLoader", "default_collate"]
