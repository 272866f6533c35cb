"""RReLU and AlphaDropout: torch's reprs and evaluation; training draws by their laws."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad import nn
from tests.nn.test_linear import run_both, x32


@pytest.mark.parametrize("args", [(), (0.2, 0.4)])
def test_rrelu_eval_matches_torch(args) -> None:
    ours, theirs = nn.RReLU(*args).eval(), torch.nn.RReLU(*args).eval()
    assert repr(ours) == repr(theirs)
    run_both(ours, theirs, x32(4, 5))
    assert repr(nn.RReLU(*args, inplace=True)) == repr(torch.nn.RReLU(*args, inplace=True))


def test_rrelu_training_draws_slopes_in_bounds() -> None:
    sg.manual_seed(0)
    out = nn.RReLU(0.2, 0.4)(sg.full((1000,), -1.0)).numpy()
    assert out.min() >= -0.4 and out.max() <= -0.2 and np.unique(out).size > 100


def _most_common(a: np.ndarray) -> float:
    values, counts = np.unique(a, return_counts=True)
    return float(values[counts.argmax()])


@pytest.mark.parametrize("p", [0.2, 0.5])
def test_alpha_dropout_matches_torch_in_eval_and_keeps_moments_in_training(p) -> None:
    ours, theirs = nn.AlphaDropout(p), torch.nn.AlphaDropout(p)
    assert repr(ours) == repr(theirs)
    x = np.random.default_rng(0).standard_normal(40000).astype(np.float32)
    sg.manual_seed(0)
    a = ours(sg.tensor(x)).numpy()
    b = theirs(torch.tensor(x)).numpy()
    assert a.mean() == pytest.approx(b.mean(), abs=0.03)
    assert a.std() == pytest.approx(b.std(), abs=0.03)
    assert _most_common(a) == pytest.approx(_most_common(b), rel=1e-6)  # the dropped value
    run_both(ours.eval(), theirs.eval(), x32(3, 4))


def test_alpha_dropout_refuses_bad_p() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        nn.AlphaDropout(1.5)


def test_feature_alpha_dropout_layer() -> None:
    ours, theirs = nn.FeatureAlphaDropout(0.3), torch.nn.FeatureAlphaDropout(0.3)
    assert repr(ours) == repr(theirs)
    run_both(ours.eval(), theirs.eval(), x32(2, 3, 4))
    sg.manual_seed(0)
    y = nn.FeatureAlphaDropout(0.5)(sg.randn(50, 8, 6)).numpy()
    is_dropped = y == _most_common(y)
    assert (is_dropped.all(axis=2) == is_dropped.any(axis=2)).all()  # whole channels
    assert 0.4 < is_dropped.all(axis=2).mean() < 0.6
