"""frechet_distance against a direct computation and cases worked by hand."""

import numpy as np
import pytest

from scratchgrad.errors import ShapeError
from scratchgrad.train.metrics import frechet_distance


def _psd_sqrt(s: np.ndarray) -> np.ndarray:
    w, v = np.linalg.eigh(s)
    return (v * np.sqrt(np.clip(w, 0, None))) @ v.T


def _direct(a: np.ndarray, b: np.ndarray) -> float:
    """tr(sqrt(S1 S2)) = tr(sqrt(S1^1/2 S2 S1^1/2)): symmetric square roots only."""
    s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    r = _psd_sqrt(s1)
    cross = np.trace(_psd_sqrt(r @ s2 @ r))
    d = a.mean(0) - b.mean(0)
    return float(d @ d + np.trace(s1) + np.trace(s2) - 2 * cross)


def test_equals_the_direct_computation_on_correlated_features() -> None:
    rng = np.random.default_rng(0)
    a = rng.standard_normal((300, 6)) @ rng.standard_normal((6, 6))
    b = rng.standard_normal((200, 6)) @ rng.standard_normal((6, 6)) + 0.5
    assert frechet_distance(a, b) == pytest.approx(_direct(a, b), rel=1e-7)


def test_hand_worked_cases() -> None:
    rng = np.random.default_rng(1)
    a = rng.standard_normal((500, 3))
    assert frechet_distance(a, a) == pytest.approx(0.0, abs=1e-8)
    shift = np.array([1.0, -2.0, 0.5])
    assert frechet_distance(a, a + shift) == pytest.approx(shift @ shift, rel=1e-8)
    x = rng.standard_normal((400, 1))  # one feature: (mu1 - mu2)^2 + (sd1 - sd2)^2
    sd = float(x.std(ddof=1))
    assert frechet_distance(x, 3 * x) == pytest.approx(x.mean() ** 2 * 4 + (2 * sd) ** 2)


def test_bad_shapes_are_refused() -> None:
    with pytest.raises(ShapeError, match="feature sizes differ"):
        frechet_distance(np.zeros((4, 2)), np.zeros((4, 3)))
    with pytest.raises(ShapeError, match="N >= 2"):
        frechet_distance(np.zeros((1, 2)), np.zeros((4, 2)))
