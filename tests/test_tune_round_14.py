"""Principles found in the eighth session (round 14 of tune labels: look-alikes of GL301, GL303,
GL304, GL401 and GL402). Each test lints a small file written here with the real engine."""
from __future__ import annotations

from test_model_rules_tune2 import lint  # the real engine on a string

# ---- GL304 --------------------------------------------------------------------------------------

ONE_REQUEST = """\
    import pickle
    from sklearn.feature_extraction.text import CountVectorizer

    vectorizer = CountVectorizer()

    def predict(text, model):
        rows = [text]
        return model.predict(vectorizer.transform(rows).toarray())

    def predict_all(texts, model):
        rows = [t.lower() for t in texts]
        return model.predict(vectorizer.transform(rows).toarray())
    """


def test_gl304_a_name_bound_to_a_written_out_list_is_one_row_per_element():
    # `rows = [text]` is one row whatever the text holds; a comprehension over the input is not
    assert [f.line for f in lint(ONE_REQUEST, "GL304")] == [12]


WRAPPED_ENCODER = """\
    from sklearn.base import BaseEstimator, TransformerMixin
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    class RecordsEncoder(BaseEstimator, TransformerMixin):
        def __init__(self):
            self.vectorizer = DictVectorizer(sparse=False)

        def fit(self, frame, y=None):
            self.vectorizer.fit(frame.to_dict(orient="records"))
            return self

        def transform(self, frame):
            return self.vectorizer.transform(frame.to_dict(orient="records"))

    def train(records, labels):
        encoder = DictVectorizer(sparse=False)
        return LogisticRegression().fit(encoder.fit_transform(records), labels)
    """


def test_gl304_a_dense_encoder_wrapped_by_a_transformer_class_is_its_callers_choice():
    assert [f.line for f in lint(WRAPPED_ENCODER, "GL304")] == [17]


# ---- GL401 --------------------------------------------------------------------------------------

CALLER_PASSES_THE_REGION = """\
    import sys
    from google.cloud import aiplatform

    def submit(project, image, location="us-central1"):
        client = aiplatform.gapic.JobServiceClient()
        parent = f"projects/{project}/locations/{location}"
        return client.create_custom_job(parent=parent, custom_job={"image": image})

    submit(sys.argv[1], sys.argv[2], location=sys.argv[3])
    """


def test_gl401_a_parameter_default_that_every_call_replaces_places_nothing():
    assert lint(CALLER_PASSES_THE_REGION, "GL401") == []
    left_out = CALLER_PASSES_THE_REGION.replace(", location=sys.argv[3]", "")
    assert [f.line for f in lint(left_out, "GL401")] == [4]


def _bedrock(calls: str) -> str:
    return f"""\
    import boto3

    REGION = "us-east-1"

    bedrock = boto3.client("bedrock-runtime", region_name=REGION)
    {calls}
    """


def test_gl401_a_region_constant_only_given_to_clients_that_read_places_nothing():
    assert lint(_bedrock("models = bedrock.list_foundation_models()"), "GL401") == []
    assert [f.line for f in lint(_bedrock("reply = bedrock.invoke_model(modelId='m', body='{}')"), "GL401")] == [3]


ACCESS_ONLY = """\
    gcloud run deploy scorer --image gcr.io/p/scorer --region europe-west1
    gcloud run services add-iam-policy-binding scorer --region us-east4 --member allUsers --role roles/run.invoker
    gcloud run deploy ranker --image gcr.io/p/ranker --region us-east4
    """


def test_gl401_a_verb_about_access_places_nothing():
    assert [f.line for f in lint(ACCESS_ONLY, "GL401", "deploy.sh")] == [3]


# ---- GL402 --------------------------------------------------------------------------------------

