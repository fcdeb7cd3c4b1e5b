"""Values every rule shares: a name rebound in straight-line code (cell after cell of a
notebook) resolves to the binding that reaches the use; a binding under a block does not."""
from __future__ import annotations

import json

import ast
import textwrap

from test_cli import run, write


def context(source: str):
    from greenlint.checks.context import LintRequest
    from greenlint.frontends.python import PythonContext, parse

    text = textwrap.dedent(source)
    return PythonContext(LintRequest("example.py", "python", {}, {}), text, parse(text))


def notebook(*cells: str) -> str:
    return json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                                  "source": cell} for cell in cells],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def findings(tmp_path, *select):
    proc = run(["--format", "json", "--no-cache", "--select", ",".join(select), "."], tmp_path)
    return [(f["code"], f.get("cell"), f.get("cell_line")) for f in json.loads(proc.stdout)["findings"]]


def test_a_later_cell_rebinding_a_constant_is_the_value_used(tmp_path):
    (tmp_path / "train.ipynb").write_text(notebook(
        "from sklearn.model_selection import GridSearchCV\nfrom sklearn.svm import SVC\n",
        "grid = {'C': [1]}\nsearch = GridSearchCV(SVC(), grid)\n",  # one candidate: not reported
        "grid = {'C': [0.1, 1, 10], 'gamma': [0.1, 0.01]}\nsearch = GridSearchCV(SVC(), grid, cv=3)\n",
    ))
    assert findings(tmp_path, "GL101") == [("GL101", 3, 2)]


def test_a_rebinding_inside_a_block_makes_the_value_unknown(tmp_path):
    write(tmp_path, {"region.py": """\
        import boto3
        region = "eu-north-1"
        if use_us:
            region = "us-east-1"
        client = boto3.client("sagemaker", region_name=region)
        region = "us-east-1"
        other = boto3.client("sagemaker", region_name=region)
        """})
    assert [code for code, _, _ in findings(tmp_path, "GL401")] == ["GL401"]  # only the last client


def test_function_scope_uses_the_reaching_assignment(tmp_path):
    write(tmp_path, {"fit.py": """\
        from tensorflow import keras

        def train(model, x, y, xv, yv):
            epochs = 3
            model.fit(x, y, validation_data=(xv, yv), epochs=epochs)
            epochs = epochs * 20
            model.fit(x, y, validation_data=(xv, yv), epochs=epochs)
        """})
    assert len(findings(tmp_path, "GL201")) == 1


def test_assignment_earlier_in_the_block_holding_the_use(tmp_path):
    write(tmp_path, {"main.py": """\
        from tensorflow import keras
        model = keras.Sequential()
        if __name__ == "__main__":
            epochs = 40
            model.fit(x, y, validation_data=(xv, yv), epochs=epochs)
        with open("log") as log:
            rounds = 2
            rounds = 30
            model.fit(x, y, validation_data=(xv, yv), epochs=rounds)
        """})
    proc = run(["--format", "json", "--no-cache", "--select", "GL201", "."], tmp_path)
    assert [f["line"] for f in json.loads(proc.stdout)["findings"]] == [5, 9]


def value_at_call(source: str, call_line: int):
    """`PythonContext.literal` of the first keyword argument of the call on `call_line`."""
    ctx = context(source)
    call = next(n for n in ctx.calls if n.lineno == call_line)
    return ctx.literal(call.keywords[0].value)


def test_reaching_definitions_through_loops_branches_and_try():
    from greenlint.frontends.python import UNKNOWN

    source = """\
        epochs = 50
        for stage in range(3):
            fit(epochs=epochs)
            epochs = 1
        for stage in range(3):
            n = 60
            fit(epochs=n)
        try:
            size = 1
            size = load()
        except OSError:
            fit(epochs=size)
        if fast:
            steps = 10
        fit(epochs=steps)
        steps = 70
        if ready:
            fit(epochs=steps)
        """
    assert value_at_call(source, 3) is UNKNOWN  # a later iteration sees the rebinding
    assert value_at_call(source, 7) == 60  # bound earlier in the same iteration
    assert value_at_call(source, 12) is UNKNOWN  # how much of the try ran is not known
    assert value_at_call(source, 15) is UNKNOWN  # bound under a branch only
    assert value_at_call(source, 18) == 70  # the branch holding the use sees the earlier binding


def test_a_parameter_takes_the_value_every_call_site_passes():
    from greenlint.frontends.python import UNKNOWN

    source = """\
        def train(model, epochs=5, rounds=3):
            fit(epochs=epochs)
            fit(epochs=rounds)

        def run(n):
            train(None, epochs=n)

        train(None, 100, rounds=7)
        run(100)
        train(None, rounds=9)
        """
    # epochs: 100 at the first call, n -> 100 through run(), the default 5 at the last: they disagree
    assert value_at_call(source, 2) is UNKNOWN
    assert value_at_call(source, 3) is UNKNOWN  # 7, 3 (run leaves it out), 9


