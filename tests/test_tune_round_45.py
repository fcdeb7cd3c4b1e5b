"""Principles found in the eighteenth session (round 45 of tune labels). Each test lints small
files written here with the real CLI or the real engine."""
from __future__ import annotations

import pytest

from test_model_rules_tune2 import lint, reported_lines

# ---- GL304: a dense copy that a centring step reads is what that step needs -------------------

TFIDF_THEN = """
    import pandas as pd
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.ensemble import GradientBoostingRegressor
    from sklearn.preprocessing import {scaler}

    frame = pd.read_csv("movies.csv")
    words = TfidfVectorizer(max_features=60).fit_transform(frame.overview)
    words = pd.DataFrame(words.toarray())
    X = pd.concat([frame[["budget"]], words], axis=1)
    {centre}
    GradientBoostingRegressor().fit(X, frame.revenue)
"""


@pytest.mark.parametrize("scaler, centre", [
    ("PowerTransformer", "X = PowerTransformer().fit_transform(X)"),
    ("RobustScaler", "X = RobustScaler().fit_transform(X)"),
    ("StandardScaler", "X = StandardScaler().fit_transform(X)"),
])
def test_a_dense_copy_centred_before_the_fit_is_not_reported(scaler, centre):
    assert lint(TFIDF_THEN.format(scaler=scaler, centre=centre), "GL304") == []


@pytest.mark.parametrize("scaler, centre", [
    ("MinMaxScaler", "X = MinMaxScaler().fit_transform(X)"),  # keeps zeros at zero when the minimum is 0
    ("PowerTransformer", "X = PowerTransformer(standardize=False).fit_transform(X)"),
    ("StandardScaler", "X = StandardScaler(with_mean=False).fit_transform(X)"),
])
def test_a_dense_copy_scaled_without_centring_is_still_reported(scaler, centre):
    assert [f.line for f in lint(TFIDF_THEN.format(scaler=scaler, centre=centre), "GL304")] == [9]


DUMMIES_THROUGH = """
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.preprocessing import PowerTransformer
from sklearn.ensemble import RandomForestRegressor

houses = pd.read_csv("houses.csv")
X = pd.get_dummies(houses.drop(columns=["price"]))
X = {step}
RandomForestRegressor().fit(X, houses.price)
"""


def test_dummies_standardised_are_dense_anyway_but_pca_has_a_sparse_twin(tmp_path):
    assert reported_lines(tmp_path, "power.py", DUMMIES_THROUGH.format(step="PowerTransformer().fit_transform(X)"),
                          "GL304") == []
    # PCA centres too, but TruncatedSVD takes the sparse matrix: densifying for PCA is the waste
    assert reported_lines(tmp_path, "pca.py", DUMMIES_THROUGH.format(step="PCA(n_components=20).fit_transform(X)"),
                          "GL304") == [8]


TEST_COPY_CENTRED = """
    import pandas as pd
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import PowerTransformer

    vectorizer = TfidfVectorizer(max_features=60).fit(pd.read_csv("train.csv").overview)
    unseen = pd.read_csv("test.csv")
    words = pd.DataFrame(vectorizer.transform(unseen.overview).toarray())
    X_unseen = pd.concat([unseen[["budget"]], words], axis=1)
    X_unseen = scale.transform(X_unseen)
"""


def test_a_test_set_copy_that_only_a_centring_scaler_reads_is_not_reported():
    assert lint(TEST_COPY_CENTRED.replace("    X_unseen = scale", "    scale = PowerTransformer()\n    X_unseen = scale"),
                "GL304") == []
    assert [f.line for f in lint(TEST_COPY_CENTRED.replace("scale.transform(X_unseen)", "X_unseen.fillna(0)"), "GL304")] == [8]


# ---- GL304: a per-group summary of the dummies holds counts, not one-hot columns ---------------

GROUPED_DUMMIES = """
import pandas as pd
from lightgbm import LGBMClassifier

bureau = pd.read_csv("bureau.csv")
train = pd.read_csv("train.csv")
categorical = pd.get_dummies(bureau.select_dtypes("object"))
categorical["SK_ID_CURR"] = bureau["SK_ID_CURR"]
counts = categorical.{reduce}
train = train.merge(counts, left_on="SK_ID_CURR", right_index=True, how="left")
LGBMClassifier().fit(train.drop(columns=["TARGET"]), train["TARGET"])
"""


@pytest.mark.parametrize("reduce", ['groupby("SK_ID_CURR").agg(["sum", "mean"])',
                                    'groupby("SK_ID_CURR").sum().reset_index()',
                                    'groupby("SK_ID_CURR")[["a", "b"]].mean()'])
