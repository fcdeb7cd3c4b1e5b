"""Counting units of work inside a profiled program, without changing what it does.

Each patch runs right after its library's module is first imported (an import hook), wraps
with `functools.wraps` (scikit-learn and others inspect signatures) and reports events to the
parent as JSON lines on the pipe named by GREENLINT_PROFILE_PIPE:

    {"pid": 12, "t": <time.monotonic()>, "kind": "fit", "done": 3}
    {"pid": 12, "t": ..., "kind": "fit", "planned": 60, "candidates": 12, "folds": 5, ...}

`done` and `planned` add up over all processes; `t` is CLOCK_MONOTONIC, shared by all
processes of the machine, so the parent can place each event on its energy timeline.
Nothing here may raise into the program: every hook swallows its own errors.
"""
import functools
import json
import os
import sys
import threading
import time

_PIPE = os.environ.get("GREENLINT_PROFILE_PIPE", "")
_lock = threading.Lock()
_fd = None
_fd_pid = None
# "done" counts are batched so that a loop of tiny steps does not pay a syscall per step.
_pending = {}
_last_flush = [0.0]
_FLUSH_S = 0.05


def _write(record):
    global _fd, _fd_pid
    if not _PIPE:
        return
    line = (json.dumps(record, separators=(",", ":")) + "\n").encode()
    try:
        if _fd is None or _fd_pid != os.getpid():
            flags = os.O_WRONLY | os.O_APPEND | getattr(os, "O_NONBLOCK", 0)
            _fd = os.open(_PIPE, flags)
            _fd_pid = os.getpid()
        os.write(_fd, line)  # one write below PIPE_BUF bytes: atomic among processes
    except OSError:
        pass


def _flush_locked(now):
    for kind, n in list(_pending.items()):
        if n:
            _write({"pid": os.getpid(), "t": now, "kind": kind, "done": n})
    _pending.clear()
    _last_flush[0] = now


def flush():
    with _lock:
        _flush_locked(time.monotonic())


def done(kind, n=1):
    now = time.monotonic()
    with _lock:
        _pending[kind] = _pending.get(kind, 0) + n
        if now - _last_flush[0] >= _FLUSH_S:
            _flush_locked(now)


def plan(kind, planned, **info):
    now = time.monotonic()
    with _lock:
        _flush_locked(now)
        record = {"pid": os.getpid(), "t": now, "kind": kind, "planned": planned}
        record.update({k: v for k, v in info.items() if v is None or isinstance(v, (int, float, str, bool))})
        _write(record)


def _warn(what, exc):
    try:
        sys.stderr.write(f"greenlint profile: could not instrument {what}: {exc!r}\n")
    except Exception:
        pass


def _finite_int(value):
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if number != number or number in (float("inf"), float("-inf")) or number < 0:
        return None
    return int(number)


# ---- scikit-learn ---------------------------------------------------------------------

_search_stack = threading.local()


def _patch_sklearn_validation(module):
    original = getattr(module, "_fit_and_score", None)
    if original is None or getattr(original, "_greenlint", False):
        return

    @functools.wraps(original)
    def _fit_and_score(*args, **kwargs):
        result = original(*args, **kwargs)
        # Searches pass candidate_progress; cross_validate does not, and is not a search.
        if kwargs.get("candidate_progress") is not None:
            done("fit")
        return result

    _fit_and_score._greenlint = True
    module._fit_and_score = _fit_and_score
    search = sys.modules.get("sklearn.model_selection._search")
    if search is not None and getattr(search, "_fit_and_score", None) is original:
        search._fit_and_score = _fit_and_score


def _n_splits(search, cv):
    stack = getattr(_search_stack, "items", None)
    X = y = None
    params = {}
    if stack:
        _, X, y, params = stack[-1]
    try:
        if cv is None:
            from sklearn.base import is_classifier
            from sklearn.model_selection import check_cv

            cv = check_cv(search.cv, y, classifier=is_classifier(search.estimator))
        try:
            return int(cv.get_n_splits(X, y, groups=params.get("groups")))
        except TypeError:
            return int(cv.get_n_splits(X, y))
    except Exception:
        value = getattr(search, "n_splits_", None)
        return int(value) if isinstance(value, int) else None


def _wrap_run_search(cls):
    original = getattr(cls, "_run_search", None)
    if original is None or getattr(original, "_greenlint", False):
        return

    @functools.wraps(original)
    def _run_search(self, evaluate_candidates, *args, **kwargs):
        @functools.wraps(evaluate_candidates)
        def counted(candidate_params, *a, **kw):
            candidate_params = list(candidate_params)
            try:
                cv = kw.get("cv", a[0] if a else None)
                folds = _n_splits(self, cv)
                n = len(candidate_params)
                plan(
                    "fit",
                    n * folds if folds is not None else None,
                    candidates=n,
                    folds=folds,
                    search=type(self).__name__,
                    n_iter=getattr(self, "n_iter", None),
                    refit=bool(getattr(self, "refit", False)),
                )
            except Exception as exc:
                _warn("a scikit-learn search's plan", exc)
            return evaluate_candidates(candidate_params, *a, **kw)

        return original(self, counted, *args, **kwargs)

    _run_search._greenlint = True
    cls._run_search = _run_search


