"""Principles found in the fourteenth session (round 32 of tune labels and the code review). Each test
lints a small file written here with the real engine."""
from __future__ import annotations

from test_model_rules_tune2 import lint  # the real engine on a string


def test_a_trainer_chained_into_an_evaluation_trains_nothing():
    source = """
        import pytorch_lightning as pl

        model = Classifier.load_from_checkpoint("best.ckpt")
        pl.Trainer(gpus=1).test(model, test_loader)
        """
    assert lint(source, "GL202") == []
    fitted = source.replace(".test(model, test_loader)", ".fit(model, train_loader)")
    assert [f.line for f in lint(fitted, "GL202")] == [5]


def test_a_call_after_the_branches_does_not_make_an_evaluating_trainer_train():
    source = """
        import lightning as L

        def main(resume):
            if resume:
                trainer = L.Trainer(accelerator="gpu")
                trainer.validate(model, data)
            else:
                trainer = L.Trainer(accelerator="gpu", precision="bf16-mixed")
                trainer.fit(model, data)
            trainer.save_checkpoint("last.ckpt")
        """
    assert lint(source, "GL202") == []
    merged_fit = source.replace('trainer.save_checkpoint("last.ckpt")', "trainer.fit(model, data)")
    assert [f.line for f in lint(merged_fit, "GL202")] == [6]  # the fit after the branches runs either Trainer
