"""Principles found in the twenty-seventh session. Each test lints small files written here with
the real CLI."""
from __future__ import annotations

from test_gl4_commands_and_tuning import run_cli
from test_model_rules_tune2 import reported_lines

# ---- GL401: a Vertex AI default set inside a function serves that function ----------------------

TWO_STEPS = """\
from google.cloud import aiplatform


def upload_model(project):
    aiplatform.init(project=project, location="us-central1")
    return aiplatform.Model.upload(display_name="m", artifact_uri="gs://b/m")


def deploy_model(project, name):
    aiplatform.init(project=project, location="us-central1")
    model = aiplatform.Model(model_name=name)
    return model.deploy(machine_type="n1-standard-4")
"""


def test_each_function_default_is_judged_by_its_own_calls(tmp_path):
    """The upload's default registers a model; the deployment's places the endpoint."""
    assert reported_lines(tmp_path, "build.py", TWO_STEPS, "GL401") == [10]


def test_a_default_whose_function_only_uploads_places_nothing(tmp_path):
    only_upload = TWO_STEPS.split("\n\ndef deploy_model")[0] + "\n"
    assert reported_lines(tmp_path, "upload.py", only_upload, "GL401") == []


def test_a_default_set_in_a_setup_function_serves_every_function_without_one(tmp_path):
    """A function that sets no default of its own runs after whichever `init` ran: here the
    training job of `train` is placed by `setup`'s default."""
    code = """\
from google.cloud import aiplatform


def setup():
    aiplatform.init(project="p", location="us-central1")


def train():
    job = aiplatform.CustomTrainingJob(display_name="t", script_path="task.py", container_uri="c")
    job.run(machine_type="n1-standard-8")
"""
    assert reported_lines(tmp_path, "pipeline.py", code, "GL401") == [5]


def test_a_local_model_build_is_served_by_no_default(tmp_path):
    code = """\
from google.cloud import aiplatform
from google.cloud.aiplatform.prediction import LocalModel


def build(project):
    aiplatform.init(project=project, location="us-central1")
    local = LocalModel.build_cpr_model("src", "image:tag")
    return aiplatform.Model.upload(local_model=local, display_name="m")
"""
    assert reported_lines(tmp_path, "build.py", code, "GL401") == []


# ---- settings classes of plain class attributes ---------------------------------------------------

SETTINGS = """\
import os


class Config:
    PROJECT_ID = os.environ.get("PROJECT_ID", "")
    LOCATION = os.getenv("LOCATION", "us-central1")
"""
APP = """\
import vertexai
from vertexai.generative_models import GenerativeModel
from settings import Config

cfg = Config()
vertexai.init(project=cfg.PROJECT_ID, location=cfg.LOCATION)
model = GenerativeModel("gemini-1.5-pro")
"""


def test_a_settings_class_attribute_of_another_module_is_read_where_it_places(tmp_path):
    """Every instance of a class reads its class attributes: the default written in the settings
    module is where this file's generation runs."""
    (tmp_path / "settings.py").write_text(SETTINGS)
    assert reported_lines(tmp_path, "app.py", APP, "GL401") == [6]


def test_a_class_attribute_a_method_sets_is_not_the_settings_default(tmp_path):
    """`self.LOCATION = location` in `__init__` replaces the class attribute on every instance."""
    (tmp_path / "settings.py").write_text(SETTINGS + "\n    def __init__(self, location):\n        self.LOCATION = location\n")
    assert reported_lines(tmp_path, "app.py", APP, "GL401") == []


def test_enum_members_are_not_settings(tmp_path):
    (tmp_path / "settings.py").write_text(
        "from enum import Enum\n\n\nclass Config(Enum):\n    LOCATION = 'us-central1'\n")
    assert reported_lines(tmp_path, "app.py", APP, "GL401") == []


# ---- GL201: diffusers' schedules are the transformers ones --------------------------------------

