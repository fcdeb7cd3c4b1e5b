"""Principles found in the ninth session (round 15's open misses and round 16 of tune labels).
Each test lints a small file written here with the real engine or the real CLI."""
from __future__ import annotations

from test_model_rules_tune2 import cli, lint  # the real engine on a string; the CLI on a file

# ---- a shell script's here-documents that write config files ----------------------------------

JOB_SCRIPT = """\
    #!/bin/bash
    REGION=us-central1
    cat > /tmp/config.yaml <<EOF
    trainingInput:
      scaleTier: CUSTOM
      masterType: n1-highmem-32
      masterConfig:
        imageUri: ${IMAGE_URI}:latest
        acceleratorConfig:
          count: 2
          type: NVIDIA_TESLA_P100
    EOF
    gcloud ai-platform jobs submit training job1 --region=$REGION --config=/tmp/config.yaml
    """


def test_a_config_file_a_script_writes_with_a_here_document_is_checked_as_that_config():
    # like a notebook's `%%writefile config.yaml`: the body is the job spec the script submits
    assert [f.line for f in lint(JOB_SCRIPT, "GL402", filename="train.sh")] == [11]


def test_a_here_document_reached_through_the_cli_points_at_the_scripts_own_line(tmp_path):
    script = tmp_path / "submit.sh"
    script.write_text(JOB_SCRIPT.replace("\n    ", "\n").removeprefix("    "))
    assert [(f["line"], f["column"]) for f in cli(script, "GL402")] == [(11, 13)]  # the value, as in the YAML file itself


MANIFEST_SCRIPT = """\
    kubectl apply -f - <<'YAML'
    apiVersion: v1
    kind: Pod
    spec:
      nodeSelector:
        cloud.google.com/gke-accelerator: nvidia-tesla-k80
    YAML
    """


def test_a_manifest_handed_to_kubectl_on_stdin_is_kubernetes_yaml():
    assert [f.line for f in lint(MANIFEST_SCRIPT, "GL402", filename="deploy.sh")] == [6]


REMOTE_COMMANDS = """\
    ssh trainer <<EOF
    gcloud compute instances create box --zone=us-central1-a --accelerator=type=nvidia-tesla-k80,count=1
    EOF
    cat > notes.txt <<EOF
    type: NVIDIA_TESLA_K80
    EOF
    """


def test_a_here_document_fed_to_a_shell_stays_commands_and_other_files_are_not_config():
    # the ssh body runs on the remote host: its gcloud line chooses a K80; notes.txt is not a config
    assert [f.line for f in lint(REMOTE_COMMANDS, "GL402", filename="remote.sh")] == [2]


BROKEN_BODY = """\
    cat > job.yaml <<EOF
    spec: [unclosed
      type: NVIDIA_TESLA_K80
    EOF
    gcloud compute instances create box --zone=us-central1-a --accelerator=type=nvidia-tesla-p4,count=1
    """


def test_a_here_document_that_does_not_parse_is_skipped_and_the_script_still_checked():
    found = lint(BROKEN_BODY, "GL402", filename="job.sh") + lint(BROKEN_BODY, "GL000", filename="job.sh")
    assert [(f.code, f.line) for f in found] == [("GL402", 5)]


# ---- GL304 ----------------------------------------------------------------------------------------

HELPER_BUILDS_THE_MATRIX = """\
    import pandas as pd
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import SGDClassifier

    def vectorise(texts):
        counts = CountVectorizer(min_df=2)
        bag = counts.fit_transform(texts)
        return bag

    def shape_of(texts):
        return len(texts)

    frame = pd.read_parquet("reviews.parquet")
    dense = pd.DataFrame(vectorise(frame.body).toarray())
    SGDClassifier().fit(dense, frame.stars)
    """


def test_gl304_the_matrix_a_helper_of_the_file_returns_is_followed_to_its_producer():
    found = lint(HELPER_BUILDS_THE_MATRIX, "GL304")
    assert [f.line for f in found] == [14]
    assert "(line 7)" in found[0].message


