"""Principles found in the fourteenth session (rounds 32-36 of tune labels and the code review). Each test
lints a small file written here with the real engine."""
from __future__ import annotations

from test_model_rules_tune2 import lint  # the real engine on a string


def test_a_trainer_chained_into_an_evaluation_trains_nothing():
    source = """
        import pytorch_lightning as pl

        model = Classifier.load_from_checkpoint("best.ckpt")
        pl.Trainer(gpus=1).test(model, test_loader)
        """
    assert lint(source, "GL202") == []
    fitted = source.replace(".test(model, test_loader)", ".fit(model, train_loader)")
    assert [f.line for f in lint(fitted, "GL202")] == [5]


def test_a_call_after_the_branches_does_not_make_an_evaluating_trainer_train():
    source = """
        import lightning as L

        def main(resume):
            if resume:
                trainer = L.Trainer(accelerator="gpu")
                trainer.validate(model, data)
            else:
                trainer = L.Trainer(accelerator="gpu", precision="bf16-mixed")
                trainer.fit(model, data)
            trainer.save_checkpoint("last.ckpt")
        """
    assert lint(source, "GL202") == []
    merged_fit = source.replace('trainer.save_checkpoint("last.ckpt")', "trainer.fit(model, data)")
    assert [f.line for f in lint(merged_fit, "GL202")] == [6]  # the fit after the branches runs either Trainer


CUDA_LOOP = """
    import torch
    {imports}
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    model = Net().to(device)
    opt = torch.optim.Adam(model.parameters())
    {setup}
    for epoch in range(10):
        for x, y in loader:
            opt.zero_grad()
            loss = criterion(model(x.to(device)), y.to(device))
            loss.backward()
            opt.step()
        {report}
    """


def _loop(imports="", setup="", report=""):
    return CUDA_LOOP.format(imports=imports, setup=setup, report=report)


def test_a_precision_metric_is_not_a_numeric_format():
    metrics = [
        _loop("from torchmetrics.classification import Precision, Recall",
              "precision = Precision(task='binary').to(device)", "print(precision.compute())"),
        _loop("from sklearn.metrics import precision_score", report="print(precision_score(ys, preds))"),
        _loop(report="precision = tp / (tp + fp)"),
        _loop("import numpy as np", "np.set_printoptions(precision=3)"),
    ]
    for source in metrics:
        assert [f.line for f in lint(source, "GL202")] == [12], source


def test_a_numeric_precision_setting_is_still_read():
    settings = [
        _loop(setup="torch.set_float32_matmul_precision('high')"),
        _loop(setup="model = model.to(torch.bfloat16)"),
        _loop(setup="if args.fp16:\n        model = model.to(torch.float16)"),
        _loop(setup="dtype = {'32': torch.float32, '16': torch.float16}[args.precision]"),
        _loop(setup="grad_scaler = make_scaler()"),
        _loop(setup="model = model.half()"),
        _loop("from apex import amp", "model, opt = amp.initialize(model, opt)"),
    ]
    for source in settings:
        assert lint(source, "GL202") == [], source


BAG_OF_WORDS_TO_SCALER = """
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler
    from sklearn.{module} import {model}

    X = CountVectorizer(max_features=1500).fit_transform(corpus).toarray()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)
    scaler = StandardScaler({scaler})
    X_train = scaler.fit_transform(X_train)
    X_test = scaler.transform(X_test)
    clf = {model}().fit(X_train, y_train)
    """


def test_a_dense_copy_that_a_centring_scaler_reads_is_required():
    centred = BAG_OF_WORDS_TO_SCALER.format(module="linear_model", model="LogisticRegression", scaler="")
    assert lint(centred, "GL304") == []  # StandardScaler(with_mean=True) refuses scipy.sparse input
    not_centred = BAG_OF_WORDS_TO_SCALER.format(module="linear_model", model="LogisticRegression", scaler="with_mean=False")
    assert [f.line for f in lint(not_centred, "GL304")] == [7]
    unscaled = centred.replace("X_train = scaler.fit_transform(X_train)", "X_train = X_train")
    assert [f.line for f in lint(unscaled, "GL304")] == [7]  # a sparse-capable model reads the unscaled copy
    dense_model = unscaled.replace("linear_model", "naive_bayes").replace("LogisticRegression", "GaussianNB")
    assert lint(dense_model, "GL304") == []  # GaussianNB fits it: it needs dense input (round 46)


