"""GL101-GL103 beyond the YAML examples: numbers in messages and impact, API generations, and
regression cases for false alarms found on real projects (optuna-examples, tune-sklearn,
keras-tuner, the scikit-learn wheel)."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from greenlint.engine import lint_text


def lint(source: str, codes=("GL101",), filename: str = "train.py", options=None):
    findings = lint_text(textwrap.dedent(source), filename=filename, select=list(codes), options=options or {})
    return [f for f in findings if f.code in codes]


# ---- GL101: sizes and costs -----------------------------------------------------------------

def test_grid_size_folds_and_suggestion_in_impact():
    (f,) = lint("""
        from sklearn.model_selection import GridSearchCV
        from sklearn.svm import SVC
        param_grid = {"C": [0.1, 1, 10, 100], "gamma": [1, 0.1, 0.01, 0.001], "kernel": ["rbf", "poly", "sigmoid"]}
        search = GridSearchCV(SVC(), param_grid, cv=5)
    """)
    assert (f.line, f.column) == (5, 10)
    assert f.impact == {"candidates": 48, "folds": 5, "fits": 240, "suggested_iterations": 12,
                        "suggested_fits": 60, "saving_fraction": 0.75}
    assert "48 candidates x 5 folds" in f.message and "240 fits" in f.message and "n_iter=12" in f.message


def test_large_grid_is_capped_at_suggested_iterations_option():
    src = """
        from sklearn.model_selection import GridSearchCV
        import numpy as np
        grid = [{"C": np.logspace(-3, 3, 7), "gamma": np.logspace(-4, 0, 5), "kernel": ["rbf"]},
                {"C": np.logspace(-3, 3, 7), "kernel": ["linear"]}]
        GridSearchCV(est, grid)
    """
    (f,) = lint(src)
    assert f.impact["candidates"] == 35 + 7 and f.impact["folds"] == 5  # scikit-learn's default cv
    (g,) = lint(src.replace("np.logspace(-3, 3, 7), \"gamma\"", "np.logspace(-3, 3, 70), \"gamma\""),
                options={"GL101": {"suggested-iterations": 30}})
    assert g.impact["candidates"] == 350 + 7 and g.impact["suggested_iterations"] == 30


@pytest.mark.parametrize("cv,folds", [
    ("KFold(n_splits=3)", 3), ("StratifiedKFold(10, shuffle=True)", 10), ("RepeatedStratifiedKFold(n_splits=5, n_repeats=3)", 15),
    ("ShuffleSplit()", 10), ("None", 5), ("7", 7),
])
def test_cv_splitters(cv, folds):
    (f,) = lint(f"""
        from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold, RepeatedStratifiedKFold, ShuffleSplit
        GridSearchCV(est, {{"a": [1, 2, 3], "b": [1, 2]}}, cv={cv})
    """)
    assert f.impact["folds"] == folds and f.impact["fits"] == 6 * folds


def test_unknown_cv_object_says_folds_unknown():
    (f,) = lint("""
        from sklearn.model_selection import GridSearchCV, LeaveOneOut
        GridSearchCV(est, {"a": [1, 2, 3], "b": [1, 2]}, cv=LeaveOneOut())
    """)
    assert f.impact["folds"] == "unknown" and "fits" not in f.impact and "unknown" in f.message


def test_default_cv_option():
    (f,) = lint("""
        from sklearn.model_selection import GridSearchCV
        GridSearchCV(est, {"a": [1, 2, 3], "b": [1, 2]})
    """, options={"GL101": {"default-cv": 3}})
    assert f.impact["folds"] == 3


def test_grid_extended_unconditionally_is_sized_as_it_ends():
    (f,) = lint("""
        from sklearn.model_selection import GridSearchCV
        grid = {"a": [1, 2]}
        grid["b"] = [1, 2, 3, 4]
        GridSearchCV(est, grid)
        grid["c"] = [1, 2, 3]
    """)
    assert f.impact["candidates"] == 8


def test_grid_extended_under_a_condition_is_not_sized():
    (f,) = lint("""
        from sklearn.model_selection import GridSearchCV
        grid = {"a": [1, 2]}
        if wide:
            grid["b"] = [1, 2, 3, 4]
        GridSearchCV(est, grid)
    """)
    assert "candidates" not in f.impact and "not knowable" in f.message


def test_halving_grid_is_a_note():
    (f,) = lint("""
        from sklearn.experimental import enable_halving_search_cv
        from sklearn.model_selection import HalvingGridSearchCV
        HalvingGridSearchCV(est, {"a": [1, 2, 3, 4], "b": [1, 2]}, factor=3)
    """)
    assert str(f.severity) == "note" and f.impact["candidates"] == 8


def test_old_sklearn_grid_search_module():
    (f,) = lint("""
        from sklearn.grid_search import GridSearchCV
        GridSearchCV(est, {"a": [1, 2, 3], "b": [1, 2]})
    """)
    assert f.line == 3


# ---- GL101: not flagged -------------------------------------------------------------------

def test_library_file_that_defines_the_class_is_skipped():
    assert lint("""
        from sklearn.model_selection import ParameterGrid
        class GridSearchCV(BaseSearchCV):
            def _run_search(self, evaluate_candidates):
                evaluate_candidates(ParameterGrid(self.param_grid))
    """) == []


def test_unknown_grid_passed_through_a_method_is_plumbing():
    # scikit-learn's RidgeCV and tune-sklearn's ListSearcher forward their user's grid
    assert lint("""
        from sklearn.model_selection import GridSearchCV, ParameterGrid
        class RidgeCV:
            def fit(self, X, y):
                parameters = {"alpha": self.alphas}
                return GridSearchCV(Ridge(), parameters, cv=self.cv).fit(X, y)
        class ListSearcher:
            def __init__(self, param_grid):
                self._configurations = list(ParameterGrid(param_grid))
    """) == []


def test_literal_grid_inside_a_method_is_still_reported():
    (f,) = lint("""
        from sklearn.model_selection import GridSearchCV
        class Experiment:
            def tune(self):
                return GridSearchCV(self.model, {"C": [1, 10, 100], "gamma": [0.1, 1]}).fit(self.X, self.y)
    """)
    assert f.impact["candidates"] == 6


def test_test_suites_are_skipped_unless_asked(tmp_path):
    # a test suite by what it defines (test functions that assert), never by the file's name
    suite = """
        from sklearn.model_selection import GridSearchCV

        def test_search_finds_best():
            search = GridSearchCV(est, {"a": [1, 2, 3], "b": [1, 2]})
            assert search.fit(X, y).best_score_ > 0.5
    """
    assert lint(suite, filename="check_search.py") == []
    assert len(lint(suite, filename="check_search.py", options={"GL101": {"include-tests": True}})) == 1
    script = """
        from sklearn.model_selection import GridSearchCV
        GridSearchCV(est, {"a": [1, 2, 3], "b": [1, 2]})
    """
    assert len(lint(script, filename="tests/test_search.py")) == 1  # a script, whatever its folder


def test_bare_name_without_import_is_not_a_detection():
    assert lint("""
        GridSearchCV(est, {"a": [1, 2, 3]})
        ParameterGrid({"a": [1, 2]})
    """) == []


# ---- GL101: Optuna, Ray, keras-tuner, CatBoost ----------------------------------------------

def test_grid_sampler_with_objective_in_another_module_is_reported():
    # shape of a real MAML script: the objective comes from a factory, the grid is literal
    (f,) = lint("""
        import optuna
        from optuna.samplers import GridSampler
        search_space = {"inner_lr": [0.01, 0.1], "meta_lr": [0.001, 0.0001], "steps": [1, 5, 10]}
        objective_function = create_objective(loaders)
        study = optuna.create_study(sampler=GridSampler(search_space))
        study.optimize(objective_function)
    """)
    assert f.impact["candidates"] == 12 and f.line == 6


def test_brute_force_sampler_with_toy_objective_is_not_reported():
    assert lint("""
        import optuna
        from optuna.samplers import BruteForceSampler
        def objective(trial):
            c = trial.suggest_categorical("c", ["float", "int"])
            return trial.suggest_float("x", 1, 3, step=0.5)
        optuna.create_study(sampler=BruteForceSampler()).optimize(objective)
    """) == []


def test_brute_force_sampler_size_from_the_objective():
    (f,) = lint("""
        import optuna
        def objective(trial):
            clf = make(trial.suggest_int("depth", 2, 10, step=2), trial.suggest_categorical("crit", ["gini", "entropy"]))
            clf.fit(X, y)
            return clf.score(Xv, yv)
        study = optuna.create_study(sampler=optuna.samplers.BruteForceSampler())
        study.optimize(objective)
    """)
    assert f.impact["candidates"] == 10


def test_ray_one_finding_per_config_and_num_samples_multiplies():
    findings = lint("""
        from ray import tune
        def train_fn(config):
            model = build(config)
            model.fit(x, y)
        tuner = tune.Tuner(
            train_fn,
            param_space={"lr": tune.grid_search([0.1, 0.01]), "bs": tune.grid_search([16, 32, 64])},
            tune_config=tune.TuneConfig(num_samples=2),
        )
    """)
    (f,) = findings
    assert f.impact["candidates"] == 12 and "num_samples=2" in f.message


def test_ray_old_api_with_spelled_out_grid_and_rllib_string_trainable():
    (f,) = lint("""
        import ray.tune
        ray.tune.run("PPO", config={"env": "CartPole-v1", "lr": {"grid_search": [1e-3, 1e-4]},
                                    "gamma": ray.tune.grid_search([0.9, 0.99])})
    """)
    assert f.impact["candidates"] == 4


def test_ray_config_variable_and_trainable_class():
    (f,) = lint("""
        from ray import tune
        class MyTrainable(tune.Trainable):
            def step(self):
                self.model.fit(self.x, self.y)
                return {"acc": 1.0}
        config = {"lr": tune.grid_search([0.1, 0.01, 0.001]), "batch_size": tune.grid_search([32, 64])}
        tune.run(MyTrainable, config=config)
    """)
    assert f.impact["candidates"] == 6


def test_ray_toy_trainable_not_reported():
    assert lint("""
        from ray import tune
        def objective(config):
            return {"score": config["a"] * config["b"]}
        search_space = {"a": tune.grid_search([1, 2, 3]), "b": tune.grid_search([4, 5])}
        tune.Tuner(objective, param_space=search_space).fit()
    """) == []


def test_keras_tuner_grid_size_from_hypermodel():
    (f,) = lint("""
        import keras_tuner
        def build_model(hp):
            units = hp.Int("units", min_value=32, max_value=128, step=32)
            act = hp.Choice("activation", ["relu", "tanh"])
            drop = hp.Boolean("dropout")
            return make(units, act, drop)
        tuner = keras_tuner.GridSearch(build_model, objective="val_loss", executions_per_trial=2)
    """)
    assert f.impact["candidates"] == 16 and f.impact["folds"] == 2 and f.impact["fits"] == 32


def test_keras_tuner_log_sampling_counts_powers_and_a_non_positive_bound_is_no_size():
    (f,) = lint("""
        import keras_tuner
        def build_model(hp):
            units = hp.Int("units", min_value=16, max_value=256, step=2, sampling="log")
            act = hp.Choice("activation", ["relu", "tanh"])
            return make(units, act)
        tuner = keras_tuner.GridSearch(build_model, objective="val_loss")
    """)
    assert f.impact["candidates"] == 10  # 16, 32, 64, 128, 256 x 2 activations
    # a log range needs positive bounds (keras-tuner rejects others): no size, and no crash
    findings = lint("""
        import keras_tuner
        def build_model(hp):
            units = hp.Int("units", min_value=4, max_value=-64, step=2, sampling="log")
            act = hp.Choice("activation", ["relu", "tanh"])
            return make(units, act)
        tuner = keras_tuner.GridSearch(build_model, objective="val_loss")
    """, codes=("GL000", "GL101"))
    assert [f.code for f in findings] == ["GL101"] and "candidates" not in findings[0].impact


def test_infinite_bounds_give_no_size_and_no_crash(tmp_path):
    # np.arange up to 1e999 (a float infinity): the axis has no countable length
    findings = lint("""
        import numpy as np
        from sklearn.model_selection import GridSearchCV
        search = GridSearchCV(model, {"a": np.arange(0, 1e999), "b": [1, 2]})
    """, codes=("GL000", "GL101"))
    assert [f.code for f in findings] == ["GL101"] and "candidates" not in findings[0].impact
    # a W&B grid over an int range ending at YAML's .inf, through the real CLI
    sweep = tmp_path / "sweep.yaml"
    sweep.write_text("method: grid\nparameters:\n  a: {min: 0, max: .inf}\n  b: {values: [1, 2]}\n")
    out = subprocess.run([sys.executable, "-m", "greenlint", "--select", "GL101", "--format", "json", "--exit-zero",
                          "--no-cache", str(sweep)], capture_output=True, text=True, check=True).stdout
    found = json.loads(out)["findings"]
    assert [(f["code"], f["impact"]["candidates"]) for f in found] == [("GL101", None)]


def test_catboost_grid_search_needs_a_catboost_model():
    findings = lint("""
        from catboost import CatBoostClassifier
        model = CatBoostClassifier(iterations=500)
        model.grid_search({"depth": [4, 6, 8], "learning_rate": [0.03, 0.1]}, X, y)
        other = SomethingElse()
        other.grid_search({"depth": [4, 6, 8]}, X, y)
    """)
    assert [f.line for f in findings] == [4]
    assert findings[0].impact["candidates"] == 6


# ---- GL101: hand-written grids ---------------------------------------------------------------

def test_loop_reported_at_the_header_only():
    (f,) = lint("""
        import itertools
        for lr, wd in itertools.product([1e-2, 1e-3], [0.0, 1e-4, 1e-2]):
            model = build(lr, wd)
            model.fit(X, y, epochs=10)
    """)
    assert (f.line, f.column, f.end_line) == (3, 1, 3)
    assert f.end_column == len("for lr, wd in itertools.product([1e-2, 1e-3], [0.0, 1e-4, 1e-2]):") + 1
    assert f.impact["candidates"] == 6


def test_product_over_dict_values_and_module_constants():
    (f,) = lint("""
        import itertools
        from sklearn.model_selection import cross_validate
        GRID = {"n_estimators": [100, 200, 400], "max_depth": [4, 8], "min_samples_leaf": [1, 5]}
        def main():
            for combo in itertools.product(*GRID.values()):
                params = dict(zip(GRID, combo))
                cross_validate(RandomForestClassifier(**params), X, y, cv=3)
    """)
    assert f.impact["candidates"] == 12 and f.impact["folds"] == 3 and f.impact["fits"] == 36


def test_three_level_nested_loops_one_finding():
    (f,) = lint("""
        for lr in [0.1, 0.01]:
            for depth in [3, 5, 7]:
                for n in [100, 200]:
                    xgb_model = XGBClassifier(learning_rate=lr, max_depth=depth, n_estimators=n)
                    xgb_model.fit(X, y)
    """)
    assert f.line == 2 and f.impact["candidates"] == 12


def test_a_range_whose_value_is_a_keyword_argument_is_an_axis():
    (f,) = lint("""
        from sklearn.ensemble import RandomForestRegressor
        for est in range(10, 51, 10):
            for depth in range(1, 11):
                model = RandomForestRegressor(random_state=1, n_estimators=est, max_depth=depth)
                model.fit(X_train, y_train)
    """)
    assert f.line == 3 and f.impact["candidates"] == 50
    # a range used only to index or count is not an axis
    assert lint("""
        for lr in [0.1, 0.01]:
            for n in range(1, 6):
                model = build(lr)
                model.fit(X[n], y[n])
    """) == []


def test_scaler_fit_is_not_training():
    assert lint("""
        from sklearn.preprocessing import StandardScaler
        for a in [0.1, 0.01]:
            for b in [0.0, 0.1]:
                scaler = StandardScaler(with_mean=a > 0)
                scaler.fit(X * b)
    """) == []


def test_non_training_loops_are_clean():
    assert lint("""
        import itertools
        results = []
        for lapse, gender, age in itertools.product([True, False], [True, False], [30, 40, 50]):
            results.append(premium(lapse, gender, age))
        for epoch in range(10):
            for batch in loader:
                model.fit(batch)
        for split in ["train", "val"]:
            for seed in [0, 1, 2]:
                model.fit(load(split), seed=seed)
        for lr in [0.1, 0.01]:
            for momentum in [0.9, 0.99]:
                model.train(True)
                evaluate(model, lr, momentum)
    """) == []


# ---- GL102 ----------------------------------------------------------------------------------

@pytest.mark.parametrize("call", [
    "study.optimize(objective)",
    "study.optimize(objective, n_trials=None, timeout=None)",
    "study.optimize(objective, n_jobs=-1, gc_after_trial=True)",
])
def test_optuna_unbounded(call):
    (f,) = lint(f"""
        import optuna
        study = optuna.create_study(storage="sqlite:///s.db", study_name="s", direction="maximize")
        {call}
    """, codes=("GL102",))
    assert f.line == 4 and "n_trials" in f.message and "timeout" in f.message


def test_optuna_2_study_constructor_and_load_study():
    findings = lint("""
        import optuna
        study = optuna.Study(study_name="MLP", storage="sqlite:///db.sqlite3")
        study.optimize(objective)
        other = optuna.load_study("x", storage="sqlite:///db.sqlite3")
        other.optimize(objective, timeout=3600)
    """, codes=("GL102",))
    assert [f.line for f in findings] == [4]


def test_optuna_unknown_receivers_and_bounded_forms_are_clean():
    assert lint("""
        import optuna
        def run(study, n):
            study.optimize(objective)  # a parameter: cannot tell it is an Optuna study
        study = optuna.create_study()
        study.optimize(objective, n_trials=n)
        study.optimize(objective, **kwargs)
        study.optimize(objective, callbacks=[stop_after_plateau])
        opt = torch.optim.SGD(params)
        scipy_result = minimize(f, x0)
    """, codes=("GL102",)) == []


def test_ray_unbounded_tuner_with_dict_stop():
    (f,) = lint("""
        from ray import tune, train
        tuner = tune.Tuner(
            trainable,
            tune_config=tune.TuneConfig(num_samples=-1, search_alg=algo),
            run_config=train.RunConfig(stop={"training_iteration": 10}),
        )
    """, codes=("GL102",))
    assert f.line == 5


def test_ray_tune_config_without_visible_tuner_is_not_reported():
    assert lint("""
        from ray import tune
        cfg = tune.TuneConfig(num_samples=-1)
        build_tuner(cfg)
    """, codes=("GL102",)) == []


# ---- GL103 ----------------------------------------------------------------------------------

def test_gl103_only_when_selected_and_objective_trains():
    src = """
        import optuna
        def objective(trial):
            clf = make(trial)
            clf.fit(X, y)
            accuracy = clf.score(Xv, yv)
            return accuracy
        study = optuna.create_study(direction="maximize")
        study.optimize(objective, n_trials=10)
    """
    (f,) = lint(src, codes=("GL103",))
    assert f.line == 8 and 'directions=["maximize", "minimize"]' in f.message
    # off by default: a plain run does not report it
    assert [x for x in lint_text(textwrap.dedent(src), filename="train.py") if x.code == "GL103"] == []


def test_gl103_multi_value_or_time_returning_objective_is_clean():
    assert lint("""
        import optuna
        def objective(trial):
            clf = make(trial)
            clf.fit(X, y)
            return clf.score(Xv, yv) - 0.01 * train_time
        optuna.create_study(direction="maximize").optimize(objective, n_trials=10)
    """, codes=("GL103",)) == []


# ---- end to end through the CLI -------------------------------------------------------------

def test_cli_reports_search_rules_with_impact(tmp_path):
    project = tmp_path / "proj"
    project.mkdir()
    (project / "tune.py").write_text(textwrap.dedent("""
        import optuna
        from sklearn.model_selection import GridSearchCV
        search = GridSearchCV(model, {"C": [1, 10, 100], "gamma": [0.1, 0.01]}, cv=3)
        study = optuna.create_study()
        study.optimize(objective)  # greenlint: ignore[GL101]
        for lr in [0.1, 0.01]:
            for depth in [2, 4]:
                clf = make(lr, depth)
                clf.fit(X, y)
    """).lstrip(), encoding="utf-8")
    (project / "tests").mkdir()
    (project / "tests" / "test_tune.py").write_text(
        "from sklearn.model_selection import GridSearchCV\nGridSearchCV(m, {'C': [1, 2, 3]})\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "greenlint", str(project), "--select", "GL1", "--format", "json",
                           "--no-cache"], capture_output=True, text=True)
    assert proc.returncode == 1, proc.stderr
    findings = json.loads(proc.stdout)["findings"]
    got = [(f["code"], f["line"], f["column"]) for f in findings]
    assert got == [("GL101", 3, 10), ("GL102", 5, 1), ("GL101", 6, 1)]
    assert findings[0]["impact"]["fits"] == 18 and findings[2]["impact"]["candidates"] == 4
    assert all(f["path"].endswith("tune.py") for f in findings)


def test_ray_rllib_algorithm_train_counts_as_training():
    # real shape: an RLlib sweep whose trainable builds an algorithm and calls algo.train()
    (f,) = lint("""
        from ray import tune
        from ray.rllib.algorithms.ppo import PPOConfig
        def train_fn(config):
            algo = PPOConfig().environment(config["env"]).build()
            for _ in range(config["train_iterations"]):
                algo.train()
        tune.run(train_fn, config={"env": "f1-pit-env", "train_iterations": 5,
                                   "sgd_minibatch_size": tune.grid_search([64, 128]),
                                   "lr": tune.grid_search([1e-3, 5e-4])}, stop={"training_iteration": 5})
    """)
    assert f.line == 9 and f.impact["candidates"] == 4


def test_ray_grid_over_seeds_or_envs_only_is_repetition_not_search():
    findings = lint("""
        from ray import tune
        def train_fn(config):
            model = build(config)
            model.fit(x, y)
        tune.run(train_fn, config={"manual_seed": tune.grid_search([1265, 1234, 5432]),
                                   "env": tune.grid_search(["CartPole-v1", "Pendulum-v1"]),
                                   "lr": tune.loguniform(1e-4, 1e-1)}, num_samples=10)
        tune.run(train_fn, config={"seed": tune.grid_search([0, 1, 2]), "lr": tune.grid_search([0.1, 0.01])})
        tune.run(train_fn, config={"seed": tune.grid_search([0, 1]), "lr": tune.grid_search([0.1, 0.01]),
                                   "wd": tune.grid_search([0.0, 0.1])})
    """)
    # the second run has one hyper-parameter axis besides its seeds: a coarser grid, not a search
    assert [(f.line, f.impact["candidates"]) for f in findings] == [(10, 4)]


def test_ray_grid_whose_trainable_calls_an_imported_training_function():
    # wandb/examples examples/ray-tune/pytorch-test.py: `train` comes from
    # ray.tune.examples.mnist_pytorch; the trainable also builds an optimizer
    source = """
        import torch.optim as optim
        from ray import tune
        from ray.tune.examples.mnist_pytorch import ConvNet, get_data_loaders, test, train

        def train_mnist(config):
            train_loader, test_loader = get_data_loaders()
            model = ConvNet()
            optimizer = optim.SGD(model.parameters(), lr=config["lr"], momentum=config["momentum"])
            for _i in range(10):
                train(model, optimizer, train_loader)
                tune.report(mean_accuracy=test(model, test_loader))

        tune.run(train_mnist, config={"lr": tune.grid_search([0.0001, 0.001, 0.1]),
                                      "momentum": tune.grid_search([0.9, 0.99])})
    """
    (f,) = lint(source)
    assert f.line == 14 and "6 candidates" in f.message
    # a trainable that only evaluates a formula trains nothing: not a search worth reporting
    assert lint("""
        from ray import tune
        def objective(config):
            tune.report(score=config["a"] ** 2)
        tune.run(objective, config={"a": tune.grid_search([1, 2, 3])})
    """) == []


def test_sampler_built_by_a_tuning_service_method_is_library_code():
    """Regression (kubeflow/katib pkg/suggestion/v1beta1/optuna/base_service.py): Katib's own
    implementation of the grid algorithm returns a GridSampler over its caller's space."""
    from greenlint.engine import lint_text

    service = (
        "import optuna\n"
        "class BaseOptunaService:\n"
        "    def _create_sampler(self, combinations):\n"
        "        return optuna.samplers.GridSampler(combinations, **self.algorithm_config)\n"
    )
    assert lint_text(service, filename="base_service.py", select=["GL101"]) == []
    script = "import optuna\nsampler = optuna.samplers.GridSampler(load_space())\n"
    assert [f.line for f in lint_text(script, filename="tune.py", select=["GL101"])] == [2]


