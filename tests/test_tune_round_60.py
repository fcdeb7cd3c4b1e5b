"""Principles found in the twenty-sixth session (blind rounds 186-193, first contact).
Each test lints small files written here with the real CLI."""
from __future__ import annotations

from test_gl4_commands_and_tuning import notebook, run_cli
from test_model_rules_tune2 import reported_lines


def cells_reported(path, code: str) -> list[tuple[int, int]]:
    return sorted((f["cell"], f["cell_line"]) for f in run_cli(path, code))


# ---- GL401: a notebook's region name that nothing reads, a client nothing uses --------------------

SETUP = """\
import boto3
bedrock = boto3.client(service_name="bedrock", region_name="us-east-1")
runtime = boto3.client(service_name="bedrock-runtime", region_name="us-east-1")
region = "us-east-1"
"""
JOB = """\
bedrock.create_model_customization_job(jobName="j", roleArn="r", baseModelIdentifier="m")
"""


def test_a_notebook_region_name_and_a_client_nothing_reads_place_nothing(tmp_path):
    """Only the client a later cell uses places the job; the unused runtime client and the
    `region` name that no code or shell line reads run nothing."""
    assert cells_reported(notebook(tmp_path, SETUP, JOB), "GL401") == [(1, 2)]


def test_a_notebook_region_name_a_shell_line_reads_is_kept(tmp_path):
    shell = '!aws sagemaker create-training-job --region $region --training-job-name j\n'
    assert (1, 4) in cells_reported(notebook(tmp_path, SETUP, JOB, shell), "GL401")


def test_a_used_client_in_a_notebook_is_still_reported(tmp_path):
    use = 'runtime.invoke_model(modelId="m", body="{}")\n'
    assert cells_reported(notebook(tmp_path, SETUP, JOB, use), "GL401") == [(1, 2), (1, 3)]


def test_a_module_level_client_of_a_script_may_be_imported_and_is_kept(tmp_path):
    script = "import boto3\nruntime = boto3.client('bedrock-runtime', region_name='us-east-1')\n"
    assert reported_lines(tmp_path, "clients.py", script, "GL401") == [2]


def test_a_function_local_client_nothing_uses_places_nothing(tmp_path):
    script = """\
import boto3


def make():
    unused = boto3.client("sagemaker", region_name="us-east-1")
    return 1
"""
    assert reported_lines(tmp_path, "make.py", script, "GL401") == []


# ---- GL401: a session is judged by its own clients ----------------------------------------------

SESSION = """\
import boto3
bedrock = boto3.client(service_name="bedrock", region_name="us-west-2")
session = boto3.session.Session(region_name="us-east-1")
{client} = session.client(service_name="{service}")
{use}
"""


def test_a_session_whose_own_clients_only_identify_the_caller_places_nothing(tmp_path):
    text = SESSION.format(client="sts", service="sts", use="account = sts.get_caller_identity()['Account']")
    assert reported_lines(tmp_path, "who.py", text, "GL401") == []


def test_a_session_whose_own_client_runs_models_places_them(tmp_path):
    text = SESSION.format(client="rt", service="bedrock-runtime", use="rt.invoke_model(modelId='m', body='{}')")
    assert reported_lines(tmp_path, "run.py", text, "GL401") == [3]


# ---- GL401: a region default reached through an alias and an unpacked dict ----------------------

HELPER = """\
import boto3


def get_client(region="us-east-1", runtime=True):
    target_region = region
    session_kwargs = {{"region_name": target_region}}
    session = boto3.Session(**session_kwargs)
    if runtime:
        service_name = "bedrock-runtime"
    else:
        service_name = "bedrock"
    return session.client(service_name=service_name)


client = get_client({given})
client.invoke_model(modelId="m", body="{{}}")
"""


def test_a_default_reaching_a_session_through_an_alias_and_kwargs_is_reported_at_the_default(tmp_path):
    assert reported_lines(tmp_path, "helper.py", HELPER.format(given=""), "GL401") == [4]


def test_a_default_every_call_overrides_is_not(tmp_path):
    assert reported_lines(tmp_path, "helper.py", HELPER.format(given="region='us-west-2'"), "GL401") == []


# ---- GL403: a deploy's result removed by its own delete -----------------------------------------

