"""The byte prefilter: `import:NAME` tokens hold for every real import statement of NAME (a
detector gated on that import must never be skipped), and for no doctest or prose mention."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from greenlint.prefilter import Presence, imported_names


@pytest.mark.parametrize("source", [
    "import torch\n",
    "import torch.nn as nn\n",
    "import os, sys as system, torch\n",
    "import os, \\\n    torch\n",
    "from torch import nn\n",
    "from torch.nn import functional as F\n",
    "from \\\n  torch import nn\n",
    "x = 1; import torch\n",
    "try: import torch\nexcept ImportError: pass\n",
    "if True:\n\tfrom torch import nn\n",
    "\ufeffimport torch\n",
    "from torch.nn \\\n    import functional\n",
    "from torch \\\r\n    import nn\r\n",
    "from torch import (\n    nn,\n)\n",
    "def f():\n    from torch import nn\n",
])
def test_every_spelling_of_an_import_statement_is_seen(source):
    assert b"torch" in imported_names(source.encode("utf-8"))


@pytest.mark.parametrize("source", [
    '"""\n>>> import torch\n>>> from torch import nn\n"""\n',
    "# Copied from torch.nn.functional\n",
    "from .torch import helpers\n",
    "import torchvision\n",
    "import mylib.torch\n",
    "x = 'imported from torch'\n",
    "from helpers \\\n    import torch\n",  # a name imported from another module
    "# the weights come from torch import hooks\n",
])
def test_doctests_prose_and_other_modules_are_not_imports(source):
    assert b"torch" not in imported_names(source.encode("utf-8"))


def _notebook(*cells: str | list[str]) -> bytes:
    return json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": c} for c in cells],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1).encode()


def test_notebook_cells_as_one_string_or_a_list_of_lines():
    assert b"torch" in imported_names(_notebook("x = 1\nimport torch\n"))
    assert b"torch" in imported_names(_notebook(["x = 1\n", "\tfrom torch import nn\n"]))
    assert b"torch" in imported_names(_notebook(["import os, \\\n", "    torch\n"]))
    assert b"torch" in imported_names(_notebook(["from torch.nn \\\n", "    import functional\n"]))
    assert b"torch" not in imported_names(_notebook("print('taken from torch')"))


def test_kind_token_holds_for_the_files_own_kind_only():
    assert Presence(b"", "notebook").triggered((((b"kind:notebook",),),))
    assert not Presence(b"", "python").triggered((((b"kind:notebook",),),))


def test_one_alternative_whose_groups_all_hold_is_enough():
    keras_fit = ((b"import:keras",), (b"fit",))
    torch_step = ((b"import:torch",), (rb"re:backward\s*\(",))
    assert Presence(b"import torch\nloss.backward ()\n").triggered((keras_fit, torch_step))
    assert not Presence(b"import torch\nmodel.fit(x)\n").triggered((keras_fit, torch_step))
    assert Presence(b"anything").triggered(())  # a rule without triggers reads every file


GL305_SOURCE = """\
{imports}

class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(500_000, 64)

model = Model()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for batch in range(10):
    loss = model.embed(batch).sum()
    loss.backward()
    optimizer.step()
