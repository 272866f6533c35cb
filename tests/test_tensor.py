"""Tensor attributes, Python protocols and conversions, compared with the same calls in torch."""

import operator

import numpy as np
import pytest
import torch

import scratchgrad as sg

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
SHAPES = [(), (4,), (2, 3), (2, 3, 4), (1, 2, 1, 3)]


def _pair(a: np.ndarray, requires_grad: bool = False) -> tuple[sg.Tensor, torch.Tensor]:
    """The same values as a scratchgrad tensor and a torch tensor, each with its own copy."""
    x = sg.tensor(a.copy(), requires_grad=requires_grad)
    t = torch.tensor(a.copy(), requires_grad=requires_grad)
    return x, t


def _values(shape: tuple[int, ...], dtype: str = "float32") -> np.ndarray:
    rng = np.random.default_rng(len(shape))
    return rng.uniform(-3, 3, shape).astype(dtype)


def _name(dtype: object) -> str:
    return str(dtype).removeprefix("torch.")


# ------------------------------------------------------------------ attributes
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_shape_attributes_match_torch(shape: tuple[int, ...]) -> None:
    x, t = _pair(_values(shape))
    assert x.shape == tuple(t.shape)
    assert x.ndim == t.ndim
    assert x.dim() == t.dim()
    assert x.size() == tuple(t.size())
    assert x.numel() == t.numel()
    assert _name(x.dtype) == _name(t.dtype)
    for d in range(-len(shape), len(shape)):
        assert x.size(d) == t.size(d)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_size_of_a_missing_dim_raises_index_error(shape: tuple[int, ...]) -> None:
    x, t = _pair(_values(shape))
    with pytest.raises(IndexError):
        t.size(len(shape) + 1)
    with pytest.raises(IndexError):
        x.size(len(shape) + 1)


@pytest.mark.parametrize("dtype", DTYPES)
def test_dtype_attributes_match_torch(dtype: str) -> None:
    x = sg.zeros(2, 3, dtype=dtype)
    t = torch.zeros(2, 3, dtype=getattr(torch, dtype))
    assert _name(x.dtype) == _name(t.dtype)
    assert x.dtype == getattr(sg, dtype if dtype != "bool" else "bool_")
    assert x.numpy().dtype == x.dtype
    assert x.element_size() == t.element_size()
    assert x.is_floating_point() == t.is_floating_point()


def test_device_is_cpu_like_torch() -> None:
    assert str(sg.ones(2).device) == str(torch.ones(2).device) == "cpu"
    x = sg.ones(2)
    assert x.cpu() is x


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_t_property_reverses_all_dims_like_torch_permute(shape: tuple[int, ...]) -> None:
    x, t = _pair(_values(shape))
    ours = x.T
    theirs = t.permute(tuple(reversed(range(t.ndim))))
    assert ours.shape == tuple(theirs.shape)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("shape", [(2, 3), (2, 3, 4), (1, 2, 1, 3)], ids=str)
def test_mt_property_swaps_the_last_two_dims_like_torch(shape: tuple[int, ...]) -> None:
    x, t = _pair(_values(shape))
    assert x.mT.shape == tuple(t.mT.shape)
    np.testing.assert_array_equal(x.mT.numpy(), t.mT.numpy())


def test_t_and_mt_properties_carry_gradients_like_torch() -> None:
    x, t = _pair(_values((2, 3, 4)), requires_grad=True)
    w = _values((4, 3, 2))
    (x.T * sg.tensor(w)).sum().backward()
    (t.permute(2, 1, 0) * torch.tensor(w)).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), t.grad.numpy())


def test_mt_property_of_a_vector_raises_a_clear_error() -> None:
    with pytest.raises(RuntimeError, match="matrices"):
        _ = torch.ones(3).mT
    with pytest.raises((RuntimeError, ValueError), match="mT"):
        _ = sg.ones(3).mT


