"""Weight files: safetensors round trips, interop with torch, atomic writes, no pickle."""

import pytest

pytest.importorskip("safetensors")

import ast  # noqa: E402
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
        p.data[...] = RNG.standard_normal(p.shape)
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
        expected = value.data if isinstance(value, sg.Tensor) else value
        assert isinstance(loaded[key], sg.Tensor)
        same(loaded[key].numpy(), expected.astype(expected.dtype.newbyteorder("=")))
    loaded["ints"].data[0, 0] = 7  # writable
    assert str(loaded["big_endian"].dtype) == "int32"


def test_saving_a_module_saves_its_state_dict(tmp_path: Path) -> None:
    model = randomized(OurNet())
    model.count.data[...] = 3
    save(model, tmp_path / "m.safetensors")
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
        ([1.0, 2.0], "not a Tensor"),
    ],
)
def test_unsupported_values_are_rejected_clearly(tmp_path: Path, value: Any, match: str) -> None:
    path = tmp_path / "bad.safetensors"
    with pytest.raises(TypeError, match=match):
        save({"ok": sg.ones(1), "bad": value}, path)
    assert not path.exists()
    with pytest.raises(TypeError, match="names must be str"):
        save({1: sg.ones(1)}, path)  # type: ignore[dict-item]


# ------------------------------------------------------------------ interop with torch
def test_a_file_saved_here_loads_in_torch_and_into_the_torch_module(tmp_path: Path) -> None:
    model = randomized(OurNet())
    path = tmp_path / "ours.safetensors"
    save(model, path)
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
    torch_file = tmp_path / "torch.pt"
    torch.save({"w": torch.ones(2)}, torch_file)
    for path in (hostile, torch_file):
        with pytest.raises(ValueError, match="not a valid safetensors file"):
            load(path)
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
