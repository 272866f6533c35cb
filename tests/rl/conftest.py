"""The RL tests need gymnasium (the `rl` and `test` extras)."""

import pytest

pytest.importorskip("gymnasium")
