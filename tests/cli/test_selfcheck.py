"""``scratchgrad selfcheck``: a table, JSON, and the exit code."""

import json

from scratchgrad.cli import app
from scratchgrad.selfcheck import checks
from tests.cli.conftest import runner


def test_quick_weights_only_table_and_json(tmp_path):
    out = tmp_path / "report.json"
    result = runner.invoke(app, ["selfcheck", "--quick", "--only", "weights", "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "safetensors round trip" in result.stdout and "passed" in result.stdout
    data = json.loads(out.read_text())
    assert data["passed"] is True and data["checks"][0]["status"] == "passed"


def test_a_failed_check_exits_1_and_skipped_does_not_count(monkeypatch):
    monkeypatch.setitem(checks.CHECKS, "zz: broken", lambda quick: ("failed", "on purpose"))
    monkeypatch.setitem(checks.CHECKS, "zz: skipped", lambda quick: ("skipped", "no reason"))
    result = runner.invoke(app, ["selfcheck", "--only", "zz: skipped"])
    assert result.exit_code == 0
    result = runner.invoke(app, ["selfcheck", "--only", "zz"])
    assert result.exit_code == 1 and "FAILED" in result.stdout
