"""Whether code is a test, by what it does (pytest's and unittest's conventions and asserting
something), never by the file's name. Tests pick their models to exercise code, not to train or
serve them. Shared by the model rules; not a rule."""
from __future__ import annotations

import ast

from ..frontends.python import PythonContext, dotted
from ..frontends.pyast import call_name, walk

_SETUP_METHODS = ("setUp", "setUpClass", "setup_method", "setup_class")


def _asserts(ctx: PythonContext, func: ast.AST) -> bool:
    """The function checks something: an `assert`, an assertion helper (`self.assert*(...)`,
    `assert_frame_equal(...)`, deepeval's `assert_test(...)`), `pytest.raises`/`approx`,
    `numpy.testing` / `torch.testing`."""
    for sub in walk(func):
        if isinstance(sub, ast.Assert):
            return True
        if isinstance(sub, ast.Call):
            if call_name(sub).startswith("assert"):
                return True
            if (ctx.qualname(sub.func) or "").startswith(("pytest.", "numpy.testing.", "torch.testing.")):
                return True
    return False


def is_test_function(ctx: PythonContext, func: ast.AST) -> bool:
    """A test by pytest's and unittest's conventions and by what it does: a `test*` function that
    asserts something (an evaluation loop called `test(model, loader)` asserts nothing), a pytest
    fixture, or a unittest set-up method."""
    if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    if func.name.startswith("test"):
        return _asserts(ctx, func)
    if func.name in _SETUP_METHODS:
        cls = ctx.enclosing_class(func)
        return cls is not None and is_test_class(ctx, cls)
    return any((ctx.qualname(d.func if isinstance(d, ast.Call) else d) or "").startswith("pytest.fixture")
               for d in func.decorator_list)


def is_test_class(ctx: PythonContext, cls: ast.ClassDef) -> bool:
    """A `unittest.TestCase` subclass, also through a project's own base class named by the same
    convention (`AccelerateTestCase`, `TempDirTestCase`: a name ending in `TestCase`), or a pytest
    `Test*` class whose test methods assert."""
    if any((ctx.qualname(b) or dotted(b) or "").split(".")[-1].endswith("TestCase") for b in cls.bases):
        return True
    return cls.name.startswith("Test") and any(
        isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name.startswith("test") and _asserts(ctx, s)
        for s in cls.body)


def is_test_module(ctx: PythonContext) -> bool:
    """The module is a test suite by what it defines (test functions or test classes at top
    level), whatever the file is called: its module-level code sets up fixtures for the tests."""
    def build() -> bool:
        for stmt in ctx.tree.body:
            if isinstance(stmt, ast.ClassDef) and is_test_class(ctx, stmt):
                return True
            if is_test_function(ctx, stmt) and stmt.name.startswith("test"):  # type: ignore[union-attr]
                return True
        return False
    return ctx.memo("testing_code.is_test_module", build)


def in_test_code(ctx: PythonContext, node: ast.AST) -> bool:
    """`node` runs as part of a test: inside a test function, a test class, or at the top of a
    test module. Tests pick their models to exercise code, not to train or serve them."""
    for anc in ctx.ancestors(node):
        if is_test_function(ctx, anc) or (isinstance(anc, ast.ClassDef) and is_test_class(ctx, anc)):
            return True
    return is_test_module(ctx)
