"""PyTorch's own torch.save files, read with an allow-list unpickler: data only, no code."""

import pytest

pytest.importorskip("safetensors")

import ast  # noqa: E402
import io  # noqa: E402
import os  # noqa: E402
import pickle  # noqa: E402 - only to build hostile files; the reader allow-lists globals
import zipfile  # noqa: E402
from collections import OrderedDict  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

import scratchgrad as sg  # noqa: E402
import scratchgrad.nn as snn  # noqa: E402
from scratchgrad import torch_checkpoint  # noqa: E402
from scratchgrad._map_location import check_map_location, restore_location  # noqa: E402
from scratchgrad.torch_checkpoint import (  # noqa: E402
    ALLOWED_GLOBALS,
    UnsafeCheckpointError,
    load_torch_checkpoint,
)

torch.manual_seed(0)


def same_tree(ours: Any, theirs: Any) -> None:
    """Our loaded object equals torch's: same containers, keys, dtypes, shapes and values."""
    if isinstance(theirs, torch.Tensor):
        assert isinstance(ours, sg.Tensor), type(ours)
        assert type(ours) is (
            snn.Parameter if isinstance(theirs, torch.nn.Parameter) else sg.Tensor
        )
        assert ours.requires_grad == theirs.requires_grad
        expected = theirs.detach().numpy()
        assert ours.array.dtype == expected.dtype and ours.shape == expected.shape
        np.testing.assert_array_equal(ours.array, expected)
        assert ours.array.flags.writeable and ours.array.flags.c_contiguous
    elif isinstance(theirs, dict):
        assert type(ours) is type(theirs) and list(ours) == list(theirs)
        for k in theirs:
            same_tree(ours[k], theirs[k])
    elif isinstance(theirs, list | tuple):
        assert type(ours) is type(theirs) and len(ours) == len(theirs)
        for a, b in zip(ours, theirs, strict=True):
            same_tree(a, b)
    else:
        assert type(ours) is type(theirs) and ours == theirs


def saved(obj: Any, path: Path) -> Path:
    torch.save(obj, path)
    return path


def rewritten(path: Path, change: Callable[[str, bytes], bytes | None]) -> Path:
    """A copy of a torch zip file with each record passed through ``change`` (None drops it)."""
    out = path.with_name("changed-" + path.name)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            data = change(name, src.read(name))
            if data is not None:
                dst.writestr(name, data)
    return out


def with_pickle(path: Path, data: bytes) -> Path:
    return rewritten(path, lambda n, b: data if n.endswith("/data.pkl") else b)


# ------------------------------------------------------------------ state dicts and checkpoints
MODELS = {
    "linear": lambda: torch.nn.Linear(4, 3),
    "conv": lambda: torch.nn.Conv2d(2, 4, 3, padding=1),
    "batchnorm": lambda: torch.nn.BatchNorm2d(3),  # running stats + int64 num_batches_tracked
    "lstm": lambda: torch.nn.LSTM(4, 5, num_layers=2),
    "double": lambda: torch.nn.Linear(2, 2).double(),
    "half": lambda: torch.nn.Linear(2, 2).half(),
}


@pytest.mark.parametrize("kind", MODELS)
def test_a_torch_state_dict_loads_with_equal_arrays(tmp_path: Path, kind: str) -> None:
    model = MODELS[kind]()
    if kind == "batchnorm":
        model(torch.randn(4, 3, 2, 2))  # running statistics and the step count move
    loaded = sg.load(saved(model.state_dict(), tmp_path / "m.pt"))
    same_tree(loaded, model.state_dict())
    assert isinstance(loaded, OrderedDict)


@pytest.mark.parametrize(
    ("theirs", "ours", "x_shape"),
    [
        (torch.nn.Linear(4, 3), snn.Linear(4, 3), (2, 4)),
        (torch.nn.Conv2d(2, 4, 3, padding=1), snn.Conv2d(2, 4, 3, padding=1), (1, 2, 5, 5)),
        (torch.nn.BatchNorm2d(3), snn.BatchNorm2d(3), (4, 3, 2, 2)),
    ],
)
def test_a_torch_state_dict_drives_our_module_to_the_same_output(
    tmp_path: Path, theirs: Any, ours: Any, x_shape: tuple[int, ...]
) -> None:
    x = np.random.default_rng(0).standard_normal(x_shape).astype(np.float32)
    theirs.train()(torch.tensor(x))
    theirs.eval()
    assert not ours.load_state_dict(
        sg.load(saved(theirs.state_dict(), tmp_path / "m.pt"))
    ).missing_keys
    ours.eval()
    np.testing.assert_allclose(
        ours(sg.tensor(x)).detach().numpy(), theirs(torch.tensor(x)).detach().numpy(), atol=1e-5
    )


