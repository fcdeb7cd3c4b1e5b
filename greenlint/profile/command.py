"""`greenlint profile SCRIPT [-- ARGS]` and `greenlint check --profile`: the glue to the CLI."""
from __future__ import annotations

import argparse
import ast
import json
import sys
from pathlib import Path
from typing import Any

from greenlint.finding import Finding

PROFILED_CODES = ("GL101", "GL201", "GL301")
DEFAULT_IDLE_SECONDS = 2.0


def add_profile_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("script", help="a Python script or a notebook (.ipynb) to run and measure")
    parser.set_defaults(script_args=[])
    parser.usage = "%(prog)s [options] SCRIPT [-- ARGS...]"
    # Everything after the first `--` belongs to the script, options included; argparse alone
    # would either reject them or let them be read as greenlint's own.
    parse_args = parser.parse_args

    def parse_with_script_args(args=None, namespace=None):
        argv = list(sys.argv[1:] if args is None else args)
        rest: list[str] = []
        if "--" in argv:
            cut = argv.index("--")
            argv, rest = argv[:cut], argv[cut + 1 :]
        parsed = parse_args(argv, namespace)
        parsed.script_args = rest
        return parsed

    parser.parse_args = parse_with_script_args  # type: ignore[method-assign]
    parser.add_argument("--seconds", type=float, default=60.0, help="run budget in seconds (default 60); the process group is stopped after it")
    parser.add_argument("--max-units", type=int, default=None, help="stop after this many units of work (fits, epochs, rounds, steps)")
    parser.add_argument("--region", default=None, help="provider:region for gCO2e, e.g. aws:us-east-1 (default: config `region`)")
    parser.add_argument("--energy-budget-kwh", type=float, default=None, help="exit 1 when the projected run exceeds this many kWh")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--output", "-o", default=None, help="write the report to this file")
    parser.add_argument("--idle-seconds", type=float, default=DEFAULT_IDLE_SECONDS, help="idle baseline measured before the run (default 2; 0 skips it)")
    parser.add_argument("--cpu-tdp-watts", type=float, default=None, help="CPU package power for the estimate used without RAPL")
    parser.add_argument("--config", default=None, help="configuration file (default: found from the script's folder)")


def _suggested_iterations(findings: list[Finding] | None = None) -> int | None:
    for finding in findings or []:
        for key, value in (finding.impact or {}).items():
            if "iter" in str(key).lower() and isinstance(value, int) and value > 0:
                return value
    try:
        from greenlint.rules import load_rules

        rule = load_rules().get("GL101")
        option = (getattr(rule, "options", None) or {}).get("suggested-iterations")
        default = option.get("default") if isinstance(option, dict) else getattr(option, "default", None)
        return int(default) if default else None
    except Exception:
        return None


def profile_script(
    script: Path,
    script_args: list[str],
    *,
    seconds: float,
    settings: dict,
    region: str | None,
    energy_budget_kwh: float | None,
    max_units: int | None = None,
    idle_seconds: float = DEFAULT_IDLE_SECONDS,
    cpu_tdp_watts: float | None = None,
    child_stdout: Any = None,
    findings: list[Finding] | None = None,
) -> dict[str, Any]:
    from greenlint.profile.projection import build_profile
    from greenlint.profile.runner import run_script

    result = run_script(
        script,
        script_args,
        seconds=seconds,
        max_units=max_units,
        idle_seconds=idle_seconds,
        cpu_tdp_watts=cpu_tdp_watts if cpu_tdp_watts is not None else settings.get("cpu-tdp-watts"),
        child_stdout=child_stdout,
    )
    return build_profile(
        result,
        region=region,
        carbon_overrides=settings.get("carbon") or None,
        energy_budget_kwh=energy_budget_kwh,
        alternative_n_iter=_suggested_iterations(findings),
    )


def run_profile_command(args: argparse.Namespace, settings: dict) -> int:
    script = Path(args.script)
    if not script.is_file():
        print(f"greenlint profile: error: no such file: {script}", file=sys.stderr)
        return 2
    if args.seconds <= 0:
        print("greenlint profile: error: --seconds must be positive", file=sys.stderr)
        return 2
    region = args.region or settings.get("region")
    budget = args.energy_budget_kwh if args.energy_budget_kwh is not None else settings.get("energy-budget-kwh")
    # JSON on stdout must stay parseable: the program's own output goes to stderr then.
    child_stdout = sys.stderr.fileno() if args.format == "json" and not args.output else None
    findings = _static_findings(script, args, region)
    try:
        profile = profile_script(
            script,
            list(args.script_args),
            seconds=args.seconds,
            settings=settings,
            region=region,
            energy_budget_kwh=budget,
            max_units=args.max_units,
            idle_seconds=args.idle_seconds,
            cpu_tdp_watts=args.cpu_tdp_watts,
            child_stdout=child_stdout,
            findings=findings,
        )
    except Exception as exc:  # greenlint itself failed: exit 2, not a measurement
        print(f"greenlint profile: error: {exc}", file=sys.stderr)
        return 2
    if findings:
        findings = [
            f.with_changes(impact={**f.impact, "measured": measured_summary(0, profile)}) if f.code in PROFILED_CODES else f
            for f in findings
        ]
    text = render_json(findings, [profile]) if args.format == "json" else render_text([profile])
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 1 if profile.get("budget_exceeded") else 0


