"""GL401's reading of shell: cloud CLI commands wherever a file runs them (scripts, notebook `!`
lines and `%%bash` cells, `subprocess` calls, CI steps), the `REGION=...` assignments they read,
and the cloud SDK region variables a script exports to the programs it runs. Shared by the
config and Python readers of `gl401_carbon_intensive_region`."""
from __future__ import annotations

from itertools import chain

from .cloud import norm, placeholder_default, region_finding, resolve_region
from .cloud_cli import (cli_region_values, command_product, commands_place_nothing, created_names, named_objects,
                        program_region_values, sets_default_region, takes_default_region)
from .commands import cell_assignment, report_word, shell_commands, shell_variables, variable_name
from .region_keys import data_words

# Environment variables through which the cloud SDKs and CLIs take their region (normalised);
# `GOOGLE_CLOUD_LOCATION` is the Gen AI SDK's, read with `GOOGLE_GENAI_USE_VERTEXAI=true`.
REGION_ENV = {"awsdefaultregion", "awsregion", "cdkdefaultregion", "cloudsdkcomputeregion", "googlecloudregion",
              "cloudsdkcomputezone", "azurelocation", "googlecloudlocation"}


def env_hint(key: str) -> str | None:
    low = key.lower()
    if "aws" in low:
        return "aws"
    return "gcp" if "cloudsdk" in low or "google" in low else None


def shell_regions(ctx, on_variable, placed: frozenset[str] = frozenset()) -> None:
    """GL401 for cloud CLI commands the file runs; a `$NAME` / `{NAME}` value is handed to
    `on_variable(name, cloud)`, which reports where the name is set. `placed`: the regions the
    file's own keys already report (a CI job's `env: {TPU_ZONE: us-central2-b}` beside the
    `--zone us-central2-b` its step passes): a command in one of them is that placement."""
    options = ctx.options("GL401")
    overrides = ctx.request.carbon or None
    words = data_words(options)
    zones: list[tuple] = []
    reported: set[str] = set()
    commands = list(shell_commands(ctx))
    last_default_use = {c.cloud: i for i, c in enumerate(commands) if takes_default_region(c)}
    created: dict[str, set[str]] = {}  # region -> names of what the file's commands created there
    for position, command in enumerate(commands):
        if sets_default_region(command) and last_default_use.get(command.cloud, -1) < position:
            continue  # a default no later command of the file places compute with
        regions: set[str] = set()
        for value, index in chain(cli_region_values(command), program_region_values(command, words)):
            name = variable_name(value)
            assigned = cell_assignment(ctx, name, command) if name is not None and ctx.kind == "notebook" else None
            if assigned is not None and variable_name(assigned[0]) is not None:  # `REGION=${REGION}`: passed on
                name, assigned = variable_name(assigned[0]), None
            if assigned is not None:
                report_assignment(ctx, assigned, command.cloud, options, overrides)
                continue
            if name is not None:
                on_variable(name, command.cloud)
                continue
            region = resolve_region(value, command.cloud, overrides, allow_azure_display=command.cloud == "azure")
            result = region_finding(region, options, overrides) \
                if region and command.cloud in (None, region.provider) else None
            if result is None:
                continue
            placement = (region.spec, command_product(command))
            regions.add(region.spec)
            if region.spec in placed:
                continue
            if named_objects(command) & created.get(region.spec, set()):
                continue  # work on what an earlier command created there (a job on its cluster, an edit of its template)
            if names_a_zone(value, region):
                zones.append((placement, command, index, value, result))
                continue
            reported.add(placement)
            report_word(ctx, "GL401", command, index, value, result[0], result[1])
        for spec in regions:
            created.setdefault(spec, set()).update(created_names(command))
    # One placement, one finding: the zones of a product's resources in a region the file places
    # that product in (`container node-pools create --zone us-central1-c` of a cluster created in
    # `us-central1`) are that placement, and several such zones are reported once.
    for placement, command, index, value, result in zones:
        if placement not in reported:
            reported.add(placement)
            report_word(ctx, "GL401", command, index, value, result[0], result[1])


def written_region_finding(value: str, cloud: str | None, options, overrides) -> tuple | None:
    """The finding for a region a command reads through a name, as written where the name is set
    (a placeholder's fallback included): None when it is clean or of another cloud."""
    region = resolve_region(placeholder_default(value) or value, cloud, overrides, allow_azure_display=cloud == "azure")
    return region_finding(region, options, overrides) if region is not None and cloud in (None, region.provider) else None


def report_assignment(ctx, assigned: tuple[str, int, int], cloud: str | None, options, overrides) -> None:
    """A shell `REGION=...` (a script's, or a `%%bash` cell's own) that a cloud CLI command reads,
    reported where it is written."""
    value, line, column = assigned
    result = written_region_finding(value, cloud, options, overrides)
    if result is not None:
        ctx.report_at("GL401", line, column + 1, line, column + 1 + len(value), result[0], result[1])


def names_a_zone(written: str, region) -> bool:
    """`written` resolved to `region` without being its id: a zone of it (`us-central1-c`)."""
    return written.strip().lower().replace(" ", "") != region.spec.partition(":")[2]


def script_variable_reporter(ctx):
    """Reports a shell script's `REGION=...` assignment when a cloud CLI uses `$REGION`."""
    variables = shell_variables(ctx.text)
    options = ctx.options("GL401")
    overrides = ctx.request.carbon or None
    done: set[str] = set()

    def on_variable(name: str, cloud: str | None) -> None:
        if name not in variables or name in done:
            return
        done.add(name)
        passed_on = variable_name(variables[name][0])  # `AWS_REGION="$DEFAULT_REGION"`: that name's value
        if passed_on is not None:
            on_variable(passed_on, cloud)
            return
        report_assignment(ctx, variables[name], cloud, options, overrides)

    return on_variable


def exported_sdk_regions(ctx) -> None:
    """A script that exports a cloud SDK's region variable (`export AWS_DEFAULT_REGION=us-east-1`,
    or `${AWS_REGION:-us-east-1}`'s fallback) places the cloud calls of the programs it then runs
    there, like a CI job's `env:`; a script whose every command places nothing (local tools, cloud
    CLI calls that place no compute) places nothing."""
    exported = {name: where for name, where in shell_variables(ctx.text).items()
                if norm(name) in REGION_ENV and ctx.lines[where[1] - 1].lstrip().startswith("export ")}
    if not exported or commands_place_nothing(ctx.text):
        return
    options, overrides = ctx.options("GL401"), ctx.request.carbon or None
    placed: set[str] = set()
    for name, (value, line, column) in sorted(exported.items(), key=lambda item: item[1][1]):
        region = resolve_region(placeholder_default(value) or value, env_hint(name), overrides)
        result = region_finding(region, options, overrides) if region is not None else None
        if result is not None and region.spec not in placed:  # AWS_REGION and AWS_DEFAULT_REGION: one placement
            placed.add(region.spec)
            ctx.report_at("GL401", line, column + 1, line, column + 1 + len(value), result[0], result[1])
