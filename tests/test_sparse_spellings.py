"""GL304 reads SciPy's older spelling of `toarray()`, the `.A` attribute, as it reads the method.
Inputs written for these tests."""
from __future__ import annotations

import textwrap

from test_model_rules_tune2 import cli, lint

SCRIPT = """\
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.ensemble import RandomForestClassifier

    vectorizer = TfidfVectorizer(max_features=50000)
    features = vectorizer.fit_transform(documents)
    dense = features{spelling}
    model = RandomForestClassifier().fit(dense, labels)
    """


def test_the_older_attribute_is_reported_like_the_method(tmp_path):
    path = tmp_path / "classify.py"
    path.write_text(textwrap.dedent(SCRIPT.format(spelling=".A")))
    [finding] = cli(path, "GL304")
    assert finding["line"] == 6 and finding["message"].startswith("`.A` turns the sparse output of `TfidfVectorizer")
    assert [f.line for f in lint(SCRIPT.format(spelling=".toarray()"), "GL304")] == [6]


def test_an_attribute_named_a_on_anything_else_is_not_densifying():
    source = """\
        import numpy as np
        from sklearn.feature_extraction.text import CountVectorizer

        class Node:
            A = 1

        matrix = np.matrix([[1, 2], [3, 4]])
        array = matrix.A
        node = Node()
        print(node.A + len(array))
        counts = CountVectorizer().fit_transform(docs)
        counts.A = None  # a store, not a read
        """
    assert lint(source, "GL304") == []


def test_an_attribute_only_displayed_is_not_reported():
    source = SCRIPT.replace("dense = features{spelling}\n    model = RandomForestClassifier().fit(dense, labels)",
                            "print(features.A[:5])")
    assert "{spelling}" not in source and lint(source, "GL304") == []