def _static_findings(script: Path, args: argparse.Namespace, region: str | None) -> list[Finding]:
    """The script's own lint findings (cheap: one file); they name the alternative to project."""
    try:
        from greenlint.config import ConfigResolver, Overrides
        from greenlint.engine import lint_paths

        resolver = ConfigResolver(Overrides(region=region), Path(args.config) if getattr(args, "config", None) else None)
        return list(lint_paths([script], resolver).findings)
    except Exception:  # the measurement does not depend on it
        return []


def render_json(findings: list[Finding], profiles: list[dict]) -> str:
    try:
        from greenlint import __version__
        from greenlint.report import RunInfo, render
        from greenlint.rules import load_rules

        return render("json", findings, RunInfo(version=__version__, rules=load_rules(), extra={"profiles": profiles}))
    except ImportError:
        envelope = {
            "schema_version": 1,
            "findings": [f.to_dict() for f in findings],
            "summary": {"findings": len(findings)},
            "profiles": profiles,
        }
        return json.dumps(envelope, indent=2) + "\n"


# ---- check --profile --------------------------------------------------------------------

def is_entry_point(path: Path) -> bool:
    """A notebook, or a .py file with an `if __name__ == "__main__":` block (read, never run)."""
    if path.suffix == ".ipynb":
        return path.is_file()
    if path.suffix != ".py" or not path.is_file():
        return False
    try:
        tree = ast.parse(path.read_bytes())
    except (SyntaxError, ValueError, OSError):
        return False
    for node in tree.body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Compare):
            test = node.test
            sides = [test.left, *test.comparators]
            names = any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides)
            main = any(isinstance(s, ast.Constant) and s.value == "__main__" for s in sides)
            if names and main and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq):
                return True
    return False


def measured_summary(index: int, profile: dict) -> dict[str, Any]:
    units = profile.get("units") or {}
    projection = profile.get("projection") or {}
    summary = {
        "profile": index,
        "joules": profile.get("joules"),
        "gpu_method": (profile.get("gpu") or {}).get("method"),
        "cpu_method": (profile.get("cpu") or {}).get("method"),
        "unit": units.get("kind"),
        "units_done": units.get("done"),
        "units_planned": units.get("planned"),
        "joules_per_unit": units.get("joules_per_unit"),
        "projected_kwh": projection.get("kwh"),
        "projected_gco2e": projection.get("gco2e"),
        "region": projection.get("region"),
        "status": profile.get("status"),
    }
    alternative = profile.get("alternative")
    if alternative:
        summary["alternative_kwh"] = alternative.get("kwh")
    return summary


def profile_findings(
    findings: list[Finding],
    settings: dict,
    seconds: float,
    region: str | None,
    energy_budget_kwh: float | None,
) -> tuple[list[Finding], list[dict], bool]:
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.code in PROFILED_CODES:
            by_path.setdefault(finding.path, []).append(finding)
    profiles: list[dict] = []
    index_of: dict[str, int] = {}
    over_budget = False
    for path in sorted(by_path):
        script = Path(path)
        if not is_entry_point(script):
            continue
        print(f"greenlint: profiling {path} for up to {seconds:g} s", file=sys.stderr)
        try:
            profile = profile_script(
                script,
                [],
                seconds=seconds,
                settings=settings,
                region=region,
                energy_budget_kwh=energy_budget_kwh,
                child_stdout=sys.stderr.fileno(),  # keep the report on stdout clean
                findings=by_path[path],
            )
        except Exception as exc:
            print(f"greenlint: could not profile {path}: {exc}", file=sys.stderr)
            continue
        index_of[path] = len(profiles)
        profiles.append(profile)
        over_budget = over_budget or bool(profile.get("budget_exceeded"))
    out = []
    for finding in findings:
        if finding.code in PROFILED_CODES and finding.path in index_of:
            index = index_of[finding.path]
            impact = dict(finding.impact or {})
            impact["measured"] = measured_summary(index, profiles[index])
            finding = finding.with_changes(impact=impact)
        out.append(finding)
    return out, profiles, over_budget


# ---- text report ------------------------------------------------------------------------

def _joules(value: float | None) -> str:
    if value is None:
        return "unknown"
    if value >= 1e6:
        return f"{value / 1e6:.3g} MJ"
    if value >= 1e3:
        return f"{value / 1e3:.3g} kJ"
    return f"{value:.3g} J"


def _kwh(value: float | None) -> str:
    return "unknown" if value is None else f"{value:.3g} kWh"


def _grams(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value / 1000:.3g} kgCO2e" if value >= 1000 else f"{value:.3g} gCO2e"


