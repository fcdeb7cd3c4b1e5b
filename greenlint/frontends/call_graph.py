"""The file's own call graph, as the value model reads it: the calls of each function of the file
by its plain name, what those calls give each parameter, which parameter an argument reaches,
and what a function returns. Mixed into `values.ValueModel`; not a rule.
"""
from __future__ import annotations

import ast
from functools import cached_property

from .bindings import walk_no_defs
from .parameters import call_arguments
from .pyast import walk


class CallGraphModel:
    def call_sites(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.Call]:
        """The calls of this file to a module-level or nested function by its plain name."""
        return self._calls_by_name.get(function.name, []) if self.functions.get(function.name) is function else []

    def passed_arguments(self, name: ast.Name) -> list[ast.expr]:
        """What every call of the file gives the parameter that `name` reads (`predict_titles(titles)`
        for `def predict_titles(titles)`), where the function rebinds it, if at all, only from
        itself (`values = values.reshape(-1, 1)`); [] when `name` is no such parameter, when
        nothing calls its function by name, or when a call leaves it out."""
        function = self.enclosing_function(name)
        if function is None or name.id not in {a.arg for a in function.args.posonlyargs + function.args.args}:
            return []
        if any(not any(isinstance(n, ast.Name) and n.id == name.id for n in walk(value))
               for value in self.local_assignments(function).get(name.id, [])):
            return []
        passed = self.arguments_given(function, name.id)
        return passed if all(passed) else []

    def arguments_given(self, function: ast.FunctionDef | ast.AsyncFunctionDef, param: str) -> list[ast.expr | None]:
        """What each call of the file gives the parameter `param` of `function` (None where a call
        leaves it out)."""
        return [dict(call_arguments(site, function)).get(param) for site in self.call_sites(function)]

    def receiving_parameter(self, call: ast.Call, argument: ast.expr) -> tuple[ast.FunctionDef, str] | None:
        """The function of this file that `call` calls by name, and the parameter `argument` goes to
        (`compare_layers(model)` -> `def compare_layers(m)`, `m`)."""
        function = self.functions.get(call.func.id) if isinstance(call.func, ast.Name) else None
        param = next((p for p, a in call_arguments(call, function) if a is argument), None) if function is not None else None
        return (function, param) if param is not None else None  # type: ignore[return-value]

    def returned_values(self, call: ast.Call) -> list[ast.expr]:
        """What a call of a plain function of this file (`features = preprocess(df)`) may give:
        the values of the function's own `return` statements. Empty when the callee is not a
        function of the file called by its name (a method, an import) or returns nothing."""
        function = self.functions.get(call.func.id) if isinstance(call.func, ast.Name) else None
        if function is None or isinstance(self.parents.get(function), ast.ClassDef):
            return []
        return [n.value for n in walk_no_defs(function) if isinstance(n, ast.Return) and n.value is not None]

    def constructions(self, cls: ast.ClassDef) -> list[ast.Call]:
        """The calls of this file that construct `cls` by its plain name (`Pipeline(configs)`)."""
        return self._calls_by_name.get(cls.name, [])

    @cached_property
    def _calls_by_name(self) -> dict[str, list[ast.Call]]:
        sites: dict[str, list[ast.Call]] = {}
        for call in self.calls:
            if isinstance(call.func, ast.Name):
                sites.setdefault(call.func.id, []).append(call)
        return sites