def test_the_split_parts_are_followed_in_statement_order():
    scaled_first = BAG_OF_WORDS_TO_SCALER.format(module="linear_model", model="LogisticRegression", scaler="")
    assert lint(scaled_first, "GL304") == []  # the model reads the scaled copy: only the scaler reads the split's
    fitted_first = scaled_first.replace("    clf = LogisticRegression().fit(X_train, y_train)\n", "").replace(
        "    X_train = scaler.fit_transform(X_train)\n",
        "    clf = LogisticRegression().fit(X_train, y_train)\n    X_train = scaler.fit_transform(X_train)\n")
    assert "fit(X_train, y_train)\n    X_train = scaler" in fitted_first
    assert [f.line for f in lint(fitted_first, "GL304")] == [7]  # a sparse-capable model reads the dense copy


ENCODER_IN_A_HELPER = """
    from sklearn.preprocessing import OneHotEncoder

    def prepare(values):
        encoder = OneHotEncoder(sparse=False)
        values = values.reshape(len(values), 1)
        return encoder.fit_transform(values)

    trainy = prepare(trainy.values)
    testy = prepare(testy.values)
    """


def test_a_dense_encoder_of_a_helper_every_call_gives_labels_encodes_targets():
    assert lint(ENCODER_IN_A_HELPER, "GL304") == []
    features_too = ENCODER_IN_A_HELPER + "features = prepare(df[categorical].values)\n"
    assert [f.line for f in lint(features_too, "GL304")] == [5]
    for target in ("train_y", "y_train", "labels"):
        assert lint(ENCODER_IN_A_HELPER.replace("trainy", target), "GL304") == []


def test_a_sagemaker_local_mode_deployment_is_not_a_hosted_endpoint():
    source = """
        from sagemaker.pytorch import PyTorch

        estimator = PyTorch(entry_point="train.py", role=role, instance_count=1, instance_type="ml.g4dn.xlarge")
        estimator.fit(inputs)
        instance_type = "{where}"
        predictor = estimator.deploy(1, instance_type)
        """
    assert lint(source.format(where="local"), "GL403") == []
    assert lint(source.format(where="local_gpu"), "GL403") == []
    assert [f.line for f in lint(source.format(where="ml.m5.large"), "GL403")] == [7]


def test_an_azure_local_web_service_is_followed_through_its_name():
    source = """
        from azureml.core.model import Model
        from azureml.core.webservice import {service}

        deployment_config = {service}.deploy_configuration({args})
        service = Model.deploy(workspace=ws, name="iris", models=[model], inference_config=config,
                               deployment_config=deployment_config)
        """
    assert lint(source.format(service="LocalWebservice", args="port=6789"), "GL403") == []
    assert [f.line for f in lint(source.format(service="AciWebservice", args="cpu_cores=1"), "GL403")] == [6]


def test_a_serving_batch_size_does_not_make_a_config_a_training_one(tmp_path):
    from test_tune_round_28 import cli
    env = tmp_path / ".env.worker"
    env.write_text("MODEL_NAME=bert-base-uncased\nBATCH_SIZE=32\nMAX_INPUT_SIZE=1024\n")
    assert [f["line"] for f in cli(env, "GL303")] == [1]
    env.write_text("MODEL_NAME=bert-base-uncased\nBATCH_SIZE=32\nLEARNING_RATE=2e-5\n")
    assert cli(env, "GL303") == []  # a fine-tuning config: the model is trained, not served