DIFFUSERS_LOOP = """\
import torch
import torch.nn.functional as F
from diffusers.optimization import get_cosine_schedule_with_warmup


class TrainingConfig:
    num_epochs = 50
    lr_warmup_steps = 500


config = TrainingConfig()


def train_loop(model, optimizer, train_dataloader, val_loader):
    lr_scheduler = get_cosine_schedule_with_warmup(optimizer, num_warmup_steps=config.lr_warmup_steps,
                                                   num_training_steps=len(train_dataloader) * config.num_epochs)
    for epoch in range(config.num_epochs):
        for batch in train_dataloader:
            loss = F.mse_loss(model(batch), batch)
            loss.backward()
            optimizer.step()
            lr_scheduler.step()
            optimizer.zero_grad()
        with torch.no_grad():
            val_loss = sum(F.mse_loss(model(b), b).item() for b in val_loader)
        print(epoch, val_loss)
"""


def test_a_diffusers_cosine_schedule_over_the_run_is_named_as_a_fixed_budget(tmp_path):
    """The settings class's `num_epochs` is the budget; diffusers' `get_cosine_schedule_with_warmup`
    (a copy of the transformers one) plans the rate over all of it, so the finding names it."""
    path = tmp_path / "train.py"
    path.write_text(DIFFUSERS_LOOP)
    (finding,) = run_cli(path, "GL201")
    assert "50 epochs" in finding["message"] and "get_cosine_schedule_with_warmup" in finding["message"]


# ---- GL401: one zoned region, one finding; shell rebinding; AI services; proxies ---------------


def test_a_notebook_zone_beside_its_region_is_one_placement(tmp_path):
    from test_gl4_commands_and_tuning import notebook
    nb = notebook(tmp_path, 'REGION = "us-east4"\nZONE = "us-east4-a"\n',
                  'settings = {"region": REGION, "zone": ZONE}\n',
                  '!gcloud compute instances create vm --zone={ZONE} --machine-type=a2-highgpu-1g\n'
                  '!gcloud ai custom-jobs create --region={REGION} --display-name=j --config=c.yaml\n')
    assert [(f["cell"], f["cell_line"]) for f in run_cli(nb, "GL401")] == [(1, 1)]


def test_two_zones_of_one_region_given_to_two_operators_are_reported_once(tmp_path):
    code = """\
from airflow.contrib.operators.dataproc_operator import DataProcPySparkOperator

a = DataProcPySparkOperator(task_id="a", main="a.py", cluster_name="c", region="us-east1-b")
b = DataProcPySparkOperator(task_id="b", main="b.py", cluster_name="c", region="us-east1-b")
"""
    assert reported_lines(tmp_path, "dag.py", code, "GL401") == [3]


def test_a_shell_variable_rebound_at_the_top_is_read_at_its_last_value(tmp_path):
    """`ZONE=europe-west4-a` then `ZONE=us-central1-a`: the second is what the command reads (the
    first is a commented-out choice written as code)."""
    script = "TPU=tf-vm\nZONE=europe-west4-a\nZONE=us-central1-a\n\n" \
             "gcloud alpha compute tpus tpu-vm create $TPU --zone=$ZONE --accelerator-type=v3-8\n"
    assert reported_lines(tmp_path, "create.sh", script, "GL401") == [3]


def test_a_shell_variable_rebound_in_a_branch_stays_unknown(tmp_path):
    script = 'ZONE=us-central1-a\nif [ "$1" = eu ]; then\nZONE=europe-west4-a\nfi\n' \
             "gcloud compute tpus tpu-vm create t --zone=$ZONE --accelerator-type=v3-8\n"
    assert reported_lines(tmp_path, "create.sh", script, "GL401") == []


def test_an_aws_ai_service_client_runs_its_model_in_its_region(tmp_path):
    code = """\
import boto3

polly = boto3.client("polly", region_name="us-east-1")
s3 = boto3.client("s3", region_name="us-east-1")


def speak(text):
    return polly.synthesize_speech(Text=text, OutputFormat="mp3", VoiceId="Joanna")
"""
    assert reported_lines(tmp_path, "tts.py", code, "GL401") == [3]


