"""GPU energy through NVML (pynvml), for the GPUs the profiled child may use.

Method per device, best first:
  counter            nvmlDeviceGetTotalEnergyConsumption (mJ since driver load; Volta and newer)
                     read at the window edges.
  power-integration  instantaneous power (NVML_FI_DEV_POWER_INSTANT where the driver has it;
                     nvmlDeviceGetPowerUsage is a ~1 s moving average on recent GPUs), polled by
                     the sampler thread every <= 100 ms and integrated (trapezoids).
  none               neither is available: joules is None, never 0.
Both are kept when both work, so that a GPU check can compare them.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

# NVML updates its power and energy readings every ~20-100 ms, and the average power field
# spans about one second: a GPU window shorter than this is reported with a warning.
MIN_WINDOW_S = 1.0


class NvmlUnavailable(Exception):
    pass


def _load():
    import warnings

    try:
        with warnings.catch_warnings():
            # The `pynvml` wrapper package warns that it is deprecated in favour of
            # nvidia-ml-py, which provides the same `pynvml` module.
            warnings.simplefilter("ignore", FutureWarning)
            import pynvml  # optional: pip install greenlint[profile]
    except ImportError as exc:
        raise NvmlUnavailable("pynvml is not installed (pip install 'greenlint[profile]')") from exc
    try:
        pynvml.nvmlInit()
    except Exception as exc:  # NVMLError_LibraryNotFound, DriverNotLoaded, ...
        raise NvmlUnavailable(f"NVML could not start: {_error_text(exc)}") from exc
    return pynvml


def _error_text(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text


def _is_not_supported(pynvml: Any, exc: BaseException) -> bool:
    cls = getattr(pynvml, "NVMLError_NotSupported", None)
    if cls is not None and isinstance(exc, cls):
        return True
    return getattr(exc, "value", None) == getattr(pynvml, "NVML_ERROR_NOT_SUPPORTED", 3)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def parse_visible_devices(value: str | None) -> list[str] | None:
    """CUDA_VISIBLE_DEVICES as CUDA reads it: None = all devices; parsing stops at the first
    invalid entry, and an entry such as -1 hides everything after it."""
    if value is None:
        return None
    entries: list[str] = []
    for raw in value.split(","):
        item = raw.strip()
        if not item:
            break
        if item.isdigit() or item.upper().startswith(("GPU-", "MIG-")):
            entries.append(item)
            continue
        break  # "-1", "none", garbage: CUDA ignores this and what follows
    return entries


@dataclass
class Device:
    handle: Any
    index: int
    uuid: str
    name: str
    mig: bool = False
    notes: list[str] = field(default_factory=list)
    counter_supported: bool = False
    power_source: str | None = None  # "instant" | "average" | None
    start_mj: float | None = None
    end_mj: float | None = None
    # Power integration state.
    last_t: float | None = None
    last_w: float | None = None
    integrated_j: float = 0.0
    samples: int = 0
    failures: int = 0


class GpuMeter:
    """Measures the GPUs visible to a child with the given environment."""

    def __init__(self, env: dict[str, str] | None = None):
        self.env = dict(os.environ if env is None else env)
        self.devices: list[Device] = []
        self.notes: list[str] = []
        self.available = False
        self._pynvml = None
        self.t_start: float | None = None
        self.t_end: float | None = None
        try:
            self._pynvml = _load()
        except NvmlUnavailable as exc:
            self.notes.append(str(exc))
            return
        try:
            self._select()
        except Exception as exc:
            self.notes.append(f"NVML device discovery failed: {_error_text(exc)}")
            self.devices = []
        self.available = bool(self.devices)

    # ---- discovery -------------------------------------------------------------------
    def _select(self) -> None:
        nv = self._pynvml
        count = int(nv.nvmlDeviceGetCount())
        all_devices = []
        for index in range(count):
            handle = nv.nvmlDeviceGetHandleByIndex(index)
            uuid = _text(nv.nvmlDeviceGetUUID(handle))
            try:
                name = _text(nv.nvmlDeviceGetName(handle))
            except Exception:
                name = "?"
            all_devices.append(Device(handle=handle, index=index, uuid=uuid, name=name))
        if not all_devices:
            self.notes.append("NVML sees no GPU")
            return
        visible = parse_visible_devices(self.env.get("CUDA_VISIBLE_DEVICES"))
        if visible is None:
            chosen = all_devices
        else:
            chosen = self._match(all_devices, visible)
            if not chosen:
                self.notes.append(
                    f"CUDA_VISIBLE_DEVICES={self.env.get('CUDA_VISIBLE_DEVICES')!r} leaves the program no GPU"
                )
        seen: set[str] = set()
        for device in chosen:
            if device.uuid in seen:
                continue
            seen.add(device.uuid)
            self._probe(device)
            self.devices.append(device)

    def _match(self, all_devices: list[Device], visible: list[str]) -> list[Device]:
        nv = self._pynvml
        by_uuid = {d.uuid.upper(): d for d in all_devices}
        cuda_order = self._cuda_order(all_devices)
        chosen: list[Device] = []
        for item in visible:
            if item.isdigit():
                ordinal = int(item)
                if ordinal < len(cuda_order):
                    chosen.append(cuda_order[ordinal])
                else:
                    break  # CUDA stops at an invalid ordinal too
                continue
            upper = item.upper()
            if upper.startswith("MIG-"):
                device = self._mig_parent(item, by_uuid)
                if device is None:
                    self.notes.append(f"MIG instance {item} not found by NVML")
                    continue
                device.mig = True
                note = (
                    f"{item} is a MIG instance: MIG instances have no energy counter of their own; "
                    f"the figure is the whole GPU {device.uuid}, shared with its other instances"
                )
                if note not in device.notes:
                    device.notes.append(note)
                chosen.append(device)
                continue
            # CUDA accepts any unique prefix of a GPU UUID.
            matches = [d for key, d in by_uuid.items() if key.startswith(upper)]
            if len(matches) == 1:
                chosen.append(matches[0])
            else:
                self.notes.append(f"CUDA_VISIBLE_DEVICES entry {item} matches {len(matches)} GPUs")
                break
        del nv
        return chosen

    def _cuda_order(self, all_devices: list[Device]) -> list[Device]:
        # CUDA numbers devices fastest first unless CUDA_DEVICE_ORDER=PCI_BUS_ID; NVML
        # numbers them by PCI bus. On identical GPUs both orders agree (CUDA breaks ties by
        # PCI bus); on mixed GPUs, order by compute capability as CUDA does, and say so.
        if self.env.get("CUDA_DEVICE_ORDER", "FASTEST_FIRST") == "PCI_BUS_ID":
            return list(all_devices)
        names = {d.name for d in all_devices}
        if len(names) <= 1:
            return list(all_devices)
        nv = self._pynvml

        def speed(device: Device) -> tuple:
            try:
                major, minor = nv.nvmlDeviceGetCudaComputeCapability(device.handle)
            except Exception:
                major, minor = 0, 0
            return (-int(major), -int(minor), device.index)

        self.notes.append(
            "mixed GPU models and CUDA_VISIBLE_DEVICES given as ordinals: CUDA's fastest-first order "
            "was approximated by compute capability; set CUDA_DEVICE_ORDER=PCI_BUS_ID or use GPU UUIDs to be exact"
        )
        return sorted(all_devices, key=speed)

    def _mig_parent(self, mig_uuid: str, by_uuid: dict[str, Device]) -> Device | None:
        nv = self._pynvml
        try:
            handle = nv.nvmlDeviceGetHandleByUUID(mig_uuid)
            parent = nv.nvmlDeviceGetDeviceHandleFromMigDeviceHandle(handle)
            return by_uuid.get(_text(nv.nvmlDeviceGetUUID(parent)).upper())
        except Exception:
            return None

    def _probe(self, device: Device) -> None:
        nv = self._pynvml
        try:
            current, _pending = nv.nvmlDeviceGetMigMode(device.handle)
            if current:
                device.mig = True
                device.notes.append(
                    "MIG mode is on: MIG instances have no energy counter of their own; the figure is the "
                    "whole GPU, including work of other instances"
                )
        except Exception:
            pass
        try:
            nv.nvmlDeviceGetTotalEnergyConsumption(device.handle)
            device.counter_supported = True
        except Exception as exc:
            why = "not supported on this GPU" if _is_not_supported(nv, exc) else _error_text(exc)
            device.notes.append(f"energy counter unavailable ({why}); integrating power instead")
        if self._read_instant(device) is not None:
            device.power_source = "instant"
        else:
            try:
                nv.nvmlDeviceGetPowerUsage(device.handle)
                device.power_source = "average"
            except Exception as exc:
                why = "not supported" if _is_not_supported(nv, exc) else _error_text(exc)
                device.notes.append(f"power reading unavailable ({why})")
        if not device.counter_supported and device.power_source is None:
            device.notes.append("no energy counter and no power reading: this GPU's energy is unknown")

    def _read_instant(self, device: Device) -> float | None:
        nv = self._pynvml
        field_id = getattr(nv, "NVML_FI_DEV_POWER_INSTANT", None)
        getter = getattr(nv, "nvmlDeviceGetFieldValues", None)
        if field_id is None or getter is None:
            return None
        try:
            value = getter(device.handle, [field_id])[0]
            if getattr(value, "nvmlReturn", 0) != 0:
                return None
            raw = value.value
            vtype = getattr(value, "valueType", 1)
            # NVML value types: 0 double, 1 uint, 2 ulong, 3 ulonglong, 4 slonglong, 5 sint
            number = {0: "dVal", 1: "uiVal", 2: "ulVal", 3: "ullVal", 4: "sllVal", 5: "siVal"}.get(vtype, "uiVal")
            milliwatts = float(getattr(raw, number))
        except Exception:
            return None
        return milliwatts / 1000.0 if milliwatts > 0 else None

    # ---- reading ---------------------------------------------------------------------
    def power_watts(self, device: Device) -> float | None:
        if device.power_source == "instant":
            watts = self._read_instant(device)
            if watts is not None:
                return watts
        if device.power_source is not None:
            try:
                return float(self._pynvml.nvmlDeviceGetPowerUsage(device.handle)) / 1000.0
            except Exception:
                return None
        return None

    def counter_mj(self, device: Device) -> float | None:
        if not device.counter_supported:
            return None
        try:
            return float(self._pynvml.nvmlDeviceGetTotalEnergyConsumption(device.handle))
        except Exception:
            return None

    def start(self, now: float) -> None:
        self.t_start = now
        for device in self.devices:
            device.start_mj = self.counter_mj(device)
            device.last_t = None
            device.integrated_j = 0.0
            device.samples = 0
        self.sample(now)

    def sample(self, now: float) -> None:
        """One poll of the power readings (sampler thread)."""
        for device in self.devices:
            watts = self.power_watts(device)
            if watts is None:
                device.failures += 1
                continue
            if device.last_t is not None and device.last_w is not None:
                device.integrated_j += (now - device.last_t) * (watts + device.last_w) / 2.0
            device.last_t, device.last_w = now, watts
            device.samples += 1

    def cumulative_joules(self, now: float) -> float | None:
        """Energy of the selected GPUs since start(), for the timeline (None if unknown)."""
        total = 0.0
        for device in self.devices:
            if device.counter_supported and device.start_mj is not None:
                current = self.counter_mj(device)
                if current is None:
                    return None
                total += (current - device.start_mj) / 1000.0
            elif device.power_source is not None:
                total += device.integrated_j
            else:
                return None
        return total if self.devices else None

    def stop(self, now: float) -> None:
        self.sample(now)
        self.t_end = now
        for device in self.devices:
            device.end_mj = self.counter_mj(device)

    def result(self) -> dict[str, Any]:
        window = (self.t_end or 0.0) - (self.t_start or 0.0)
        devices = []
        total: float | None = 0.0 if self.devices else None
        methods = set()
        warnings: list[str] = []
        for device in self.devices:
            entry: dict[str, Any] = {"index": device.index, "uuid": device.uuid, "name": device.name}
            counter_j = None
            if device.counter_supported and device.start_mj is not None and device.end_mj is not None:
                counter_j = (device.end_mj - device.start_mj) / 1000.0
            integrated_j = device.integrated_j if device.power_source and device.samples >= 2 else None
            if counter_j is not None:
                joules, method = counter_j, "counter"
            elif integrated_j is not None:
                joules, method = integrated_j, "power-integration"
            else:
                joules, method = None, "none"
            entry.update(
                joules=joules,
                method=method,
                counter_joules=counter_j,
                integrated_joules=integrated_j,
                power_field=device.power_source,
                power_samples=device.samples,
            )
            if device.mig:
                entry["mig"] = True
            if device.notes:
                entry["notes"] = list(device.notes)
            devices.append(entry)
            methods.add(method)
            if joules is None:
                total = None  # one unknown GPU makes the sum unknown, not smaller
            elif total is not None:
                total += joules
        if self.devices and window < MIN_WINDOW_S:
            warnings.append(
                f"the GPU window ({window:.2f} s) is shorter than NVML's update period (~1 s): "
                "the GPU figure is not precise"
            )
        # One method for the sum: the weakest that contributed (each device states its own).
        if total is None:
            method = "none"
        elif "power-integration" in methods:
            method = "power-integration"
        else:
            method = "counter"
        return {
            "joules": total,
            "method": method,
            "devices": devices,
            "notes": list(self.notes),
            "warnings": warnings,
        }

    def close(self) -> None:
        if self._pynvml is not None:
            try:
                self._pynvml.nvmlShutdown()
            except Exception:
                pass
            self._pynvml = None