OPTION_DEFAULTS = """\
    import argparse
    from dataclasses import dataclass, field
    from sagemaker.pytorch import PyTorch

    @dataclass
    class LaunchArguments:
        instance_type: str = field(default="ml.p3dn.24xlarge", metadata={"choices": ["ml.p3.16xlarge", "ml.g5.xlarge"]})
        allowed_instance_types: str = "ml.p2.xlarge"
        instance_count: int = 1

    parser = argparse.ArgumentParser()
    parser.add_argument("--instance-type", default="ml.p2.8xlarge")
    parser.add_argument("--notebook-type", default="ml.p2.xlarge")
    args = parser.parse_args()
    PyTorch(entry_point="train.py", instance_type=args.instance_type, instance_count=1).fit()
    """


def test_gl402_defaults_of_hardware_named_options_and_config_fields_choose_the_hardware():
    found = lint(OPTION_DEFAULTS, "GL402")
    assert [(f.line, f.severity.name.lower()) for f in found] == [(7, "note"), (12, "warning")]


QUALIFIED_KEYS = """\
    settings = dict(
        hvd_instance_type="ml.p3.16xlarge",
        processes_per_host=8,
        candidate_instance_types=["ml.p2.xlarge", "ml.g5.xlarge"],
    )
    workers = {"worker_machine_type": "p2.xlarge"}
    """


def test_gl402_a_key_with_a_qualifier_before_the_hardware_name_chooses_it():
    assert [f.line for f in lint(QUALIFIED_KEYS, "GL402")] == [2, 6]


AI_PLATFORM_JOB = """\
    gcloud ai-platform jobs submit training job1 \\
      --scale-tier custom \\
      --master-machine-type n1-highmem-8 \\
      --master-accelerator count=1,type=nvidia-tesla-k80 \\
      --worker-accelerator count=1,type=nvidia-tesla-t4 \\
      -- --epochs 10
    """


def test_gl402_ai_platform_master_and_worker_accelerator_flags_choose_the_hardware():
    assert [f.line for f in lint(AI_PLATFORM_JOB, "GL402", "train.sh")] == [4]


DENSE_ONLY_ESTIMATOR = """\
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.naive_bayes import GaussianNB, MultinomialNB

    def gaussian(texts, labels):
        X = TfidfVectorizer().fit_transform(texts).toarray()
        return GaussianNB().fit(X, labels)

    def multinomial(texts, labels):
        X = TfidfVectorizer().fit_transform(texts).toarray()
        return MultinomialNB().fit(X, labels)
    """


def test_gl304_a_dense_copy_only_an_estimator_that_refuses_sparse_input_reads_is_required():
    assert [f.line for f in lint(DENSE_ONLY_ESTIMATOR, "GL304")] == [9]


AZURE_SIZES = """\
    resource "azurerm_linux_virtual_machine" "viz" {
      size = "Standard_NV12s_v3"
    }
    resource "azurerm_linux_virtual_machine" "train" {
      size = "Standard_ND24s"
    }
    resource "azurerm_linux_virtual_machine" "serve" {
      size = "Standard_NV36ads_A10_v5"
    }
    """


def test_gl402_azure_nvv3_runs_m60s_and_nd_runs_p40s():
    found = lint(AZURE_SIZES, "GL402", "main.tf")
    assert [(f.line, f.impact["gpu"].split(" (")[0]) for f in found] == [(2, "NVIDIA Tesla M60"), (5, "NVIDIA Tesla P40")]


UPLOAD_THEN_DEPLOY = """\
    gcloud ai models upload --region=us-central1 --display-name=scorer --container-image-uri=gcr.io/p/scorer
    gcloud ai endpoints deploy-model 123 --region=us-central1 --model=456 --display-name=scorer
    """


def test_gl401_uploading_a_model_registers_an_artifact_and_places_no_compute():
    assert [f.line for f in lint(UPLOAD_THEN_DEPLOY, "GL401", "deploy.sh")] == [2]


ADDED_LAYERS = """\
    from tensorflow.keras.models import Sequential
    from tensorflow.keras.layers import Dense

    model = Sequential()
    model.add(Dense(10, input_dim=1))
    model.add(Dense(10_000_000))
    model.add(Dense(1))
    model.compile(loss="mse", optimizer="adam")
    model.fit(x, y, epochs=100)

    probe = Sequential()
    probe.add(Dense(5, input_dim=1))
    model.add(Dense(50_000_000))
    """


