"""Principles found in the seventh session (round 13 of tune labels and the speed corpus). Each
test lints a small file written here with the real engine."""
from __future__ import annotations

from test_model_rules_tune2 import lint  # the real engine on a string

DENSE_IN_A_TEST = """\
    import numpy as np
    from numpy.testing import assert_allclose
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    def test_weights(texts):
        X = TfidfVectorizer().fit_transform(texts)
        assert_allclose(X.toarray().sum(axis=1), 1.0)
        assert np.isclose(X.todense()[0, 0], 0.5)
        expected = X.toarray()
        assert expected.shape == (3, 4)

    def fit(texts, labels):
        X = TfidfVectorizer().fit_transform(texts)
        return LinearSVC().fit(X.toarray(), labels)
    """


def test_gl304_a_dense_copy_only_checked_by_assertions_is_inspected_not_computed_with():
    assert [f.line for f in lint(DENSE_IN_A_TEST, "GL304")] == [15]
