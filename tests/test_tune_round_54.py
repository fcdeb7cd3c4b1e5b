"""Principles found in the twenty-first session (tune misses of rounds 52-53 and repository round
54). Each test lints small files written here with the real CLI."""
from __future__ import annotations

from test_model_rules_tune2 import cli, reported_lines
from test_tune_round_52 import _notebook

# ---- GL401: a notebook's %env lines are the environment its shell lines read -------------------

GCLOUD_TRAINING = "!gcloud ai-platform jobs submit training job1 --region $REGION --module-name trainer.task " \
                  "--package-path trainer --scale-tier BASIC_GPU\n"


def test_an_env_magic_sets_what_a_later_shell_line_reads(tmp_path):
    path = _notebook(tmp_path, "%env PROJECT=my-project\n%env REGION=us-central1\n", GCLOUD_TRAINING)
    found = cli(path, "GL401")
    assert [(f["cell"], f["cell_line"], f["cell_column"]) for f in found] == [(1, 2, 13)]


def test_set_env_with_a_quoted_value_is_read_without_its_quotes(tmp_path):
    path = _notebook(tmp_path, "%set_env REGION 'us-central1'\n", GCLOUD_TRAINING)
    assert [(f["cell"], f["cell_line"]) for f in cli(path, "GL401")] == [(1, 1)]


def test_an_env_magic_expanded_from_python_or_set_twice_is_not_a_written_region(tmp_path):
    expanded = _notebook(tmp_path, 'REGION_NAME = input()\n%env REGION=$REGION_NAME\n', GCLOUD_TRAINING)
    assert cli(expanded, "GL401") == []
    twice = _notebook(tmp_path, "%env REGION=us-central1\n%env REGION=us-west1\n", GCLOUD_TRAINING)
    assert cli(twice, "GL401") == []


# ---- GL401: a command-line option's default given to Beam's Dataflow options -------------------

BEAM_PIPELINE = """
import argparse
import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions


def run():
    parser = argparse.ArgumentParser()
    parser.add_argument("--project", default="my-project")
    parser.add_argument("--region", default="us-central1")
    args, beam_args = parser.parse_known_args()
    options = PipelineOptions(beam_args, runner={runner!r}, project=args.project, region=args.region)
    with beam.Pipeline(options=options) as p:
        p | beam.Create([1, 2, 3])


if __name__ == "__main__":
    run()
"""


def test_an_option_default_given_to_dataflow_options_is_reported_where_written(tmp_path):
    assert reported_lines(tmp_path, "pipeline.py", BEAM_PIPELINE.format(runner="DataflowRunner"), "GL401") == [10]


def test_beam_options_for_another_runner_place_nothing(tmp_path):
    assert reported_lines(tmp_path, "pipeline.py", BEAM_PIPELINE.format(runner="DirectRunner"), "GL401") == []


def test_an_option_default_the_code_replaces_is_not_the_region(tmp_path):
    source = BEAM_PIPELINE.format(runner="DataflowRunner").replace(
        "    options = ", '    args.region = "us-west1"\n    options = ')
    assert reported_lines(tmp_path, "pipeline.py", source, "GL401") == []


VIEW_STORES = """
import argparse
import apache_beam as beam
from apache_beam.options.pipeline_options import GoogleCloudOptions, PipelineOptions, StandardOptions


def run(args, pipeline_args=None):
    options = PipelineOptions(pipeline_args, streaming=True)
    options.view_as(StandardOptions).runner = args.runner
    cloud = options.view_as(GoogleCloudOptions)
    cloud.region = args.region
    beam.Pipeline(options=options).run()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--region",
        default="us-central1",
    )
    parser.add_argument("--runner", default={runner!r})
    known, rest = parser.parse_known_args()
    run(known, rest)
"""


def test_a_region_stored_on_beams_cloud_options_view_places_dataflow_workers(tmp_path):
    assert reported_lines(tmp_path, "stream.py", VIEW_STORES.format(runner="DataflowRunner"), "GL401") == [19]


