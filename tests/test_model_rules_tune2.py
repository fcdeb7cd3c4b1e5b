"""GL301-GL303: principles found on the tune half's fresh labels. Each test lints a small file
written here with the real engine (`lint_text`) or the real CLI."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from greenlint.engine import lint_text


def lint(source: str, code: str, filename: str = "run.py"):
    found = lint_text(textwrap.dedent(source), filename=filename, select=[code])
    return [f for f in found if f.code == code]


def cli(path: Path, code: str) -> list[dict]:
    out = subprocess.run([sys.executable, "-m", "greenlint", "--no-cache", "--select", code, "--format", "json",
                          str(path)], capture_output=True, text=True, check=False)
    return [f for f in json.loads(out.stdout)["findings"] if f["code"] == code]


def reported_lines(folder: Path, name: str, text: str, code: str) -> list[int]:
    """The lines the real CLI reports `code` at in a file `name` of `folder` holding `text`."""
    path = folder / name
    path.write_text(text)
    return [f["line"] for f in cli(path, code)]


# ---- GL301: data made of random tensors is a benchmark -----------------------------------------

RANDOM_LOADER = """
    import torch
    from torch.utils.data import DataLoader, TensorDataset
    from torchvision import models

    def run(steps=20, batch=32):
        pixels = torch.randn(steps * batch, 3, 64, 64)
        classes = torch.arange(batch).repeat(steps)
        loader = DataLoader(TensorDataset(pixels, classes), batch_size=batch)
        net = models.resnet34()
        opt = torch.optim.SGD(net.parameters(), lr=0.1)
        for x, y in loader:
            torch.nn.functional.cross_entropy(net(x), y).backward()
            opt.step()
"""


def test_gl301_loader_over_random_tensors_is_a_benchmark():
    assert lint(RANDOM_LOADER, "GL301") == []


def test_gl301_loader_over_a_real_dataset_is_still_reported():
    real = RANDOM_LOADER.replace("TensorDataset(pixels, classes)", "ImageFolder('/srv/pets')").replace(
        "from torch.utils.data import DataLoader, TensorDataset",
        "from torch.utils.data import DataLoader\n    from torchvision.datasets import ImageFolder")
    found = lint(real, "GL301")
    assert [f.line for f in found] == [11]  # the build, one line lower for the added import


def test_gl301_by_name_build_with_a_data_path_naming_no_dataset_is_reported(tmp_path):
    script = tmp_path / "classify.py"
    script.write_text(textwrap.dedent("""
        import argparse
        import torch
        import torchvision.models as models
        import torchvision.datasets as datasets
        p = argparse.ArgumentParser()
        p.add_argument("data", default="path to dataset")
        p.add_argument("--arch", default="resnet50")
        args = p.parse_args()
        train_set = datasets.ImageFolder(args.data)
        loader = torch.utils.data.DataLoader(train_set, batch_size=64)
        model = models.__dict__[args.arch]()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        for x, y in loader:
            torch.nn.functional.cross_entropy(model(x), y).backward()
            optimizer.step()
    """), encoding="utf-8")
    assert [f["line"] for f in cli(script, "GL301")] == [12]
    named = script.read_text(encoding="utf-8").replace("path to dataset", "/datasets/ILSVRC2012/train")
    script.write_text(named, encoding="utf-8")
    assert cli(script, "GL301") == []


# ---- GL302: reloading the file's own result; checkpoint path keys --------------------------------

ENTRY_POINT = """
    import fire
    import torch

    def main(out="runs", depth=64, epochs=3):
        net = build(depth)
        opt = torch.optim.Adam(net.parameters())
        for epoch in range(epochs):
            for x, y in batches():
                loss_of(net(x), y).backward()
                opt.step()
            torch.save(net.state_dict(), out + "/best.pt")
        net.load_state_dict(torch.load(out + "/best.pt"))
        evaluate(net)

    if __name__ == "__main__":
        fire.Fire(main)
