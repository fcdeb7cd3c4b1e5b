"""Profile-mode sensors against a fake NVML (at the pynvml function boundary) and a fake
powercap folder."""
from __future__ import annotations

import importlib
import json
import os
import sys
import time
from pathlib import Path

import pytest

from greenlint.profile.sensors import rapl as rapl_module
from greenlint.profile.sensors.estimate import DEFAULT_WATTS_PER_CPU, CpuEstimate, ProcessGroupCpu
from greenlint.profile.sensors.nvml import GpuMeter, parse_visible_devices
from greenlint.profile.sensors.rapl import RaplMeter

FAKE_NVML_DIR = Path(__file__).parent / "data" / "profile" / "fake_nvml"
H100 = {"uuid": "GPU-aaaa1111-0000-0000-0000-000000000000", "name": "NVIDIA H100", "watts": 300.0, "cc": [9, 0]}
A100 = {"uuid": "GPU-bbbb2222-0000-0000-0000-000000000000", "name": "NVIDIA A100", "watts": 200.0, "cc": [8, 0]}
T4 = {"uuid": "GPU-cccc3333-0000-0000-0000-000000000000", "name": "Tesla T4", "watts": 70.0, "cc": [7, 5]}


@pytest.fixture
def fake_nvml(tmp_path, monkeypatch):
    """Returns configure(devices, **extra) that installs the fake pynvml for this test."""

    def configure(devices, **extra):
        config = tmp_path / "nvml.json"
        config.write_text(json.dumps({"devices": devices, **extra}), encoding="utf-8")
        monkeypatch.setenv("GREENLINT_FAKE_NVML", str(config))
        monkeypatch.syspath_prepend(str(FAKE_NVML_DIR))
        monkeypatch.delitem(sys.modules, "pynvml", raising=False)
        module = importlib.import_module("pynvml")
        assert module.__file__.startswith(str(FAKE_NVML_DIR))
        return module

    yield configure
    sys.modules.pop("pynvml", None)


def measure(meter: GpuMeter, seconds: float = 0.3) -> dict:
    start = time.monotonic()
    meter.start(start)
    while time.monotonic() - start < seconds:
        time.sleep(0.02)
        meter.sample(time.monotonic())
    meter.stop(time.monotonic())
    result = meter.result()
    meter.close()
    return result


def test_counter_is_read_at_the_edges_and_agrees_with_integrated_power(fake_nvml):
    fake_nvml([dict(H100, instant=True)])
    meter = GpuMeter(env={})
    result = measure(meter)
    window = meter.t_end - meter.t_start
    (device,) = result["devices"]
    assert result["method"] == "counter" and device["method"] == "counter"
    assert result["joules"] == pytest.approx(300.0 * window, rel=0.1)
    assert device["integrated_joules"] == pytest.approx(device["counter_joules"], rel=0.1)
    assert device["power_field"] == "instant"
    # 0.3 s is below NVML's update period: a warning, not a figure that looks exact.
    assert any("shorter than NVML's update period" in w for w in result["warnings"])


def test_missing_counter_falls_back_to_power_integration(fake_nvml):
    fake_nvml([dict(A100, counter=False)])
    meter = GpuMeter(env={})
    result = measure(meter)
    (device,) = result["devices"]
    assert result["method"] == "power-integration"
    assert device["counter_joules"] is None
    assert result["joules"] == pytest.approx(200.0 * (meter.t_end - meter.t_start), rel=0.15)
    assert device["power_field"] == "average"  # no instantaneous field on this one
    assert any("not supported" in n for n in device["notes"])


def test_unmeasurable_gpu_is_unknown_never_zero(fake_nvml):
    fake_nvml([dict(T4, counter=False, power=False), dict(H100)])
    result = measure(GpuMeter(env={}), 0.1)
    assert result["joules"] is None and result["method"] == "none"
    t4 = result["devices"][0]
    assert t4["joules"] is None and t4["method"] == "none"
    assert result["devices"][1]["joules"] > 0


def test_visible_devices_by_ordinal_and_uuid(fake_nvml):
    fake_nvml([dict(H100), dict(H100, uuid="GPU-dddd"), dict(H100, uuid="GPU-eeee")])
    assert [d.uuid for d in GpuMeter(env={"CUDA_VISIBLE_DEVICES": "2,0"}).devices] == ["GPU-eeee", H100["uuid"]]
    assert [d.uuid for d in GpuMeter(env={"CUDA_VISIBLE_DEVICES": "GPU-dddd"}).devices] == ["GPU-dddd"]
    # A UUID prefix is enough for CUDA, as long as it is unique.
    assert [d.uuid for d in GpuMeter(env={"CUDA_VISIBLE_DEVICES": "GPU-aaaa"}).devices] == [H100["uuid"]]
    assert [d.uuid for d in GpuMeter(env={"CUDA_VISIBLE_DEVICES": "1,-1,0"}).devices] == ["GPU-dddd"]
    hidden = GpuMeter(env={"CUDA_VISIBLE_DEVICES": ""})
    assert hidden.devices == [] and any("no GPU" in n for n in hidden.notes)
    assert len(GpuMeter(env={}).devices) == 3