def _patch_sklearn_search(module):
    base = getattr(module, "BaseSearchCV", None)
    if base is None or getattr(base.fit, "_greenlint", False):
        return
    original = base.fit

    @functools.wraps(original)
    def fit(self, X, y=None, *args, **params):
        try:
            _wrap_run_search(type(self))
        except Exception as exc:
            _warn("a scikit-learn search", exc)
        stack = getattr(_search_stack, "items", None)
        if stack is None:
            stack = _search_stack.items = []
        stack.append((self, X, y, params))
        try:
            return original(self, X, y, *args, **params)
        finally:
            stack.pop()

    fit._greenlint = True
    base.fit = fit


# ---- Keras ----------------------------------------------------------------------------

def _patch_keras(module):
    model = getattr(module, "Model", None)
    callbacks = getattr(module, "callbacks", None)
    base = getattr(callbacks, "Callback", None)
    if model is None or base is None or getattr(model.fit, "_greenlint", False):
        return

    class GreenlintKerasCallback(base):
        initial_epoch = 0

        def on_train_begin(self, logs=None):
            params = self.params or {}
            epochs = _finite_int(params.get("epochs"))
            steps = _finite_int(params.get("steps"))
            if epochs is not None:
                epochs = max(epochs - self.initial_epoch, 0)
                plan("epoch", epochs, source="keras")
                if steps is not None:
                    plan("step", epochs * steps, source="keras")

        def on_train_batch_end(self, batch, logs=None):
            done("step")

        def on_epoch_end(self, epoch, logs=None):
            done("epoch")

    original = model.fit

    @functools.wraps(original)
    def fit(self, *args, **kwargs):
        try:
            callback = GreenlintKerasCallback()
            callback.initial_epoch = _finite_int(kwargs.get("initial_epoch")) or 0
            if len(args) > 5:  # x, y, batch_size, epochs, verbose, callbacks
                args = list(args)
                args[5] = list(args[5] or []) + [callback]
            else:
                kwargs["callbacks"] = list(kwargs.get("callbacks") or []) + [callback]
        except Exception as exc:
            _warn("keras Model.fit", exc)
        return original(self, *args, **kwargs)

    fit._greenlint = True
    model.fit = fit


# ---- Hugging Face Trainer -------------------------------------------------------------

def _patch_transformers_trainer(module):
    trainer = getattr(module, "Trainer", None)
    callback_module = sys.modules.get("transformers.trainer_callback")
    base = getattr(callback_module, "TrainerCallback", None)
    if trainer is None or base is None or getattr(trainer.__init__, "_greenlint", False):
        return

    class GreenlintTrainerCallback(base):
        def on_train_begin(self, args, state, control, **kwargs):
            steps = _finite_int(getattr(state, "max_steps", None))
            if steps:
                plan("step", max(steps - (getattr(state, "global_step", 0) or 0), 0), source="transformers")
            epochs = _finite_int(getattr(args, "num_train_epochs", None))
            if epochs and not (getattr(args, "max_steps", 0) or 0) > 0:
                plan("epoch", epochs, source="transformers")

        def on_step_end(self, args, state, control, **kwargs):
            done("step")

        def on_epoch_end(self, args, state, control, **kwargs):
            done("epoch")

    original = trainer.__init__

    @functools.wraps(original)
    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        try:
            self.add_callback(GreenlintTrainerCallback())
        except Exception as exc:
            _warn("transformers Trainer", exc)

    __init__._greenlint = True
    trainer.__init__ = __init__


# ---- Lightning ------------------------------------------------------------------------

def _patch_lightning_trainer(module):
    package = module.__name__.rsplit(".trainer.trainer", 1)[0]
    trainer = getattr(module, "Trainer", None)
    base = getattr(sys.modules.get(package + ".callbacks"), "Callback", None)
    if base is None:
        base = getattr(sys.modules.get(package + ".callbacks.callback"), "Callback", None)
    if trainer is None or base is None or getattr(trainer.__init__, "_greenlint", False):
        return

    class GreenlintLightningCallback(base):
        def on_train_start(self, trainer, pl_module):
            epochs = _finite_int(getattr(trainer, "max_epochs", None))
            batches = _finite_int(getattr(trainer, "num_training_batches", None))
            max_steps = getattr(trainer, "max_steps", -1)
            if epochs:
                plan("epoch", epochs, source="lightning")
                if batches and (max_steps is None or max_steps < 0):
                    plan("step", epochs * batches, source="lightning")

        def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx, *args):
            done("step")

        def on_train_epoch_end(self, trainer, pl_module, *args):
            done("epoch")

    original = trainer.__init__

    @functools.wraps(original)
    def __init__(self, *args, **kwargs):
        try:
            given = kwargs.get("callbacks")
            given = [] if given is None else (list(given) if isinstance(given, (list, tuple)) else [given])
            kwargs["callbacks"] = given + [GreenlintLightningCallback()]
        except Exception as exc:
            _warn("Lightning Trainer", exc)
        original(self, *args, **kwargs)

    __init__._greenlint = True
    trainer.__init__ = __init__