def test_a_training_checkpoint_with_optimizer_state_loads_whole(tmp_path: Path) -> None:
    model = torch.nn.Sequential(
        torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.Linear(4, 1)
    )
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(2):
        opt.zero_grad()
        model(torch.randn(8, 3)).pow(2).mean().backward()
        opt.step()
    ckpt = {
        "model": model.state_dict(),
        "optim": opt.state_dict(),  # int keys, tensors, tuples, None, bools
        "epoch": 3,
        "loss": 0.125,
        "history": [1.0, 0.5],
        "names": ("a", "b"),
        "flags": {True, False},
        "note": "text",
        "raw": b"\x00\xff",
        "nothing": None,
    }
    loaded = sg.load(saved(ckpt, tmp_path / "ckpt.pth"))
    same_tree(
        {k: v for k, v in loaded.items() if k != "flags"},
        {k: v for k, v in ckpt.items() if k != "flags"},
    )
    assert loaded["flags"] == {True, False}
    assert sorted(loaded["optim"]["state"]) == list(range(6))


def test_non_contiguous_views_and_shared_storages_become_copies(tmp_path: Path) -> None:
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6)
    tensors = {
        "base": base,
        "transposed": base.T,
        "strided": base[1:, ::2],
        "offset": base[2],
        "expanded": torch.ones(3, 1).expand(3, 4),  # stride 0
        "scalar": base[1, 1],
        "empty": base[:0],
        "ints": torch.arange(6).reshape(2, 3).T,
        "flags": torch.tensor([[True, False], [False, True]]).T,
        "bytes": torch.arange(5, dtype=torch.uint8),
        "small": torch.arange(5, dtype=torch.int8) - 2,
        "shorts": torch.arange(5, dtype=torch.int16),
        "int32": torch.arange(5, dtype=torch.int32),
        "param": torch.nn.Parameter(torch.randn(2, 2)),
        "frozen": torch.nn.Parameter(torch.randn(2), requires_grad=False),
        "grad": torch.randn(2, requires_grad=True),
    }
    loaded = sg.load(saved(tensors, tmp_path / "v.pt"))
    same_tree(loaded, tensors)
    loaded["base"].array[0, 0] = 100.0  # copies: writing one leaves the others alone
    assert loaded["transposed"].array[0, 0] == 0.0


def test_file_objects_and_map_location_work_as_in_torch(tmp_path: Path) -> None:
    sd = torch.nn.Linear(2, 2).state_dict()
    buffer = io.BytesIO()
    torch.save(sd, buffer)
    buffer.seek(0)
    same_tree(sg.load(buffer, map_location="cpu", weights_only=True), sd)
    path = saved(sd, tmp_path / "m.pt")
    with path.open("rb") as f:
        same_tree(sg.load(f, map_location=torch.device("cpu")), sd)
    same_tree(sg.load(path, map_location={"cuda:0": "cpu"}), sd)
    same_tree(sg.load(str(path), map_location=lambda storage, loc: storage), sd)
    with pytest.raises(RuntimeError, match="CPU only"):
        sg.load(path, map_location="cuda")


def on_gpu(path: Path) -> Path:
    """The file as torch writes it for tensors on cuda:0 (storage location tags changed)."""
    cpu, cuda = b"X\x03\x00\x00\x00cpu", b"X\x06\x00\x00\x00cuda:0"
    return rewritten(path, lambda n, b: b.replace(cpu, cuda) if n.endswith("/data.pkl") else b)


def test_tensors_saved_on_a_gpu_need_map_location(tmp_path: Path) -> None:
    sd = {"w": torch.randn(3, 2), "b": torch.zeros(2)}
    gpu = on_gpu(saved(sd, tmp_path / "gpu.pt"))
    with pytest.raises(
        RuntimeError, match=r"gpu.pt: a tensor would go to device cuda:0.*map_location='cpu'"
    ):
        sg.load(gpu)
    for where in ("cpu", torch.device("cpu"), {"cuda:0": "cpu"}, lambda s, loc: s):
        same_tree(sg.load(gpu, map_location=where), sd)
    with pytest.raises(RuntimeError, match="cuda:0"):
        sg.load(gpu, map_location=lambda s, loc: None)  # None: keep the saved location
    with pytest.raises(RuntimeError, match="map_location raised"):
        sg.load(gpu, map_location=lambda s, loc: s.cuda())