def test_dummies_summarised_per_group_do_not_reach_the_fit(tmp_path, reduce):
    assert reported_lines(tmp_path, "grouped.py", GROUPED_DUMMIES.format(reduce=reduce), "GL304") == []


def test_dummies_merged_whole_still_reach_the_fit(tmp_path):
    assert reported_lines(tmp_path, "merged.py", GROUPED_DUMMIES.format(reduce="set_index('SK_ID_CURR')"), "GL304") == [7]


# ---- GL303: a checkpoint only read for its weights runs no inference -------------------------

CONVERTED = """
    import torch
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained("gpt2")
    {use}
"""


def test_a_checkpoint_converted_from_its_weights_is_not_reported():
    for use in ("torch.save(model.state_dict(), 'out.pt')", "print(model.config.n_layer, model.num_parameters())",
                "model.save_pretrained('exported')"):
        assert lint(CONVERTED.format(use=use), "GL303") == [], use


def test_a_checkpoint_run_on_inputs_is_still_reported():
    for use in ("print(model.generate(ids))", "outputs = model(ids)", "evaluate(model, loader)"):
        assert [f.line for f in lint(CONVERTED.format(use=use), "GL303")] == [5], use


# ---- test code: a project's own TestCase base class -------------------------------------------

PROJECT_TESTCASE = """
    from transformers import AutoModelForCausalLM
    from testing_utils import AccelerateTestCase

    class ZeroInitIntegration(AccelerateTestCase):
        def test_zero3_init(self):
            model = AutoModelForCausalLM.from_pretrained("gpt2")
            model.generate(ids)
"""


def test_a_subclass_of_a_project_testcase_is_test_code():
    assert lint(PROJECT_TESTCASE, "GL303") == []
    assert [f.line for f in lint(PROJECT_TESTCASE.replace("AccelerateTestCase", "AccelerateRunner"), "GL303")] == [7]


# ---- GL303 in configs: a Hydra defaults item and a training config ----------------------------

def test_a_hydra_defaults_item_picks_a_config_group_not_a_checkpoint(tmp_path):
    listed = "num_rounds: 1\ndefaults:\n  - strategy: fedpft\n  - model: resnet50\n"
    assert reported_lines(tmp_path, "base.yaml", listed, "GL303") == []
    assert reported_lines(tmp_path, "serve.yaml", "num_rounds: 1\nmodel: resnet50\n", "GL303") == [2]


def test_a_config_naming_its_training_file_sets_up_training(tmp_path):
    training = '{"train_file": "train.csv", "grad_accumulation_steps": "1", "model_name": "roberta-base"}'
    assert reported_lines(tmp_path, "training_config.json", training, "GL303") == []
    serving = '{"batch_size": 8, "model_name": "roberta-base"}'
    assert reported_lines(tmp_path, "serving_config.json", serving, "GL303") == [1]


# ---- GL401: a Terraform variable no expression of its module reads places nothing ------------

def test_a_variable_its_module_never_reads_places_nothing(tmp_path):
    variables = 'variable "region" {\n  default = "us-central1"\n}\nvariable "cluster_region" {\n  type = string\n}\n'
    main = 'resource "google_container_cluster" "gpu" {\n  name     = "nim"\n  location = var.cluster_region\n}\n'
    (tmp_path / "main.tf").write_text(main)
    assert reported_lines(tmp_path, "variables.tf", variables, "GL401") == []
    (tmp_path / "main.tf").write_text(main.replace("var.cluster_region", "var.region"))
    assert reported_lines(tmp_path, "variables.tf", variables, "GL401") == [2]


def test_a_variables_file_alone_in_its_folder_is_an_excerpt_and_still_reported(tmp_path):
    assert reported_lines(tmp_path, "variables.tf", 'variable "region" {\n  default = "us-central1"\n}\n', "GL401") == [2]


# ---- GL401: a Vertex AI default location whose SDK calls only record an experiment -------------

EXPERIMENT = """
    import xgboost
    from google.cloud import aiplatform, bigquery

    LOCATION = "us-central1"
    aiplatform.init(project="p", location=LOCATION)
    aiplatform.start_run("xgb-1")
    aiplatform.log_params({"max_depth": 4})
    model = xgboost.XGBClassifier().fit(X, y)
    aiplatform.log_metrics({"accuracy": model.score(X, y)})
    client = bigquery.Client()
    client.extract_table("p.d.t", "gs://b/t.csv", location=LOCATION)
    {more}
"""


