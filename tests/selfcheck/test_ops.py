import dataclasses

import pytest

from scratchgrad.selfcheck import ops


@pytest.fixture
def few_cases(monkeypatch):
    cases = ops.parity_cases()[:6]
    monkeypatch.setattr(ops, "parity_cases", lambda: cases)
    return cases


def test_tables_cover_every_registered_op():
    covered = {name for c in ops.parity_cases() for name in c.ops}
    assert covered == set(ops.OPS)


def test_gradcheck_and_parity_pass_on_real_cases(few_cases):
    assert ops.check_gradcheck(quick=True)[0] == "passed"
    status, detail = ops.check_torch_parity(quick=True)
    assert status == "passed" and "runs" in detail


def test_a_wrong_op_is_reported_failed(monkeypatch, few_cases):
    # the same case with the torch function replaced by a different one must fail parity
    broken = dataclasses.replace(
        few_cases[0], torch_fn=lambda lib, *xs: few_cases[0].fn(lib, *xs) * 2 + 1
    )
    monkeypatch.setattr(ops, "parity_cases", lambda: [broken])
    status, detail = ops.check_torch_parity(quick=True)
    assert status == "failed" and str(broken) in detail


def test_skipped_without_the_tables(monkeypatch, tmp_path):
    monkeypatch.setattr(ops, "_ROOT", tmp_path)
    assert ops.check_gradcheck(quick=True) == (
        "skipped",
        "the parity tables (tests/ops) ship with a source checkout only",
    )


def test_one_per_op_touches_each_op_once(few_cases):
    picked = ops._one_per_op(few_cases + few_cases)
    assert {n for c in picked for n in c.ops} == {n for c in few_cases for n in c.ops}
    assert len(picked) <= len(few_cases)


def test_skipped_without_torch(monkeypatch):
    real = ops.importlib.util.find_spec
    monkeypatch.setattr(
        ops.importlib.util, "find_spec", lambda n: None if n == "torch" else real(n)
    )
    status, detail = ops.check_torch_parity(quick=True)
    assert status == "skipped" and "torch is not installed" in detail
