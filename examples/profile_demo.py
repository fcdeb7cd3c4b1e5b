"""A runnable grid search for `greenlint profile`: no GPU, no network, scikit-learn only.

    greenlint profile examples/profile_demo.py --seconds 10
    greenlint check --profile examples/profile_demo.py

Synthetic data stands in for a real data set, so the script runs anywhere scikit-learn is
installed. The grid is exhaustive on purpose (GL101): profile mode measures a few fits,
projects the whole search, and shows what a random search of the same space would cost.
"""
import sys

from sklearn.datasets import make_classification
from sklearn.model_selection import GridSearchCV
from sklearn.svm import SVC


def main(n_samples: int = 1500) -> float:
    X, y = make_classification(n_samples=n_samples, n_features=20, n_informative=8, random_state=0)
    grid = {
        "C": [0.1, 1, 10, 100],
        "gamma": ["scale", 0.01, 0.001],
        "kernel": ["rbf", "sigmoid"],
    }
    search = GridSearchCV(SVC(), grid, cv=5)  # 24 candidates x 5 folds = 120 fits
    search.fit(X, y)
    print(f"best {search.best_params_} accuracy {search.best_score_:.3f}")
    return search.best_score_


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1500)