def test_leaf_and_graph_attributes_match_torch() -> None:
    a = _values((3,))
    for lib in (sg, torch):
        plain = lib.tensor(a)
        leaf = lib.tensor(a, requires_grad=True)
        inner = leaf * 2
        with lib.no_grad():
            frozen = leaf * 2
        row = [
            (t.is_leaf, t.requires_grad, t.grad_fn is None) for t in (plain, leaf, inner, frozen)
        ]
        if lib is sg:
            ours = row
        else:
            assert ours == row
    assert ours[2] == (False, True, False)  # a recorded result: not a leaf, has a grad_fn


# ------------------------------------------------------------------ Python protocols
@pytest.mark.parametrize("shape", [(4,), (2, 3), (3, 1, 2)], ids=str)
def test_len_and_iter_match_torch(shape: tuple[int, ...]) -> None:
    x, t = _pair(_values(shape))
    assert len(x) == len(t)
    rows = list(x)
    assert len(rows) == len(list(t))
    for r, rt in zip(rows, t, strict=True):
        assert isinstance(r, sg.Tensor)
        assert r.shape == tuple(rt.shape)
        np.testing.assert_array_equal(r.numpy(), rt.numpy())


def test_len_and_iter_of_a_zero_dim_tensor_raise_like_torch() -> None:
    for lib in (sg, torch):
        with pytest.raises(TypeError, match="len\\(\\) of a 0-d tensor"):
            len(lib.tensor(1.0))
        with pytest.raises(TypeError, match="iteration over a 0-d tensor"):
            iter(lib.tensor(1.0))


def test_iterating_keeps_the_graph_like_torch() -> None:
    x, t = _pair(_values((3, 2)), requires_grad=True)
    sum(r.sum() * (i + 1) for i, r in enumerate(x)).backward()
    sum(r.sum() * (i + 1) for i, r in enumerate(t)).backward()
    np.testing.assert_array_equal(x.grad.numpy(), t.grad.numpy())


@pytest.mark.parametrize("value", [0.0, 1.5, [0.0], [[2.0]], 0, 3, True, False, [[False]]], ids=str)
def test_bool_of_one_element_matches_torch(value: object) -> None:
    assert bool(sg.tensor(value)) == bool(torch.tensor(value))


def test_bool_of_several_or_no_elements_raises_like_torch() -> None:
    for lib in (sg, torch):
        with pytest.raises(RuntimeError, match="ambiguous"):
            bool(lib.ones(2))
        with pytest.raises(RuntimeError, match="ambiguous"):
            bool(lib.zeros(0))
        with pytest.raises(RuntimeError, match="ambiguous"):
            if lib.ones(2, 2) > 0:
                pass


def test_tensors_hash_by_identity_like_torch() -> None:
    a, b = sg.ones(2), sg.ones(2)
    seen = {a: "a", b: "b"}
    assert seen[a] == "a" and seen[b] == "b"
    assert len({a, b, a}) == 2


# ------------------------------------------------------------------ numpy, lists, scalars
def test_numpy_shares_memory_both_ways() -> None:
    x = sg.tensor([1.0, 2.0, 3.0])
    arr = x.numpy()
    arr[0] = 10.0
    assert x.tolist() == [10.0, 2.0, 3.0]
    x.array[1] = 20.0
    assert arr.tolist() == [10.0, 20.0, 3.0]
    assert np.shares_memory(arr, x.numpy())


def test_numpy_of_a_tensor_that_requires_grad_raises_naming_detach() -> None:
    for lib in (sg, torch):
        x = lib.ones(3, requires_grad=True)
        with pytest.raises(RuntimeError, match="detach"):
            x.numpy()
        with pytest.raises(RuntimeError, match="detach"):
            (x * 2).numpy()
    x = sg.ones(3, requires_grad=True)
    assert np.shares_memory(x.detach().numpy(), x.array)