def test_parameter_values_agree_through_a_helper():
    source = """\
        def fit_model(model, epochs=10):
            model.fit(epochs=epochs)

        def main(epochs):
            fit_model(None, epochs=epochs)

        main(80)
        main(epochs=80)
        """
    assert value_at_call(source, 2) == 80


def test_an_argparse_namespace_received_under_another_name(tmp_path):
    write(tmp_path, {"train.py": """\
        import argparse
        from tensorflow import keras

        def train(opts):
            model = keras.Sequential()
            model.fit(x, y, validation_data=(xv, yv), epochs=opts.epochs)

        def main(config):
            train(config)

        if __name__ == "__main__":
            parser = argparse.ArgumentParser()
            parser.add_argument("--epochs", type=int, default=90)
            main(parser.parse_args())
        """})
    proc = run(["--format", "json", "--no-cache", "--select", "GL201", "."], tmp_path)
    assert [f["line"] for f in json.loads(proc.stdout)["findings"]] == [6]


def test_containers_merges_and_generated_sequences():
    source = """\
        import numpy as np
        base = {"lr": 0.1, "depth": 3}
        grid = {**base, "depth": 6, "n": len([1, 2, 3])}
        merged = base | {"lr": 0.01}
        fit(a=grid)
        fit(a=merged)
        fit(a=np.arange(0, 1, 0.25))
        fit(a=len(np.linspace(0, 1, 7)))
        fit(a=np.logspace(-2, 0, 3))
        fit(a=range(3) if flag else None)
        """
    assert value_at_call(source, 5) == {"lr": 0.1, "depth": 6, "n": 3}
    assert value_at_call(source, 6) == {"lr": 0.01, "depth": 3}
    assert value_at_call(source, 7) == [0, 0.25, 0.5, 0.75]
    assert value_at_call(source, 8) == 7
    assert value_at_call(source, 9) == [0.01, 0.1, 1.0]
    from greenlint.frontends.python import UNKNOWN

    assert value_at_call(source, 10) is UNKNOWN


def test_numpy_arithmetic_is_element_wise_and_list_arithmetic_is_not():
    from greenlint.frontends.python import UNKNOWN

    source = """\
        import numpy as np
        fit(a=10.0 ** np.arange(-2, 2))
        fit(a=np.array([1, 2, 3]) * 2)
        fit(a=[1, 2] * 2)
        fit(a=np.arange(3) + np.arange(3))
        fit(a=np.arange(3) + np.arange(4))
        fit(a=2 ** 1000)
        fit(a=1 / 0)
        """
    assert value_at_call(source, 2) == [0.01, 0.1, 1.0, 10.0]
    assert value_at_call(source, 3) == [2, 4, 6]
    assert value_at_call(source, 4) is UNKNOWN  # a list's `*` repeats it: not a count a rule may assume
    assert value_at_call(source, 5) == [0, 2, 4]
    assert value_at_call(source, 6) is UNKNOWN  # shapes that do not broadcast
    assert value_at_call(source, 7) is UNKNOWN  # too large to be worth computing
    assert value_at_call(source, 8) is UNKNOWN


def test_unpacking_chained_targets_and_a_use_inside_the_assigned_value():
    source = """\
        epochs, batch = 30, 64
        fit(a=epochs)
        steps = rounds = 12
        fit(a=rounds)
        loader = 40
        loader, model = prepare(
            loader, model)
        """
    assert value_at_call(source, 2) == 30
    assert value_at_call(source, 4) == 12
    tree = ast.parse(textwrap.dedent(source))
    from greenlint.frontends.bindings import reaching

    # the `loader` argument on line 7 is read before line 6 rebinds it: it is still 40
    assert ast.literal_eval(reaching(tree.body, "loader", 7, None)) == 40
    assert reaching(tree.body, "loader", 8, None) is None  # after it: bound to an opaque call


def test_a_closure_reads_the_enclosing_functions_binding():
    source = """\
        def main():
            epochs = 25
            def run():
                fit(a=epochs)
            run()
        """
    ctx = context(source)
    use = next(n for n in ast.walk(ctx.tree) if isinstance(n, ast.Name) and n.id == "epochs" and isinstance(n.ctx, ast.Load))
    assert [ast.literal_eval(v) for v in ctx.bound_values(use)] == [25]
    assert ast.literal_eval(ctx.expression_of(use)) == 25  # the enclosing function's only binding


