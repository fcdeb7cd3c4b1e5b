"""From a measured run to a profile: energy per unit of work, projected to the full run.

Projection = energy measured so far + energy per unit x units still planned. The energy per
unit comes from the steady part of the run (between the first and the last progress event,
so start-up is counted once, not per unit); its spread comes from the per-interval figures.
carbontracker does the same with the first epoch(s); Zeus measures windows the same way.
"""
from __future__ import annotations

import bisect
import math
from typing import Any

from greenlint.profile.runner import Event, RunResult

J_PER_KWH = 3.6e6
# Finest first: more events give a better per-unit figure.
UNIT_PREFERENCE = ("step", "fit", "round", "epoch")
UNIT_NAMES = {"fit": "fit", "step": "step", "epoch": "epoch", "round": "boosting round", "second": "second"}


def energy_at(timeline: list[tuple[float, float]], t: float) -> float:
    """Cumulative energy at time t, interpolated linearly on the sampled timeline."""
    if not timeline:
        return 0.0
    times = [p[0] for p in timeline]
    i = bisect.bisect_left(times, t)
    if i <= 0:
        return timeline[0][1]
    if i >= len(timeline):
        return timeline[-1][1]
    (t0, e0), (t1, e1) = timeline[i - 1], timeline[i]
    if t1 <= t0:
        return e1
    return e0 + (e1 - e0) * (t - t0) / (t1 - t0)


def unit_summary(events: list[Event]) -> dict[str, dict[str, Any]]:
    kinds: dict[str, dict[str, Any]] = {}
    for event in events:
        entry = kinds.setdefault(event.kind, {"done": 0, "planned": 0, "plan_known": True, "plans": 0, "info": []})
        entry["done"] += event.done
        if event.has_plan:
            entry["plans"] += 1
            if event.planned is None:
                entry["plan_known"] = False
            else:
                entry["planned"] += event.planned
            if event.info:
                entry["info"].append(event.info)
    return kinds


def choose_unit(kinds: dict[str, dict[str, Any]]) -> str | None:
    for kind in UNIT_PREFERENCE:
        entry = kinds.get(kind)
        if entry and entry["done"] > 0 and entry["plans"] and entry["plan_known"] and entry["planned"] > 0:
            return kind
    for kind in UNIT_PREFERENCE:  # done but no plan: per-unit figure without projection
        entry = kinds.get(kind)
        if entry and entry["done"] > 0:
            return kind
    return None


def per_unit(result: RunResult, kind: str) -> dict[str, Any]:
    """Energy per unit, with the spread of the per-interval figures."""
    points = []  # (t, cumulative done)
    total = 0
    for event in result.events:
        if event.kind == kind and event.done:
            total += event.done
            points.append((event.t, total))
    if not points:
        return {"joules_per_unit": None}
    timeline = result.timeline
    if len(points) >= 2 and points[-1][1] > points[0][1]:
        e_first = energy_at(timeline, points[0][0])
        e_last = energy_at(timeline, points[-1][0])
        mean = (e_last - e_first) / (points[-1][1] - points[0][1])
        basis = "between the first and last completed unit"
    else:
        mean = energy_at(timeline, points[0][0]) / points[0][1]
        basis = "first unit, start-up included"
    figures = []
    for (t0, n0), (t1, n1) in zip(points, points[1:]):
        if n1 > n0:
            figures.append((energy_at(timeline, t1) - energy_at(timeline, t0)) / (n1 - n0))
    spread: dict[str, Any] = {"intervals": len(figures)}
    stderr = None
    if len(figures) >= 2:
        avg = sum(figures) / len(figures)
        stdev = math.sqrt(sum((f - avg) ** 2 for f in figures) / (len(figures) - 1))
        spread.update(min=min(figures), max=max(figures), stdev=stdev)
        stderr = stdev / math.sqrt(len(figures))
    return {"joules_per_unit": mean, "spread": spread, "basis": basis, "stderr": stderr}