def test_single_axis_grid_is_not_reported():
    """Regressions (jakevdp/PythonDataScienceHandbook 05.13-Kernel-Density-Estimation; skorch
    examples): one hyper-parameter. Random search wins over a grid when few of several axes
    matter; on one axis a random sample is only a coarser grid, so the advice does not apply."""
    from greenlint.engine import lint_text

    kde = ("import numpy as np\nfrom sklearn.model_selection import GridSearchCV, LeaveOneOut\n"
           "bandwidths = 10 ** np.linspace(-1, 1, 100)\n"
           "grid = GridSearchCV(KernelDensity(kernel='gaussian'), {'bandwidth': bandwidths}, cv=LeaveOneOut())\n")
    assert lint_text(kde, filename="kde.py", select=["GL101"]) == []
    two_axes = kde.replace("{'bandwidth': bandwidths}", "{'bandwidth': bandwidths, 'kernel': ['gaussian', 'tophat']}")
    assert [f.line for f in lint_text(two_axes, filename="kde.py", select=["GL101"])] == [4]
    literal = kde.replace("{'bandwidth': bandwidths}", "{'bandwidth': [0.1, 0.5, 1.0]}")
    assert lint_text(literal, filename="kde.py", select=["GL101"]) == []  # one axis, even when sized
    pinned = kde.replace("{'bandwidth': bandwidths}", "{'bandwidth': bandwidths, 'kernel': ['gaussian']}")
    assert lint_text(pinned, filename="kde.py", select=["GL101"]) == []  # the other keys are settings