def test_gl306_a_dense_layer_added_after_another_takes_its_width_as_input():
    # 10 x 10,000,000 weights after `model.add(Dense(10, ...))`; the last layer follows a layer of another model
    assert [f.line for f in lint(ADDED_LAYERS, "GL306")] == [6]


def test_gl304_a_label_column_is_named_by_a_word_of_its_key_not_by_letters_inside_one():
    source = """\
        import pandas as pd
        from sklearn.preprocessing import OneHotEncoder
        from sklearn.linear_model import LogisticRegression

        def fit(df):
            features = OneHotEncoder().fit_transform(df[["Pclass"]]).toarray()
            targets = OneHotEncoder().fit_transform(df[["class_label"]]).toarray()
            return LogisticRegression().fit(features, df["Survived"])
        """
    assert [f.line for f in lint(source, "GL304")] == [6]


REBOUND_FOR_GAUSSIAN_NB = """\
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.naive_bayes import GaussianNB

    def train(train_texts, test_texts, labels):
        vectorizer = TfidfVectorizer()
        X_train = vectorizer.fit_transform(train_texts)
        X_test = vectorizer.transform(test_texts)
        X_train = X_train.toarray()
        X_test = X_test.toarray()
        model = GaussianNB().fit(X_train, labels)
        return model.predict(X_test)
    """


def test_gl304_the_uses_a_rebinding_reaches_decide_and_prediction_needs_dense_input_too():
    assert lint(REBOUND_FOR_GAUSSIAN_NB, "GL304") == []


def _resnet_loaded_in_a_try(handler: str) -> str:
    return f"""\
    import sys
    import torch
    from torchvision.models import resnet50

    model = resnet50(weights=None, num_classes=10)
    try:
        model.load_state_dict(torch.load(sys.argv[1]))
    except FileNotFoundError:
        {handler}
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for images, labels in loader:
        loss = torch.nn.functional.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()
    """


def test_gl301_a_load_in_a_try_whose_handlers_leave_always_runs_before_training():
    assert lint(_resnet_loaded_in_a_try("sys.exit('a checkpoint is required')"), "GL301") == []
    assert lint(_resnet_loaded_in_a_try("raise"), "GL301") == []
    assert [f.line for f in lint(_resnet_loaded_in_a_try("print('training from scratch')"), "GL301")] == [5]


NAMED_CHOICES = """\
    from azureml.core.compute import AmlCompute

    gpu_size = "Standard_NC6"
    config = AmlCompute.provisioning_configuration(vm_size=gpu_size, max_nodes=4)
    instance_types = ["p2.xlarge", "p3.2xlarge", "g5.xlarge"]
    for instance_type in instance_types:
        print(instance_type)
    """


def test_gl402_a_hardware_keyword_reads_its_name_and_a_list_of_candidates_chooses_nothing():
    assert [f.line for f in lint(NAMED_CHOICES, "GL402")] == [3]


DUMMIES_INTO_A_SEARCH = """\
    import pandas as pd
    from sklearn.model_selection import GridSearchCV, train_test_split
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import GaussianNB

    df = pd.read_csv("bookings.csv")
    X = pd.get_dummies(df[["route", "channel"]])
    X_train, X_test, y_train, y_test = train_test_split(X, df["completed"])
    GridSearchCV(LogisticRegression(), {"C": [0.1, 1, 10]}).fit(X_train, y_train)

    Z = pd.get_dummies(df[["origin"]])
    search = GridSearchCV(GaussianNB(), {"var_smoothing": [1e-9, 1e-8]})
    search.fit(Z, df["completed"])
    """


def test_gl304_a_search_hands_x_to_its_estimator():
    assert [f.line for f in lint(DUMMIES_INTO_A_SEARCH, "GL304")] == [7]
