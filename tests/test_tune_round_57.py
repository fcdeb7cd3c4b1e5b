"""Principles found in the twenty-third session (blind rounds 105-110, first contact).
Each test lints small files written here with the real CLI."""
from __future__ import annotations

from test_model_rules_tune2 import cli, reported_lines

# ---- GL401: a region read through a function of the file, a project module or a list ---------------

BUCKET_SCRIPT = """
import boto3

region_name = "us-east-1"
s3 = boto3.client("s3", region_name=region_name)


def create_bucket(name, region_name=None):
    s3.create_bucket(Bucket=name)
    print(f"bucket {name} made in {region_name}")


if __name__ == "__main__":
    create_bucket("claims", region_name)
"""


def test_a_region_given_to_a_function_of_the_file_that_places_nothing_places_nothing(tmp_path):
    assert reported_lines(tmp_path, "bucket.py", BUCKET_SCRIPT, "GL401") == []
    keyword = BUCKET_SCRIPT.replace('create_bucket("claims", region_name)', 'create_bucket("claims", region_name=region_name)')
    assert reported_lines(tmp_path, "bucket_kw.py", keyword, "GL401") == []


def test_a_region_given_to_a_function_of_the_file_that_places_compute_is_reported(tmp_path):
    placing = BUCKET_SCRIPT.replace('    s3.create_bucket(Bucket=name)\n',
                                    '    sm = boto3.client("sagemaker", region_name=region_name)\n'
                                    '    sm.create_training_job(TrainingJobName=name)\n')
    assert reported_lines(tmp_path, "train.py", placing, "GL401") == [4]


DELETING_CLIENT = """
import boto3


def delete_guardrail(guardrail_id, region_name=None):
    if region_name is None:
        region_name = "us-east-1"
    client = boto3.client("bedrock", region_name=region_name)
    client.{method}(guardrailIdentifier=guardrail_id)
"""


def test_a_client_that_only_deletes_places_nothing(tmp_path):
    assert reported_lines(tmp_path, "cleanup.py", DELETING_CLIENT.format(method="delete_guardrail"), "GL401") == []
    made = DELETING_CLIENT.format(method="create_model_customization_job")
    assert reported_lines(tmp_path, "customize.py", made, "GL401") == [7]


def test_a_region_constant_read_through_its_module_is_reported_where_it_is_given(tmp_path):
    (tmp_path / "app_config.py").write_text('region_name = "us-east-1"\nknowledge_base_id = "KB"\n')
    app = ('import boto3\nimport app_config\n\n'
           'agent = boto3.client(service_name="bedrock-agent-runtime", region_name=app_config.region_name)\n'
           'agent.retrieve_and_generate(input={"text": "hi"})\n')
    assert reported_lines(tmp_path, "app.py", app, "GL401") == [4]
    assert cli(tmp_path / "app_config.py", "GL401") == []  # the module that only writes it places nothing
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "app_config.py").write_text('region_name = "us-west-2"\n')
    assert reported_lines(clean, "app.py", app, "GL401") == []


def test_a_region_picked_from_a_written_list_is_reported_at_its_item(tmp_path):
    text = ('from anthropic import AnthropicVertex\n\n'
            'regions = [\n    "us-west1",\n    "us-east5",\n    "europe-west1",\n]\n\n'
            'client = AnthropicVertex(project_id="p", region=regions[{index}])\n'
            'client.messages.create(model="claude", max_tokens=10, messages=[])\n')
    assert reported_lines(tmp_path, "ask.py", text.format(index=1), "GL401") == [5]
    assert reported_lines(tmp_path, "ask_clean.py", text.format(index=0), "GL401") == []


def test_the_gen_ai_sdks_location_variable_places_its_model(tmp_path):
    text = ('import os\nfrom google import genai\n\n'
            'os.environ["GOOGLE_CLOUD_LOCATION"] = "{region}"\nos.environ["GOOGLE_GENAI_USE_VERTEXAI"] = "true"\n\n'
            'client = genai.Client()\nprint(client.models.generate_content(model="gemini-2.5-flash", contents="hi").text)\n')
    assert reported_lines(tmp_path, "search.py", text.format(region="us-east4"), "GL401") == [4]
    assert reported_lines(tmp_path, "search_clean.py", text.format(region="us-west1"), "GL401") == []


# ---- GL304: a split of other data; a small matrix by its literal shape ----------------------------

RESPLIT = """
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.tree import DecisionTreeClassifier

frame = pd.read_csv("titanic.csv")
X = pd.get_dummies(frame.drop(["Survived"], axis=1))
y = frame["Survived"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)
DecisionTreeClassifier(max_depth=3).fit(X_train, y_train)

X = frame[["Age", "Fare"]].fillna(0)
X_train, X_test, y_train, y_test = train_test_split({resplit}, y, test_size=0.2)
classifiers = [GaussianNB(), DecisionTreeClassifier()]
for model in classifiers:
    model.fit(X_train, y_train)
"""