def test_a_view_of_a_pipeline_run_by_the_direct_runner_places_nothing(tmp_path):
    assert reported_lines(tmp_path, "stream.py", VIEW_STORES.format(runner="DirectRunner"), "GL401") == []


# ---- GL304: a dense copy thrown away in a function; Pipelines whose centring step is named -----

DISCARDED_IN_A_FUNCTION = """
import scipy.sparse


def save_adjacency(M, name):
    adjacency = scipy.sparse.csc_matrix(M)
    print(adjacency.shape)
    adjacency.todense()
    scipy.sparse.save_npz(name, adjacency)
"""


def test_a_dense_copy_computed_and_thrown_away_in_a_function_is_reported(tmp_path):
    assert reported_lines(tmp_path, "prepare.py", DISCARDED_IN_A_FUNCTION, "GL304") == [8]


def test_a_bare_dense_copy_outside_functions_is_still_a_display(tmp_path):
    source = "import scipy.sparse\nadjacency = scipy.sparse.csc_matrix(M)\nadjacency.todense()\n"
    assert reported_lines(tmp_path, "prepare.py", source, "GL304") == []


SCALED_BY_A_NAMED_STEP = """
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

data = pd.read_csv("tweets.csv")
matrix = TfidfVectorizer().fit_transform(data["text"]).toarray()
X_train, X_test, y_train, y_test = train_test_split(matrix, data["label"], test_size=0.3)
models = [SVC(kernel="linear"), DecisionTreeClassifier(max_depth=5)]
scaler = ("scaler", {scaler})
for model in models:
    pipe = Pipeline([scaler, ("model", model)])
    pipe.fit(X_train, y_train)
for model in models:
    pipe = Pipeline([scaler, ("model", model)])
    print(cross_val_score(pipe, X_train, y_train, cv=5).mean())
"""


def test_a_pipeline_whose_named_first_step_centres_needs_the_dense_copy(tmp_path):
    source = SCALED_BY_A_NAMED_STEP.format(scaler="StandardScaler()")
    assert reported_lines(tmp_path, "compare.py", source, "GL304") == []


def test_a_pipeline_whose_named_first_step_keeps_zeros_is_fed_a_needless_dense_copy(tmp_path):
    source = SCALED_BY_A_NAMED_STEP.format(scaler="StandardScaler(with_mean=False)")
    assert reported_lines(tmp_path, "compare.py", source, "GL304") == [11]


# ---- Value model: a parameter annotated with a config class of the file holds its defaults -----

RUNNER_OF_A_CONFIG = """
from dataclasses import dataclass
import boto3


@dataclass
class TrainingConfig:
    job_name: str
    instance_type: str = "ml.m5.xlarge"
    region: str = "us-east-1"


class Runner:
    def __init__(self, config: TrainingConfig):
        self.config = config
        self.client = boto3.client("sagemaker", region_name=config.region)

    def submit(self):
        return self.client.create_training_job(TrainingJobName=self.config.job_name)
"""


def test_a_config_field_default_reaching_a_placing_client_is_reported_where_written(tmp_path):
    assert reported_lines(tmp_path, "runner.py", RUNNER_OF_A_CONFIG, "GL401") == [10]


def test_a_config_field_a_construction_of_the_file_sets_is_not_its_default(tmp_path):
    source = RUNNER_OF_A_CONFIG + '\nRunner(TrainingConfig(job_name="j", region="us-west-2")).submit()\n'
    assert reported_lines(tmp_path, "runner.py", source, "GL401") == []


KERAS_CONFIG = """
from dataclasses import dataclass
from tensorflow import keras


@dataclass
class TrainConfig:
    epochs: int = 200
    batch_size: int = 32


def train(model: keras.Model, x, y, config: TrainConfig):
    model.fit(x, y, epochs=config.epochs, batch_size=config.batch_size, validation_split=0.2)
"""


