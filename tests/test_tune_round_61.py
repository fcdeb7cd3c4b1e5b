"""Principles found in the twenty-seventh session. Each test lints small files written here with
the real CLI."""
from __future__ import annotations

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
