from scratchgrad.selfcheck import training


def test_one_recipe_per_family_on_built_in_data():
    picked = training.family_recipes()
    assert {"SupervisedRecipe", "LanguageRecipe"} <= set(picked)
    assert all(not tuple(r.inputs) for r in picked.values())


def test_training_check_reports_a_loss_that_does_not_fall(monkeypatch):
    monkeypatch.setattr(training, "_train_losses", lambda recipe, out: [1.0, 1.5])
    status, detail = training.check_training(quick=True)
    assert status == "failed" and "1.000->1.500" in detail


def test_training_check_passes_on_xor(monkeypatch):
    picked = training.family_recipes()
    monkeypatch.setattr(
        training, "family_recipes", lambda: {"SupervisedRecipe": picked["SupervisedRecipe"]}
    )
    status, detail = training.check_training(quick=True)
    assert status == "passed", detail


def test_weights_round_trip():
    assert training.check_weights(quick=True) == ("passed", "9 tensors")


def test_families_counted_in_environment_steps_are_left_out():
    from scratchgrad.recipes import RECIPES

    picked = training.family_recipes()
    assert all("epochs" in r.defaults for r in picked.values())
    stepped = {type(r).__name__ for r in RECIPES.values() if "epochs" not in r.defaults}
    assert not stepped & set(picked)


def test_a_run_without_epoch_losses_is_reported_not_failed(monkeypatch):
    monkeypatch.setattr(training, "_train_losses", lambda recipe, out: None)
    status, detail = training.check_training(quick=True)
    assert status == "passed" and "no epoch losses to compare" in detail