def test_every_rule_reads_an_annotated_config_parameter_as_its_defaults(tmp_path):
    path = tmp_path / "train.py"
    path.write_text(KERAS_CONFIG)
    found = cli(path, "GL201")
    assert [f["line"] for f in found] == [13] and "200 epochs" in found[0]["message"]


# ---- GL401: stores are data ---------------------------------------------------------------------

FEATURE_READS = """
from google.cloud import aiplatform

PROJECT_ID = "my-project"
REGION = "us-central1"
aiplatform.init(project=PROJECT_ID, location=REGION)
store = aiplatform.FeatureOnlineStore("credit_online_store")
view = store.get_feature_view("credit_view")
print(view.read(key=["1"]).to_dict())
"""


def test_a_default_location_whose_only_other_call_retrieves_a_feature_store_places_nothing(tmp_path):
    assert reported_lines(tmp_path, "read_features.py", FEATURE_READS, "GL401") == []


def test_a_default_location_of_a_training_job_is_still_reported(tmp_path):
    source = FEATURE_READS.replace('store = aiplatform.FeatureOnlineStore("credit_online_store")',
                                   'job = aiplatform.CustomTrainingJob(display_name="t", script_path="task.py", '
                                   'container_uri="gcr.io/x")')
    assert reported_lines(tmp_path, "train_job.py", source, "GL401") == [5]


FEAST_REPO = """project: credit
provider: aws
registry: s3://credit-feast/registry.db
online_store:
  type: dynamodb
  region: us-east-1
offline_store:
  type: redshift
  region: us-east-1
  cluster_id: credit
"""


def test_the_region_of_a_feature_stores_online_table_places_no_compute(tmp_path):
    assert reported_lines(tmp_path, "feature_store.yaml", FEAST_REPO, "GL401") == []


# ---- Value flow: a name rebound earlier in a loop's body does not carry the last iteration's value

DUMMIES_PER_COLUMN = """
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier

train_data = pd.read_csv("train.csv")
test_data = pd.read_csv("test.csv")
for column in ["Color", "Size"]:
    dummies = pd.get_dummies(train_data[column])
    train_data = pd.concat([train_data, dummies], axis=1)
    dummies = pd.get_dummies(test_data[column])
    test_data = pd.concat([test_data, dummies], axis=1)
X_train, X_test, y_train, y_test = train_test_split(train_data.drop("bad", axis=1), train_data["bad"])
knn = KNeighborsClassifier(n_neighbors=11).fit(X_train, y_train)
print(knn.predict(test_data))
"""


def test_test_set_dummies_bound_after_the_training_sets_in_one_loop_reach_no_fit(tmp_path):
    assert reported_lines(tmp_path, "kicked.py", DUMMIES_PER_COLUMN, "GL304") == [9]


def test_a_value_read_before_its_rebinding_in_a_loop_does_come_from_the_iteration_before(tmp_path):
    # `train_data` reads `dummies` before this iteration rebinds it: the test set's dummies of the
    # previous column reach the training frame
    source = DUMMIES_PER_COLUMN.replace(
        "    dummies = pd.get_dummies(train_data[column])\n    train_data = pd.concat([train_data, dummies], axis=1)\n",
        "    train_data = pd.concat([train_data, dummies], axis=1) if column != \"Color\" else train_data\n")
    assert reported_lines(tmp_path, "kicked.py", source, "GL304") == [10]


# ---- Value flow: what a function of the file returns is its call's value ---------------------------

SUMMARISED_IN_A_HELPER = """
import pandas as pd
from sklearn.linear_model import BayesianRidge

transactions = pd.read_csv("transactions.csv")
train = pd.read_csv("train.csv")
transactions = pd.get_dummies(transactions, columns=["category_2", "category_3"])


def per_month(history):
    grouped = history.groupby(["card_id", "month_lag"])
    summary = grouped.agg({"category_2_1.0": ["mean"], "purchase_amount": ["sum", "mean"]})
    summary.columns = ["_".join(col) for col in summary.columns.values]
    return summary.reset_index()


train = pd.merge(train, per_month(transactions), on="card_id", how="left")
BayesianRidge().fit(train.drop("target", axis=1), train["target"])
"""