def test_big_endian_files_are_read_in_their_byte_order(tmp_path: Path) -> None:
    values = torch.tensor([1.5, -2.0, 3.25])
    path = saved({"w": values}, tmp_path / "le.pt")

    def to_big(name: str, data: bytes) -> bytes:
        if name.endswith("/byteorder"):
            return b"big"
        if "/data/" in name:
            return np.frombuffer(data, "<f4").astype(">f4").tobytes()
        return data

    loaded = sg.load(rewritten(path, to_big))["w"]
    assert loaded.dtype == np.float32 and loaded.tolist() == [1.5, -2.0, 3.25]


def test_dtypes_numpy_lacks_are_named(tmp_path: Path) -> None:
    for dtype, name in (
        (torch.bfloat16, "BFloat16Storage"),
        (torch.complex64, "ComplexFloatStorage"),
    ):
        with pytest.raises(TypeError, match=f"holds a {name}.*convert it"):
            sg.load(saved({"w": torch.ones(2, dtype=dtype)}, tmp_path / "x.pt"))


# ------------------------------------------------------------------ hostile and broken files
class Payload:
    """Unpickling this would run ``fn(*args)``: here, create a marker file."""

    def __init__(self, fn: Any, *args: Any) -> None:
        self.fn, self.args = fn, args

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.fn, self.args)


def hostile_payloads(marker: Path) -> dict[str, Payload]:
    return {
        "os.system": Payload(os.system, f"touch {marker}"),
        "builtins.eval": Payload(eval, f"open({str(marker)!r}, 'w')"),
        "pathlib.Path.touch": Payload(Path.touch, marker),
        "builtins.exec": Payload(exec, f"open({str(marker)!r}, 'w')"),
    }


HOSTILE = {  # payload -> the global the pickle names (a method goes through getattr)
    "os.system": r"(posix|os)\.system",
    "builtins.eval": r"builtins\.eval",
    "builtins.exec": r"builtins\.exec",
    "pathlib.Path.touch": r"builtins\.getattr",
}


@pytest.mark.parametrize(("payload", "named"), HOSTILE.items())
def test_a_hostile_global_is_refused_without_running(
    tmp_path: Path, payload: str, named: str
) -> None:
    marker = tmp_path / "pwned"
    hostile = hostile_payloads(marker)[payload]
    # inside a real state dict, pickled by torch itself
    inside = saved({"w": torch.ones(2), "x": hostile}, tmp_path / "inside.pt")
    # as the whole pickle, written by hand into torch's layout
    alone = with_pickle(
        saved({"w": torch.ones(2)}, tmp_path / "alone.pt"), pickle.dumps(hostile, 2)
    )
    for path in (inside, alone):
        for weights_only in (None, True, False):
            with pytest.raises(UnsafeCheckpointError, match=f"refers to the global {named},"):
                sg.load(path, weights_only=weights_only)
            with pytest.raises(pickle.UnpicklingError, match="never runs code"):
                sg.load(io.BytesIO(path.read_bytes()), weights_only=weights_only)
    assert not marker.exists()


def test_a_whole_pickled_model_is_refused_by_class_name(tmp_path: Path) -> None:
    path = saved(torch.nn.Linear(2, 2), tmp_path / "model.pt")
    with pytest.raises(UnsafeCheckpointError, match=r"global torch\.nn\.modules\.linear\.Linear"):
        sg.load(path)


def test_build_on_an_allowed_global_is_refused(tmp_path: Path) -> None:
    # GLOBAL torch._utils._rebuild_tensor_v2; EMPTY_DICT; BUILD: set attributes on it
    data = b"\x80\x02ctorch._utils\n_rebuild_tensor_v2\n}b."
    path = with_pickle(saved({"w": torch.ones(1)}, tmp_path / "m.pt"), data)
    with pytest.raises(UnsafeCheckpointError, match="set the state"):
        sg.load(path)
    assert not hasattr(ALLOWED_GLOBALS["torch._utils._rebuild_tensor_v2"], "__dict__")