HELPER_RETURNS_UNKNOWN = """\
    import numpy as np
    from sklearn.linear_model import SGDClassifier

    def load(path):
        return np.load(path)

    SGDClassifier().fit(load("x.npy").toarray(), [0, 1])
    """


def test_gl304_a_helper_that_returns_something_else_is_not_a_sparse_origin():
    assert lint(HELPER_RETURNS_UNKNOWN, "GL304") == []


LABEL_DUMMIES = """\
    import pandas as pd
    from sklearn.model_selection import train_test_split
    from sklearn.naive_bayes import MultinomialNB

    frame = pd.read_csv("sms.csv")
    words = pd.DataFrame(frame.text.str.len())
    target = pd.get_dummies(frame["label"], drop_first=True)
    both = pd.concat([words, target], axis=1)
    train, test = train_test_split(both)
    MultinomialNB().fit(train.drop(["spam"], axis=1), train["spam"])
    features = pd.get_dummies(frame["city"])
    MultinomialNB().fit(features, frame["label"])
    """


def test_gl304_the_dummies_of_a_label_column_are_targets_however_the_frame_is_split():
    assert [f.line for f in lint(LABEL_DUMMIES, "GL304")] == [11]


DENSE_ENCODING_SAVED_FOR_TRAINING = """\
    import pandas as pd
    from sklearn.preprocessing import OneHotEncoder

    raw = pd.read_csv("passengers.csv")
    encoder = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
    encoded = encoder.fit_transform(raw[["port", "cabin"]])
    frame = pd.DataFrame(encoded, columns=encoder.get_feature_names_out())
    frame.to_parquet("features.parquet")
    shown = OneHotEncoder(sparse_output=False).fit_transform(raw[["port"]])
    shown[:5]
    """


def test_gl304_a_dense_encoding_written_to_a_file_is_data_for_a_later_stage_not_a_display():
    assert [f.line for f in lint(DENSE_ENCODING_SAVED_FOR_TRAINING, "GL304", filename="prep.ipynb.py")] == [5]


X_BY_KEYWORD = """\
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.naive_bayes import GaussianNB
    from sklearn.svm import LinearSVC

    tfidf = TfidfVectorizer()
    matrix = tfidf.fit_transform(open("corpus.txt").read().splitlines())
    GaussianNB().fit(X=matrix.toarray(), y=labels)
    LinearSVC().fit(X=matrix.toarray(), y=labels)
    """


def test_gl304_an_estimators_x_is_read_whether_positional_or_by_keyword():
    # GaussianNB needs the dense copy; LinearSVC takes the sparse matrix as it is
    assert [f.line for f in lint(X_BY_KEYWORD, "GL304")] == [8]


# ---- GL301 ----------------------------------------------------------------------------------------

SUBSET_OF_IMAGENET = """\
    import torch
    import torchvision.models as models
    from torchvision import datasets

    DATA = "https://s3.amazonaws.com/fast-ai-imageclas/{}.tgz"
    model = models.mobilenet_v2()
    loader = torch.utils.data.DataLoader(datasets.ImageFolder(download(DATA.format("{name}"))))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for images, labels in loader:
        torch.nn.functional.cross_entropy(model(images), labels).backward()
        optimizer.step()
    """


def test_gl301_imagenette_and_imagewoof_are_not_imagenet_but_imagenet_itself_is():
    for subset in ("imagenette2-320", "imagewoof2", "tiny-imagenet-200"):
        assert [f.line for f in lint(SUBSET_OF_IMAGENET.replace("{name}", subset), "GL301")] == [6], subset
    assert lint(SUBSET_OF_IMAGENET.replace("{name}", "imagenet-1k"), "GL301") == []


TRAINER_GIVEN_MODEL_AND_DATA = """\
    import datasets
    import transformers
    from composer import Trainer
    from composer.models.huggingface import HuggingFaceModel

    config = transformers.AutoConfig.from_pretrained("google/electra-small-discriminator")
    network = transformers.AutoModelForMaskedLM.from_config(config)
    wrapped = HuggingFaceModel(network)
    runner = Trainer(model=wrapped, train_dataloader=datasets.load_dataset("ag_news"), max_duration="1ep")
    runner.fit()
    """


