"""GL301/GL303: principles found on the third round of tune labels. Each test lints a small file
written here with the real engine (`lint_text`) or the real CLI on a notebook in tmp_path."""
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


def notebook(tmp_path: Path, *cells: str) -> Path:
    path = tmp_path / "explore.ipynb"
    path.write_text(json.dumps({
        "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                   "source": textwrap.dedent(c).strip("\n")} for c in cells],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    return path


def cli(path: Path, code: str) -> list[dict]:
    out = subprocess.run([sys.executable, "-m", "greenlint", "--no-cache", "--select", code, "--format", "json",
                          str(path)], capture_output=True, text=True, check=False)
    return [f for f in json.loads(out.stdout)["findings"] if f["code"] == code]


# ---- GL303: one finding per checkpoint and loader ---------------------------------------------------

def test_gl303_same_checkpoint_through_another_class_or_framework_is_its_own_finding(tmp_path):
    path = notebook(
        tmp_path,
        """
        from transformers import pipeline
        gen = pipeline("text-generation", model="gpt2")
        print(gen("Once upon a time"))
        """,
        """
        from transformers import GPT2Model, GPT2Tokenizer
        tok = GPT2Tokenizer.from_pretrained("gpt2")
        pt = GPT2Model.from_pretrained("gpt2")
        hidden = pt(**tok("hello", return_tensors="pt"))
        """,
        """
        from transformers import TFGPT2Model
        tf_model = TFGPT2Model.from_pretrained("gpt2")
        hidden = tf_model(tok("hello", return_tensors="tf"))
        """,
    )
    found = cli(path, "GL303")
    assert len(found) == 3  # the pipeline, the PyTorch class and the TensorFlow class
    assert all("distilgpt2" in f["message"] for f in found)


def test_gl303_the_same_loader_loading_the_same_checkpoint_again_is_one_finding():
    found = lint("""
        from transformers import pipeline
        fill = pipeline("fill-mask", model="bert-base-uncased")
        fill_gpu = pipeline("fill-mask", model="bert-base-uncased", device=0)
        print(fill(open("masked.txt").read()), fill_gpu("a [MASK] day"))
    """, "GL303")
    assert [f.line for f in found] == [3]


# ---- GL303: rows with a cited figure (distilroberta, distilbart-mnli) -------------------------------

def test_gl303_roberta_base_fill_mask_suggests_distilroberta_with_its_glue_figure():
    found = lint("""
        import sys
        from transformers import pipeline
        unmask = pipeline("fill-mask", model="FacebookAI/roberta-base")
        print(unmask(sys.argv[1]))
    """, "GL303")
    assert [f.line for f in found] == [4]
    assert "distilroberta-base" in found[0].message and "83.2" in found[0].message


def test_gl303_bart_large_mnli_zero_shot_and_nli_logits_suggest_distilbart_mnli():
    found = lint("""
        import sys
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer, pipeline
        zero_shot = pipeline("zero-shot-classification", model="facebook/bart-large-mnli")
        print(zero_shot(sys.argv[1], candidate_labels=["sport", "news"]))
        nli = AutoModelForSequenceClassification.from_pretrained("facebook/bart-large-mnli")
        tok = AutoTokenizer.from_pretrained("facebook/bart-large-mnli")
        logits = nli(**tok(sys.argv[1], "This is sport.", return_tensors="pt")).logits
    """, "GL303")
    assert [f.line for f in found] == [5, 7]
    assert "valhalla/distilbart-mnli-12-3" in found[0].message and "89.9" in found[0].message


def test_gl303_distilbart_mnli_itself_and_fine_tuned_bart_mnli_are_not_reported():
    assert not lint("""
        from transformers import pipeline
        zero_shot = pipeline("zero-shot-classification", model="valhalla/distilbart-mnli-12-3")
    """, "GL303")
    assert not lint("""
        from transformers import AutoModelForSequenceClassification, Trainer
        model = AutoModelForSequenceClassification.from_pretrained("facebook/bart-large-mnli")
        Trainer(model=model, args=args, train_dataset=ds).train()
    """, "GL303")


# ---- GL301: a model assembled piece by piece (`Sequential().add(base)`) ------------------------------

def test_gl301_keras_base_added_to_a_sequential_that_is_fit_is_reported():
    found = lint("""
        from keras import Sequential, layers
        from keras.applications import DenseNet121
        from my_data import images, labels

        def build_and_train(epochs):
            backbone = DenseNet121(include_top=False, weights=None, input_shape=(128, 128, 3))
            net = Sequential()
            net.add(backbone)
            net.add(layers.GlobalAveragePooling2D())
            net.add(layers.Dense(4, activation="softmax"))
            net.compile("adam", "sparse_categorical_crossentropy")
            net.fit(images, labels, epochs=epochs)

        build_and_train(3)
    """, "GL301")
    assert [f.line for f in found] == [7]


def test_gl301_keras_base_added_inline_is_reported_and_an_outputs_list_is_not_the_model():
    found = lint("""
        from keras import Sequential, layers
        from keras.applications import MobileNetV2
        from my_data import images, labels
        clf = Sequential()
        clf.add(MobileNetV2(include_top=False, weights=None, pooling="avg"))
        clf.add(layers.Dense(2))
        clf.compile("adam", "mse")
        clf.fit(images, labels)
    """, "GL301")
    assert [f.line for f in found] == [6]
    # What a model computed, appended to a list, is data: fitting a classifier on it is not training the model.
    assert not lint("""
        from keras.applications import ResNet50
        from sklearn.linear_model import LogisticRegression
        from my_data import batches, labels
        encoder = ResNet50(weights=None, include_top=False, pooling="avg")
        features = []
        for batch in batches:
            features.append(encoder.predict(batch))
        LogisticRegression().fit(features, labels)
    """, "GL301")


# ---- GL301: a training helper of a project module imported under another name -----------------------

def test_gl301_helper_of_an_aliased_project_module_handed_model_and_optimizer_is_training():
    found = lint("""
        import torch
        from torchvision import models
        import course_utils_v2 as cu

        net = models.densenet121(weights=None, num_classes=5)
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        cu.train(loaders, net, opt, epochs=4)
    """, "GL301")
    assert [f.line for f in found] == [6]
    assert "`train`" in found[0].message


# ---- GL301: an object built from the model (or from what holds it) told to train --------------------

RUNNER = """
    import torchvision
    from fl.coordinator import Coordinator

    def main(cfg):
        cfg.net = torchvision.models.resnet50(weights=None, num_classes=cfg.classes)
        coordinator = Coordinator(cfg, rounds=10)
        coordinator.train()
"""


def test_gl301_object_built_from_a_holder_of_the_model_then_trained_is_reported():
    assert [f.line for f in lint(RUNNER, "GL301")] == [6]


def test_gl301_train_on_a_wrapper_that_stays_a_model_is_a_mode_switch():
    # DataParallel is still the model: `.train()` switches it to training mode, nothing is trained.
    assert not lint("""
        import torch
        import torchvision
        from my_data import images
        net = torch.nn.DataParallel(torchvision.models.resnet50(weights=None))
        net.train()
        print(net(images).shape)
    """, "GL301")
    # A project wrapper that the file calls on inputs is a model too.
    assert not lint("""
        import torchvision
        from project.nets import WithHead
        from my_data import images
        net = WithHead(torchvision.models.resnet50(weights=None))
        net.train()
        print(net(images).shape)
    """, "GL301")


def test_gl304_the_binding_that_reaches_the_densifying_call_decides():
    # `X` first holds the fitted vectorizer, then its sparse output: the `.toarray()` reads the
    # second. A dense copy that nothing reads before the name is rebound is not a display.
    found = lint("""
        import pandas as pd
        from sklearn.feature_extraction.text import TfidfVectorizer
        vec = TfidfVectorizer()
        X = vec.fit(docs)
        X = vec.transform(docs)
        df = pd.DataFrame(X.toarray(), columns=vec.get_feature_names_out())
        df = pd.read_csv("other.csv")
        print(df)
    """, "GL304")
    assert [f.line for f in found] == [7]
    shown = lint("""
        import pandas as pd
        from sklearn.feature_extraction.text import TfidfVectorizer
        X = TfidfVectorizer().fit_transform(docs)
        df = pd.DataFrame(X.toarray())
        print(df)
        df = pd.read_csv("other.csv")
    """, "GL304")
    assert shown == []


def test_gl304_one_hot_targets_are_not_the_features_of_a_split():
    # train_test_split(X, y) hands each array to its own two parts: a one-hot label frame ends in
    # y_train, the second argument of fit, not in the X it reads as a matrix.
    source = """
        import pandas as pd
        from sklearn.model_selection import train_test_split
        from sklearn.naive_bayes import MultinomialNB
        {features} = features(df)
        {labels} = pd.get_dummies(df[["label"]])
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)
        MultinomialNB().fit(X_train, y_train)
    """
    assert lint(source.format(features="X", labels="y"), "GL304") == []
    # one-hot features of another column reach the X of the fit (the dummies of a label column
    # are targets whatever they are bound to: tests/test_tune_round_16.py)
    as_features = source.format(features="y", labels="X").replace('"label"', '"city"')
    assert [f.line for f in lint(as_features, "GL304")] == [6]


def test_gl304_a_frame_centred_on_the_way_to_the_fit_is_dense_whatever_the_encoder():
    source = """
        import numpy as np
        import pandas as pd
        from sklearn.ensemble import RandomForestClassifier
        from sklearn.preprocessing import StandardScaler
        one_hot = pd.get_dummies(df["city"])
        df = pd.concat([df, one_hot], axis=1)
        X = df.drop(["status"], axis=1)
        {step}
        RandomForestClassifier().fit(X, df["status"])
    """
    assert lint(source.format(step="X = (X - np.mean(X)) / np.std(X)"), "GL304") == []
    assert lint(source.format(step="X = StandardScaler().fit_transform(X)"), "GL304") == []
    assert [f.line for f in lint(source.format(step="X = StandardScaler(with_mean=False).fit_transform(X)"), "GL304")] == [6]
    assert [f.line for f in lint(source.format(step="X = X / np.max(X)"), "GL304")] == [6]
    # a difference of two summaries is not centring: `np.mean(errors) - np.mean(baseline)`
    summary = "gap = np.mean(X) - np.mean(baseline)"
    assert [f.line for f in lint(source.format(step=summary), "GL304")] == [6]


def test_gl304_an_element_wise_map_of_a_few_written_out_documents_is_still_a_few():
    # np.vectorize(f)(docs), map(f, docs), [f(d) for d in docs]: as many rows as the six
    # sentences written in the code, too few for the density to matter.
    source = """
        import numpy as np
        from sklearn.feature_extraction.text import TfidfVectorizer
        corpus = np.array(["the sky is blue", "the dog is lazy", "a quick brown fox",
                           "blue sky today", "lazy dog sleeps", "the fox jumps"])
        normalize_corpus = np.vectorize(normalize)
        {prepared}
        matrix = TfidfVectorizer().fit_transform(docs)
        matrix = matrix.toarray()
    """
    for prepared in ("docs = normalize_corpus(corpus)", "docs = list(map(normalize, corpus))",
                     "docs = [normalize(d) for d in corpus]"):
        assert lint(source.format(prepared=prepared), "GL304") == [], prepared
    assert [f.line for f in lint(source.format(prepared="docs = load_all_reviews()"), "GL304")] == [9]


def test_gl304_a_transformer_class_implementing_its_dense_option_is_not_reported():
    # A class with fit and transform is a transformer: its dense output is an option its callers
    # choose. The same code in a class that is not one is reported.
    source = """
        from scipy import sparse
        class OneHot:
            def {first}(self, X):
                return self
            def transform(self, X):
                out = sparse.coo_matrix((data, (rows, cols)), shape=(n, width))
                return out.tocsr() if self.sparse else out.toarray()
    """
    assert lint(source.format(first="fit"), "GL304") == []
    assert [f.line for f in lint(source.format(first="prepare"), "GL304")] == [8]


def test_gl303_whisper_translating_speech_has_no_english_only_alternative():
    source = """
        import whisper
        model = whisper.load_model("large-v2")
        result = model.transcribe(path, {setting})
        print(result["text"])
    """
    assert lint(source.format(setting='task="translate"'), "GL303") == []
    assert lint(source.format(setting='language="hi"'), "GL303") == []
    assert [f.line for f in lint(source.format(setting='task="transcribe"'), "GL303")] == [3]


def test_gl304_aligned_frames_come_back_as_their_own_parts():
    # `train, test = train.align(test)`: the test frame's dummies do not become the training data
    source = textwrap.dedent("""\
        import pandas as pd
        from xgboost import XGBRegressor
        X_train = pd.get_dummies(train_frame)
        X_test = pd.get_dummies(test_frame)
        X_train, X_test = X_train.align(X_test, join="left", axis=1)
        XGBRegressor().fit(X_train, y_train)
        """)
    assert [f.line for f in lint(source, "GL304")] == [3]


def test_gl304_a_dense_copy_converted_only_to_read_its_shape_is_a_display():
    source = textwrap.dedent("""\
        import numpy as np
        from sklearn.feature_extraction.text import CountVectorizer
        X_train = CountVectorizer(max_features=10000).fit_transform(docs)
        np.array(X_train.todense()).shape
        """)
    assert lint(source, "GL304") == []
    used = source.replace("np.array(X_train.todense()).shape", "dense = np.array(X_train.todense())\nmodel.fit(dense, y)")
    assert [f.line for f in lint(used, "GL304")] == [4]