"""


@pytest.mark.parametrize("imports", [
    "import torch\nfrom torch import nn",
    "import os, torch.nn as nn, torch",
    "try: import torch\nexcept ImportError: raise\nfrom torch import nn",
])
def test_a_rule_gated_on_an_import_still_runs_however_the_import_is_written(tmp_path, imports):
    target = tmp_path / "train.py"
    target.write_text(GL305_SOURCE.format(imports=imports))
    proc = subprocess.run([sys.executable, "-m", "greenlint", "--select", "GL305", "--no-cache", "--format", "json",
                           str(target)], capture_output=True, text=True, cwd=tmp_path)
    codes = [f["code"] for f in json.loads(proc.stdout)["findings"]]
    assert codes == ["GL305"], proc.stderr


def test_the_same_code_without_the_import_is_not_parsed(tmp_path):
    """A file that only mentions torch in a docstring is skipped before parsing: a syntax error
    later in it is not reported, because no rule asked for the file."""
    target = tmp_path / "notes.py"
    target.write_text(textwrap.dedent('''\
        """Usage:

        >>> import torch
        >>> nn.Embedding(500_000, 64)
        """
        loss.backward(
    '''))
    proc = subprocess.run([sys.executable, "-m", "greenlint", "--select", "GL305", "--no-cache", "--format", "json",
                           str(target)], capture_output=True, text=True, cwd=tmp_path)
    assert json.loads(proc.stdout)["findings"] == [], proc.stderr


def _gl101(tmp_path, source: str) -> list[str]:
    target = tmp_path / "search.py"
    target.write_text(textwrap.dedent(source))
    proc = subprocess.run([sys.executable, "-m", "greenlint", "--select", "GL101", "--no-cache", "--format", "json",
                           str(target)], capture_output=True, text=True, cwd=tmp_path)
    return [f["code"] for f in json.loads(proc.stdout)["findings"]]


NESTED_GRID = '''\
    from sklearn.svm import SVC
    for c in [0.1, 1, 10, 100]:

    # a comment at column 0 inside the outer loop's block
        for gamma in [0.01, 0.1, 1]:
            SVC(C=c, gamma=gamma).fit (X, y)
    '''


def test_a_grid_of_nested_loops_is_read_whatever_its_blank_lines_comments_and_call_spacing(tmp_path):
    """The trigger for hand-written grids looks for a `for` inside another loop's block and a call
    that trains; a column-0 comment, a blank line or `fit (x)` must not hide the grid."""
    assert _gl101(tmp_path, NESTED_GRID) == ["GL101"]
    # the same, as an itertools.product over the two axes
    product = "import itertools\nfrom sklearn.svm import SVC\n" \
              "for c, g in itertools.product([0.1, 1, 10, 100], [0.01, 0.1, 1]):\n    SVC(C=c, gamma=g).fit(X, y)\n"
    assert _gl101(tmp_path, product) == ["GL101"]


def test_loops_side_by_side_are_no_grid_and_the_file_is_not_parsed(tmp_path):
    """Two loops one after the other cannot form a grid: the file is skipped before parsing, so
    its syntax error is not reported (nested, the same loops are parsed and the error is said)."""
    side_by_side = '''\
        model = make_model()
        for c in [0.1, 1, 10, 100]:
            model.fit(X, y)
        for gamma in [0.01, 0.1, 1]:
            model.fit(X, y)
        broken(
        '''
    assert _gl101(tmp_path, side_by_side) == []
    nested = '''\
        model = make_model()
        for c in [0.1, 1, 10, 100]:
            for gamma in [0.01, 0.1, 1]:
                model.fit(X, y)
        broken(
        '''
    assert _gl101(tmp_path, nested) == ["GL000"]


def test_a_grid_in_a_file_with_windows_line_ends_and_blank_lines_is_read(tmp_path):
    """CRLF line ends: a blank line or a comment line ends in `\\r\\n` and still belongs to the
    outer loop's block."""
    source = ("from sklearn.svm import SVC\r\nfor c in [0.1, 1, 10, 100]:\r\n    \r\n\r\n    # a comment\r\n"
              "    for gamma in [0.01, 0.1, 1]:\r\n        SVC(C=c, gamma=gamma).fit(X, y)\r\n")
    target = tmp_path / "search.py"
    target.write_bytes(source.encode())
    proc = subprocess.run([sys.executable, "-m", "greenlint", "--select", "GL101", "--no-cache", "--format", "json",
                           str(target)], capture_output=True, text=True, cwd=tmp_path)
    assert [f["code"] for f in json.loads(proc.stdout)["findings"]] == ["GL101"]


