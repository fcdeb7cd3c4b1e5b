"""Principles found in the twenty-eighth session. Each test lints small files written here with
the real CLI."""
from __future__ import annotations

from test_gl4_commands_and_tuning import run_cli
from test_model_rules_tune2 import reported_lines

# ---- GL401: the module that only writes a region constant places nothing -----------------------

CONFIG = 'PROJECT = "my-project"\nREGION = "us-central1"\nBUCKET = "gs://my-bucket"\n'

TRAIN = """\
from google.cloud import aiplatform

from config import PROJECT, REGION


def main():
    aiplatform.init(project=PROJECT, location=REGION)
    job = aiplatform.CustomTrainingJob(display_name="t", script_path="task.py", container_uri="c")
    job.run(machine_type="n1-standard-8")
"""


def test_a_config_module_is_reported_where_its_importer_places_compute(tmp_path):
    (tmp_path / "config.py").write_text(CONFIG)
    (tmp_path / "train.py").write_text(TRAIN)
    found = {(f["path"].rsplit("/", 1)[-1], f["line"]) for f in run_cli(tmp_path, "GL401")}
    assert found == {("train.py", 7)}


def test_a_config_module_alone_places_nothing(tmp_path):
    """Even when it imports the SDK for something else: the constant is written for its importers."""
    code = "from google.cloud.aiplatform import version\n\n" + CONFIG + "SDK_VERSION = version.__version__\n"
    assert reported_lines(tmp_path, "config.py", code, "GL401") == []


def test_a_constant_a_script_reads_is_still_reported(tmp_path):
    """Only the unread constant is left over: the same module read by its own call places."""
    code = CONFIG + "\nfrom google.cloud import aiplatform\naiplatform.init(project=PROJECT, location=REGION)\n" \
        "aiplatform.CustomJob(display_name='t', worker_pool_specs=[]).run()\n"
    assert reported_lines(tmp_path, "run.py", code, "GL401") == [2]


# ---- GL401: a resource's name identifies it, its create request's parent places it -------------

NAMES = """\
from google.cloud.aiplatform.compat import types

PROJECT = "test-project"
LOCATION = "us-central1"
PARENT = f"projects/{PROJECT}/locations/{LOCATION}"
VIEW_PATH = f"{PARENT}/featureOnlineStores/fos/featureViews/v1"
VIEW = types.feature_view.FeatureView(name=VIEW_PATH, labels={"k": "v"})
"""


def test_a_location_spelled_only_into_resource_names_places_nothing(tmp_path):
    assert reported_lines(tmp_path, "constants.py", NAMES, "GL401") == []


def test_a_location_spelled_into_a_create_requests_parent_places(tmp_path):
    code = """\
from google.cloud import aiplatform_v1

PROJECT = "p"
LOCATION = "us-central1"
PARENT = f"projects/{PROJECT}/locations/{LOCATION}"
client = aiplatform_v1.JobServiceClient()
client.create_custom_job(parent=PARENT, custom_job={"display_name": "t", "job_spec": {}})
"""
    assert reported_lines(tmp_path, "submit.py", code, "GL401") == [4]


# ---- Test code: an assertion helper called by name is an assertion -----------------------------

DEEPEVAL_SUITE = """\
from deepeval import assert_test
from deepeval.test_case import LLMTestCase
from google import genai

LOCATION = "us-central1"


def test_capital():
    client = genai.Client(vertexai=True, project="p", location=LOCATION)
    answer = client.models.generate_content(model="gemini-2.0-flash", contents="Capital of France?")
    assert_test(LLMTestCase(input="Capital of France?", actual_output=answer.text), [])
"""


def test_a_suite_that_asserts_through_a_helper_is_a_test_suite(tmp_path):
    assert reported_lines(tmp_path, "test_quality.py", DEEPEVAL_SUITE, "GL401") == []


def test_the_same_code_without_a_test_is_reported(tmp_path):
    script = DEEPEVAL_SUITE.replace("def test_capital():", "def ask():").replace(
        "    assert_test(LLMTestCase(", "    return (")
    assert reported_lines(tmp_path, "ask.py", script, "GL401") == [5]


# ---- GL401: a value formatted by a call inside a printed f-string is displayed ---------------------

def test_a_region_formatted_for_a_printed_message_places_nothing(tmp_path):
    code = """\
import os

import vertexai
from vertexai.generative_models import GenerativeModel

from colors import orange

LOCATION = os.getenv("GCP_LOCATION", "us-central1")
print(f"Vertex AI configured with location={orange(LOCATION)}")
model = GenerativeModel("gemini-1.5-flash")
"""
    assert reported_lines(tmp_path, "agent.py", code, "GL401") == []


# ---- GL402: SkyPilot's GPU named as a dict key in Python, and a fractional GPU ---------------------

def test_skypilot_accelerators_given_as_a_dict_in_python(tmp_path):
    code = """\
import sky

cluster = sky.Resources(infra="aws", accelerators={"V100": 4})
trial = sky.Resources(accelerators={"A100": 1})
"""
    assert reported_lines(tmp_path, "launch.py", code, "GL402") == [3]


def test_a_fractional_share_of_a_legacy_gpu_is_that_gpu(tmp_path):
    text = "name: job\nresources:\n  accelerators: K80:0.5\nrun: python train.py\n"
    assert reported_lines(tmp_path, "job.yaml", text, "GL402") == [3]
