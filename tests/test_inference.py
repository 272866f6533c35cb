"""inference_mode: context manager, decorator with and without parentheses, the flag."""

import scratchgrad as sg


def test_context_manager_stops_recording_and_sets_the_flag() -> None:
    x = sg.ones(2, requires_grad=True)
    assert not sg.is_inference_mode_enabled()
    with sg.inference_mode():
        assert sg.is_inference_mode_enabled()
        assert not sg.is_grad_enabled()
        y = x * 2
    assert not y.requires_grad
    assert sg.is_grad_enabled() and not sg.is_inference_mode_enabled()
    assert (x * 2).requires_grad


def test_decorator_bare_and_called() -> None:
    x = sg.ones(2, requires_grad=True)

    @sg.inference_mode
    def bare(t):
        return t * 2

    @sg.inference_mode()
    def called(t):
        return t * 3

    assert bare.__name__ == "bare"
    assert not bare(x).requires_grad and not called(x).requires_grad
    assert sg.is_grad_enabled()


def test_mode_false_changes_nothing_and_nests() -> None:
    x = sg.ones(2, requires_grad=True)
    with sg.inference_mode(False):
        assert not sg.is_inference_mode_enabled()
        assert (x * 2).requires_grad
    with sg.inference_mode(), sg.inference_mode(False):
        assert not sg.is_inference_mode_enabled()
        assert not (x * 2).requires_grad  # grad mode stays off, as torch's
    assert sg.is_grad_enabled()


def test_state_restored_after_an_exception() -> None:
    try:
        with sg.inference_mode():
            raise KeyError
    except KeyError:
        pass
    assert sg.is_grad_enabled() and not sg.is_inference_mode_enabled()


def test_clone() -> None:
    mode = sg.inference_mode(False).clone()
    assert isinstance(mode, sg.inference_mode) and mode.mode is False
