"""Which of two nodes runs first, read from straight-line code: from each, outwards through the
statement lists that hold it and, from inside a function of the file, on through each call of that
function, up to the statement list that holds both. Also: code a script never runs, and the
statements during which names still hold what a call built."""
from __future__ import annotations

import ast
import re

from ..frontends.pyast import statement_path, walk
from ..frontends.python import PythonContext, call_name
from .scoped_names import name_key, refs, target_keys

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_DEPTH = 4  # calls followed outwards
_PATHS = 8  # call paths followed at most; more and the order is left unknown

Chain = list[tuple[int, int]]


def _chains(ctx: PythonContext, node: ast.AST, depth: int = 0) -> list[Chain] | None:
    """For each way the code reaches `node`, (id of a statement list, index of the statement in
    it) from `node` outwards; None when there are too many ways to follow."""
    chain: Chain = []
    for parent, statements, index in statement_path(node, ctx.ancestors(node)):
        if statements is not None:
            chain.append((id(statements), index))
        if isinstance(parent, _FUNCTIONS):
            sites = ctx.call_sites(parent)
            if not sites or depth >= _DEPTH:
                return [chain]
            outer = [c for site in sites for c in (_chains(ctx, site, depth + 1) or [None])]
            if len(outer) > _PATHS or any(c is None for c in outer):
                return None
            return [chain + c for c in outer]  # type: ignore[operator]
    return [chain]


def _after(later: Chain, earlier: Chain) -> bool:
    earlier_at = dict(earlier)
    for statements, index in later:
        if statements in earlier_at:
            return index > earlier_at[statements]
    return False


def runs_after(ctx: PythonContext, later: ast.AST, earlier: ast.AST) -> bool:
    """`later` is reached after `earlier` however the code reaches each (`train(model)` then
    `model.load_state_dict(torch.load(best))` to test it; a helper called twice, then the load):
    in the first statement list that leads to both, later's statement comes after earlier's.
    False when the order is not shown (the same statement, no common list, too many paths)."""
    later_chains, earlier_chains = _chains(ctx, later), _chains(ctx, earlier)
    if not later_chains or not earlier_chains:
        return False
    return all(_after(a, b) for a in later_chains for b in earlier_chains)


_DUNDER_OR_HOOK = ("__",)  # methods the runtime calls by protocol (`__init__`, `__call__`)


def never_runs(ctx: PythonContext, node: ast.AST) -> bool:
    """`node` sits in a function or class of a script that the script never names: a notebook, or
    a file with no `__main__` block whose module-level statements call things (three or more),
    among them functions of the file or constructions of its classes: its own code drives its
    functions. A module of
    definitions, a command-line module whose top level only sets up its parser (its `main` is an
    entry point), or a script with a `__main__` block (whose functions other files may import)
    keeps every function: they are its API."""
    if not plain_script(ctx):
        return False
    named = ctx.memo("run_order.named", lambda: _lines_naming(ctx))
    for anc in ctx.ancestors(node):
        if isinstance(anc, ast.ClassDef) and _unpickles(ctx):
            continue  # `model = torch.load(path)` builds an object of a class the pickle names
        if isinstance(anc, ast.ClassDef) or isinstance(anc, _FUNCTIONS) \
                and not isinstance(ctx.parent(anc), ast.ClassDef):  # a method runs through its class
            # A definition named only inside itself (`super(Model, self)`, recursion) is never entered.
            outside = [line for line in named.get(anc.name, ()) if not anc.lineno <= line <= anc.end_lineno]
            if not outside and not anc.name.startswith(_DUNDER_OR_HOOK) and not anc.decorator_list \
                    and anc.name not in unseen_words(ctx):
                return True
    return False


# Cell magics whose body is Python the kernel runs (`%%time`): an exported notebook keeps the body
# as a string, `get_ipython().run_cell_magic("time", "", "train(model)\\n")`.
_PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun", "debug"}
_WORD = re.compile(r"[A-Za-z_]\w*")


def cell_magic_words(ctx: PythonContext) -> frozenset[str]:
    """The words of the Python a script runs through cell magics (`%%time`), which greenlint does
    not parse."""
    def words() -> frozenset[str]:
        found: set[str] = set()
        for call in ctx.calls:
            if isinstance(call.func, ast.Attribute) and call.func.attr == "run_cell_magic" and len(call.args) == 3 \
                    and isinstance(call.args[0], ast.Constant) and call.args[0].value in _PYTHON_CELL_MAGICS \
                    and isinstance(call.args[2], ast.Constant) and isinstance(call.args[2].value, str):
                found.update(_WORD.findall(call.args[2].value))
        return frozenset(found)
    return ctx.memo("run_order.cell_magic_words", words)