def test_sums_and_products_of_sparse_matrices_stay_sparse():
    source = """
        import numpy as np
        import scipy.sparse as sp
        import torch

        def normalize(mx):
            r_inv = np.power(np.array(mx.sum(1)), -1).flatten()
            return sp.diags(r_inv).dot(mx)

        adj = sp.coo_matrix((weights, (rows, cols)), shape=(n, n))
        adj = normalize(adj + sp.eye(adj.shape[0]))
        dense_adj = torch.FloatTensor(np.array(adj.todense()))
        """
    assert [f.line for f in lint(source, "GL304")] == [12]
    shown = source.replace("dense_adj = torch.FloatTensor(np.array(adj.todense()))", "print(adj.todense())")
    assert lint(shown, "GL304") == []


def test_gradients_compressed_for_the_network_are_not_mixed_precision():
    compressed = [
        _loop("import horovod.torch as hvd", "opt = hvd.DistributedOptimizer(opt, compression=hvd.Compression.fp16)"),
        _loop(setup="parser.add_argument('--fp16-allreduce', action='store_true')"),
        _loop(setup="train(model, fp16_allreduce=False)"),
    ]
    for source in compressed:
        assert [f.line for f in lint(source, "GL202")] == [12], source
    assert lint(_loop(setup="parser.add_argument('--precision', default='32')"), "GL202") == []
    assert lint(_loop(setup="trainer = make_trainer(precision=16)"), "GL202") == []


def test_words_other_code_uses_too_do_not_silence_a_float32_loop():
    borrowed = [
        _loop("from sklearn.preprocessing import StandardScaler", "scaler = StandardScaler().fit(features)"),
        _loop(setup="half = len(dataset) // 2"),
        _loop(setup="amp = np.abs(np.fft.rfft(signal))"),
    ]
    for source in borrowed:
        assert [f.line for f in lint(source, "GL202")] == [12], source


def test_gpu_placement_by_rank_and_backend_is_cuda():
    ranked = [
        _loop(setup="model = model.to(f'cuda:{rank}')"),
        _loop(setup="torch.cuda.set_device(args.local_rank)"),
        _loop(setup="torch.distributed.init_process_group(backend='nccl')"),
    ]
    for source in ranked:
        source = source.replace('device = torch.device("cuda" if torch.cuda.is_available() else "cpu")', "device = rank")
        assert "cuda\" if" not in source
        assert [f.line for f in lint(source, "GL202")] == [12], source
    gloo = _loop(setup="torch.distributed.init_process_group(backend='gloo')").replace(
        'device = torch.device("cuda" if torch.cuda.is_available() else "cpu")', "device = rank")
    assert lint(gloo, "GL202") == []


PIPELINE_WITH_SCALER = """
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    from xgboost import XGBRegressor

    categorical = Pipeline([("onehot", OneHotEncoder(handle_unknown="ignore", sparse=False))])
    preprocessor = ColumnTransformer([("num", "passthrough", numeric_cols), ("cat", categorical, categorical_cols)])
    model = Pipeline(steps=[("pre", preprocessor), ("sc", StandardScaler({scaler})), ("gb", XGBRegressor())])
    model.fit(X_train, y_train)
    """


def test_a_dense_encoder_before_a_centring_step_of_its_pipeline_is_required():
    assert lint(PIPELINE_WITH_SCALER.format(scaler=""), "GL304") == []
    assert [f.line for f in lint(PIPELINE_WITH_SCALER.format(scaler="with_mean=False"), "GL304")] == [7]
    scaler_first = PIPELINE_WITH_SCALER.format(scaler="").replace(
        '("pre", preprocessor), ("sc", StandardScaler())', '("sc", StandardScaler()), ("pre", preprocessor)')
    assert [f.line for f in lint(scaler_first, "GL304")] == [7]  # the scaler runs before the encoder


def test_a_dotenv_name_with_another_formats_extension_is_read_as_that_format(tmp_path):
    from test_tune_round_28 import cli
    dotenv = tmp_path / ".env.production"
    dotenv.write_text("REGION=us-central1\n")
    assert [f["line"] for f in cli(dotenv, "GL401")] == [1]
    script = tmp_path / ".env.sh"
    script.write_text('export REGION="us-central1"\nexport PROJECT_ID=$(gcloud config list --format "value(core.project)")\n')
    assert cli(script, "GL401") == []  # a shell variable no cloud command of the script uses
    script.write_text(script.read_text() + 'gcloud ai-platform jobs submit training job1 --region "$REGION"\n')
    assert [f["line"] for f in cli(script, "GL401")] == [1]  # reported where the region is written


