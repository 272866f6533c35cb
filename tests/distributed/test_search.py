import os
import sys
from pathlib import Path

import optuna
import pytest

from scratchgrad.distributed.search import (
    SearchJob,
    check_space,
    finished_trials,
    open_storage,
    require_optuna,
    run_search,
    shares,
    trial_cli,
)
from scratchgrad.distributed.search_space import parse_param
from scratchgrad.errors import SettingsError
from scratchgrad.recipes import get_recipe


def _job(tmp_path: Path, *params: str, storage: str | None = None, **kw: object) -> SearchJob:
    cli = {"epochs": 2, "out_dir": tmp_path / "runs", "extra": {"hidden": 8}}
    specs = tuple(parse_param(p) for p in params)
    url = storage or str(tmp_path / "study.journal")
    return SearchJob("xor-mlp", cli, None, specs, "s", url, **kw)  # type: ignore[arg-type]


def test_shares_split_the_trials_evenly() -> None:
    assert shares(7, 3) == [3, 2, 2] and shares(2, 4) == [1, 1, 0, 0] and sum(shares(9, 2)) == 9


def test_trial_cli_puts_fields_and_recipe_keys_in_their_places() -> None:
    cli = {"epochs": 3, "extra": {"hidden": 8}}
    out = trial_cli(cli, {"lr": 0.1, "hidden": 16, "depth": 2})
    assert out == {"epochs": 3, "lr": 0.1, "extra": {"hidden": 16, "depth": 2}}
    assert cli == {"epochs": 3, "extra": {"hidden": 8}}  # unchanged


def test_check_space_refuses_a_value_the_recipe_refuses(tmp_path: Path) -> None:
    recipe = get_recipe("xor-mlp")
    check_space(_job(tmp_path, "lr=log:1e-4:1e-1", "hidden=int:2:8"), recipe)
    with pytest.raises(SettingsError, match="extra.hidden: got 0"):
        check_space(_job(tmp_path, "hidden=int:0:8"), recipe)
    with pytest.raises(SettingsError, match="did you mean 'hidden'"):
        check_space(_job(tmp_path, "hiden=int:2:8"), recipe)


def test_two_workers_share_one_journal_study(tmp_path: Path) -> None:
    job = _job(tmp_path, "lr=log:1e-3:1e-1", pruner="none")
    study = run_search(job, n_trials=3, workers=2)
    assert len(study.trials) == 3
    assert {t.state for t in study.trials} == {optuna.trial.TrialState.COMPLETE}
    folders = {t.user_attrs["run_folder"] for t in study.trials}
    assert len(folders) == 3 and all(Path(f).is_dir() for f in folders)
    best = finished_trials(study)[0]
    assert best.value == max(t.value for t in study.trials)  # xor-mlp maximises accuracy
    again = run_search(job, n_trials=1, workers=1)  # the same study goes on
    assert len(again.trials) == 4


def test_a_trial_behind_the_median_is_pruned(tmp_path: Path) -> None:
    job = _job(tmp_path, "lr=log:1e-6:1e-1")
    job = SearchJob(**{**job.__dict__, "cli": {**job.cli, "epochs": 4}})
    storage = open_storage(job.storage)
    study = optuna.create_study(study_name="s", storage=storage, direction="maximize")
    for lr in (0.05, 0.05, 1e-6):
        study.enqueue_trial({"lr": lr})
    study = run_search(job, n_trials=3)
    states = [t.state for t in sorted(study.trials, key=lambda t: t.number)]
    assert states[:2] == [optuna.trial.TrialState.COMPLETE] * 2
    assert states[2] == optuna.trial.TrialState.PRUNED
    assert finished_trials(study)[-1].state == optuna.trial.TrialState.PRUNED


def test_a_missing_optuna_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "optuna", None)
    with pytest.raises(ImportError, match=r"pip install 'scratchgrad\[distributed\]'"):
        require_optuna()


def _postgres_url() -> str:
    url = os.environ.get("SCRATCHGRAD_TEST_POSTGRES", "")
    if not url:
        pytest.skip("no PostgreSQL: set SCRATCHGRAD_TEST_POSTGRES (.ci/run starts one)")
    import sqlalchemy

    try:
        with sqlalchemy.create_engine(url, connect_args={"connect_timeout": 3}).connect():
            pass
    except sqlalchemy.exc.OperationalError as e:
        pytest.skip(f"PostgreSQL at {url} is not reachable ({e.__class__.__name__})")
    return url


def test_workers_share_a_postgresql_study(tmp_path: Path) -> None:
    url = _postgres_url()
    name = f"test-{os.getpid()}-{tmp_path.name}"
    job = SearchJob(**{**_job(tmp_path, "lr=log:1e-3:1e-1", storage=url).__dict__, "study": name})
    study = run_search(job, n_trials=2, workers=2)
    assert len(study.trials) == 2
    assert all(t.state == optuna.trial.TrialState.COMPLETE for t in study.trials)
    optuna.delete_study(study_name=name, storage=url)


def test_a_bad_storage_gives_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(SettingsError, match="--storage: cannot open"):
        open_storage(str(tmp_path / "file" / "study.journal"))
