"""GL402: the same GPU is judged the same on every cloud. The V100 was a note on AWS (`p3.*`) only;
Google Cloud `nvidia-tesla-v100` (CLI flags, configs, the Vertex AI enum) and Azure NCv3 / NDv2
sizes run the same GPU."""
from __future__ import annotations

import json

from test_cli import run, write


def test_a_v100_is_a_note_on_every_cloud(tmp_path):
    write(tmp_path, {
        "submit.sh": "gcloud ai-platform jobs submit training j --master-accelerator count=1,type=nvidia-tesla-v100\n",
        "compute.yaml": "compute:\n  vm_size: Standard_NC6s_v3\n",
        "job.py": """\
            from google.cloud import aiplatform
            spec = {"machine_type": "n1-standard-8", "accelerator_type": aiplatform.gapic.AcceleratorType.NVIDIA_TESLA_V100}
            """,
        "modern.sh": "gcloud ai custom-jobs create --worker-pool-spec=machine-type=a2-highgpu-1g,accelerator-type=NVIDIA_TESLA_A100\n",
    })
    proc = run(["--format", "json", "--no-cache", "--select", "GL402", "."], tmp_path)
    found = {(f["path"], f["severity"]) for f in json.loads(proc.stdout)["findings"]}
    assert found == {("submit.sh", "note"), ("compute.yaml", "note"), ("job.py", "note")}
