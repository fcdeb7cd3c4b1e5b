"""YAML held in a Python string and read by a YAML loader is checked as the config it is, at
the string's own lines (checks/held_configs.py): PerfKitBenchmarker's BENCHMARK_CONFIG, a
notebook's cluster spec. A template, a string nobody loads, or a test suite's YAML is not."""
from __future__ import annotations

import json
import textwrap

from test_cli import run


def findings(tmp_path, name: str, source: str, select: str = "GL401,GL402") -> list[tuple]:
    (tmp_path / name).write_text(textwrap.dedent(source))
    proc = run(["--format", "json", "--no-cache", "--select", select, name], tmp_path)
    return [(f["code"], f["line"], f["column"], f.get("cell"), f.get("cell_line"))
            for f in json.loads(proc.stdout)["findings"]]


BENCHMARK = '''\
    from perfkit import configs

    BENCHMARK_CONFIG = """
    gpu_bandwidth:
      vm_groups:
        default:
          vm_spec:
            AWS:
              machine_type: p2.xlarge
              zone: us-west-2b
    """


    def get_config(user_config):
        return configs.LoadConfig(BENCHMARK_CONFIG, user_config, "gpu_bandwidth")
    '''


def test_a_module_constant_a_config_loader_reads_is_checked_at_its_lines(tmp_path):
    assert findings(tmp_path, "bench.py", BENCHMARK) == [("GL402", 9, 25, None, None)]


def test_a_dedented_literal_given_to_yaml_safe_load_is_reported_where_the_file_has_it(tmp_path):
    source = '''\
        import textwrap
        import yaml

        def cluster():
            return yaml.safe_load(textwrap.dedent("""\\
                provider:
                  type: aws
                  region: us-east-1
                available_node_types:
                  gpu:
                    node_config: {InstanceType: p3.2xlarge}
                """))
        '''
    assert [(code, line) for code, line, *_ in findings(tmp_path, "cluster.py", source)] == [("GL401", 8), ("GL402", 11)]
    assert findings(tmp_path, "cluster.py", source)[0][2] == 19  # the column of `us-east-1` in the file


def test_templates_unloaded_strings_and_test_suites_are_not_configs(tmp_path):
    template = BENCHMARK.replace('BENCHMARK_CONFIG = """', 'BENCHMARK_CONFIG = f"""').replace("p2.xlarge", "{machine}")
    assert findings(tmp_path, "template.py", template) == []
    unloaded = BENCHMARK.replace("configs.LoadConfig(BENCHMARK_CONFIG, user_config, \"gpu_bandwidth\")",
                                 "print(BENCHMARK_CONFIG)")
    assert findings(tmp_path, "printed.py", unloaded) == []
    formatted = BENCHMARK.replace("LoadConfig(BENCHMARK_CONFIG,", "LoadConfig(BENCHMARK_CONFIG.format(zone=z),")
    assert findings(tmp_path, "formatted.py", formatted) == []
    suite = BENCHMARK + '''
    def test_the_default_config_names_a_machine():
        assert "machine_type" in get_config({})["gpu_bandwidth"]["vm_groups"]["default"]["vm_spec"]["AWS"]
    '''
    assert findings(tmp_path, "suite.py", suite) == []


def test_a_notebook_cells_yaml_string_is_reported_in_its_cell(tmp_path):
    cells = ["import yaml\n",
             'spec = yaml.safe_load("""\nresources:\n  accelerators: K80:1\n  cloud: gcp\n""")\n']
    notebook = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                           "source": cell} for cell in cells],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "launch.ipynb").write_text(json.dumps(notebook))
    proc = run(["--format", "json", "--no-cache", "--select", "GL402", "launch.ipynb"], tmp_path)
    found = [(f["code"], f.get("cell"), f.get("cell_line")) for f in json.loads(proc.stdout)["findings"]]
    assert found == [("GL402", 2, 3)]


def test_skypilot_and_ray_name_a_gpu_by_model_where_a_hardware_key_takes_one(tmp_path):
    """`accelerators: V100:4`, `{K80: 2}` (the GPU is the key), `sky.Resources(accelerators=...)`;
    a bare model name elsewhere is prose or a catalogue's description of a size (`gpu-type:
    P100`), and current GPUs are not reported."""
    (tmp_path / "task.yaml").write_text("resources:\n  accelerators: V100:4\n  cloud: aws\n")
    (tmp_path / "counted.yaml").write_text("resources:\n  accelerators: {K80: 2}\n")
    (tmp_path / "current.yaml").write_text("resources:\n  accelerators: A100:8\ndescription: ported from V100\n")
    (tmp_path / "launch.py").write_text("import sky\n\ntask = sky.Task(run='python train.py')\n"
                                        "task.set_resources(sky.Resources(accelerators='P100:1'))\n"
                                        "note = 'P100'\n"
                                        "SIZES = {'Standard_NC6s_v2': {'gpu': 1, 'gpu-type': 'P100'}}\n")
    (tmp_path / "catalogue.yaml").write_text("sizes:\n  Standard_NC6s_v3: {gpu_type: V100, gpus: 1}\n")
    proc = run(["--format", "json", "--no-cache", "--select", "GL402", "."], tmp_path)
    found = sorted((f["path"], f["line"], f["impact"]["gpu"]) for f in json.loads(proc.stdout)["findings"])
    assert found == [("counted.yaml", 2, "NVIDIA K80"), ("launch.py", 4, "NVIDIA Tesla P100"),
                     ("task.yaml", 2, "NVIDIA Tesla V100")]
