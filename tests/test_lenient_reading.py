"""Code that does not parse as written but whose intent is plain is checked, not lost to one
GL000 (frontends/lenient.py): Python 2 statements (`print x`, `exec code`, `except E, e:`) read as
their Python 3 spelling, exercise blanks (`x = # TODO`) as `x = ...`, with the same line numbers;
and Datalab's one-`%` cell magics (`%bash`) as IPython's `%%bash`. What only Python 2 accepts
beyond that stays a GL000."""
from __future__ import annotations

import json

from test_cli import run, write
from test_semantic_values import notebook

from greenlint.frontends.lenient import as_python3, with_blanks_filled

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


def test_exercise_blanks_are_read_as_ellipsis_and_the_rest_is_checked(tmp_path):
    (tmp_path / "lab.ipynb").write_text(notebook(
        "from sklearn.model_selection import GridSearchCV\nfrom sklearn.svm import SVC\n",
        "scaler = # TODO: your code here\n"
        "search = GridSearchCV(SVC(), {'C': [0.1, 1, 10], 'gamma': [0.1, 0.01]}, cv=3)\n"))
    assert codes_and_lines(tmp_path) == [("GL101", 2, 2)]
    assert with_blanks_filled("x = # TODO\ny += \nf(a=\n  1)\n") == "x = ... # TODO\ny += ... \nf(a=\n  1)\n"
    assert with_blanks_filled("x = 1\n") is None


def test_a_datalab_one_percent_cell_magic_is_that_cell(tmp_path):
    (tmp_path / "lab.ipynb").write_text(notebook(
        "%bash\ngcloud ai-platform jobs submit training job1 --region us-central1 --scale-tier BASIC_GPU\n",
        "%matplotlib inline\nimport os\n"))
    assert [code for code, _, _ in codes_and_lines(tmp_path)] == ["GL401", "GL402"]


def test_a_config_written_by_a_writefile_cell_is_checked_as_that_kind(tmp_path):
    (tmp_path / "job.ipynb").write_text(notebook(
        "%%writefile train.yaml\ntrainingInput:\n  masterConfig:\n    acceleratorConfig:\n      type: NVIDIA_TESLA_K80\n",
        "%%writefile job.json\n{\"region\": \"us-central1\", \"machineType\": \"n1-standard-4\"}\n",
        "%%writefile notes.txt\nregion: us-central1\n"))
    assert codes_and_lines(tmp_path) == [("GL402", 1, 5), ("GL401", 2, 2)]