def test_notebook_rebinding_the_grid_sizes_each_search_by_its_own_cell():
    """Regression (skorch-dev/skorch notebooks/LLM_Classifier.ipynb): `params` is rebound before
    each GridSearchCV; each search is sized by the binding that reaches it instead of 'not
    knowable'."""
    from greenlint.engine import lint_text

    source = ("from sklearn.model_selection import GridSearchCV\n"
              "params = {'prompt': [p0, p1], 'max_samples': [3, 5]}\n"
              "search = GridSearchCV(clf, param_grid=params, cv=2)\n"
              "params = {'tfidf__max_features': [500, 1000], 'tfidf__ngram_range': [(1, 1), (1, 2), (1, 3)]}\n"
              "search = GridSearchCV(pipe, param_grid=params, cv=2)\n")
    found = lint_text(source, filename="nb.py", select=["GL101"])
    assert [(f.line, f.impact["candidates"], f.impact["fits"]) for f in found] == [(3, 4, 8), (5, 6, 12)]
    # a binding inside a branch does not reach the search: the size stays unknown
    branchy = source.replace("params = {'tfidf", "if flag:\n    params = {'tfidf").replace("(1, 3)]}\n", "(1, 3)]}\n", 1)
    found = lint_text(branchy, filename="nb.py", select=["GL101"])
    assert [f.line for f in found] == [3, 6] and "candidates" not in found[1].impact


