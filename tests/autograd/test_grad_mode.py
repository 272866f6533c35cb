"""Grad modes: no_grad, enable_grad, set_grad_enabled (call, context, decorator), detach."""

import pytest
import torch

import scratchgrad as sg
from tests.autograd._compare import arr, leaves, same_grads


# ------------------------------------------------------------------ grad modes
def test_no_grad_as_context_manager_matches_torch() -> None:
    for lib in (sg, torch):
        x = lib.ones(2, requires_grad=True)
        with lib.no_grad():
            assert not lib.is_grad_enabled()
            y = x * 2
        assert lib.is_grad_enabled()
        assert not y.requires_grad and y.grad_fn is None


LIBS = [pytest.param(sg, id="scratchgrad"), pytest.param(torch, id="torch")]


@pytest.mark.parametrize("lib", LIBS)
def test_no_grad_as_decorator_matches_torch(lib) -> None:
    @lib.no_grad()
    def double(t):
        return t * 2, lib.is_grad_enabled()

    y, enabled = double(lib.ones(2, requires_grad=True))
    assert not enabled and not y.requires_grad
    assert lib.is_grad_enabled()
    assert double.__name__ == "double"


def test_no_grad_restores_the_mode_after_an_exception() -> None:
    with pytest.raises(ValueError, match="boom"), sg.no_grad():
        raise ValueError("boom")
    assert sg.is_grad_enabled()


def test_enable_grad_inside_no_grad_matches_torch() -> None:
    for lib in (sg, torch):
        x = lib.ones(2, requires_grad=True)
        with lib.no_grad():
            with lib.enable_grad():
                assert lib.is_grad_enabled()
                y = x * 2
            assert not lib.is_grad_enabled()
            z = x * 2
        assert y.requires_grad and not z.requires_grad


def test_nested_no_grad_restores_each_level() -> None:
    ctx = sg.no_grad()
    with ctx:
        with ctx:
            assert not sg.is_grad_enabled()
        assert not sg.is_grad_enabled()
        with sg.enable_grad(), sg.no_grad():
            assert not sg.is_grad_enabled()
    assert sg.is_grad_enabled()


def test_set_grad_enabled_as_a_call_matches_torch() -> None:
    for lib in (sg, torch):
        try:
            lib.set_grad_enabled(False)
            assert not lib.is_grad_enabled()
            y = lib.ones(2, requires_grad=True) * 2
            assert not y.requires_grad
            lib.set_grad_enabled(True)
            assert lib.is_grad_enabled()
        finally:
            lib.set_grad_enabled(True)


def test_set_grad_enabled_as_a_context_manager_matches_torch() -> None:
    for lib in (sg, torch):
        x = lib.ones(2, requires_grad=True)
        with lib.set_grad_enabled(False):
            assert not lib.is_grad_enabled()
            y = x * 2
            with lib.set_grad_enabled(True):
                z = x * 2
            assert not lib.is_grad_enabled()
        assert lib.is_grad_enabled()
        assert not y.requires_grad and z.requires_grad


@pytest.mark.parametrize(
    "lib",
    [pytest.param(sg, id="scratchgrad"), pytest.param(torch, id="torch")],
)
def test_set_grad_enabled_as_a_decorator_matches_torch(lib) -> None:
    try:

        @lib.set_grad_enabled(False)
        def inside():
            return lib.is_grad_enabled()

        assert lib.is_grad_enabled(), "decorating changed the mode"
        assert not inside()
        assert lib.is_grad_enabled()
    finally:
        lib.set_grad_enabled(True)


def test_detach_stops_gradients_like_torch() -> None:
    (x,), (xt,) = leaves(arr(3))
    for lib, a in ((sg, x), (torch, xt)):
        y = lib.exp(a)
        (y * y.detach() + a).sum().backward()
    same_grads([x], [xt])


@pytest.mark.parametrize("lib", LIBS)
def test_bare_no_grad_decorator_matches_torch(lib) -> None:
    @lib.no_grad
    def double(t):
        """Twice t."""
        return t * 2, lib.is_grad_enabled()

    y, enabled = double(lib.ones(2, requires_grad=True))
    assert not enabled and not y.requires_grad and y.grad_fn is None
    assert lib.is_grad_enabled()
    assert (double.__name__, double.__doc__) == ("double", "Twice t.")


@pytest.mark.parametrize("lib", LIBS)
@pytest.mark.parametrize("bare", [True, False])
def test_enable_grad_decorator_inside_no_grad_matches_torch(lib, bare: bool) -> None:
    def double(t):
        """Twice t."""
        return t * 2

    double = lib.enable_grad(double) if bare else lib.enable_grad()(double)
    with lib.no_grad():
        y = double(lib.ones(2, requires_grad=True))
        assert not lib.is_grad_enabled()
    assert y.requires_grad and y.grad_fn is not None
    assert (double.__name__, double.__doc__) == ("double", "Twice t.")


@pytest.mark.parametrize("lib", LIBS)
def test_no_grad_instances_still_work_as_context_managers(lib) -> None:
    mode = lib.no_grad()
    assert isinstance(mode, lib.no_grad)
    x = lib.ones(2, requires_grad=True)
    with mode:
        y = x * 2
    with mode:  # reusable, as torch's
        z = x * 2
    assert not y.requires_grad and not z.requires_grad
    assert lib.is_grad_enabled()
