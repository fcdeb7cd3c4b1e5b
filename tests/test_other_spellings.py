"""Other spellings of what the rules read: SciPy's older `.A` attribute for
`toarray()` (GL304), Knative's camel-case `minScale` annotation (GL403). Inputs written for these tests."""
from __future__ import annotations

import textwrap

from test_model_rules_tune2 import cli, lint

SCRIPT = """\
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.ensemble import RandomForestClassifier

    vectorizer = TfidfVectorizer(max_features=50000)
    features = vectorizer.fit_transform(documents)
    dense = features{spelling}
    model = RandomForestClassifier().fit(dense, labels)
    """


def test_the_older_attribute_is_reported_like_the_method(tmp_path):
    path = tmp_path / "classify.py"
    path.write_text(textwrap.dedent(SCRIPT.format(spelling=".A")))
    [finding] = cli(path, "GL304")
    assert finding["line"] == 6 and finding["message"].startswith("`.A` turns the sparse output of `TfidfVectorizer")
    assert [f.line for f in lint(SCRIPT.format(spelling=".toarray()"), "GL304")] == [6]


def test_an_attribute_named_a_on_anything_else_is_not_densifying():
    source = """\
        import numpy as np
        from sklearn.feature_extraction.text import CountVectorizer

        class Node:
            A = 1

        matrix = np.matrix([[1, 2], [3, 4]])
        array = matrix.A
        node = Node()
        print(node.A + len(array))
        counts = CountVectorizer().fit_transform(docs)
        counts.A = None  # a store, not a read
        """
    assert lint(source, "GL304") == []


def test_an_attribute_only_displayed_is_not_reported():
    source = SCRIPT.replace("dense = features{spelling}\n    model = RandomForestClassifier().fit(dense, labels)",
                            "print(features.A[:5])")
    assert "{spelling}" not in source and lint(source, "GL304") == []


KNATIVE = """\
    apiVersion: serving.knative.dev/v1
    kind: Service
    metadata:
      name: sentiment
    spec:
      template:
        metadata:
          annotations:
            autoscaling.knative.dev/{key}: "{value}"
        spec:
          containers:
            - image: ghcr.io/example/sentiment:1.0
    """


def test_knative_camel_case_min_scale_keeps_pods_like_the_kebab_case_one(tmp_path):
    for key in ("minScale", "min-scale"):
        path = tmp_path / f"service-{key}.yaml"
        path.write_text(textwrap.dedent(KNATIVE.format(key=key, value=2)))
        [finding] = cli(path, "GL403")
        assert finding["line"] == 9, key
        path.write_text(textwrap.dedent(KNATIVE.format(key=key, value=0)))
        assert cli(path, "GL403") == [], key


# ---- GL403: Azure ML online deployments written for the az ml CLI ------------------------------

DEPLOYMENT = """\
    $schema: https://azuremlschemas.azureedge.net/latest/managedOnlineDeployment.schema.json
    name: blue
    endpoint_name: credit-default
    model: azureml:credit-model:3
    instance_type: Standard_DS3_v2
    instance_count: 2
    """


def test_an_azure_ml_deployment_spec_keeps_its_instances(tmp_path):
    path = tmp_path / "deployment.yml"
    path.write_text(textwrap.dedent(DEPLOYMENT))
    [finding] = cli(path, "GL403")
    assert finding["line"] == 6 and "ManagedOnlineDeployment 'blue' keeps 2 instances" in finding["message"]
    # without a schema, the keys only a deployment has together say what it is
    path.write_text(textwrap.dedent(DEPLOYMENT).split("\n", 1)[1])
    assert [f["line"] for f in cli(path, "GL403")] == [5]


def test_an_endpoint_spec_or_an_unrelated_config_is_not_a_deployment(tmp_path):
    path = tmp_path / "endpoint.yml"
    path.write_text(textwrap.dedent("""\
        $schema: https://azuremlschemas.azureedge.net/latest/managedOnlineEndpoint.schema.json
        name: credit-default
        auth_mode: key
        """))
    assert cli(path, "GL403") == []
    path.write_text("endpoint_name: search\nmodel: gpt-4o\ntemperature: 0.2\n")
    assert cli(path, "GL403") == []


def test_sagemakers_own_deploy_signature_in_an_excerpt_without_imports():
    # An excerpt whose imports live elsewhere: `initial_instance_count` is SageMaker's keyword.
    excerpt = """\
        estimator = HuggingFace.attach("my-training-job")
        predictor = estimator.deploy(initial_instance_count=1, instance_type="ml.g4dn.xlarge")
        print(predictor.predict({"inputs": "great movie"}))
        """
    [finding] = lint(textwrap.dedent(excerpt), "GL403")
    assert finding.line == 2 and "SageMaker" in finding.message
    cleaned = excerpt + "        predictor.delete_endpoint()\n"
    other = excerpt.replace("initial_instance_count=1, ", "")  # an unknown library's deploy
    assert lint(textwrap.dedent(cleaned), "GL403") == [] and lint(textwrap.dedent(other), "GL403") == []