def test_newobj_and_persistent_ids_cannot_reach_other_objects(tmp_path: Path) -> None:
    base = saved({"w": torch.ones(1)}, tmp_path / "m.pt")
    newobj = b"\x80\x02ccollections\nOrderedDict\n)\x81."  # cls.__new__(cls): needs a type
    pid = b"\x80\x02X\x03\x00\x00\x00abcQ."  # a persistent id that is not a storage
    for data, match in (
        (newobj, "not a valid PyTorch checkpoint"),
        (pid, "unexpected persistent id"),
    ):
        with pytest.raises((ValueError, UnsafeCheckpointError), match=match):
            sg.load(with_pickle(base, data))


def test_the_allow_list_hands_out_only_our_own_objects() -> None:
    for name, value in ALLOWED_GLOBALS.items():
        assert type(value).__module__ == "scratchgrad.torch_checkpoint", name
        assert (
            getattr(value, "fn", None) is None
            or value.fn.__module__ == "scratchgrad.torch_checkpoint"
        )
    source = Path(torch_checkpoint.__file__).read_text()
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert "torch" not in imported
    assert "import_module" not in source and "__import__" not in source and "eval(" not in source


def test_broken_torch_files_name_the_file(tmp_path: Path) -> None:
    path = saved({"w": torch.ones(100), "b": torch.zeros(3)}, tmp_path / "m.pt")
    data = path.read_bytes()
    truncated = tmp_path / "truncated.pt"
    truncated.write_bytes(data[: len(data) // 2])
    cases = {
        truncated: "truncated.pt is not a valid PyTorch checkpoint",
        rewritten(
            path, lambda n, b: None if n.endswith("/data.pkl") else b
        ): "without one <archive>/data.pkl",
        rewritten(path, lambda n, b: None if n.endswith("/data/0") else b): "data/0 is missing",
        rewritten(path, lambda n, b: b[:8] if n.endswith("/data/0") else b): "fewer than",
        rewritten(
            path, lambda n, b: b"not a pickle" if n.endswith("/data.pkl") else b
        ): "not a valid",
        rewritten(path, lambda n, b: b"middle" if n.endswith("/byteorder") else b): "byte order",
    }
    for broken, match in cases.items():
        with pytest.raises(ValueError, match=match) as err:
            sg.load(broken)
        assert broken.name in str(err.value)
    with pytest.raises(ValueError, match=r"<BytesIO> is not a valid PyTorch checkpoint"):
        sg.load(io.BytesIO(truncated.read_bytes()))


def test_out_of_bounds_views_are_refused(tmp_path: Path) -> None:
    path = saved({"w": torch.arange(4.0)}, tmp_path / "m.pt")
    # size (4,) -> (9,): a view reading past its 4-element storage
    bigger = rewritten(
        path, lambda n, b: b.replace(b"K\x04\x85", b"K\x09\x85") if n.endswith("/data.pkl") else b
    )
    with pytest.raises(ValueError, match="reads past its storage of 4 elements"):
        sg.load(bigger)


@pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated:DeprecationWarning")
def test_a_torchscript_archive_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "script.pt"
    torch.jit.script(torch.nn.Linear(2, 2)).save(str(path))
    with pytest.raises(ValueError, match="TorchScript"):
        sg.load(path)


# ------------------------------------------------------------------ the helpers
def test_check_and_restore_location() -> None:
    check_map_location(None)
    check_map_location({"cuda:0": "cpu"})
    with pytest.raises(RuntimeError, match="device cuda:1"):
        check_map_location("cuda:1")
    storage = np.arange(4.0)
    assert restore_location(storage, "cpu", None) is storage
    assert restore_location(storage, "cuda:0", "cpu") is storage
    out = restore_location(storage.reshape(2, 2), "cpu", lambda s, loc: s * 2)
    assert out.shape == (2, 2) and out.tolist() == [[0.0, 2.0], [4.0, 6.0]]
    with pytest.raises(RuntimeError, match="device mps"):
        restore_location(storage, "mps", None, "f.pt")


def test_load_torch_checkpoint_directly(tmp_path: Path) -> None:
    sd = torch.nn.Linear(2, 2).state_dict()
    same_tree(load_torch_checkpoint(saved(sd, tmp_path / "m.pt")), sd)