def test_a_local_proxy_to_a_running_service_places_nothing(tmp_path):
    script = "gcloud run services proxy agent --port 8080 --region us-central1\n"
    assert reported_lines(tmp_path, "proxy.sh", script, "GL401") == []


def test_an_uploaded_model_deployed_in_the_same_function_is_placed(tmp_path):
    """Registering places nothing, but deploying what the upload returned places the endpoint
    where the default location says."""
    code = TWO_STEPS.split("\n\ndef deploy_model")[0].replace(
        "    return aiplatform.Model.upload(", "    model = aiplatform.Model.upload(") + \
        "    endpoint = model.deploy(machine_type='n1-standard-4')\n"
    assert reported_lines(tmp_path, "deploy.py", code, "GL401") == [5]


# ---- GL401: workflow inputs read by keys, Azure Pipelines variables, shell option defaults --------


def test_a_workflow_env_key_given_an_input_is_the_input_default(tmp_path):
    workflow = """\
on:
  workflow_dispatch:
    inputs:
      DEV_LOCATION:
        default: "eastus2"
env:
  DEV_LOCATION: ${{ inputs.DEV_LOCATION }}
jobs:
  train:
    runs-on: ubuntu-latest
    steps:
      - run: bash cli/create-job.sh pipeline.yml
"""
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    assert reported_lines(tmp_path / ".github" / "workflows", "train.yml", workflow, "GL401") == [5]


def test_an_azure_pipelines_variable_is_read_under_its_name(tmp_path):
    pipeline = """\
trigger:
  - main
variables:
  - name: AZURE_LOCATION
    value: 'eastus'
  - name: STORAGE_NAME
    value: 'eastus'
steps:
  - script: azd provision --no-prompt
    env:
      AZURE_LOCATION: $(AZURE_LOCATION)
"""
    assert reported_lines(tmp_path, "azure-pipelines.yml", pipeline, "GL401") == [5]


def test_a_shell_default_kept_when_the_option_is_not_given(tmp_path):
    """`AWS_REGION="$DEFAULT_REGION"`, replaced only by `-r` under the option loop: the run the
    defaults describe goes to DEFAULT_REGION, reported where it is written."""
    script = """\
#!/bin/bash
DEFAULT_REGION="us-east-1"
parse() {
    AWS_REGION="$DEFAULT_REGION"
    while [[ $# -gt 0 ]]; do
        case $1 in
            -r|--region)
                AWS_REGION="$2"
                shift 2
                ;;
        esac
    done
}
parse "$@"
aws cloudformation deploy --template-file t.yaml --stack-name s --region "$AWS_REGION"
"""
    assert reported_lines(tmp_path, "deploy.sh", script, "GL401") == [2]


def test_a_markdown_guide_a_script_writes_runs_nothing(tmp_path):
    script = 'cat > "$DIST/DEPLOYMENT.md" << EOF\n## Deploy\n```bash\naws cloudformation deploy \\\\\n' \
             '  --stack-name s --template-file t.yaml --region us-east-1\n```\nEOF\n'
    assert reported_lines(tmp_path, "build.sh", script, "GL401") == []


def test_an_aliased_provider_no_block_names_places_nothing(tmp_path):
    tf = 'provider "aws" {\n  region = "us-west-2"\n}\n\nprovider "aws" {\n  alias  = "us_east_1"\n' \
         '  region = "us-east-1"\n}\n\nresource "aws_instance" "gpu" {\n  instance_type = "g5.xlarge"\n}\n'
    assert reported_lines(tmp_path, "versions.tf", tf, "GL401") == []
    named = tf.replace('instance_type = "g5.xlarge"', 'provider      = aws.us_east_1\n  instance_type = "g5.xlarge"')
    assert reported_lines(tmp_path, "versions.tf", named, "GL401") == [7]


