"""repr of tensors: torch's text with "torch." replaced by "scratchgrad."."""

import re

import numpy as np
import pytest
import torch

import scratchgrad as sg


def _torch_repr(t: torch.Tensor) -> str:
    return repr(t).replace("torch.", "scratchgrad.")


def _both(data: object, dtype: str | None = None, **kw: object) -> tuple[str, str]:
    x = sg.tensor(data, dtype=dtype, **kw)
    t = torch.tensor(data, dtype=None if dtype is None else getattr(torch, dtype), **kw)
    return repr(x), _torch_repr(t)


def _case(label: str, data: object, dtype: str | None = None):
    return pytest.param(data, dtype, id=label)


CASES = [
    _case("1-d float", [1.0, 2.0, 3.0]),
    _case("2-d float", [[1.0, 2.0], [3.0, 4.0]]),
    _case("3-d float", [[[1.0, -2.0]], [[3.0, 4.0]]]),
    _case("negative float", [-1.0, 20.0]),
    _case("0-d float", 1.0),
    _case("nan inf", [float("nan"), float("inf")]),
    _case("nan inf 1", [float("nan"), float("inf"), 1.0]),
    _case("nan -inf", [float("nan"), float("inf"), -float("inf")]),
    _case("int64", [1, 2, 3]),
    _case("int64 widths", [[1, -200], [30, 4]]),
    _case("0-d int64", 7),
    _case("int32", [1, 2, 3], "int32"),
    _case("int16", [[1, 2]], "int16"),
    _case("int8", [-1, 2], "int8"),
    _case("uint8", [1, 255], "uint8"),
    _case("float64", [1.0, 2.0], "float64"),
    _case("0-d float64", 3.0, "float64"),
    _case("float16", [1.0, -2.0], "float16"),
    _case("0-d bool", True),
    _case("4 decimals float", [1.1052, 1.6487, 0.7408]),
    _case("bool", [True, False]),
    _case("bool 2-d", [[False], [True]]),
    _case("fraction", [0.1, 0.25]),
    _case("halves", [-1.5, 2.0]),
    _case("2-d fraction", [[0.5, -1.25], [3.0, 4.125]]),
    _case("f64 fraction", [1.5], "float64"),
    _case("large", [1e5, 1.0]),
    _case("small", [1e-5, 1.0]),
]


@pytest.mark.parametrize(("data", "dtype"), CASES)
def test_repr_matches_torch(data: object, dtype: str | None) -> None:
    ours, theirs = _both(data, dtype)
    assert ours == theirs


@pytest.mark.parametrize("dtype", [None, "float64", "float16"])
def test_repr_of_a_leaf_that_requires_grad_matches_torch(dtype: str | None) -> None:
    ours, theirs = _both([[1.0, 2.0], [3.0, -4.0]], dtype, requires_grad=True)
    assert ours == theirs


@pytest.mark.parametrize("dtype", [None, "float64"])
def test_repr_of_a_non_leaf_matches_torch_up_to_the_node_name(dtype: str | None) -> None:
    x = sg.tensor([1.0, 2.0], dtype=dtype, requires_grad=True)
    t = torch.tensor(
        [1.0, 2.0], dtype=None if dtype is None else getattr(torch, dtype), requires_grad=True
    )
    ours, theirs = repr(x * 2), _torch_repr(t * 2)
    head = "grad_fn=<"
    assert ours[: ours.index(head)] == theirs[: theirs.index(head)]
    our_node = re.search(r"grad_fn=<(\w+)>", ours).group(1)
    their_node = re.search(r"grad_fn=<(\w+)>", theirs).group(1)
    assert our_node == "MulBackward"
    assert their_node.startswith(our_node)


def test_repr_after_no_grad_and_detach_matches_torch() -> None:
    x = sg.tensor([1.0, 2.0], requires_grad=True)
    t = torch.tensor([1.0, 2.0], requires_grad=True)
    with sg.no_grad():
        y = x * 2
    with torch.no_grad():
        u = t * 2
    assert repr(y) == _torch_repr(u)
    assert repr((x * 2).detach()) == _torch_repr((t * 2).detach())


@pytest.mark.parametrize("shape", [(2, 0), (0, 3), (1, 0, 2)], ids=str)
def test_repr_of_an_empty_multi_dim_tensor_matches_torch(shape: tuple[int, ...]) -> None:
    assert repr(sg.zeros(shape)) == _torch_repr(torch.zeros(shape))


@pytest.mark.parametrize("dtype", ["float32", "int64"])
def test_repr_of_an_empty_vector_matches_torch(dtype: str) -> None:
    assert repr(sg.zeros(0, dtype=dtype)) == _torch_repr(
        torch.zeros(0, dtype=getattr(torch, dtype))
    )


def test_repr_with_float64_as_default_matches_torch() -> None:
    ours, theirs = sg.get_default_dtype(), torch.get_default_dtype()
    sg.set_default_dtype(sg.float64)
    torch.set_default_dtype(torch.float64)
    try:
        for dtype in ("float64", "float32", "int64"):
            ours_r, theirs_r = _both([1.0, 2.0], dtype)
            assert ours_r == theirs_r
    finally:
        sg.set_default_dtype(ours)
        torch.set_default_dtype(theirs)
    assert repr(sg.tensor([1.0])) == _torch_repr(torch.tensor([1.0]))


@pytest.mark.parametrize("n", [1001, 5000])
def test_long_tensors_are_summarized_with_torchs_items(n: int) -> None:
    ours, theirs = repr(sg.arange(n)), _torch_repr(torch.arange(n))
    assert len(ours) < 100 and "..." in ours
    head, tail = ours.split("...")
    their_head, their_tail = theirs.split("...")
    assert head.rstrip(", ") == their_head.rstrip(", ")
    assert tail.lstrip(", ") == their_tail.lstrip(", ")


def test_a_tensor_of_1000_elements_is_printed_in_full_like_torch() -> None:
    assert repr(sg.arange(1000)) == _torch_repr(torch.arange(1000))


def test_summarized_repr_matches_torch() -> None:
    assert repr(sg.arange(2000)) == _torch_repr(torch.arange(2000))


def test_repr_does_not_need_numpy_print_options() -> None:
    with np.printoptions(precision=1, threshold=5, edgeitems=1):
        ours = [repr(sg.tensor([1.0, 2.0, 3.0])), repr(sg.arange(10))]
    assert ours == [_torch_repr(torch.tensor([1.0, 2.0, 3.0])), _torch_repr(torch.arange(10))]
