"""GL301 on torchvision detection builders whose backbone defaults differ, on the backbone
helpers detection models are assembled from, and on options that switch the weights alone.
Inputs written for these tests."""
from __future__ import annotations

import textwrap

from test_model_rules_tune2 import lint

LOOP = """
    optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
    for epoch in range(12):
        for images, targets in loader:
            losses = sum(model(images, targets).values())
            optimizer.zero_grad()
            losses.backward()
            optimizer.step()
"""


def script(build: str) -> str:
    return textwrap.dedent("""\
        import torch
        import torchvision
        from torchvision.models.detection import FasterRCNN
        from torchvision.models.detection.backbone_utils import resnet_fpn_backbone

        model = {build}
        """).format(build=build) + textwrap.dedent(LOOP)


def test_a_v2_builder_without_weights_starts_from_a_random_backbone():
    [finding] = lint(script("torchvision.models.detection.maskrcnn_resnet50_fpn_v2(num_classes=3)"), "GL301")
    assert "maskrcnn_resnet50_fpn_v2" in finding.message


def test_v2_builders_given_weights_and_v1_builders_by_default_are_pre_trained():
    for build in ("torchvision.models.detection.fasterrcnn_resnet50_fpn_v2(weights='DEFAULT')",
                  "torchvision.models.detection.retinanet_resnet50_fpn_v2(weights_backbone='DEFAULT', num_classes=4)",
                  "torchvision.models.detection.fasterrcnn_resnet50_fpn(num_classes=3)",  # ImageNet backbone by default
                  "torchvision.models.detection.maskrcnn_resnet50_fpn(weights=None, num_classes=3)"):
        assert lint(script(build), "GL301") == [], build


def test_a_backbone_helper_asked_for_no_weights_is_a_random_backbone_of_the_trained_detector():
    for helper in ('resnet_fpn_backbone("resnet50", False)', 'resnet_fpn_backbone(backbone_name="resnet50", weights=None)',
                   'resnet_fpn_backbone("resnet101", pretrained=False, trainable_layers=5)'):
        source = script(f"FasterRCNN({helper}, num_classes=2)")
        [finding] = lint(source, "GL301")
        assert "backbone" in finding.message and "_Weights.DEFAULT" in finding.message, helper


def test_a_backbone_helper_given_weights_is_pre_trained():
    for helper in ('resnet_fpn_backbone("resnet50", True)', 'resnet_fpn_backbone(backbone_name="resnet50", weights="DEFAULT")'):
        assert lint(script(f"FasterRCNN({helper}, num_classes=2)"), "GL301") == [], helper


# ---- which builds run: an option that switches the weights alone -------------------------------

SWITCH = """\
    import argparse
    import torch
    from torchvision.models import resnet18, vgg16

    parser = argparse.ArgumentParser()
    parser.add_argument("--finetune", type=int, default=DEFAULT)
    args = parser.parse_args()

    if args.finetune:
        model = PRETRAINED
    else:
        model = resnet18(weights=None)
""" + LOOP


def test_a_weights_switch_is_decided_by_the_options_default():
    pretrained = SWITCH.replace("PRETRAINED", 'resnet18(weights="DEFAULT")')
    assert lint(pretrained.replace("DEFAULT)", "1)"), "GL301") == []
    assert [f.line for f in lint(pretrained.replace("DEFAULT)", "0)"), "GL301")] == [12]


def test_a_choice_between_architectures_is_a_configuration_whatever_the_default():
    other_architecture = SWITCH.replace("PRETRAINED", 'vgg16(weights="DEFAULT")').replace("DEFAULT)", "1)")
    assert [f.line for f in lint(other_architecture, "GL301")] == [12]


def test_a_part_replaced_by_a_pre_trained_models_part_is_a_load():
    # `model.backbone = donor.backbone` copies trained weights into the model built bare: the same
    # as a load_state_dict, under the same conditions as the build.
    transplanted = """\
        import torch
        import torchvision
        model = torchvision.models.detection.fasterrcnn_resnet50_fpn(pretrained=False, pretrained_backbone=False, num_classes=3)
        donor = torchvision.models.detection.maskrcnn_resnet50_fpn(pretrained=True)
        model.backbone = donor.backbone
        """
    assert lint(textwrap.dedent(transplanted) + textwrap.dedent(LOOP), "GL301") == []
    # a donor built without weights gives nothing, and a transplant under a condition the build
    # does not share leaves the default run from scratch
    for donor, guard in (("maskrcnn_resnet50_fpn(pretrained=False, pretrained_backbone=False)", ""),
                         ("maskrcnn_resnet50_fpn(pretrained=True)", "if method == 'coco':\n    ")):
        source = textwrap.dedent(f"""\
            import torch
            import torchvision
            method = input()
            model = torchvision.models.detection.fasterrcnn_resnet50_fpn(pretrained=False, pretrained_backbone=False, num_classes=3)
            """) + f"{guard}donor = torchvision.models.detection.{donor}\n{guard}model.backbone = donor.backbone\n"
        [finding] = lint(source + textwrap.dedent(LOOP), "GL301")
        assert finding.line == 4


def test_an_option_handed_to_a_function_is_still_a_configuration():
    # `main(model_flag)` with `model_flag = args.model_flag`: the branch the default does not take
    # is a configuration the program offers, as `if args.model_flag == ...` is.
    source = textwrap.dedent("""\
        import argparse
        import torch
        from torchvision.models import resnet18

        def main(model_flag, loader):
            if model_flag == "resnet18":
                model = resnet18(pretrained=False, num_classes=9)
            else:
                raise NotImplementedError
            optimizer = torch.optim.Adam(model.parameters())
            for epoch in range(100):
                for x, y in loader:
                    optimizer.zero_grad()
                    torch.nn.functional.cross_entropy(model(x), y).backward()
                    optimizer.step()

        if __name__ == "__main__":
            parser = argparse.ArgumentParser()
            parser.add_argument("--model_flag", default="resnet50")
            args = parser.parse_args()
            model_flag = args.model_flag
            main(model_flag, loader=None)
        """)
    [finding] = lint(source, "GL301")
    assert finding.line == 7
    # a constant every call passes still decides the branch
    assert lint(source.replace("main(model_flag, loader=None)", 'main("resnet50", loader=None)'), "GL301") == []
