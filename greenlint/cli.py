"""Command line: arguments in, exit code out. The work happens in engine, config and report."""
from __future__ import annotations

import os
import sys

from . import __version__
from .arguments import UsageError, parse_check, parser
from .paths import absolute, exists, is_dir, is_symlink, parent, pure

# Paths are strings (`paths`): pathlib is a sixth of a one-file run, the pre-commit case. Commands
# off that path (baseline, profile) hand pathlib.Path to the modules that want one.


def _split_list(values: list[str] | None) -> list[str]:
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    if debug:
        os.environ["GREENLINT_DEBUG"] = "1"
    try:
        return _dispatch(argv)
    except KeyboardInterrupt:
        print("greenlint: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (`| head`): nothing left to say to it
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except UsageError as exc:
        print(f"greenlint: error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        from .config import ConfigError
        from .rules import RuleError

        if debug:
            raise
        from .baseline import BaselineError

        if isinstance(exc, (ConfigError, RuleError, BaselineError)):
            print(f"greenlint: error: {exc}", file=sys.stderr)
        else:
            print(f"greenlint: internal error: {type(exc).__name__}: {exc} (run with --debug for a traceback)", file=sys.stderr)
        return 2


def _dispatch(argv: list[str]) -> int:
    if argv and argv[0] == "rules":
        p = parser("greenlint rules", description="List all rules.")
        p.add_argument("--format", choices=("text", "json"), default="text")
        return _list_rules(p.parse_args(argv[1:]).format)
    if argv and argv[0] == "rule":
        p = parser("greenlint rule", description="Show a rule's documentation.")
        p.add_argument("code")
        return _show_rule(p.parse_args(argv[1:]).code)
    if argv and argv[0] == "server":  # the language server (greenlint[lsp])
        from .server import main as serve

        return serve(argv[1:])
    if argv and argv[0] == "profile":
        from .profile.command import add_profile_arguments, run_profile_command

        p = parser("greenlint profile", description="Run a script briefly and measure its energy.")
        add_profile_arguments(p)
        args = p.parse_args(argv[1:])
        return run_profile_command(args, _profile_settings(args.script, args))
    if argv and argv[0] == "check":
        argv = argv[1:]
    return _check(parse_check(argv, __version__))


def _profile_settings(target: str, args, resolver=None) -> dict:
    from .config import ConfigResolver, Overrides, check_region

    region = getattr(args, "region", None)
    if region:
        check_region(region, "--region")
    resolver = resolver or ConfigResolver(Overrides(region=region), getattr(args, "config", None) or None)
    settings = resolver.for_path(absolute(target))
    return {
        "region": settings.region,
        "energy-budget-kwh": settings.energy_budget_kwh,
        "cpu-tdp-watts": settings.cpu_tdp_watts,
        "carbon": settings.carbon,
    }


def _list_rules(fmt: str) -> int:
    from .rules import load_rules

    rules = load_rules()
    if fmt == "json":
        import json

        print(json.dumps([
            {"code": r.code, "name": r.name, "family": r.family, "severity": str(r.severity),
             "enabled": r.enabled_by_default, "kinds": list(r.kinds), "summary": r.summary,
             "options": {o.name: o.default for o in r.options.values()}}
            for r in rules.values()
        ], indent=2))
        return 0
    import shutil

    width = max(len(r.name) for r in rules.values())
    # Only a terminal has a width to fit; a pipe or a file gets whole descriptions.
    terminal = sys.stdout.isatty()
    room = max(20, shutil.get_terminal_size((120, 24)).columns - width - 18) if terminal else 10**6
    for r in rules.values():
        flag = " " if r.enabled_by_default else "*"
        summary = r.summary.split(". ")[0].rstrip(".")
        summary = summary if len(summary) <= room else summary[: room - 1].rstrip() + "…"
        print(f"{r.code}{flag} {r.name:<{width}}  {str(r.severity):<7}  {summary}")
    print("\n* off by default: enable with --extend-select CODE")
    return 0


def _show_rule(code: str) -> int:
    from .config import rule_for

    print(rule_for(code, "rule").markdown(), end="")
    return 0


def _check(args) -> int:
    from .engine import lint_paths

    resolver = _resolver(args)
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    _check_modes(args)
    raw_paths = args.paths or ["."]
    paths, stdin = _input_paths(args, raw_paths)

    if args.show_settings:
        import json

        target = paths[0] if paths else pure(args.stdin_filename or ".")
        print(json.dumps(resolver.for_path(absolute(target)).show(), indent=2, default=str))
        return 0

    cache_folder = _cache_folder(args, resolver)
    result = lint_paths(paths, resolver, jobs=args.jobs, cache_folder=cache_folder,
                        force_exclude=args.force_exclude, stdin=stdin)
    if cache_folder is not None and resolver.memo is not None:
        resolver.memo.save(cache_folder)  # the configuration tables this run parsed
    if result.files_checked == 0:
        print("greenlint: warning: no files to check in " + ", ".join(raw_paths), file=sys.stderr)

    findings, extra, over_budget = result.findings, {}, False
    if args.write_baseline:
        return _write_baseline(args.write_baseline, findings)
    findings, baseline = _filter_baseline(args, findings, paths)
    if args.add_noqa:
        return _add_noqa(findings)
    if args.fix or args.diff:
        findings, diff_shown = _apply_fixes(args, findings)
        if args.diff:
            return 1 if diff_shown else 0
    if args.profile:
        findings, extra["profiles"], over_budget = _profile_findings(args, findings, paths, resolver)

    _emit(args, findings, result.files_checked, extra, baseline)

    # Each file's own configuration decides which of its findings fail the run.
    failing = [f for f in findings if f.severity >= _fail_on_for(f, resolver)]
    if over_budget:
        return 1
    return 0 if args.exit_zero or not failing else 1


def _cache_folder(args, resolver) -> str | None:
    """The cache folder, prepared for use; None with --no-cache."""
    from .cache import prepare_cache

    if args.no_cache:
        return None
    return prepare_cache(_cache_root(args, resolver.for_path(os.getcwd()).cache_dir))


def _cache_root(args, configured: str | None = None) -> str:
    """The cache folder the flag, the environment, the configuration (once read) or the default names."""
    return pure(args.cache_dir or os.environ.get("GREENLINT_CACHE_DIR") or configured or ".greenlint_cache")


def _write_baseline(target: str, findings: list) -> int:
    from pathlib import Path

    from .baseline import write_baseline

    count = write_baseline(Path(target), findings)
    print(f"greenlint: wrote {count} finding(s) to the baseline {target}", file=sys.stderr)
    return 0


def _resolver(args):
    """The configuration resolver of a check run, after the rule selectors and region are validated."""
    from .config import ConfigResolver, Overrides, check_region, check_selector

    select = _split_list(args.select) if args.select else None
    extend, ignore = _split_list(args.extend_select), _split_list(args.ignore)
    for flag, values in (("--select", select or []), ("--extend-select", extend), ("--ignore", ignore)):
        for value in values:
            check_selector(value, flag)
    if args.region:
        check_region(args.region, "--region")
    overrides = Overrides(select=select, extend_select=extend, ignore=ignore, fail_on=args.fail_on, region=args.region)
    return ConfigResolver(overrides, args.config or None, _config_memo(args))


def _config_memo(args):
    """Configuration tables parsed by earlier runs, looked up in the cache folder that the flag,
    the environment or the default names, if it exists: the configuration, not read yet, may put
    the cache elsewhere."""
    if args.no_cache:
        return None
    from .cache import ConfigMemo

    root = _cache_root(args)
    return ConfigMemo(root if is_dir(root) else None)


def _input_paths(args, raw_paths: list[str]) -> tuple[list[str], tuple[str, bytes] | None]:
    """The paths to check, and the (file name, bytes) read from stdin when `-` is one of them."""
    stdin = None
    paths: list[str] = []
    for raw in raw_paths:
        if raw == "-":
            stdin = (args.stdin_filename or "-", sys.stdin.buffer.read())
            continue
        path = pure(raw)
        if not exists(path) and not is_symlink(path):
            raise UsageError(f"no such file or folder: {raw}")
        paths.append(path)
    return paths, stdin


def _filter_baseline(args, findings: list, paths: list[str]) -> tuple[list, dict | None]:
    """The findings not in the --baseline file, and what the report says about it (None without one)."""
    if not args.baseline:
        return findings, None
    from pathlib import Path

    from .baseline import filter_baseline

    kept = filter_baseline(Path(args.baseline), findings, [Path(p) for p in paths] or [Path.cwd()])
    return kept.findings, {"file": args.baseline, "matched": kept.matched, "stale": kept.stale}


def _profile_findings(args, findings: list, paths: list[str], resolver) -> tuple[list, list, bool]:
    """--profile: the findings with measured energy, the profiles, and whether the budget is exceeded."""
    from .profile.command import profile_findings

    settings = _profile_settings(paths[0] if paths else ".", args, resolver)
    budget = args.energy_budget_kwh if args.energy_budget_kwh is not None else settings["energy-budget-kwh"]
    return profile_findings(findings, settings, args.seconds, settings["region"], budget)


def _apply_fixes(args, findings: list) -> tuple[list, bool]:
    from .fix import apply_fixes, fixable

    outcome = apply_fixes(findings, "unsafe" if args.unsafe_fixes else "safe", write=not args.diff)
    for path, why in outcome.failed:
        print(f"greenlint: {path}: {why}", file=sys.stderr)
    # only fixes --unsafe-fixes would apply (not those in notebook cells or stdin)
    hidden = sum(1 for f in findings if fixable(f, "unsafe") and not fixable(f, "safe")) if not args.unsafe_fixes else 0
    hint = f"; {hidden} more can be fixed with --unsafe-fixes" if hidden else ""
    if args.diff:
        sys.stdout.write("".join(outcome.diffs))
        print(f"greenlint: {len(outcome.fixed)} fixable finding(s){hint}", file=sys.stderr)
        return findings, bool(outcome.fixed)
    fixed = {id(f) for f in outcome.fixed}
    print(f"greenlint: fixed {len(fixed)} finding(s){hint}", file=sys.stderr)
    return [f for f in findings if id(f) not in fixed], False


def _check_modes(args) -> None:
    """Options that cannot go together, and files that must be usable, checked before any work."""
    modes = [flag for flag, on in (("--write-baseline", args.write_baseline), ("--add-noqa", args.add_noqa),
                                   ("--fix", args.fix), ("--diff", args.diff)) if on]
    if len(modes) > 1:
        raise UsageError(f"{modes[0]} and {modes[1]} cannot be used together")
    if args.write_baseline and args.baseline:
        raise UsageError("--write-baseline records every finding: do not combine it with --baseline")
    if args.baseline:
        from pathlib import Path

        from .baseline import read_baseline

        read_baseline(Path(args.baseline))  # a bad file fails now, not after linting
    for flag, target in (("--output", args.output), ("--write-baseline", args.write_baseline)):
        if target:
            folder = parent(absolute(target))
            if not is_dir(folder):
                raise UsageError(f"{flag} {target}: folder {folder} does not exist")
            if is_dir(pure(target)):
                raise UsageError(f"{flag} {target} is a folder")


def _add_noqa(findings: list) -> int:
    from .noqa import add_noqa

    outcome = add_noqa(findings)
    for path, line, why in outcome.skipped:
        print(f"greenlint: {path}:{line}: not annotated: {why}", file=sys.stderr)
    print(f"greenlint: added {outcome.added} suppression comment(s) in {len(outcome.files)} file(s)", file=sys.stderr)
    return 0


def _fail_on_for(finding, resolver):
    return resolver.for_path(absolute(finding.path)).fail_on


def _emit(args, findings, files_checked: int, extra: dict, baseline: dict | None = None) -> None:
    from .report import RunInfo, render
    from .rules import load_rules

    fmt = args.format or "text"
    info = RunInfo(
        version=__version__,
        rules=load_rules(),
        statistics=args.statistics,
        color=False if args.output else None,
        files_checked=files_checked,
        extra=extra,
        quiet=args.quiet,
        baseline=baseline,
    )
    output = render(fmt, findings, info)
    if baseline is not None and fmt != "text" and not args.quiet:
        from .report.text import baseline_note

        note = baseline_note(baseline)
        print(f"greenlint: {note[0].lower()}{note[1:]}", file=sys.stderr)
    if args.output:
        try:
            with open(pure(args.output), "w", encoding="utf-8") as handle:
                handle.write(output)
        except OSError as exc:
            raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(output)
        sys.stdout.flush()