def test_a_settings_object_a_class_stores_is_read_through_self(tmp_path):
    """`self.settings.AWS_REGION` where `__init__(self, settings: Settings)` stores the parameter:
    the settings class's default, declared in a package module several folders up."""
    (tmp_path / "app" / "core" / "service" / "llm").mkdir(parents=True)
    (tmp_path / "app" / "core" / "config.py").write_text(
        "from pydantic_settings import BaseSettings\nfrom pydantic import Field\n\n\n"
        "class Settings(BaseSettings):\n    AWS_REGION: str = Field(default=\"us-east-1\")\n")
    service = """\
from langchain_aws import ChatBedrockConverse
from app.core.config import Settings


class ChatService:
    def __init__(self, settings: Settings):
        self.settings = settings

    def llm(self):
        return ChatBedrockConverse(model_id="m", region_name=self.settings.AWS_REGION)
"""
    assert reported_lines(tmp_path / "app" / "core" / "service" / "llm", "chat.py", service, "GL401") == [10]


def test_a_placing_method_called_on_an_object_built_from_the_default_carries_it(tmp_path):
    code = """\
import boto3
from deploy import Deployer


def deploy(model_uri, region="us-east-1"):
    session = boto3.Session(region_name=None)
    deployer = Deployer(region=region, session=session)
    return deployer.deploy_endpoint(model_uri)
"""
    assert reported_lines(tmp_path, "step.py", code, "GL401") == [5]


# ---- GL301: a data call handed the whole options reads the data options' defaults ---------------


def test_an_imagenet_recipe_whose_data_call_takes_the_whole_options_is_pre_training(tmp_path):
    code = """\
import argparse
import timm
import torch
from datasets import build_dataset


def main(args):
    dataset_train = build_dataset(is_train=True, args=args)
    loader = torch.utils.data.DataLoader(dataset_train, batch_size=128)
    model = timm.create_model(args.model, pretrained=False)
    optimizer = torch.optim.AdamW(model.parameters())
    for images, target in loader:
        loss = torch.nn.functional.cross_entropy(model(images), target)
        loss.backward()
        optimizer.step()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="convnext_tiny")
    parser.add_argument("--data_path", default="/datasets01/imagenet_full_size/061417/")
    main(parser.parse_args())
"""
    assert reported_lines(tmp_path, "main.py", code, "GL301") == []
    other = code.replace("/datasets01/imagenet_full_size/061417/", "/data/flowers102")
    assert reported_lines(tmp_path, "main.py", other, "GL301") == [10]


# ---- round 211-214: list candidates, composite actions, resize, hardware catalogues -------------


def test_the_same_region_in_several_any_of_candidates_is_one_placement(tmp_path):
    task = "resources:\n  cloud: aws\n  any_of:\n    - region: us-east-1\n      accelerators: L4:1\n" \
           "    - region: us-east-1\n      accelerators: A10G:1\n    - region: us-west-2\n      accelerators: L4:1\n" \
           "run: python train.py\n"
    assert reported_lines(tmp_path, "sky.yaml", task, "GL401") == [4]


def test_a_composite_action_that_only_builds_an_image_places_nothing(tmp_path):
    action = """\
name: build
runs:
  using: composite
  steps:
    - uses: aws-actions/configure-aws-credentials@v4
      with:
        aws-region: us-east-1
    - uses: aws-actions/amazon-ecr-login@v2
    - uses: useblacksmith/build-push-action@v2
      with:
        push: true
"""
    assert reported_lines(tmp_path, "action.yml", action, "GL401") == []
    training = action.replace("    - uses: useblacksmith/build-push-action@v2\n      with:\n        push: true\n",
                              "    - run: python train.py\n      shell: bash\n")
    assert reported_lines(tmp_path, "action.yml", training, "GL401") == [7]