@pytest.mark.parametrize("source, nested", [
    ("for a in x:\n    for b in y:\n        f(a, b)\n", True),  # the outer loop on the file's first line
    ("async def f():\n    async for a in x:\n\n        # note\n        async for b in y:\n            g()\n", True),
    ("for a in x:\n    if a:\n        with c:\n            for b in y:\n                f()\n", True),
    ("for a in x:\n\tfor b in y:\n\t\tf()\n", True),  # tabs
    ("for a in x:\n    f(a)\nfor b in y:\n    f(b)\n", False),  # side by side
    ("for a in x:\n    f(a)\ng()\n    # an indented comment is no code\n    for b in y:\n        f(b)\n", False),
    ("for a in x:\n    ys = [b for b in y]\n    # for b in y:\n", False),  # a comprehension and a comment
    ('"""Loop for each item\n    for every epoch"""\nx = 1\n', False),  # prose: `for` does not start the code of a line
    ("def f():\n    for a in x:\n        pass\n    for b in y:\n        pass\n", False),
])
def test_a_for_line_inside_another_for_lines_block_is_a_nested_loop(source, nested):
    """`shape:nested-for` reads lines: a `for` (or `async for`) that starts a line's code, inside
    the block of the `for` line before it (every line between deeper, blank or a comment)."""
    assert Presence(source.encode()).holds(b"shape:nested-for") is nested


def _codes(tmp_path, code: str, source: str) -> list[str]:
    target = tmp_path / "script.py"
    target.write_text(textwrap.dedent(source))
    proc = subprocess.run([sys.executable, "-m", "greenlint", "--select", code, "--no-cache", "--format", "json",
                           str(target)], capture_output=True, text=True, cwd=tmp_path)
    return [f["code"] for f in json.loads(proc.stdout)["findings"]]


SCRATCH_RESNET = '''\
{imports}
model = models.resnet50(num_classes=10)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for images, labels in loader:
    loss = torch.nn.functional.cross_entropy(model(images), labels)
    loss.backward()
    optimizer.step()
'''


@pytest.mark.parametrize("imports, codes", [
    ("import torch\nfrom torchvision import models", ["GL301"]),
    ("import torch\nimport torchvision.models as models", ["GL301"]),
    # no library import: GL301 knows a builder only by its import-resolved name, so the file is
    # not parsed at all (its syntax error is not reported either)
    ("# torchvision's resnet50, rebuilt by hand\nmodels = load_my_models()\nbroken(", []),
])
def test_a_vision_builder_is_read_only_in_a_file_that_imports_its_library(tmp_path, imports, codes):
    assert _codes(tmp_path, "GL301", SCRATCH_RESNET.format(imports=imports)) == codes


@pytest.mark.parametrize("source, codes", [
    # SageMaker's own signature in an excerpt that imports nothing is still read
    ('model.deploy(initial_instance_count=1, instance_type="ml.g5.xlarge")\n', ["GL403"]),
    ('import sagemaker\nfrom sagemaker.huggingface import HuggingFaceModel\nmodel = HuggingFaceModel(model_data="s3://b/m.tar.gz", '
     'role=role, transformers_version="4.37")\npredictor = model.deploy(initial_instance_count=1, instance_type="ml.g5.xlarge")\n',
     ["GL403"]),
    # `.deploy(` of something else (a web app, a contract) in a file that imports no cloud SDK: not parsed
    ("app.deploy(target)\nbroken(\n", []),
])
def test_an_endpoint_deploy_is_read_only_with_a_cloud_sdk_or_sagemakers_signature(tmp_path, source, codes):
    assert _codes(tmp_path, "GL403", source) == codes


def test_optunas_brute_force_sampler_is_read_only_in_a_file_that_imports_optuna(tmp_path):
    """GL101 knows the sampler as optuna.samplers.BruteForceSampler: without an Optuna import the
    name cannot resolve, so the file is not parsed (its syntax error is not reported)."""
    assert _codes(tmp_path, "GL101", "sampler = BruteForceSampler()\nbroken(\n") == []
    assert _codes(tmp_path, "GL101", "import optuna\nsampler = optuna.samplers.BruteForceSampler()\nbroken(\n") == ["GL101", "GL000"]


OVERSIZED = '''\
import argparse
import torch
parser = argparse.ArgumentParser()
parser.add_argument("--{flag}", type=int, default=48)  # hidden layers
args = parser.parse_args()
model = build(args)
opt = torch.optim.AdamW(model.parameters())
for batch in loader:
    model(batch).backward()
    opt.step()
'''


