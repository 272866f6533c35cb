"""Tests of scratchgrad.recipes: the protocol and shared files, each kind, the registry."""
