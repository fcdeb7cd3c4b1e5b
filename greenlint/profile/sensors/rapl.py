"""CPU (package) and DRAM energy through Linux RAPL powercap files.

Zones are read from GREENLINT_POWERCAP_ROOT (default /sys/class/powercap): `intel-rapl:N`
(a package; the `core`/`uncore` subzones are part of it and not added again) and its
`dram` subzone. Counters wrap at `max_energy_range_uj`; the sampler polls often enough to
see every wrap. Since Linux 5.10 (CVE-2020-8694, "PLATYPUS") `energy_uj` is readable only by
root on most distributions: then this says so instead of silently reporting nothing.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

DEFAULT_ROOT = "/sys/class/powercap"
ROOT_ENV = "GREENLINT_POWERCAP_ROOT"
_ZONE = re.compile(r"^intel-rapl:\d+(:\d+)?$")
# RAPL updates about every millisecond; below this the figure is noise.
MIN_WINDOW_S = 0.01


def powercap_root() -> str:
    return os.environ.get(ROOT_ENV) or DEFAULT_ROOT


@dataclass
class Zone:
    path: str
    name: str  # "package-0", "dram", ...
    max_uj: int
    last_uj: int = 0
    total_uj: int = 0


def _read_int(path: str) -> int:
    with open(path, encoding="ascii") as handle:
        return int(handle.read().strip())


def _read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read().strip()
    except OSError:
        return ""


class RaplMeter:
    def __init__(self, root: str | None = None):
        self.root = root or powercap_root()
        self.zones: list[Zone] = []
        self.notes: list[str] = []
        self.unreadable: list[str] = []
        self.available = False
        self._discover()

    def _candidates(self) -> list[str]:
        found: list[str] = []
        seen: set[str] = set()
        try:
            top = sorted(os.listdir(self.root))
        except OSError:
            return []
        stack = [os.path.join(self.root, n) for n in top if _ZONE.match(n)]
        while stack:
            path = stack.pop(0)
            real = os.path.realpath(path)
            if real in seen:
                continue
            seen.add(real)
            found.append(path)
            try:
                children = sorted(os.listdir(path))
            except OSError:
                continue
            stack.extend(os.path.join(path, n) for n in children if _ZONE.match(n))
        return found

    def _discover(self) -> None:
        paths = self._candidates()
        if not paths:
            self.notes.append(f"no RAPL zones under {self.root}")
            return
        for path in paths:
            name = _read_text(os.path.join(path, "name"))
            # Packages and DRAM; core/uncore are inside the package, psys spans the platform.
            if not (name.startswith("package") or name == "dram"):
                continue
            energy = os.path.join(path, "energy_uj")
            try:
                value = _read_int(energy)
            except PermissionError:
                self.unreadable.append(energy)
                continue
            except (OSError, ValueError):
                continue
            try:
                max_uj = _read_int(os.path.join(path, "max_energy_range_uj"))
            except (OSError, ValueError):
                max_uj = 0
            self.zones.append(Zone(path=path, name=name, max_uj=max_uj, last_uj=value))
        if self.unreadable and not self.zones:
            self.notes.append(
                f"RAPL is present but {self.unreadable[0]} is readable only by root (Linux >= 5.10, "
                "CVE-2020-8694): CPU energy is estimated instead. To measure it, run as root or "
                "grant read access, e.g. `sudo chmod a+r /sys/class/powercap/intel-rapl:*/energy_uj "
                "/sys/class/powercap/intel-rapl:*/intel-rapl:*/energy_uj`"
            )
        elif self.unreadable:
            self.notes.append(f"some RAPL zones are unreadable and not counted: {', '.join(self.unreadable)}")
        self.available = any(z.name.startswith("package") for z in self.zones)
        if self.zones and not self.available:
            self.notes.append("RAPL has no readable package zone")

    def start(self) -> None:
        for zone in self.zones:
            zone.total_uj = 0
            try:
                zone.last_uj = _read_int(os.path.join(zone.path, "energy_uj"))
            except (OSError, ValueError):
                pass

    def sample(self) -> None:
        for zone in self.zones:
            try:
                value = _read_int(os.path.join(zone.path, "energy_uj"))
            except (OSError, ValueError):
                continue
            delta = value - zone.last_uj
            if delta < 0:  # wrapped once since the last poll
                delta += zone.max_uj if zone.max_uj > 0 else 0
                if delta < 0:
                    delta = 0
            zone.total_uj += delta
            zone.last_uj = value

    def cumulative_joules(self) -> float:
        self.sample()
        return sum(z.total_uj for z in self.zones) / 1e6

    def result(self) -> dict[str, Any]:
        domains = {}
        for zone in self.zones:
            key = zone.name
            domains[key] = domains.get(key, 0.0) + zone.total_uj / 1e6
        return {"joules": sum(domains.values()), "method": "rapl", "domains": domains}
