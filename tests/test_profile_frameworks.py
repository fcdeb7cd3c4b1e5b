"""The profile bootstrap's hooks against the real training libraries, where they are installed.

CI installs none of them (each pulls PyTorch or TensorFlow); these run on a developer machine
with `pip install torch keras lightning transformers` and on the GPU machine."""
from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from greenlint.profile.projection import build_profile
from greenlint.profile.runner import run_script

JOBS = {
    "keras": """
        import os
        os.environ.setdefault("KERAS_BACKEND", "torch")
        import numpy as np
        import keras
        x = np.random.rand(256, 8).astype("float32"); y = np.random.rand(256, 1).astype("float32")
        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        model.fit(x, y, validation_split=0.25, epochs=6, batch_size=64, verbose=0)
    """,
    "lightning": """
        import torch
        import lightning as L
        from torch.utils.data import DataLoader, TensorDataset
        class Net(L.LightningModule):
            def __init__(self):
                super().__init__(); self.layer = torch.nn.Linear(8, 1)
            def training_step(self, batch, _):
                x, y = batch; return torch.nn.functional.mse_loss(self.layer(x), y)
            def configure_optimizers(self):
                return torch.optim.SGD(self.parameters(), lr=0.01)
        data = DataLoader(TensorDataset(torch.rand(128, 8), torch.rand(128, 1)), batch_size=32)
        L.Trainer(max_epochs=6, logger=False, enable_checkpointing=False, enable_progress_bar=False,
                  enable_model_summary=False, accelerator="cpu").fit(Net(), data)
    """,
    "transformers": """
        import torch
        from transformers import BertConfig, BertForSequenceClassification, Trainer, TrainingArguments
        class Data(torch.utils.data.Dataset):
            def __len__(self): return 32
            def __getitem__(self, i):
                return {"input_ids": torch.randint(0, 100, (16,)), "labels": torch.tensor(i % 2)}
        config = BertConfig(vocab_size=100, hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64)
        args = TrainingArguments(output_dir="out", num_train_epochs=6, per_device_train_batch_size=16, report_to=[],
                                 save_strategy="no", use_cpu=True, logging_strategy="no", disable_tqdm=True)
        Trainer(model=BertForSequenceClassification(config), args=args, train_dataset=Data()).train()
    """,
}


@pytest.fixture(autouse=True)
def no_gpu_no_rapl(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pynvml", None)
    monkeypatch.setenv("GREENLINT_POWERCAP_ROOT", str(tmp_path / "no-powercap"))


@pytest.mark.parametrize("library", sorted(JOBS))
def test_epochs_are_counted_by_the_framework_hook(tmp_path: Path, library: str, monkeypatch):
    pytest.importorskip("torch")
    monkeypatch.setenv("KERAS_BACKEND", "torch")  # Keras 3 on the PyTorch backend, as in the job
    pytest.importorskip(library)
    monkeypatch.chdir(tmp_path)
    job = tmp_path / "job.py"
    job.write_text(textwrap.dedent(JOBS[library]), encoding="utf-8")
    result = run_script(job, seconds=240, idle_seconds=0)
    assert result.exit_status == 0
    profile = build_profile(result)
    epochs = profile["units"].get("other_units", {}).get("epoch") or (
        {"done": profile["units"]["done"], "planned": profile["units"]["planned"]}
        if profile["units"]["kind"] == "epoch" else None)
    assert epochs == {"done": 6, "planned": 6}
    assert profile["units"]["joules_per_unit"] > 0
