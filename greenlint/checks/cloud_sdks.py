"""The Python SDKs, clients and methods GL401 reads: which libraries place compute where a
`region=` or `location=` argument says, which boto3 services run compute, which client methods
only read, and which cloud each library belongs to. Tables and small helpers, not a rule."""
from __future__ import annotations

import ast
import re

from ..frontends.pyast import call_name
from .commands import name_words

CLOUD_SDKS = ("boto3", "botocore", "sagemaker", "google.cloud", "vertexai", "agentplatform", "azure.ai.ml",
              "azureml", "kfp", "google.cloud.aiplatform", "google.genai", "anthropic",
              "flytekitplugins.awssagemaker_inference",  # Flyte's SageMaker deployment tasks
              "langchain_google_vertexai", "langchain_aws", "langchain_community", "langchain",
              "apache_beam",  # Beam's Dataflow runner starts workers where its options' region says
              "tfx.extensions.google_cloud_ai_platform",  # TFX's Vertex AI trainer and pusher components,
              "tfx.v1.extensions.google_cloud_ai_platform",  # also through its public v1 API
              "strands.models")  # Strands Agents' model classes (`BedrockModel(region_name=...)`)
# Orchestrators' cloud operators submit a job where their region says (`MLEngineTrainingOperator(
# region=...)`, `CreateCustomTrainingJobOperator(region=...)`); one named by a data word
# (`GCSCreateBucketOperator`, `BigQueryInsertJobOperator`) makes or moves data.
OPERATORS = ("airflow.providers.google", "airflow.providers.amazon", "airflow.providers.microsoft.azure",
             "airflow.contrib.operators", "airflow.gcp.operators")
SDKS_AND_OPERATORS = CLOUD_SDKS + OPERATORS
# boto3 services whose region is where compute runs (not s3, iam, ssm, ...).
# Every Bedrock service runs models or agents (`bedrock-agent` creates an agent, `bedrock-agentcore-control`
# a gateway or runtime that serves one).
COMPUTE_SERVICES = {"sagemaker", "sagemaker-runtime", "ec2", "batch", "ecs", "eks", "lambda", "emr",
                    "emr-serverless", "bedrock", "bedrock-runtime", "bedrock-agent", "bedrock-agent-runtime",
                    "bedrock-agentcore", "bedrock-agentcore-control", "bedrock-data-automation",
                    "bedrock-data-automation-runtime", "glue", "lightsail"} | {
    # AWS AI services run a model on each request (or train one) in their client's region
    "polly", "transcribe", "translate", "comprehend", "comprehendmedical", "rekognition", "textract",
    "lex-runtime", "lexv2-runtime", "personalize", "personalize-runtime", "forecast", "forecastquery"}
REGION_KEYWORDS = ("region_name", "region", "aws_region")
# boto3 client methods that read or remove what exists (a deletion runs nothing, like `aws ... delete-*`);
# `get_paginator(name)` reads when the operation it pages does.
# `cancel_*` / `stop_*` end what runs (`stop_training_job`): like a deletion, they place nothing.
READ_PREFIXES, PAGED_READ_PREFIXES = ("describe_", "list_", "get_", "delete_", "deregister_", "cancel_", "stop_", "terminate_"), \
    ("describe_", "list_")
DISPLAYS = ("print", "display", "pprint")
# Words of an orchestrator operator's name that address what exists rather than run work (`...DeleteOperator`).
OPERATOR_ADDRESSING_WORDS = frozenset({"delete", "get", "list", "describe", "sensor"})
READ_METHODS = {"list", "get", "describe"}  # a service of a client (`client.agent_engines.list()`)
# Methods of a retrieved Vertex AI resource that read or remove it (`fs.get_entity_type`, `fs.delete`).
# batch_serve_to_bq: an export; predict / explain / query: requests to an endpoint or a reasoning engine
# that runs where it was placed; cancel: a job that exists is stopped
RETRIEVED_USES = ("get", "list", "read", "delete", "search", "wait", "batch_serve", "predict", "raw_predict", "explain",
                  "query", "cancel")
