"""Principles found in the seventh session (round 13 of tune labels and the speed corpus). Each
test lints a small file written here with the real engine."""
from __future__ import annotations

from test_model_rules_tune2 import lint  # the real engine on a string

DENSE_IN_A_TEST = """\
    import numpy as np
    from numpy.testing import assert_allclose
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    def test_weights(texts):
        X = TfidfVectorizer().fit_transform(texts)
        assert_allclose(X.toarray().sum(axis=1), 1.0)
        assert np.isclose(X.todense()[0, 0], 0.5)
        expected = X.toarray()
        assert expected.shape == (3, 4)

    def fit(texts, labels):
        X = TfidfVectorizer().fit_transform(texts)
        return LinearSVC().fit(X.toarray(), labels)
    """


def test_gl304_a_dense_copy_only_checked_by_assertions_is_inspected_not_computed_with():
    assert [f.line for f in lint(DENSE_IN_A_TEST, "GL304")] == [15]


def _isvc(api: str, annotations: str = "", predictor: str = "") -> str:
    return f"""\
    apiVersion: {api}
    kind: InferenceService
    metadata:
      name: scorer
      annotations: {{{annotations}}}
    spec:
      predictor:
        {predictor or 'serviceAccountName: sa'}
        model:
          modelFormat: {{name: sklearn}}
          storageUri: gs://bucket/model
    """


def test_gl403_a_kserve_component_without_min_replicas_keeps_the_default_one_replica():
    found = lint(_isvc("serving.kserve.io/v1beta1"), "GL403", "isvc.yaml")
    assert [(f.line, f.impact["min_replicas"]) for f in found] == [(7, 1)]
    assert "default is 1" in found[0].message
    assert [f.line for f in lint(_isvc("serving.kserve.io/v1beta1", predictor="minReplicas: 2"), "GL403",
                                 "isvc.yaml")] == [8]


def test_gl403_no_default_replica_where_the_mode_or_the_api_version_says_otherwise():
    quiet = [
        _isvc("serving.kserve.io/v1beta1", predictor="minReplicas: 0"),
        _isvc("serving.kserve.io/v1beta1", annotations='"serving.kserve.io/deploymentMode": RawDeployment'),
        _isvc("serving.kserve.io/v1beta1", annotations='"autoscaling.knative.dev/min-scale": "0"'),
        _isvc("serving.kubeflow.org/v1alpha2"),  # KFServing's DeploymentSpec defaulted to 0
    ]
    for text in quiet:
        assert lint(text, "GL403", "isvc.yaml") == [], text


DRIFT_DAG = """\
    from datetime import datetime
    from airflow import DAG
    from airflow.decorators import task
    {imports}

    with DAG("drift_check", schedule="0 6 * * *", start_date=datetime(2024, 1, 1)) as dag:
        @task
        def check_drift():
            {trigger}
        check_drift()
    """


def test_gl404_a_scheduled_dag_that_starts_a_training_dag_through_airflows_api_trains_on_that_clock():
    spellings = [
        ("from airflow.api.client.local_client import Client",
         "client = Client(None, None)\n            client.trigger_dag(dag_id='model_retraining')"),
        ("from airflow.api.client.local_client import Client", "Client(None, None).trigger_dag('model_retraining')"),
        ("from airflow.api.common.trigger_dag import trigger_dag", "trigger_dag(dag_id='model_retraining')"),
    ]
    for imports, trigger in spellings:
        text = DRIFT_DAG.format(imports=imports, trigger=trigger)
        assert [f.line for f in lint(text, "GL404", "dags/drift.py")] == [6], trigger
    report_only = DRIFT_DAG.format(imports=spellings[0][0], trigger="Client(None, None).trigger_dag('drift_report')")
    assert lint(report_only, "GL404", "dags/drift.py") == []


def test_gl304_one_hot_columns_clustered_by_kmeans_could_stay_sparse():
    text = """\
        import pandas as pd
        from sklearn.cluster import KMeans

        frame = pd.read_csv("customers.csv")
        features = pd.get_dummies(frame[["city", "plan", "channel"]])
        KMeans(n_clusters=5).fit(features)
        """
    assert [f.line for f in lint(text, "GL304")] == [5]
    assert lint(text.replace("KMeans(n_clusters=5)", "AgglomerativeClustering()").replace(
        "import KMeans", "import AgglomerativeClustering"), "GL304") == []  # needs dense input


def test_gl403_each_component_left_at_the_default_is_its_own_finding():
    """Each component is a deployment of its own, with its own idle replica and its own
    `minReplicas: 0` to write."""
    text = _isvc("serving.kserve.io/v1beta1").rstrip() + """
      transformer:
        containers:
          - name: pre
            image: example/pre:1
    """
    found = lint(text, "GL403", "isvc.yaml")
    assert [(f.line, f.impact["component"]) for f in found] == [(7, "predictor"), (12, "transformer")]
    assert "1 transformer replica running" in found[1].message


HAND_SCHEDULE = """\
    import argparse
    import math
    import torch

    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=90)
    parser.add_argument("--lr", type=float, default=0.1)
    args = parser.parse_args()
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)

    def set_rate(epoch):
        {rate}
        for group in optimizer.param_groups:
            group["lr"] = lr

    def train_one_epoch(epoch):
        for x, y in train_loader:
            set_rate(epoch)
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()

    for epoch in range(args.epochs):
        train_one_epoch(epoch)
        val_acc = evaluate(model, val_loader)
    """


def test_gl201_a_learning_rate_set_by_hand_and_planned_over_the_run_is_a_fixed_budget_note():
    planned = {
        "lr = args.lr * (0.1 ** (epoch // 30))": "(every 30 epochs)",
        "lr = args.lr if epoch < 30 else args.lr * 0.1 if epoch < 60 else args.lr * 0.01": "(at epochs 30, 60)",
        "lr = 0.5 * args.lr * (1 + math.cos(math.pi * epoch / args.epochs))": "the cosine learning rate `set_rate` sets",
    }
    for rate, named in planned.items():
        [finding] = lint(HAND_SCHEDULE.format(rate=rate), "GL201")
        assert finding.message.startswith("trains 90 epochs on a fixed budget") and named in finding.message, rate


def test_gl201_a_hand_written_rate_not_laid_out_against_the_run_is_reported_as_usual():
    for rate in ("lr = args.lr * (0.5 ** (epoch // 10))",  # nine halvings: a decay curve
                 "lr = args.lr * 0.1 if epoch >= 20 else args.lr",  # its one step early in the run
                 "lr = 0.5 * args.lr * (1 + math.cos(math.pi * epoch / 10))"):  # ten-epoch cycles
        [finding] = lint(HAND_SCHEDULE.format(rate=rate), "GL201")
        assert "never stops early" in finding.message, rate