def test_a_location_that_only_records_an_experiment_places_nothing():
    assert lint(EXPERIMENT.replace("{more}", "aiplatform.end_run()"), "GL401") == []
    deployed = EXPERIMENT.replace("{more}", "aiplatform.Model.upload(display_name='m').deploy(machine_type='n1-standard-4')")
    assert [f.line for f in lint(deployed, "GL401")] == [5]


STORE_AND_FEATURES = """
    from google.cloud import aiplatform, bigquery

    LOCATION = "us-central1"
    dataset = bigquery.Dataset("p.features")
    dataset.location = LOCATION
    fs = aiplatform.Featurestore(featurestore_name="fraud", project="p", location=LOCATION)
    fs.batch_serve_to_bq(bq_destination_output_uri="bq://p.features.out", serving_feature_ids={"user": ["*"]})
"""


def test_a_location_given_to_a_dataset_and_a_featurestore_export_places_nothing():
    assert lint(STORE_AND_FEATURES, "GL401") == []
    trained = STORE_AND_FEATURES.replace("dataset.location", "job = aiplatform.CustomJob(display_name='t')\n    job.location")
    assert [f.line for f in lint(trained, "GL401")] == [4]


# ---- GL304: a dense copy labelled or stored into a frame that is only shown ------------------

SHOWN_FRAME = """
    import numpy as np
    import pandas as pd
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.preprocessing import OneHotEncoder

    vectorizer = CountVectorizer()
    bow = pd.DataFrame(vectorizer.fit_transform(corpus).toarray())
    bow.columns = vectorizer.get_feature_names_out()
    print(bow)
    df = pd.read_csv("people.csv")
    genre = OneHotEncoder().fit(col).transform(col).toarray().T
    df["Female"] = genre[0]
    df["Male"] = genre[1]
    print("Updated frame:", df)
"""


def test_a_dense_copy_labelled_or_stored_into_a_frame_that_is_only_shown_is_not_reported():
    assert lint(SHOWN_FRAME, "GL304") == []
    fitted = SHOWN_FRAME.replace('print("Updated frame:", df)', 'LogisticRegression().fit(df, y)')
    assert [f.line for f in lint(fitted, "GL304")] == [12]
    compared = SHOWN_FRAME.replace("print(bow)", "print(set(bow.columns) - set(df.columns), bow.shape)")
    assert lint(compared, "GL304") == []  # its labels and size, not its values
    unshown = SHOWN_FRAME.replace("print(bow)", "n_words = bow.shape[1]")
    assert [f.line for f in lint(unshown, "GL304")] == [8]  # made, labelled, never shown: the copy is waste
    shares = SHOWN_FRAME.replace("print(bow)", "print(bow / bow.sum() * 100)")
    assert [f.line for f in lint(shares, "GL304")] == [8]  # arithmetic over every entry computes with the copy


# ---- GL304: predictions are not the features; a returned tuple's parts go to their own targets --

TEST_DUMMIES_PREDICTED = """
import pandas as pd
from lightgbm import LGBMClassifier

def model(features, test_features):
    labels = features["TARGET"]
    features = pd.get_dummies(features.drop(columns=["TARGET"]))
    test_features = pd.get_dummies(test_features)
    features, test_features = features.align(test_features, join="inner", axis=1)
    ids = test_features["SK_ID_CURR"]
    estimator = LGBMClassifier().fit(features, labels)
    predictions = estimator.predict_proba(test_features)[:, 1]
    submission = pd.DataFrame({"id": ids, "TARGET": predictions})
    importances = pd.Series(estimator.feature_importances_)
    return submission, importances

train, test = pd.read_csv("train.csv"), pd.read_csv("test.csv")
submission, importances = model(train, test)
kept = importances[importances > 0].index
model(train[kept], test[kept])
"""


def test_the_test_set_dummies_reach_only_predictions_and_the_returned_submission(tmp_path):
    assert reported_lines(tmp_path, "home_credit.py", TEST_DUMMIES_PREDICTED, "GL304") == [7]
    # without unpacking, the call's whole result carries every returned part (the test set's ids)
    whole = TEST_DUMMIES_PREDICTED.replace(
        "submission, importances = model(train, test)\nkept = importances[importances > 0].index\nmodel(train[kept], test[kept])",
        "result = model(train, test)\nmodel(train.join(result[0]), test)")
    assert reported_lines(tmp_path, "whole.py", whole, "GL304") == [7, 8]


# ---- GL304 (round 46): a dense copy an estimator refusing sparse input also fits ----------------