BUILDER = """\
from sagemaker.serve.model_builder import ModelBuilder

builder = ModelBuilder(model="m")
model = builder.build(model_name="x")
endpoint = builder.deploy(endpoint_name="e")
endpoint.invoke(body="{{}}")
{cleanup}
"""


def test_an_endpoint_a_deploy_returns_and_the_file_deletes_is_not_always_on(tmp_path):
    assert reported_lines(tmp_path, "deploy.py", BUILDER.format(cleanup="endpoint.delete()"), "GL403") == []


def test_deleting_only_the_model_leaves_the_endpoint_running(tmp_path):
    assert reported_lines(tmp_path, "deploy.py", BUILDER.format(cleanup="model.delete()"), "GL403") == [5]


# ---- GL402: a node selector given by label key and value ----------------------------------------

SELECTOR = """\
from kfp import dsl, kubernetes


@dsl.component
def comp():
    pass


@dsl.pipeline
def pipe():
    task = comp()
    kubernetes.add_node_selector(
        task,
        label_key="{key}",
        label_value="{value}",
    )
"""


def test_a_node_selector_on_the_accelerator_label_chooses_that_hardware(tmp_path):
    text = SELECTOR.format(key="cloud.google.com/gke-accelerator", value="nvidia-tesla-p4")
    assert reported_lines(tmp_path, "pipe.py", text, "GL402") == [15]


def test_a_node_selector_on_another_label_or_a_current_gpu_is_not(tmp_path):
    for key, value in (("team", "nvidia-tesla-p4"), ("cloud.google.com/gke-accelerator", "nvidia-l4")):
        assert reported_lines(tmp_path, "pipe.py", SELECTOR.format(key=key, value=value), "GL402") == [], (key, value)


# ---- GL401: reads, cancels and stops of what exists; a region spelled into a name ----------------

VERTEX = """\
import vertexai
{body}
"""


def test_a_list_call_given_a_location_places_nothing(tmp_path):
    body = "from vertexai.preview import extensions\nfor e in extensions.Extension.list(location='us-central1'):\n    print(e)\n"
    assert reported_lines(tmp_path, "list.py", VERTEX.format(body=body), "GL401") == []


def test_a_job_retrieved_by_its_path_and_cancelled_places_nothing(tmp_path):
    body = """\
from vertexai.tuning import sft
LOCATION = "us-central1"
vertexai.init(project="p", location=LOCATION)
job = sft.SupervisedTuningJob(f"projects/p/locations/{{LOCATION}}/tuningJobs/42")
job.{verb}()
"""
    assert reported_lines(tmp_path, "cancel.py", VERTEX.format(body=body.format(verb="cancel")), "GL401") == []
    assert reported_lines(tmp_path, "cancel.py", VERTEX.format(body=body.format(verb="resume")), "GL401") == [3]


def test_a_job_created_at_a_location_is_still_reported(tmp_path):
    body = "from vertexai.tuning import sft\nvertexai.init(project='p', location='us-central1')\nsft.train(source_model='m', train_dataset='gs://b/t.jsonl')\n"
    assert reported_lines(tmp_path, "tune.py", VERTEX.format(body=body), "GL401") == [3]


def test_a_region_spelled_into_a_path_only_compared_places_nothing(tmp_path):
    setup = """\
PROJECT_ID = "p"
LOCATION = "us-central1"
TEMPLATE_PATH = f"projects/{PROJECT_ID}/locations/{LOCATION}/tagTemplates/t"
"""
    compare = "from google.cloud import datacatalog_v1\nfor t in datacatalog_v1.DataCatalogClient().list_tag_templates(parent='x'):\n    print(t.name == TEMPLATE_PATH)\n"
    assert cells_reported(notebook(tmp_path, setup, compare), "GL401") == []
    placing = "from google.cloud import aiplatform_v1\naiplatform_v1.JobServiceClient().create_custom_job(parent=TEMPLATE_PATH, custom_job={})\n"
    assert cells_reported(notebook(tmp_path, setup, placing), "GL401") == [(1, 2)]


def test_a_notebook_region_name_nothing_reads_is_left_over_without_any_sdk_call(tmp_path):
    assert cells_reported(notebook(tmp_path, "REGION = 'us-east-1'\nprint('setup done')\n"), "GL401") == []


