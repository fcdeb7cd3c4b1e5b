"""The flow of values between names is scoped: a function's local `model` is not the module's
`model`, and arguments reach the parameters of the function, constructor or base-class method a
call runs. Checked through GL301 (a torchvision model built without weights, trained here), with
the real engine on sources written for each test."""
from __future__ import annotations

import textwrap

from test_model_rules_tune2 import cli, lint

HEADER = textwrap.dedent("""\
    import torch
    from torchvision import datasets
    from torchvision.models import resnet18
    loader = torch.utils.data.DataLoader(datasets.ImageFolder("photos/train"), batch_size=32)
    """)


def test_a_functions_local_model_is_not_the_module_level_model_of_the_same_name():
    source = HEADER + textwrap.dedent("""\
    def unused_builder():
        model = resnet18(weights=None)
        return None

    model = torch.nn.Linear(10, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for x, y in loader:
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
    """)
    assert lint(source, "GL301") == []
    # returned to the module's `model`, the same model is trained
    trained = source.replace("return None", "return model").replace("torch.nn.Linear(10, 2)", "unused_builder()")
    assert [f.line for f in lint(trained, "GL301")] == [6]


def test_a_constructor_hands_its_arguments_to_init():
    source = HEADER + textwrap.dedent("""\
    class Runner:
        def __init__(self, network, opt):
            self.network = network
            self.optimizer = opt

        def run(self, loader):
            for x, y in loader:
                loss = torch.nn.functional.cross_entropy(self.network(x), y)
                loss.backward()
                self.optimizer.step()

    def main(loader):
        net = resnet18(weights=None)
        optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
        Runner(net, optimizer).run(loader)

    main(loader)
    """)
    assert [f.line for f in lint(source, "GL301")] == [17]


def test_super_init_hands_its_arguments_to_the_base_class():
    source = HEADER + textwrap.dedent("""\
    class Base:
        def __init__(self, backbone):
            self.network = backbone
            self.optimizer = torch.optim.SGD(self.network.parameters(), lr=0.1)

        def fit(self, loader):
            for x, y in loader:
                loss = torch.nn.functional.cross_entropy(self.network(x), y)
                loss.backward()
                self.optimizer.step()

    class ResNetModel(Base):
        def __init__(self):
            network = resnet18(weights=None)
            super().__init__(network)

    ResNetModel().fit(loader)
    """)
    assert [f.line for f in lint(source, "GL301")] == [18]


LOOP = """\
    for x, y in loader:
        loss = torch.nn.functional.cross_entropy({model}(x), y)
        loss.backward()
        {optimizer}.step()
"""


def test_weights_reloaded_after_training_do_not_start_it_but_weights_loaded_before_do():
    train = textwrap.indent(LOOP.format(model="net", optimizer="opt"), "")
    before = HEADER + textwrap.dedent("""\
    net = resnet18(weights=None)
    net.load_state_dict(torch.load("imagenet_resnet18.pth"))
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    """) + textwrap.dedent(train)
    assert lint(before, "GL301") == []
    after = HEADER + textwrap.dedent("""\
    net = resnet18(weights=None)
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    """) + textwrap.dedent(train) + textwrap.dedent("""\
    torch.save(net.state_dict(), "trained.pth")
    net.load_state_dict(torch.load("trained.pth"))
    """)
    assert [f.line for f in lint(after, "GL301")] == [5]


def test_training_that_runs_before_the_model_is_built_trains_another_model():
    """Two loops share the name `loss`; the second model is loaded from a checkpoint before its
    own loop, so only the first, trained from scratch, is reported."""
    first = textwrap.dedent(LOOP.format(model="small", optimizer="opt_small"))
    second = textwrap.dedent(LOOP.format(model="big", optimizer="opt_big"))
    source = HEADER + textwrap.dedent("""\
    small = torch.nn.Linear(8, 2)
    opt_small = torch.optim.SGD(small.parameters(), lr=0.1)
    """) + first + textwrap.dedent("""\
    big = resnet18(weights=None)
    big.load_state_dict(torch.load("imagenet_resnet18.pth"))
    opt_big = torch.optim.SGD(big.parameters(), lr=0.1)
    """) + second
    assert lint(source, "GL301") == []


def test_a_parameter_holds_its_argument_until_the_function_rebinds_it():
    source = HEADER + textwrap.dedent("""\
    import lightning as L

    def create_model(repo_or_dir, model):
        model = torch.hub.load(repo_or_dir=repo_or_dir, model=model, weights=None)
        return model

    class Classifier(L.LightningModule):
        def __init__(self, repo_or_dir="pytorch/vision:v0.10.0", model="resnet18"):
            super().__init__()
            self.model = create_model(repo_or_dir=repo_or_dir, model=model)

        def training_step(self, batch, batch_idx):
            x, y = batch
            return torch.nn.functional.cross_entropy(self.model(x), y)

        def configure_optimizers(self):
            return torch.optim.SGD(self.parameters(), lr=0.1)
    """)
    assert [f.line for f in lint(source, "GL301")] == [8]


def test_a_build_that_a_module_constant_rules_out_never_runs_but_an_option_branch_is_a_configuration():
    # the other branch builds another architecture: a choice the program offers, not a weights switch
    source = HEADER + textwrap.dedent("""\
    import argparse
    from torchvision.models import vgg11
    parser = argparse.ArgumentParser()
    parser.add_argument("--arch", default="small")
    args = parser.parse_args()
    PRETRAIN = True
    if {test}:
        net = resnet18(weights=None)
    else:
        net = vgg11(weights="DEFAULT")
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    """) + textwrap.dedent(LOOP.format(model="net", optimizer="opt"))
    assert lint(source.format(test="not PRETRAIN"), "GL301") == []
    assert [f.line for f in lint(source.format(test='args.arch == "resnet"'), "GL301")] == [12]


def test_weights_reloaded_after_a_helper_trains_twice_do_not_start_the_training():
    source = HEADER + textwrap.dedent("""\
    def train_model(model, epochs):
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        for epoch in range(epochs):
            for x, y in loader:
                torch.nn.functional.cross_entropy(model(x), y).backward()
                opt.step()
        torch.save(model.state_dict(), "trained.pt")

    net = resnet18(weights=None)
    train_model(net, 100)
    train_model(net, 50)
    net.load_state_dict(torch.load("trained.pt"))
    """)
    assert [f.line for f in lint(source, "GL301")] == [13]


def test_an_ignite_engine_built_over_the_model_trains_it_when_run():
    source = HEADER + textwrap.dedent("""\
    from ignite.engine import create_supervised_trainer

    def fit(trainer, epochs):
        trainer.run(loader, max_epochs=epochs)

    net = resnet18(weights=None)
    opt = torch.optim.Adam(net.parameters())
    engine = create_supervised_trainer(net, opt, torch.nn.CrossEntropyLoss())
    fit(engine, 20)
    """)
    assert [f.line for f in lint(source, "GL301")] == [10]


def test_a_training_helper_imported_from_the_project_is_seen_by_the_prefilter(tmp_path):
    script = tmp_path / "main.py"
    script.write_text(HEADER + textwrap.dedent("""\
    from trainer import train
    model = resnet18(weights=None)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for epoch in range(30):
        train(model, loader, optimizer, epoch)
    """))
    assert [f["line"] for f in cli(script, "GL301")] == [6]
