"""A training step may be a function value: built by a factory of the file (a closure over the
model and optimizer) and called directly, or handed to a helper that calls it. The epoch loop
that uses it trains, and GL201 reads it like a loop that calls `loss.backward()` itself
(PyTorchStepByStep's `make_train_step_fn` / `mini_batch`, a common teaching pattern)."""
from __future__ import annotations

from test_model_rules_tune2 import lint

FACTORIES = """\
    import torch
    from torch import nn, optim

    def make_train_step_fn(model, loss_fn, optimizer):
        def perform_train_step_fn(x, y):
            model.train()
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            return loss.item()
        return perform_train_step_fn

    def make_val_step_fn(model, loss_fn):
        def perform_val_step_fn(x, y):
            model.eval()
            return loss_fn(model(x), y).item()
        return perform_val_step_fn

    def mini_batch(device, data_loader, step_fn):
        losses = [step_fn(x.to(device), y.to(device)) for x, y in data_loader]
        return sum(losses) / len(losses)

    model = nn.Sequential(nn.Linear(1, 1))
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    loss_fn = nn.MSELoss()
    train_step_fn = make_train_step_fn(model, loss_fn, optimizer)
    val_step_fn = make_val_step_fn(model, loss_fn)
"""


def test_a_step_function_handed_to_a_helper_trains_the_epoch_loop():
    loop = FACTORIES + """\
    for epoch in range(200):
        loss = mini_batch("cpu", train_loader, train_step_fn)
        with torch.no_grad():
            val_loss = mini_batch("cpu", val_loader, step_fn=val_step_fn)
    """
    assert [f.line for f in lint(loop, "GL201")] == [29]


def test_a_step_function_called_directly_trains_the_epoch_loop():
    loop = FACTORIES + """\
    for epoch in range(200):
        for x, y in train_loader:
            train_step_fn(x, y)
        with torch.no_grad():
            val_loss = mini_batch("cpu", val_loader, val_step_fn)
    """
    assert [f.line for f in lint(loop, "GL201")] == [29]


def test_a_loop_handed_only_the_evaluation_step_does_not_train():
    loop = FACTORIES + """\
    for epoch in range(200):
        with torch.no_grad():
            val_loss = mini_batch("cpu", val_loader, val_step_fn)
            test_loss = mini_batch("cpu", test_loader, step_fn=val_step_fn)
    """
    assert lint(loop, "GL201") == []
