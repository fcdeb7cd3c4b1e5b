"""Search learning rates with Optuna."""
import optuna
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import cross_val_score

X, y = load_breast_cancer(return_X_y=True)


def objective(trial: optuna.Trial) -> float:
    model = GradientBoostingClassifier(learning_rate=trial.suggest_float("lr", 1e-3, 1.0, log=True))
    return cross_val_score(model, X, y, cv=3).mean()


study = optuna.create_study(direction="maximize")
study.optimize(objective)
