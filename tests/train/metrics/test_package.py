"""The package: one export list, every name the same object under scratchgrad.train."""

import scratchgrad.train as train
import scratchgrad.train.metrics as metrics


def test_every_exported_name_resolves_once_and_is_shared_with_train() -> None:
    assert len(metrics.__all__) == len(set(metrics.__all__))
    for name in metrics.__all__:
        assert getattr(train, name) is getattr(metrics, name)
    # silhouette_score is defined with the clustering code and re-exported here (public API)
    assert metrics.silhouette_score.__module__ == "scratchgrad.ml.cluster"
