"""The registry: describe, load by name, unknown names."""

import pytest

from scratchgrad.data.builtin import DATASETS, DataSplits, bundled, load, registry, text, toy


def test_describe_shows_shapes_and_class_balance() -> None:
    text = bundled.iris().describe()
    assert text.splitlines()[0] == "iris (classification, 3 classes)"
    assert "Task: classification" in text and "stratified by class" in text
    assert "(105, 4) float32" in text and "setosa=35, versicolor=35, virginica=35" in text
    assert "target mean" in bundled.diabetes().describe()
    assert toy.tags().describe().startswith("tags (multilabel, 5 tags)\n")
    assert "tag counts: sports=" in toy.tags().describe()
    assert "relevant " in toy.ratings().describe()


def test_load_by_name_and_unknown_names() -> None:
    assert set(DATASETS) >= {"iris", "digits", "diabetes", "tags", "ratings", "mnist"}
    splits = load("moons", n_samples=60, seed=1)
    assert isinstance(splits, DataSplits) and len(splits.train) == 42
    with pytest.raises(ValueError, match="unknown data set 'mnsit'; known: blobs, breast_cancer"):
        load("mnsit")


def test_registry_is_built_from_the_source_modules_and_refuses_a_taken_name() -> None:
    exported = {*bundled.__all__, *toy.__all__, *text.__all__, "mnist"} - {"TabularLoader"}
    assert set(DATASETS) == exported  # one entry per data set function, no hand-kept list
    assert DATASETS["iris"] is bundled.iris and DATASETS["sonnets"] is text.sonnets

    def iris() -> DataSplits:
        raise AssertionError("never called")

    with pytest.raises(ValueError, match="already called 'iris'"):
        registry.register(iris)
    assert DATASETS["iris"] is bundled.iris
