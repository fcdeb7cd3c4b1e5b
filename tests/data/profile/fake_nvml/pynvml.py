"""A fake `pynvml` for tests: the functions greenlint calls, driven by a JSON description.

GREENLINT_FAKE_NVML names a JSON file: {"init_error": false, "devices": [{"uuid": "GPU-...",
"name": "...", "watts": 100.0, "counter": true, "instant": true, "power": true,
"mig_mode": 0, "cc": [9, 0], "mig_children": ["MIG-..."]}]}. Energy grows at `watts` from
import time, so the counter and the integrated power describe the same GPU.
"""
import json
import os
import time

NVML_SUCCESS = 0
NVML_ERROR_NOT_SUPPORTED = 3
NVML_ERROR_UNINITIALIZED = 1
NVML_FI_DEV_POWER_INSTANT = 186
_T0 = time.monotonic()


class NVMLError(Exception):
    def __init__(self, value):
        self.value = value

    def __str__(self):
        return {3: "Not Supported", 1: "Uninitialized", 12: "NVML Shared Library Not Found"}.get(self.value, f"NVML error {self.value}")


class NVMLError_NotSupported(NVMLError):
    def __init__(self, value=NVML_ERROR_NOT_SUPPORTED):
        super().__init__(value)


class NVMLError_LibraryNotFound(NVMLError):
    def __init__(self, value=12):
        super().__init__(value)


def _config():
    with open(os.environ["GREENLINT_FAKE_NVML"], encoding="utf-8") as handle:
        return json.load(handle)


_state = {"init": False, "devices": []}
calls = []  # (function name, handle index) for tests that inspect what was read


class _Handle:
    def __init__(self, index, spec, parent=None):
        self.index = index
        self.spec = spec
        self.parent = parent


def nvmlInit():
    config = _config()
    if config.get("init_error"):
        raise NVMLError_LibraryNotFound()
    _state["init"] = True
    _state["devices"] = [_Handle(i, d) for i, d in enumerate(config.get("devices", []))]


def nvmlShutdown():
    _state["init"] = False


def _check():
    if not _state["init"]:
        raise NVMLError(NVML_ERROR_UNINITIALIZED)


def nvmlDeviceGetCount():
    _check()
    return len(_state["devices"])


def nvmlDeviceGetHandleByIndex(index):
    _check()
    return _state["devices"][index]


def nvmlDeviceGetHandleByUUID(uuid):
    _check()
    for handle in _state["devices"]:
        if handle.spec["uuid"] == uuid:
            return handle
        if uuid in handle.spec.get("mig_children", []):
            return _Handle(-1, {"uuid": uuid}, parent=handle)
    raise NVMLError(13)


def nvmlDeviceGetDeviceHandleFromMigDeviceHandle(handle):
    if handle.parent is None:
        raise NVMLError(2)
    return handle.parent


def nvmlDeviceGetUUID(handle):
    return handle.spec["uuid"]


def nvmlDeviceGetName(handle):
    return handle.spec.get("name", "Fake GPU")


def nvmlDeviceGetCudaComputeCapability(handle):
    return tuple(handle.spec.get("cc", [9, 0]))


def nvmlDeviceGetMigMode(handle):
    if "mig_mode" not in handle.spec:
        raise NVMLError_NotSupported()
    return (handle.spec["mig_mode"], handle.spec["mig_mode"])


def _watts(handle):
    return float(handle.spec.get("watts", 100.0))


def nvmlDeviceGetTotalEnergyConsumption(handle):
    calls.append(("energy", handle.index))
    if not handle.spec.get("counter", True):
        raise NVMLError_NotSupported()
    # mJ since "driver load"; an offset shows that only differences are used.
    return int(5_000_000 + _watts(handle) * (time.monotonic() - _T0) * 1000)


def nvmlDeviceGetPowerUsage(handle):
    calls.append(("power", handle.index))
    if not handle.spec.get("power", True):
        raise NVMLError_NotSupported()
    return int(_watts(handle) * 1000)


class _Value:
    def __init__(self, milliwatts):
        self.uiVal = milliwatts


class _Field:
    def __init__(self, ret, milliwatts):
        self.fieldId = NVML_FI_DEV_POWER_INSTANT
        self.nvmlReturn = ret
        self.valueType = 1
        self.value = _Value(milliwatts)


def nvmlDeviceGetFieldValues(handle, field_ids):
    calls.append(("field", handle.index))
    ok = handle.spec.get("instant", False) and handle.spec.get("power", True)
    return [_Field(0 if ok else NVML_ERROR_NOT_SUPPORTED, int(_watts(handle) * 1000) if ok else 0) for _ in field_ids]