def test_a_later_split_of_other_data_does_not_carry_the_dummies(tmp_path):
    assert reported_lines(tmp_path, "titanic.py", RESPLIT.format(resplit="X"), "GL304") == [8]


def test_a_split_rebound_from_the_dummies_still_carries_them(tmp_path):
    # the second split reads the first one's part: GaussianNB fits the dummies, which must be dense
    assert reported_lines(tmp_path, "titanic_again.py", RESPLIT.format(resplit="X_train"), "GL304") == []


SMALL_SHAPE = """
import numpy as np
from scipy.sparse import csc_matrix

row = np.array([0, 2, 2, 0, 1, 2])
col = np.array([0, 0, 1, 2, 2, 2])
data = np.array([1, 2, 3, 4, 5, 6])
matrix = csc_matrix((data, (row, col)), shape=({rows}, 3))


def dense_copy():
    return matrix.toarray()
"""


def test_a_sparse_matrix_of_a_small_literal_shape_is_a_small_input(tmp_path):
    assert reported_lines(tmp_path, "small.py", SMALL_SHAPE.format(rows=3), "GL304") == []
    assert reported_lines(tmp_path, "large.py", SMALL_SHAPE.format(rows=100_000), "GL304") == [12]


def test_a_loop_over_a_written_list_of_models_fits_each_of_them(tmp_path):
    spot_check = RESPLIT.split("\nX = frame[[")[0] + (
        "\nfor model in [{first}(), DecisionTreeClassifier()]:\n    model.fit(X_train, y_train)\n")
    assert reported_lines(tmp_path, "spot.py", spot_check.format(first="GaussianNB"), "GL304") == []
    assert reported_lines(tmp_path, "spot_sparse.py", spot_check.format(first="DecisionTreeClassifier"), "GL304") == [8]


def test_boto3_takes_the_region_second_by_position(tmp_path):
    text = ('import boto3\n\nbedrock = boto3.client("bedrock-runtime", "{region}", endpoint_url="https://example.com")\n'
            'print(bedrock.invoke_model(body="{{}}", modelId="anthropic.claude-v2"))\n')
    assert reported_lines(tmp_path, "summarize.py", text.format(region="us-east-1"), "GL401") == [3]
    assert reported_lines(tmp_path, "summarize_clean.py", text.format(region="us-west-2"), "GL401") == []


def test_an_environment_lookup_in_a_written_settings_map_is_reported_at_its_default(tmp_path):
    text = ('import os\nimport boto3\n\nconfig = {\n    "region": os.getenv("AWS_REGION", "us-east-1"),\n'
            '    "model_id": "anthropic.claude-v2",\n}\n'
            'client = boto3.client("bedrock-runtime", region_name=config["region"])\n'
            'print(client.invoke_model(body="{}", modelId=config["model_id"]))\n')
    assert reported_lines(tmp_path, "chat.py", text, "GL401") == [5]


# ---- GL401: one call or command with a region and a zone of it is one placement ------------------

CLUSTER_SCRIPT = """CLUSTER_NAME="etl"
REGION="us-central1"
ZONE="{zone}"

gcloud dataproc clusters create ${{CLUSTER_NAME}} \\
  --region=${{REGION}} \\
  --zone=${{ZONE}} \\
  --num-workers 2
"""


def test_a_command_with_a_region_and_its_zone_is_placed_once(tmp_path):
    assert reported_lines(tmp_path, "cluster.sh", CLUSTER_SCRIPT.format(zone="us-central1-b"), "GL401") == [2]
    zone_only = CLUSTER_SCRIPT.format(zone="us-central1-b").replace("  --region=${REGION} \\\n", "")
    assert reported_lines(tmp_path, "cluster_zone.sh", zone_only, "GL401") == [3]


DAG = """
from airflow import DAG
from airflow.contrib.operators.dataproc_operator import (
    DataprocClusterCreateOperator, DataprocClusterDeleteOperator, DataProcPySparkOperator)

region = "us-central1"
zone = "us-central1-a"

with DAG("etl") as dag:
    create = DataprocClusterCreateOperator(task_id="create", cluster_name="etl-{{ds}}", num_workers=2,
                                           region="us-central1", zone="us-central1-a")
    job = DataProcPySparkOperator(task_id="job", main="gs://b/job.py", cluster_name="{job_cluster}",
                                  region="us-central1")
    delete = DataprocClusterDeleteOperator(task_id="delete", cluster_name="etl-{{ds}}", region="us-central1")
    create >> job >> delete
"""


def test_an_operator_on_the_cluster_the_dag_creates_is_that_placement(tmp_path):
    assert reported_lines(tmp_path, "dag.py", DAG.format(job_cluster="etl-{ds}"), "GL401") == [11]
    # a job on a cluster the file did not create is placed by the job itself
    assert reported_lines(tmp_path, "dag_other.py", DAG.format(job_cluster="shared"), "GL401") == [11, 13]


