"""The semantic model's index holds every node of the tree (contexts and operators aside),
although it skips the fields that never hold a node."""
import ast

from greenlint.frontends.python import _index

SOURCE = '''
import os.path as p
from x import y as z
def f(a: int, *b, c=1, **d) -> str:
    global g
    try:
        return f"{a!r:>{c}}" + os.sep
    except ValueError as e:
        raise
    finally:
        pass
class K(Base, metaclass=M):
    n: int = 3
    async def g(self):
        async for i in aiter():
            await i
match v:
    case [1, *rest] as whole:
        pass
    case {"k": q, **others}:
        pass
lambda q=[1, 2]: {k: v for k, v in q}
'''


def test_index_holds_every_node_ast_walk_finds():
    tree = ast.parse(SOURCE)
    expected = [n for n in ast.walk(tree) if not isinstance(n, (ast.expr_context, ast.operator,
                ast.boolop, ast.unaryop, ast.cmpop))]
    nodes, parents, _ = _index(tree)
    assert nodes == expected
    assert all(node in parents for node in nodes[1:])


def test_walk_and_child_nodes_answer_as_the_ast_modules_own():
    """`pyast.walk` / `child_nodes` skip the fields that never hold a node, yet give what
    `ast.walk` / `ast.iter_child_nodes` give, node for node and in order (contexts and operators
    included), from every node: the detectors read them in place of the standard ones."""
    from pathlib import Path

    from greenlint.frontends.pyast import child_nodes, walk

    sources = [SOURCE] + [p.read_text(encoding="utf-8") for p in sorted(Path(ast.__file__).parent.glob("a*.py"))[:5]]
    for source in sources:
        for node in ast.walk(ast.parse(source)):
            assert list(walk(node)) == list(ast.walk(node))
            assert child_nodes(node) == list(ast.iter_child_nodes(node))
