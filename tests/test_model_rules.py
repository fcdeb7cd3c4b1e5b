"""GL301-GL306: behaviour beyond the YAML examples, and regressions from real projects."""
from __future__ import annotations

import ast
import csv
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from greenlint.checks import gl301_training_from_scratch as gl301
from greenlint.checks import gl303_distilled_alternative as gl303
from greenlint.engine import lint_text
from greenlint.rules import data_path

CODES = ["GL301", "GL302", "GL303", "GL304", "GL305", "GL306"]


def lint(source: str, code: str, filename: str = "train.py", options: dict | None = None):
    found = lint_text(textwrap.dedent(source), filename=filename, select=[code], options={code: options or {}})
    return [f for f in found if f.code == code]


# ---- data tables ---------------------------------------------------------------------------------

def test_every_distilled_row_has_a_source_a_quality_figure_and_numeric_sizes():
    with data_path("distilled.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 20
    assert len(gl303.distilled_rows()) == len(rows)  # the loader drops none: every row qualifies
    for row in rows:
        assert row["source"].strip(), row
        assert row["quality"].strip() and any(ch.isdigit() for ch in row["quality"]), row
        assert float(row["params_small"]) < float(row["params_large"]), row
        if row["reported_quality_retained"]:
            assert 0 < float(row["reported_quality_retained"]) <= 1.01, row


def test_table_covers_the_families_the_issue_asks_for():
    for model_id in ("gpt2", "bert-base-uncased", "openai/whisper-large-v3", "facebook/bart-large-cnn",
                     "resnet152", "sentence-transformers/all-mpnet-base-v2"):
        assert gl303.alternatives_for(model_id), model_id


def test_gl303_rows_without_a_quality_figure_are_never_suggested(tmp_path, monkeypatch):
    # A smaller sibling whose quality no source states (t5-large -> t5-base) is not an alternative.
    for model_id in ("t5-large", "gpt2-xl", "google/flan-t5-xl", "roberta-large"):
        assert not gl303.alternatives_for(model_id), model_id
    table = tmp_path / "distilled.csv"
    table.write_text(
        "large,small,params_large,params_small,reported_speedup,reported_quality_retained,quality,source,relation,task,notes\n"
        "big-model,small-model,300,100,3,,,somewhere,compact-variant,x,no quality figure\n"
        "big-model,tiny-model,300,50,,,F1 90 vs 91,,distilled,x,no source\n"
        "big-model,fine-model,300,60,,,F1 89 vs 91,a paper,distilled,x,\n", encoding="utf-8")
    monkeypatch.setattr(gl303, "data_path", lambda name: table)
    gl303.distilled_rows.cache_clear()
    try:
        assert [r["small"] for r in gl303.distilled_rows()] == ["fine-model"]
    finally:
        gl303.distilled_rows.cache_clear()


def test_builders_table_prefers_float_over_quantized_builders():
    entry = gl301.builders()["torchvision"]["resnet50"]
    assert entry["weights_enum"] == "ResNet50_Weights"
    assert "mobilenet_v3_large" in gl301.builders()["torchvision"]


def test_model_ids_normalise_across_hub_organisations():
    assert gl303.normalize_model_id("google-bert/bert-base-uncased") == "bert-base-uncased"
    assert gl303.normalize_model_id("openai-community/gpt2-xl") == "gpt2-xl"
    assert gl303.normalize_model_id("hf://openai/whisper-large-v3") == "openai/whisper-large-v3"


# ---- GL301 ----------------------------------------------------------------------------------------

def test_gl301_message_names_the_weights_enum():
    (finding,) = lint("""
        import torch, torchvision
        model = torchvision.models.efficientnet_b0(weights=None)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        for x, y in train_loader:
            torch.nn.functional.cross_entropy(model(x), y).backward()
            opt.step()
    """, "GL301")
    assert "weights=EfficientNet_B0_Weights.DEFAULT" in finding.message
    assert finding.impact["start_from"] == "weights=EfficientNet_B0_Weights.DEFAULT"
    assert finding.impact["training_line"] == 6


def test_gl301_get_model_by_name_and_detection_backbone():
    found = lint("""
        import torch
        from torchvision.models import get_model
        from torchvision.models.detection import retinanet_resnet50_fpn
        clf = get_model("resnet34", weights=None)
        det = retinanet_resnet50_fpn(weights=None, weights_backbone=None, num_classes=3)
        params = list(clf.parameters()) + list(det.parameters())
        optimizer = torch.optim.SGD(params, lr=0.01)
        for x, y in loader:
            (criterion(clf(x), y) + sum(det(x, y).values())).backward()
            optimizer.step()
    """, "GL301")
    assert [f.line for f in found] == [5, 6]
    assert "ResNet34_Weights.DEFAULT" in found[0].message


def test_gl301_model_built_in_a_helper_and_trained_with_keras_fit():
    (finding,) = lint("""
        from tensorflow import keras
        def build():
            return keras.applications.MobileNetV2(weights=None, classes=5)
        model = build()
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(train_ds, validation_data=val_ds, epochs=20)
    """, "GL301")
    assert finding.line == 4


def test_gl301_not_reported_for_multispectral_keras_input():
    assert not lint("""
        from tensorflow import keras
        model = keras.applications.ResNet50(weights=None, input_shape=(64, 64, 13), classes=10)
        model.fit(x_train, y_train, epochs=5)
    """, "GL301")


def test_gl301_grayscale_keras_input_is_reported_with_the_channel_repeated_and_no_fix():
    [finding] = lint("""
        from tensorflow import keras
        model = keras.applications.ResNet50(weights=None, input_shape=(64, 64, 1), classes=10)
        model.fit(x_train, y_train, epochs=5)
    """, "GL301")
    assert "grey channel repeated to 3" in finding.message
    assert finding.fix is None


def test_gl301_unused_optimizer_is_not_training_evidence():
    assert not lint("""
        import torch
        from torchvision import models
        model = models.resnet18()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        print(model)
    """, "GL301")


def test_gl301_regression_rpc_parameter_server_on_random_batches():
    # pytorch/examples distributed/rpc/batch/parameter_server.py: trains on torch.randn batches.
    assert not lint("""
        import torch, torchvision
        from torch import optim
        class ParameterServer:
            def __init__(self):
                self.model = torchvision.models.resnet50(num_classes=10)
                self.optimizer = optim.SGD(self.model.parameters(), lr=0.001)
            def update(self):
                self.optimizer.step()
        def get_next_batch():
            for _ in range(6):
                yield torch.randn(20, 3, 128, 128), torch.zeros(20, 10)
        def train(m):
            for inputs, labels in get_next_batch():
                torch.nn.MSELoss()(m(inputs), labels).backward()
    """, "GL301", filename="parameter_server.py")


def test_gl301_regression_self_supervised_pretraining():
    # Lightning-AI/tutorials SimCLR and Barlow Twins: self-supervised pre-training starts from random init on purpose.
    assert not lint("""
        import torchvision
        import pytorch_lightning as pl
        class SimCLR(pl.LightningModule):
            def __init__(self):
                super().__init__()
                self.convnet = torchvision.models.resnet18(num_classes=128)
            def training_step(self, batch, idx):
                return self.info_nce_loss(batch)
        trainer = pl.Trainer(max_epochs=500)
        trainer.fit(SimCLR(), train_loader)
    """, "GL301", filename="simclr.py")


def test_gl301_reported_through_lightning_module():
    (finding,) = lint("""
        import torchvision
        import pytorch_lightning as pl
        class LitResnet(pl.LightningModule):
            def __init__(self):
                super().__init__()
                self.model = torchvision.models.resnet18(weights=None, num_classes=10)
            def training_step(self, batch, idx):
                x, y = batch
                return F.cross_entropy(self.model(x), y)
        model = LitResnet()
        trainer = pl.Trainer(max_epochs=30)
        trainer.fit(model, cifar10_dm)
    """, "GL301", filename="baseline.py")
    assert finding.line == 7


def test_gl301_a_lightning_module_trained_elsewhere():
    # No Trainer in this file: the module defines training_step and configure_optimizers, so
    # whatever fits it trains the random-weight backbone it holds; its options come through self.
    source = """
        import timm
        import torch
        from pytorch_lightning import LightningModule
        class Classifier(LightningModule):
            def __init__(self, backbone="resnet50", pretrained=False):
                super().__init__()
                self.backbone_name = backbone
                self.pretrained = pretrained
                self.net = timm.create_model(self.backbone_name, pretrained=self.pretrained, num_classes=20)
            def training_step(self, batch, idx):
                x, y = batch
                return torch.nn.functional.cross_entropy(self.net(x), y)
            def configure_optimizers(self):
                return torch.optim.Adam(self.parameters())
    """
    (finding,) = lint(source, "GL301", filename="model.py")
    assert finding.line == 10 and "training_step (line 11)" in finding.message
    assert lint(source.replace("pretrained=False", "pretrained=True"), "GL301", filename="model.py") == []
    no_optimizers = source.replace("def configure_optimizers(self):", "def helper(self):")
    assert lint(no_optimizers, "GL301", filename="model.py") == []


def test_gl301_checkpoint_load_inside_if_still_reported():
    (finding,) = lint("""
        import argparse, torch
        from torchvision import models
        parser = argparse.ArgumentParser()
        parser.add_argument("--resume", default="")
        args = parser.parse_args()
        model = models.resnet18()
        if args.resume:
            model.load_state_dict(torch.load(args.resume))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        for x, y in loader:
            criterion(model(x), y).backward()
            optimizer.step()
    """, "GL301")
    assert finding.line == 7


def test_gl301_regression_training_loop_in_a_sibling_module():
    # facebookresearch/ConvNeXt main.py (and facebookresearch/deit main.py): the epoch loop lives
    # in engine.py; main.py hands the model and its optimizer to `train_one_epoch`.
    source = """
        import argparse
        from timm.models import create_model
        from timm.optim.optim_factory import create_optimizer
        from engine import train_one_epoch, evaluate

        def get_args_parser():
            parser = argparse.ArgumentParser('ConvNeXt training', add_help=False)
            parser.add_argument('--model', default='convnext_tiny', type=str)
            parser.add_argument('--epochs', default=300, type=int)
            return parser

        def main(args):
            model = create_model(args.model, pretrained=False, num_classes=args.nb_classes)
            model_without_ddp = model
            optimizer = create_optimizer(args, model_without_ddp)
            for epoch in range(args.start_epoch, args.epochs):
                train_stats = train_one_epoch(model, criterion, data_loader_train, optimizer, device, epoch)

        if __name__ == '__main__':
            parser = argparse.ArgumentParser('ConvNeXt', parents=[get_args_parser()])
            args = parser.parse_args()
            main(args)
    """
    (finding,) = lint(source, "GL301", filename="main.py")
    assert finding.line == 14 and finding.impact["model"] == "convnext_tiny"
    assert "train_one_epoch" in finding.message
    # Look-alike: the same helper handed only the model (evaluation), or no optimizer at all.
    assert not lint(source.replace("data_loader_train, optimizer,", "data_loader_train,"), "GL301", filename="main.py")


def test_gl301_regression_teacher_built_and_loaded_in_the_same_branch():
    # facebookresearch/deit main.py: the distillation teacher is created with pretrained=False and
    # loaded from --teacher-path inside the same `if`; it is never trained.
    assert not lint("""
        import torch
        from timm.models import create_model
        from engine import train_one_epoch
        model = torch.nn.Linear(4, 2)
        optimizer = torch.optim.AdamW(model.parameters())
        teacher_model = None
        if args.distillation_type != 'none':
            teacher_model = create_model("regnety_160", pretrained=False, num_classes=1000)
            checkpoint = torch.load(args.teacher_path, map_location='cpu')
            teacher_model.load_state_dict(checkpoint['model'])
            teacher_model.eval()
        criterion = DistillationLoss(criterion, teacher_model, args.distillation_type)
        train_one_epoch(model, criterion, data_loader_train, optimizer, device, epoch)
    """, "GL301", filename="main.py")


def test_gl301_name_rebuilt_with_weights_before_training_is_not_reported():
    # A notebook builds `net` bare to show it, then rebuilds it with weights and trains that one.
    source = """
        import torch
        import torchvision
        net = torchvision.models.resnet18()
        print(net)
        net = torchvision.models.resnet18(weights="DEFAULT")
        def fit_epoch(net, loader, opt):
            for x, y in loader:
                torch.nn.functional.cross_entropy(net(x), y).backward()
                opt.step()
        opt = torch.optim.SGD(net.parameters(), lr=0.01)
        fit_epoch(net, torchvision.datasets.CIFAR10("."), opt)
    """
    assert not lint(source, "GL301")
    # trained before the rebinding: still the from-scratch model
    rebuild = '        net = torchvision.models.resnet18(weights="DEFAULT")\n'
    trained_first = source.replace(rebuild, "").rstrip() + "\n" + rebuild
    assert [f.line for f in lint(trained_first, "GL301")] == [4]


def test_gl301_command_line_parsed_in_a_helper():
    # huggingface/pytorch-image-models train.py style: `args, args_text = _parse_args()`.
    (finding,) = lint("""
        import argparse
        import torch
        import timm

        parser = argparse.ArgumentParser()
        parser.add_argument('--model', default='resnet50', type=str)

        def _parse_args():
            args = parser.parse_args()
            return args, "text"

        def main():
            args, args_text = _parse_args()
            model = timm.create_model(args.model, num_classes=10)
            optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
            for x, y in loader:
                loss = torch.nn.functional.cross_entropy(model(x), y)
                loss.backward()
                optimizer.step()
    """, "GL301")
    assert finding.impact["model"] == "resnet50"


def test_gl301_config_with_changed_sizes_is_a_new_architecture():
    assert not lint("""
        from transformers import AutoConfig, AutoModelForCausalLM, Trainer
        config = AutoConfig.from_pretrained("gpt2")
        config.n_layer = 4
        model = AutoModelForCausalLM.from_config(config)
        Trainer(model=model, args=args, train_dataset=ds).train()
    """, "GL301")


# ---- GL302 ----------------------------------------------------------------------------------------

def test_gl302_click_option_and_thresholds_are_options():
    source = """
        import click
        @click.command()
        @click.option("--n-layers", default=32)
        def main(n_layers):
            model = Net(n_layers)
            model.fit(data)
    """
    (finding,) = lint(source, "GL302")
    assert finding.impact == {"parameter": "n_layers", "default": 32, "threshold": 24, "dimension": "depth"}
    assert not lint(source, "GL302", options={"max-depth": 48})


def test_gl302_not_reported_in_a_file_that_does_not_train():
    assert not lint("""
        import argparse
        parser = argparse.ArgumentParser()
        parser.add_argument("--num_layers", type=int, default=96)
    """, "GL302")


# ---- GL303 ----------------------------------------------------------------------------------------

def test_gl302_oversized_training_config_but_not_a_published_architecture():
    pretraining = ("[model]\nn_layer = 48\nn_embd = 6144\nvocab_size = 50304\n\n"
                   "[train]\nlearning_rate = 3e-4\nmax_steps = 600000\n")
    found = lint_text(pretraining, filename="train_config.toml", select=["GL302"])
    assert [(f.line, f.impact["dimension"]) for f in found] == [(2, "depth"), (3, "width")]
    published = '{"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "n_layer": 48, "n_embd": 1600, "learning_rate": 0.0001}'
    assert lint_text(published, filename="config.json", select=["GL302"]) == []
    fine_tune = "model:\n  n_layer: 48\ntrain:\n  lr: 1e-4\n  init_from: gpt2-xl\n"
    assert lint_text(fine_tune, filename="x.yaml", select=["GL302"]) == []


def test_gl303_whisper_package_names():
    (finding,) = lint("""
        import whisper
        model = whisper.load_model("large-v2")
        print(model.transcribe("a.wav")["text"])
    """, "GL303", filename="transcribe.py")
    assert finding.impact["alternative"].startswith("distil-whisper/")
    assert finding.impact["reported_speedup"] > 1


def test_gl303_jumpstart_and_kserve_ids():
    found = lint("""
        from sagemaker.jumpstart.model import JumpStartModel
        import kserve
        model = JumpStartModel(model_id="huggingface-fillmask-bert-base-uncased")
        spec = kserve.V1beta1ModelSpec(storage_uri="hf://openai/whisper-large-v3", model_format=fmt)
    """, "GL303", filename="deploy.py")
    assert [f.line for f in found] == [4, 5]
    assert "distilbert-base-uncased" in found[0].message


def test_gl303_one_finding_per_checkpoint_and_file():
    # UKPLab/sentence-transformers examples/.../model_quantization.py loads the same model five times.
    found = lint("""
        from sentence_transformers import SentenceTransformer
        model = SentenceTransformer("all-mpnet-base-v2", device="cpu")
        onnx_model = SentenceTransformer("all-mpnet-base-v2", backend="onnx")
        again = SentenceTransformer("all-mpnet-base-v2", backend="onnx")
    """, "GL303", filename="quantize.py")
    assert [f.line for f in found] == [3]


def test_gl303_regression_task_head_on_base_checkpoint_is_fine_tuning():
    # huggingface/notebooks datasets_doc quickstart: a classification head on bert-base-uncased is trained later.
    assert not lint("""
        from transformers import AutoModelForSequenceClassification
        model = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased")
    """, "GL303")


def test_gl303_task_head_run_for_inference_is_reported():
    # A forward-pass benchmark: the head is random, but the body's compute is what runs.
    (finding,) = lint("""
        import torch
        from transformers import AutoModelForSequenceClassification
        net = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased")
        net.eval()
        with torch.no_grad():
            out = net(torch.randint(0, 1000, (8, 128)))
    """, "GL303")
    assert finding.line == 4
    (finding,) = lint("""
        import torch
        from transformers import AutoModelForTokenClassification
        tagger = AutoModelForTokenClassification.from_pretrained("bert-base-uncased", num_labels=5)
        with torch.inference_mode():
            scores = tagger(**batch)
    """, "GL303")
    assert finding.line == 4


def test_gl303_model_handed_to_a_training_helper_is_not_inference():
    assert not lint("""
        from transformers import AutoModelForMaskedLM
        from mylib import finetune
        model = AutoModelForMaskedLM.from_pretrained("roberta-large")
        finetune(model, data)
    """, "GL303")


# ---- GL304 ----------------------------------------------------------------------------------------

def test_gl303_regression_test_suites_are_not_inference():
    # huggingface/peft tests/test_tuners_utils.py loads gpt2 to exercise adapter code.
    source = """
        import pytest
        from transformers import AutoModelForCausalLM
        def test_status_of_a_plain_model_is_refused():
            model = AutoModelForCausalLM.from_pretrained("gpt2")
            with pytest.raises(ValueError):
                inspect_adapters(model)
    """
    # A test by what it does, whatever the file is called.
    assert not lint(source, "GL303", filename="tests/test_tuners_utils.py")
    assert not lint(source, "GL303", filename="serve.py")
    # The same load in a function that checks nothing is not a test.
    plain = source.replace("with pytest.raises(ValueError):\n                inspect_adapters(model)",
                           "return inspect_adapters(model)")
    assert len(lint(plain, "GL303", filename="tests/helpers.py")) == 1


def test_gl303_notebook_rebinding_the_env_dict_uses_the_reaching_value():
    # pinecone-io/examples learn/generation/aws/sagemaker/sagemaker-huggingface-rag.ipynb: `hub_config`
    # is rebound cell after cell; each HuggingFaceModel deploys the value bound just before it.
    found = lint("""
        from sagemaker.huggingface import HuggingFaceModel
        hub_config = {'HF_MODEL_ID': 'sentence-transformers/all-mpnet-base-v2', 'HF_TASK': 'feature-extraction'}
        llm = HuggingFaceModel(env=hub_config, role=role, image_uri=llm_image)
        hub_config = {'HF_MODEL_ID': 'sentence-transformers/all-MiniLM-L6-v2', 'HF_TASK': 'feature-extraction'}
        encoder = HuggingFaceModel(env=hub_config, role=role)
    """, "GL303", filename="rag.py")
    assert [(f.line, f.impact["model"]) for f in found] == [(4, "sentence-transformers/all-mpnet-base-v2")]
    # A rebinding inside a branch makes the reaching value unknowable: nothing is reported.
    assert not lint("""
        from sagemaker.huggingface import HuggingFaceModel
        hub_config = {'HF_MODEL_ID': 'bert-base-uncased'}
        if small:
            hub_config = {'HF_MODEL_ID': 'distilbert-base-uncased'}
        llm = HuggingFaceModel(env=hub_config, role=role)
    """, "GL303", filename="rag.py")


def test_gl304_follows_variables_and_conversions():
    (finding,) = lint("""
        import scipy.sparse
        m = scipy.sparse.csr_matrix((data, (rows, cols)), shape=(200000, 50000))
        sub = m[:1000].tocsc()
        result = sub.toarray() @ w
    """, "GL304")
    assert finding.line == 5
    assert finding.impact["dense_bytes"] == 200000 * 50000 * 8


def test_gl304_regression_small_literal_documents_for_display():
    # jakevdp/PythonDataScienceHandbook 05.04-Feature-Engineering: three example sentences.
    assert not lint("""
        import pandas as pd
        from sklearn.feature_extraction.text import CountVectorizer
        sample = ["problem of evil", "evil queen", "horizon problem"]
        vec = CountVectorizer()
        X = vec.fit_transform(sample)
        pd.DataFrame(X.toarray(), columns=vec.get_feature_names_out())
    """, "GL304")


def test_gl304_dense_encoder_inside_a_column_transformer_makes_its_output_dense():
    # ColumnTransformer keeps sparse output while a part is sparse (sparse_threshold 0.3): the
    # encoder's dense flag decides, inline, through a name, and in make_column_transformer.
    inline = lint("""
        from sklearn.compose import ColumnTransformer
        from sklearn.preprocessing import OneHotEncoder, StandardScaler
        prep = ColumnTransformer([("num", StandardScaler(), ["age"]),
                                  ("cat", OneHotEncoder(sparse=False), ["city", "shop"])])
    """, "GL304")
    assert [f.line for f in inline] == [5]
    named = lint("""
        from sklearn.compose import make_column_transformer
        from sklearn.preprocessing import OneHotEncoder
        part = (OneHotEncoder(sparse_output=False, handle_unknown="ignore"), ["city"])
        prep = make_column_transformer(part, remainder="passthrough")
    """, "GL304")
    assert [f.line for f in named] == [4]


def test_gl304_column_transformer_that_is_always_dense_is_not_reported():
    assert not lint("""
        from sklearn.compose import ColumnTransformer
        from sklearn.preprocessing import OneHotEncoder
        prep = ColumnTransformer([("cat", OneHotEncoder(sparse_output=False), ["city"])], sparse_threshold=0)
    """, "GL304")


def test_gl304_toarray_on_the_transform_of_an_encoder_handed_in():
    # The encoder is a parameter: `.toarray()` exists only on sparse matrices, so its output is sparse.
    (finding,) = lint("""
        import pandas as pd
        def encode_column(frame, encoder, column):
            values = encoder.transform(frame[[column]]).toarray()
            return pd.DataFrame(values)
    """, "GL304")
    assert finding.line == 4 and "encoder.transform" in finding.message


def test_gl304_text_list_grown_at_run_time_is_not_a_small_literal():
    (finding,) = lint("""
        import pandas as pd
        from sklearn.feature_extraction.text import CountVectorizer
        from sklearn.naive_bayes import MultinomialNB
        documents = []
        for text in pd.read_csv("reviews.csv")["body"]:
            documents.append(text.lower())
        X = CountVectorizer(max_features=3000).fit_transform(documents).toarray()
        MultinomialNB().fit(X, labels)
    """, "GL304")
    assert finding.line == 8


def test_gl304_one_column_or_row_of_a_sparse_matrix_is_a_vector():
    assert not lint("""
        from sklearn.feature_extraction.text import CountVectorizer
        X = CountVectorizer().fit_transform(load_texts())
        flags = X[:, -3].toarray().ravel()
        first = X[0].todense()
        score(flags, first)
    """, "GL304")


def test_gl304_transformer_chained_on_literal_documents_is_still_small():
    assert not lint("""
        import numpy as np
        from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
        docs = np.array(["red fox", "lazy dog", "red dog"])
        counts = CountVectorizer().fit_transform(docs).toarray()
        weights = TfidfTransformer(norm=None).fit_transform(counts).toarray()
        total = weights.sum()
    """, "GL304")


def test_gl304_a_same_named_list_grown_in_another_function_is_another_variable():
    assert not lint("""
        from sklearn.feature_extraction.text import CountVectorizer
        docs = ["one two", "two three", "three four"]
        dense = CountVectorizer().fit_transform(docs).toarray()
        total = dense.sum()
        def batches(stream):
            docs = []
            for line in stream:
                docs.append(line)
            return docs
    """, "GL304")


def test_gl304_a_frame_rebound_to_its_own_copy_is_analysed(tmp_path):
    # `frame = frame.copy()` refers to itself: following it must end (no GL000 "nests too deeply")
    found = lint_text(textwrap.dedent("""
        import pandas as pd
        from sklearn.preprocessing import OneHotEncoder
        frame = frame.copy()
        enc = OneHotEncoder(sparse=False).fit(frame[["city"]])
        features = pd.DataFrame(enc.transform(frame[["city"]]))
        model.fit(features, target)
    """), filename="train.py", select=["GL304", "GL000"])
    assert [f.code for f in found] == ["GL304"]


def test_gl304_encoding_a_few_literal_rows_or_assembling_a_frame_for_display_is_not_reported():
    assert not lint("""
        import pandas as pd
        from sklearn.preprocessing import OneHotEncoder
        enc = OneHotEncoder().fit(pd.read_csv("shops.csv")[["kind"]])
        sample = pd.DataFrame([["a", "bakery"], ["b", "florist"]], columns=["name", "kind"])
        arr = enc.transform(sample[["kind"]]).toarray()
        print(arr)
    """, "GL304")
    assert not lint("""
        import pandas as pd
        from sklearn.preprocessing import OneHotEncoder
        shops = pd.read_csv("shops.csv")
        kind_arr = OneHotEncoder().fit_transform(shops[["kind"]]).toarray()
        kind_frame = pd.DataFrame(kind_arr)
        shown = pd.concat([shops[["name"]], kind_frame], axis=1)
        shown.head()
    """, "GL304")


def test_gl304_old_sparse_spelling_is_reported_as_note():
    (finding,) = lint("""
        from sklearn.preprocessing import OneHotEncoder
        enc = OneHotEncoder(sparse=False)
        X = enc.fit_transform(df[["zip_code"]])
    """, "GL304")
    assert str(finding.severity) == "note"


def test_gl304_dense_transformer_output_is_not_sparse():
    # The encoder flag itself is reported (line 3); the `.toarray()` on its dense output is not.
    found = lint("""
        from sklearn.feature_extraction import DictVectorizer
        X = DictVectorizer(sparse=False).fit_transform(records)
        Y = X.toarray()
    """, "GL304")
    assert [(f.line, f.impact.get("argument")) for f in found] == [(3, "sparse")]


def test_gl304_regression_dense_encoder_output_only_displayed_in_a_notebook_cell():
    # ageron/handson-ml3 02_end_to_end_machine_learning_project.ipynb (cells 105-113): the dense
    # one-hot matrix is shown as the cell's output and wrapped in a DataFrame for display.
    assert not lint("""
        from sklearn.preprocessing import OneHotEncoder
        cat_encoder = OneHotEncoder(sparse_output=False)
        housing_cat_1hot = cat_encoder.fit_transform(housing_cat)
        housing_cat_1hot
        cat_encoder.categories_
        cat_encoder.transform(df_test)
        df_output = pd.DataFrame(cat_encoder.transform(df_test_unknown),
                                 columns=cat_encoder.get_feature_names_out())
        df_output
    """, "GL304")


def test_gl304_regression_dense_encoder_output_printed():
    # amueller/introduction_to_ml_with_python 04-representing-data-feature-engineering.ipynb;
    # justmarkham/scikit-learn-videos 10_categorical_features.ipynb (bare `ohe.fit_transform(...)`).
    assert not lint("""
        from sklearn.preprocessing import OneHotEncoder
        ohe = OneHotEncoder(sparse=False)
        print(ohe.fit_transform(demo_df))
        print(ohe.get_feature_names())
    """, "GL304")
    assert not lint("""
        from sklearn.preprocessing import OneHotEncoder
        ohe = OneHotEncoder(sparse=False)
        ohe.fit_transform(df[['Sex']])
        ohe.categories_
    """, "GL304")


def test_gl304_dense_encoder_output_used_for_training_is_reported():
    # Look-alike of the display-only cases: the same dense matrix is shown *and* fitted on.
    found = lint("""
        from sklearn.preprocessing import OneHotEncoder
        from sklearn.linear_model import LogisticRegression
        ohe = OneHotEncoder(sparse_output=False)
        X = ohe.fit_transform(df[["city", "product_id"]])
        X
        LogisticRegression().fit(X, y)
    """, "GL304")
    assert [f.line for f in found] == [4]
    # ... and handed to a pipeline, whose output cannot be followed, it is still reported.
    assert [f.line for f in lint("""
        from sklearn.preprocessing import OneHotEncoder
        from sklearn.pipeline import make_pipeline
        ohe = OneHotEncoder(sparse_output=False)
        make_pipeline(ohe, clf).fit(df, y)
    """, "GL304")] == [4]


def test_gl304_toarray_passed_to_fit_in_a_bare_statement_is_reported():
    # A bare `clf.fit(X.toarray(), y)` statement is computation, not a notebook display.
    assert [f.line for f in lint("""
        from sklearn.feature_extraction.text import TfidfVectorizer
        X = TfidfVectorizer().fit_transform(texts)
        clf.fit(X.toarray(), y)
    """, "GL304")] == [4]


# ---- GL305 / GL306 --------------------------------------------------------------------------------

def test_gl305_vocab_from_argparse_default_and_option():
    source = """
        import argparse, torch
        parser = argparse.ArgumentParser()
        parser.add_argument("--vocab", type=int, default=250000)
        args = parser.parse_args()
        emb = torch.nn.Embedding(args.vocab, 64)
        opt = torch.optim.SGD(emb.parameters(), lr=1.0)
        emb(ids).sum().backward()
        opt.step()
    """
    (finding,) = lint(source, "GL305")
    assert finding.impact["dense_gradient_bytes"] == 250000 * 64 * 4
    assert not lint(source, "GL305", options={"min-vocab": 300000})


def test_gl305_mixed_optimizers_are_not_reported():
    assert not lint("""
        import torch
        emb = torch.nn.Embedding(1000000, 64)
        opt1 = torch.optim.SGD(emb.parameters(), lr=1.0)
        opt2 = torch.optim.Adam(head.parameters())
        loss.backward()
    """, "GL305")


def test_gl306_constant_expression_and_no_training():
    source = textwrap.dedent("""
        import torch
        from torch import nn
        fc = nn.Linear(512 * 7 * 7, 4096)
    """)
    assert not lint(source, "GL306")
    (finding,) = lint(source + "opt = torch.optim.SGD(fc.parameters(), lr=0.1)\nfc(x).sum().backward()\n", "GL306")
    assert finding.impact["weights"] == 512 * 7 * 7 * 4096


# ---- through the real CLI -------------------------------------------------------------------------

def test_cli_reports_model_rules_on_a_project(tmp_path: Path):
    (tmp_path / "train.py").write_text(textwrap.dedent("""
        import torch
        from torchvision import models
        model = models.resnet50()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        for images, labels in train_loader:
            torch.nn.functional.cross_entropy(model(images), labels).backward()
            optimizer.step()
    """), encoding="utf-8")
    (tmp_path / "serve.py").write_text(textwrap.dedent("""
        from transformers import pipeline
        summarize = pipeline("summarization", model="facebook/bart-large-cnn")
    """), encoding="utf-8")
    (tmp_path / "features.py").write_text(textwrap.dedent("""
        from sklearn.feature_extraction.text import TfidfVectorizer
        X = TfidfVectorizer().fit_transform(load_corpus())
        dense = X.toarray()
        model.fit(dense, y)
    """), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "greenlint", str(tmp_path), "--no-cache", "--select", ",".join(CODES), "--format", "json"],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert result.returncode == 1, result.stderr
    payload = json.loads(result.stdout)
    items = payload["findings"] if isinstance(payload, dict) else payload
    got = sorted((Path(f["path"]).name, f["code"], f["line"]) for f in items)
    assert got == [("features.py", "GL304", 4), ("serve.py", "GL303", 3), ("train.py", "GL301", 4)]


def test_gl304_dense_copy_for_savetxt_is_not_reported():
    """Regression (amazon-sagemaker-examples sm-batch_transform_pca_dbscan_movie_clusters):
    np.savetxt needs a dense array; the conversion is the only way to write the text file."""
    from greenlint.engine import lint_text

    code = ("import numpy as np\nfrom sklearn.feature_extraction.text import CountVectorizer\n"
            "X = CountVectorizer().fit_transform(docs)\nnp.savetxt('train.csv', X.todense(), delimiter=',')\n")
    assert lint_text(code, filename="prep.py", select=["GL304"]) == []


# ---- third real-project audit (faster-whisper, practical-nlp-code) ----------------------------

def test_gl303_fixed_input_script_says_it_is_a_demo_whatever_its_name(tmp_path):
    # A script that only runs the checkpoint on a sample written into it exercises that model.
    demo = textwrap.dedent("""
        from faster_whisper import WhisperModel
        model = WhisperModel("large-v3", device="cuda")
        segments, info = model.transcribe("sample.m4a", beam_size=5)
    """)
    for name in ("benchmark/utils.py", "serve/transcribe.py"):
        (finding,) = run_cli(tmp_path / name.split("/")[0], {name: demo}, "GL303")
        assert finding["message"].startswith("This script only runs `openai/whisper-large-v3` on inputs written")
        assert "distil-whisper/distil-large-v3" in finding["message"]
    # Reading its audio from the command line, it processes real inputs: the plain note.
    real = demo.replace('"sample.m4a"', "sys.argv[1]").replace("from faster_whisper", "import sys\nfrom faster_whisper")
    (finding,) = run_cli(tmp_path / "real", {"transcribe.py": real}, "GL303")
    assert not finding["message"].startswith("This script") and "quality WER 9.7 vs 8.4" in finding["message"]


def test_gl303_non_english_transcription_gets_no_english_only_alternative():
    # distil-whisper's checkpoints are English only; no multilingual alternative has a quality figure.
    assert not lint("""
        from faster_whisper import WhisperModel
        model = WhisperModel("large-v3", device="cuda")
        segments, info = model.transcribe(path, language="fr")
    """, "GL303", filename="transcribe.py")
    (english,) = lint("""
        import whisper
        model = whisper.load_model("large-v3")
        print(model.transcribe(path, language="en")["text"])
    """, "GL303", filename="transcribe.py")
    assert english.impact["alternative"] == "distil-whisper/distil-large-v3"
    assert english.impact["quality"] == "WER 9.7 vs 8.4 short-form, 10.8 vs 11.0 long-form"


def test_gl304_regression_split_literal_sentences_printed():
    # practical-nlp-code Ch3/01_OneHotEncoding.ipynb: four three-word sentences split into tokens,
    # one-hot encoded and printed; a helper in the same notebook binds the same name to a list.
    source = """
        from sklearn.preprocessing import OneHotEncoder

        def get_onehot_vector(somestring):
            onehot_encoded = []
            for word in somestring.split():
                onehot_encoded.append([0])
            return onehot_encoded

        S1 = 'dog bites man'
        S2 = 'man bites dog'
        data = [S1.split(), S2.split()]
        onehot_encoder = OneHotEncoder()
        onehot_encoded = onehot_encoder.fit_transform(data).toarray()
        print("Onehot Encoded Matrix:", onehot_encoded)
    """
    assert lint(source, "GL304") == []
    # The same densified matrix fed to training is still reported.
    trained = source.replace('print("Onehot Encoded Matrix:", onehot_encoded)', "clf.fit(onehot_encoded, y)")
    trained = trained.replace("data = [S1.split(), S2.split()]", "data = load_rows()")
    assert len(lint(trained, "GL304")) == 1


def test_gl304_regression_dense_copy_only_for_plots():
    # practical-nlp-code Ch4/10_ShapDemo.ipynb: `X_test_dtm.toarray()` only feeds shap's plots.
    source = """
        import shap
        from sklearn.feature_extraction.text import TfidfVectorizer
        vect = TfidfVectorizer(min_df=5)
        X_train_dtm = vect.fit_transform(X_train)
        X_test_dtm = vect.transform(X_test)
        X_test_array = X_test_dtm.toarray()
        shap.summary_plot(shap_values, X_test_array, feature_names=vect.get_feature_names())
        shap.force_plot(explainer.expected_value, shap_values[0, :], X_test_array[0, :])
    """
    assert lint(source, "GL304") == []
    computed = source.replace("shap.force_plot(explainer.expected_value, shap_values[0, :], X_test_array[0, :])",
                              "model.fit(X_test_array, y_test)")
    assert len(lint(computed, "GL304")) == 1


def test_gl304_regression_dense_one_hot_reshaped_into_a_tensor():
    # deepchem contrib/dragonn/utils.py: one-hot DNA sequences reshaped to (n, 1, length, 5) for a
    # CNN; scipy.sparse cannot hold a 4-D tensor, so dense output is what the network needs.
    source = """
        from sklearn.preprocessing import OneHotEncoder

        def one_hot_encode(sequences, integer_array, sequence_length):
            one_hot_encoding = OneHotEncoder(sparse=False, n_values=5).fit_transform(integer_array)
            return one_hot_encoding.reshape(len(sequences), 1, sequence_length, 5).swapaxes(2, 3)
    """
    assert lint(source, "GL304") == []
    flat = source.replace(".reshape(len(sequences), 1, sequence_length, 5).swapaxes(2, 3)", "")
    assert len(lint(flat, "GL304")) == 1


# ---- scope-aware names, and what the code means rather than what files are called ---------------

def run_cli(tmp_path: Path, files: dict[str, str], code: str) -> list[dict]:
    """Write `files` under tmp_path and run the real CLI on the folder."""
    for name, text in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "greenlint", str(tmp_path), "--select", code, "--format", "json",
                          "--no-cache"], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode in (0, 1), out.stderr
    data = json.loads(out.stdout)
    findings = data["findings"] if isinstance(data, dict) else data
    return [f for f in findings if f["code"] == code]


