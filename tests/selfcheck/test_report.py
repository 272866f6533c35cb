import json

from scratchgrad.selfcheck.report import CheckResult, all_passed, results_json, summarize, timed


def test_timed_turns_an_exception_into_a_failed_row():
    def boom():
        raise ValueError("bad")

    row = timed("x", boom)
    assert row.status == "failed" and row.detail == "ValueError: bad"
    assert timed("y", lambda: ("passed", "ok")).status == "passed"


def test_summarize_and_all_passed():
    assert summarize(3, [], "cases") == ("passed", "3 cases")
    status, detail = summarize(9, list("abcdefg"), "cases")
    assert status == "failed" and detail.startswith("7 of 9 cases failed: a, b, c, d, e, ...")
    skipped = CheckResult("s", "skipped", "no torch", 0.0)
    assert all_passed([skipped, CheckResult("p", "passed", "", 0.0)])
    assert not all_passed([skipped, CheckResult("f", "failed", "", 0.0)])
    data = json.loads(results_json([skipped]))
    assert data == {
        "passed": True,
        "checks": [{"name": "s", "status": "skipped", "detail": "no torch", "seconds": 0.0}],
    }
