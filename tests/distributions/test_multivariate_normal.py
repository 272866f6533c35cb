import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.distributions import MultivariateNormal

from ._parity import check, error

R = np.random.default_rng(4)
N = 3
LOC = R.normal(size=(2, N))
A = R.normal(size=(2, N, N))
COV = A @ A.transpose(0, 2, 1) + N * np.eye(N)
TRIL = np.linalg.cholesky(COV)
VALUE = R.normal(size=(5, 2, N))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("method", ["log_prob", "entropy"])
@pytest.mark.parametrize("form", ["covariance_matrix", "scale_tril", "precision_matrix"])
def test_values_and_gradients_match_torch(form, method, dtype):
    matrix = {"covariance_matrix": COV, "scale_tril": TRIL, "precision_matrix": np.linalg.inv(COV)}

    def build(lib, loc, m):
        return lib.distributions.MultivariateNormal(loc, **{form: m})

    value = VALUE.astype(dtype) if method == "log_prob" else None
    check(build, method, [LOC, matrix[form]], dtype, value)


def test_broadcast_batch_shapes():
    d = MultivariateNormal(sg.zeros(4, 1, N), scale_tril=sg.tensor(TRIL, dtype=sg.float32))
    assert d.batch_shape == (4, 2) and d.event_shape == (N,)
    assert d.sample((5,)).shape == (5, 4, 2, N)
    assert d.log_prob(sg.zeros(N)).shape == (4, 2)
    assert d.covariance_matrix.shape == (4, 2, N, N)


def test_sample_covariance_and_rsample_gradient():
    cov = sg.tensor(COV[0])
    loc = sg.tensor(LOC[0], requires_grad=True)
    d = MultivariateNormal(loc, covariance_matrix=cov)
    sg.manual_seed(0)
    x = d.rsample((100_000,))
    emp = np.cov(x.detach().numpy().T)
    np.testing.assert_allclose(emp, COV[0], atol=0.1 * np.abs(COV[0]).max())
    np.testing.assert_allclose(d.variance.detach().numpy(), np.diag(COV[0]), rtol=1e-5)
    np.testing.assert_allclose(d.precision_matrix.numpy(), np.linalg.inv(COV[0]), rtol=1e-4)
    x.sum().backward()
    np.testing.assert_allclose(loc.grad.numpy(), [100_000.0] * N)


BAD = {
    "0-d loc": lambda lib: lib.distributions.MultivariateNormal(lib.tensor(0.0), lib.eye(2)),
    "no matrix": lambda lib: lib.distributions.MultivariateNormal(lib.zeros(2)),
    "two matrices": lambda lib: lib.distributions.MultivariateNormal(
        lib.zeros(2), lib.eye(2), scale_tril=lib.eye(2)
    ),
    "1-d covariance": lambda lib: lib.distributions.MultivariateNormal(lib.zeros(2), lib.ones(2)),
    "1-d scale_tril": lambda lib: lib.distributions.MultivariateNormal(
        lib.zeros(2), scale_tril=lib.ones(2)
    ),
    "not lower": lambda lib: lib.distributions.MultivariateNormal(
        lib.zeros(2), scale_tril=lib.ones(2, 2)
    ),
}


@pytest.mark.parametrize("name", BAD)
def test_validation_errors_match_torch(name):
    ours, theirs = error(lambda: BAD[name](sg)), error(lambda: BAD[name](torch))
    assert ours == theirs


def test_not_positive_definite_is_refused():
    with pytest.raises(ValueError, match="PositiveDefinite"):
        MultivariateNormal(sg.zeros(2), sg.tensor([[1.0, 2.0], [2.0, 1.0]]))
