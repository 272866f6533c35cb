"""Error classes: one home (errors.py), the same bases as before, exported where they were.

Shape errors are ValueErrors, so `except ValueError` catches them.
"""

import ast
import builtins
import importlib
from pathlib import Path

import pytest

import scratchgrad as sg
from scratchgrad import errors
from scratchgrad.errors import BroadcastError, ShapeError

SRC = Path(__file__).parent.parent / "src" / "scratchgrad"
ERRORS = SRC / "errors.py"

# Exception classes that may still live elsewhere, each with its reason. Shrink to empty.
PENDING = {}

# Each error and the bases it must keep: callers catch them by these.
BASES = {
    "ShapeError": (ValueError, RuntimeError),
    "GradcheckError": (RuntimeError,),
    "BroadcastError": (ShapeError,),
    "IDXError": (ValueError,),
    "TokenizerError": (ValueError,),
    "UnknownTokenError": (errors.TokenizerError, KeyError),
    "NonFiniteLossError": (RuntimeError,),
    "CheckpointError": (RuntimeError,),
    "TrainingInterruptedError": (Exception,),
    "DistributedError": (RuntimeError,),
    "SettingsError": (ValueError,),
    "RecipeError": (ValueError,),
    "RunFileError": (errors.RecipeError,),
    "ReportedLoadError": (Exception,),
    "ReportedLoadRuntimeError": (errors.ReportedLoadError, RuntimeError),
    "ReportedLoadTypeError": (errors.ReportedLoadError, TypeError),
    "OnnxExportError": (RuntimeError,),
    "DataLeakageWarning": (UserWarning,),
}

# The public paths that exported each error before it moved to errors.py.
EXPORTS = [
    ("scratchgrad", "ShapeError"),
    ("scratchgrad", "BroadcastError"),
    ("scratchgrad.data", "IDXError"),
    ("scratchgrad.data", "TokenizerError"),
    ("scratchgrad.data", "UnknownTokenError"),
    ("scratchgrad.train", "NonFiniteLossError"),
    ("scratchgrad.train", "CheckpointError"),
    ("scratchgrad.config", "SettingsError"),
    ("scratchgrad.recipes", "RecipeError"),
]

_BUILTIN_EXCEPTIONS = {
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
}


def _base_name(node: ast.expr) -> str | None:
    """``ValueError`` -> "ValueError"; ``errors.ShapeError`` -> "ShapeError"."""
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else None


def _exception_classes() -> dict[str, list[str]]:
    """Every class in src that derives from an exception, by name: the files defining it.

    A class is an exception when a base is a builtin exception or another such class;
    the scan repeats until no new class is found, so the order of the files does not matter.
    """
    classes = [
        (node, path)
        for path in sorted(SRC.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path)))
        if isinstance(node, ast.ClassDef)
    ]
    known = set(_BUILTIN_EXCEPTIONS)
    while True:
        names = {
            node.name for node, _ in classes if any(_base_name(b) in known for b in node.bases)
        }
        if names <= known:
            break
        known |= names
    found: dict[str, list[str]] = {}
    for node, path in classes:
        if any(_base_name(b) in known for b in node.bases):
            found.setdefault(node.name, []).append(str(path.relative_to(SRC)))
    return found


def test_the_scan_finds_the_exceptions_it_should() -> None:
    found = _exception_classes()
    assert set(BASES) | set(PENDING) <= set(found)
    assert "MeanSquaredError" not in found  # a metric, derived from Metric


def test_every_exception_class_lives_in_errors_py() -> None:
    elsewhere = {
        f"{path}: {name}"
        for name, paths in _exception_classes().items()
        for path in paths
        if path != "errors.py" and name not in PENDING
    }
    assert not elsewhere, "exception classes outside errors.py:\n" + "\n".join(sorted(elsewhere))


def test_errors_py_imports_nothing_from_scratchgrad() -> None:
    tree = ast.parse(ERRORS.read_text())
    imported = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert not [m for m in imported if (m or "").split(".")[0] == "scratchgrad"]


def test_every_error_is_listed_here_and_in_dunder_all() -> None:
    defined = {
        name
        for name, value in vars(errors).items()
        if isinstance(value, type) and value.__module__ == errors.__name__
    }
    assert defined == set(BASES) == set(errors.__all__)


@pytest.mark.parametrize("name", sorted(BASES))
def test_each_error_keeps_its_bases(name: str) -> None:
    cls = getattr(errors, name)
    assert cls.__bases__ == BASES[name]
    assert (cls.__doc__ or "").strip()


@pytest.mark.parametrize(("module", "name"), EXPORTS)
def test_each_error_is_still_exported_where_it_was(module: str, name: str) -> None:
    mod = importlib.import_module(module)
    assert getattr(mod, name) is getattr(errors, name)
    assert name in mod.__all__


def test_unknown_token_error_is_a_key_error_without_quotes() -> None:
    err = errors.UnknownTokenError("encode: character 'x' is not in the vocabulary")
    assert isinstance(err, KeyError) and isinstance(err, ValueError)
    assert str(err) == "encode: character 'x' is not in the vocabulary"


def test_hierarchy() -> None:
    assert issubclass(BroadcastError, ShapeError)
    assert issubclass(ShapeError, ValueError)
    assert sg.BroadcastError is BroadcastError


def test_broadcast_failure_is_catchable_as_value_error() -> None:
    with pytest.raises(ValueError, match="at dim -1 the sizes 3 and 4"):
        sg.ones(3) + sg.ones(4)


def test_shape_and_broadcast_errors_are_caught_as_torch_runtime_errors() -> None:
    import torch

    import scratchgrad as sg

    for lib, expected in ((torch, RuntimeError), (sg, RuntimeError)):
        with pytest.raises(expected):
            lib.ones(2, 3) + lib.ones(4, 3)
        with pytest.raises(expected):
            lib.ones(2, 3) @ lib.ones(2, 3)
    with pytest.raises(ValueError):  # and still a ValueError, as before
        sg.ones(2, 3) + sg.ones(4, 3)