def _region_figures(region_spec: str | None, carbon_overrides: dict | None) -> dict[str, Any]:
    if not region_spec:
        return {"region": None, "note": "no region set (--region provider:region): gCO2e not computed; greenlint never guesses a region"}
    try:
        from greenlint import carbon
    except ImportError:
        return {"region": region_spec, "note": "carbon data unavailable"}
    region = carbon.lookup(region_spec, carbon_overrides) if carbon_overrides else carbon.lookup(region_spec)
    if region is None:
        return {"region": region_spec, "note": f"unknown region {region_spec!r}: gCO2e not computed"}
    out: dict[str, Any] = {
        "region": f"{region.provider}:{region.region}",
        "intensity": region.gco2e_per_kwh,
        "intensity_source": f"{region.source}, {region.year}",
        "location": region.location,
    }
    try:
        cleaner = carbon.cleaner_alternative(region, overrides=carbon_overrides) if carbon_overrides else carbon.cleaner_alternative(region)
    except TypeError:
        cleaner = carbon.cleaner_alternative(region)
    if cleaner is not None:
        out["cleaner"] = {
            "region": f"{cleaner.provider}:{cleaner.region}",
            "intensity": cleaner.gco2e_per_kwh,
            "location": cleaner.location,
        }
    return out


def _kwh(joules: float | None) -> float | None:
    return None if joules is None else joules / J_PER_KWH


def build_profile(
    result: RunResult,
    region: str | None = None,
    carbon_overrides: dict | None = None,
    energy_budget_kwh: float | None = None,
    alternative_n_iter: int | None = None,
) -> dict[str, Any]:
    warnings = list(result.warnings)
    notes = list(result.notes)
    if result.gpu.get("devices") and result.gpu.get("joules") is None:
        warnings.append("GPU energy could not be measured: the totals below leave the GPU out")
    total_j = (result.gpu.get("joules") or 0.0) + (result.cpu.get("joules") or 0.0)
    idle_w = None
    if result.idle.get("gpu_watts") is not None or result.idle.get("cpu_watts") is not None:
        idle_w = (result.idle.get("gpu_watts") or 0.0) + (result.idle.get("cpu_watts") or 0.0)
    above_idle = None if idle_w is None else max(total_j - idle_w * result.wall_s, 0.0)

    kinds = unit_summary(result.events)
    kind = choose_unit(kinds)
    if kind is not None:
        units, projected_j, projection_basis, kwh_range = _loop_projection(result, kinds, kind, total_j)
    else:
        units, projected_j, projection_basis, kwh_range = _time_projection(result, total_j)

    carbon_info = _region_figures(region, carbon_overrides)
    projection = _projection(projected_j, kwh_range, projection_basis, carbon_info)
    if above_idle is not None and projected_j is not None and total_j > 0:
        projection["kwh_above_idle"] = _kwh(projected_j * above_idle / total_j)

    profile: dict[str, Any] = {
        "script": result.script,
        "args": result.argv,
        "exit_status": result.exit_status,
        "status": result.status,
        "stop_reason": result.stop_reason,
        "wall_s": result.wall_s,
        "joules": total_j,
        "wh": total_j / 3600.0,
        "average_watts": total_j / result.wall_s if result.wall_s > 0 else None,
        "gpu": result.gpu,
        "cpu": result.cpu,
        "idle_watts": idle_w,
        "idle": result.idle,
        "above_idle_joules": above_idle,
        "units": units,
        "projection": projection,
        "warnings": warnings,
        "notes": notes,
    }
    alternative = _alternative(kinds, units, total_j, carbon_info.get("intensity"), carbon_info.get("cleaner"),
                               alternative_n_iter, result)
    if alternative is not None:
        profile["alternative"] = alternative
    if energy_budget_kwh is not None:
        kwh = projection["kwh"]
        profile["energy_budget_kwh"] = energy_budget_kwh
        profile["budget_exceeded"] = kwh is not None and kwh > energy_budget_kwh
    return profile


_MEASURED_WHOLE_RUN = "the run ended on its own: the whole run was measured"


