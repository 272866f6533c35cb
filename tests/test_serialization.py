"""Weight files: safetensors round trips, interop with torch, atomic writes, no pickle."""

import pytest

pytest.importorskip("safetensors")

import ast  # noqa: E402
import io  # noqa: E402
import os  # noqa: E402
import pickle  # noqa: E402 - only to build a hostile file; the library never imports it
from pathlib import Path  # noqa: E402
from types import ModuleType  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402
import safetensors.numpy  # noqa: E402
import safetensors.torch  # noqa: E402
import torch  # noqa: E402

import scratchgrad as sg  # noqa: E402
import scratchgrad.nn as snn  # noqa: E402
from scratchgrad import serialization  # noqa: E402
from scratchgrad.serialization import load, load_metadata, save  # noqa: E402

RNG = np.random.default_rng(0)


def net_class(lib: ModuleType, nn: ModuleType) -> type:
    class Affine(nn.Module):
        def __init__(self, n_in: int, n_out: int) -> None:
            super().__init__()
            self.weight = nn.Parameter(lib.zeros(n_out, n_in))
            self.bias = nn.Parameter(lib.zeros(n_out))

        def forward(self, x: Any) -> Any:
            return x @ self.weight.T + self.bias

    class Net(nn.Module):
        def __init__(self, hidden: int = 4) -> None:
            super().__init__()
            self.body = nn.Sequential(Affine(3, hidden), Affine(hidden, 2))
            self.register_buffer("count", lib.zeros((), dtype=lib.int64))

        def forward(self, x: Any) -> Any:
            return self.body(x)

    return Net


OurNet, TorchNet = net_class(sg, snn), net_class(torch, torch.nn)


def randomized(model: Any) -> Any:
    for p in model.parameters():
        p.array[...] = RNG.standard_normal(p.shape)
    return model


def same(a: Any, b: Any) -> None:
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape and a.dtype == b.dtype
    np.testing.assert_array_equal(a, b)


# ------------------------------------------------------------------ round trips
def test_round_trip_keeps_names_order_shapes_dtypes_and_values(tmp_path: Path) -> None:
    matrix = RNG.standard_normal((3, 5))
    tensors = {
        "z.last": sg.tensor(RNG.standard_normal((2, 3)).astype(np.float32)),
        "a.half": sg.tensor(RNG.standard_normal(4).astype(np.float16)),
        "m.double": sg.tensor(matrix),
        "transposed": sg.tensor(matrix).T,  # not contiguous
        "strided": matrix[:, ::2],  # a NumPy array, strided
        "big_endian": np.arange(4, dtype=">i4"),
        "ints": sg.arange(6).reshape(2, 3),
        "bytes": np.arange(3, dtype=np.uint8),
        "flags": sg.tensor([True, False]),
        "scalar": sg.tensor(2.5),
        "empty": sg.zeros(0, 3),
    }
    path = tmp_path / "w.safetensors"
    save(tensors, path)
    loaded = load(path)
    assert list(loaded) == list(tensors)
    for key, value in tensors.items():
        expected = value.array if isinstance(value, sg.Tensor) else value
        assert isinstance(loaded[key], sg.Tensor)
        same(loaded[key].numpy(), expected.astype(expected.dtype.newbyteorder("=")))
    loaded["ints"].array[0, 0] = 7  # writable
    assert str(loaded["big_endian"].dtype) == "int32"


def test_a_state_dict_round_trips_into_a_fresh_model(tmp_path: Path) -> None:
    model = randomized(OurNet())
    model.count.array[...] = 3
    save(model.state_dict(), tmp_path / "m.safetensors")
    loaded = load(tmp_path / "m.safetensors")
    assert list(loaded) == list(model.state_dict())
    fresh = OurNet()
    assert repr(fresh.load_state_dict(loaded)) == "<All keys matched successfully>"
    for a, b in zip(fresh.state_dict().values(), model.state_dict().values(), strict=True):
        same(a.numpy(), b.numpy())
    assert fresh.count.item() == 3


