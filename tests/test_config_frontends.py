"""The config readers: positions of every value, all YAML documents, templates, alias bombs."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from greenlint.frontends.base import FrontendError
from greenlint.frontends.config import parse_config

DATA = Path(__file__).parent / "data" / "infra"


def read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def test_yaml_all_documents_with_value_and_key_positions():
    docs = parse_config("yaml", read("manifests.yaml"))
    assert [d.get("kind").value for d in docs] == ["Namespace", "InferenceService", "Service", "CronJob"]
    min_replicas = docs[1].find("spec", "predictor", "minReplicas")
    assert min_replicas.value == 1
    assert (min_replicas.line, min_replicas.column, min_replicas.end_column) == (14, 18, 19)
    assert (min_replicas.key_line, min_replicas.key_column) == (14, 5)
    lines = read("manifests.yaml").splitlines()
    assert lines[min_replicas.line - 1][min_replicas.column - 1:min_replicas.end_column - 1] == "1"


def test_yaml_columns_count_characters_and_merge_keys():
    text = 'a: {"é": "ü", x: 1}\nbase: &b {lr: 0.1, depth: 3}\nrun:\n  <<: *b\n  depth: 5\n'
    doc = parse_config("yaml", text)[0]
    x = doc.find("a", "x")
    assert (x.line, x.column) == (1, 18)
    assert doc.find("run").plain() == {"depth": 5, "lr": 0.1}


def test_yaml_alias_bomb_is_refused_quickly():
    with pytest.raises(FrontendError) as info:
        parse_config("yaml", read("alias_bomb.yaml"))
    assert "aliases expand" in info.value.message


def test_yaml_recursive_alias_is_refused():
    with pytest.raises(FrontendError):
        parse_config("yaml", "a: &a [*a]\n")


def test_helm_template_is_read_with_neutral_placeholders_and_bad_yaml_is_an_error():
    text = read("helm_deployment.yaml")
    [doc] = parse_config("yaml", text)
    region = doc.find("spec", "template", "spec", "nodeSelector", "topology.kubernetes.io/region")
    assert region.value == "us-east-1" and (region.line, region.column) == (12, 40)  # positions unchanged
    name = doc.find("metadata", "name")
    assert set(name.value) == {"x"} and name.column == 9  # a neutral token of the placeholder's length
    assert doc.find("spec", "replicas").value == "x" * len("{{ .Values.replicaCount }}")
    with pytest.raises(FrontendError) as info:
        parse_config("yaml", "a: [1, 2\nb: 1\n")
    assert info.value.line == 2


def test_yaml_keeps_on_as_a_key_not_a_boolean():
    doc = parse_config("yaml", "on:\n  schedule:\n    - cron: '0 2 * * *'\n")[0]
    assert doc.find("on", "schedule", 0, "cron").value == "0 2 * * *"


def test_json_positions_and_errors():
    doc = parse_config("json", read("vertex_tuning.json"))[0]
    algo = doc.find("studySpec", "algorithm")
    assert algo.value == "GRID_SEARCH" and (algo.line, algo.column) == (4, 18)
    accel = doc.find("trialJobSpec", "workerPoolSpecs", 0, "machineSpec", "acceleratorType")
    line = read("vertex_tuning.json").splitlines()[accel.line - 1]
    assert line[accel.column - 1:accel.end_column - 1] == '"NVIDIA_TESLA_P100"'
    with pytest.raises(FrontendError) as info:
        parse_config("json", '{\n  "a": 1\n  "b": 2\n}')
    assert info.value.line == 3


def test_toml_positions_through_tables_arrays_and_inline_tables():
    text = read("train_config.toml") + '\n[[jobs]]\nname = "a"\n[[jobs]]\nname = "b"\nres = { gpu = "p2.xlarge" }\n'
    doc = parse_config("toml", text)[0]
    n_layer = doc.find("model", "n_layer")
    assert n_layer.value == 48 and (n_layer.line, n_layer.column, n_layer.key_column) == (3, 11, 1)
    gpu = doc.find("jobs", 1, "res", "gpu")
    assert gpu.value == "p2.xlarge" and text.splitlines()[gpu.line - 1][gpu.column - 1:gpu.end_column - 1] == '"p2.xlarge"'
    with pytest.raises(FrontendError):
        parse_config("toml", "a = \n")


def test_terraform_blocks_attributes_and_opaque_expressions():
    doc = parse_config("terraform", (DATA.parents[2] / "examples" / "infra" / "main.tf").read_text(encoding="utf-8"))[0]
    instance = doc.find("resource", "aws_instance", "trainer", "instance_type")
    assert instance.value == "p2.xlarge" and (instance.line, instance.column) == (22, 19)
    assert doc.find("variable", "region", "default").value == "us-east-1"
    ami = doc.find("resource", "aws_instance", "trainer", "ami")
    assert ami.opaque and ami.value == "data.aws_ami.deep_learning.id"
    assert doc.find("resource", "aws_instance", "trainer", "tags", "Name").opaque  # interpolated template
    assert doc.find("terraform", "backend", "s3", "region").value == "us-east-1"


def test_terraform_repeated_blocks_heredocs_and_errors():
    text = ('resource "x" "y" {\n  ebs { size = 1 }\n  ebs { size = 2 }\n  user_data = <<-EOT\n    echo "{"\n  EOT\n'
            '  cond = var.a ? "p2.xlarge" : "g5.xlarge"\n}\n')
    doc = parse_config("terraform", text)[0]
    assert [e.find("size").value for e in doc.find("resource", "x", "y", "ebs").value] == [1, 2]
    assert doc.find("resource", "x", "y", "user_data").value.strip() == 'echo "{"'
    assert doc.find("resource", "x", "y", "cond").opaque
    with pytest.raises(FrontendError):
        parse_config("terraform", 'resource "x" "y" {\n  a = 1\n')


def test_tfvars_and_env():
    doc = parse_config("terraform", read("terraform.tfvars"))[0]
    assert doc.find("location").value == "East US"
    env = parse_config("env", read("dotenv"))[0]
    region = env.find("AWS_DEFAULT_REGION")
    assert region.value == "us-east-1" and (region.line, region.column, region.end_column) == (2, 20, 29)
    quoted = env.find("GOOGLE_CLOUD_REGION")
    assert quoted.value == "europe-west4"


def _json_findings(tmp_path, *args: str) -> list[dict]:
    import json

    out = subprocess.run([sys.executable, "-m", "greenlint", str(tmp_path), "--format", "json", "--no-cache", *args],
                         capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode in (0, 1), out.stderr
    data = json.loads(out.stdout)
    return data["findings"] if isinstance(data, dict) else data


def test_cli_reports_parse_errors_and_checks_templates(tmp_path):
    (tmp_path / "bad.yaml").write_text("a: [1, 2\nregion: us-east-1\n", encoding="utf-8")
    (tmp_path / "chart.yaml").write_text(read("helm_deployment.yaml"), encoding="utf-8")
    (tmp_path / "bomb.yaml").write_text(read("alias_bomb.yaml"), encoding="utf-8")
    # still not YAML once `{{ }}` is neutral: a template greenlint cannot check
    (tmp_path / "values.yaml").write_text("region: us-east-1\nitems: [{{ .Values.a }}\nnext: 1\n", encoding="utf-8")
    found = {(f["path"], f["code"], f["line"], f["severity"]) for f in _json_findings(tmp_path, "--select", "GL000,GL401")}
    assert ("bad.yaml", "GL000", 2, "error") in found
    assert any(p == "bomb.yaml" and c == "GL000" and s == "error" for p, c, _, s in found)
    assert ("chart.yaml", "GL401", 12, "warning") in found  # a finding in a Helm template is no longer lost
    notes = [f for f in _json_findings(tmp_path, "--select", "GL000,GL401") if f["path"] == "values.yaml"]
    assert len(notes) == 1 and notes[0]["severity"] == "note" and "template, not checked" in notes[0]["message"]
    # per-file-ignores silences the template note; a broken file stays reported
    (tmp_path / "pyproject.toml").write_text('[tool.greenlint]\nper-file-ignores = {"*.yaml" = ["GL000"]}\n',
                                             encoding="utf-8")
    paths = {(f["path"], f["code"]) for f in _json_findings(tmp_path, "--select", "GL000,GL401")}
    assert ("values.yaml", "GL000") not in paths and ("bad.yaml", "GL000") in paths


def test_json_template_with_unquoted_placeholders_is_checked(tmp_path):
    # cookiecutter / Jinja JSON: unquoted `{{ }}` values and `{% %}` blocks keep every position.
    text = ('{\n  "epochs": {{ cookiecutter.epochs }},\n  "name": "{{ cookiecutter.name }}-job",\n'
            '  {% if cookiecutter.gpu %}"InstanceType": "ml.p2.xlarge",{% endif %}\n  "workers": ${WORKERS}\n}\n')
    [doc] = parse_config("json", text)
    instance = doc.get("InstanceType")
    assert instance.value == "ml.p2.xlarge" and (instance.line, instance.column) == (4, 44)
    assert doc.get("epochs").value is None and doc.get("workers").value is None  # null: neutral
    (tmp_path / "job.json").write_text(text, encoding="utf-8")
    found = _json_findings(tmp_path, "--select", "GL402,GL000")
    assert [(f["code"], f["line"]) for f in found] == [("GL402", 4)]


# ---- real-project files that are valid in their own dialect (no GL000 for them)

def test_jsonc_comments_and_trailing_commas_keep_positions():
    # tsconfig.json / .vscode/settings.json / devcontainer.json style (kubeflow/pipelines frontend)
    text = ('{\n  "extends": "./tsconfig.json", // base config\n  /* block\n     comment */\n'
            '  "url": "http://x//y", "region": "us-east-1",\n  "list": [1, 2,],\n}\n')
    [doc] = parse_config("json", text)
    region = doc.get("region")
    assert doc.get("url").value == "http://x//y" and doc.get("list").plain() == [1, 2]
    assert (region.line, region.column) == (5, 35)
    assert text.splitlines()[4][region.column - 1:region.end_column - 1] == '"us-east-1"'


def test_broken_json_still_reports_the_strict_error():
    with pytest.raises(FrontendError) as info:
        parse_config("json", '{\n  "a": 1\n  "b": 2\n}\n')
    assert (info.value.line, "invalid JSON") == (3, "invalid JSON")
    with pytest.raises(FrontendError):
        parse_config("json", '{"a": // no value\n}\n')


def test_empty_json_file_is_nothing_to_check():
    assert parse_config("json", "") == [] and parse_config("json", "\n  \n") == []


def test_yaml_sample_with_fill_in_placeholder_is_checked(tmp_path):
    # A documentation sample to fill in (`image: {owner}/server:latest`): the rest is checked.
    sample = ('apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata:\n  name: demo\n'
              'spec:\n  predictor:\n    minReplicas: 1\n    containers:\n'
              '      - image: {owner}/server:latest\n        name: kserve-container\n')
    [doc] = parse_config("yaml", sample)
    assert doc.find("spec", "predictor", "containers", 0, "image").value == "xxxxxxx/server:latest"
    (tmp_path / "server.yaml").write_text(sample, encoding="utf-8")
    found = _json_findings(tmp_path, "--select", "GL403,GL000")
    assert [(f["code"], f["line"]) for f in found] == [("GL403", 7)]
    # a real syntax error with no placeholder near it is still a GL000
    with pytest.raises(FrontendError):
        parse_config("yaml", "spec:\n  predictor:\n    minReplicas: 1\n   bad: [\n")


def test_yaml_tabs_in_values_anchors_and_multidoc_with_empty_documents():
    text = ("---\n# leading comment\n---\nbase: &base\n  region: us-east-1\n  note: \"tab\\there\"\n"
            "job:\n  <<: *base\n  instance_type: ml.p3.2xlarge\n...\n---\nvalue:\ttabbed\n")
    docs = parse_config("yaml", text)
    assert [sorted(d.value) for d in docs] == [["base", "job"], ["value"]]
    assert docs[0].find("job", "region").value == "us-east-1" and docs[1].get("value").value == "tabbed"


def test_env_export_quotes_and_comments():
    text = ('# deployment\nexport AWS_DEFAULT_REGION="us-east-1"  # prod\nREGION=\'eu-west-1\'\n'
            'ZONE=us-central1-a # a zone\nEMPTY=\nURL=http://x#frag\n')
    [doc] = parse_config("env", text)
    assert doc.get("AWS_DEFAULT_REGION").value == "us-east-1"
    assert (doc.get("AWS_DEFAULT_REGION").line, doc.get("AWS_DEFAULT_REGION").column) == (2, 27)
    assert doc.get("REGION").value == "eu-west-1" and doc.get("ZONE").value == "us-central1-a"
    assert doc.get("EMPTY").value == "" and doc.get("URL").value == "http://x#frag"


def test_terraform_complex_expressions_are_opaque_not_errors():
    text = '''\
locals {
  azs    = slice(data.aws_availability_zones.available.names, 0, 3)
  tags   = merge(var.tags, { Name = "x-${var.name}" })
  region = var.region != "" ? var.region : "eu-west-1"
  nodes  = { for k, v in var.groups : k => v if v.enabled }
  cmd    = <<-EOT
    #!/bin/bash
    echo "%{ for n in var.names }${n} %{ endfor }"
  EOT
}

dynamic "setting" {
  for_each = var.settings
  content {
    name  = setting.key
    value = setting.value
  }
}

resource "aws_instance" "gpu" {
  instance_type = var.gpu ? "p3.2xlarge" : "t3.large"
  count         = length(var.subnets) > 0 ? length(var.subnets) : 0
}
'''
    [doc] = parse_config("terraform", text)
    assert doc.find("locals", "region").opaque and doc.find("locals", "azs").opaque
    assert doc.find("resource", "aws_instance", "gpu", "instance_type").opaque
    assert "echo" in doc.find("locals", "cmd").value


def test_json_lines_saved_as_json_is_data_not_a_parse_error():
    """Regression (bentrevett/pytorch-sentiment-analysis legacy/data/train.json): one record per line."""
    from greenlint.frontends.base import FrontendError
    from greenlint.frontends.config import parse_config

    assert parse_config("json", '{"text": "good", "label": 1}\n{"text": "bad", "label": 0}\n') == []
    with pytest.raises(FrontendError):
        parse_config("json", '{"a": 1}\n{"b": \n')


def test_yaml_expression_placeholders_in_flow_mappings_are_checked(tmp_path):
    # `${{ }}` inside a flow mapping is not YAML as written; neutral tokens make it YAML, and the
    # legacy GPU of the job below is still found.
    pipeline = ("type: pipeline\njobs:\n  fit:\n    type: command\n"
                "    inputs: {data: ${{parent.inputs.raw}}, lr: ${{parent.inputs.lr}}}\n"
                "    resources:\n      instance_type: Standard_NC6\n    command: python fit.py\n")
    [doc] = parse_config("yaml", pipeline)
    assert doc.find("jobs", "fit", "resources", "instance_type").line == 7
    (tmp_path / "pipeline.yml").write_text(pipeline, encoding="utf-8")
    found = _json_findings(tmp_path, "--select", "GL402,GL000")
    assert [(f["code"], f["line"]) for f in found] == [("GL402", 7)]