def test_np_asarray_works_and_shares_memory_like_torch() -> None:
    x, t = _pair(_values((2, 3)))
    a, b = np.asarray(x), np.asarray(t)
    assert a.dtype == b.dtype and a.shape == b.shape
    np.testing.assert_array_equal(a, b)
    assert np.shares_memory(a, x.numpy())
    assert np.asarray(x, dtype=np.float64).dtype == np.asarray(t, dtype=np.float64).dtype
    np.testing.assert_allclose(np.exp(np.asarray(x)), np.exp(b))


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # torch's own __array__
def test_np_array_copies_like_torch() -> None:
    t = torch.tensor([1.0, 2.0])
    np.array(t)[0] = 99.0
    assert t.tolist() == [1.0, 2.0]
    x = sg.tensor([1.0, 2.0])
    a = np.array(x)
    a[0] = 99.0
    assert x.tolist() == [1.0, 2.0]


def test_np_asarray_of_a_tensor_that_requires_grad_raises_like_torch() -> None:
    with pytest.raises(RuntimeError, match="detach"):
        np.asarray(torch.ones(2, requires_grad=True))
    with pytest.raises(RuntimeError, match="detach"):
        np.asarray(sg.ones(2, requires_grad=True))


@pytest.mark.parametrize(
    "value",
    [1.5, 3, True, [1.0, 2.5], [[1, 2], [3, 4]], [[True], [False]], [], [[[0.5]]]],
    ids=str,
)
def test_tolist_matches_torch(value: object) -> None:
    ours, theirs = sg.tensor(value).tolist(), torch.tensor(value).tolist()
    assert ours == theirs
    assert type(ours) is type(theirs)


@pytest.mark.parametrize(
    ("value", "dtype"),
    [
        (2.5, "float32"),
        (2.5, "float64"),
        (-7, "int64"),
        (7, "int32"),
        (True, "bool"),
        ([[4.0]], "float32"),
        ([3], "int64"),
        (0.5, "float16"),
    ],
    ids=str,
)
def test_item_float_int_match_torch(value: object, dtype: str) -> None:
    x = sg.tensor(value, dtype=dtype)
    t = torch.tensor(value, dtype=getattr(torch, dtype))
    assert x.item() == t.item()
    assert type(x.item()) is type(t.item())
    assert float(x) == float(t)
    assert int(x) == int(t)


def test_int_truncates_toward_zero_like_torch() -> None:
    for v in (-2.7, 2.7, -0.5):
        assert int(sg.tensor(v)) == int(torch.tensor(v))


def test_item_of_several_elements_raises_like_torch() -> None:
    for lib in (sg, torch):
        with pytest.raises(RuntimeError, match="2 elements cannot be converted to Scalar"):
            lib.ones(2).item()
    with pytest.raises((RuntimeError, ValueError)):
        float(sg.ones(2))
    with pytest.raises((RuntimeError, ValueError)):
        int(sg.ones(2, dtype=sg.int64))


def test_index_protocol_matches_torch() -> None:
    items = [10, 20, 30, 40]
    for lib in (sg, torch):
        i = lib.tensor(2)
        assert items[i] == 30
        assert list(range(lib.tensor(3))) == [0, 1, 2]
        assert operator.index(lib.tensor([1])) == 1
        assert operator.index(lib.tensor(3, dtype=lib.int32)) == 3
        assert hex(lib.tensor(255)) == "0xff"
        with pytest.raises(TypeError, match="only integer tensors of a single element"):
            operator.index(lib.tensor(1.0))
        with pytest.raises(TypeError, match="only integer tensors of a single element"):
            items[lib.tensor([0, 1])]


def test_format_spec_on_a_scalar_tensor_like_torch() -> None:
    assert f"{torch.tensor(1.2345):.2f}" == "1.23"
    assert f"{sg.tensor(1.2345):.2f}" == f"{torch.tensor(1.2345):.2f}"


# ------------------------------------------------------------------ dtype conversions
CASTS = ["bool", "uint8", "int32", "int64", "float16", "float32", "float64"]