def test_gl301_a_trainer_built_over_the_model_and_its_data_trains_it_when_told_to_fit():
    found = lint(TRAINER_GIVEN_MODEL_AND_DATA, "GL301")
    assert [f.line for f in found] == [7]
    assert "is trained in this file (line 10)" in found[0].message  # a method, not a helper handed an optimizer
    untrained = TRAINER_GIVEN_MODEL_AND_DATA.replace("runner.fit()", "print(runner)")
    assert lint(untrained, "GL301") == []


# ---- one notion of a trainer object for every training reader (issue 9) ------------------------

GRID_OF_TRAINER_RUNS = """\
    import torchvision
    from project.engine import make_trainer

    for lr in [0.1, 0.01, 0.001]:
        for decay in [0.0, 1e-4, 1e-3]:
            net = torchvision.models.resnet18()
            runner = make_trainer(net, lr=lr, weight_decay=decay, data="data/flowers")
            runner.train()
    """


def test_a_trainer_built_by_a_project_factory_trains_for_the_search_and_the_model_rules_alike():
    # GL101 asks "does this loop body train?", GL301 "is this model trained?": the same object
    # answers both (`runner`, built by `make_trainer`), where `net.train()` alone would switch mode
    assert [f.line for f in lint(GRID_OF_TRAINER_RUNS, "GL101")] == [4]
    assert [f.line for f in lint(GRID_OF_TRAINER_RUNS, "GL301")] == [6]
    mode_switch = GRID_OF_TRAINER_RUNS.replace("runner.train()", "net.train()")
    assert lint(mode_switch, "GL101") == [] and lint(mode_switch, "GL301") == []


# ---- GL404 ----------------------------------------------------------------------------------------

TOY_DAG = """\
    from datetime import datetime
    from random import randint
    from airflow import DAG
    from airflow.operators.python import PythonOperator

    def _training_model():
        return randint(1, 10)

    def fit_ranker():
        \"\"\"Filled in by the ranking team.\"\"\"

    with DAG("toy", start_date=datetime(2024, 1, 1), schedule_interval="@daily"):
        PythonOperator(task_id="training_model_A", python_callable=_training_model)
    with DAG("ranking", start_date=datetime(2024, 1, 1), schedule_interval="@daily"):
        PythonOperator(task_id="rank", python_callable=fit_ranker)
    """


def test_gl404_a_callable_whose_body_only_uses_the_standard_library_trains_nothing_whatever_its_name():
    # the toy DAG's callable returns a random number; the placeholder's name is all there is to read
    assert [f.line for f in lint(TOY_DAG, "GL404", filename="dags.py")] == [14]


# ---- one test of "this file trains" for the model rules and the search rules (issue 9) ----------

SIZES_WITH_A_SCALER = """\
    import argparse
    from sklearn.preprocessing import StandardScaler

    parser = argparse.ArgumentParser()
    parser.add_argument("--num_layers", type=int, default=48)
    args = parser.parse_args()
    scaler = StandardScaler().fit(load_features())
    """


def test_gl302_a_preprocessors_fit_is_not_training_for_the_model_rules_either():
    assert lint(SIZES_WITH_A_SCALER, "GL302") == []
    trains = SIZES_WITH_A_SCALER.replace("StandardScaler().fit(load_features())",
                                         "StandardScaler().fit(load_features())\n    build(args).fit(load_features())")
    assert [f.line for f in lint(trains, "GL302")] == [5]


SUBCLASSED_TRAINER = """\
    from transformers import AutoConfig, AutoModelForSequenceClassification, Trainer, TrainingArguments

    class Distiller(Trainer):
        def compute_loss(self, model, inputs, return_outputs=False):
            return super().compute_loss(model, inputs, return_outputs)

    config = AutoConfig.from_pretrained("bert-base-uncased")
    student = AutoModelForSequenceClassification.from_config(config)
    arguments = TrainingArguments("out", eval_strategy="epoch", num_train_epochs=40)
    run = Distiller(model=student, args=arguments, train_dataset=load("reviews"), eval_dataset=load("dev"))
    run.train()
    """


