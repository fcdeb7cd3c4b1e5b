"""Principles from round 20 of the tune labels (GL401 in Python). Inputs written for these tests."""
from __future__ import annotations

from test_model_rules_tune2 import lint


def test_one_region_written_to_several_environment_variables_is_one_placement():
    source = """\
        import os
        import boto3

        def serve():
            os.environ["AWS_REGION"] = "us-east-1"
            os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
            return boto3.client("bedrock-runtime").invoke_model(modelId="m", body="{}")

        def research():
            REGION = "us-east-1"
            os.environ["AWS_REGION"] = REGION
            os.environ["AWS_DEFAULT_REGION"] = REGION
        """
    # once per scope: the first literal, and the local name's string where it is written
    assert [f.line for f in lint(source, "GL401")] == [5, 10]


def test_a_parameter_of_the_same_name_is_not_a_read_of_the_module_constant():
    """The constant is given only to a CloudWatch client, which records metrics and runs nothing;
    `region` in `__init__` is the parameter, another variable."""
    source = """\
        import boto3

        region = "ap-southeast-2"
        client = boto3.client("cloudwatch", region_name=region)

        class Metrics:
            def __init__(self, name, region="eu-west-1"):
                self.region = region
        """
    assert lint(source, "GL401") == []
    # given to a client that runs compute, the same constant places it
    training = source.replace('"cloudwatch"', '"sagemaker"')
    assert [f.line for f in lint(training, "GL401")] == [3]


def test_gl301_a_build_in_a_branch_of_a_conditional_expression_is_the_model():
    source = """\
        import torch
        from torchvision.models import resnet18

        def main(resize, loader):
            model = resnet18(pretrained=False, num_classes=10) if resize else SmallNet(num_classes=10)
            model = model.to("cuda")
            optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
            for epoch in range(10):
                for x, y in loader:
                    loss = torch.nn.functional.cross_entropy(model(x), y)
                    optimizer.zero_grad()
                    loss.backward()
                    optimizer.step()
        """
    assert [f.line for f in lint(source, "GL301")] == [5]
    # the build as the condition's test is no value of `model`
    tested = source.replace("resnet18(pretrained=False, num_classes=10) if resize else",
                            "SmallNet(num_classes=10) if resnet18(pretrained=False) is None else")
    assert lint(tested, "GL301") == []
