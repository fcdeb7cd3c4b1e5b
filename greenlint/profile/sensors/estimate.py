"""CPU energy estimated from the CPU time of the profiled processes and a TDP figure.

joules = CPU seconds x (TDP / logical CPUs): each busy logical CPU is charged its share of
the package's thermal design power. This is how carbontracker and CodeCarbon estimate CPU
power without RAPL; it ignores idle power (so "above idle" equals the total) and is always
labelled `estimate`.
"""
from __future__ import annotations

import os
from typing import Any

# Without a configured TDP, each busy logical CPU is charged 4 W: CodeCarbon's fallback for
# a CPU model missing from its TDP table is "threads x 4 W" (codecarbon/core/cpu.py,
# DEFAULT_POWER_PER_CORE = 4). Set `cpu-tdp-watts` for a better figure.
DEFAULT_WATTS_PER_CPU = 4.0


def _clock_ticks() -> float:
    try:
        return float(os.sysconf("SC_CLK_TCK"))
    except (AttributeError, ValueError, OSError):
        return 100.0


class ProcessGroupCpu:
    """CPU seconds of all processes of a process group, sampled from /proc (Linux).

    Workers started by the child (and not yet reaped by it) are counted while they live; the
    child's own rusage at exit covers the descendants it did reap.
    """

    def __init__(self, pgid: int):
        self.pgid = pgid
        self.seen: dict[int, float] = {}
        self._ticks = _clock_ticks()
        self.available = os.path.isdir("/proc/self")

    def sample(self, full: bool = True) -> float:
        """Update the CPU seconds; `full` scans /proc for new processes, else only re-reads
        the known ones (cheap enough for every sampler tick)."""
        if not self.available:
            return 0.0
        if full:
            try:
                pids = [int(n) for n in os.listdir("/proc") if n.isdigit()]
            except OSError:
                pids = list(self.seen)
        else:
            pids = list(self.seen) or [self.pgid]
        for pid in pids:
            try:
                with open(f"/proc/{pid}/stat", "rb") as handle:
                    data = handle.read().decode(errors="replace")
            except OSError:
                continue
            # The command name may contain spaces and parentheses: split after the last ')'.
            fields = data[data.rfind(")") + 2 :].split()
            try:
                if int(fields[2]) != self.pgid:
                    continue
                seconds = (int(fields[11]) + int(fields[12])) / self._ticks
            except (IndexError, ValueError):
                continue
            if seconds > self.seen.get(pid, 0.0):
                self.seen[pid] = seconds
        return self.total()

    def total(self) -> float:
        return sum(self.seen.values())


class CpuEstimate:
    def __init__(self, tdp_watts: float | None = None, logical_cpus: int | None = None):
        self.logical_cpus = logical_cpus or os.cpu_count() or 1
        if tdp_watts:
            self.tdp_watts = float(tdp_watts)
            self.tdp_source = f"cpu-tdp-watts {self.tdp_watts:g} W over {self.logical_cpus} logical CPUs"
        else:
            self.tdp_watts = DEFAULT_WATTS_PER_CPU * self.logical_cpus
            self.tdp_source = "CodeCarbon's fallback figure; set cpu-tdp-watts for yours"

    @property
    def watts_per_cpu_second(self) -> float:
        return self.tdp_watts / self.logical_cpus

    def joules(self, cpu_seconds: float) -> float:
        return cpu_seconds * self.watts_per_cpu_second

    def result(self, cpu_seconds: float) -> dict[str, Any]:
        return {
            "joules": self.joules(cpu_seconds),
            "method": "estimate",
            "cpu_seconds": cpu_seconds,
            "tdp_watts": self.tdp_watts,
            "tdp_source": self.tdp_source,
            "logical_cpus": self.logical_cpus,
        }