def test_metadata_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "m.safetensors"
    save({"x": sg.ones(1)}, path, metadata={"epoch": "3", "note": "ok"})
    assert load_metadata(path) == {"epoch": "3", "note": "ok"}
    save({"x": sg.ones(1)}, path)
    assert load_metadata(path) == {}
    with pytest.raises(TypeError, match="str to str"):
        save({"x": sg.ones(1)}, path, metadata={"epoch": 3})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="reserved"):
        save({"x": sg.ones(1)}, path, metadata={"scratchgrad.keys": "[]"})


@pytest.mark.parametrize(
    ("value", "match"),
    [
        (np.zeros(2, np.complex128), "complex128"),
        (np.array(["a"]), "<U1"),
        (np.zeros(2, object), "object"),
    ],
)
def test_unsupported_values_are_rejected_clearly(tmp_path: Path, value: Any, match: str) -> None:
    path = tmp_path / "bad.safetensors"
    for obj in ({"ok": sg.ones(1), "bad": value}, {"ok": sg.ones(1), "n": 1, "bad": value}):
        with pytest.raises(TypeError, match=match):
            save(obj, path)
    assert not path.exists()


# ------------------------------------------------------------------ interop with torch
def test_a_file_saved_here_loads_in_torch_and_into_the_torch_module(tmp_path: Path) -> None:
    model = randomized(OurNet())
    path = tmp_path / "ours.safetensors"
    save(model.state_dict(), path)
    theirs = safetensors.torch.load_file(path)
    assert sorted(theirs) == sorted(model.state_dict())
    for key, value in model.state_dict().items():
        same(theirs[key].numpy(), value.numpy())
    torch_model = TorchNet()
    assert not torch_model.load_state_dict(theirs).missing_keys
    x = RNG.standard_normal((5, 3)).astype(np.float32)
    np.testing.assert_allclose(
        torch_model(torch.tensor(x)).detach().numpy(),
        model(sg.tensor(x)).detach().numpy(),
        rtol=1e-5,
        atol=1e-6,
    )


def test_a_torch_state_dict_saved_with_safetensors_loads_here(tmp_path: Path) -> None:
    torch_model = TorchNet()
    with torch.no_grad():
        for p in torch_model.parameters():
            p.normal_()
    path = tmp_path / "theirs.safetensors"
    safetensors.torch.save_file(torch_model.state_dict(), path)
    model = OurNet()
    assert repr(model.load_state_dict(load(path))) == "<All keys matched successfully>"
    x = RNG.standard_normal((5, 3)).astype(np.float32)
    np.testing.assert_allclose(
        model(sg.tensor(x)).detach().numpy(),
        torch_model(torch.tensor(x)).detach().numpy(),
        rtol=1e-5,
        atol=1e-6,
    )


# ------------------------------------------------------------------ mismatches
def test_loading_a_mismatched_file_reports_every_problem_at_once(tmp_path: Path) -> None:
    other = {
        "body.0.weight": sg.zeros(5, 3),  # wrong shape: the model's hidden size is 4
        "body.0.bias": sg.zeros(4),
        "body.1.weight": sg.zeros(2, 4, dtype=sg.int32).float().double(),  # float64: fine
        "count": sg.zeros((), dtype=sg.float32),  # float into int64: wrong dtype
        "head.weight": sg.zeros(1),  # unexpected
    }  # body.1.bias is missing
    path = tmp_path / "other.safetensors"
    save(other, path)
    model = randomized(OurNet())
    before = {k: v.numpy().copy() for k, v in model.state_dict().items()}
    with pytest.raises(RuntimeError) as err:
        model.load_state_dict(load(path))
    assert str(err.value).split("\n\t") == [
        "Error(s) in loading state_dict for Net:",
        'Missing key(s) in state_dict: "body.1.bias". ',
        'Unexpected key(s) in state_dict: "head.weight". ',
        "dtype mismatch for count: copying a param with dtype float32 from checkpoint, "
        "the dtype in current model is int64.",
        "size mismatch for body.0.weight: copying a param with shape (5, 3) from checkpoint, "
        "the shape in current model is (4, 3).",
    ]
    for key, value in model.state_dict().items():
        same(value.numpy(), before[key])  # unchanged