def test_namespace_fields_and_subscripts_of_containers_the_code_spells_out():
    from greenlint.frontends.python import UNKNOWN

    source = """\
        from types import SimpleNamespace
        import argparse
        cfg = SimpleNamespace(epochs=30, lr=0.1)
        fit(a=cfg.epochs)
        conf = {"epochs": 40}
        fit(a=conf["epochs"])
        other = {"epochs": 40}
        other["epochs"] = 5
        fit(a=other["epochs"])
        ns = argparse.Namespace(epochs=7)
        ns.epochs = 9
        fit(a=ns.epochs)
        sizes = [64, 128]
        fit(a=sizes[1])
        """
    assert value_at_call(source, 4) == 30
    assert value_at_call(source, 6) == 40
    assert value_at_call(source, 9) is UNKNOWN  # changed in place
    assert value_at_call(source, 12) is UNKNOWN  # an attribute set afterwards
    assert value_at_call(source, 14) == 128


def test_instance_fields_stored_once_in_init():
    from greenlint.frontends.python import UNKNOWN

    source = """\
        class Net:
            def __init__(self, depth=18, width=64, pretrained=False, name="a"):
                self.depth = depth
                self.width = width * 2
                self.pretrained = pretrained
                self.name = name
                self.name = self.name.upper()
            def build(self):
                fit(a=self.depth)
                fit(a=self.width)
                fit(a=self.name)
                fit(a=self.pretrained)
        Net(depth=34)
        Net(34, pretrained=False)
        """
    assert value_at_call(source, 9) == 34  # every construction passes 34
    assert value_at_call(source, 10) is UNKNOWN  # an expression of a parameter: the constructions decide
    assert value_at_call(source, 11) is UNKNOWN  # stored twice
    assert value_at_call(source, 12) is False
    mixed = source.replace("Net(34, pretrained=False)", "Net(50)")
    assert value_at_call(mixed, 9) is UNKNOWN  # two constructions disagree


def test_bound_values_are_the_binding_that_reaches_the_use():
    # Straight-line code shows which of several bindings a use reads; under a branch every
    # candidate stays, for the rules to weigh.
    source = """\
        X = 1
        X = 2
        use(X)
        if flag:
            X = 3
        use(X)
        def later():
            use(X)
        """
    ctx = context(source)
    uses = [n for n in ast.walk(ctx.tree) if isinstance(n, ast.Name) and n.id == "X" and isinstance(n.ctx, ast.Load)]
    by_line = {u.lineno: sorted(ast.literal_eval(v) for v in ctx.bound_values(u)) for u in uses}
    assert by_line == {3: [2], 6: [1, 2, 3], 8: [1, 2, 3]}


def test_attribute_chains_of_any_depth_resolve_or_stay_unknown():
    # `self.cfg.model.epochs`, `a.b.c.d`: deeper chains than an instance field's field are unknown,
    # never an error.
    from greenlint.frontends.python import UNKNOWN

    source = """\
        class Trainer:
            def __init__(self, cfg):
                self.cfg = cfg
            def run(self):
                return self.cfg.model.epochs, a.b.c.d
        """
    ctx = context(source)
    chains = [n for n in ast.walk(ctx.tree) if isinstance(n, ast.Attribute) and n.attr in ("epochs", "d")]
    assert [ctx.literal(n) for n in chains] == [UNKNOWN, UNKNOWN]


OPTIONS = """\
    import argparse
    parser = argparse.ArgumentParser()
    parser.add_argument("--pretrained", action="store_true")
    parser.add_argument("--epochs", type=int, default=90)
    args = parser.parse_args()
    {override}
    def build(opts):
        return opts.pretrained, opts.epochs
    build(args)
    use = (args.pretrained, args.epochs)
    """


def _option_values(override: str):
    ctx = context(OPTIONS.format(override=override))
    use = ctx.tree.body[-1].value
    inner = ctx.functions["build"].body[0].value
    return [ctx.literal(e) for e in use.elts], [ctx.literal(e) for e in inner.elts]


def test_a_store_true_flag_given_no_default_is_false():
    from greenlint.frontends.python import UNKNOWN

    at_module, in_function = _option_values("pass")
    assert at_module == [False, 90] and in_function == [False, 90]
    assert UNKNOWN not in at_module


def test_an_option_set_after_parsing_is_the_value_that_reaches_later_code():
    from greenlint.frontends.python import UNKNOWN

    at_module, _ = _option_values("args.pretrained = True\n    args.epochs = 10")
    assert at_module == [True, 10]
    # set under a branch: the default or the new value, so unknown unless both agree
    at_module, _ = _option_values("if fast:\n        args.epochs = 10\n        args.pretrained = False")
    assert at_module == [False, UNKNOWN]


