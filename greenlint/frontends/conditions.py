"""Whether a branch runs with the values the code shows: `if not PRETRAIN:` under the module's
`PRETRAIN = True`, `if args.data == "imagenet":` under the argparse default "cifar10". A rule asks
`runs_by_default(node)` to set aside code that only runs when someone changes a default."""
from __future__ import annotations

import ast
import operator
from typing import Any, Iterator

from .bindings import is_parameter
from .pyast import UNKNOWN, call_name
from .pyast import walk

_COMPARISONS = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
                ast.Gt: operator.gt, ast.GtE: operator.ge, ast.In: lambda a, b: a in b,
                ast.NotIn: lambda a, b: a not in b, ast.Is: operator.is_, ast.IsNot: operator.is_not}
# String methods whose result the receiver's value decides (`args.arch.lower()`).
_STRING_METHODS = {"lower", "upper", "strip", "lstrip", "rstrip", "casefold", "startswith", "endswith"}


class ConditionModel:
    """Branch conditions evaluated with the value model (`literal`); mixed into the Python context."""

    def condition(self, test: ast.AST) -> bool | None:
        """Whether `test` holds with the values the code shows, or None when it does not show them."""
        value = self._truth(test)
        return None if value is UNKNOWN else bool(value)

    def chosen(self, node: Any) -> Any:
        """The branch of a conditional expression the values the code shows take (`(X_val, y_val)
        if SPLIT_VALIDATION else None` under `SPLIT_VALIDATION = False` is None), else `node`."""
        for _ in range(4):
            if not isinstance(node, ast.IfExp):
                break
            held = self.condition(node.test)
            if held is None:
                break
            node = node.body if held else node.orelse
        return node

    def runs_by_default(self, node: ast.AST, options: bool = True) -> bool:
        """False when an `if` (or conditional expression) around `node` takes the other branch
        with the values the code shows, or an `if` before it returns or raises in the branch
        taken. With `options=False`, a condition on a command-line option (`args.model ==
        "resnet"`) decides nothing: each of its branches is a configuration the program offers,
        and only code that constants rule out never runs."""
        return self._runs_by_default(node, options, 0)

    def _runs_by_default(self, node: ast.AST, options: bool, depth: int) -> bool:
        if any(options or not self._reads_option(branch.test, 0) for branch, _ in self._branches_not_taken(node)) \
                or any(options or not self._reads_option(exit_.test, 0) for exit_ in self._exits_taken_before(node)):
            return False
        # A function of the file runs only through its calls: when every one of them is ruled out
        # (`if run_training: train_loop(...)` under `run_training = False`), so is its body.
        function = self.enclosing_function(node)  # type: ignore[attr-defined]
        sites = self.call_sites(function) if function is not None and depth < 3 else []  # type: ignore[attr-defined]
        if not sites or self._named_other_than_called(function, len(sites)):
            return True
        return any(self._runs_by_default(site, options, depth + 1) for site in sites)

    def _named_other_than_called(self, function: ast.AST, calls: int) -> bool:
        """The function's name is read other than by its calls (a callback, `map(f, ...)`, an export)."""
        reads = self.memo("conditions.name_reads", lambda: _name_reads(self))  # type: ignore[attr-defined]
        return reads.get(function.name, 0) > calls  # type: ignore[attr-defined]

    def _exits_taken_before(self, node: ast.AST) -> Iterator[ast.If]:
        """Each `if` before `node` in an enclosing block whose taken branch, as the values the code
        shows decide it, ends in `return` or `raise` (`if run_lr_test: ...; return`, with every call
        passing `run_lr_test=True`): the code after it never runs."""
        child = node
        for ancestor in self.ancestors(node):  # type: ignore[attr-defined]
            for field in ("body", "orelse", "finalbody"):
                block = getattr(ancestor, field, None)
                if isinstance(block, list) and child in block:
                    for stmt in block[:block.index(child)]:
                        if isinstance(stmt, ast.If) and _ends_the_function(stmt, self.condition(stmt.test)):
                            yield stmt
            if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                return
            child = ancestor

    def other_branch_taken(self, node: ast.AST) -> list[ast.AST] | None:
        """The statements (or the expression) of the branch taken instead of the one holding
        `node`, when an `if` or conditional expression around it decides so with the values the
        code shows (option defaults included); None when none does."""
        for branch, in_body in self._branches_not_taken(node):
            other = branch.orelse if in_body else branch.body
            return other if isinstance(other, list) else [other]
        return None

    def _branches_not_taken(self, node: ast.AST) -> Iterator[tuple[ast.If | ast.IfExp, bool]]:
        """(condition, whether `node` is in its body) for each `if` around `node` whose test takes
        the other branch, innermost first."""
        child = node
        for ancestor in self.ancestors(node):  # type: ignore[attr-defined]
            if isinstance(ancestor, (ast.If, ast.IfExp)):
                in_body = _holds(ancestor.body, child)
                if in_body or _holds(ancestor.orelse, child):
                    held = self.condition(ancestor.test)
                    if held is not None and held != in_body:
                        yield ancestor, in_body
            child = ancestor

    def _reads_option(self, node: ast.AST, depth: int) -> bool:
        """`node` reads a command-line option: the parsed namespace, directly or through names,
        and through a parameter, the arguments this file's calls pass it (`main(model_flag)` with
        `model_flag = args.model_flag`)."""
        parsed = self.parsed_args_names  # type: ignore[attr-defined]
        for sub in walk(node):
            if isinstance(sub, ast.Name):
                if sub.id in parsed:
                    return True
                if depth < 3 and any(self._reads_option(v, depth + 1) for v in self.bound_values(sub)):  # type: ignore[attr-defined]
                    return True
                if depth < 3 and any(self._reads_option(a, depth + 1) for a in self._passed_arguments(sub)):
                    return True
        return False

    def _passed_arguments(self, name: ast.Name) -> list[ast.expr]:
        function = self.enclosing_function(name)  # type: ignore[attr-defined]
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) or not is_parameter(function, name.id):
            return []
        return [g for g in self.arguments_given(function, name.id) if isinstance(g, ast.expr)]  # type: ignore[attr-defined]

    def _truth(self, node: ast.AST) -> Any:
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            value = self._truth(node.operand)
            return UNKNOWN if value is UNKNOWN else not value
        if isinstance(node, ast.BoolOp):
            values = [self._truth(v) for v in node.values]
            decisive = isinstance(node.op, ast.Or)  # `or`: one true value decides; `and`: one false
            if any(v is not UNKNOWN and bool(v) is decisive for v in values):
                return decisive
            return UNKNOWN if any(v is UNKNOWN for v in values) else not decisive
        if isinstance(node, ast.Compare):
            left = self._operand(node.left)
            for op, right_node in zip(node.ops, node.comparators):
                right = self._operand(right_node)
                compare = _COMPARISONS.get(type(op))
                if left is UNKNOWN or right is UNKNOWN or compare is None:
                    return UNKNOWN
                try:
                    if not compare(left, right):
                        return False
                except TypeError:
                    return UNKNOWN
                left = right
            return True
        return self._operand(node)

    def _operand(self, node: ast.AST) -> Any:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _STRING_METHODS \
                and not node.keywords:
            receiver = self.literal(node.func.value)  # type: ignore[attr-defined]
            arguments = [self.literal(a) for a in node.args]  # type: ignore[attr-defined]
            if isinstance(receiver, str) and all(isinstance(a, (str, tuple)) for a in arguments):
                try:
                    return getattr(receiver, node.func.attr)(*arguments)
                except TypeError:
                    return UNKNOWN
            return UNKNOWN
        value = self.literal(node)  # type: ignore[attr-defined]
        if value is UNKNOWN and isinstance(node, ast.Name):  # `data = args.data.lower()`, then `data == ...`
            bound = self.bound_values(node)  # type: ignore[attr-defined]
            if len(bound) == 1 and isinstance(bound[0], ast.Call):
                return self._operand(bound[0])
        return value