SCRATCH_LOOP = """
    net = {builder}
    opt = torch.optim.Adam(net.parameters())
    for xb, yb in batches:
        torch.nn.functional.mse_loss(net(xb), yb).backward()
        opt.step()
"""


@pytest.mark.parametrize("shadow", [
    "import models",                     # the project's own models package, imported later
    "from . import models",              # the same, relatively
    "def models():\n    return None",    # a local definition of the same name
    "models = load_registry()",          # an assignment
])
def test_gl301_name_shadowed_after_its_import_is_not_the_library(tmp_path, shadow):
    source = "import torch\nfrom torchvision import models\n" + shadow + "\n" + textwrap.dedent(
        SCRATCH_LOOP.format(builder="models.vgg11()"))
    assert run_cli(tmp_path, {"fit.py": source}, "GL301") == []


def test_gl301_shadowing_is_positional_and_per_scope(tmp_path):
    source = textwrap.dedent("""
        import torch
        from torchvision.models import vgg11
        net = vgg11()                       # still torchvision's here
        opt = torch.optim.Adam(net.parameters())
        for xb, yb in batches:
            torch.nn.functional.mse_loss(net(xb), yb).backward()
            opt.step()
        def helper(vgg11):                  # a parameter hides it only inside the function
            return vgg11
        try:
            import accimage
        except ImportError:
            vgg11 = None                    # a fallback in `except` does not hide the import
    """)
    found = run_cli(tmp_path, {"fit.py": source}, "GL301")
    assert [f["line"] for f in found] == [4]