def test_cuda_ordinals_follow_cuda_order_not_nvml_index(fake_nvml):
    # NVML index 0 is the A100, but CUDA's default order puts the faster H100 first.
    fake_nvml([dict(A100), dict(H100)])
    fastest = GpuMeter(env={"CUDA_VISIBLE_DEVICES": "0"})
    assert [d.uuid for d in fastest.devices] == [H100["uuid"]]
    assert any("CUDA_DEVICE_ORDER=PCI_BUS_ID" in n for n in fastest.notes)
    pci = GpuMeter(env={"CUDA_VISIBLE_DEVICES": "0", "CUDA_DEVICE_ORDER": "PCI_BUS_ID"})
    assert [d.uuid for d in pci.devices] == [A100["uuid"]]


def test_mig_instances_are_measured_on_their_gpu_and_say_so(fake_nvml):
    fake_nvml([dict(A100, mig_mode=1, mig_children=["MIG-1234"]), dict(H100)])
    meter = GpuMeter(env={"CUDA_VISIBLE_DEVICES": "MIG-1234"})
    assert [d.uuid for d in meter.devices] == [A100["uuid"]]
    result = measure(meter, 0.1)
    (device,) = result["devices"]
    assert device["mig"] is True
    assert any("no energy counter of their own" in n for n in device["notes"])


def test_nvml_unavailable_is_a_note(fake_nvml, monkeypatch):
    fake_nvml([], init_error=True)
    meter = GpuMeter(env={})
    assert not meter.available and "could not start" in meter.notes[0]
    monkeypatch.setitem(sys.modules, "pynvml", None)  # not installed
    meter = GpuMeter(env={})
    assert not meter.available and "pynvml is not installed" in meter.notes[0]


def test_parse_visible_devices():
    assert parse_visible_devices(None) is None
    assert parse_visible_devices("0, 1") == ["0", "1"]
    assert parse_visible_devices("1,foo,2") == ["1"]
    assert parse_visible_devices("-1") == []


# ---- RAPL ------------------------------------------------------------------------------

def make_zone(folder: Path, name: str, energy: int, max_range: int = 1_000_000) -> Path:
    folder.mkdir(parents=True)
    (folder / "name").write_text(name + "\n")
    (folder / "energy_uj").write_text(f"{energy}\n")
    (folder / "max_energy_range_uj").write_text(f"{max_range}\n")
    return folder


@pytest.fixture
def powercap(tmp_path, monkeypatch):
    root = tmp_path / "powercap"
    package = make_zone(root / "intel-rapl" / "intel-rapl:0", "package-0", 900_000)
    make_zone(package / "intel-rapl:0:0", "core", 10)
    make_zone(package / "intel-rapl:0:1", "dram", 100)
    # As in sysfs: the same zones also appear as links at the top.
    (root / "intel-rapl:0").symlink_to(package)
    (root / "intel-rapl:0:0").symlink_to(package / "intel-rapl:0:0")
    monkeypatch.setenv("GREENLINT_POWERCAP_ROOT", str(root))
    return package


def test_rapl_counts_package_and_dram_once_and_handles_wraparound(powercap):
    meter = RaplMeter()
    assert sorted(z.name for z in meter.zones) == ["dram", "package-0"]
    meter.start()
    (powercap / "energy_uj").write_text("950000\n")
    (powercap / "intel-rapl:0:1" / "energy_uj").write_text("600\n")
    (powercap / "intel-rapl:0:0" / "energy_uj").write_text("99999\n")  # core: part of the package
    meter.sample()
    # The package counter wraps at max_energy_range_uj (1 J): 950000 -> 1000000 -> 200000.
    (powercap / "energy_uj").write_text("200000\n")
    meter.sample()
    result = meter.result()
    assert result["method"] == "rapl"
    assert result["domains"]["package-0"] == pytest.approx((50_000 + 50_000 + 200_000) / 1e6)
    assert result["domains"]["dram"] == pytest.approx(500 / 1e6)


def test_root_only_rapl_is_reported_and_falls_back(powercap, monkeypatch):
    real = rapl_module._read_int

    def deny(path):
        if path.endswith("energy_uj"):
            raise PermissionError(13, "Permission denied", path)
        return real(path)

    monkeypatch.setattr(rapl_module, "_read_int", deny)
    meter = RaplMeter()
    assert not meter.available
    assert any("readable only by root" in n and "estimated" in n for n in meter.notes)


def test_no_powercap_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("GREENLINT_POWERCAP_ROOT", str(tmp_path / "missing"))
    meter = RaplMeter()
    assert not meter.available and "no RAPL zones" in meter.notes[0]


def test_cpu_estimate_is_labelled_and_uses_the_tdp():
    estimate = CpuEstimate(tdp_watts=64.0, logical_cpus=8)
    result = estimate.result(10.0)
    assert result["method"] == "estimate" and result["joules"] == pytest.approx(80.0)
    default = CpuEstimate(logical_cpus=4).result(2.0)
    assert default["joules"] == pytest.approx(2.0 * DEFAULT_WATTS_PER_CPU)


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc")
def test_process_group_cpu_sees_this_process():
    group = ProcessGroupCpu(os.getpgid(0))
    end = time.process_time() + 0.2
    while time.process_time() < end:
        pass
    assert group.sample() >= 0.1