def test_dummies_a_helper_only_summarises_per_group_reach_no_fit(tmp_path):
    assert reported_lines(tmp_path, "elo.py", SUMMARISED_IN_A_HELPER, "GL304") == []


def test_dummies_a_helper_returns_whole_do_reach_the_fit(tmp_path):
    source = SUMMARISED_IN_A_HELPER.replace("    return summary.reset_index()", "    return history")
    assert reported_lines(tmp_path, "elo.py", source, "GL304") == [7]


# ---- GL303: a script driven by constructions of its own classes never runs a class it never names

KERNEL = """
import pandas as pd
import torch.nn as nn
from transformers import BertModel


class Articles:
    def __init__(self, path):
        self.path = path

    def load(self):
        self.data = pd.read_csv(self.path)

    def clean(self):
        self.data = self.data.dropna()


class BertQA(nn.Module):
    def __init__(self):
        super().__init__()
        self.bert = BertModel.from_pretrained("bert-base-uncased")

    def forward(self, ids):
        return self.bert(ids)


articles = Articles("train.csv")
articles.load()
articles.clean()
print(articles.data.shape)
"""


def test_a_class_a_script_driven_by_its_own_classes_never_names_never_runs(tmp_path):
    assert reported_lines(tmp_path, "kernel.py", KERNEL, "GL303") == []


def test_a_module_of_definitions_keeps_its_classes(tmp_path):
    definitions = KERNEL[:KERNEL.index("articles = Articles")]
    assert reported_lines(tmp_path, "qa.py", definitions, "GL303") == [21]


# ---- GL303: a checkpoint only exported before its name is rebound ---------------------------------

EXPORTED_THEN_REBOUND = """
import torch
from transformers import BertModel, BertTokenizer

tokenizer = BertTokenizer.from_pretrained("bert-base-uncased")
model = BertModel.from_pretrained("bert-base-uncased")
model.save_pretrained("/kaggle/working/")
tokenizer.save_pretrained("/kaggle/working/")


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.bert = BertModel.from_pretrained("/kaggle/working/")

    def forward(self, ids):
        return self.bert(ids)


model = Net()
model.load_state_dict(torch.load("model.bin"))
model.eval()
with torch.no_grad():
    print(model(torch.tensor([[1, 2, 3]])))
"""


def test_a_checkpoint_only_exported_before_its_name_is_rebound_is_not_run(tmp_path):
    assert reported_lines(tmp_path, "kernel.py", EXPORTED_THEN_REBOUND, "GL303") == []


def test_a_checkpoint_run_before_its_name_is_rebound_is_reported(tmp_path):
    source = EXPORTED_THEN_REBOUND.replace('model.save_pretrained("/kaggle/working/")\n',
                                           'model.save_pretrained("/kaggle/working/")\nmodel.eval()\n'
                                           'print(model(torch.tensor([[1, 2]])))\n')
    assert reported_lines(tmp_path, "kernel.py", source, "GL303") == [6]


# ---- GL304: a spot-check loop over a dict of models fits each of them ------------------------------

SPOT_CHECK_DICT = """
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.svm import SVC

train = pd.get_dummies(pd.read_csv("train.csv"))
X_train, X_test, y_train, y_test = train_test_split(train.drop("Survived", axis=1), train["Survived"])
models = {{
    "svc": SVC(),{extra}
    "lr": LogisticRegression(max_iter=200),
}}
for name, model in models.items():
    model.fit(X_train, y_train)
    print(name, model.score(X_test, y_test))
"""


def test_dummies_fitted_by_each_model_of_a_dict_are_reported(tmp_path):
    assert reported_lines(tmp_path, "titanic.py", SPOT_CHECK_DICT.format(extra=""), "GL304") == [8]


