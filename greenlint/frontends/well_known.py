"""Distinctive public names of the libraries the rules read, for code that uses them without
importing them: a course exercise or an excerpt whose imports live in an earlier file or cell,
or a star import (`from sklearn.model_selection import *`). A name the file binds nowhere can
only come from outside it, and these names come from one library each (`GridSearchCV` is
scikit-learn's; a generic name such as `Model` or `EarlyStopping` is left out). The same holds
for the aliases that a library's own documentation imports it as (pandas' `pd`, NumPy's `np`,
TensorFlow's `tf`, PyTorch Lightning's `pl`, and `torch` itself): an excerpt that calls `pd.get_dummies` or
`pl.Trainer` without binding the alias means that library. Aliases that several
libraries share by habit (`nn`, `sp`, `K`) are left out."""
from __future__ import annotations

_SKLEARN = {
    "model_selection": ("GridSearchCV", "RandomizedSearchCV", "HalvingGridSearchCV", "HalvingRandomSearchCV",
                        "ParameterGrid", "ParameterSampler"),
    "ensemble": ("GradientBoostingClassifier", "GradientBoostingRegressor", "HistGradientBoostingClassifier",
                 "HistGradientBoostingRegressor"),
    "neural_network": ("MLPClassifier", "MLPRegressor"),
    "feature_extraction.text": ("TfidfVectorizer", "CountVectorizer", "HashingVectorizer"),
}

WELL_KNOWN: dict[str, str] = {
    **{name: f"sklearn.{module}.{name}" for module, names in _SKLEARN.items() for name in names},
    **{name: f"xgboost.{name}" for name in ("XGBClassifier", "XGBRegressor", "XGBRanker")},
    **{name: f"lightgbm.{name}" for name in ("LGBMClassifier", "LGBMRegressor", "LGBMRanker")},
    **{name: f"catboost.{name}" for name in ("CatBoostClassifier", "CatBoostRegressor")},
    **{name: f"pyspark.ml.tuning.{name}" for name in ("ParamGridBuilder", "CrossValidator", "TrainValidationSplit")},
    "pd": "pandas",
    "np": "numpy",
    "tf": "tensorflow",
    "pl": "pytorch_lightning",
    "torch": "torch",  # a star import of a project module that imports it (`from modeling.deeplab import *`)
}