@pytest.mark.parametrize("flag, codes", [
    ("num_layers", ["GL302"]),
    ("num-layers", ["GL302"]),  # a flag's dashes are the dest's underscores
    ("NUM_LAYERS", ["GL302"]),  # names are compared in any case
])
def test_an_architecture_default_is_read_only_where_a_depth_or_width_name_is_set(tmp_path, flag, codes):
    assert _codes(tmp_path, "GL302", OVERSIZED.format(flag=flag)) == codes
    # `max_depth` is no depth name: GL302 cannot report in this file, which is not parsed at all
    # (its syntax error is not reported)
    assert _codes(tmp_path, "GL302", OVERSIZED.format(flag="max_depth") + "broken(\n") == []


def test_the_names_gl302_reads_are_those_its_options_list(tmp_path):
    """`option:depth-names` holds for the names the configuration lists, not only the defaults."""
    (tmp_path / "pyproject.toml").write_text('[tool.greenlint.rules.GL302]\ndepth-names = ["n_stages"]\n')
    assert _codes(tmp_path, "GL302", OVERSIZED.format(flag="n-stages")) == ["GL302"]
    assert _codes(tmp_path, "GL302", OVERSIZED.format(flag="num_layers") + "broken(\n") == []


def test_an_option_token_reads_words_of_the_options_names():
    token = b"option:GL302:depth-names"
    options = {"GL302": {"depth-names": ["num_layers", "depth"]}}
    assert Presence(b"def f(num_layers=48): ...", options=options).holds(token)
    assert Presence(b'"    \\"--num-layers\\", default=48\\n"', "notebook", options).holds(token)
    assert Presence(b'"source": ["def f(x,\\ndepth=48):"]', "notebook", options).holds(token)  # after a `\n` escape
    assert not Presence(b"RandomForest(max_depth=48, n_layers_seen=2)", options=options).holds(token)
    assert not Presence(b"def f(num_layers=48): ...", options={"GL302": {"depth-names": []}}).holds(token)
    assert Presence(b"anything", options=None).holds(token)  # no settings: the file is read


@pytest.mark.parametrize("source, held", [
    ("import yaml\nconfig = yaml.safe_load(SPEC)\n", True),
    ("from omegaconf import OmegaConf\ncfg = OmegaConf.create(SPEC)\n", True),
    ("cfg = configs.LoadConfig(BENCHMARK_CONFIG, user_config)\n", True),
    ("settings = read_cfg(TEXT)\n", True),
    ("model.load_state_dict(torch.load(path))\nconfig = model.config\n", False),
])
def test_a_file_that_may_hold_a_yaml_config_a_loader_reads(source, held):
    """`shape:held-yaml` holds wherever checks/held_configs could find a loader call: a YAML or
    OmegaConf name, or a loader named load/read/parse + config/cfg/conf/yaml."""
    assert Presence(source.encode()).holds(b"shape:held-yaml") is held


@pytest.mark.parametrize("source, nested", [
    ("for a in x:\n    for b in y:\n        f(a, b)\n", True),
    ("for (a) in x:\n    for b in y:  # i, j\n        f(a, b)\n", True),  # a parenthesised name; a comma after `in`
    ("for a in x:\n    for i, b in enumerate(y):\n        f()\n    for c in z:\n        f()\n", True),  # a tuple loop between
    ("for a in x:\n    for (b,\n         c) in y:\n        f()\n", True),  # `in` on the next line: may be a name
    ("for a, b in x:\n    for c in y:\n        f()\n", False),  # the outer loop binds a tuple
    ("for a in x:\n    for i, b in enumerate(y):\n        f()\n", False),  # the inner one does
    ("for k, v in d.items():\n    for (a, b) in v:\n        f()\n", False),
    ("for a in x:\n    f(a)\nfor b in y:\n    f(b)\n", False),  # side by side
])
def test_nested_loops_that_each_bind_one_name(source, nested):
    """`shape:nested-name-for`: `shape:nested-for` counting only `for` lines whose target (the text
    before the line's `in`) holds no comma, as GL101 reads a loop over values only where it binds a name."""
    assert Presence(source.encode()).holds(b"shape:nested-name-for") is nested


