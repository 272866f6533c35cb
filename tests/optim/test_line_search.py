"""cubic_interpolate and strong_wolfe against torch's private ports of the same code."""

from typing import Any

import numpy as np
import pytest
import torch
from torch.optim.lbfgs import _cubic_interpolate, _strong_wolfe

from scratchgrad.optim.line_search import cubic_interpolate, strong_wolfe


@pytest.mark.parametrize(
    "args",
    [
        (0.0, 1.0, -1.0, 2.0, 1.0, 1.0, None),
        (2.0, 3.0, 0.5, 0.5, 1.0, -2.0, None),
        (0.0, 1.0, -1.0, 1.0, 0.5, -0.2, (1.01, 10.0)),
        (0.0, 0.0, 1.0, 1.0, 0.0, 1.0, None),  # no real minimizer: the middle
    ],
)
def test_cubic_interpolate_matches_torch(args: tuple) -> None:
    x1, f1, g1, x2, f2, g2, bounds = args
    ours = cubic_interpolate(x1, f1, np.float64(g1), x2, f2, np.float64(g2), bounds)
    theirs = _cubic_interpolate(
        x1,
        f1,
        torch.tensor(g1, dtype=torch.float64),
        x2,
        f2,
        torch.tensor(g2, dtype=torch.float64),
        bounds,
    )
    assert float(ours) == pytest.approx(float(theirs), rel=1e-12)


def _quartic(lib: Any) -> Any:
    """f(x) = sum(x**4 - 3 x**2 + x): several minima, so the search must bracket and zoom."""

    def obj(x: Any, t: Any, d: Any) -> tuple[float, Any]:
        z = x + t * d
        return float((z**4 - 3 * z**2 + z).sum()), 4 * z**3 - 6 * z + 1

    return obj


@pytest.mark.parametrize("t0", [1.0, 0.01, 5.0])
@pytest.mark.parametrize("start", [[0.2, -0.4], [2.0, 1.5]])
def test_strong_wolfe_matches_torch(t0: float, start: list[float]) -> None:
    results = []
    for lib, wrap in ((np, np.array), (torch, torch.tensor)):
        x = wrap(start, dtype=lib.float64)
        f, g = _quartic(lib)(x, 0.0, x * 0)
        d = -g
        search = strong_wolfe if lib is np else _strong_wolfe
        f_new, g_new, t, evals = search(_quartic(lib), x, t0, d, f, g, g.dot(d))
        results.append((float(f_new), np.asarray(g_new), float(t), evals))
    (fa, ga, ta, ea), (fb, gb, tb, eb) = results
    assert ea == eb
    assert ta == pytest.approx(tb, rel=1e-10)
    assert fa == pytest.approx(fb, rel=1e-10)
    np.testing.assert_allclose(ga, gb, rtol=1e-10)


def test_strong_wolfe_stops_after_max_ls_evaluations() -> None:
    x = np.array([2.0, 1.5])
    f, g = _quartic(np)(x, 0.0, x * 0)
    _, _, _, evals = strong_wolfe(_quartic(np), x, 1e-6, -g, f, g, g.dot(-g), max_ls=2)
    tx = torch.tensor(x)
    _, _, _, their_evals = _strong_wolfe(
        _quartic(torch), tx, 1e-6, -torch.tensor(g), f, torch.tensor(g), float(g.dot(-g)), max_ls=2
    )
    assert evals == their_evals == 3
