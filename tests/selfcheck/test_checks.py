from scratchgrad.selfcheck import CHECKS, run_selfcheck


def test_only_selects_by_prefix_and_keeps_order():
    results = run_selfcheck(quick=True, only=["weights"])
    assert [r.name for r in results] == ["weights: safetensors round trip"]
    assert results[0].status == "passed"
    assert list(CHECKS)[0].startswith("ops")
