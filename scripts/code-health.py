"""Size limits of greenlint's own code: no function above cyclomatic complexity 25 and no module
above 600 lines (issue 9). A script, not a test: it reports and exits 1 when a limit is broken.

    python scripts/code-health.py [--max-complexity 25] [--max-lines 600] [PACKAGE_DIR]

Complexity is McCabe's, counted as radon counts it: 1, plus 1 for each `if`/`elif`, loop,
`except`, `case`, conditional expression, comprehension `for`/`if`, `assert`, and each extra
operand of `and`/`or`. Nested functions and classes are measured on their own.
"""
from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

BRANCHES = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.ExceptHandler, ast.IfExp, ast.Assert, ast.match_case)


def complexity(function: ast.AST) -> int:
    score = 1
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue  # measured on its own
        if isinstance(node, BRANCHES):
            score += 1
        elif isinstance(node, ast.BoolOp):
            score += len(node.values) - 1
        elif isinstance(node, ast.comprehension):
            score += 1 + len(node.ifs)
        stack.extend(ast.iter_child_nodes(node))
    return score


def functions(tree: ast.AST, prefix: str = ""):
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield f"{prefix}{node.name}", node
            yield from functions(node, f"{prefix}{node.name}.")
        elif isinstance(node, ast.ClassDef):
            yield from functions(node, f"{prefix}{node.name}.")
        else:
            yield from functions(node, prefix)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", nargs="?", type=Path, default=Path(__file__).resolve().parents[1] / "greenlint")
    parser.add_argument("--max-complexity", type=int, default=25)
    parser.add_argument("--max-lines", type=int, default=600)
    args = parser.parse_args(argv)

    too_complex, too_long = [], []
    for path in sorted(args.package.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n")
        shown = path.relative_to(args.package.parent)
        if lines > args.max_lines:
            too_long.append((lines, shown))
        for name, node in functions(ast.parse(text)):
            score = complexity(node)
            if score > args.max_complexity:
                too_complex.append((score, f"{shown}:{node.lineno} {name}"))
    for score, where in sorted(too_complex, reverse=True):
        print(f"complexity {score:3d}  {where}")
    for lines, shown in sorted(too_long, reverse=True):
        print(f"{lines:5d} lines  {shown}")
    print(f"{len(too_complex)} functions above complexity {args.max_complexity}, "
          f"{len(too_long)} modules above {args.max_lines} lines")
    return 1 if too_complex or too_long else 0


if __name__ == "__main__":
    sys.exit(main())