def test_a_region_constant_and_its_zone_given_to_one_call_are_one_placement(tmp_path):
    text = DAG.format(job_cluster="etl-{ds}").replace(
        'region="us-central1", zone="us-central1-a")', "region=region, zone=zone)")
    assert reported_lines(tmp_path, "dag_constants.py", text, "GL401") == [6]


def test_a_quoted_shell_value_may_hold_an_azure_display_name(tmp_path):
    text = ('location="East US"\ngroup="rg"\n'
            'az appservice plan create --name plan --resource-group "$group" --location "$location" --sku B1\n')
    assert reported_lines(tmp_path, "plan.sh", text, "GL401") == [1]


# ---- GL401 / GL402 in configs: lookups, removals, labels ---------------------------------------------

ALIASED = """provider "aws" {
  region = "us-west-2"
}

provider "aws" {
  region = "us-east-1"
  alias  = "virginia"
}

data "aws_ecrpublic_authorization_token" "token" {
  provider = aws.virginia
}

resource "aws_instance" "trainer" {
  instance_type = "g5.xlarge"%s
}
"""


def test_an_aliased_provider_that_only_data_sources_use_places_nothing(tmp_path):
    assert reported_lines(tmp_path, "main.tf", ALIASED % "", "GL401") == []
    used = tmp_path / "used"
    used.mkdir()
    assert reported_lines(used, "main.tf", ALIASED % "\n  provider      = aws.virginia", "GL401") == [6]


def test_an_aliased_provider_a_sibling_file_names_is_a_placement(tmp_path):
    (tmp_path / "gpu.tf").write_text('resource "aws_instance" "gpu" {\n  provider = aws.virginia\n}\n')
    assert reported_lines(tmp_path, "main.tf", ALIASED % "", "GL401") == [6]


def test_purging_a_deleted_account_places_nothing(tmp_path):
    text = ('LOCATION="eastus"\nRG="workshop"\n'
            'az cognitiveservices account purge --name ai --resource-group "$RG" --location "$LOCATION"\n')
    assert reported_lines(tmp_path, "purge.sh", text, "GL401") == []
    created = text.replace("account purge", "account create --kind OpenAI --sku S0")
    assert reported_lines(tmp_path, "create.sh", created, "GL401") == [1]


def test_a_shell_variable_bound_again_to_the_same_region_keeps_it(tmp_path):
    text = ('export LOCATION="East US"\nif [[ -z "$LOCATION" ]]; then\n    export LOCATION="eastus"\nfi\n'
            'az ml compute create --name gpu --size Standard_NC6s_v3 --location "$LOCATION"\n')
    assert reported_lines(tmp_path, "init.sh", text, "GL401") == [1]
    other = text.replace('LOCATION="eastus"', 'LOCATION="westus2"')
    assert reported_lines(tmp_path, "init_other.sh", other, "GL401") == []  # which one holds is decided at run time


def test_a_node_label_describes_the_accelerator_its_node_pool_chose(tmp_path):
    text = ('resource "google_container_node_pool" "tf" {\n  node_config {\n    guest_accelerator {\n'
            '      type  = "nvidia-tesla-p100"\n      count = 1\n    }\n    labels = {\n'
            '      accelerator = "nvidia-tesla-p100"\n    }\n  }\n}\n')
    assert reported_lines(tmp_path, "pool.tf", text, "GL402") == [4]


def test_a_serverless_variable_with_a_literal_fallback_runs_there(tmp_path):
    text = ("service: demo\nprovider:\n  name: aws\n  runtime: python3.11\n"
            "  region: ${{env:AWS_REGION, '{region}'}}\nfunctions:\n  demo:\n    handler: handler.run\n")
    assert reported_lines(tmp_path, "serverless.yml", text.format(region="us-east-1"), "GL401") == [5]
    assert reported_lines(tmp_path, "clean.yml", text.format(region="us-west-2"), "GL401") == []
    unset = tmp_path / "unset"
    unset.mkdir()
    assert reported_lines(unset, "serverless.yml", text.replace(", '{region}'", ""), "GL401") == []


REUSABLE_DEPLOY = """name: deploy-func
on:
  workflow_call:
    inputs:
      region:
        type: string
        default: {region}
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: gcloud functions deploy api --gen2 --runtime=python311 --region=${{{{ inputs.region }}}} --source=.
"""


def test_a_workflow_input_default_is_where_its_deploy_runs(tmp_path):
    assert reported_lines(tmp_path, "deploy.yml", REUSABLE_DEPLOY.format(region="us-central1"), "GL401") == [7]
    assert reported_lines(tmp_path, "deploy_clean.yml", REUSABLE_DEPLOY.format(region="us-west1"), "GL401") == []
    listed = REUSABLE_DEPLOY.format(region="us-central1").replace("functions deploy api --gen2 --runtime=python311",
                                                                  "functions list")
    assert reported_lines(tmp_path, "list.yml", listed, "GL401") == []
