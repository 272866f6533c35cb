"""Parameter and Buffer, compared with torch.nn.Parameter and torch.nn.Buffer."""

import copy

import numpy as np
import pytest
import torch

import scratchgrad as sg
import scratchgrad.nn as snn


def test_parameter_is_a_leaf_that_requires_grad_like_torch() -> None:
    ours, theirs = snn.Parameter(sg.ones(2, 3)), torch.nn.Parameter(torch.ones(2, 3))
    for p in (ours, theirs):
        assert p.requires_grad and p.is_leaf and p.grad_fn is None
    assert isinstance(ours, sg.Tensor)
    assert ours.shape == tuple(theirs.shape)
    assert ours.dtype == sg.float32


def test_parameter_repr_is_torch_text() -> None:
    data = np.arange(6, dtype=np.float32).reshape(2, 3) / 4
    assert repr(snn.Parameter(sg.tensor(data))) == repr(torch.nn.Parameter(torch.tensor(data)))
    frozen = (
        snn.Parameter(sg.tensor(data), requires_grad=False),
        torch.nn.Parameter(torch.tensor(data), requires_grad=False),
    )
    assert repr(frozen[0]) == repr(frozen[1])


def test_parameter_shares_memory_with_its_source() -> None:
    t = sg.zeros(3)
    p = snn.Parameter(t)
    t.array[0] = 5.0
    assert p.tolist() == [5.0, 0.0, 0.0]
    a = np.ones(2, np.float64)
    assert snn.Parameter(a).array is a


def test_parameter_from_a_tensor_in_a_graph_is_a_new_leaf() -> None:
    x = sg.ones(2, requires_grad=True)
    p = snn.Parameter(x * 2)
    assert p.is_leaf and p.requires_grad
    (p * p).sum().backward()
    assert p.grad.tolist() == [4.0, 4.0]
    assert x.grad is None


def test_empty_and_frozen_parameters_like_torch() -> None:
    ours, theirs = snn.Parameter(), torch.nn.Parameter()
    assert ours.shape == tuple(theirs.shape) == (0,)
    assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")
    frozen = snn.Parameter(sg.ones(2), requires_grad=False)
    assert not frozen.requires_grad and isinstance(frozen, snn.Parameter)


def test_integer_parameter_cannot_require_grad_like_torch() -> None:
    with pytest.raises(RuntimeError):
        torch.nn.Parameter(torch.ones(2, dtype=torch.int64))
    with pytest.raises(RuntimeError, match="floating point"):
        snn.Parameter(sg.ones(2, dtype=sg.int64))
    assert snn.Parameter(sg.ones(2, dtype=sg.int64), requires_grad=False).dtype == sg.int64


def test_parameter_gets_gradients_and_ops_on_it_give_plain_tensors() -> None:
    p = snn.Parameter(sg.tensor([1.0, 2.0]))
    y = p * 3
    assert type(y) is sg.Tensor
    y.sum().backward()
    assert p.grad.tolist() == [3.0, 3.0]
    assert type(p.detach()) is sg.Tensor  # as torch: detach drops the Parameter type
    assert type(torch.nn.Parameter(torch.ones(1)).detach()) is torch.Tensor


def test_deepcopy_keeps_the_type_and_copies_the_data() -> None:
    p = snn.Parameter(sg.ones(2))
    q = copy.deepcopy(p)
    assert type(q) is snn.Parameter and q.requires_grad
    assert q.array is not p.array
    np.testing.assert_array_equal(q.detach().numpy(), p.detach().numpy())


def test_buffer_keeps_data_and_persistence_like_torch() -> None:
    ours = snn.Buffer(sg.ones(3), persistent=False)
    theirs = torch.nn.Buffer(torch.ones(3), persistent=False)
    assert ours.persistent is theirs.persistent is False
    assert snn.Buffer(sg.ones(1)).persistent is torch.nn.Buffer(torch.ones(1)).persistent
    assert isinstance(ours, sg.Tensor) and not ours.requires_grad
    assert ours.tolist() == theirs.tolist()
    assert snn.Buffer().shape == tuple(torch.nn.Buffer().shape) == (0,)


def test_buffer_persistence_must_be_given_by_keyword_like_torch() -> None:
    with pytest.raises(TypeError):
        torch.nn.Buffer(torch.ones(1), False)  # type: ignore[misc]
    with pytest.raises(TypeError):
        snn.Buffer(sg.ones(1), False)  # type: ignore[misc]