WORKFLOW = """\
name: train
on: workflow_dispatch
jobs:
  train:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          aws-region: {region}
      - run: python pipeline/run.py --execute
"""


def test_a_placeholders_literal_fallback_is_the_region(tmp_path):
    from test_tune_round_28 import cli
    workflow = tmp_path / "train.yml"
    workflow.write_text(WORKFLOW.format(region="${{ secrets.AWS_REGION || 'ap-southeast-2' }}"))
    assert [f["line"] for f in cli(workflow, "GL401")] == [10]
    workflow.write_text(WORKFLOW.format(region="${{ secrets.AWS_REGION }}"))
    assert cli(workflow, "GL401") == []
    compose = tmp_path / "docker-compose.yml"
    compose.write_text("services:\n  trainer:\n    environment:\n      AWS_REGION: ${AWS_REGION:-ap-southeast-2}\n")
    assert [f["line"] for f in cli(compose, "GL401")] == [4]


def test_a_steps_own_env_is_read_with_that_step_alone(tmp_path):
    from test_tune_round_28 import cli
    workflow = tmp_path / "ci.yml"
    workflow.write_text(WORKFLOW.format(region="us-west-2") + "      - run: pytest tests/unit\n"
                        "        env:\n          AWS_REGION: ap-southeast-2\n")
    assert cli(workflow, "GL401") == []  # mock values for a test suite place nothing
    workflow.write_text(workflow.read_text().replace("run: pytest tests/unit", "run: python train.py"))
    assert [f["line"] for f in cli(workflow, "GL401")] == [14]


def test_a_region_constant_read_from_the_environment_defaults_to_its_literal():
    source = """
        import os
        import sagemaker

        AWS_REGION = os.environ.get("AWS_REGION", "{region}")
        session = sagemaker.Session(boto_session=boto3.Session(region_name=AWS_REGION))
        """
    assert [f.line for f in lint(source.format(region="ap-southeast-2"), "GL401")] == [5]
    assert lint(source.format(region="us-west-2"), "GL401") == []


def test_keras_validation_on_the_training_data_is_no_validation():
    source = """
        from tensorflow import keras

        model = keras.applications.ResNet50(weights="imagenet")
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        model.fit(x_train, y_train, epochs=20, validation_data=(x_train, y_train))
        """
    assert lint(source, "GL201") == []
    held_out = source.replace("validation_data=(x_train, y_train)", "validation_data=(x_val, y_val)")
    assert [f.line for f in lint(held_out, "GL201")] == [6]


def test_an_epoch_loop_over_a_progress_bar_held_by_a_name_is_counted():
    source = """
        import torch
        from tqdm import tqdm

        def train(model, train_loader, val_loader, epochs=1000):
            optimizer = torch.optim.Adam(model.parameters())
            bar = tqdm(range(epochs), desc="Epochs")
            for epoch in bar:
                for x, y in train_loader:
                    optimizer.zero_grad()
                    loss_fn(model(x), y).backward()
                    optimizer.step()
                with torch.no_grad():
                    val_loss = sum(loss_fn(model(x), y) for x, y in val_loader)
        """
    assert [f.line for f in lint(source, "GL201")] == [8]
    assert lint(source.replace("epochs=1000", "epochs=5"), "GL201") == []  # under the 10-epoch minimum


def test_a_region_imported_from_a_module_of_the_project_is_reported_where_it_places(tmp_path):
    from test_tune_round_28 import cli
    package = tmp_path / "app"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "configuration.py").write_text('LOCATION = "northeurope"\nMODEL_NAME = "iris"\n')
    deploy = package / "deploy_aci.py"
    deploy.write_text(
        "from azureml.core.webservice import AciWebservice\n"
        "from app.configuration import LOCATION\n\n"
        "config = AciWebservice.deploy_configuration(cpu_cores=1, memory_gb=1, location=LOCATION)\n")
    assert [f["line"] for f in cli(deploy, "GL401")] == [4]
    assert cli(package / "configuration.py", "GL401") == []  # a constant alone places nothing