"""


def test_gl302_entry_point_that_reloads_its_own_best_epoch_is_reported():
    found = lint(ENTRY_POINT, "GL302")
    assert [f.line for f in found] == [5]
    assert "64 layers" in found[0].message


def test_gl302_loading_another_checkpoint_before_training_still_exempts():
    other = ENTRY_POINT.replace('net = build(depth)', 'net = build(depth)\n        net.load_state_dict(torch.load("base.pt"))')
    assert lint(other, "GL302") == []


def test_gl302_loading_the_save_path_before_it_is_written_is_resuming():
    resumed = ENTRY_POINT.replace('net = build(depth)',
                                  'net = build(depth)\n        net.load_state_dict(torch.load(out + "/best.pt"))')
    assert lint(resumed, "GL302") == []


def test_gl302_config_naming_a_checkpoint_path_to_load_is_not_from_scratch(tmp_path):
    body = '"num_layers": 40,\n  "hidden_size": 5120,\n  "lr": 0.0001,\n  "train_iters": 1000'
    scratch = tmp_path / "scratch.json"
    scratch.write_text("{\n  " + body + "\n}\n", encoding="utf-8")
    assert [f["line"] for f in cli(scratch, "GL302")] == [2, 3]
    loaded = tmp_path / "loaded.json"
    loaded.write_text('{\n  "load": "./ckpt/released",\n  ' + body + "\n}\n", encoding="utf-8")
    assert cli(loaded, "GL302") == []
    restored = tmp_path / "nemo.yaml"
    restored.write_text("restore_from_path: /models/base.nemo\nnum_layers: 40\nlr: 0.0001\nmax_epochs: 3\n",
                        encoding="utf-8")
    assert cli(restored, "GL302") == []


def test_gl302_path_only_checkpoint_keys_need_a_path():
    # `load: 0.5` (a load-balancing weight) names no checkpoint.
    found = lint_text("load: 0.5\nnum_layers: 40\nlearning_rate: 0.001\nepochs: 2\n", filename="moe.yaml",
                      select=["GL302"])
    assert [f.line for f in found if f.code == "GL302"] == [2]


# ---- GL303: features are not the model; a fresh load run for inference ---------------------------

def test_gl303_encoder_features_fitted_by_a_scikit_learn_head_is_inference():
    found = lint("""
        from sentence_transformers import SentenceTransformer
        from sklearn.svm import LinearSVC
        import pandas as pd
        frame = pd.read_csv("reviews.csv")
        enc = SentenceTransformer("all-mpnet-base-v2")
        feats = enc.encode(frame.text.tolist())
        svm = LinearSVC().fit(feats, frame.label)
        svm2 = LinearSVC().fit(enc.encode(frame.text.tolist()), frame.label)
    """, "GL303")
    assert [f.line for f in found] == [6]


def test_gl303_encoder_handed_to_its_own_fit_is_still_training():
    assert lint("""
        from sentence_transformers import SentenceTransformer
        enc = SentenceTransformer("all-mpnet-base-v2")
        train_encoder(enc, pairs)
    """, "GL303") == []


FINE_TUNED_AND_BASELINE = """
    from transformers import AutoModelForMaskedLM, Trainer, pipeline
    NAME = "bert-base-uncased"
    lm = AutoModelForMaskedLM.from_pretrained(NAME)
    Trainer(model=lm, args=args, train_dataset=ds).train()
    before = pipeline("fill-mask", model=NAME)
    print(before("Paris is the [MASK] of France."))