REGION_CONSTANTS = {"region", "awsregion", "gcpregion", "googleregion", "location", "gcplocation", "vertexlocation",
                    "vertexregion", "zone", "gcpzone", "defaultregion", "azurelocation", "azureregion", "regionname",
                    "computeregion", "trainingregion", "trainregion", "projectregion",
                    "googlecloudregion"}  # TFX templates' GOOGLE_CLOUD_REGION
LOCATION_CONSTANTS = {"location", "gcplocation", "vertexlocation", "azurelocation"}
# `google.genai.Client(vertexai=True, location=...)` serves Gemini from that region; Anthropic's
# Vertex AI and Bedrock clients serve Claude from theirs. `agentplatform` is the Vertex AI SDK
# under the platform's 2026 name (Gemini Enterprise Agent Platform): `agentplatform.Client(location=)`.
# LangChain's cloud integrations build the same clients: `ChatVertexAI(location=...)`,
# `ChatAnthropicVertex(location=...)` (langchain-google-vertexai, and the older
# `langchain_community` / `langchain` spellings), `ChatBedrock(region_name=...)` (langchain-aws).
LOCATION_SDKS = ("google.cloud.aiplatform", "vertexai", "agentplatform", "azure.ai.ml", "azureml", "google.cloud",
                 "google.genai", "langchain_google_vertexai")
REGION_SDKS = ("boto3", "sagemaker", "google", "vertexai", "agentplatform", "azure", "anthropic.AnthropicVertex",
               "anthropic.AsyncAnthropicVertex", "anthropic.AnthropicBedrock", "anthropic.AsyncAnthropicBedrock",
               "langchain_aws", "apache_beam", "strands.models")
LANGCHAIN_CLIENT = re.compile(r"^langchain(?:_community)?\..*\.(?:Chat)?(?:VertexAI\w*|\w*Vertex|Bedrock\w*)$")


def py_region_hint(qualname: str | None) -> str | None:
    q = qualname or ""
    if q.startswith(("airflow.providers.", "airflow.contrib.operators.", "airflow.gcp.")):
        q = {"google": "google", "amazon": "boto3", "microsoft": "azure", "gcp": "google"}.get(q.split(".")[2], "") \
            or ("google" if any(w in q for w in ("mlengine", "dataproc", "gcp", "bigquery", "gcs")) else
                "boto3" if any(w in q for w in ("sagemaker", "aws", "emr", "ecs")) else "")
    if q.startswith(("boto3", "botocore", "sagemaker", "langchain_aws")) or "Bedrock" in q.rpartition(".")[2]:
        return "aws"
    if q.startswith(("google", "vertexai", "agentplatform", "langchain_google_vertexai", "apache_beam")) \
            or "Vertex" in q.rpartition(".")[2]:
        return "gcp"
    if q.startswith(("azure", "azureml")):
        return "azure"
    return None


# What holds a value on its way into a call's arguments, and the calls that write a log record.
_HOLDERS = (ast.Dict, ast.List, ast.Tuple, ast.Set, ast.keyword, ast.JoinedStr, ast.FormattedValue, ast.Starred)
_LOG_METHODS = {"debug", "info", "warning", "warn", "error", "exception", "critical", "log"}
_LOG_WORDS = frozenset({"log", "logger", "logging"})


def regional_client(qual: str) -> bool:
    """A generated (GAPIC) service client of a Google Cloud SDK: `aiplatform.gapic.JobServiceClient`,
    `aiplatform_v1.EndpointServiceClient`; its region is its `api_endpoint`."""
    return ".gapic." in qual or qual.endswith("ServiceClient")


def logged(ctx, read: ast.AST) -> bool:
    """`logger.info("ready", extra={"region": REGION})`, `get_lambda_logger({"region": REGION})`:
    a value written into a log record, as it is or inside a string, dict or list, is shown,
    not placed."""
    node = read
    while isinstance(ctx.parent(node), _HOLDERS):
        node = ctx.parent(node)
    call = ctx.parent(node)
    if not isinstance(call, ast.Call) or node is call.func:
        return False
    name = call_name(call)
    return name.rsplit(".", 1)[-1] in _LOG_METHODS or bool(_LOG_WORDS.intersection(name_words(name)))
