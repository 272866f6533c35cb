from sklearn.base import BaseEstimator

from scratchgrad.selfcheck import estimators


def test_every_estimator_is_listed_and_quick_leaves_out_forests():
    names = {c.__name__ for c in estimators.estimator_classes()}
    assert {"KMeans", "NeuralNetClassifier", "RandomForestClassifier"} <= names
    quick = {c.__name__ for c in estimators.estimator_classes(quick=True)}
    assert "RandomForestClassifier" not in quick and "SVC" in quick


def test_expected_failures_pass_and_a_broken_estimator_fails(monkeypatch):
    class Broken(BaseEstimator):
        def __init__(self, a=1):
            self.a = a + 1  # changes its parameter: check_estimator must fail

        def fit(self, X, y=None):
            return self

    monkeypatch.setattr(estimators, "estimator_classes", lambda quick=False: [Broken])
    status, detail = estimators.check_estimators(quick=False)
    assert status == "failed" and "Broken (" in detail
    assert estimators._failed_checks(__import__("scratchgrad.ml", fromlist=["KMeans"]).KMeans) == []
