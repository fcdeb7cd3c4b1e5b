"""GL401 carbon-intensive-region, config reader: region, zone and location keys of YAML, JSON,
TOML, Terraform, shell scripts and .env files (the Python reader is `gl401_carbon_intensive_region`).
"""
from __future__ import annotations

from . import detector
from .cloud import file_provider, is_test_suite, norm, placeholder_default, region_finding, resolve_region
from .cloud_cli import ci_placement, set_for_jobs_that_place_nothing
from .commands import variable_name
from .region_shell import (exported_sdk_regions, names_a_zone, script_variable_reporter, shell_regions,
                           written_region_finding)
from .config_roles import component_places_nothing, connects_to_a_store, in_container_environment, in_recorded_call
from .terraform_modules import (CONTAINER_SUFFIXES, alias_only_looks_up, called_module_places_only_data,
                                group_location_places_nothing, places_only_data, resource_it_belongs_to,
                                variables_read, variables_set_beside)
from .region_keys import (DESCRIPTIVE_KEYS, ZONE_KEYS, data_words, describes_data, has_data_word, key_hint,
                          location_of_resource_name, names_compute, names_the_provider_region, region_key,
                          terraform_provider_hint)

_NOT_YET = object()


class _ConfigScan:
    """One config file's documents, read for GL401."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.kind = ctx.request.kind
        self.options = ctx.options("GL401")
        self.overrides = ctx.request.carbon or None
        self.file_hint = file_provider(ctx.text)
        self.words = data_words(self.options)
        self.regions: set[str] = set()
        self.zones: list[tuple] = []
        self.ci_runs: set[tuple[str, str]] = set()  # (CI job, region) reported
        self.placed: set[tuple[str, str]] = set()  # (map or module settings, region) reported
        self.inputs_read: set[str] = set()  # workflow inputs a key gives (`${{ inputs.region }}`)
        self._set_beside: frozenset[str] | None = None
        self._read: frozenset[str] | None | object = _NOT_YET  # the variables the module reads (None: unknown)

    def document(self, doc) -> None:
        if describes_data(doc, self.words):
            return
        data_only = self.kind == "terraform" and places_only_data(self.ctx, doc, self.words)
        for path, node in doc.walk():
            if not path or node.is_map or node.is_seq:
                continue  # a sequence: matchExpressions' values are read item by item
            if self.kind == "terraform" and self._terraform_places_nothing(doc, path, data_only):
                continue
            self.value(doc, path, node)

    def _terraform_places_nothing(self, doc, path: tuple, data_only: bool) -> bool:
        """What a Terraform block says about the value at `path`: a data source looks something up
        (an ECR Public token lives in us-east-1); in a module whose resources are all stores its
        provider, variables, locals and resource groups place them; a provider alias that only
        data sources use; an argument of a called module of stores places their data; a variable
        that `terraform.tfvars` sets, or that nothing reads, has a default that is not what runs."""
        block = path[0]
        if block == "data":
            return True
        if data_only and (block in ("provider", "variable", "locals")
                          or block == "resource" and len(path) > 1 and str(path[1]).endswith(CONTAINER_SUFFIXES)):
            return True
        if block == "resource" and len(path) == 4 and str(path[1]).endswith(CONTAINER_SUFFIXES) and path[3] == "location":
            return group_location_places_nothing(self.ctx, doc, f"{path[1]}.{path[2]}", self.words)
        if block == "provider":
            return self._lookup_alias(doc, path)
        if block == "module" and len(path) > 2:
            return called_module_places_only_data(self.ctx, doc, path[1], self.words)
        return block == "variable" and len(path) > 2 and (self._set_beside_defaults(path[1]) or self._unread(path[1]))

    def _lookup_alias(self, doc, path: tuple) -> bool:
        """A provider block's region (`provider "aws" { alias = "virginia", region = ... }`) whose
        alias only data sources use (`alias_only_looks_up`)."""
        block = doc.find("provider", *path[1:-1])
        alias = block.get("alias") if block is not None and block.is_map else None
        return alias is not None and alias_only_looks_up(self.ctx, doc, f"{path[1]}.{alias.value}")

    def _unread(self, variable) -> bool:
        if self._read is _NOT_YET:
            self._read = variables_read(self.ctx)
        return self._read is not None and variable not in self._read

    def _set_beside_defaults(self, variable) -> bool:
        if self._set_beside is None:
            self._set_beside = variables_set_beside(self.ctx)
        return variable in self._set_beside

    def value(self, doc, path: tuple, node) -> None:
        found = region_key(doc, path, self.words)
        if found is None or not node.is_scalar or node.opaque or not isinstance(node.value, str):
            return
        nkey, above = found
        name = variable_name(node.value)
        if name is not None and name.startswith("inputs."):  # `DEV_LOCATION: ${{ inputs.DEV_LOCATION }}`
            if self._places_nothing(doc, path, above) or name in self.inputs_read:
                return
            self.inputs_read.add(name)
            node = workflow_input_default(self.ctx, name)
            if node is None:
                return
        written = placeholder_default(node.value) or node.value
        if nkey.endswith("location"):
            written = location_of_resource_name(written)
        if self._places_nothing(doc, path, above):
            return
        hint = key_hint(nkey) or terraform_provider_hint(path) or self.file_hint
        location = nkey.endswith("location")  # Azure and Google Cloud spell a region so (`region_key` kept whole words)
        region = resolve_region(written, hint, self.overrides, allow_azure_display=location)
        if region is None or (location and region.provider not in ("azure", "gcp")):
            return  # `location: us-east-1` is not how AWS spells a region
        result = region_finding(region, self.options, self.overrides)
        if result is None:
            return
        if nkey in ZONE_KEYS or names_a_zone(written, region):  # a zone, also under a location key
            self.zones.append((region.spec, node, result))  # reported at the end, unless its region is
            return
        if self._placed_before(doc, path, region.spec):
            return
        self.regions.add(region.spec)
        self.ctx.report("GL401", node, result[0], result[1])

    def _places_nothing(self, doc, path: tuple, above: tuple) -> bool:
        """The key's place in the document says its region places no compute: under a data word
        (unless the key itself names compute), set for jobs that place nothing, describing an
        object, in a recorded call, a component that only reads, a container's environment, or a
        store's connection settings."""
        return has_data_word(above, self.words, self.kind) and not names_compute(path[-1]) \
            or set_for_jobs_that_place_nothing(doc, path) \
            or any(isinstance(step, str) and norm(step) in DESCRIPTIVE_KEYS for step in above) \
            or in_recorded_call(doc, above) or component_places_nothing(above) or in_container_environment(doc, above) \
            or not self._sets_an_environment(above) and connects_to_a_store(doc, above, self.words)

    def _sets_an_environment(self, above: tuple) -> bool:
        """A `.env` file, or the top level of a Terraform variables file (`.tfvars`): the values of a
        whole environment or module, not one store's connection settings."""
        return self.kind == "env" or self.kind == "terraform" and not above

    def _placed_before(self, doc, path: tuple, spec: str) -> bool:
        """One placement, one finding: a CI job's region given twice (its `env:`, its credentials
        step, the workflow's `env:`); the same region under several keys of one map (or of the items
        of one list: `any_of` candidates), or as several
        settings of one Terraform module (`variable "region"` and `variable "aws_region"` defaults,
        `locals`, `provider`), when each key names only the provider's region (`region`,
        `aws_region`, `GOOGLE_CLOUD_LOCATION`); a key that names a product places that product."""
        run = ci_placement(doc, path)
        if run is None:
            if not names_the_provider_region(path):
                return False  # `cloud_run_region`, `sagemaker_endpoint_region`: a product's own placement
            settings = self.kind == "terraform" and path[0] in ("variable", "locals", "provider")
            # the items of one list are candidates of one choice (SkyPilot's `any_of`, a CI matrix)
            where = tuple("*" if isinstance(step, int) else step for step in path[:-1])
            where = resource_it_belongs_to(doc, path, spec) or where
            placed = ("module settings", spec) if settings else (f"{id(doc)}:{where!r}", spec)
            seen = placed in self.placed
            self.placed.add(placed)
            return seen
        seen = (run, spec) in self.ci_runs or ("", spec) in self.ci_runs
        self.ci_runs.add((run, spec))
        return seen

    def finish(self) -> None:
        """One placement, one finding: a zone (`zone = "us-west4-b"`, `availability_zone`) of a region
        the file already reports under a region or location key places the same compute, and
        several zones of one region are reported once."""
        for spec, node, result in self.zones:
            if spec not in self.regions:
                self.regions.add(spec)  # several zones of one region (`us-east-1a`, `us-east-1b`): reported once
                self.ctx.report("GL401", node, result[0], result[1])