def _name_reads(ctx: Any) -> dict[str, int]:
    reads: dict[str, int] = {}
    for name in ctx.nodes_of(ast.Name):
        if isinstance(name.ctx, ast.Load):
            reads[name.id] = reads.get(name.id, 0) + 1
    return reads


def _holds(branch: Any, child: ast.AST) -> bool:
    return branch is child or isinstance(branch, list) and any(s is child for s in branch)


_CONDITIONS = (ast.If, ast.IfExp, ast.Try, ast.ExceptHandler)
# Calls that end the program or the run: a handler that ends with one makes its `try` body required.
_LEAVING_CALLS = {"exit", "_exit", "quit", "abort", "error", "fail"}


def guards_of(ctx: Any, node: ast.AST) -> set[int]:
    """The conditions `node` runs under: each `if` (unless the values the code shows always take
    its branch that holds `node`), conditional expression and exception handler around it, and
    each `try` whose failure the code survives. A `try` whose every handler leaves
    (`raise`, `return`, `sys.exit()`, `parser.error()`) runs its body whenever the code goes on:
    a checkpoint load there is required, not optional."""
    guards, child = set(), node
    for ancestor in ctx.ancestors(node):
        if isinstance(ancestor, _CONDITIONS) and not _required_try(ancestor) and not _always_taken(ctx, ancestor, child):
            guards.add(id(ancestor))
        child = ancestor
    return guards


def _always_taken(ctx: Any, branch: ast.AST, child: ast.AST) -> bool:
    """The values the code shows always take the branch holding `child` (`if weights is not None:`
    where every call passes a weights file): no condition at all."""
    if not isinstance(branch, (ast.If, ast.IfExp)):
        return False
    held = ctx.condition(branch.test)
    return held is not None and held == _holds(branch.body, child)


def _required_try(node: ast.AST) -> bool:
    return isinstance(node, ast.Try) and bool(node.handlers) and all(_leaves(h.body[-1]) for h in node.handlers)


def _leaves(statement: ast.stmt) -> bool:
    if isinstance(statement, (ast.Raise, ast.Return)):
        return True
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call) \
        and call_name(statement.value) in _LEAVING_CALLS


def _ends_the_function(branch: ast.If, held: bool | None) -> bool:
    taken = branch.body if held else branch.orelse if held is False else []
    return bool(taken) and isinstance(taken[-1], (ast.Return, ast.Raise))
