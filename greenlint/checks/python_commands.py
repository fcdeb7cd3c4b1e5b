"""Shell commands written in Python (not a rule): the argument of a `subprocess` / `os.system`
call, a list of words or one string, followed through the names it is bound to. Part of
`commands.shell_commands`."""
from __future__ import annotations

import ast
from typing import Iterator

from ..frontends.parameters import call_arguments
from .commands import ShellCommand, commands_of_text

_SUBPROCESS_CALLS = {"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
                     "subprocess.Popen", "subprocess.getoutput", "subprocess.getstatusoutput", "os.system", "os.popen"}


def subprocess_commands(ctx) -> Iterator[ShellCommand]:
    runners: dict[str, str] = {}  # a function of the file -> its parameter that it runs as a command
    for call in ctx.calls:
        if (ctx.qualname(call.func) or "") not in _SUBPROCESS_CALLS:
            continue
        arg = _command_argument(call)
        function = ctx.enclosing_function(call)
        if isinstance(arg, ast.Name) and function is not None \
                and arg.id in [a.arg for a in function.args.posonlyargs + function.args.args]:
            runners[function.name] = arg.id
        for arg in _command_expressions(ctx, arg):
            yield from _python_command(ctx, arg)
    yield from _handed_commands(ctx, runners)


def _command_argument(call: ast.Call):
    return call.args[0] if call.args else next((k.value for k in call.keywords if k.arg in ("args", "command", "cmd")), None)


def _handed_commands(ctx, runners: dict[str, str]) -> Iterator[ShellCommand]:
    """A command handed to a function of the file that runs its parameter (`run_command(["az", "ml",
    "workspace", "create", "--location", location], "...")`, where `run_command` calls
    `subprocess.run(command)`): the command that call runs."""
    if not runners:
        return
    for call in ctx.calls:
        name = call.func.id if isinstance(call.func, ast.Name) else None
        function = ctx.functions.get(name) if name in runners else None
        if function is None:
            continue
        given = dict(call_arguments(call, function)).get(runners[name])  # type: ignore[index]
        for arg in _command_expressions(ctx, given) if given is not None else ():
            yield from _python_command(ctx, arg)


def _command_expressions(ctx, node) -> list:
    """What a subprocess call's argument stands for; a name bound in several branches, each value."""
    found = _command_expression(ctx, node)
    if isinstance(found, ast.Name) and found is node:
        return [_command_expression(ctx, value) for value in ctx.bound_values(node)] or [node]
    return [found]


def _python_command(ctx, arg) -> Iterator[ShellCommand]:
    if isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Add) and isinstance(arg.left, (ast.List, ast.Tuple)):
        arg = arg.left  # `[...] + trainer_args`: the program and its options, then arguments not known here
    if isinstance(arg, (ast.List, ast.Tuple)):
        words = tuple(_python_word(e) for e in arg.elts)
        yield ShellCommand(words, (None,) * len(words), tuple(arg.elts))
    elif isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        column = _string_column(ctx, arg)
        for command in commands_of_text(arg.value, arg.lineno, max(column, 0)):
            if column < 0:
                command = ShellCommand(command.words, (None,) * len(command.words), (arg,) * len(command.words))
            yield command
    elif isinstance(arg, ast.JoinedStr):
        text = "".join(_python_word(v) if isinstance(v, ast.FormattedValue) else str(v.value) for v in arg.values)
        for command in commands_of_text(text, arg.lineno):
            yield ShellCommand(command.words, (None,) * len(command.words), (arg,) * len(command.words))


def _command_expression(ctx, node):
    """What a subprocess call's command stands for: the list or string a name is bound to
    (`cmd = [...]; call(cmd)`), and a string split into words (`text.split(" ")`,
    `shlex.split(text)`) as that string."""
    for _ in range(4):
        if isinstance(node, ast.Name):
            value = ctx.expression_of(node)
            if value is None or value is node:
                return node
            node = value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "split" \
                and ctx.qualname(node.func) is None:
            node = node.func.value
        elif isinstance(node, ast.Call) and ctx.qualname(node.func) == "shlex.split" and node.args:
            node = node.args[0]
        else:
            return node
    return node


def _string_column(ctx, node) -> int:
    """0-based column of the first character inside a one-line plain string literal, or -1."""
    line_text = ctx.lines[node.lineno - 1] if node.lineno == node.end_lineno and 0 < node.lineno <= len(ctx.lines) else ""
    quote = line_text[node.col_offset:node.col_offset + 1]
    if not line_text.isascii() or quote not in ("'", '"') or line_text[node.col_offset:node.col_offset + 3] in ('"""', "'''"):
        return -1
    return node.col_offset + 1


def _python_word(node) -> str:
    """A list element or f-string part as a shell word: a string as itself, a name as `{name}`."""
    if isinstance(node, ast.FormattedValue):
        node = node.value
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return "{" + node.id + "}"
    return "{?}"
