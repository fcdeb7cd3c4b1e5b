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
