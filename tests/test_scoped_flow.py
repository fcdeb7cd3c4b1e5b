"""The flow of values between names is scoped: a function's local `model` is not the module's
`model`, and arguments reach the parameters of the function, constructor or base-class method a
call runs. Checked through GL301 (a torchvision model built without weights, trained here), with
the real engine on sources written for each test."""
from __future__ import annotations

import textwrap

from test_model_rules_tune2 import lint

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
