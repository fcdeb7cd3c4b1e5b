"""GL401: more spellings of where compute is placed. Template parameter defaults (ARM
`defaultValue`, CloudFormation `Default`) count as their parameter's name; a key whose last word
is region or zone is a region key unless a data word marks it a store's; model-serving clients
(Gen AI SDK on Vertex AI, Anthropic on Vertex AI and Bedrock) place serving in their region."""
from __future__ import annotations

import json
import textwrap

from test_cli import run, write


def found(tmp_path) -> set[tuple[str, int]]:
    proc = run(["--format", "json", "--no-cache", "--select", "GL401", "."], tmp_path)
    return {(f["path"], f["line"]) for f in json.loads(proc.stdout)["findings"]}


def test_template_parameter_defaults_and_region_suffixed_keys(tmp_path):
    write(tmp_path, {
        "azuredeploy.json": json.dumps({"parameters": {"location": {"type": "string", "defaultValue": "eastus",
                                                                    "allowedValues": ["eastus", "westus2"]}}},
                                       indent=2),
        "stack.yaml": "Parameters:\n  Region:\n    Type: String\n    Default: us-east-1\n",
        "app.env": "AGENTCORE_REGION=us-east-1\nBACKUP_REGION=us-east-1\nDB_REGION=us-east-1\nSERVICE_NAME=agent\n",
    })
    assert found(tmp_path) == {("azuredeploy.json", 5), ("stack.yaml", 4), ("app.env", 1)}


def test_model_serving_clients_place_serving_in_their_region(tmp_path):
    write(tmp_path, {"serve.py": """\
        from google import genai
        from anthropic import AnthropicVertex, AnthropicBedrock
        gemini = genai.Client(vertexai=True, project="p", location="us-east1")
        claude = AnthropicVertex(region="us-east5", project_id="p")
        bedrock = AnthropicBedrock(aws_region="us-east-1")
        clean = genai.Client(vertexai=True, project="p", location="us-west1")
        """})
    assert found(tmp_path) == {("serve.py", 3), ("serve.py", 4), ("serve.py", 5)}


def test_the_vertex_sdk_under_its_agent_platform_name_places_compute(tmp_path):
    # Vertex AI's Python SDK renamed with the platform (Gemini Enterprise Agent Platform, 2026).
    write(tmp_path, {"rag.py": """\
        import agentplatform
        client = agentplatform.Client(project="p", location="us-east1")
        other = agentplatform.Client(project="p", location="europe-west1")
        """, "unrelated.py": """\
        from platforms import agentplatform
        client = agentplatform.Client(location="us-east1")
        """})
    assert found(tmp_path) == {("rag.py", 2)}


def test_keys_whose_last_word_is_location_are_location_keys(tmp_path):
    write(tmp_path, {"variables.tf": """\
        variable "resource_group_location" {
          default = "East US 2"
        }
        variable "vertex_ai_location" {
          default = "us-central1"
        }
        variable "allocation" {
          default = "eastus"
        }
        variable "backup_location" {
          default = "eastus"
        }
        variable "docker_location" {
          default = "us-east-1"
        }
        """})
    assert found(tmp_path) == {("variables.tf", 2), ("variables.tf", 5)}


def test_a_zone_under_a_location_key_is_the_region_already_reported(tmp_path):
    write(tmp_path, {"gke.tfvars": """\
        region       = "us-central1"
        gke_location = "us-central1-a"
        """, "zone_only.tfvars": """\
        gke_location = "us-east1-b"
        """})
    assert found(tmp_path) == {("gke.tfvars", 1), ("zone_only.tfvars", 1)}


def test_a_provider_places_every_resource_of_its_folder(tmp_path):
    # A provider block configures the whole module, which is its folder: a bucket in main.tf does
    # not make the region a store's when lambda.tf beside it runs functions. A folder of stores only
    # (the bucket and a registry) stays quiet.
    provider = 'provider "aws" {\n  region = "us-east-1"\n}\n'
    write(tmp_path, {
        "app/main.tf": provider + 'resource "aws_s3_bucket" "raw" {\n  bucket = "raw-data"\n}\n',
        "app/lambda.tf": 'resource "aws_lambda_function" "score" {\n  function_name = "score"\n}\n',
        "data/main.tf": provider + 'resource "aws_s3_bucket" "raw" {\n  bucket = "raw-data"\n}\n',
        "data/registry.tf": 'resource "aws_ecr_repository" "images" {\n  name = "images"\n}\n',
    })
    assert found(tmp_path) == {("app/main.tf", 2)}


def test_the_credentials_region_of_a_job_that_places_nothing_places_nothing(tmp_path):
    # A deploy job that builds and pushes an image and rolls it out to an existing cluster only
    # addresses what another definition placed; a job that runs a project script may place compute
    # in the default region the credentials set.
    workflow = """\
        on: push
        jobs:
          deploy:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - uses: aws-actions/configure-aws-credentials@v4
                with:
                  aws-region: us-east-1
              - uses: aws-actions/amazon-ecr-login@v2
              - run: |
                  docker build -t $REGISTRY/app:latest .
                  docker push $REGISTRY/app:latest
              - run: aws eks update-kubeconfig --region us-east-1 --name serving
              - run: helm upgrade -i server charts/server
        """
    write(tmp_path, {".github/workflows/deploy.yml": textwrap.dedent(workflow)})
    assert found(tmp_path) == set()
    write(tmp_path, {".github/workflows/deploy.yml": textwrap.dedent(workflow) + "      - run: python launch_training.py\n"})
    assert found(tmp_path) == {(".github/workflows/deploy.yml", 9)}


def test_environment_defaults_and_constructor_parameters(tmp_path):
    # `LOCATION = os.getenv("GCP_LOCATION", "us-central1")` runs in us-central1 unless someone sets
    # the variable; a class's `location="us-central1"` default that every construction replaces
    # is not where it runs.
    write(tmp_path, {
        "demo.py": textwrap.dedent("""\
            import os
            import vertexai
            LOCATION = os.getenv("GCP_LOCATION", "us-central1")
            vertexai.init(project="p", location=LOCATION)
            """),
        "pipeline.py": textwrap.dedent("""\
            import os
            import vertexai
            class Pipeline:
                def __init__(self, project, location="us-central1"):
                    vertexai.init(project=project, location=location)
            Pipeline("p", location={passed})
            """).format(passed='os.getenv("GCP_LOCATION")'),
    })
    assert found(tmp_path) == {("demo.py", 3)}
    (tmp_path / "pipeline.py").write_text((tmp_path / "pipeline.py").read_text().replace(
        ', location=os.getenv("GCP_LOCATION")', ""))
    assert found(tmp_path) == {("demo.py", 3), ("pipeline.py", 4)}