def unseen_words(ctx: PythonContext) -> frozenset[str]:
    """The words of code the script runs that greenlint does not parse: its cell magics' Python,
    and, where a cell or statement of the file does not parse (a GL000), the file's whole text. A
    name among them may be read or called there."""
    return ctx.memo("run_order.unseen_words", lambda: cell_magic_words(ctx) | frozenset(_WORD.findall(ctx.unparsed)))


# Loaders that rebuild pickled objects, whose classes the script defines without naming them.
_UNPICKLERS = {"torch.load", "pickle.load", "pickle.loads", "joblib.load", "dill.load", "cloudpickle.load",
               "pandas.read_pickle"}


def _unpickles(ctx: PythonContext) -> bool:
    return ctx.memo("run_order.unpickles", lambda: any(ctx.qualname(c.func) in _UNPICKLERS for c in ctx.calls))


def _lines_naming(ctx: PythonContext) -> dict[str, list[int]]:
    """Each name the file reads or writes (as a name or an attribute), with the lines it is on."""
    lines: dict[str, list[int]] = {}
    for node in ctx.nodes_of(ast.Name):
        lines.setdefault(node.id, []).append(node.lineno)  # type: ignore[attr-defined]
    for node in ctx.nodes_of(ast.Attribute):
        lines.setdefault(node.attr, []).append(node.end_lineno or node.lineno)  # type: ignore[attr-defined]
    return lines


def plain_script(ctx: PythonContext) -> bool:
    """A script whose own module-level code drives its functions and classes (see `never_runs`)."""
    return ctx.memo("run_order.plain_script", lambda: _is_plain_script(ctx))


def runs_as_script(ctx: PythonContext) -> bool:
    """A notebook, or a file with no `__main__` block whose module-level statements call things
    (three or more): it is run, not imported, so a name its code never reads is never used. A
    module that only binds names (`bert = load(...)` for other files to import) is not one."""
    if ctx.kind == "notebook":
        return True
    if ctx.has_main_block:
        return False
    return len([s for s in ctx.tree.body if isinstance(s, ast.Expr) and isinstance(s.value, ast.Call)]) >= 3


def _is_plain_script(ctx: PythonContext) -> bool:
    if not runs_as_script(ctx):
        return False
    if ctx.kind == "notebook":
        return True
    top_level = [s for s in ctx.tree.body if not isinstance(s, (*_FUNCTIONS, ast.ClassDef))]
    own = {c.func.id for s in top_level for c in walk(s) if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)}
    return bool(own & (set(ctx.functions) | set(ctx.classes)))


# ---- while names still hold what a call built ----------------------------------------

def statement_in(body: list[ast.stmt], node: ast.AST, ctx: PythonContext) -> ast.stmt | None:
    """The statement of `body` that contains `node` (itself or an ancestor)."""
    ids = {id(s) for s in body}
    for candidate in [node, *ctx.ancestors(node)]:
        if id(candidate) in ids:
            return candidate  # type: ignore[return-value]
    return None


def rebinds(ctx: PythonContext, stmt: ast.stmt, names: set[str]) -> bool:
    """`stmt` binds every name of `names` to a value that does not come from them
    (`model = create_model()`, not `model = model.cuda()`); a `with` block does when a statement
    of its body, which always runs, does so before any reads them (`with strategy.scope(): model
    = create_model()`)."""
    if isinstance(stmt, (ast.With, ast.AsyncWith)):
        if any(refs(item.context_expr, ctx) & names for item in stmt.items):
            return False
        for inner in stmt.body:
            if rebinds(ctx, inner, names):
                return True
            if refs(inner, ctx) & names:
                return False
        return False
    if not isinstance(stmt, (ast.Assign, ast.AnnAssign)) or stmt.value is None:
        return False
    targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
    bound = {k for t in targets for k in target_keys(t, ctx)}
    return names <= bound and not refs(stmt.value, ctx) & names


def live_statements(ctx: PythonContext, call: ast.Call, names: set[str]) -> list[ast.stmt] | None:
    """The statements of the straight-line body around `call` during which `names` still hold
    what `call` built: from its statement up to the one that rebinds all of them to something
    else (a notebook that rebuilds `model` cell after cell). None when nothing rebinds them."""
    scope = ctx.enclosing_function(call) or ctx.tree
    body = getattr(scope, "body", [])
    plain = {n for n in names if "." not in n}
    start = statement_in(body, call, ctx)
    if start is None or not plain:
        return None
    index = body.index(start)
    for end in range(index + 1, len(body)):
        if rebinds(ctx, body[end], plain):
            return body[index:end]
    return None


def _functions_reaching(ctx: PythonContext, node: ast.AST) -> set[str]:
    """Names of the file's functions whose call can run `node`: the functions around it and,
    transitively, the functions that call those."""
    found = {f.name for f in ctx.ancestors(node) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))}
    callers = ctx.memo("run_order.callers", lambda: _callers(ctx))
    todo = list(found)
    while todo:
        for caller in callers.get(todo.pop(), ()):
            if caller not in found:
                found.add(caller)
                todo.append(caller)
    return found


