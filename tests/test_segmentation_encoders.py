"""GL301 on segmentation libraries whose encoders load ImageNet weights by default
(segmentation_models_pytorch and the Keras segmentation_models). Inputs written for these tests."""
from __future__ import annotations

import textwrap

from test_model_rules_tune2 import cli, lint

TORCH_LOOP = """
    for epoch in range(20):
        for images, masks in loader:
            loss = criterion(model(images), masks)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
"""


def smp_script(build: str, prelude: str = "") -> str:
    return textwrap.dedent("""\
        import torch
        import segmentation_models_pytorch as smp
        {prelude}
        def train(loader, criterion):
            model = {build}
            optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
        """).format(build=build, prelude=prelude) + textwrap.indent(textwrap.dedent(TORCH_LOOP), "    ")


def test_an_encoder_without_its_weights_is_reported_with_the_default_that_loads_them(tmp_path):
    path = tmp_path / "train_seg.py"
    path.write_text(smp_script('smp.Unet(encoder_name="resnet34", encoder_weights=None, classes=2)'))
    [finding] = cli(path, "GL301")
    assert finding["line"] == 5
    assert "Unet (resnet34 encoder)" in finding["message"] and 'encoder_weights="imagenet"' in finding["message"]


def test_the_library_default_and_named_weight_sets_are_pre_trained():
    assert lint(smp_script('smp.Unet("resnet34", classes=2)'), "GL301") == []
    assert lint(smp_script('smp.UnetPlusPlus("resnext50_32x4d", encoder_weights="swsl")'), "GL301") == []


def test_positional_weights_and_the_factory_are_read_by_position():
    assert [f.line for f in lint(smp_script('smp.FPN("efficientnet-b0", 5, None)'), "GL301")] == [5]
    assert [f.line for f in lint(smp_script('smp.create_model("DeepLabV3Plus", "resnet50", None)'), "GL301")] == [5]
    # encoder_depth in the third place of the factory is not the weights
    assert lint(smp_script('smp.create_model("Unet", "resnet50", "imagenet", 1)'), "GL301") == []


def test_weights_from_an_option_follow_its_default():
    options = textwrap.dedent("""\
        import argparse
        parser = argparse.ArgumentParser()
        parser.add_argument("--encoder-weights", default=DEFAULT)
        args = parser.parse_args()
        """)
    build = "smp.Unet(args.encoder, encoder_weights=args.encoder_weights)"
    assert len(lint(smp_script(build, options.replace("DEFAULT", "None")), "GL301")) == 1
    assert lint(smp_script(build, options.replace("DEFAULT", '"imagenet"')), "GL301") == []


def test_a_timm_encoder_counts_only_when_its_family_has_published_weights():
    assert len(lint(smp_script('smp.Unet("tu-convnext_tiny", encoder_weights=None)'), "GL301")) == 1
    assert lint(smp_script('smp.Unet("tu-my_custom_net", encoder_weights=None)'), "GL301") == []


def test_a_model_only_evaluated_is_not_trained():
    source = textwrap.dedent("""\
        import torch
        import segmentation_models_pytorch as smp

        model = smp.Unet("resnet34", encoder_weights=None, classes=2)
        model.load_state_dict(torch.load("unet.pt"))
        model.eval()
        """)
    assert lint(source, "GL301") == []


def test_keras_segmentation_models_reads_its_own_argument_order():
    source = textwrap.dedent("""\
        import segmentation_models as sm

        model = sm.Unet("resnet34", (256, 256, 3), 1, "sigmoid", None, None)
        model.compile("adam", loss=sm.losses.bce_jaccard_loss)
        model.fit(x_train, y_train, epochs=50)
        """)
    [finding] = lint(source, "GL301")
    assert "Unet (resnet34 encoder)" in finding.message
    # the fifth place is the whole model's weights, not the encoder's
    assert lint(source.replace('None, None)', 'None, "imagenet")'), "GL301") == []
    assert lint(source.replace('(256, 256, 3), 1, "sigmoid", None, None', 'encoder_weights="imagenet"'), "GL301") == []


def test_the_fix_asks_for_the_imagenet_encoder(tmp_path):
    path = tmp_path / "seg.py"
    path.write_text(smp_script('smp.Unet("resnet34", encoder_weights=None)'))
    [finding] = cli(path, "GL301")
    assert [e["replacement"] for e in finding["fix"]["edits"]] == ['"imagenet"']


# ---- torch.hub entry points of other repositories ----------------------------------------------

def hub_script(load: str) -> str:
    return textwrap.dedent("""\
        import torch

        def train(loader, criterion):
            model = {load}
            optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        """).format(load=load) + textwrap.indent(textwrap.dedent(TORCH_LOOP), "    ")


def test_a_hub_entry_point_asked_not_to_load_its_weights_is_from_scratch():
    [finding] = lint(hub_script('torch.hub.load("ultralytics/yolov5", "yolov5s", pretrained=False, classes=3)'), "GL301")
    assert "`ultralytics/yolov5 yolov5s`" in finding.message and "pretrained=True" in finding.message


def test_hub_entry_points_that_load_weights_or_are_local_are_not_reported():
    for load in ('torch.hub.load("ultralytics/yolov5", "yolov5s")',  # the entry point's default
                 'torch.hub.load("ultralytics/yolov5", "yolov5s", pretrained=True)',
                 'torch.hub.load("./yolov5", "custom", source="local", pretrained=False)',
                 'torch.hub.load("/models/hub", "net", pretrained=False)'):
        assert lint(hub_script(load), "GL301") == [], load


# ---- keras_hub presets ------------------------------------------------------------------------

PRESET = """\
    import keras_hub

    classifier = keras_hub.models.BertTextClassifier.from_preset("bert_base_en_uncased", num_classes=2{load})
    classifier.fit(train_ds, validation_data=val_ds, epochs=3)
    """


def test_a_preset_loaded_without_its_weights_is_from_scratch():
    [finding] = lint(PRESET.format(load=", load_weights=False"), "GL301")
    assert 'preset "bert_base_en_uncased"' in finding.message and finding.fix is not None


def test_a_preset_with_its_weights_or_only_used_for_inference_is_not_reported():
    assert lint(PRESET.format(load=""), "GL301") == []
    assert lint(PRESET.format(load=", load_weights=True"), "GL301") == []
    inference = PRESET.format(load=", load_weights=False").replace("classifier.fit(train_ds, validation_data=val_ds, epochs=3)",
                                                                    "print(classifier.predict(test_ds))")
    assert lint(inference, "GL301") == []