def test_the_layers_of_a_from_scratch_model_stored_in_a_lightning_module_are_trained_with_it():
    source = """
        import pytorch_lightning as pl
        import torch
        from torch import nn
        from torchvision.models import resnet18

        class Net(pl.LightningModule):
            def __init__(self):
                super().__init__()
                self.body = nn.Sequential(*list(resnet18(pretrained={flag}).children())[:-1], nn.ReLU(True))
                self.head = nn.Linear(512, 1)

            def training_step(self, batch, batch_idx):
                x, y = batch
                return nn.functional.mse_loss(self.head(self.body(x).flatten(1)), y)

            def configure_optimizers(self):
                return torch.optim.Adam(self.parameters())
        """
    assert [f.line for f in lint(source.format(flag="False"), "GL301")] == [10]
    assert lint(source.format(flag="True"), "GL301") == []


def test_a_model_wrapped_by_a_lightning_module_of_another_module_is_trained_by_its_fit():
    source = """
        import lightning as L
        import torch
        from shared_utilities import LightningModel, Cifar10DataModule

        pytorch_model = torch.hub.load("pytorch/vision", "resnet18", weights={weights})
        lightning_model = LightningModel(model=pytorch_model, learning_rate=0.1)
        trainer = L.Trainer(max_epochs=50, accelerator="gpu")
        trainer.fit(model=lightning_model, datamodule=Cifar10DataModule(batch_size=64))
        """
    assert [f.line for f in lint(source.format(weights="None"), "GL301")] == [6]
    assert lint(source.format(weights='"DEFAULT"'), "GL301") == []
    validated_only = source.format(weights="None").replace("trainer.fit(", "trainer.validate(")
    assert lint(validated_only, "GL301") == []


def test_an_extensionless_script_is_read_by_its_shebang(tmp_path):
    import json as json_module
    import subprocess
    import sys
    (tmp_path / "retrain_cloud").write_text(
        "#!/bin/bash\ngcloud ai-platform jobs submit training job1 --region us-central1 --module-name trainer.task\n")
    (tmp_path / "train").write_text("#!/usr/bin/env python3\nimport boto3\nboto3.client('sagemaker', region_name='us-east-1')\n")
    (tmp_path / "LICENSE").write_text("Permission is hereby granted, region us-central1\n")
    out = subprocess.run([sys.executable, "-m", "greenlint", "--no-cache", "--select", "GL401", "--format", "json",
                          str(tmp_path)], capture_output=True, text=True, check=False)
    report = json_module.loads(out.stdout)
    assert sorted((f["path"].rsplit("/", 1)[-1], f["line"]) for f in report["findings"]) == [("retrain_cloud", 2), ("train", 3)]


def test_a_kubernetes_object_whose_kind_names_a_store_places_no_compute(tmp_path):
    from test_tune_round_28 import cli
    manifest = tmp_path / "disaster-recovery.yaml"
    manifest.write_text("apiVersion: velero.io/v1\nkind: BackupStorageLocation\nmetadata:\n  name: backups\n"
                        "spec:\n  provider: aws\n  config:\n    region: us-east-1\n")
    assert cli(manifest, "GL401") == []
    manifest.write_text(manifest.read_text().replace("kind: BackupStorageLocation", "kind: TrainingJob"))
    assert [f["line"] for f in cli(manifest, "GL401")] == [8]


def test_a_training_submission_inside_a_command_substitution_runs_on_the_schedule(tmp_path):
    from test_tune_round_28 import cli
    workflow = tmp_path / "job.yml"
    workflow.write_text("on:\n  schedule:\n    - cron: '0 18 * * *'\njobs:\n  fine-tune:\n    runs-on: ubuntu-latest\n"
                        "    steps:\n      - run: |\n          run_id=$(az ml job create -f jobs/train.yml --query name -o tsv)\n"
                        "          az ml job stream -n $run_id\n")
    assert [f["line"] for f in cli(workflow, "GL404")] == [3]  # reported at the cron