def _callers(ctx: PythonContext) -> dict[str, set[str]]:
    """For each name called in a function of the file, the functions that call it (walked once)."""
    callers: dict[str, set[str]] = {}
    for name, func in ctx.functions.items():
        for call in walk(func):
            if isinstance(call, ast.Call):
                callers.setdefault(call_name(call), set()).add(name)
    return callers


def rebound_since(ctx: PythonContext, fit: ast.Call, derived: set[str], live: list[ast.stmt], holders: set[str]) -> bool:
    """Every name the fit reads that was derived from the value (`X_train` of a split of it) was
    last bound, before the fit, by a statement after the value's own names were rebound (after
    `live`), from none of the derived names (`holders`): a later split of other data, which the
    fit reads."""
    body = getattr(ctx.enclosing_function(fit) or ctx.tree, "body", [])
    at, end = statement_in(body, fit, ctx), statement_in(body, live[-1], ctx) if live else None
    if not derived or at is None or end is None:
        return False
    before = body[body.index(end) + 1:body.index(at)]
    for name in derived:
        binder = next((stmt for stmt in reversed(before) if rebinds(ctx, stmt, {name})), None)
        if binder is None or refs(getattr(binder, "value", binder), ctx) & holders:
            return False
    return True


def reached_while_live(ctx: PythonContext, evidence: ast.AST, live: list[ast.stmt], names: set[str]) -> bool:
    """`evidence` runs while `names` hold the object: it sits in one of the `live` statements
    (not in a `def` there, which only defines), or a live statement calls a function that runs it
    and either hands it one of `names` or reads one of them itself, as a global (a notebook's
    `def train(epoch): ... model(batch) ... loss.backward()`, called as `train(epoch)` before a
    later cell rebinds `model`)."""
    defined = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    inside_def = any(isinstance(a, defined) for a in ctx.ancestors(evidence))
    if not inside_def:
        return any(evidence is n for stmt in live for n in walk(stmt))
    runners = _functions_reaching(ctx, evidence)
    reading: dict[str, bool] = {}  # runner -> reads one of `names` as a global: walked when first asked
    for stmt in live:
        if isinstance(stmt, defined):
            continue
        for sub in walk(stmt):
            if not (isinstance(sub, ast.Call) and call_name(sub) in runners):
                continue
            if refs(sub, ctx) & names:
                return True
            runner = call_name(sub)
            if runner not in reading:
                reading[runner] = _reads_global(ctx, ctx.functions.get(runner), names)
            if reading[runner]:
                return True
    return False


def _reads_global(ctx: PythonContext, function: ast.AST | None, names: set[str]) -> bool:
    """The function reads one of `names` (keys of module-level names) without binding its own."""
    return function is not None and any(
        isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and name_key(ctx, n) in names for n in walk(function))


def binding_never_read(ctx: PythonContext, call: ast.Call) -> bool:
    """The object `call` builds is never read through the name it is bound to (GL303's loads):
    `BERT = TFBertModel.from_pretrained(...)`, then `BERT = ...` again before any read, so every
    read sees another binding. So too when nothing reads the name and the scope later rebinds or
    deletes it (`model = load(...)`, then a loop that loads others into `model` and `del model`):
    not even an importer sees it. Nor when nothing reads the name in a script or notebook
    (`runs_as_script`): nothing imports it."""
    assign = ctx.parent(call)
    if not (isinstance(assign, ast.Assign) and len(assign.targets) == 1 and isinstance(assign.targets[0], ast.Name)):
        return False
    name = assign.targets[0].id
    scope = ctx.enclosing_function(call) or ctx.tree
    reads = [r for r in ctx.reads_of(name, scope) if (ctx.enclosing_function(r) or ctx.tree) is scope]
    if not reads:
        return _never_read(ctx, name, scope) or any(isinstance(n.ctx, (ast.Store, ast.Del)) and n.id == name and n.lineno > assign.end_lineno
                   and (ctx.enclosing_function(n) or ctx.tree) is scope for n in ctx.nodes_of(ast.Name))
    seen = [ctx.reaching_assignment(r, scope) for r in reads]
    return all(value is not None and value is not call for value in seen)


def _never_read(ctx: PythonContext, name: str, scope: ast.AST) -> bool:
    """A script or notebook reads the name nowhere: not in its scope, not in a function that reads
    the same name (`def embed(texts): return model(**tokenizer(texts))`), not in a cell magic."""
    if not runs_as_script(ctx) or name in unseen_words(ctx):
        return False
    return not any(ctx.defining_scope(name, ctx.enclosing_function(r) or ctx.tree) is scope for r in ctx.reads_of(name))