def test_scope_table_resolves_through_every_rule():
    from greenlint.checks.context import LintRequest
    from greenlint.frontends.python import PythonContext, parse

    text = textwrap.dedent("""
        from sklearn.model_selection import GridSearchCV
        import numpy as np
        a = GridSearchCV
        def f(np):
            return np.zeros(3)
        class GridSearchCV:
            pass
        b = GridSearchCV
        c = np.zeros(2)
    """)
    ctx = PythonContext(LintRequest("x.py", "python", {}, {}), text, parse(text))
    names = {n.lineno: n for n in ctx.walk() if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    assert ctx.qualname(names[4]) == "sklearn.model_selection.GridSearchCV"
    assert ctx.qualname(names[9]) is None  # the class defined on line 7 shadows the import
    inner = next(n for n in ctx.walk() if isinstance(n, ast.Attribute) and n.lineno == 6)
    assert ctx.qualname(inner) is None  # the parameter `np`
    outer = next(n for n in ctx.walk() if isinstance(n, ast.Attribute) and n.lineno == 10)
    assert ctx.qualname(outer) == "numpy.zeros"


IMAGENET_RECIPE = """
    import argparse, os
    import torch
    import torchvision.datasets as datasets
    import torchvision.models as models
    parser = argparse.ArgumentParser()
    parser.add_argument("root", nargs="?", default="{root}")
    parser.add_argument("--arch", default="resnet18")
    parser.add_argument("--pretrained", action="store_true")
    def main():
        args = parser.parse_args()
        net = models.__dict__[args.arch](pretrained=args.pretrained)
        train_set = datasets.ImageFolder(os.path.join(args.root, "train"))
        loader = torch.utils.data.DataLoader(train_set, batch_size=256)
        opt = torch.optim.SGD(net.parameters(), lr=0.1)
        for xb, yb in loader:
            torch.nn.functional.cross_entropy(net(xb), yb).backward()
            opt.step()
"""


def test_gl301_training_on_the_dataset_the_weights_come_from_is_not_reported(tmp_path):
    # From scratch on ImageNet itself is the pre-training that produced the weights.
    assert run_cli(tmp_path / "a", {"recipe.py": IMAGENET_RECIPE.format(root="/data/ILSVRC2012")}, "GL301") == []
    # The same recipe on another dataset is reported, and so is Tiny-ImageNet (a different dataset).
    for root in ("/data/flowers102", "/data/tiny-imagenet-200"):
        (finding,) = run_cli(tmp_path / root.split("/")[-1], {"recipe.py": IMAGENET_RECIPE.format(root=root)}, "GL301")
        assert finding["line"] == 12
    # weights=None trained on torchvision's ImageNet dataset class
    source = "import torch\nfrom torchvision import datasets, models\nbatches = datasets.ImageNet('/d', split='train')\n" + \
        textwrap.dedent(SCRATCH_LOOP.format(builder="models.resnet50(weights=None)"))
    assert run_cli(tmp_path / "b", {"in1k.py": source}, "GL301") == []


def test_gl301_exemptions_follow_the_code_not_file_names_or_comments(tmp_path):
    loop = "import torch\nfrom torchvision import models\n" + textwrap.dedent(
        SCRATCH_LOOP.format(builder="models.resnet18()"))
    # A word in a comment, or a file named like a benchmark, no longer hides the finding.
    found = run_cli(tmp_path / "a", {"bench_profile.py": "# contrastive ideas for later\n" + loop}, "GL301")
    assert len(found) == 1
    # A contrastive objective the code calls, or a test function that asserts, does.
    ssl = loop.replace("torch.nn.functional.mse_loss(net(xb), yb)", "nt_xent_loss(net(xb), net(yb))")
    assert run_cli(tmp_path / "b", {"fit.py": ssl}, "GL301") == []
    test = "import torch\nfrom torchvision import models\ndef test_step():\n" + textwrap.indent(
        textwrap.dedent(SCRATCH_LOOP.format(builder="models.resnet18()")), "    ") + "    assert opt\n"
    assert run_cli(tmp_path / "c", {"check.py": test}, "GL301") == []
    # An evaluation helper called `test` that asserts nothing is not a test.
    evaluation = loop + "def test(model, loader):\n    return sum(model(x).argmax() == y for x, y in loader)\n"
    assert len(run_cli(tmp_path / "d", {"fit.py": evaluation}, "GL301")) == 1


# ---- breadth: spellings across versions and libraries ---------------------------------------------

def test_gl301_legacy_positional_pretrained_and_torch_hub(tmp_path):
    loop = """
        opt = torch.optim.SGD(net.parameters(), lr=0.1)
        for x, y in torchvision.datasets.CIFAR10("."):
            torch.nn.functional.cross_entropy(net(x), y).backward()
            opt.step()
    """
    head = "import torch\nimport torchvision\n"
    cases = {
        "net = torchvision.models.vgg16(False)": 1,  # torchvision < 0.13: pretrained was the first argument
        "net = torchvision.models.vgg16(True)": 0,
        'net = torch.hub.load("pytorch/vision:v0.10.0", "resnet18", pretrained=False)': 1,
        'net = torch.hub.load("pytorch/vision", "resnet18", weights=None)': 1,
        'net = torch.hub.load("pytorch/vision", "resnet18", weights="IMAGENET1K_V1")': 0,
        'net = torch.hub.load("someone/repo", "resnet18")': 0,
    }
    for build, expected in cases.items():
        source = head + build + "\n" + textwrap.dedent(loop)
        found = lint_text(source, filename="train.py", select=["GL301"])
        assert len(found) == expected, build
        if expected and "hub" not in build:
            assert found[0].fix is None  # which spelling of the weights fits depends on the version


@pytest.mark.parametrize("name,text,lines", [
    ("serve.yaml", "model: bert-base-uncased\nport: 8080\n", [1]),
    ("server.toml", '[server]\nmodel_name_or_path = "gpt2"\nworkers = 2\n', [2]),
    (".env", "MODEL_NAME=openai/whisper-large-v3\nPORT=9000\n", [1]),
    ("deploy.yaml", 'containers:\n  - name: vllm\n    args: ["--model", "facebook/bart-large-cnn"]\n', [3]),
    # a training config fine-tunes the model it names
    ("train.yaml", "model_name_or_path: bert-base-uncased\nlearning_rate: 2.0e-5\nnum_train_epochs: 3\n", []),
    # already the compact model; a tokenizer is not a model
    ("serve2.yaml", "model: distilbert-base-uncased\ntokenizer: bert-base-uncased\n", []),
])
def test_gl303_checkpoint_named_by_a_config_that_sets_up_no_training(name, text, lines):
    found = lint_text(text, filename=name, select=["GL303"])
    assert [f.line for f in found] == lines


def test_gl304_a_transformer_output_on_a_written_out_list_is_that_many_rows():
    source = """
        from sklearn.feature_extraction.text import CountVectorizer
        from sklearn.linear_model import LogisticRegression
        vec = CountVectorizer().fit(corpus)
        one = vec.transform([clean(review)]).toarray()
        everything = vec.transform(corpus).toarray()
        LogisticRegression().fit(everything, labels)
    """
    assert [f.line for f in lint(source, "GL304")] == [6]


def test_gl304_a_helper_parameter_spelled_like_a_module_variable_carries_nothing_into_it():
    # `show(dummies)` binds show's own `frame`: the module's `frame`, fitted later, is another variable
    source = """
        import pandas as pd
        from sklearn.linear_model import LogisticRegression

        def show({param}):
            print({param}.head())

        orders = pd.read_csv("orders.csv")
        dummies = pd.get_dummies(orders[["zip", "product"]])
        show(dummies)
        frame = pd.read_csv("other.csv")
        LogisticRegression().fit(frame, frame["y"])
    """
    assert not lint(source.format(param="frame"), "GL304")
    # a helper whose parameter is its own name still passes the columns on through its return
    assert [f.line for f in lint("""
        import pandas as pd
        from sklearn.linear_model import LogisticRegression

        def prepare(table):
            return table.fillna(0)

        orders = pd.read_csv("orders.csv")
        dummies = pd.get_dummies(orders[["zip", "product"]])
        features = prepare(dummies)
        LogisticRegression().fit(features, orders["y"])
    """, "GL304")] == [9]


def test_gl304_get_dummies_fitted_by_a_sparse_capable_estimator():
    source = """
        import pandas as pd
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import train_test_split
        frame = pd.read_csv("orders.csv")
        onehot = pd.get_dummies(frame[["zip", "product"]]{extra})
        a, b, ya, yb = train_test_split(onehot, frame["returned"])
        LogisticRegression().fit(a, ya)
    """
    (finding,) = lint(source.format(extra=""), "GL304")
    assert finding.line == 6 and str(finding.severity) == "note" and "LogisticRegression" in finding.message
    assert lint(source.format(extra=", sparse=False"), "GL304")
    assert not lint(source.format(extra=", sparse=True"), "GL304")
    assert not lint(source.format(extra="").replace("linear_model import LogisticRegression",
                                                    "ensemble import HistGradientBoostingClassifier as LogisticRegression"),
                    "GL304")
    assert not lint("""
        import pandas as pd
        from sklearn.linear_model import LogisticRegression
        toy = pd.DataFrame({"colour": ["red", "blue", "red"]})
        LogisticRegression().fit(pd.get_dummies(toy), [0, 1, 0])
    """, "GL304")