@pytest.mark.parametrize("src", CASTS)
@pytest.mark.parametrize("dst", CASTS)
def test_to_dtype_matches_torch(src: str, dst: str) -> None:
    a = np.array([-2.7, -1.0, -0.4, 0.0, 0.6, 1.5, 3.9, 120.2])
    if src in ("bool", "uint8"):
        a = np.abs(a)
    a = a.astype(src)
    x, t = sg.tensor(a), torch.tensor(a)
    ours, theirs = x.to(getattr(sg, dst if dst != "bool" else "bool_")), t.to(getattr(torch, dst))
    assert _name(ours.dtype) == _name(theirs.dtype)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    assert (ours is x) == (theirs is t)  # the same dtype gives the tensor itself


@pytest.mark.parametrize("method", ["float", "double", "half", "long", "int", "bool"])
@pytest.mark.parametrize("src", ["float32", "float64", "int64", "bool"])
def test_cast_methods_match_torch(method: str, src: str) -> None:
    a = np.array([[-1.5, 0.0, 2.25], [3.0, -0.75, 1.0]]).astype(src)
    x, t = sg.tensor(a), torch.tensor(a)
    ours, theirs = getattr(x, method)(), getattr(t, method)()
    assert _name(ours.dtype) == _name(theirs.dtype)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    assert (ours is x) == (theirs is t)


def test_to_accepts_dtype_names_and_copy() -> None:
    x = sg.tensor([1.5, -2.5])
    assert x.to("float64").dtype == sg.float64
    assert x.to("int").dtype == sg.int32
    y = x.to(sg.float32, copy=True)
    assert y is not x and not np.shares_memory(y.numpy(), x.numpy())
    np.testing.assert_array_equal(y.numpy(), x.numpy())


def test_to_a_device_string_like_torch() -> None:
    assert torch.ones(2).to("cpu").device.type == "cpu"
    x = sg.ones(2)
    assert x.to("cpu") is x
    assert torch.ones(2).to(device=None).device.type == "cpu"
    assert x.to(device=None) is x and x.to(device="cpu:0") is x
    with pytest.raises(RuntimeError, match="^to: device 'cuda' is not available; .* CPU$"):
        x.to("cuda")
    with pytest.raises(RuntimeError, match="^to: device 'cuda:1' is not available"):
        x.to(device="cuda:1")


def test_float_casts_are_differentiable_like_torch() -> None:
    x, t = _pair(_values((3,)), requires_grad=True)
    (x.double() * 3).sum().backward()
    (t.double() * 3).sum().backward()
    assert x.grad.dtype == sg.float32
    np.testing.assert_array_equal(x.grad.numpy(), t.grad.numpy())


def test_integer_casts_leave_the_graph_like_torch() -> None:
    x, t = _pair(_values((3,)), requires_grad=True)
    for ours, theirs in ((x.long(), t.long()), (x.bool(), t.bool())):
        assert ours.requires_grad == theirs.requires_grad
        assert (ours.grad_fn is None) == (theirs.grad_fn is None)


def test_type_as_matches_torch() -> None:
    a = np.array([1.7, -2.2])
    for other in ("int32", "float64", "bool"):
        ours = sg.tensor(a).type_as(sg.zeros(1, dtype=other))
        theirs = torch.tensor(a).type_as(torch.zeros(1, dtype=getattr(torch, other)))
        assert _name(ours.dtype) == _name(theirs.dtype)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_clone_has_its_own_memory_and_stays_in_the_graph() -> None:
    x, t = _pair(_values((2, 3)), requires_grad=True)
    c, ct = x.clone(), t.clone()
    assert not np.shares_memory(c.array, x.array)
    assert c.requires_grad == ct.requires_grad
    assert (c.grad_fn is None) == (ct.grad_fn is None)
    (c * c).sum().backward()
    (ct * ct).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy(), rtol=1e-6)
    plain = sg.tensor([1, 2, 3])
    copy = plain.clone()
    copy.array[0] = 9
    assert plain.tolist() == [1, 2, 3]