# ---- XGBoost and LightGBM -------------------------------------------------------------

def _replace_train(modules, original, wrapper):
    for module in modules:
        if module is not None and getattr(module, "train", None) is original:
            module.train = wrapper


def _patch_xgboost(module):
    training = sys.modules.get("xgboost.training")
    base = getattr(sys.modules.get("xgboost.callback"), "TrainingCallback", None)
    original = getattr(training, "train", None)
    if original is None or base is None or getattr(original, "_greenlint", False):
        return

    class GreenlintXGBoostCallback(base):
        def after_iteration(self, model, epoch, evals_log):
            done("round")
            return False

    @functools.wraps(original)
    def train(params, dtrain, *args, **kwargs):
        try:
            rounds = args[0] if args else kwargs.get("num_boost_round", 10)
            plan("round", _finite_int(rounds), source="xgboost")
            if "callbacks" in kwargs or len(args) < 2:
                kwargs["callbacks"] = list(kwargs.get("callbacks") or []) + [GreenlintXGBoostCallback()]
        except Exception as exc:
            _warn("xgboost.train", exc)
        return original(params, dtrain, *args, **kwargs)

    train._greenlint = True
    _replace_train([module, training, sys.modules.get("xgboost.sklearn")], original, train)


def _patch_lightgbm(module):
    engine = sys.modules.get("lightgbm.engine")
    original = getattr(engine, "train", None)
    if original is None or getattr(original, "_greenlint", False):
        return

    def _make_callback():
        state = {"planned": False}

        def greenlint_round(env):
            if not state["planned"]:
                state["planned"] = True
                plan("round", _finite_int(env.end_iteration - env.begin_iteration), source="lightgbm")
            done("round")

        greenlint_round.order = 100
        return greenlint_round

    @functools.wraps(original)
    def train(params, train_set, *args, **kwargs):
        try:
            if len(args) < 6:  # callbacks is far down the positional list; only add by keyword
                kwargs["callbacks"] = list(kwargs.get("callbacks") or []) + [_make_callback()]
        except Exception as exc:
            _warn("lightgbm.train", exc)
        return original(params, train_set, *args, **kwargs)

    train._greenlint = True
    _replace_train([module, engine, sys.modules.get("lightgbm.sklearn")], original, train)


# ---- the import hook ------------------------------------------------------------------

PATCHES = {
    "sklearn.model_selection._validation": _patch_sklearn_validation,
    "sklearn.model_selection._search": _patch_sklearn_search,
    "keras": _patch_keras,
    "tf_keras": _patch_keras,
    "transformers.trainer": _patch_transformers_trainer,
    "lightning.pytorch.trainer.trainer": _patch_lightning_trainer,
    "pytorch_lightning.trainer.trainer": _patch_lightning_trainer,
    "xgboost": _patch_xgboost,
    "lightgbm": _patch_lightgbm,
}


def _apply(name, module):
    try:
        PATCHES[name](module)
    except Exception as exc:
        _warn(name, exc)


class _Finder:
    """Runs a patch right after its module has executed; finds nothing itself."""

    def __init__(self):
        self._busy = set()

    def find_spec(self, name, path=None, target=None):
        if name not in PATCHES or name in self._busy:
            return None
        import importlib.util

        self._busy.add(name)
        try:
            spec = importlib.util.find_spec(name)
        except Exception:
            return None
        finally:
            self._busy.discard(name)
        loader = getattr(spec, "loader", None)
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        original = loader.exec_module

        def exec_module(module):
            original(module)
            _apply(name, module)

        # Per-instance attribute: each source module has its own loader object.
        try:
            loader.exec_module = exec_module
        except Exception:
            pass
        return spec

    def invalidate_caches(self):
        pass


_installed = [False]


def install():
    if _installed[0]:
        return
    _installed[0] = True
    sys.meta_path.insert(0, _Finder())
    for name in PATCHES:  # already imported (unusual in a fresh process): patch now
        if name in sys.modules:
            _apply(name, sys.modules[name])
    import atexit

    atexit.register(flush)
