"""Tune an SVM on the digits data set with an exhaustive grid."""
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.svm import SVC

PARAM_GRID = {
    "C": [0.1, 1, 10, 100, 1000],
    "gamma": [1, 0.1, 0.01, 0.001, 0.0001],
    "kernel": ["rbf", "poly", "sigmoid"],
}


def main() -> None:
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
    search = GridSearchCV(SVC(), PARAM_GRID, cv=5, n_jobs=-1)
    search.fit(X_train, y_train)
    print(search.best_params_, search.score(X_test, y_test))


if __name__ == "__main__":
    main()