def test_bigquery_short_name_and_a_ledger_are_data_words(tmp_path):
    text = 'BQ_LOCATION=us-central1\nLEDGER_LOCATION=eastus\nTRAINING_REGION=us-central1\n'
    assert reported_lines(tmp_path, "settings.env", text, "GL401") == [3]


# ---- GL202: a precision setting turned off leaves float32 --------------------------------------

HF_ARGS = """\
from transformers import Seq2SeqTrainer, Seq2SeqTrainingArguments

args = Seq2SeqTrainingArguments(output_dir="out", {precision}, num_train_epochs=5)
trainer = Seq2SeqTrainer(model=model, args=args, train_dataset=train)
trainer.train()
"""


def test_training_arguments_that_turn_fp16_off_train_in_float32(tmp_path):
    assert reported_lines(tmp_path, "t.py", HF_ARGS.format(precision="fp16=False"), "GL202") == [3]


def test_training_arguments_that_turn_a_precision_on_or_read_it_are_not_reported(tmp_path):
    for precision in ("fp16=False, bf16=True", "fp16=use_fp16", "bf16=True"):
        text = "use_fp16 = input() == 'y'\n" + HF_ARGS.format(precision=precision)
        assert reported_lines(tmp_path, "t.py", text, "GL202") == [], precision


# ---- GL201: the short split names of train_test_split --------------------------------------------

FULL_BATCH = """\
import torch
from sklearn.model_selection import train_test_split

X_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=0.5)


def train_model(model, epochs=400):
    opt = torch.optim.Adam(model.parameters())
    for _ in range(epochs):
        opt.zero_grad()
        loss_fn(model(X_tr), y_tr).backward()
        opt.step()
        with torch.no_grad():
            val_loss = loss_fn(model({data}), {labels})
    return val_loss


train_model(net)
"""


def test_a_loop_scoring_the_held_out_half_of_a_split_every_epoch_is_reported(tmp_path):
    assert reported_lines(tmp_path, "fit.py", FULL_BATCH.format(data="X_va", labels="y_va"), "GL201") == [9]


def test_a_loop_scoring_only_the_training_half_is_not(tmp_path):
    assert reported_lines(tmp_path, "fit.py", FULL_BATCH.format(data="X_tr", labels="y_tr"), "GL201") == []


# ---- GL401: a resource group's own location places what takes it -------------------------------

GROUP = """\
resource "azurerm_resource_group" "rg" {
  name     = "rg-state"
  location = "eastus2"
}

resource "azurerm_storage_account" "state" {
  name                = "tfstate1"
  resource_group_name = azurerm_resource_group.rg.name
  location            = %s
}
"""
CLUSTER = """\
resource "azurerm_kubernetes_cluster" "aks" {
  name                = "aks"
  resource_group_name = azurerm_resource_group.rg.name
  location            = %s
}
"""


def group_findings(tmp_path, files: dict[str, str]) -> dict[str, list[int]]:
    module = tmp_path / "infra"
    module.mkdir(exist_ok=True)
    for name, text in files.items():
        (module / name).write_text(text)
    found: dict[str, list[int]] = {}
    for f in run_cli(module, "GL401"):
        found.setdefault(f["path"].rsplit("/", 1)[-1], []).append(f["line"])
    return found


def test_a_group_whose_location_only_stores_take_places_nothing(tmp_path):
    files = {"state.tf": GROUP % "azurerm_resource_group.rg.location", "aks.tf": CLUSTER % '"westus2"'}
    assert group_findings(tmp_path, files) == {}


def test_a_group_that_no_block_takes_the_location_of_places_nothing(tmp_path):
    files = {"state.tf": GROUP % '"westus2"', "aks.tf": CLUSTER % '"westus2"'}
    assert group_findings(tmp_path, files) == {}


def test_a_group_whose_location_a_cluster_in_another_file_takes_is_reported(tmp_path):
    files = {"state.tf": GROUP % '"westus2"', "aks.tf": CLUSTER % "azurerm_resource_group.rg.location"}
    assert group_findings(tmp_path, files) == {"state.tf": [3]}


