"""The package as a whole: imports, public names (vs torch), docstrings, forbidden modules."""

import ast
import importlib
import inspect
import os
import subprocess
import sys
import tomllib
import types
from pathlib import Path

import numpy as np
import pytest
import torch

import scratchgrad as sg

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "scratchgrad"
CORE_MODULES = ["creation", "random", "dtypes", "autograd", "tensor", "errors", "_format"]

# torch's top-level names that scratchgrad promises; each is checked to exist in torch too
# fmt: off
TORCH_NAMES = [
    "tensor", "as_tensor", "from_numpy", "zeros", "ones", "empty", "full", "zeros_like",
    "ones_like", "empty_like", "full_like", "arange", "linspace", "eye", "rand", "randn",
    "randint", "randperm", "rand_like", "randn_like",
    "add", "sub", "mul", "div", "exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu",
    "abs", "clamp", "clip", "maximum", "minimum", "where", "sum", "mean", "max", "min",
    "argmax", "std", "var", "norm", "logsumexp", "cat", "concat", "stack", "split", "chunk",
    "reshape", "transpose", "permute", "squeeze", "unsqueeze", "flatten", "matmul", "dot",
    "outer", "einsum", "gather", "broadcast_to", "broadcast_shapes",
    "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled", "manual_seed",
    "Generator", "Tensor",
    "float32", "float64", "float16", "int8", "int16", "int32", "int64", "uint8", "bool",
    "float", "double", "half", "int", "long", "promote_types", "result_type",
    "get_default_dtype", "set_default_dtype",
]
# fmt: on


def _kind(obj: object) -> str:
    if isinstance(obj, np.dtype | torch.dtype | sg.dtypes.UnsupportedDType):
        return "dtype"  # bfloat16 is named, and refused when used
    if isinstance(obj, types.ModuleType):
        return "module"
    if inspect.isclass(obj):
        return "class"
    return "callable" if callable(obj) else type(obj).__name__


# ------------------------------------------------------------------ import
def test_importing_scratchgrad_does_not_import_torch() -> None:
    code = "import scratchgrad, sys; assert 'torch' not in sys.modules, 'torch was imported'"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr


def test_no_module_imports_pickle_or_torch() -> None:
    forbidden = {"pickle", "cPickle", "_pickle", "dill", "cloudpickle", "shelve", "torch"}
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            else:
                continue
            offenders += [
                f"{path.relative_to(ROOT)}:{node.lineno} {n}"
                for n in names
                if n.split(".")[0] in forbidden
            ]
    assert not offenders


def test_no_module_loads_arrays_with_pickle_allowed() -> None:
    hits = [
        str(p.relative_to(ROOT)) for p in SRC.rglob("*.py") if "allow_pickle=True" in p.read_text()
    ]
    assert not hits


def test_the_scan_above_sees_the_core_modules() -> None:
    found = {p.stem for p in SRC.glob("*.py")} | {p.parent.name for p in SRC.glob("*/__init__.py")}
    assert set(CORE_MODULES) <= found


def test_version_matches_pyproject() -> None:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert sg.__version__ == meta["project"]["version"]


# ------------------------------------------------------------------ public names
@pytest.mark.parametrize("name", TORCH_NAMES)
def test_torch_top_level_names_exist_with_the_same_kind(name: str) -> None:
    assert hasattr(torch, name), f"torch has no {name}: fix the list"
    assert hasattr(sg, name), f"scratchgrad has no top-level {name}"
    assert _kind(getattr(sg, name)) == _kind(getattr(torch, name))


def test_every_shared_name_has_torchs_kind() -> None:
    shared = [n for n in sg.__all__ if hasattr(torch, n)]
    assert len(shared) > 100
    mismatched = [
        (n, _kind(getattr(sg, n)), _kind(getattr(torch, n)))
        for n in shared
        if _kind(getattr(sg, n)) != _kind(getattr(torch, n))
    ]
    assert not mismatched


def test_dunder_all_lists_resolvable_unique_names() -> None:
    assert len(sg.__all__) == len(set(sg.__all__))
    missing = [n for n in sg.__all__ if not hasattr(sg, n)]
    assert not missing


def test_every_public_non_module_name_is_in_dunder_all() -> None:
    public = {
        n
        for n in dir(sg)
        if not n.startswith("_") and not isinstance(getattr(sg, n), types.ModuleType)
    }
    assert public - set(sg.__all__) == set()


def test_top_level_names_are_the_functions_not_the_modules() -> None:
    importlib.import_module("scratchgrad.tensor")
    importlib.import_module("scratchgrad.random")
    assert callable(sg.tensor) and not isinstance(sg.tensor, types.ModuleType)
    assert sg.tensor([1.0]).shape == (1,)
    assert sg.Tensor is importlib.import_module("scratchgrad.tensor").Tensor


@pytest.mark.parametrize("module", ["creation", pytest.param("random"), "dtypes", "autograd"])
def test_core_module_names_that_torch_has_are_exported(module: str) -> None:
    mod = importlib.import_module(f"scratchgrad.{module}")
    missing = [n for n in mod.__all__ if hasattr(torch, n) and not hasattr(sg, n)]
    assert not missing


# ------------------------------------------------------------------ docstrings
def _public_objects() -> list[tuple[str, object]]:
    return [
        (n, getattr(sg, n))
        for n in sg.__all__
        if inspect.isfunction(getattr(sg, n)) or inspect.isclass(getattr(sg, n))
    ]


def test_every_public_function_and_class_has_a_docstring() -> None:
    objs = _public_objects()
    assert len(objs) > 100
    undocumented = [n for n, o in objs if not (o.__doc__ or "").strip()]
    assert not undocumented


@pytest.mark.parametrize("module", ["creation", "random", "dtypes", "autograd", "errors"])
def test_every_core_module_name_has_a_docstring(module: str) -> None:
    mod = importlib.import_module(f"scratchgrad.{module}")
    assert (mod.__doc__ or "").strip()
    undocumented = [
        n
        for n in mod.__all__
        if (inspect.isfunction(getattr(mod, n)) or inspect.isclass(getattr(mod, n)))
        and not (getattr(mod, n).__doc__ or "").strip()
    ]
    assert not undocumented


def test_every_public_tensor_method_has_a_docstring() -> None:
    undocumented = [
        n
        for n, member in vars(sg.Tensor).items()
        if not n.startswith("_")
        and (inspect.isfunction(member) or isinstance(member, property))
        and not (member.__doc__ or "").strip()
    ]
    assert not undocumented