def test_an_instance_of_a_trainer_subclass_runs_training_for_every_reader():
    # GL201 reads the run's facts, GL301 asks whether the model is trained: both see `run.train()`
    assert [f.line for f in lint(SUBCLASSED_TRAINER, "GL201")] == [10]
    assert [f.line for f in lint(SUBCLASSED_TRAINER, "GL301")] == [8]
    # GL201 judges the trainer's configuration where it is built; GL301 needs the run itself
    assert lint(SUBCLASSED_TRAINER.replace("run.train()", "print(run)"), "GL301") == []


IGNITE_GRID = """\
    import torch
    import torchvision
    from ignite.engine import create_supervised_trainer

    for lr in [0.1, 0.01]:
        for momentum in [0.0, 0.9]:
            net = torchvision.models.resnet34()
            engine = create_supervised_trainer(net, make_optimizer(net, lr, momentum), torch.nn.CrossEntropyLoss())
            engine.run(torch.utils.data.DataLoader(load_images("data/birds")), max_epochs=30)
    """


def test_an_ignite_engines_run_trains_for_the_search_and_the_model_rules_alike():
    assert [f.line for f in lint(IGNITE_GRID, "GL101")] == [5]
    assert [f.line for f in lint(IGNITE_GRID, "GL301")] == [7]
    # the engine built over optimizers made elsewhere, never run: nothing in the loop trains
    built_only = IGNITE_GRID.replace("engine.run(", "print(").replace("make_optimizer(net, lr, momentum)",
                                                                       "optimizers[lr, momentum]")
    assert lint(built_only, "GL101") == [] and lint(built_only, "GL301") == []


# ---- round 18 (tune) ------------------------------------------------------------------------------

BACKBONE_LAYERS_IN_THE_INSTANCE = """\
    import torch.nn as nn
    from torchvision.models import resnet18
    from pytorch_lightning import Trainer

    class Student(nn.Module):
        def __init__(self):
            super().__init__()
            backbone = resnet18(weights=None)
            self.features = nn.Sequential(*(list(backbone.children())[:-2]))
            self.head = nn.Linear(512, 10)

    class Probe(nn.Module):
        def __init__(self):
            super().__init__()
            reference = resnet18(weights=None)
            self.width = reference.fc.in_features
            self.head = nn.Linear(self.width, 10)

    for net in (Student(), Probe()):
        Trainer(max_epochs=30).fit(net, datamodule=CIFAR10DataModule())
    """


def test_gl301_a_backbone_stored_in_the_instance_in_parts_is_trained_with_it():
    # Student keeps the backbone's layers; Probe only reads a number off its model
    assert [f.line for f in lint(BACKBONE_LAYERS_IN_THE_INSTANCE, "GL301")] == [8]


COURSE_LIBRARY_HELPER = """\
    import torch
    import torchvision
    from d2l import torch as d2l

    def fine_tune(net, lr, param_group=True):
        if param_group:
            trainer = torch.optim.SGD([{"params": net.fc.parameters(), "lr": lr * 10}], lr=lr)
        else:
            trainer = torch.optim.SGD(net.parameters(), lr=lr)
        d2l.train_ch13(net, load_images("hotdog/train"), load_images("hotdog/test"), loss, trainer, 5, devices)

    scratch = torchvision.models.resnet18()
    fine_tune(scratch, 5e-4, param_group=False)
    """


def test_gl301_a_course_librarys_helper_named_for_training_and_handed_an_optimizer_trains():
    # `train_ch13` starts with the word train; `trainer` is an optimizer in both branches
    found = lint(COURSE_LIBRARY_HELPER, "GL301")
    assert [f.line for f in found] == [12]
    assert "`train_ch13`" in found[0].message
    no_optimizer = COURSE_LIBRARY_HELPER.replace("loss, trainer, 5", "loss, 5")
    assert lint(no_optimizer, "GL301") == []