# ---- GL401: a client is judged by the uses its own binding reaches --------------------------------

def test_a_rebound_client_name_that_only_deletes_places_nothing(tmp_path):
    create = "import boto3\nlambda_client = boto3.client('lambda', region_name='us-east-1')\n" \
             "lambda_client.create_function(FunctionName='f', Role='r', Code={})\n"
    cleanup = "lambda_client = boto3.client('lambda', region_name='us-east-1')\nlambda_client.delete_function(FunctionName='f')\n"
    assert cells_reported(notebook(tmp_path, create, cleanup), "GL401") == [(1, 2)]


WRAPPER = """\
import boto3


class BedrockWrapper:
    def __init__(self, bedrock_client):
        self.bedrock_client = bedrock_client

    def models(self):
        return self.bedrock_client.{method}()


def demo():
    client = boto3.client(service_name="bedrock", region_name="us-east-1")
    wrapper = BedrockWrapper(client)
    print(wrapper.models())
"""


def test_a_client_handed_to_a_wrapper_class_is_judged_by_the_wrappers_calls(tmp_path):
    assert reported_lines(tmp_path, "w.py", WRAPPER.format(method="list_foundation_models"), "GL401") == []
    assert reported_lines(tmp_path, "w.py", WRAPPER.format(method="create_model_customization_job"), "GL401") == [13]


def test_every_bedrock_service_and_strands_models_run_models(tmp_path):
    text = """\
import boto3
from strands.models import BedrockModel

agents = boto3.client("bedrock-agent", region_name="us-east-1")
agents.create_agent(agentName="a", foundationModel="m")
model = BedrockModel(region_name="eu-central-1", model_id="m")
"""
    assert reported_lines(tmp_path, "agents.py", text, "GL401") == [4, 6]


# ---- GL401: the default of a lookup in the function's own **kwargs ------------------------------

KWARGS = """\
from langchain_aws import ChatBedrock


class Agent:
    def __init__(self, **llm_kwargs):
        self.llm = self._create_llm(**llm_kwargs)

    def _create_llm(self, **kwargs):
        return ChatBedrock(model_id="m", region_name={lookup})
"""


def test_the_default_of_a_kwargs_lookup_is_where_the_client_runs_unless_a_caller_passes_it(tmp_path):
    assert reported_lines(tmp_path, "agent.py", KWARGS.format(lookup='kwargs.get("region_name", "us-east-1")'), "GL401") == [9]


def test_a_lookup_in_another_mapping_is_not_read_as_a_default(tmp_path):
    assert reported_lines(tmp_path, "agent.py", KWARGS.format(lookup='SETTINGS.get("region_name", "us-east-1")'), "GL401") == []


# ---- GL401: a copy of a region constant, a placeholder's fallback ---------------------------------

def test_a_region_copied_into_a_name_nothing_reads_places_nothing(tmp_path):
    text = "import vertexai\nREGION = 'us-central1'\nLOCATION = str(REGION)\n" \
           "vertexai.GenerativeModel('gemini').generate_content('hi')\n"
    assert reported_lines(tmp_path, "app.py", text, "GL401") == []
    used = text + "vertexai.init(project='p', location=LOCATION)\n"
    assert reported_lines(tmp_path, "app.py", used, "GL401") == [2]


PLACEHOLDER = """\
REGION = "[your-region]"  # @param {{type:"string"}}

if REGION == "{compared}":
    REGION = "us-central1"
"""
PLACEHOLDER_JOB = """\
from google.cloud import aiplatform
aiplatform.init(project="p", location=REGION)
aiplatform.CustomJob.from_local_script(display_name="t", script_path="task.py", container_uri="c").run()
"""


def test_the_fallback_of_a_placeholder_is_the_region_a_notebook_runs_in(tmp_path):
    path = notebook(tmp_path, PLACEHOLDER.format(compared="[your-region]"), PLACEHOLDER_JOB)
    assert cells_reported(path, "GL401") == [(1, 4)]


def test_a_branch_the_written_value_does_not_take_is_not_read(tmp_path):
    path = notebook(tmp_path, PLACEHOLDER.format(compared="us-east-1"), PLACEHOLDER_JOB)
    assert cells_reported(path, "GL401") == []
