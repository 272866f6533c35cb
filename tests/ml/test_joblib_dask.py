"""Estimators with ``n_jobs`` run under joblib, so a Dask cluster can take their work.

``joblib.parallel_config(backend="dask")`` sends a forest's trees, and a grid search's
fits, to the workers of a ``dask.distributed`` cluster (here a local one of two
processes); the results equal a serial fit's.
"""

import joblib
import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV

from scratchgrad.ml.ensemble import RandomForestClassifier

distributed = pytest.importorskip("dask.distributed")


@pytest.fixture(scope="module")
def client():  # type: ignore[no-untyped-def]
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with cluster, distributed.Client(cluster) as c:
        yield c


def test_a_forest_and_a_grid_search_run_on_a_dask_cluster(client) -> None:  # type: ignore[no-untyped-def]
    X, y = load_digits(return_X_y=True)
    serial = RandomForestClassifier(n_estimators=8, random_state=0).fit(X, y)
    grid = {"max_depth": [3, 6]}
    serial_search = GridSearchCV(RandomForestClassifier(n_estimators=4, random_state=0), grid, cv=2)
    serial_search.fit(X, y)
    with distributed.get_task_stream(client) as stream, joblib.parallel_config(backend="dask"):
        forest = RandomForestClassifier(n_estimators=8, random_state=0, n_jobs=-1).fit(X, y)
        search = GridSearchCV(
            RandomForestClassifier(n_estimators=4, random_state=0), grid, cv=2, n_jobs=-1
        ).fit(X, y)
    workers = {task["worker"] for task in stream.data}
    assert len(stream.data) >= 2 and len(workers) >= 1  # the work ran on the cluster
    np.testing.assert_array_equal(forest.predict_proba(X), serial.predict_proba(X))
    assert search.best_params_ == serial_search.best_params_
    np.testing.assert_allclose(
        search.cv_results_["mean_test_score"], serial_search.cv_results_["mean_test_score"]
    )