def test_resizing_an_existing_cluster_places_nothing(tmp_path):
    script = "gcloud container clusters resize gpu --node-pool pool --num-nodes=0 --zone=us-central1-c --quiet\n"
    assert reported_lines(tmp_path, "drain.sh", script, "GL401") == []


def test_several_types_under_a_plural_hardware_key_are_candidates(tmp_path):
    tf = 'locals {\n  vm_sizes = [\n    "Standard_D8s_v3",\n    "Standard_NC6",\n  ]\n}\n\n' \
         'resource "azurerm_machine_learning_compute_cluster" "c" {\n  vm_size = "Standard_NC6"\n}\n'
    assert reported_lines(tmp_path, "main.tf", tf, "GL402") == [9]
    one = 'nodeGroups:\n  - name: gpu\n    instanceTypes: ["p2.xlarge"]\n'
    assert reported_lines(tmp_path, "cluster.yaml", one, "GL402") == [3]


def test_a_client_that_only_lists_and_terminates_places_nothing(tmp_path):
    code = """\
import boto3

emr = boto3.client("emr", region_name="us-east-1")
for cluster in emr.list_clusters(ClusterStates=["WAITING"])["Clusters"]:
    emr.terminate_job_flows(JobFlowIds=[cluster["Id"]])
"""
    assert reported_lines(tmp_path, "terminate.py", code, "GL401") == []
    assert reported_lines(tmp_path, "start.py", code.replace("terminate_job_flows", "run_job_flow"), "GL401") == [3]


# ---- round 217-223: environment lookups in the call; interpreter here-documents ---------------


def test_an_environment_lookup_written_in_the_placing_call_is_read_at_its_default(tmp_path):
    code = """\
import os
import boto3

bedrock = boto3.client("bedrock-runtime", region_name=os.getenv("AWS_REGION", "us-east-2"))


def ask(prompt):
    return bedrock.converse(modelId="m", messages=[{"role": "user", "content": [{"text": prompt}]}])
"""
    assert reported_lines(tmp_path, "llm.py", code, "GL401") == [4]
    assert reported_lines(tmp_path, "llm.py", code.replace('"us-east-2"', '"us-west-2"'), "GL401") == []


def test_a_here_document_fed_to_python_is_python_not_commands(tmp_path):
    script = "python3 - <<'PYEOF'\nimport subprocess\nprint('gcloud ai custom-jobs create --region us-east1')\nPYEOF\n"
    assert reported_lines(tmp_path, "stats.sh", script, "GL401") == []
    shell = "bash <<'EOF'\ngcloud ai custom-jobs create --region us-east1 --display-name j --config c.yaml\nEOF\n"
    assert reported_lines(tmp_path, "run.sh", shell, "GL401") == [2]


def test_clients_made_for_each_service_of_a_written_list(tmp_path):
    code = """\
import argparse
import boto3

parser = argparse.ArgumentParser()
parser.add_argument("--region", type=str, default="us-east-1")
args = parser.parse_args()
session = boto3.Session(region_name=args.region)
batch, logs = [session.client(service_name=sn) for sn in ["batch", "logs"]]
batch.submit_job(jobName="j", jobQueue="q", jobDefinition="d")
"""
    assert reported_lines(tmp_path, "submit.py", code, "GL401") == [5]
    stores = code.replace('["batch", "logs"]', '["s3", "logs"]').replace('batch.submit_job(jobName="j", jobQueue="q", jobDefinition="d")', 'batch.list_buckets()')
    assert reported_lines(tmp_path, "submit.py", stores, "GL401") == []


def test_a_constant_given_positionally_only_to_store_clients_places_nothing(tmp_path):
    code = """\
import os
import boto3

BEDROCK_REGION = os.environ.get("BEDROCK_REGION", "us-east-1")
s3_client = boto3.client("s3", BEDROCK_REGION)


def remove(bucket):
    s3_client.delete_objects(Bucket=bucket, Delete={"Objects": []})
"""
    assert reported_lines(tmp_path, "remove.py", code, "GL401") == []
    runtime = code.replace('boto3.client("s3", BEDROCK_REGION)', 'boto3.client("bedrock-runtime", BEDROCK_REGION)') \
        .replace('s3_client.delete_objects(Bucket=bucket, Delete={"Objects": []})', "s3_client.converse(modelId=bucket, messages=[])")
    assert reported_lines(tmp_path, "ask.py", runtime, "GL401") == [4]


