"""GL401/GL402 principles found on fresh tune labels: parameter defaults that place compute,
compiled Kubeflow pipelines, KFP node selectors, SageMaker v1 names, CLI commands written as
argument lists (Cloud Build steps, containers), kubeconfig updates that address a cluster.
Every input is written here from scratch and checked through the real CLI."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path


def run_cli(path: Path, select: str) -> list[dict]:
    out = subprocess.run([sys.executable, "-m", "greenlint", str(path), "--format", "json", "--select", select,
                          "--no-cache"], capture_output=True, text=True, cwd=path.parent)
    assert out.returncode in (0, 1), out.stderr
    data = json.loads(out.stdout)
    return data["findings"] if isinstance(data, dict) else data


def lines(tmp_path: Path, name: str, text: str, select: str) -> list[int]:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return sorted(f["line"] for f in run_cli(path, select))


# ---------------------------------------------------------------- GL401 parameter defaults

JOB_SAMPLE = '''\
    from google.cloud import aiplatform


    def launch(project, image, location: str = "{region}"):
        client = aiplatform.gapic.JobServiceClient()
        parent = "projects/" + project + "/locations/" + location
        client.{method}(parent=parent, custom_job={{"display_name": image}})
    '''


def test_region_default_reaching_a_job_creator_is_reported_at_the_default(tmp_path):
    assert lines(tmp_path, "a.py", JOB_SAMPLE.format(region="us-central1", method="create_custom_job"), "GL401") == [4]


def test_region_default_reaching_only_a_data_or_addressing_call_is_not_reported(tmp_path):
    for method in ("create_dataset", "get_custom_job", "delete_custom_job", "create_endpoint"):
        assert lines(tmp_path, "a.py", JOB_SAMPLE.format(region="us-central1", method=method), "GL401") == [], method


def test_clean_region_default_is_not_reported(tmp_path):
    assert lines(tmp_path, "a.py", JOB_SAMPLE.format(region="us-west1", method="create_custom_job"), "GL401") == []


def test_region_default_through_a_path_helper_into_deploy(tmp_path):
    code = '''\
        from google.cloud import aiplatform

        def serve(project, endpoint_id, model, location="us-central1"):
            client = aiplatform.gapic.EndpointServiceClient()
            endpoint = client.endpoint_path(project=project, location=location, endpoint=endpoint_id)
            client.deploy_model(endpoint=endpoint, deployed_model={"model": model})
        '''
    assert lines(tmp_path, "a.py", code, "GL401") == [3]


def test_region_default_given_to_an_sdk_call_is_reported_where_written(tmp_path):
    code = '''\
        from google.cloud import aiplatform

        def init(project,
                 location: str = "us-central1"):
            aiplatform.init(project=project, location=location)
        '''
    assert lines(tmp_path, "a.py", code, "GL401") == [4]


def test_parameter_without_default_is_not_reported(tmp_path):
    code = '''\
        from google.cloud import aiplatform

        def init(project, location):
            aiplatform.init(project=project, location=location)
            aiplatform.CustomJob(display_name="x", worker_pool_specs=[], location=location).run()
        '''
    assert lines(tmp_path, "a.py", code, "GL401") == []


# ---------------------------------------------------------------- GL402 Python spellings

def test_accelerator_parameter_default_used_by_the_function(tmp_path):
    code = '''\
        from google.cloud import aiplatform

        def predict(model, accelerator_type: str = "NVIDIA_TESLA_P4", instance_type="ml.g5.xlarge"):
            return aiplatform.Model(model).batch_predict(accelerator_type=accelerator_type)
        '''
    assert lines(tmp_path, "a.py", code, "GL402") == [3]


def test_unused_hardware_parameter_default_is_not_reported(tmp_path):
    code = '''\
        def describe(machine_type="nvidia-tesla-k80"):
            return "a description"
        '''
    assert lines(tmp_path, "a.py", code, "GL402") == []


def test_kfp_node_selector_and_accelerator_setter(tmp_path):
    code = '''\
        import kfp

        def pipeline():
            a = op().add_node_selector_constraint("cloud.google.com/gke-accelerator", "nvidia-tesla-k80")
            b = op().add_node_selector_constraint("disktype", "nvidia-tesla-k80")
            c = op().set_accelerator_type("NVIDIA_TESLA_P100")
            d = op().set_accelerator_type("NVIDIA_L4")
            spec = {"node_selector": {"node.kubernetes.io/instance-type": "p2.xlarge"}}
        '''
    assert lines(tmp_path, "a.py", code, "GL402") == [4, 6, 8]


def test_sagemaker_v1_train_instance_type(tmp_path):
    code = '''\
        from sagemaker.tensorflow import TensorFlow
        est = TensorFlow(entry_point="t.py", train_instance_count=1, train_instance_type="ml.p2.xlarge")
        ok = TensorFlow(entry_point="t.py", train_instance_count=1, train_instance_type="ml.g5.xlarge")
        '''
    assert lines(tmp_path, "a.py", code, "GL402") == [2]


# ---------------------------------------------------------------- compiled Kubeflow pipelines

def test_compiled_kfp_constants_count_as_their_parameter(tmp_path):
    spec = {"root": {"dag": {"tasks": {"train": {"inputs": {"parameters": {
        "location": {"runtimeValue": {"constantValue": {"stringValue": "us-central1"}}},
        "project": {"runtimeValue": {"constantValue": {"stringValue": "us-central1"}}},
        "accelerator_type": {"runtimeValue": {"constant": "NVIDIA_TESLA_K80"}},
    }}}}}}}
    path = tmp_path / "pipeline.json"
    path.write_text(json.dumps(spec, indent=1), encoding="utf-8")
    text = path.read_text().splitlines()
    found = {(f["code"], f["line"]) for f in run_cli(path, "GL401,GL402")}
    location = next(i for i, t in enumerate(text, 1) if '"stringValue": "us-central1"' in t)
    accel = next(i for i, t in enumerate(text, 1) if "NVIDIA_TESLA_K80" in t)
    assert found == {("GL401", location), ("GL402", accel)}


# ---------------------------------------------------------------- commands as argument lists

def test_cloud_build_gcloud_step_args(tmp_path):
    build = '''\
        steps:
        - name: 'gcr.io/cloud-builders/gsutil'
          args: ['cp', 'gs://b/m', '.', '--location', 'us-east1']
        - name: 'gcr.io/cloud-builders/gcloud'
          args: ['run', 'deploy', 'svc', '--image', 'gcr.io/p/i', '--region', 'us-east1']
        - name: 'gcr.io/cloud-builders/gcloud'
          args: ['run', 'services', 'describe', 'svc', '--region', 'us-east1']
        - name: 'gcr.io/google.com/cloudsdktool/cloud-sdk'
          entrypoint: gcloud
          args: ['ai', 'custom-jobs', 'create', '--region=us-central1', '--display-name=x']
        - name: 'gcr.io/google.com/cloudsdktool/cloud-sdk'
          entrypoint: bash
          args: ['-c', 'gcloud compute instances create vm --zone us-east1-b']
        '''
    path = tmp_path / "cloudbuild.yaml"
    path.write_text(textwrap.dedent(build), encoding="utf-8")
    found = sorted((f["line"], f["column"]) for f in run_cli(path, "GL401"))
    assert [line for line, _ in found] == [5, 10, 13]
    assert found[0][1] == textwrap.dedent(build).splitlines()[4].index("us-east1") + 1


def test_container_command_and_args_lists(tmp_path):
    pod = '''\
        spec:
          containers:
          - name: submit
            image: google/cloud-sdk
            command: [gcloud]
            args: [compute, instances, create, trainer, --machine-type, n1-standard-4, --accelerator, "type=nvidia-tesla-k80,count=1"]
        '''
    assert lines(tmp_path, "pod.yaml", pod, "GL402") == [6]


def test_eks_update_kubeconfig_addresses_an_existing_cluster(tmp_path):
    flow = '''\
        jobs:
          deploy:
            runs-on: ubuntu-latest
            steps:
              - run: aws eks update-kubeconfig --region us-east-1 --name c
              - run: aws eks create-cluster --region us-east-1 --name c
        '''
    assert lines(tmp_path, ".github/workflows/d.yml", flow, "GL401") == [6]


# ---------------------------------------------------------------- one placement, one finding

def test_zone_of_a_region_already_reported_is_not_reported_again(tmp_path):
    tfvars = '''\
        machine = "n1-standard-8"
        region  = "us-east1"
        zone    = "us-east1-b"
        '''
    assert lines(tmp_path, "a.tfvars", tfvars, "GL401") == [2]


def test_zone_alone_or_of_another_region_is_reported(tmp_path):
    assert lines(tmp_path, "a.tfvars", 'zone = "us-east1-b"\n', "GL401") == [1]
    both = '''\
        variable "region" {
          default = "us-east1"
        }
        variable "zone" {
          default = "us-central1-a"
        }
        '''
    (tmp_path / "main.tf").write_text('resource "google_compute_instance" "vm" {\n  zone = var.zone\n}\n'
                                      'provider "google" {\n  region = var.region\n}\n')
    assert lines(tmp_path, "vars.tf", both, "GL401") == [2, 5]


# ---------------------------------------------------------------- GL401 descriptive keys, data CLIs

def test_labels_and_tags_describe_an_object_the_parameter_places_it(tmp_path):
    claim = """\
        apiVersion: platform.example.dev/v1alpha1
        kind: Cluster
        metadata:
          name: prod-us
          labels:
            region: us-east-1
          annotations:
            example.dev/region: us-east-1
        spec:
          parameters:
            region: us-east-1
            nodeCount: 3
        """
    assert lines(tmp_path, "cluster.yaml", claim, "GL401") == [11]
    terraform = """\
        resource "aws_instance" "trainer" {
          instance_type = "g5.xlarge"
          tags = { region = "us-east-1" }
        }
        """
    assert lines(tmp_path, "main.tf", terraform, "GL401") == []


def test_a_region_used_only_by_storage_and_table_commands_places_no_compute(tmp_path):
    script = """\
        #!/bin/bash
        REGION="us-east-1"
        aws s3api create-bucket --bucket state --region "$REGION"
        aws dynamodb create-table --table-name locks --billing-mode PAY_PER_REQUEST --region "$REGION"
        """
    assert lines(tmp_path, "backend.sh", script, "GL401") == []
    assert lines(tmp_path, "train.sh", script + '        aws sagemaker create-training-job --region "$REGION" --cli-input-json file://j.json\n',
                 "GL401") == [2]


def test_azure_cli_default_location_places_the_commands_after_it(tmp_path):
    script = """\
        LOCATION=westeurope
        az config set defaults.group=rg defaults.location=${LOCATION}
        az aks create --resource-group rg --name ml-cluster
        """
    assert lines(tmp_path, "setup.sh", script, "GL401") == [1]
    create = "az vm create --name trainer --image Ubuntu2204 --size Standard_NC24ads_A100_v4\n"
    assert lines(tmp_path, "configure.sh", "az configure --defaults location=westeurope group=rg\n" + create, "GL401") == [1]
    assert lines(tmp_path, "clean.sh", "az configure --defaults location=swedencentral\n" + create, "GL401") == []


def test_a_cli_default_region_no_later_command_uses_places_nothing(tmp_path):
    # only a registry login, an image push and a deploy into an existing cluster follow
    script = """\
        az config set defaults.group=rg defaults.location=westeurope
        az acr login --name registry
        az aks get-credentials --name cluster
        gcloud config set compute/region us-central1
        gcloud compute instances create vm --zone us-west1-b
        """
    assert lines(tmp_path, "deploy.sh", script, "GL401") == []
