"""Tests of scratchgrad.optim.lr_scheduler, one file per family; the harness is ``_parity``."""