SPOT_CHECK = """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from sklearn.{module} import {dense_model}

    X = TfidfVectorizer().fit_transform(reviews).toarray()
    X_train, X_test, y_train, y_test = train_test_split(X, labels)
    LogisticRegression().fit(X_train, y_train)
    {dense_model}().fit(X_train, y_train)
"""


@pytest.mark.parametrize("module, dense_model", [("naive_bayes", "GaussianNB"), ("covariance", "EllipticEnvelope")])
def test_a_dense_copy_that_an_estimator_refusing_sparse_input_fits_is_required(module, dense_model):
    assert lint(SPOT_CHECK.format(module=module, dense_model=dense_model), "GL304") == []
    sparse_capable = SPOT_CHECK.format(module="naive_bayes", dense_model="MultinomialNB")
    assert [f.line for f in lint(sparse_capable, "GL304")] == [7]


# ---- code a script never runs; a load rebound before any read ----------------------------------

UNCALLED = """
import pandas as pd
from sklearn.ensemble import RandomForestClassifier

def load():
    return pd.read_csv("titanic.csv")
combined = load()
def process_ticket():
    global combined
    tickets = pd.get_dummies(combined["Ticket"], prefix="Ticket")
    combined = pd.concat([combined, tickets], axis=1)
print(combined.shape)
combined.info()
RandomForestClassifier().fit(combined.drop(columns=["Survived"]), combined["Survived"])
"""


def test_dummies_in_a_function_the_script_never_calls_are_not_reported(tmp_path):
    assert reported_lines(tmp_path, "titanic.py", UNCALLED, "GL304") == []
    called = UNCALLED.replace("print(combined.shape)", "process_ticket()")
    assert reported_lines(tmp_path, "called.py", called, "GL304") == [10]
    # a module of definitions keeps its functions: other files may call them
    module = UNCALLED.replace("print(combined.shape)\ncombined.info()\n", "if __name__ == '__main__':\n    pass\n")
    assert reported_lines(tmp_path, "module.py", module, "GL304") == [10]


REBOUND = """
    from transformers import TFBertModel, TFRobertaModel
    BERT = TFBertModel.from_pretrained("bert-base-uncased")
    BERT = TFRobertaModel.from_pretrained("roberta-base")
    print(BERT(ids))
"""


def test_a_load_rebound_before_any_read_never_runs():
    assert [f.line for f in lint(REBOUND, "GL303")] == [4]


# ---- GL401: a subprocess command chosen in branches and extended with arguments ---------------

BRANCHED_COMMAND = """
    import subprocess

    def train(args, trainer_args):
        if args.cloud:
            command = ["gcloud", "ml-engine", "jobs", "submit", "training", "job1",
                       "--region", "us-central1"] + trainer_args
        else:
            command = ["gcloud", "ml-engine", "local", "train"] + trainer_args
        subprocess.check_call(command)
"""


def test_each_command_a_subprocess_call_may_run_is_read():
    assert [f.line for f in lint(BRANCHED_COMMAND, "GL401")] == [7]


CLI_MODULE = """
    import argparse
    from transformers import pipeline

    parser = argparse.ArgumentParser()
    parser.add_argument("--file-name", required=True)
    parser.add_argument("--batch-size", type=int, default=24)
    parser.add_argument("--device-id", default="0")

    def main():
        args = parser.parse_args()
        pipe = pipeline("automatic-speech-recognition", model="openai/whisper-large-v3")
        print(pipe(args.file_name))
"""


def test_a_command_line_module_whose_main_is_an_entry_point_keeps_its_functions():
    assert [f.line for f in lint(CLI_MODULE, "GL303")] == [12]


# ---- GL303: training after the name is rebound to another model trains that one --------------

EMBED_THEN_TRAIN_ANOTHER = """
import torch
from transformers import BertModel
from my_models import BertClassifier

model = BertModel.from_pretrained("bert-base-uncased")
model.eval()
with torch.no_grad():
    features = model(**encoded).last_hidden_state[:, 0]
model = BertClassifier(n_classes=2)
optimizer = torch.optim.Adam(model.parameters())
loss = model(features).sum()
loss.backward()
optimizer.step()
"""


def test_a_model_trained_under_the_name_after_it_is_rebound_is_another_model(tmp_path):
    assert reported_lines(tmp_path, "embed.py", EMBED_THEN_TRAIN_ANOTHER, "GL303") == [6]
    fine_tuned = EMBED_THEN_TRAIN_ANOTHER.replace("model = BertClassifier(n_classes=2)\n", "")
    assert reported_lines(tmp_path, "tune.py", fine_tuned, "GL303") == []
