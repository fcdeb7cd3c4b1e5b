"""Principles found in the eighteenth session (round 45 of tune labels). Each test lints small
files written here with the real CLI or the real engine."""
from __future__ import annotations

import pytest

from test_model_rules_tune2 import lint, reported_lines

# ---- GL304: a dense copy that a centring step reads is what that step needs -------------------

TFIDF_THEN = """
    import pandas as pd
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.ensemble import GradientBoostingRegressor
    from sklearn.preprocessing import {scaler}

    frame = pd.read_csv("movies.csv")
    words = TfidfVectorizer(max_features=60).fit_transform(frame.overview)
    words = pd.DataFrame(words.toarray())
    X = pd.concat([frame[["budget"]], words], axis=1)
    {centre}
    GradientBoostingRegressor().fit(X, frame.revenue)
"""


@pytest.mark.parametrize("scaler, centre", [
    ("PowerTransformer", "X = PowerTransformer().fit_transform(X)"),
    ("RobustScaler", "X = RobustScaler().fit_transform(X)"),
    ("StandardScaler", "X = StandardScaler().fit_transform(X)"),
])
def test_a_dense_copy_centred_before_the_fit_is_not_reported(scaler, centre):
    assert lint(TFIDF_THEN.format(scaler=scaler, centre=centre), "GL304") == []


@pytest.mark.parametrize("scaler, centre", [
    ("MinMaxScaler", "X = MinMaxScaler().fit_transform(X)"),  # keeps zeros at zero when the minimum is 0
    ("PowerTransformer", "X = PowerTransformer(standardize=False).fit_transform(X)"),
    ("StandardScaler", "X = StandardScaler(with_mean=False).fit_transform(X)"),
])
def test_a_dense_copy_scaled_without_centring_is_still_reported(scaler, centre):
    assert [f.line for f in lint(TFIDF_THEN.format(scaler=scaler, centre=centre), "GL304")] == [9]


DUMMIES_THROUGH = """
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.preprocessing import PowerTransformer
from sklearn.ensemble import RandomForestRegressor

houses = pd.read_csv("houses.csv")
X = pd.get_dummies(houses.drop(columns=["price"]))
X = {step}
RandomForestRegressor().fit(X, houses.price)
"""


def test_dummies_standardised_are_dense_anyway_but_pca_has_a_sparse_twin(tmp_path):
    assert reported_lines(tmp_path, "power.py", DUMMIES_THROUGH.format(step="PowerTransformer().fit_transform(X)"),
                          "GL304") == []
    # PCA centres too, but TruncatedSVD takes the sparse matrix: densifying for PCA is the waste
    assert reported_lines(tmp_path, "pca.py", DUMMIES_THROUGH.format(step="PCA(n_components=20).fit_transform(X)"),
                          "GL304") == [8]


TEST_COPY_CENTRED = """
    import pandas as pd
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import PowerTransformer

    vectorizer = TfidfVectorizer(max_features=60).fit(pd.read_csv("train.csv").overview)
    unseen = pd.read_csv("test.csv")
    words = pd.DataFrame(vectorizer.transform(unseen.overview).toarray())
    X_unseen = pd.concat([unseen[["budget"]], words], axis=1)
    X_unseen = scale.transform(X_unseen)
"""


def test_a_test_set_copy_that_only_a_centring_scaler_reads_is_not_reported():
    assert lint(TEST_COPY_CENTRED.replace("    X_unseen = scale", "    scale = PowerTransformer()\n    X_unseen = scale"),
                "GL304") == []
    assert [f.line for f in lint(TEST_COPY_CENTRED.replace("scale.transform(X_unseen)", "X_unseen.fillna(0)"), "GL304")] == [8]


# ---- GL304: a per-group summary of the dummies holds counts, not one-hot columns ---------------

GROUPED_DUMMIES = """
import pandas as pd
from lightgbm import LGBMClassifier

bureau = pd.read_csv("bureau.csv")
train = pd.read_csv("train.csv")
categorical = pd.get_dummies(bureau.select_dtypes("object"))
categorical["SK_ID_CURR"] = bureau["SK_ID_CURR"]
counts = categorical.{reduce}
train = train.merge(counts, left_on="SK_ID_CURR", right_index=True, how="left")
LGBMClassifier().fit(train.drop(columns=["TARGET"]), train["TARGET"])
"""


@pytest.mark.parametrize("reduce", ['groupby("SK_ID_CURR").agg(["sum", "mean"])',
                                    'groupby("SK_ID_CURR").sum().reset_index()',
                                    'groupby("SK_ID_CURR")[["a", "b"]].mean()'])
def test_dummies_summarised_per_group_do_not_reach_the_fit(tmp_path, reduce):
    assert reported_lines(tmp_path, "grouped.py", GROUPED_DUMMIES.format(reduce=reduce), "GL304") == []


def test_dummies_merged_whole_still_reach_the_fit(tmp_path):
    assert reported_lines(tmp_path, "merged.py", GROUPED_DUMMIES.format(reduce="set_index('SK_ID_CURR')"), "GL304") == [7]