"""


def test_gl303_baseline_pipeline_beside_a_fine_tune_of_the_same_checkpoint():
    found = lint(FINE_TUNED_AND_BASELINE, "GL303")
    assert [f.line for f in found] == [6]


def test_gl303_other_load_of_a_fine_tuned_checkpoint_not_run_is_left_alone():
    quiet = FINE_TUNED_AND_BASELINE.replace('before = pipeline("fill-mask", model=NAME)',
                                            "spare = AutoModelForMaskedLM.from_pretrained(NAME)").replace(
        'print(before("Paris is the [MASK] of France."))', "keep(spare)")
    assert lint(quiet, "GL303") == []


def test_gl303_constant_id_in_a_notebook_called_on_a_sample(tmp_path):
    cells = [
        "from transformers import BertModel, BertTokenizer\nimport pandas as pd\nrows = pd.read_csv('a.csv')",
        "CHECKPOINT = 'bert-base-cased'",
        "tok = BertTokenizer.from_pretrained(CHECKPOINT)\nsample = tok('hello there', return_tensors='pt')",
        "encoder = BertModel.from_pretrained(CHECKPOINT)",
        "hidden = encoder(**sample).last_hidden_state",
    ]
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
                     "source": c} for c in cells], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "explore.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    found = cli(path, "GL303")
    assert len(found) == 1 and "distilbert-base-cased" in found[0]["message"]


def test_gl301_build_in_a_branch_the_default_name_never_takes():
    found = lint("""
        import argparse
        import torch
        import torchvision.models as models
        p = argparse.ArgumentParser()
        p.add_argument("--arch", default="resnet18")
        args = p.parse_args()
        loader = torch.utils.data.DataLoader(folder_of(args), batch_size=8)
        if args.arch.startswith("wide"):
            model = models.__dict__[args.arch](width_per_group=128)
        elif args.arch in ("alexnet", "vgg11"):
            model = models.__dict__[args.arch](dropout=0.2)
        else:
            model = models.__dict__[args.arch]()
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        for x, y in loader:
            torch.nn.functional.cross_entropy(model(x), y).backward()
            opt.step()
    """, "GL301")
    assert [f.line for f in found] == [14]



def test_gl302_a_width_named_vocabulary_is_not_a_width():
    """Written for the principle from round 23: a width-named value at least the vocabulary size
    beside it counts embedding rows (a padded vocabulary), not units."""
    config = "model:\n  d_model: 1024\n  n_layers: 40\n  vocab_size: 50280\n  embedding_size: {size}\noptimizer:\n  lr: 0.0004\n"
    found = lint_text(config.format(size=50304), filename="train.yaml", select=["GL302"])
    assert [f.line for f in found if f.code == "GL302"] == [3]
    # below the vocabulary it is a width again (ALBERT's factorised embeddings are 128 wide)
    found = lint_text(config.format(size=4096), filename="train.yaml", select=["GL302"])
    assert [f.line for f in found if f.code == "GL302"] == [3, 5]


GL302_SCRIPT = """\
import argparse
import torch
parser = argparse.ArgumentParser()
parser.add_argument("--hidden_dim", type=int, default=4096)
args = parser.parse_args()
{loads}
model = torch.nn.Sequential(torch.nn.Linear(784, args.hidden_dim), torch.nn.Linear(args.hidden_dim, 10))
optimizer = torch.optim.AdamW(model.parameters())
for epoch in range(10):
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
"""


def test_gl302_only_a_checkpoint_the_model_starts_from_exempts_its_sizes():
    # data tensors read with torch.load, a frozen helper's weights, and a resume helper the file
    # never calls give the trained network none of its sizes
    not_the_models = [
        'voxels = torch.load("train_fmri.pt")\nimages = torch.load("frames.pt")\nloader = zip(voxels[:100], images)',
        'vae = make_vae()\nstate = torch.load("vae.pth")\nvae.load_state_dict(state)\nvae.requires_grad_(False)',
        'def load_ckpt(tag):\n    ckpt = torch.load(tag + ".pth")\n    model.load_state_dict(ckpt["model"])',
    ]
    for loads in not_the_models:
        [finding] = lint(GL302_SCRIPT.format(loads=loads), "GL302")
        assert finding.line == 4
    starts_from = [
        'state = torch.load("pretrained.pth")',  # loaded into the model after the build (appended below)
        'def load_ckpt(tag):\n    model.load_state_dict(torch.load(tag))\nload_ckpt("init.pth")',
    ]
    for loads in starts_from:
        source = GL302_SCRIPT.format(loads=loads) + "model.load_state_dict(state)\n" * ("state =" in loads)
        assert lint(source, "GL302") == []
