"""Deploy the fine-tuned ranker to a SageMaker real-time endpoint (notebook-style script)."""
import boto3
import sagemaker
from sagemaker.huggingface import HuggingFaceModel

REGION = "us-east-1"
session = sagemaker.Session(boto3.Session(region_name=REGION))
role = sagemaker.get_execution_role()

model = HuggingFaceModel(
    model_data="s3://acme-models-us-east-1/ranker/model.tar.gz",
    role=role,
    transformers_version="4.37",
    pytorch_version="2.1",
    py_version="py310",
    sagemaker_session=session,
)
predictor = model.deploy(initial_instance_count=1, instance_type="ml.p3.2xlarge")
print(predictor.predict({"inputs": "a query about green AI"}))