def test_an_option_set_under_a_branch_the_defaults_rule_out_keeps_its_default():
    ctx = context("""\
        import argparse
        parser = argparse.ArgumentParser()
        parser.add_argument("--resume", default="")
        parser.add_argument("--start-epoch", type=int, default=0)
        parser.add_argument("--fast", action="store_true")
        args = parser.parse_args()
        def main(args):
            if args.resume:
                args.start_epoch = load(args.resume)["epoch"]
            if args.fast:
                args.fast = False
            return args.start_epoch, args.fast
        """)
    use = ctx.functions["main"].body[-1].value
    assert [ctx.literal(e) for e in use.elts] == [0, False]


def test_reads_and_in_place_changes_are_indexed_once_per_file_and_scope():
    ctx = context("""\
        grid = {"C": [1, 10]}
        def tune(grid):
            grid["gamma"] = [0.1]
            grid.update(kernel=["rbf"])
            return search(grid)
        corpus = []
        corpus += ["a"]
        corpus.append(grid)
        """)
    tune = ctx.functions["tune"]
    # `grid["gamma"] = ...` reads the name `grid` to store into it
    assert sorted(n.lineno for n in ctx.reads_of("grid")) == [3, 4, 5, 8]
    assert sorted(n.lineno for n in ctx.reads_of("grid", tune)) == [3, 4, 5]
    changes = ctx.in_place_changes(tune)
    assert sorted((kind, detail) for kind, detail, _ in changes["grid"]) == [("call", "update"), ("item", "")]
    module = ctx.in_place_changes(ctx.tree)
    assert sorted((kind, detail) for kind, detail, _ in module["corpus"]) == [("augmented", ""), ("call", "append")]
    assert "corpus" not in changes


def test_one_test_says_which_calls_build_an_optimizer():
    """`training_loops.builds_optimizer` is what every training reader asks: a `torch.optim`
    class (not a learning-rate scheduler), or a factory named for an optimizer."""
    from greenlint.checks.training_loops import builds_optimizer

    ctx = context("""\
        import torch
        from torch.optim import lr_scheduler
        from timm.optim import create_optimizer_v2
        a = torch.optim.AdamW(model.parameters(), lr=3e-4)
        b = create_optimizer_v2(model, "sgd", lr=0.1)
        c = build_optimizer(cfg.optim, model)
        d = lr_scheduler.CosineAnnealingLR(a, T_max=90)
        e = optimizer_step(a)
        f = torch.optim.Optimizer.zero_grad(a)
        g = optimize(model)
        """)
    built = {call.lineno: builds_optimizer(ctx, call) for call in ctx.calls if call.col_offset == 4}
    assert built == {4: True, 5: True, 6: True, 7: False, 8: False, 9: False, 10: False}


def test_a_search_objective_and_a_training_helper_read_an_optimizer_factory_alike(tmp_path):
    """The grid rule (does the loop train?) and the from-scratch rule (is the helper handed an
    optimizer?) ask the same test of `make_optimizer(net, lr)`."""
    (tmp_path / "grid.py").write_text(textwrap.dedent("""\
        import torchvision
        from helpers import train_model, make_optimizer

        for lr in [0.1, 0.01, 0.001]:
            for momentum in [0.0, 0.9]:
                net = torchvision.models.resnet18()
                train_model(net, loaders, make_optimizer(net, lr, momentum), epochs=30)
        """))
    codes = [code for code, _, _ in findings(tmp_path, "GL101", "GL301")]
    assert sorted(codes) == ["GL101", "GL301"]


from greenlint.frontends.python import UNKNOWN  # noqa: E402


def _epochs_read_in(source: str) -> object:
    """The value of the `x.epochs` / `x.epoch` the function `run` reads."""
    ctx = context(source)
    run_def = next(n for n in ast.walk(ctx.tree) if isinstance(n, ast.FunctionDef) and n.name == "run")
    read = next(n for n in ast.walk(run_def) if isinstance(n, ast.Attribute) and n.attr.startswith("epoch"))
    return ctx.literal(read)


def test_a_field_set_after_parsing_reaches_the_functions_called_after_it():
    """`args.epochs = 40` runs before every call of `run(args)`: the field `run` reads is 40."""
    source = """\
        import argparse
        parser = argparse.ArgumentParser()
        parser.add_argument("--epochs", type=int, default=None)
        args = parser.parse_args()

        def run(opt):
            return range(opt.epochs)

        args.epochs = 40
        run(args)
        """
    assert _epochs_read_in(source) == 40
    # a call before the assignment sees the default: the two runs disagree, so nothing is known
    assert _epochs_read_in(source.replace("args.epochs = 40\n", "run(args)\n        args.epochs = 40\n")) is UNKNOWN


def test_a_field_argparse_does_not_define_exists_only_through_its_assignments():
    source = """\
        import argparse
        args = argparse.ArgumentParser().parse_args("")
        args.epoch = 30

        def run(args):
            return range(args.epoch)

        run(args)
        """
    assert _epochs_read_in(source) == 30
    assert _epochs_read_in(source.replace("        args.epoch = 30\n", "")) is UNKNOWN
