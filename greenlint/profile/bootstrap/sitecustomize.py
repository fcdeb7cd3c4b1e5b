"""greenlint profile bootstrap: loaded by every Python process of a profiled run.

`greenlint profile` puts this folder first on PYTHONPATH, so Python imports this file as
`sitecustomize` in the child and in every worker it starts (scikit-learn's n_jobs, DataLoader
workers). It installs import hooks that count units of work and report them to the parent;
then it runs the `sitecustomize` this one shadows, if there is one. It never imports a
library the program does not import itself.
"""
import os
import sys


def _chain_shadowed_sitecustomize() -> None:
    # Find the next `sitecustomize` on sys.path after this folder and run it as this module
    # would have been, so a site's own customisation keeps working while profiled.
    import importlib.machinery
    import importlib.util

    here = os.path.dirname(os.path.abspath(__file__))
    rest = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", rest)
    if spec is None or spec.loader is None or spec.origin == __file__:
        return
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    # Keep what the original defined reachable, as `import sitecustomize` would.
    for key, value in vars(module).items():
        if not key.startswith("__"):
            globals().setdefault(key, value)


if os.environ.get("GREENLINT_PROFILE_PIPE"):
    try:
        # Importable because this folder is on PYTHONPATH.
        import _greenlint_profile_hooks

        _greenlint_profile_hooks.install()
    except Exception as exc:  # never break the program being measured
        sys.stderr.write(f"greenlint profile: instrumentation disabled: {exc!r}\n")

try:
    _chain_shadowed_sitecustomize()
except Exception as exc:
    sys.stderr.write(f"greenlint profile: the shadowed sitecustomize failed: {exc!r}\n")
