"""Principles found in the fifteenth session (round 37 of tune labels). Each test lints a small
file written here with the real engine."""
from __future__ import annotations

from test_model_rules_tune2 import lint  # the real engine on a string

EXCERPT = """
    from sklearn.ensemble import RandomForestClassifier

    X = pd.get_dummies(train[["Pclass", "Sex", "Embarked"]])
    model = RandomForestClassifier(n_estimators=100)
    model.fit(X, train["Survived"])
    """


def test_an_excerpt_that_uses_pd_without_importing_it_means_pandas():
    assert [f.line for f in lint(EXCERPT, "GL304")] == [4]


def test_a_pd_the_file_binds_itself_is_not_pandas():
    bound = EXCERPT.replace("from sklearn", "from helpers import frames as pd\n    from sklearn")
    assert lint(bound, "GL304") == []
    assigned = EXCERPT.replace("X = pd", "pd = load_frames()\n    X = pd")
    assert lint(assigned, "GL304") == []