def test_a_local_that_falls_back_to_a_literal_after_an_argument_and_the_environment(tmp_path):
    code = """\
from os import getenv
import boto3


def control_client(region_name=None):
    region = region_name or getenv("AWS_REGION") or "us-east-1"
    session = boto3.Session(region_name=region)
    return session.client("bedrock-agentcore-control")
"""
    assert reported_lines(tmp_path, "runtime_client.py", code, "GL401") == [6]
    no_lookup = code.replace('region_name or getenv("AWS_REGION") or "us-east-1"', 'region_name or "us-east-1"')
    assert reported_lines(tmp_path, "runtime_client.py", no_lookup, "GL401") == []


# ---- round 231-237: linked Terraform resources, gcloud global flags, repeated fallbacks ---------


def test_node_pools_that_name_their_cluster_are_its_placement(tmp_path):
    tf = """\
resource "google_container_cluster" "gpu" {
  name     = "gpu"
  location = "us-central2"
}

resource "google_container_node_pool" "tpu" {
  name     = "tpu"
  location = "us-central2"
  cluster  = google_container_cluster.gpu.name
}

resource "google_container_cluster" "other" {
  name     = "other"
  location = "us-central2"
}
"""
    assert reported_lines(tmp_path, "main.tf", tf, "GL401") == [3, 14]


def test_gcloud_global_flags_before_the_command_group_are_skipped(tmp_path):
    script = "gcloud -q container clusters get-credentials c --zone us-central1-a\n" \
             "gcloud --quiet ai custom-jobs create --region=us-east1 --display-name=j --config=c.yaml\n"
    assert reported_lines(tmp_path, "setup.sh", script, "GL401") == [2]


def test_an_agents_environment_fallback_for_the_notebooks_own_region_is_one_placement(tmp_path):
    from test_gl4_commands_and_tuning import notebook
    nb = notebook(tmp_path, 'import vertexai\nREGION = "us-central1"\nvertexai.init(project="p", location=REGION)\n',
                  'import os\n\n\nclass Executor:\n    def start(self):\n'
                  '        location = os.environ.get("GOOGLE_CLOUD_LOCATION", "us-central1")\n'
                  '        vertexai.init(project="p", location=location)\n'
                  '        return vertexai.generative_models.GenerativeModel("gemini").generate_content("hi")\n')
    assert [(f["cell"], f["cell_line"]) for f in run_cli(nb, "GL401")] == [(1, 2)]


def test_a_log_drivers_region_places_telemetry_not_compute(tmp_path):
    task = '{"containerDefinitions": [{"name": "app", "image": "x", "logConfiguration": {"logDriver": "awslogs",' \
           ' "options": {"awslogs-region": "us-east-1", "awslogs-group": "g"}}}]}\n'
    assert reported_lines(tmp_path, "task.json", task, "GL401") == []
    tf = 'provider "aws" {\n  region = "us-east-1"\n}\n\nresource "aws_cloudwatch_metric_alarm" "gpu" {\n  alarm_name = "a"\n}\n'
    assert reported_lines(tmp_path, "main.tf", tf, "GL401") == []


def test_a_settings_lookup_then_the_environment_then_a_literal_is_that_literal(tmp_path):
    code = """\
import os
import vertexai


def init(data):
    location = data.get("location") or os.getenv("GOOGLE_CLOUD_LOCATION") or "us-central1"
    vertexai.init(project="p", location=location)
    return vertexai.generative_models.GenerativeModel("gemini").generate_content("hi")
"""
    assert reported_lines(tmp_path, "llm.py", code, "GL401") == [6]
