"""Principles found in the sixth session (round 11 of tune labels and the value model's reading
of command-line options). Each test lints a small file written here with the real engine."""
from __future__ import annotations

from test_model_rules_tune2 import lint  # the real engine on a string

FROM_SCRATCH_OPTION = """\
    import argparse
    import torch
    from torchvision import models
    from torchvision.datasets import CIFAR10

    parser = argparse.ArgumentParser()
    parser.add_argument("--pretrained", action="store_true")
    args = parser.parse_args()
    {override}
    model = models.resnet50(pretrained=args.pretrained)
    data = torch.utils.data.DataLoader(CIFAR10("data", download=True), batch_size=64)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for x, y in data:
        loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    """


def test_gl301_an_option_forced_on_after_parsing_loads_the_weights():
    assert [f.line for f in lint(FROM_SCRATCH_OPTION.format(override="pass"), "GL301")] == [10]
    assert lint(FROM_SCRATCH_OPTION.format(override="args.pretrained = True"), "GL301") == []


RESUMABLE_LOOP = """\
    import argparse
    import os
    import torch

    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--start-epoch", type=int, default=0)
    parser.add_argument("--resume", default="outputs/model_best.pth")
    args = parser.parse_args()
    if args.resume and os.path.isfile(args.resume):
        args.start_epoch = torch.load(args.resume)["epoch"]
    for epoch in range(args.start_epoch, args.epochs):
        for x, y in train_loader:
            model(x).sum().backward()
            optimizer.step()
        for x, y in val_loader:
            model(x)
    """


def test_gl201_a_loop_that_may_resume_from_a_checkpoint_plans_its_full_length():
    # the start epoch may come from a checkpoint (unknown); the run the code plans is 40 epochs
    found = lint(RESUMABLE_LOOP, "GL201")
    assert [f.line for f in found] == [12] and "40 epochs" in found[0].message


def test_gl401_a_ci_job_region_given_twice_is_one_placement(tmp_path):
    from test_model_rules_tune2 import cli

    workflow = tmp_path / ".github" / "workflows" / "deploy.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text("""\
on: {push: {branches: [main]}}
jobs:
  deploy:
    runs-on: ubuntu-latest
    env:
      AWS_REGION: us-east-1
    steps:
      - uses: aws-actions/configure-aws-credentials@v2
        with:
          aws-region: us-east-1
      - run: terraform apply -auto-approve
  train:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@v2
        with:
          aws-region: us-east-1
      - run: python launch_training.py
""")
    # one finding for the deploy job (its env and its credentials step), one for the train job
    assert [f["line"] for f in cli(workflow, "GL401")] == [6, 17]