# ------------------------------------------------------------------ requires_grad, detach
@pytest.mark.parametrize("dtype", ["bool", "uint8", "int32", "int64"])
def test_requires_grad_on_a_non_float_tensor_raises_like_torch(dtype: str) -> None:
    with pytest.raises(RuntimeError, match="floating point dtype can require gradients"):
        torch.zeros(2, dtype=getattr(torch, dtype)).requires_grad_()
    msg = "(?i)floating point dtype can require gradients"
    with pytest.raises(RuntimeError, match=msg):
        sg.zeros(2, dtype=dtype).requires_grad_()
    with pytest.raises(RuntimeError, match=msg):
        sg.tensor([1, 2], dtype=dtype, requires_grad=True)
    with pytest.raises(RuntimeError, match=msg):
        sg.Tensor(np.zeros(2, dtype=dtype), requires_grad=True)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_requires_grad_on_a_float_leaf_returns_self(dtype: str) -> None:
    x = sg.zeros(2, dtype=dtype)
    assert x.requires_grad_() is x
    assert x.requires_grad and x.is_leaf
    assert x.requires_grad_(False) is x
    assert not x.requires_grad


def test_requires_grad_false_on_a_non_leaf_raises_like_torch() -> None:
    for lib in (sg, torch):
        y = lib.ones(2, requires_grad=True) * 2
        with pytest.raises(RuntimeError, match="leaf"):
            y.requires_grad_(False)
        assert y.requires_grad


def test_requires_grad_true_on_a_non_leaf_is_a_no_op_like_torch() -> None:
    t = torch.ones(2, requires_grad=True) * 2
    assert t.requires_grad_(True) is t
    y = sg.ones(2, requires_grad=True) * 2
    assert y.requires_grad_(True) is y


def test_detach_shares_memory_and_leaves_the_graph_like_torch() -> None:
    x, t = _pair(_values((3,)), requires_grad=True)
    y, yt = x * 2, t * 2
    d, dt = y.detach(), yt.detach()
    for a, b in ((d, dt),):
        assert (a.requires_grad, a.is_leaf, a.grad_fn is None) == (
            b.requires_grad,
            b.is_leaf,
            b.grad_fn is None,
        )
    assert np.shares_memory(d.numpy(), y.array)
    d.array[0] = 100.0
    assert y.array[0] == 100.0
    xd = x.detach()
    assert np.shares_memory(xd.numpy(), x.array)


def test_detach_in_place_makes_a_leaf_like_torch() -> None:
    x, t = _pair(_values((3,)), requires_grad=True)
    y, yt = x * 2, t * 2
    assert y.detach_() is y
    yt.detach_()
    assert (y.is_leaf, y.requires_grad) == (yt.is_leaf, yt.requires_grad)


@pytest.mark.parametrize("args", [(2, 3), ([[1, 2]],), (), ([1.5, 2],), ((4,),)])
def test_the_legacy_constructor_builds_float32_like_torch(args: tuple) -> None:
    ours, theirs = sg.Tensor(*args), torch.Tensor(*args)
    assert ours.shape == tuple(theirs.shape) and ours.dtype == sg.float32
    if theirs.numel() and args and not isinstance(args[0], int):
        assert ours.tolist() == theirs.tolist()


def test_data_is_a_tensor_sharing_memory_and_can_be_replaced() -> None:
    p, tp = sg.nn.Parameter(sg.ones(3)), torch.nn.Parameter(torch.ones(3))
    d, td = p.data, tp.data
    assert type(d) is sg.Tensor and not d.requires_grad and not td.requires_grad
    d[0] = 5.0
    td[0] = 5.0
    assert p.tolist() == tp.tolist()
    p.data = sg.zeros(2)
    tp.data = torch.zeros(2)
    assert p.tolist() == tp.tolist() and p.requires_grad and isinstance(p, sg.nn.Parameter)
    with pytest.raises(TypeError, match="expected a Tensor"):
        p.data = [1.0, 2.0]  # type: ignore[assignment]
