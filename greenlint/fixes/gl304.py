"""GL304 densified-sparse-data: `OneHotEncoder(sparse_output=False)` -> `sparse_output=True` (and
the pre-1.2 `sparse=False` -> `sparse=True`; `DictVectorizer(sparse=False)` likewise).

Unsafe: the encoder then returns a scipy.sparse matrix, which code that indexes, concatenates or
prints it as an array handles differently. The detector attaches the fix only where every use of
the encoder's output goes to an estimator that accepts sparse input.
"""
from __future__ import annotations

import ast

from ..finding import Fix
from ..frontends.python import PythonContext, kwarg


def keep_sparse(ctx: PythonContext, encoder: ast.Call, flag: str) -> Fix | None:
    value = kwarg(encoder, flag)
    if not (isinstance(value, ast.Constant) and value.value is False):
        return None  # a name set to False elsewhere: the fix would edit the wrong place
    return Fix(f"keep the encoder's output sparse ({flag}=True)", "unsafe", (ctx.edit_replace(value, "True"),))