def _workflow_input_reporter(ctx, scan):
    """`--region=${{ inputs.region }}` in a workflow's step: the input's `default` under
    `on.workflow_call` or `on.workflow_dispatch` is where the run goes when the caller or the
    person starting it gives none, as an option's default is; reported where it is written."""
    options, overrides = ctx.options("GL401"), ctx.request.carbon or None
    done = scan.inputs_read  # an input a key of the workflow already gives is that placement

    def on_variable(name: str, cloud: str | None) -> None:
        if not name.startswith("inputs.") or name in done:
            return
        done.add(name)
        default = workflow_input_default(ctx, name)
        result = written_region_finding(default.value, cloud, options, overrides) if default is not None else None
        if result is not None:
            ctx.report("GL401", default, result[0], result[1])

    return on_variable


def workflow_input_default(ctx, name: str):
    """The `default` of `inputs.NAME` under `on.workflow_call` or `on.workflow_dispatch`: where the
    run goes when the caller or the person starting it gives none, as an option's default is."""
    for doc in ctx.documents:
        for event in ("workflow_call", "workflow_dispatch"):
            default = doc.find("on", event, "inputs", name[len("inputs."):], "default") if doc.is_map else None
            if default is not None and default.is_scalar and isinstance(default.value, str):
                return default
    return None


@detector("GL401", "config")
def carbon_intensive_region_config(ctx) -> None:
    if is_test_suite(ctx):
        return
    scan = _ConfigScan(ctx)
    for doc in ctx.documents:
        scan.document(doc)
    scan.finish()
    shell_regions(ctx, script_variable_reporter(ctx) if ctx.kind == "shell" else _workflow_input_reporter(ctx, scan),
                  placed=frozenset(scan.regions))
    if ctx.kind == "shell":
        exported_sdk_regions(ctx)