def _loop_projection(result: RunResult, kinds: dict[str, dict[str, Any]], kind: str, total_j: float):
    """(units, projected joules, basis, kWh range) from the progress of a training loop's `kind` units."""
    entry = kinds[kind]
    figures = per_unit(result, kind)
    planned = entry["planned"] if entry["plans"] and entry["plan_known"] else None
    units: dict[str, Any] = {
        "kind": kind,
        "done": entry["done"],
        "planned": planned,
        "joules_per_unit": figures["joules_per_unit"],
        "spread": figures.get("spread"),
        "basis": figures.get("basis"),
    }
    others = {k: {"done": v["done"], "planned": v["planned"] if v["plan_known"] and v["plans"] else None} for k, v in kinds.items() if k != kind}
    if others:
        units["other_units"] = others
    jpu = figures["joules_per_unit"]
    if result.status == "ended":
        return units, total_j, _MEASURED_WHOLE_RUN, None
    if planned is None or jpu is None:
        return units, None, "no planned total reported for this loop: no projection", None
    remaining = max(planned - entry["done"], 0)
    projected_j = total_j + jpu * remaining
    basis = f"measured {total_j:.1f} J + {remaining} remaining {UNIT_NAMES.get(kind, kind)}s x {jpu:.2f} J"
    kwh_range = None
    if figures.get("stderr") is not None:
        margin = 2 * figures["stderr"] * remaining
        kwh_range = [_kwh(max(projected_j - margin, total_j)), _kwh(projected_j + margin)]
    return units, projected_j, basis, kwh_range


def _time_projection(result: RunResult, total_j: float):
    """(units, projected joules, basis, kWh range) when no training loop reported progress: seconds."""
    units = {
        "kind": "second",
        "done": round(result.wall_s, 3),
        "planned": None,
        "joules_per_unit": total_j / result.wall_s if result.wall_s > 0 else None,
    }
    if result.status == "ended":
        return units, total_j, _MEASURED_WHOLE_RUN, None
    basis = (
        "no known training loop was seen, so the full run's length is unknown; "
        "multiply the average power by its expected duration"
    )
    return units, None, basis, None


def _projection(projected_j: float | None, kwh_range: list | None, basis: str, carbon_info: dict[str, Any]) -> dict[str, Any]:
    """The projected energy of the full run and its carbon, here and in the cleaner region."""
    intensity = carbon_info.get("intensity")
    kwh = _kwh(projected_j)
    projection: dict[str, Any] = {
        "kwh": kwh,
        "kwh_range": kwh_range,
        "basis": basis,
        "region": carbon_info.get("region"),
        "gco2e": None if kwh is None or intensity is None else kwh * intensity,
        "gco2e_per_kwh": intensity,
        "cleaner_region": None,
        "cleaner_gco2e": None,
    }
    if intensity is not None:
        projection["carbon_note"] = (
            f"estimate from the annual average grid intensity of {carbon_info.get('location')} "
            f"({intensity:g} gCO2e/kWh; {carbon_info.get('intensity_source')})"
        )
    elif carbon_info.get("note"):
        projection["carbon_note"] = carbon_info["note"]
    cleaner = carbon_info.get("cleaner")
    if cleaner is not None:
        projection["cleaner_region"] = cleaner["region"]
        projection["cleaner_gco2e_per_kwh"] = cleaner["intensity"]
        projection["cleaner_gco2e"] = None if kwh is None else kwh * cleaner["intensity"]
    return projection


# sklearn's RandomizedSearchCV default, used when the static finding gave no n_iter.
DEFAULT_N_ITER = 10


def _alternative(kinds, units, total_j, intensity, cleaner, n_iter, result) -> dict[str, Any] | None:
    """A grid search projected as a random search of n_iter candidates, same per-fit figure."""
    fit = kinds.get("fit")
    if not fit or units.get("kind") != "fit" or units.get("joules_per_unit") is None:
        return None
    grids = [i for i in fit["info"] if i.get("search") == "GridSearchCV"]
    if not grids:
        return None
    candidates = sum(int(i.get("candidates") or 0) for i in grids)
    folds = grids[0].get("folds")
    n = int(n_iter or DEFAULT_N_ITER)
    if not folds or candidates <= n:
        return None
    jpu = units["joules_per_unit"]
    fits = n * int(folds)
    # Start-up (imports, data loading) is paid once either way: measured - fits done x per fit.
    overhead = max(total_j - jpu * units["done"], 0.0)
    joules = overhead + jpu * fits
    kwh = joules / J_PER_KWH
    return {
        "kind": "random-search",
        "description": f"RandomizedSearchCV(n_iter={n}) instead of GridSearchCV over {candidates} candidates",
        "n_iter": n,
        "fits": fits,
        "kwh": kwh,
        "gco2e": None if intensity is None else kwh * intensity,
        "cleaner_gco2e": None if cleaner is None else kwh * cleaner["intensity"],
    }