# ------------------------------------------------------------------ atomic writes
def _interrupted_writer(calls: list[str]) -> Any:
    def write(tensors: dict[str, Any], filename: str, metadata: Any = None) -> None:
        calls.append(filename)
        with open(filename, "wb") as f:  # noqa: PTH123 - a stand-in for the real writer
            f.write(b"\x08\x00\x00\x00\x00\x00\x00\x00{")  # a torn header
        raise OSError("disk full")

    return write


def test_an_interrupted_save_leaves_the_previous_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "w.safetensors"
    save({"w": sg.ones(3)}, path)
    calls: list[str] = []
    monkeypatch.setattr(safetensors.numpy, "save_file", _interrupted_writer(calls))
    with pytest.raises(OSError, match="disk full"):
        save({"w": sg.zeros(3), "extra": sg.zeros(1)}, path)
    assert Path(calls[0]).parent == tmp_path and Path(calls[0]) != path  # a temporary file
    assert load(path)["w"].tolist() == [1.0, 1.0, 1.0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.safetensors"]  # no leftovers


def test_a_keyboard_interrupt_during_save_also_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(tensors: Any, filename: str, metadata: Any = None) -> None:
        Path(filename).write_bytes(b"partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(safetensors.numpy, "save_file", interrupted)
    with pytest.raises(KeyboardInterrupt):
        save({"w": sg.ones(1)}, tmp_path / "new.safetensors")
    assert list(tmp_path.iterdir()) == []


def test_save_replaces_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "w.safetensors"
    save({"a": sg.ones(2)}, path)
    save({"b": sg.zeros(1)}, str(path))
    assert list(load(path)) == ["b"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.safetensors"]


# ------------------------------------------------------------------ bad files, no pickle
def test_broken_and_missing_files_give_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "missing.safetensors")
    good = tmp_path / "good.safetensors"
    save({"w": sg.ones(100)}, good)
    truncated = tmp_path / "truncated.safetensors"
    truncated.write_bytes(good.read_bytes()[:-50])
    garbage = tmp_path / "garbage.safetensors"
    garbage.write_bytes(b"not a weight file at all")
    for path in (truncated, garbage):
        with pytest.raises(ValueError, match="not a valid safetensors file"):
            load(path)
        with pytest.raises(ValueError, match="not a valid safetensors file"):
            load_metadata(path)


def test_a_file_with_a_dtype_numpy_lacks_is_rejected_by_name(tmp_path: Path) -> None:
    path = tmp_path / "bf16.safetensors"
    safetensors.torch.save_file(
        {"a": torch.ones(2, dtype=torch.bfloat16), "b": torch.ones(2)}, path
    )
    with pytest.raises(TypeError, match="'a': 'BF16'"):
        load(path)


class _Payload:
    """Unpickling this would create the marker file: code execution on load."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.touch, (self.marker,))


def test_loading_a_pickle_file_executes_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    hostile = tmp_path / "model.safetensors"
    hostile.write_bytes(pickle.dumps({"w": _Payload(marker)}))
    legacy = tmp_path / "legacy.pt"  # torch < 1.6's format: a bare pickle
    torch.save({"w": _Payload(marker)}, legacy, _use_new_zipfile_serialization=False)
    for path in (hostile, legacy):
        message = "not a valid safetensors file .*looks like serialized Python objects"
        with pytest.raises(ValueError, match=message):
            load(path)
    assert not marker.exists()
    current = tmp_path / "current.pt"  # torch's zip format: pickle inside, refused too
    torch.save({"w": _Payload(marker)}, current)
    with pytest.raises(ValueError, match="PyTorch's zip format of serialized objects.*safetensors"):
        load(current)
    assert not marker.exists()


def test_the_module_never_imports_or_calls_pickle() -> None:
    source = Path(serialization.__file__).read_text()
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert imported.isdisjoint({"pickle", "_pickle", "dill", "cloudpickle", "shelve", "torch"})
    assert "allow_pickle" not in source and "np.load(" not in source
    assert "safetensors" in imported


def test_temporary_files_are_hidden_next_to_the_target(tmp_path: Path, monkeypatch: Any) -> None:
    seen: list[str] = []
    real = safetensors.numpy.save_file

    def spy(tensors: Any, filename: str, metadata: Any = None) -> None:
        seen.append(filename)
        assert not (tmp_path / "w.safetensors").exists()  # the target appears only at the end
        real(tensors, filename, metadata=metadata)

    monkeypatch.setattr(safetensors.numpy, "save_file", spy)
    save({"w": sg.ones(1)}, tmp_path / "w.safetensors")
    assert os.path.dirname(seen[0]) == str(tmp_path)  # noqa: PTH120
    assert Path(seen[0]).name.startswith(".w.safetensors.")
    assert load(tmp_path / "w.safetensors")["w"].tolist() == [1.0]


# ------------------------------------------------------------------ checkpoints: any object
def trained(seed: int = 0) -> tuple[Any, Any]:
    sg.manual_seed(seed)
    model = snn.Sequential(snn.Linear(3, 4), snn.ReLU(), snn.Linear(4, 2))
    opt = sg.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(2):
        opt.zero_grad()
        model(sg.randn(5, 3)).pow(2).mean().backward()
        opt.step()
    return model, opt


def same_tree(a: Any, b: Any) -> None:
    """Equal structure, types, and values; tensors compared by dtype, shape and data."""
    assert type(a) is type(b), (a, b)
    if isinstance(a, sg.Tensor | np.ndarray):
        same(
            np.asarray(a.array if isinstance(a, sg.Tensor) else a),
            np.asarray(b.array if isinstance(b, sg.Tensor) else b),
        )
    elif isinstance(a, dict):
        assert list(a) == list(b)
        for k in a:
            same_tree(a[k], b[k])
    elif isinstance(a, list | tuple):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            same_tree(x, y)
    elif isinstance(a, float) and np.isnan(a):
        assert np.isnan(b)
    else:
        assert a == b


def checkpoint() -> dict[str, Any]:
    model, opt = trained()
    return {
        "model": model.state_dict(),
        "optim": opt.state_dict(),  # int keys, nested dicts, tuples (betas)
        "epoch": 3,
        "best": 0.25,
        "flags": [True, None, "text", -0.0, float("inf"), float("nan")],
        "by_int": {0: "a", -7: "b", 2.5: "c", None: "d", True: "e"},
        "tensors": (sg.arange(3), sg.zeros(2, 0), sg.tensor(1.5, dtype=sg.float64)),
        "arrays": [np.arange(4, dtype=np.int16), np.float32(2.5), np.int64(7), np.bool_(True)],
        "empty": {"list": [], "dict": {}, "tuple": ()},
    }


@pytest.mark.parametrize("target", ["path", "str", "bytesio", "file"])
def test_a_checkpoint_round_trips_through_paths_and_file_objects(
    tmp_path: Path, target: str
) -> None:
    ckpt, path = checkpoint(), tmp_path / "ckpt.pt"
    if target == "bytesio":
        buffer = io.BytesIO()
        save(ckpt, buffer)
        buffer.seek(0)
        loaded = load(buffer)
    elif target == "file":
        with path.open("wb") as f:
            save(ckpt, f)
        with path.open("rb") as f:
            loaded = load(f)
    else:
        save(ckpt, path if target == "path" else str(path))
        loaded = load(path if target == "path" else str(path))
    same_tree(ckpt, loaded)
    assert isinstance(loaded["arrays"][1], np.float32) and loaded["arrays"][2] == 7


def test_a_loaded_checkpoint_resumes_training_exactly(tmp_path: Path) -> None:
    model, opt = trained()
    save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 2}, tmp_path / "c")
    ckpt = load(tmp_path / "c")
    fresh, fresh_opt = trained(seed=1)  # different weights and moments
    fresh.load_state_dict(ckpt["model"])
    fresh_opt.load_state_dict(ckpt["optim"])
    x = sg.randn(5, 3)
    for m, o in ((model, opt), (fresh, fresh_opt)):
        o.zero_grad()
        m(x).pow(2).mean().backward()
        o.step()
    for a, b in zip(model.parameters(), fresh.parameters(), strict=True):
        same(a.detach().numpy(), b.detach().numpy())


def test_parameters_requires_grad_and_shared_tensors_survive(tmp_path: Path) -> None:
    p = snn.Parameter(sg.ones(2, 2))
    leaf = sg.zeros(3, requires_grad=True)
    base = sg.arange(6.0).reshape(2, 3)
    save({"p": p, "again": p, "leaf": leaf, "base": base, "view": base.T}, tmp_path / "c")
    out = load(tmp_path / "c")
    assert type(out["p"]) is snn.Parameter and out["p"].requires_grad
    assert out["again"] is out["p"]  # one object saved once, loaded once
    assert out["leaf"].requires_grad and type(out["leaf"]) is sg.Tensor
    assert out["view"].tolist() == base.T.tolist()
    out["base"].array[0, 0] = 9  # views were saved as copies: they no longer share memory
    assert out["view"].array[0, 0] == 0


def test_a_checkpoint_is_a_safetensors_file_with_readable_names(tmp_path: Path) -> None:
    save(checkpoint(), tmp_path / "c.pt")
    names = set(safetensors.torch.load_file(tmp_path / "c.pt"))
    assert {"model/0.weight", "optim/state/0/exp_avg", "tensors/1"} <= names
    assert load_metadata(tmp_path / "c.pt") == {}
    save({"n": 1}, tmp_path / "d.pt", metadata={"run": "7"})
    assert load_metadata(tmp_path / "d.pt") == {"run": "7"}
    with pytest.raises(ValueError, match="reserved"):
        save({"n": 1}, tmp_path / "d.pt", metadata={"scratchgrad.tree": "{}"})


def test_a_flat_state_dict_keeps_todays_format(tmp_path: Path) -> None:
    save({"w": sg.ones(2)}, tmp_path / "w.safetensors")
    with safetensors.safe_open(tmp_path / "w.safetensors", framework="np") as f:
        assert set(f.metadata()) == {"scratchgrad.keys"}  # no structure tree
    assert list(load(tmp_path / "w.safetensors")) == ["w"]
    save({}, tmp_path / "empty.safetensors")
    assert load(tmp_path / "empty.safetensors") == {}


class Opaque:
    pass


@pytest.mark.parametrize(
    ("obj", "error", "match"),
    [
        (OurNet(), TypeError, r"obj is a whole Module \(Net\).*model\.state_dict\(\)"),
        ({"model": OurNet()}, TypeError, r"obj\['model'\] is a whole Module"),
        (
            {"opt": trained()[1]},
            TypeError,
            r"obj\['opt'\] is an object of type Adam; save its \.state_dict",
        ),
        (
            {"opt": {"state": {0: Opaque()}}},
            TypeError,
            r"obj\['opt'\]\['state'\]\[0\] \(type Opaque\)",
        ),
        ([1, print], TypeError, r"obj\[1\] \(type builtin_function_or_method\)"),
        ({(1, 2): sg.ones(1)}, TypeError, r"obj has a key of type tuple"),
        ({"c": 1j}, TypeError, r"obj\['c'\] \(type complex\)"),
        ({"t": sg.ones(1), "c": np.zeros(1, np.complex64)}, TypeError, "complex64"),
    ],
)
def test_objects_a_checkpoint_cannot_hold_are_refused_by_path(
    tmp_path: Path, obj: Any, error: type, match: str
) -> None:
    for target in (tmp_path / "x.pt", io.BytesIO()):
        with pytest.raises(error, match=match):
            save(obj, target)
    assert not (tmp_path / "x.pt").exists()


def test_a_container_that_contains_itself_is_refused(tmp_path: Path) -> None:
    loop: list[Any] = [1]
    loop.append({"again": loop})
    with pytest.raises(ValueError, match=r"obj\[1\]\['again'\] contains itself"):
        save(loop, tmp_path / "x.pt")


@pytest.mark.parametrize(
    "map_location",
    [None, "cpu", "cpu:0", torch.device("cpu"), {"cpu": "cpu"}, {"cuda:0": "cpu"}],
)
def test_map_location_to_the_cpu_is_accepted(tmp_path: Path, map_location: Any) -> None:
    save({"w": sg.ones(2), "n": 1}, tmp_path / "c")
    loaded = load(tmp_path / "c", map_location, weights_only=True, mmap=False)
    assert loaded["w"].tolist() == [1.0, 1.0]
    assert load(tmp_path / "c", map_location=map_location, weights_only=False)["n"] == 1


def test_map_location_functions_are_called_per_tensor(tmp_path: Path) -> None:
    save({"w": sg.ones(2, 2), "b": sg.zeros(3)}, tmp_path / "c")
    seen: list[tuple[tuple[int, ...], str]] = []

    def to_cpu(storage: Any, location: str) -> Any:
        seen.append((storage.shape, location))
        return storage

    assert load(tmp_path / "c", map_location=to_cpu)["w"].shape == (2, 2)
    assert sorted(seen) == [((3,), "cpu"), ((4,), "cpu")]
    assert load(tmp_path / "c", map_location=lambda s, loc: None)["b"].shape == (3,)
    with pytest.raises(TypeError, match="map_location returned a str"):
        load(tmp_path / "c", map_location=lambda s, loc: "cpu")


@pytest.mark.parametrize(
    "map_location", ["cuda", "cuda:1", "mps", torch.device("cuda", 0), {"cpu": "cuda:0"}]
)
def test_map_location_to_a_gpu_is_refused_clearly(tmp_path: Path, map_location: Any) -> None:
    save({"w": sg.ones(2)}, tmp_path / "c")
    with pytest.raises(RuntimeError, match="CPU only.*map_location='cpu'"):
        load(tmp_path / "c", map_location=map_location)


def test_bad_file_arguments_are_refused(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="f must be a path or a binary file object, got int"):
        save({"w": sg.ones(1)}, 3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="f must be a path or a binary file object, got list"):
        load([])  # type: ignore[arg-type]
    save({"w": sg.ones(1)}, tmp_path / "w")
    with (tmp_path / "w").open(encoding="latin1") as text, pytest.raises(TypeError, match="'rb'"):
        load(text)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="map_location must be"):
        load(tmp_path / "w", map_location=3)


def test_broken_checkpoints_name_the_file(tmp_path: Path) -> None:
    good = io.BytesIO()
    save(checkpoint(), good)
    data = good.getvalue()
    with pytest.raises(ValueError, match="<BytesIO> is not a valid safetensors file"):
        load(io.BytesIO(data[:-20]))
    truncated = tmp_path / "truncated.pt"
    truncated.write_bytes(data[:-20])
    with truncated.open("rb") as f, pytest.raises(ValueError, match="truncated.pt is not a valid"):
        load(f)
    # a structure tree that does not match the tensors
    ok = tmp_path / "ok.pt"
    ok.write_bytes(data)
    with safetensors.safe_open(ok, framework="np") as f:
        tree = f.metadata()["scratchgrad.tree"]
    arrays = safetensors.numpy.load(data)
    for bad_tree in (
        tree.replace('"tensor": "model/0.weight"', '"tensor": "gone"'),
        "{not json",
        '{"set": []}',
    ):
        path = tmp_path / "bad-tree.pt"
        safetensors.numpy.save_file(arrays, path, metadata={"scratchgrad.tree": bad_tree})
        with pytest.raises(ValueError, match="bad-tree.pt"):
            load(path)
