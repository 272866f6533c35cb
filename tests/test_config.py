from pathlib import Path

import pytest

from scratchgrad.config import (
    RecipeSettings,
    SettingsError,
    parse_assignments,
    resolve_settings,
)


def test_field_defaults() -> None:
    s = RecipeSettings()
    assert (s.epochs, s.lr, s.batch_size, s.seed) == (10, 1e-3, 32, 0)
    assert s.out_dir == Path.cwd() / "runs" and s.data_dir is None and s.extra == {}
    assert s.checkpoint_every is None


def test_paths_are_kept_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    s = RecipeSettings(out_dir=Path("out"), data=Path("t.txt"), data_dir=Path("~/d"))
    assert (s.out_dir, s.data) == (tmp_path / "out", tmp_path / "t.txt")
    assert s.data_dir == Path.home() / "d"


def test_precedence_cli_over_toml_over_env_over_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCRATCHGRAD_EPOCHS", "7")
    monkeypatch.setenv("SCRATCHGRAD_LR", "0.5")
    monkeypatch.setenv("SCRATCHGRAD_BATCH_SIZE", "11")
    toml = tmp_path / "c.toml"
    toml.write_text("lr = 0.25\nbatch_size = 12\n[extra]\nhidden = 4\n", encoding="utf-8")
    defaults = {"epochs": 3, "lr": 0.1, "batch_size": 5, "seed": 9}
    s = resolve_settings(defaults, toml, {"batch_size": 13, "lr": None, "extra": {"x": "y"}})
    assert s.seed == 9  # recipe default (no env, toml or cli)
    assert s.epochs == 7  # env over recipe default
    assert s.lr == 0.25  # toml over env; a None CLI value is ignored
    assert s.batch_size == 13  # cli over toml
    assert s.extra == {"hidden": 4, "x": "y"}


def test_env_over_field_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCRATCHGRAD_SEED", "4")
    assert resolve_settings().seed == 4


@pytest.mark.parametrize(
    ("cli", "expected"),
    [
        ({"lr": -1.0}, "lr: got -1.0; must be > 0"),
        ({"epochs": 0}, "epochs: got 0; must be >= 1"),
        ({"batch_size": "x"}, "batch_size: got 'x'"),
        ({"bogus": 1}, "bogus: got 1; unknown setting"),
        ({"batch_size": True}, "batch_size: got True; must be an integer, not a boolean"),
        ({"epochs": False}, "epochs: got False; must be an integer, not a boolean"),
        ({"lr": True}, "lr: got True; must be a number, not a boolean"),
    ],
)
def test_invalid_values_are_refused_naming_the_field(cli: dict[str, object], expected: str) -> None:
    with pytest.raises(SettingsError, match="^" + expected.replace("(", r"\(")):
        resolve_settings(cli=cli)


def test_invalid_env_value_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCRATCHGRAD_SEED", "-3")
    with pytest.raises(SettingsError, match="seed: got '-3'|seed: got -3"):
        resolve_settings()


def test_missing_or_bad_toml(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="no file"):
        resolve_settings(toml_file=tmp_path / "none.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("lr = = 1", encoding="utf-8")
    with pytest.raises(SettingsError, match="not valid TOML"):
        resolve_settings(toml_file=bad)


def test_parse_assignments() -> None:
    assert parse_assignments(["a=3", "b=0.5", "c=text", "d=true"]) == {
        "a": 3,
        "b": 0.5,
        "c": "text",
        "d": True,
    }
    with pytest.raises(SettingsError, match="key=value"):
        parse_assignments(["novalue"])


def test_unknown_extra_key_is_refused_with_a_suggestion() -> None:
    with pytest.raises(SettingsError, match=r"^extra.hiden: got 128; .*did you mean 'hidden'"):
        resolve_settings(cli={"extra": {"hiden": 128}}, extra={"hidden": 16})
    with pytest.raises(SettingsError, match="extra.hidden: got 0; must be an integer >= 1"):
        resolve_settings(cli={"extra": {"hidden": 0}}, extra={"hidden": 16})
    with pytest.raises(SettingsError, match="extra.dropout: got True; must be a number"):
        resolve_settings(cli={"extra": {"dropout": True}}, extra={"dropout": 0.0})


def test_declared_extra_defaults_are_the_lowest_layer() -> None:
    s = resolve_settings(cli={"extra": {"hidden": 8}}, extra={"hidden": 16, "dropout": 0.0})
    assert s.extra == {"hidden": 8, "dropout": 0.0}


def test_toml_extra_typo_is_refused(tmp_path: Path) -> None:
    toml = tmp_path / "c.toml"
    toml.write_text("[extra]\nhiddn = 4\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="extra.hiddn: .*did you mean 'hidden'"):
        resolve_settings(toml_file=toml, extra={"hidden": 16})


def test_top_level_typo_suggests_the_field() -> None:
    with pytest.raises(SettingsError, match="batchsize: got 3; .*did you mean 'batch_size'"):
        resolve_settings(cli={"batchsize": 3})


def test_data_for_a_recipe_without_data_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="data: got .*reads no --data"):
        resolve_settings(cli={"data": tmp_path}, inputs=())
    assert resolve_settings(cli={"data": tmp_path}, inputs=("data",)).data == tmp_path


def test_toml_boolean_for_a_number_is_refused(tmp_path: Path) -> None:
    toml = tmp_path / "c.toml"
    toml.write_text("batch_size = true\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="batch_size: got True; must be an integer, not a"):
        resolve_settings(toml_file=toml)
