"""Old tutorial code written for Python 2 is checked, not lost to one GL000: its `print x`,
`exec code` and `except E, e:` statements are read as their Python 3 spelling with the same line
numbers (frontends/python2.py). What only Python 2 accepts beyond that stays a GL000."""
from __future__ import annotations

import json

from test_cli import run, write
from test_semantic_values import notebook

from greenlint.frontends.python2 import as_python3

GRID = """\
    from sklearn.model_selection import GridSearchCV
    from sklearn.svm import SVC
    print "searching"
    try:
        import cPickle
    except ImportError, e:
        print e
    search = GridSearchCV(SVC(), {"C": [0.1, 1, 10], "gamma": [0.1, 0.01]}, cv=3)
    print search.fit(X, y), "done"
    """


def codes_and_lines(tmp_path):
    proc = run(["--format", "json", "--no-cache", "."], tmp_path)
    return [(f["code"], f.get("cell"), f.get("cell_line") or f["line"]) for f in json.loads(proc.stdout)["findings"]]


def test_a_python2_script_is_checked_at_its_own_lines(tmp_path):
    write(tmp_path, {"grid.py": GRID})
    assert codes_and_lines(tmp_path) == [("GL101", None, 8)]


def test_a_python2_notebook_cell_is_checked(tmp_path):
    (tmp_path / "grid.ipynb").write_text(notebook("import numpy as np\n", "\n".join(
        line[4:] for line in GRID.splitlines())))
    assert codes_and_lines(tmp_path) == [("GL101", 2, 8)]


def test_what_only_python2_accepts_beyond_statements_stays_a_parse_error(tmp_path):
    write(tmp_path, {"old.py": GRID + "    x = `search`\n"})
    assert [code for code, _, _ in codes_and_lines(tmp_path)] == ["GL000"]


def test_respelling_keeps_lines_and_leaves_python3_alone():
    source = 'print "a", x\nprint\nif x: print x; y = 1\nprint(x)\nprint ("a %s" % x)\nprint x, \\\n    y\nexec "z = 1"\n'
    assert as_python3(source) == ('print("a", x)\nprint()\nif x: print(x); y = 1\nprint(x)\nprint ("a %s" % x)\n'
                                  'print(x, \\\n    y)\nexec("z = 1")\n')
    assert as_python3("x = y.cuda(async=True)\ndef f(a, async=False): pass\n") == \
        "x = y.cuda(async_=True)\ndef f(a, async_=False): pass\n"  # an argument name before Python 3.7
    assert as_python3("print(x)\nprint_me = 1\nprint.x\n") is None  # nothing to respell
    assert as_python3('s = """\n') is None  # does not tokenize