def test_a_grid_needs_loops_over_one_name_each_or_itertools_product(tmp_path):
    """GL101's hand-written grid: nested loops whose targets are tuples are no grid and the file is
    not parsed (its syntax error goes unsaid); an itertools.product loop binds a tuple and is read,
    and a file that imports itertools but calls no `product` needs nested one-name loops."""
    tuples = '''\
        import itertools
        model = make_model()
        for i, c in enumerate([0.1, 1, 10, 100]):
            for j, gamma in enumerate([0.01, 0.1, 1]):
                model.fit(X, y)
        broken(
        '''
    assert _gl101(tmp_path, tuples) == []
    names = tuples.replace("i, c in enumerate(", "c in (").replace("j, gamma in enumerate(", "gamma in (")
    assert _gl101(tmp_path, names) == ["GL000"]
    product = '''\
        from itertools import product
        from sklearn.svm import SVC
        for c, g in product([0.1, 1, 10, 100], [0.01, 0.1, 1]):
            SVC(C=c, gamma=g).fit(X, y)
        '''
    assert _gl101(tmp_path, product) == ["GL101"]


@pytest.mark.parametrize("source, codes", [
    # the densified value comes from a transformer's output, or from a scipy.sparse constructor
    ("from sklearn.feature_extraction.text import CountVectorizer\n"
     "X = CountVectorizer().fit_transform(docs).toarray()\nLogisticRegression().fit(X, y)\n", ["GL304"]),
    ("from scipy import sparse\nm = sparse.random(100000, 50000, density=0.001, format='csr')\nd = m.toarray()\n", ["GL304"]),
    # `.toarray()` with neither a transform nor scipy: no origin the detector follows, not parsed
    ("d = load_matrix().toarray()\nbroken(\n", []),
    # a dense flag on an encoder the detector reads, and on anything else (not parsed)
    ("from sklearn.preprocessing import OneHotEncoder\nenc = OneHotEncoder(sparse_output=False)\n"
     "X = enc.fit_transform(df[['city']])\n", ["GL304"]),
    ("exporter = Exporter(sparse=False)\nbroken(\n", []),
])
def test_gl304_reads_a_densification_only_where_a_sparse_origin_may_be(tmp_path, source, codes):
    assert _codes(tmp_path, "GL304", source) == codes


@pytest.mark.parametrize("source, holds", [
    ("for e in range(10):\n    pass\n", True),
    ("for i, ep in enumerate(range(10)):\n    pass\n", True),
    ("async def f():\n    async for e in x:\n        pass\n", True),
    ("for (i,\n     e) in pairs:\n    pass\n", True),  # `in` on the next line: the target may bind `e`
    ("for ｅ in range(10):\n    pass\n", True),  # NFKC: Python reads this name as `e`
    ("for x in e:\n    pass\n", False),  # `e` is the iterable, not the target
    ("for step in range(10):\n    pass\ntry:\n    f()\nexcept ValueError as e:\n    pass\n", False),
    ('"""for e in range(10)"""\n', False),  # a `for` that does not start a line's code
])
def test_a_for_line_whose_target_may_bind_e_or_ep(source, holds):
    """`shape:e-loop`: GL201 reads a hand-written loop as an epoch loop where a name of its
    target or iterable says epoch, or its target is `e` or `ep`."""
    assert Presence(source.encode()).holds(b"shape:e-loop") is holds


TORCH_LOOP = '''\
    import torch
    model = torch.nn.Linear(10, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for {target} in range(50):
        model.train()
        for x, y in train_loader:
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            val_loss = sum(torch.nn.functional.cross_entropy(model(x), y) for x, y in val_loader)
        print(val_loss)
    '''


@pytest.mark.parametrize("target, codes", [("epoch", ["GL201"]), ("e", ["GL201"]), ("ep", ["GL201"])])
def test_a_torch_epoch_loop_is_read_whatever_name_says_epoch(tmp_path, target, codes):
    assert _codes(tmp_path, "GL201", TORCH_LOOP.format(target=target)) == codes


def test_a_torch_step_loop_with_no_epoch_is_not_parsed(tmp_path):
    """No name says epoch and no loop binds `e` or `ep`: no loop is an epoch loop, so the file is
    not parsed (its syntax error goes unsaid)."""
    source = TORCH_LOOP.format(target="i").replace("range(50)", "range(iterations)") + "broken(\n"
    assert _codes(tmp_path, "GL201", source) == []
    assert _codes(tmp_path, "GL201", source.replace("range(iterations)", "range(n_epochs)")) == ["GL000"]
