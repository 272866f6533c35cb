from typer.testing import CliRunner

from scratchgrad.cli import app

runner = CliRunner()


def test_generate_temperature_help_and_check_agree() -> None:
    help_text = runner.invoke(app, ["generate", "--help"], env={"COLUMNS": "200"}).stdout
    line = next(ln for ln in help_text.splitlines() if "--temperature" in ln)
    assert "x>=0" not in line and "> 0" in line
    for value in ("0", "-1"):
        result = runner.invoke(app, ["generate", "no/such/run", "--temperature", value])
        assert result.exit_code == 2, result.output
        assert "must be > 0" in result.output and "Traceback" not in result.output
    result = runner.invoke(app, ["generate", "no/such/run", "--temperature", "0.5"])
    assert result.exit_code == 2 and "no run folder" in result.stderr