def test_a_constant_named_for_a_region_by_its_last_word_places_compute():
    source = """
        from google.cloud import automl

        gcp_compute_region = "us-central1"
        {other} = "us-central1"
        client = automl.AutoMlClient()
        location = client.location_path("my-project", gcp_compute_region)
        client.create_model(location, {{"display_name": "m"}})
        """
    assert [f.line for f in lint(source.format(other="unused"), "GL401")] == [4]
    assert [f.line for f in lint(source.format(other="bucket_region"), "GL401")] == [4]  # a store's region


def test_a_bedrock_agent_runtime_runs_the_model_in_its_region():
    source = """
        import os
        import boto3

        region = os.environ.get("AWS_REGION", "us-east-1")
        client = boto3.client("{service}", region_name=region)
        client.{method}(agentId="a", sessionId="s", inputText="hi")
        """
    assert [f.line for f in lint(source.format(service="bedrock-agent-runtime", method="invoke_agent"), "GL401")] == [5]
    assert lint(source.format(service="bedrock", method="list_foundation_models"), "GL401") == []


def test_a_vertex_default_location_for_reads_only_places_nothing():
    source = """
        from google.cloud import aiplatform

        aiplatform.init(project="p", location="us-central1")
        jobs = aiplatform.HyperparameterTuningJob.list(filter='display_name="xgb"')
        best = sorted(jobs[0].trials, key=lambda t: t.final_measurement.metrics[0].value)[-1]
        """
    assert lint(source, "GL401") == []
    runs = source + 'aiplatform.CustomTrainingJob(display_name="t", script_path="task.py", container_uri="c").run()\n'
    assert [f.line for f in lint(runs, "GL401")] == [4]


SPLIT_SPARSE = """
    import scipy.sparse as ssp
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import GridSearchCV, train_test_split

    x_train, x_test, y_train, y_test = train_test_split(ssp.hstack((numeric, one_hot)), y, test_size=0.2)
    model = {model}
    model.fit(x_train.toarray(), y_train)
    """


def test_the_parts_of_a_split_sparse_matrix_are_sparse():
    assert [f.line for f in lint(SPLIT_SPARSE.format(model="Ridge()"), "GL304")] == [9]


def test_a_dense_copy_for_a_search_over_a_dense_only_estimator_is_required():
    search = "GridSearchCV(HistGradientBoostingRegressor(), {'max_depth': [3, 5]}, cv=3)"
    assert lint(SPLIT_SPARSE.format(model=search), "GL304") == []
    assert [f.line for f in lint(SPLIT_SPARSE.format(model=search.replace("HistGradientBoostingRegressor", "Ridge")),
                                 "GL304")] == [9]


def test_a_conversion_guarded_by_a_sparsity_test_is_not_reported():
    source = """
        import pandas as pd
        from sklearn.preprocessing import OneHotEncoder

        X = OneHotEncoder().fit_transform(frame)
        train_df = pd.DataFrame(X.toarray() if {test} else X)
        train_df.to_csv("train.csv")
        """
    assert lint(source.format(test='hasattr(X, "toarray")'), "GL304") == []
    assert lint(source.format(test="sparse.issparse(X)"), "GL304") == []
    assert [f.line for f in lint(source.format(test="dense_output"), "GL304")] == [6]


def test_dummies_that_an_estimator_refusing_sparse_input_also_fits_are_required():
    source = """
        import pandas as pd
        from sklearn.model_selection import train_test_split
        from sklearn.neighbors import KNeighborsClassifier
        from sklearn.naive_bayes import GaussianNB

        X = pd.get_dummies(frame[["colour", "shape", "size"]])
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        KNeighborsClassifier().fit(X_train, y_train)
        {more}
        """
    assert [f.line for f in lint(source.format(more=""), "GL304")] == [7]
    assert lint(source.format(more="GaussianNB().fit(X_train, y_train)"), "GL304") == []  # refuses sparse X
