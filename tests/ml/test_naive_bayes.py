"""GaussianNB and MultinomialNB against scikit-learn."""

import numpy as np
import pytest
from sklearn import naive_bayes as sk
from sklearn.exceptions import NotFittedError

from scratchgrad.ml.naive_bayes import GaussianNB, MultinomialNB
from tests.ml._common import assert_score_close, run_check_estimator, split

CLASSIFICATION = ["iris", "wine", "breast_cancer", "digits"]


@pytest.mark.parametrize(
    "estimator",
    [GaussianNB(), GaussianNB(var_smoothing=1e-3), MultinomialNB(), MultinomialNB(fit_prior=False)],
    ids=repr,
)
def test_check_estimator(estimator: object) -> None:
    # Fixed priors are left out: the checks mix two- and three-class data, so any fixed
    # prior vector is wrong for some of them (scikit-learn's GaussianNB fails them too).
    run_check_estimator(estimator, expected_failed={})  # every check passes


@pytest.mark.parametrize("dataset", CLASSIFICATION)
def test_gaussian_score_close(dataset: str) -> None:
    assert_score_close(GaussianNB(), sk.GaussianNB(), dataset)


@pytest.mark.parametrize("dataset", CLASSIFICATION)
def test_gaussian_matches_sklearn(dataset: str) -> None:
    X_tr, X_te, y_tr, _ = split(dataset)
    ours = GaussianNB().fit(X_tr, y_tr)
    theirs = sk.GaussianNB().fit(X_tr, y_tr)
    np.testing.assert_array_equal(ours.predict(X_te), theirs.predict(X_te))
    np.testing.assert_allclose(ours.predict_proba(X_te), theirs.predict_proba(X_te), atol=1e-6)
    np.testing.assert_allclose(ours.theta_, theirs.theta_, rtol=1e-12)
    np.testing.assert_allclose(ours.var_, theirs.var_, rtol=1e-12)
    assert ours.epsilon_ == pytest.approx(theirs.epsilon_, rel=1e-12)
    np.testing.assert_allclose(ours.class_prior_, theirs.class_prior_)


def test_gaussian_priors_and_smoothing_match_sklearn() -> None:
    X_tr, X_te, y_tr, _ = split("iris")
    kw = {"priors": [0.6, 0.3, 0.1], "var_smoothing": 1e-3}
    ours = GaussianNB(**kw).fit(X_tr, y_tr)
    theirs = sk.GaussianNB(**kw).fit(X_tr, y_tr)
    np.testing.assert_allclose(ours.predict_proba(X_te), theirs.predict_proba(X_te), atol=1e-6)
    np.testing.assert_allclose(
        ours.predict_log_proba(X_te), theirs.predict_log_proba(X_te), rtol=1e-6, atol=1e-6
    )


@pytest.mark.parametrize(
    ("priors", "match"),
    [
        ([0.5, 0.5], "Number of priors"),
        ([0.5, 0.4, 0.2], "sum of the priors"),
        ([1.2, -0.1, -0.1], "non-negative"),
    ],
)
def test_gaussian_bad_priors(priors: list[float], match: str) -> None:
    X_tr, _, y_tr, _ = split("iris")
    with pytest.raises(ValueError, match=match):
        GaussianNB(priors=priors).fit(X_tr, y_tr)


def test_log_proba_is_stable_far_from_data() -> None:
    X_tr, _, y_tr, _ = split("iris")
    gnb = GaussianNB().fit(X_tr, y_tr)
    far = np.full((1, 4), 1e4)
    log_p = gnb.predict_log_proba(far)
    assert np.all(np.isfinite(gnb.predict_proba(far)))
    np.testing.assert_allclose(np.exp(log_p).sum(axis=1), 1.0)
    np.testing.assert_allclose(log_p, sk.GaussianNB().fit(X_tr, y_tr).predict_log_proba(far))


@pytest.mark.parametrize("fit_prior", [True, False])
@pytest.mark.parametrize("alpha", [1.0, 0.1])
def test_multinomial_matches_sklearn_on_digits(alpha: float, fit_prior: bool) -> None:
    X_tr, X_te, y_tr, _ = split("digits")  # pixel intensities 0..16: non-negative counts
    ours = MultinomialNB(alpha=alpha, fit_prior=fit_prior).fit(X_tr, y_tr)
    theirs = sk.MultinomialNB(alpha=alpha, fit_prior=fit_prior).fit(X_tr, y_tr)
    np.testing.assert_array_equal(ours.predict(X_te), theirs.predict(X_te))
    np.testing.assert_allclose(ours.predict_proba(X_te), theirs.predict_proba(X_te), atol=1e-9)
    np.testing.assert_allclose(ours.feature_log_prob_, theirs.feature_log_prob_, rtol=1e-12)
    np.testing.assert_allclose(ours.class_log_prior_, theirs.class_log_prior_, rtol=1e-12)


def test_multinomial_score_close_on_digits() -> None:
    assert_score_close(MultinomialNB(), sk.MultinomialNB(), "digits")


def test_multinomial_rejects_negative_features() -> None:
    X_tr, X_te, y_tr, _ = split("digits")
    with pytest.raises(ValueError, match=r"Negative values in data passed to MultinomialNB"):
        MultinomialNB().fit(X_tr - 1.0, y_tr)
    nb = MultinomialNB().fit(X_tr, y_tr)
    with pytest.raises(ValueError, match=r"Negative values in data passed to MultinomialNB"):
        nb.predict(X_te - 1.0)
    with pytest.raises(ValueError, match="alpha"):
        MultinomialNB(alpha=-1.0).fit(X_tr, y_tr)


@pytest.mark.parametrize("cls", [GaussianNB, MultinomialNB])
def test_bad_inputs(cls: type) -> None:
    X_tr, X_te, y_tr, _ = split("digits")
    for method in ("predict", "predict_proba", "predict_log_proba"):
        with pytest.raises(NotFittedError):
            getattr(cls(), method)(X_te)
    est = cls().fit(X_tr, y_tr)
    with pytest.raises(ValueError, match="features"):
        est.predict(X_te[:, :10])
    with pytest.raises(ValueError, match="NaN"):
        est.predict(np.where(X_te > 15, np.nan, X_te))
    with pytest.raises(ValueError, match="Expected 2D array"):
        est.predict(X_te[:, 0])
    with pytest.raises(ValueError, match="NaN"):
        cls().fit(np.where(X_tr > 15, np.nan, X_tr), y_tr)
    with pytest.raises(ValueError, match="Unknown label type"):
        cls().fit(X_tr, np.linspace(0, 1, len(X_tr)))


def test_fit_returns_self_and_init_only_stores() -> None:
    X_tr, _, y_tr, _ = split("iris")
    gnb = GaussianNB(priors="anything", var_smoothing=-5)
    assert gnb.get_params() == {"priors": "anything", "var_smoothing": -5}
    ok = GaussianNB()
    assert ok.fit(X_tr, y_tr) is ok
    mnb = MultinomialNB()
    assert mnb.fit(X_tr, y_tr) is mnb