def test_dummies_a_dict_of_models_also_fits_with_gaussian_nb_are_needed_dense(tmp_path):
    source = SPOT_CHECK_DICT.format(extra='\n    "gnb": GaussianNB(),')
    assert reported_lines(tmp_path, "titanic.py", source, "GL304") == []


# ---- GL301: a name rebound first thing in a `with` block holds the new model from there -----------

REBUILT_UNDER_A_STRATEGY = """
import tensorflow as tf
from tensorflow.keras.applications import InceptionResNetV2

strategy = tf.distribute.get_strategy()
rnet = InceptionResNetV2(weights=None, include_top=False, input_shape=[512, 512, 3])
rnet.summary()
with strategy.scope():
    {name} = InceptionResNetV2(weights="imagenet", include_top=False, input_shape=[512, 512, 3])
    model = tf.keras.Sequential([rnet, tf.keras.layers.GlobalAveragePooling2D(), tf.keras.layers.Dense(104)])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(train_ds, epochs=12, validation_data=valid_ds)
"""


def test_a_scratch_model_rebound_inside_a_with_block_before_training_is_not_trained(tmp_path):
    assert reported_lines(tmp_path, "flowers.py", REBUILT_UNDER_A_STRATEGY.format(name="rnet"), "GL301") == []


def test_a_scratch_model_the_with_block_reads_is_trained(tmp_path):
    source = REBUILT_UNDER_A_STRATEGY.format(name="other")
    assert reported_lines(tmp_path, "flowers.py", source, "GL301") == [6]


# ---- Value flow: a name rebound to a per-group summary of itself holds statistics from there -------

COUNTS_OF_CATEGORIES = """
import pandas as pd
from lightgbm import LGBMClassifier


def count_categorical(df, group_var):
    categorical = pd.get_dummies(df.select_dtypes("object"))
    categorical[group_var] = df[group_var]
    categorical = {step}
    categorical.columns = ["_".join(c) for c in categorical.columns.values]
    return categorical


bureau = pd.read_csv("bureau.csv")
train = pd.read_csv("train.csv")
train = train.merge(count_categorical(bureau, "SK_ID_CURR"), on="SK_ID_CURR", how="left")
LGBMClassifier().fit(train.drop("TARGET", axis=1), train["TARGET"])
"""


def test_dummies_rebound_to_their_own_per_group_summary_reach_no_fit(tmp_path):
    source = COUNTS_OF_CATEGORIES.format(step='categorical.groupby(group_var).agg(["sum", "mean"])')
    assert reported_lines(tmp_path, "credit.py", source, "GL304") == []


def test_dummies_rebound_to_a_cleaned_copy_of_themselves_still_reach_the_fit(tmp_path):
    source = COUNTS_OF_CATEGORIES.format(step="categorical.fillna(0)")
    assert reported_lines(tmp_path, "credit.py", source, "GL304") == [7]


# ---- GL304: dummies centred in a helper whose result the fit is given ------------------------------

CENTRED_IN_A_HELPER = """
import pandas as pd
from sklearn.linear_model import LinearRegression


def processing(df):
    df = pd.get_dummies(df, columns=["Team", "PlayDirection"])
    return df.dropna()


def normalization(features):
    X = {scaled}
    return X


def training(X, target):
    lr = LinearRegression()
    lr.fit(X, target)
    return lr


df = processing(pd.read_csv("train.csv"))
features = df.drop("Yards", axis=1)
train_mean = features.mean(axis=0)
train_std = features.std(axis=0)
model = training(normalization(features), df["Yards"])
"""


def test_dummies_centred_in_a_helper_on_their_way_to_the_fit_are_needed_dense(tmp_path):
    source = CENTRED_IN_A_HELPER.format(scaled="(features - train_mean) / train_std")
    assert reported_lines(tmp_path, "nfl.py", source, "GL304") == []


def test_dummies_only_scaled_in_a_helper_still_reach_the_fit_sparse_capable(tmp_path):
    source = CENTRED_IN_A_HELPER.format(scaled="features / train_std")
    assert reported_lines(tmp_path, "nfl.py", source, "GL304") == [7]