def render_text(profiles: list[dict]) -> str:
    lines: list[str] = []
    for profile in profiles:
        lines.append(_head_line(profile))
        lines.extend(_energy_lines(profile))
        unit_line = _unit_line(profile["units"])
        if unit_line is not None:
            lines.append(unit_line)
        lines.extend(_projection_lines(profile))
        lines.extend(_notes(profile))
    return "\n".join(lines) + "\n"


def _head_line(profile: dict) -> str:
    head = f"{profile['script']}: {profile['status']}"
    if profile.get("exit_status") is not None:
        head += f" (exit status {profile['exit_status']})"
    if profile.get("stop_reason"):
        head += f", stopped: {profile['stop_reason']}"
    return f"greenlint profile  {head}, {profile['wall_s']:.1f} s"


def _energy_lines(profile: dict) -> list[str]:
    """GPU, CPU, total and idle figures."""
    lines: list[str] = []
    gpu = profile["gpu"]
    devices = ", ".join(f"{d.get('name')} [{d.get('method')}]" for d in gpu.get("devices", []))
    if gpu.get("devices"):
        lines.append(f"  GPU       {_joules(gpu.get('joules')):>10}  {gpu.get('method')}  ({devices})")
    else:
        lines.append("  GPU       not measured: no NVIDIA GPU visible to the program")
    cpu = profile["cpu"]
    cpu_how = cpu.get("method")
    if cpu_how == "estimate":
        cpu_how += f": {cpu.get('cpu_seconds', 0):.1f} CPU s x {cpu['tdp_watts'] / cpu['logical_cpus']:.3g} W per logical CPU ({cpu.get('tdp_source')})"
    lines.append(f"  CPU       {_joules(cpu.get('joules')):>10}  {cpu_how}")
    avg = profile.get("average_watts")
    # A total that includes the CPU estimate is an estimate too (the JSON's cpu.method says so).
    total = "estimated" if cpu.get("method") == "estimate" else "measured "
    lines.append(
        f"  {total} {_joules(profile['joules']):>10}  = {profile['wh']:.3g} Wh, average {avg:.3g} W" if avg is not None
        else f"  {total} {_joules(profile['joules']):>10}"
    )
    idle = profile.get("idle") or {}
    if idle.get("gpu_watts") is not None or (idle.get("cpu_watts") or 0) > 0:
        lines.append(f"  idle      {profile['idle_watts']:.3g} W before the run; above idle: {_joules(profile.get('above_idle_joules'))}")
    elif profile.get("idle_watts") is not None:
        lines.append("  idle      0 W: the CPU estimate counts only the program's own CPU time")
    return lines


def _unit_line(units: dict) -> str | None:
    """Energy per unit of work (step, epoch, fit...), with the count and the spread; None if unknown."""
    if units.get("joules_per_unit") is None:
        return None
    name = units["kind"]
    planned = units.get("planned")
    done = units.get("done")
    count = f"{done:g}" if isinstance(done, float) else str(done)
    if planned is not None:
        count += f" of {planned}"
    line = f"  per {name:<6} {_joules(units['joules_per_unit']):>10}  ({count} {name}s"
    spread = units.get("spread") or {}
    if "min" in spread:
        line += f"; spread {_joules(spread['min'])} to {_joules(spread['max'])}, sd {_joules(spread['stdev'])}"
    return line + ")"


def _projection_lines(profile: dict) -> list[str]:
    """The projected full run, its carbon, the alternative and the budget."""
    lines: list[str] = []
    projection = profile["projection"]
    if projection.get("kwh") is not None:
        line = f"  projected full run: {_kwh(projection['kwh'])}"
        if projection.get("kwh_range"):
            low, high = projection["kwh_range"]
            line += f" (about {low:.3g} to {high:.3g})"
        if projection.get("gco2e") is not None:
            line += f", {_grams(projection['gco2e'])} in {projection['region']}"
        lines.append(line)
        if projection.get("cleaner_region"):
            lines.append(f"    in {projection['cleaner_region']}: {_grams(projection.get('cleaner_gco2e'))}")
    if projection.get("basis"):
        lines.append(f"    ({projection['basis']})")
    if projection.get("carbon_note"):
        lines.append(f"    {projection['carbon_note']}")
    alternative = profile.get("alternative")
    if alternative:
        line = f"  alternative: {alternative['description']}: {_kwh(alternative['kwh'])} ({alternative['fits']} fits)"
        if alternative.get("gco2e") is not None:
            line += f", {_grams(alternative['gco2e'])}"
        lines.append(line)
    if profile.get("budget_exceeded"):
        lines.append(f"  OVER BUDGET: projected {_kwh(projection.get('kwh'))} > energy budget {profile['energy_budget_kwh']:g} kWh")
    return lines


def _notes(profile: dict) -> list[str]:
    gpu, cpu = profile["gpu"], profile["cpu"]
    lines = [f"  warning: {warning}" for warning in profile.get("warnings", [])]
    for note in [*gpu.get("notes", []), *cpu.get("notes", []), *profile.get("notes", [])]:
        lines.append(f"  note: {note}")
    for device in gpu.get("devices", []):
        for note in device.get("notes", []):
            lines.append(f"  note: GPU {device.get('index')}: {note}")
    return lines