# ---- tests through the CLI on files written to tmp_path ---------------------------------------

def cli(tmp_path, files: dict[str, str], codes=("GL101",)):
    """Write `files`, run `python -m greenlint --format json` on them, return [(file, line, finding)]."""
    for name, text in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text))
    done = subprocess.run([sys.executable, "-m", "greenlint", "--format", "json", "--no-cache",
                           "--select", ",".join(codes), *files], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode in (0, 1), done.stderr
    found = json.loads(done.stdout)["findings"]
    return [(f["path"], f["line"], f) for f in found if f["code"] in codes]


def test_single_axis_grid_written_with_dict_call_is_not_reported(tmp_path):
    """`dict(n_neighbors=range(1, 31))` is the same one-axis grid as `{"n_neighbors": ...}`."""
    found = cli(tmp_path, {"knn.py": """
        from sklearn.model_selection import GridSearchCV
        neighbours = list(range(1, 31))
        grid = dict(n_neighbors=neighbours)
        GridSearchCV(knn, grid, cv=10)
        GridSearchCV(knn, [dict(n_neighbors=neighbours), dict(n_neighbors=[40, 50])], cv=10)
        GridSearchCV(knn, dict(n_neighbors=neighbours, weights=["uniform", "distance"]), cv=10)
    """})
    assert [(line, f["impact"]["fits"]) for _, line, f in found] == [(7, 600)]


def test_grid_with_a_computed_axis_in_a_method_is_reported_with_a_floor(tmp_path):
    """A grid whose hyper-parameters the method writes out is its own search, even when one axis
    is computed; a grid passed in by the caller (a library wrapping GridSearchCV) is not."""
    found = cli(tmp_path, {"helpers.py": """
        from sklearn.model_selection import GridSearchCV
        class Tuner:
            def tune(self, X, y):
                space = {"C": [0.1, 1, 10], "k": range(1, X.shape[1] + 1), "penalty": ["l1", "l2"]}
                return GridSearchCV(self.model, space, cv=3).fit(X, y)
            def wrap(self, space):
                return GridSearchCV(self.model, space)
    """})
    assert [line for _, line, _ in found] == [6]
    impact = found[0][2]["impact"]
    assert impact["candidates_at_least"] == 6 and "candidates" not in impact
    assert "at least 6 candidates" in found[0][2]["message"]


# ---- tuning platforms: sweeps written in Python, SDK grid strategies, unbounded budgets --------

def test_wandb_sweep_dict_built_in_steps_is_read_like_the_yaml(tmp_path):
    """W&B's own tutorial builds the sweep dict key by key; the finished dict is what runs.
    An agent `count=` below the grid size stops the sweep early (as `run_cap` does)."""
    found = cli(tmp_path, {"sweep.py": """
        import wandb
        config = {"method": "grid"}
        space = {"optimizer": {"values": ["adam", "sgd"]}, "dropout": {"values": [0.1, 0.3, 0.5]}}
        space.update({"epochs": {"value": 5}})
        config["parameters"] = space
        sweep_id = wandb.sweep(config, project="demo")
        wandb.agent(sweep_id, function=train, count=6)
    """, "capped.py": """
        import wandb
        sweep_id = wandb.sweep(sweep={"method": "grid", "parameters": {"a": {"values": [1, 2, 3]}, "b": {"values": [4, 5]}}})
        wandb.agent(sweep_id, function=train, count=3)
    """, "random.py": """
        import wandb
        wandb.sweep({"method": "random", "parameters": {"a": {"values": [1, 2, 3]}, "b": {"values": [4, 5]}}})
    """})
    assert [(path, line, f["impact"]["candidates"]) for path, line, f in found] == [("sweep.py", 3, 6)]


@pytest.mark.parametrize("source,line,candidates", [
    ("""
        from azureml.train.hyperdrive import GridParameterSampling, HyperDriveConfig, choice
        sampling = GridParameterSampling({"--lr": choice(0.1, 0.01, 0.001), "--batch": choice([16, 32])})
        config = HyperDriveConfig(run_config=run, hyperparameter_sampling=sampling, primary_metric_name="acc", max_total_runs=50)
    """, 3, 6),
    ("""
        from azure.ai.ml import command
        from azure.ai.ml.sweep import Choice
        job = command(code="./src", command="python train.py", inputs={"lr": 0.01, "bs": 16})
        trial = job(lr=Choice(values=[0.1, 0.01, 0.001]), bs=Choice(values=[16, 32, 64]))
        sweep = trial.sweep(compute="gpu", sampling_algorithm="grid", primary_metric="acc", goal="Maximize")
    """, 6, 9),
    ("""
        from azure.ai.ml.sweep import Choice, GridSamplingAlgorithm, SweepJob
        SweepJob(sampling_algorithm=GridSamplingAlgorithm(), trial=job, search_space={"a": Choice(values=[1, 2]), "b": Choice(values=[3, 4])})
    """, 3, 4),
    ("""
        import kubeflow.katib as katib
        client = katib.KatibClient()
        client.tune(name="t", objective=fn, algorithm_name="grid", parameters={
            "lr": katib.search.double(min=0.01, max=0.05, step=0.01), "act": katib.search.categorical(["relu", "tanh"])})
    """, 4, 10),
    ("""
        from nni.experiment import Experiment
        experiment = Experiment("local")
        experiment.config.search_space = {"lr": {"_type": "choice", "_value": [0.1, 0.01]}, "layers": {"_type": "randint", "_value": [1, 4]}}
        experiment.config.tuner.name = "GridSearch"
    """, 5, 6),
    ("""
        from pyspark.ml.tuning import ParamGridBuilder, CrossValidator
        grid = ParamGridBuilder().addGrid(lr.regParam, [0.1, 0.01]).addGrid(lr.elasticNetParam, [0.0, 0.5, 1.0]).build()
        CrossValidator(estimator=lr, estimatorParamMaps=grid, evaluator=ev, numFolds=5)
    """, 3, 6),
    # built key by key through a name, in an excerpt whose imports live elsewhere (a course file)
    ("""
        params = ParamGridBuilder()
        params = params.addGrid(lr.regParam, [0.01, 0.1, 1.0, 10.0]) \\
                       .addGrid(lr.elasticNetParam, [0.0, 0.5, 1.0])
        params = params.build()
        cv = CrossValidator(estimator=pipeline, estimatorParamMaps=params, evaluator=ev, numFolds=5)
    """, 2, 12),
    ("""
        from h2o.grid.grid_search import H2OGridSearch
        H2OGridSearch(model, hyper_params={"max_depth": [3, 5, 7], "learn_rate": [0.01, 0.1]})
    """, 3, 6),
    ("""
        import boto3
        boto3.client("sagemaker").create_hyper_parameter_tuning_job(HyperParameterTuningJobConfig={"Strategy": "Grid",
            "ParameterRanges": {"CategoricalParameterRanges": [{"Name": "a", "Values": ["1", "2"]}, {"Name": "b", "Values": ["x", "y", "z"]}]}})
    """, 3, 6),
    ("""
        from google.cloud.aiplatform_v1.types import StudySpec
        study_spec = {"algorithm": StudySpec.Algorithm.GRID_SEARCH, "parameters": [
            {"parameter_id": "a", "discrete_value_spec": {"values": [1, 2]}}, {"parameter_id": "b", "integer_value_spec": {"min_value": 1, "max_value": 3}}]}
    """, 3, 6),
    ("""
        from google.cloud import aiplatform
        from google.cloud.aiplatform import hyperparameter_tuning as hpt
        aiplatform.HyperparameterTuningJob(display_name="x", custom_job=job, metric_spec={"acc": "maximize"}, max_trial_count=40,
            parameter_spec={"units": hpt.DiscreteParameterSpec(values=[64, 128, 256], scale="linear"),
                            "act": hpt.CategoricalParameterSpec(values=["relu", "tanh"])}, search_algorithm="grid")
    """, 6, 6),
])
def test_grid_strategies_of_tuning_platforms_in_python(tmp_path, source, line, candidates):
    found = cli(tmp_path, {"tune.py": source})
    assert [(l, f["impact"]["candidates"]) for _, l, f in found] == [(line, candidates)]


@pytest.mark.parametrize("source", [
    # a trial limit below the grid: the platform stops before the grid is exhausted
    """
        from azureml.train.hyperdrive import GridParameterSampling, HyperDriveConfig, choice
        sampling = GridParameterSampling({"--lr": choice(0.1, 0.01, 0.001), "--batch": choice([16, 32])})
        HyperDriveConfig(run_config=run, hyperparameter_sampling=sampling, primary_metric_name="acc", max_total_runs=4)
    """,
    """
        from google.cloud import aiplatform
        from google.cloud.aiplatform import hyperparameter_tuning as hpt
        aiplatform.HyperparameterTuningJob(display_name="x", custom_job=job, metric_spec={"acc": "maximize"}, max_trial_count=4,
            parameter_spec={"units": hpt.DiscreteParameterSpec(values=[64, 128, 256], scale="linear"),
                            "act": hpt.CategoricalParameterSpec(values=["relu", "tanh"])}, search_algorithm="grid")
    """,
    # random strategies and one-axis grids
    """
        from azure.ai.ml import command
        from azure.ai.ml.sweep import Choice
        trial = command(code="./src", command="python train.py")(lr=Choice(values=[0.1, 0.01]), bs=Choice(values=[16, 32]))
        trial.sweep(compute="gpu", sampling_algorithm="random", primary_metric="acc", goal="Maximize")
    """,
    """
        from h2o.grid.grid_search import H2OGridSearch
        H2OGridSearch(model, {"max_depth": [3, 5, 7], "learn_rate": [0.01, 0.1]}, search_criteria={"strategy": "RandomDiscrete", "max_models": 4})
    """,
    """
        from pyspark.ml.tuning import ParamGridBuilder
        grid = ParamGridBuilder().addGrid(lr.regParam, [0.1, 0.01, 0.001]).build()
    """,
    # the same words without the platforms' APIs
    """
        class Job:
            def sweep(self, sampling_algorithm): ...
        Job().sweep(sampling_algorithm="grid")
        settings = {"method": "grid", "layout": {"columns": 3}}
    """,
])
def test_platform_look_alikes_are_not_reported(tmp_path, source):
    assert cli(tmp_path, {"tune.py": source}) == []


def test_nni_and_comet_config_files(tmp_path):
    found = cli(tmp_path, {"config.yml": """
        searchSpace:
          batch_size: {_type: choice, _value: [16, 32, 64]}
          lr: {_type: quniform, _value: [0.01, 0.05, 0.01]}
        trialCommand: python3 train.py
        tuner:
          name: GridSearch
    """, "v1.yml": """
        searchSpacePath: search_space.json
        tuner:
          builtinTunerName: GridSearch
        trial: {command: python3 train.py}
    """, "tpe.yml": """
        searchSpace:
          lr: {_type: choice, _value: [0.1, 0.01]}
          bs: {_type: choice, _value: [16, 32]}
        tuner:
          name: TPE
    """, "optimizer.json": """
        {"algorithm": "grid", "spec": {"metric": "loss", "objective": "minimize"},
         "parameters": {"lr": {"type": "discrete", "values": [0.1, 0.01, 0.001]}, "act": {"type": "categorical", "values": ["relu", "tanh"]}}}
    """})
    assert [(path, line, f["impact"]["candidates"]) for path, line, f in found] == [
        ("config.yml", 7, 15), ("optimizer.json", 2, 6), ("v1.yml", 4, None)]


def test_determined_grid_experiment_configs(tmp_path):
    found = cli(tmp_path, {"grid.yaml": """
        name: mnist-grid
        entrypoint: model_def:MNistTrial
        searcher:
          name: grid
          metric: validation_loss
          max_length: {batches: 1000}
          max_concurrent_trials: 4
        hyperparameters:
          global_batch_size: 64
          learning_rate: {type: log, base: 10, minval: -4, maxval: -1, count: 4}
          n_filters: {type: int, minval: 8, maxval: 10, count: 5}
          optimizer: {type: categorical, vals: [adam, sgd]}
          head:
            dropout: {type: double, minval: 0.1, maxval: 0.5, count: 3}
            layers: {type: const, val: 2}
    """, "asha.yaml": """
        searcher: {name: adaptive_asha, metric: validation_loss, max_trials: 16}
        hyperparameters:
          lr: {type: categorical, vals: [0.1, 0.01]}
          bs: {type: categorical, vals: [16, 32]}
    """, "one-axis.yaml": """
        searcher: {name: grid, metric: loss}
        hyperparameters:
          global_batch_size: 32
          lr: {type: categorical, vals: [0.1, 0.01, 0.001]}
    """})
    # 4 learning rates x 3 integers (count 5 > the 3 in [8, 10]) x 2 optimizers x 3 dropouts
    assert [(path, line, f["impact"]["candidates"]) for path, line, f in found] == [("grid.yaml", 5, 72)]
    assert "Determined grid search trains all 72 combinations" in found[0][2]["message"]


def test_hydra_basic_sweeper_params_are_a_grid(tmp_path):
    config = """
        defaults:
          - model: resnet
          - _self_
        OVERRIDE
        trainer:
          max_epochs: 30
        hydra:
          sweeper:
            params:
              model.lr: 0.1,0.01,0.001
              data.batch_size: choice(32, 64)
              model.depth: range(2, 10, 2)
              seed: 7
    """
    [(_, line, finding)] = cli(tmp_path, {"config.yaml": config.replace("OVERRIDE", "")})
    # 3 learning rates x 2 batch sizes x 4 depths (2, 4, 6, 8)
    assert line == 11 and finding["impact"]["candidates"] == 24  # at the first swept parameter
    assert "Hydra basic sweeper" in finding["message"]
    for selected in ("override hydra/sweeper: optuna", "override /hydra/sweeper: optuna", "hydra/sweeper: ax"):
        other = config.replace("- _self_", "- _self_\n  - " + selected).replace("OVERRIDE", "")
        assert cli(tmp_path, {"config.yaml": other}) == [], selected
    # an interval is read only by a sampling sweeper, selected in another file
    sampled = config.replace("OVERRIDE", "").replace("0.1,0.01,0.001", "interval(0.0001, 0.1)")
    assert cli(tmp_path, {"config.yaml": sampled}) == []


def test_clearml_grid_search_optimizer(tmp_path):
    source = """
        from clearml.automation import (DiscreteParameterRange, GridSearch, HyperParameterOptimizer,
                                        UniformIntegerParameterRange, UniformParameterRange)
        from clearml.automation.optuna import OptimizerOptuna

        ranges = [
            UniformIntegerParameterRange("General/layers", min_value=2, max_value=8, step_size=2),
            DiscreteParameterRange("General/batch_size", values=[32, 64, 128]),
            UniformParameterRange("General/lr", 0.001, 0.01, 0.003, include_max_value=False),
        ]
        optimizer = HyperParameterOptimizer(
            base_task_id=task_id,
            hyper_parameters=ranges,
            objective_metric_title="val", objective_metric_series="acc", objective_metric_sign="max",
            optimizer_class=GridSearch,
            max_number_of_concurrent_tasks=2,
            CAP
        )
        optimizer.start()
    """
    [(_, line, finding)] = cli(tmp_path, {"hpo.py": source.replace("CAP", "")})
    # 4 depths x 3 batch sizes x 3 learning rates (0.001, 0.004, 0.007; 0.010 excluded)
    assert line == 15 and finding["impact"]["candidates"] == 36
    assert cli(tmp_path, {"hpo.py": source.replace("CAP", "total_max_jobs=10,")}) == []  # capped below 36
    assert cli(tmp_path, {"hpo.py": source.replace("GridSearch,\n", "OptimizerOptuna,\n").replace("CAP", "")}) == []


def test_hyperopt_fmin_without_a_budget(tmp_path):
    found = cli(tmp_path, {"search.py": """
        from hyperopt import fmin, tpe
        from scipy.optimize import fmin as simplex
        fmin(objective, space, algo=tpe.suggest)
        fmin(objective, space, algo=tpe.suggest, max_evals=None)
        fmin(objective, space, tpe.suggest, 100)
        fmin(objective, space, algo=tpe.suggest, timeout=600)
        fmin(objective, space, algo=tpe.suggest, early_stop_fn=no_progress_loss(10))
        fmin(objective, space, algo=tpe.suggest, max_evals=args.evals)
        simplex(f, x0)
    """}, codes=("GL102",))
    assert [line for _, line, _ in found] == [4, 5]
    assert "sys.maxsize" in found[0][2]["message"]


def test_wandb_random_sweep_run_by_agents_without_count(tmp_path):
    found = cli(tmp_path, {"forever.py": """
        import wandb
        config = {"method": "bayes", "metric": {"name": "loss", "goal": "minimize"}, "parameters": {"lr": {"min": 0.0001, "max": 0.1}}}
        sweep_id = wandb.sweep(config, project="p")
        wandb.agent(sweep_id, function=train)
    """, "counted.py": """
        import wandb
        sweep_id = wandb.sweep({"method": "random", "parameters": {"lr": {"min": 0.0001, "max": 0.1}}})
        wandb.agent(sweep_id, function=train, count=20)
    """, "capped.py": """
        import wandb
        sweep_id = wandb.sweep({"method": "random", "run_cap": 30, "parameters": {"lr": {"min": 0.0001, "max": 0.1}}})
        wandb.agent(sweep_id, function=train)
    """}, codes=("GL102",))
    assert [(path, line) for path, line, _ in found] == [("forever.py", 5)]


def test_wandb_sweep_config_is_the_binding_that_reaches_the_sweep(tmp_path):
    """A config rebound cell after cell is read as the binding that reaches `wandb.sweep`; one bound
    in both arms of an `if` is not knowable, and GL102 stays silent; a module-level config used in a
    function is read when the module binds it once."""
    base = '{"method": "random", "parameters": {"lr": {"min": 0.0001, "max": 0.1}}}'
    capped = '{"method": "random", "run_cap": 30, "parameters": {"lr": {"min": 0.0001, "max": 0.1}}}'
    found = cli(tmp_path, {"recapped.py": f"""
        import wandb
        config = {base}
        config = {capped}
        sweep_id = wandb.sweep(config)
        wandb.agent(sweep_id, function=train)
    """, "uncapped_later.py": f"""
        import wandb
        config = {capped}
        config = {base}
        sweep_id = wandb.sweep(config)
        wandb.agent(sweep_id, function=train)
    """, "branches.py": f"""
        import wandb
        if quick:
            config = {capped}
        else:
            config = {base}
        sweep_id = wandb.sweep(config)
        wandb.agent(sweep_id, function=train)
    """, "in_function.py": f"""
        import wandb
        CONFIG = {base}
        def main():
            sweep_id = wandb.sweep(CONFIG)
            wandb.agent(sweep_id, function=train)
    """}, codes=("GL102",))
    assert sorted((path, line) for path, line, _ in found) == [("in_function.py", 6), ("uncapped_later.py", 6)]


def test_grid_is_the_binding_that_reaches_the_search(tmp_path):
    """A grid name resolves to the binding that reaches the search (PythonContext.reaching_assignment):
    a module-level grid used in a function defined above it, one assigned earlier in the block of
    `if __name__ == "__main__":`; a grid bound differently in the arms of an `if` has no known size."""
    imports = "from sklearn.model_selection import GridSearchCV\nfrom sklearn.svm import SVC\n"
    found = cli(tmp_path, {"module_grid.py": imports + textwrap.dedent("""
        def tune(X, y):
            return GridSearchCV(SVC(), GRID, cv=3).fit(X, y)
        GRID = {"C": [0.1, 1, 10], "gamma": [0.01, 0.1]}
    """), "main_block.py": imports + textwrap.dedent("""
        if __name__ == "__main__":
            grid = {"C": [0.1, 1], "gamma": [0.01, 0.1]}
            GridSearchCV(SVC(), grid, cv=3).fit(X, y)
    """), "branches.py": imports + textwrap.dedent("""
        if quick:
            grid = {"C": [0.1, 1], "gamma": [0.01, 0.1]}
        else:
            grid = {"C": [0.1, 1, 10, 100], "gamma": [0.001, 0.01, 0.1]}
        GridSearchCV(SVC(), grid, cv=3).fit(X, y)
    """)})
    sizes = {path: f["impact"].get("candidates") for path, _, f in found}
    assert sizes == {"module_grid.py": 6, "main_block.py": 4, "branches.py": None}


def test_arange_axis_is_sized_as_the_value_model_enumerates_it():
    sizes = []
    for axis in ("np.arange(0, 1, 0.25)", "np.arange(3)", "np.arange(0, 1, step=0.1)"):
        (f,) = lint(f"""
            import numpy as np
            from sklearn.model_selection import GridSearchCV
            search = GridSearchCV(model, {{"alpha": {axis}, "fit_intercept": [True, False]}})
        """)
        sizes.append(f.impact.get("candidates"))
    assert sizes == [8, 6, None]  # a keyword step is not enumerated: no size rather than a wrong one


def test_ai_platform_training_job_grid_search_is_sized_and_capped(tmp_path):
    """The legacy AI Platform (Cloud ML Engine) job spec: `trainingInput.hyperparameters` with
    `algorithm: GRID_SEARCH`, `params` (INTEGER ranges, DISCRETE / CATEGORICAL values) and `maxTrials`."""
    from test_cli import run

    spec = """\
        trainingInput:
          hyperparameters:
            goal: MAXIMIZE
            algorithm: GRID_SEARCH
            maxTrials: {trials}
            params:
            - parameterName: layers
              type: INTEGER
              minValue: 2
              maxValue: 4
            - parameterName: optimizer
              type: CATEGORICAL
              categoricalValues: [adam, sgd]
            - parameterName: units
              type: DISCRETE
              discreteValues: [64, 128]
        """
    for trials, expected in ((12, ["all 12 combinations"]), (5, [])):
        (tmp_path / "hptuning.yaml").write_text(textwrap.dedent(spec.format(trials=trials)))
        proc = run(["--format", "json", "--no-cache", "--select", "GL101", "."], tmp_path)
        found = [f["message"] for f in json.loads(proc.stdout)["findings"]]
        assert [m for m in expected if any(m in f for f in found)] == expected and len(found) == len(expected)


def test_a_sweep_config_module_is_capped_by_the_agents_of_the_modules_that_import_it(tmp_path):
    # The grid (9 combinations) lives in a module of its own; the scripts that import it run it.
    (tmp_path / "sweep_config.py").write_text(textwrap.dedent("""\
        sweep = {
            "method": "grid",
            "parameters": {"lr": {"values": [0.1, 0.01, 0.001]}, "width": {"values": [64, 128, 256]}},
        }
        """))
    script = tmp_path / "train.py"

    def reported() -> list[int]:
        out = subprocess.run([sys.executable, "-m", "greenlint", "--no-cache", "--select", "GL101", "--format", "json",
                              "sweep_config.py"], capture_output=True, text=True, cwd=tmp_path)
        return [f["line"] for f in json.loads(out.stdout)["findings"]]

    assert reported() == [2]  # nothing in view caps it
    header = "import wandb\nfrom sweep_config import sweep\nsweep_id = wandb.sweep(sweep)\n"
    script.write_text(header + "wandb.agent(sweep_id, train, count=5)\n")
    assert reported() == []
    script.write_text(header + "wandb.agent(sweep_id, train, count=5)\nwandb.agent(sweep_id, train)\n")
    assert reported() == [2]  # an agent that joins without a count runs the whole grid


@pytest.mark.parametrize("module", ["tune_sklearn", "ray.tune.sklearn"])
def test_tune_sklearn_grid_search_in_both_of_its_homes(module):
    source = f"""
        from {module} import TuneGridSearchCV
        from sklearn.linear_model import SGDClassifier
        grid = {{"alpha": [1e-4, 1e-1, 1], "epsilon": [0.01, 0.1]}}
        search = TuneGridSearchCV(SGDClassifier(), grid, early_stopping=True, max_iters=10)
        search.fit(x_train, y_train)
    """
    assert [f.line for f in lint(source)] == [5]


def test_a_parameter_grid_sampled_at_random_is_a_random_search():
    source = """
        import random
        from sklearn.model_selection import ParameterGrid
        space = {{"lr": [0.1, 0.01, 0.001], "depth": [2, 4, 8], "width": [64, 128]}}
        grid = list(ParameterGrid(space))
        {runs}
        for params in chosen:
            train(**params)
    """
    assert lint(source.format(runs="chosen = random.sample(grid, 5)")) == []
    assert [f.line for f in lint(source.format(runs="chosen = grid"))] == [5]


def test_a_wandb_grid_over_one_hyper_parameter_and_seeds_is_a_one_axis_grid():
    # Seeds repeat each run to measure its variance; the search chooses between batch sizes only.
    source = """
        import wandb
        sweep = {{
            "method": "grid",
            "parameters": {{"{repeat}": {{"values": [7, 8, 9]}}, "batch_size": {{"values": [64, 128, 256]}}}},
        }}
        wandb.agent(wandb.sweep(sweep), train)
    """
    assert lint(source.format(repeat="model_seed")) == []
    assert lint(source.format(repeat="randomState")) == []
    assert [f.line for f in lint(source.format(repeat="hidden_dim"))] == [4]
