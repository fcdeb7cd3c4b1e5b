"""GL401 carbon-intensive-region: compute placed in a region whose grid is carbon-intensive.

Python reader: region arguments of cloud SDK calls, region environment variables and
module-level region constants (the config reader is `gl401_region_configs`).
"""
from __future__ import annotations

import ast
import re

from . import detector
from ..frontends.bindings import module_statements, placeholder_fallbacks
from ..frontends.pyast import call_name, dotted, kwarg, walk
from ..frontends.project import imported_function
from .cloud import is_test_suite, key_words, norm, region_finding, resolve_region, str_const
from .cloud_sdks import (COMPUTE_SERVICES, DISPLAYS, LANGCHAIN_CLIENT, LOCATION_CONSTANTS, LOCATION_SDKS,
                         OPERATOR_ADDRESSING_WORDS, OPERATORS, REGION_CONSTANTS, REGION_KEYWORDS, REGION_SDKS,
                         SDKS_AND_OPERATORS, logged, py_region_hint)
from .region_clients import (bound_name, keyword_lookup_default, never_used, only_reads,
                             reads_where_it_runs, services, session_clients, unpacked_keywords)
from .region_shell import REGION_ENV, env_hint, shell_regions
from .placing_calls import (derived_names, handed_to_a_jobs_program, module_strings, reaches_placing_call, string_defaults,
                            written_string)
from .config_roles import COMPUTE_WORDS
from .region_keys import DESCRIPTIVE_KEYS, data_words
from .sdk_defaults import default_for_reads, retrieved_to_read
from .region_python_facts import (default_hint, environment_strings, form_choices, names_a_placement, signs_requests,
                                  spelled_into_an_address)

# --------------------------------------------------------------------------------------
# Python reader


class _PythonScan:
    """One Python file read for GL401: each region value is reported once, where it is written."""

    def __init__(self, ctx, options: dict | None = None):
        self.ctx = ctx
        self.options = options if options is not None else ctx.options("GL401")  # a project module's: the importer's
        self.overrides = ctx.request.carbon or None
        self.module_strings = module_strings(ctx.tree)
        self.sdk_constants: set[str] = set()
        self.reported: set[int | str] = set()  # values' ids, and the imported constants reported
        self.words = data_words(self.options)
        self._projects: dict[str, tuple[_PythonScan, ast.FunctionDef] | None] = {}  # by the name called
        self._following: set[str] = set()  # names a region is spelled into, while their reads are judged

    def check(self, value_node: ast.AST, hint: str | None, location_key: bool = False) -> bool:
        """Report the region `value_node` holds where it is written; whether it was reported."""
        if isinstance(value_node, ast.Name) and value_node.id in self.sdk_constants:
            return False  # reported where the constant is defined
        if isinstance(value_node, ast.Name) and value_node.id not in self.module_strings:
            elsewhere = self._written_elsewhere(value_node)
            if elsewhere:  # reported where each call gives it, or where the option's default is written
                return any([self.check(written, hint, location_key) for written in elsewhere])
        value_node = self._where_written(value_node)
        imported = self._imported_constant(value_node)
        if id(value_node) in self.reported or imported in self.reported:
            return False
        value = self._string(value_node)
        if value is None or isinstance(value_node, ast.Name) and value in self._constant_values():
            return False  # a name resolved to a region constant's value: reported where the constant is defined
        region = resolve_region(value, hint, self.overrides, allow_azure_display=location_key)
        if region is None or (location_key and region.provider not in ("gcp", "azure")):
            return False
        result = region_finding(region, self.options, self.overrides, form_choices(self.ctx, value_node))
        if result is None:
            return False
        self.reported.add(id(value_node))
        if imported is not None:
            self.reported.add(imported)
        self.ctx.report("GL401", value_node, result[0], result[1])
        return True

    def _where_written(self, node: ast.AST, _depth: int = 0) -> ast.AST:
        """The node that writes the value `node` reads, where it is reported: a module constant's
        string, a parameter's default or a local's one string, also through a local alias
        (`target_region = region`); an option's or a config field's default, also an environment
        lookup's default (`default=os.environ.get("AWS_DEFAULT_REGION", "us-east-1")`); the item a
        subscript picks (`region=regions[1]`)."""
        if isinstance(node, ast.Name):
            if node.id in self.module_strings:
                return self.module_strings[node.id]
            written = self._parameter_default(node) or self._local_string(node)
            if written is None and _depth < 3:
                values = self.ctx.bound_values(node)
                if len(values) == 1 and isinstance(values[0], ast.Name) and values[0].id != node.id:
                    return self._where_written(values[0], _depth + 1)
            return written or node
        if isinstance(node, ast.Attribute):
            return written_string(written := self.ctx.written_default(node) or node) or written
        if (looked_up := keyword_lookup_default(self.ctx, node)) is not None:
            return looked_up
        if isinstance(node, ast.Subscript):
            written = self.ctx.written_default(node) or self.ctx.written_element(node) or node
            return written_string(written) or written  # an item that is an environment lookup
        return written_string(node) or node  # `region_name=os.getenv("AWS_REGION", "us-east-1")` in the call

    def _imported_constant(self, node: ast.AST) -> str | None:
        """The project constant an imported name or module attribute reads (`REGION` of `from
        constants import REGION`, `app_config.region_name`): one constant is one placement, so the
        file reports it once, where it first gives it to a placing call (`aiplatform.init(location=REGION)`
        then `PipelineJob(location=REGION)`)."""
        if isinstance(node, ast.Name) and node.id in self.ctx.imports.names and node.id not in self.module_strings:
            return node.id
        return dotted(node) if self._project_constant(node) else None

    def _written_elsewhere(self, name: ast.Name) -> list[ast.expr]:
        """What a name holds, written elsewhere: the argument every call of the file gives the
        parameter it reads, or the option it is bound to once (`REGION = args.region`, `REGION =
        args["region"]`, also a global a `__main__` block sets and a function reads)."""
        passed = [] if self._parameter_default(name) else self.ctx.passed_arguments(name)
        if passed:
            return passed
        values = self.ctx.bound_values(name)
        held = values[0] if len(values) == 1 and isinstance(values[0], (ast.Attribute, ast.Subscript)) else None
        return [held] if held is not None and self.ctx.written_default(held) is not None else []

    def _project_constant(self, node: ast.AST) -> bool:
        """`app_config.region_name` of a module the file imports (`import app_config`): a constant of
        the project read through its module, as `from app_config import region_name` reads it; and
        `config.aws_region` of a config class another module declares."""
        return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
            and node.value.id in self.ctx.imports.names or self.ctx.config_field_declared_elsewhere(node)

    def _constant_values(self) -> set[str]:
        return {v for v in (self._string(self.module_strings[c]) for c in self.sdk_constants if c in self.module_strings) if v}

    def variable(self, name: str, cloud: str | None) -> None:
        """A module-level string constant a cloud CLI command reads (`!gcloud ... --region {REGION}`),
        or the environment variable the Python code sets for the shell lines (`os.environ["REGION"] =
        "westeurope"`, then `!az aks create --location $REGION`)."""
        const = self.module_strings.get(name) or environment_strings(self.ctx).get(name)
        if const is not None:
            self.check(const, cloud, location_key=cloud == "azure")

    def _local_string(self, name: ast.Name) -> ast.Constant | None:
        """The one string a function-local name holds (`REGION = "us-east-1"` then
        `os.environ["AWS_REGION"] = REGION`, also as an environment lookup's fallback, `region =
        region_name or os.getenv("AWS_REGION") or "us-east-1"`): reported where it is written, once."""
        values = self.ctx.bound_values(name)
        return written_string(values[0]) if len(values) == 1 else None

    def _parameter_default(self, name: ast.Name) -> ast.Constant | None:
        """The string default of the parameter `name` reads, when that default is its value (no
        call site of the file passes another): the region is reported where it is written."""
        default = self.ctx.kept_default(name)
        return default if str_const(default) is not None else None

    def parameter_defaults(self) -> None:
        """`def create_job(project, location: str = "us-central1")` whose `location` reaches a call
        that places compute (`client.create_custom_job(parent=f".../locations/{location}")`,
        `client.deploy_model(endpoint=path)`): the default places the job for every caller that
        leaves it out. Region arguments of SDK calls (`aiplatform.init(location=location)`) are
        read by `calls`; a default that only reaches `create_dataset`, `get_*` or `delete_*` places none."""
        hint = default_hint(self.ctx)
        for function in self.ctx.nodes_of(ast.FunctionDef, ast.AsyncFunctionDef):
            for param, default in string_defaults(function):
                name = norm(param)
                if name in REGION_CONSTANTS and reaches_placing_call(function, param, self.words) \
                        and all(v == default.value for v in self.ctx.parameter_values(function, param)):
                    self.check(default, hint, location_key=name in LOCATION_CONSTANTS)

    def _string(self, node: ast.AST | None) -> str | None:
        value = str_const(node)
        if value is None and (isinstance(node, ast.Name) or self._project_constant(node)):
            resolved = self.ctx.literal(node)
            value = resolved if isinstance(resolved, str) else None
        return value

    def constants(self) -> None:
        """Module-level REGION = "..." / LOCATION = "..." in a file that uses a cloud SDK. A zone
        constant of a region a region constant places (`region = "us-central1"`, `zone =
        "us-central1-a"`, given to one call) is that placement, reported once."""
        hint = default_hint(self.ctx)
        found = []
        for stmt in module_statements(self.ctx.tree) + placeholder_fallbacks(self.ctx.tree):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target] if isinstance(stmt, ast.AnnAssign) else []
            value = written_string(getattr(stmt, "value", None))  # a literal, or an environment lookup's default
            if len(targets) != 1 or not isinstance(targets[0], ast.Name) or value is None:
                continue
            name = norm(targets[0].id)
            if name in REGION_CONSTANTS or names_a_placement(targets[0].id, self.words):
                self.sdk_constants.add(targets[0].id)
                if not self._only_given_to_readers(targets[0].id) and not self._left_over(targets[0].id):
                    found.append((name.endswith("zone"), value, name))
        placed: set[str] = set()
        for is_zone, value, name in sorted(found, key=lambda item: item[0]):  # regions first
            region = resolve_region(self._string(value) or "", hint, self.overrides)
            if is_zone and region is not None and region.spec in placed:
                continue
            if self.check(value, hint, location_key=name in LOCATION_CONSTANTS or name.endswith("location")) and region:
                placed.add(region.spec)

    def _only_given_to_readers(self, constant: str) -> bool:
        """Every read of the constant is the region of a client that places nothing (a `bedrock`
        client whose only call is `list_foundation_models()`), the location of a Vertex AI resource
        retrieved to be read or deleted or of an SDK default that only reads and stores, the location
        of a store the call names (`bucket.create(location=...)`), or a display (`print`): the
        constant places nothing either."""
        reads = [read for read in self.ctx.reads_of(constant)  # not a parameter or local of the same name
                 if self.ctx.defining_scope(constant, self.ctx.enclosing_function(read) or self.ctx.tree) is self.ctx.tree]
        return bool(reads) and all(self._read_places_nothing(read) for read in reads)

    def _read_places_nothing(self, read: ast.Name) -> bool:
        parent = self.ctx.parent(read)
        if self._read_without_placing(read, parent):
            return True
        if isinstance(parent, ast.Assign) and parent.value is read and all(
                isinstance(t, ast.Attribute) and t.attr == "location" and key_words(dotted(t.value) or "") & self.words
                for t in parent.targets):
            return True  # `dataset.location = LOCATION`: where a store is made
        if isinstance(parent, ast.Call) and read in parent.args:
            method = parent.func.attr if isinstance(parent.func, ast.Attribute) else ""
            if reads_where_it_runs(method) and (self.ctx.qualname(parent.func) or "").startswith(SDKS_AND_OPERATORS):
                return True  # `agent_engines.get(ENGINE_NAME)`: retrieves what exists, where it was placed
            if method in ("client", "resource") and parent.args.index(read) == 1:  # `boto3.client("s3", REGION)`
                return not self._places_compute(parent, "", method)
            return self._given_to_a_function_that_places_nothing(read, parent)
        spelled = self._spelled(read)
        named = self.ctx.parent(spelled)
        if spelled is not read and isinstance(named, ast.Call) and spelled in named.args \
                and retrieved_to_read(self.ctx, named, self.ctx.qualname(named.func) or "", self._string):
            return True  # the path of a resource retrieved to be read or stopped
        call = self.ctx.parent(parent)
        if not (isinstance(parent, ast.keyword) and isinstance(call, ast.Call)):
            return False
        return self._keyword_places_nothing(parent, call)

    def _keyword_places_nothing(self, keyword: ast.keyword, call: ast.Call) -> bool:
        """A region given by keyword to a function that places nothing with it: one of this file or
        of the project whose parameter reaches no placing call, a resource's `name`, a store's or a
        reader's location, an operator that addresses what exists, or the region of a client that
        places nothing."""
        if self._given_to_a_function_that_places_nothing(keyword.value, call):
            return True
        if keyword.arg == "name":
            return True  # a resource's `name` identifies it; a create request's `parent` places it (AIP-122, AIP-133)
        project = self._project_function(call)
        if project is not None and keyword.arg:
            return not project[0].function_places(project[1], keyword.arg)
        qual = self.ctx.qualname(call.func) or ""
        if keyword.arg == "location" and (
                retrieved_to_read(self.ctx, call, qual, self._string)
                or default_for_reads(self.ctx, call, qual, self.words, self._string) or key_words(ast.unparse(call.func)) & self.words
                or self._data_client_call(call) or only_reads(self.ctx, call)):
            return True  # `bucket.create(location=REGION)`, `create_bucket(...)`: where a store is made
        if qual.startswith(OPERATORS):
            return not self._placing_operator(qual, call_name(call))  # `ListCustomTrainingJobOperator(region=...)`
        method = call.func.attr if isinstance(call.func, ast.Attribute) else ""
        return keyword.arg in REGION_KEYWORDS and method in ("client", "resource") and not self._places_compute(call, "", method)

    def _given_to_a_function_that_places_nothing(self, argument: ast.expr, call: ast.Call) -> bool:
        """`create_gp_bucket(name, REGION)` of a function of this file whose matching parameter
        reaches no call that places compute there (it is only printed, or names a bucket)."""
        received = self.ctx.receiving_parameter(call, argument)
        return received is not None and not self.function_places(*received)

    def _read_without_placing(self, read: ast.Name, parent: ast.AST | None) -> bool:
        """A display, a store's name or settings, a job script's input, a request signer's region, a
        comparison that tests the value (`if REGION == "us-east-1":`) or an address spelled with it."""
        return self._shown_or_naming_a_store(read, parent) or logged(self.ctx, read) or handed_to_a_jobs_program(self.ctx, read) \
            or signs_requests(self.ctx, read) or isinstance(parent, ast.Compare) or self._in_a_stores_settings(read) \
            or spelled_into_an_address(self.ctx, read) or self._given_to_a_data_service(read) \
            or self._spelled_into_a_name_that_places_nothing(read)

    def _spelled_into_a_name_that_places_nothing(self, read: ast.Name) -> bool:
        """The region copied or spelled into a string bound to a name (`LOCATION = str(REGION)`,
        `TAG_TEMPLATE_PATH = f"projects/{P}/locations/{LOCATION}/tagTemplates/{ID}"`) places what
        that name places: nothing where no code reads it (`_left_over`) or every read of it places
        nothing."""
        spelled = self._spelled(read)
        converted = self.ctx.parent(spelled)
        if isinstance(converted, ast.Call) and call_name(converted) == "str" and converted.args == [spelled]:
            spelled = converted  # `LOCATION = str(REGION)`
        name = bound_name(self.ctx, spelled)
        if name is None or name in self._following:
            return False
        self._following.add(name)
        try:
            reads = self.ctx.reads_of(name)
            return all(self._read_places_nothing(r) for r in reads) if reads else self._left_over(name)
        finally:
            self._following.discard(name)

    def _given_to_a_data_service(self, read: ast.Name) -> bool:
        """The region given, as it is or spelled into a string, to a class or client of a service
        named by a data word (`scheduler_v1.Job(name=f".../locations/{REGION}/jobs/x")`,
        `scheduler_client.common_location_path(PROJECT, REGION)`): a store, a queue or a
        trigger is made there, not compute."""
        spelled = self._spelled(read)
        if isinstance(self.ctx.parent(spelled), ast.keyword):
            spelled = self.ctx.parent(spelled)
        call = self.ctx.parent(spelled)
        if not isinstance(call, ast.Call) or not (spelled in call.args or isinstance(spelled, ast.keyword)):
            return False
        return bool(key_words(self.ctx.qualname(call.func) or "") & self.words) or self._data_client_call(call)

    def _spelled(self, read: ast.Name) -> ast.AST:
        """The f-string that spells `read` into a string (`f"{PROJECT}:{REGION}:db"`, also through a
        call that formats it for the string, `f"location={orange(REGION)}"`), or `read`."""
        node = read
        while isinstance(parent := self.ctx.parent(node), (ast.FormattedValue, ast.JoinedStr)) or (
                isinstance(parent, ast.Call) and node in parent.args and isinstance(self.ctx.parent(parent), ast.FormattedValue)):
            node = parent
        return node

    def _in_a_stores_settings(self, read: ast.Name) -> bool:
        """`s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})`:
        a value inside the settings handed to a method named by a data word says where a store is."""
        node = self.ctx.parent(read)
        while isinstance(node, (ast.Dict, ast.List, ast.Tuple, ast.keyword)):
            node = self.ctx.parent(node)
        return isinstance(node, ast.Call) and node is not self.ctx.parent(read) and isinstance(node.func, ast.Attribute) \
            and bool(key_words(node.func.attr) & self.words)

    def _shown_or_naming_a_store(self, read: ast.Name, parent: ast.AST | None) -> bool:
        """`print("Region:", REGION)` (also in an f-string it prints); `client.queue_path(PROJECT,
        REGION, name)`, a method named by a data word; `connector.connect(f"{PROJECT}:{REGION}:db")`,
        a string a data service's client is given: the name of a store or a queue."""
        spelled = self._spelled(read)
        built = self.ctx.parent(spelled) if spelled is not read else parent
        if not (isinstance(built, ast.Call) and spelled in built.args):
            return False
        if call_name(built) in DISPLAYS:
            return True
        if spelled is not read:
            return self._data_client_call(built)
        return isinstance(built.func, ast.Attribute) and bool(key_words(built.func.attr) & self.words)

    def _data_client_call(self, call: ast.Call) -> bool:
        """A method of a client of a data service (`client = bigquery.Client()`, then
        `client.extract_table(..., location=LOCATION)`): a data job runs where the data is."""
        receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
        values = self.ctx.bound_values(receiver) if isinstance(receiver, ast.Name) else []
        return len(values) == 1 and isinstance(values[0], ast.Call) \
            and bool(key_words(self.ctx.qualname(values[0].func) or "") & self.words)

    def _left_over(self, constant: str) -> bool:
        """A constant that no line of the file's code or shell reads (`!gcloud ... --region
        $REGION`) is not where anything runs: not in a script whose calls take a parameter instead
        (`LOCATION = os.getenv(...)` while `vertexai.init(location=location)`), nor in a config
        module other files import, which are reported where they give it to a placing call."""
        if self.ctx.kind not in ("python", "notebook") or self.ctx.reads_of(constant):
            return False
        return not any(re.search(rf"(?<!\w){re.escape(constant)}(?!\w)", text) for _, _, text in self.ctx.shell_lines)

    def calls(self) -> None:
        for call in self.ctx.calls:
            qual = self.ctx.qualname(call.func) or ""
            name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
            if "image_uri" in qual or name in ("retrieve", "get_image_uri"):
                continue  # the region of a container registry to pull from, not where anything runs
            for kw in self._region_arguments(call, name):
                if (kw.arg in REGION_KEYWORDS or kw.arg == "location") and self._places_with(call, qual, name, kw.arg) \
                        and not (qual.startswith(OPERATORS) and self._on_a_resource_created_here(call, kw.value)):
                    location = kw.arg == "location"
                    self.check(kw.value, py_region_hint(qual) or (None if location else "aws"), location_key=location)
            # os.environ.setdefault("AWS_DEFAULT_REGION", "...")
            if qual in ("os.environ.setdefault", "os.putenv") and len(call.args) >= 2:
                key = str_const(call.args[0])
                if key and norm(key) in REGION_ENV:
                    self.check(call.args[1], env_hint(key))

    def _region_arguments(self, call: ast.Call, name: str) -> list[ast.keyword]:
        """The call's keywords, and boto3's region given by position: `client(service_name,
        region_name=None, ...)` takes it second (`boto3.client("bedrock-runtime", "us-east-1")`)."""
        keywords = [*call.keywords, *unpacked_keywords(self.ctx, call)]
        if name in ("client", "resource") and len(call.args) >= 2 and not isinstance(call.args[1], ast.Starred) \
                and (self.ctx.qualname(call.func) or "").startswith("boto3"):
            return [*keywords, ast.keyword(arg="region_name", value=call.args[1])]
        return keywords

    def _places_with(self, call: ast.Call, qual: str, name: str, arg: str) -> bool:
        """A region given to `call` as its `arg` keyword sets where compute runs."""
        if arg in REGION_KEYWORDS:
            return self._places_compute(call, qual, name)
        return arg == "location" and bool(qual.startswith(LOCATION_SDKS) or LANGCHAIN_CLIENT.match(qual)
                                          or self._placing_operator(qual, name)) \
            and not default_for_reads(self.ctx, call, qual, self.words, self._string) \
            and not retrieved_to_read(self.ctx, call, qual, self._string) \
            and not only_reads(self.ctx, call) and not reads_where_it_runs(name)

    def function_places(self, function: ast.AST, param: str) -> bool:
        """The parameter, or a name or `**settings` map built from it, reaches a call of this file's
        SDKs that places compute (`aip.PipelineJob(**configs)` with `configs = {"location":
        location, ...}`), or a call named for placing (`reaches_placing_call`)."""
        if reaches_placing_call(function, param, self.words):
            return True
        names = derived_names(function, param)
        for call in (n for n in walk(function) if isinstance(n, ast.Call)):
            qual = self.ctx.qualname(call.func) or ""
            name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
            for kw in call.keywords:
                if any(isinstance(n, ast.Name) and n.id in names for n in walk(kw.value)) and any(
                        self._places_with(call, qual, name, arg) for arg in ([kw.arg] if kw.arg else ["location", "region"])):
                    return True
        return False

    def project_calls(self) -> None:
        """`run_pipeline(location=REGION, ...)` of a function another module of the project defines
        (`from ml_components.pipelinehelper import run_pipeline`), whose parameter reaches a call
        that places compute there: the region is reported where this file gives it, as an imported
        constant is. Region arguments given by keyword are read."""
        hint = default_hint(self.ctx)
        for call in self.ctx.calls:
            given = [k for k in call.keywords if k.arg and norm(k.arg) in REGION_CONSTANTS]
            if not given:
                continue
            found = self._project_function(call)
            for kw in given if found is not None else ():
                if found[0].function_places(found[1], kw.arg):  # type: ignore[index,arg-type]
                    self.check(kw.value, hint, location_key=norm(kw.arg) in LOCATION_CONSTANTS)  # type: ignore[arg-type]

    def _project_function(self, call: ast.Call) -> tuple[_PythonScan, ast.FunctionDef] | None:
        """The scan of the project module whose function `call` runs, and that function; each
        name is looked up once per file (`project_calls` and the constants' reads both ask)."""
        if not isinstance(call.func, ast.Name) or call.func.id in self.ctx.functions:
            return None
        name = call.func.id
        if name not in self._projects:
            found = imported_function(self.ctx, name)
            self._projects[name] = (_PythonScan(found[0], self.options), found[1]) if found is not None else None
        return self._projects[name]

    def _placing_operator(self, qual: str, name: str) -> bool:
        """An orchestrator's cloud operator not named by a data word (`GCSCreateBucketOperator`)
        nor by a verb that addresses what exists (`DataprocClusterDeleteOperator`, `...GetOperator`,
        a `...Sensor` that waits): like `delete` and `describe` commands, those run nothing."""
        return qual.startswith(OPERATORS) and not key_words(name) & (self.words | OPERATOR_ADDRESSING_WORDS)

    def _on_a_resource_created_here(self, call: ast.Call, value: ast.expr) -> bool:
        """An operator's work on a cluster an earlier operator of the file creates by name, in the
        same region (`DataProcPySparkOperator(cluster_name=c, region=r)` after
        `DataprocClusterCreateOperator(cluster_name=c, region=r)`): the work runs where that
        cluster was placed, one placement, as `dataproc jobs submit --cluster` after `clusters create`."""
        target = self.ctx.literal(kwarg(call, "cluster_name"))
        region = self._string(value)
        if not isinstance(target, str) or region is None:
            return False
        for other in self.ctx.calls:
            name = call_name(other).rsplit(".", 1)[-1]
            if other is not call and other.lineno < call.lineno and "create" in key_words(name) \
                    and self.ctx.literal(kwarg(other, "cluster_name")) == target \
                    and self._string(kwarg(other, "region")) == region:
                return True
        return False

    def _places_compute(self, call: ast.Call, qual: str, name: str) -> bool:
        """A `region=` / `region_name=` argument of a call that sets where compute runs."""
        if qual.startswith(OPERATORS):
            return self._placing_operator(qual, name)
        if name in ("client", "resource"):
            return bool(services(self.ctx, call) & COMPUTE_SERVICES) and not only_reads(self.ctx, call) \
                and not never_used(self.ctx, call)
        if name == "Session" or qual.endswith(".Session"):
            return self.ctx.imports.uses("sagemaker") or any(
                services(self.ctx, c) & COMPUTE_SERVICES for c in session_clients(self.ctx, call))
        if qual.startswith("apache_beam"):  # options: the region of Dataflow's workers, unless another runner is named
            runner = str_const(next((k.value for k in call.keywords if k.arg == "runner"), None))
            return runner is None or "Dataflow" in runner
        return qual.startswith(REGION_SDKS) or bool(LANGCHAIN_CLIENT.match(qual))

    def beam_option_stores(self) -> None:
        """`options.view_as(GoogleCloudOptions).region = ...` (also through a name bound to the
        view, `google_cloud_options = options.view_as(GoogleCloudOptions)`): Beam's Dataflow
        runner starts its workers there, unless the file names another runner for the pipeline
        (`view_as(StandardOptions).runner = "DirectRunner"`, or its option's default)."""
        stores = [(node.targets[0], node.value) for node in self.ctx.nodes_of(ast.Assign)
                  if len(node.targets) == 1 and isinstance(node.targets[0], ast.Attribute)]
        views = {t.attr: v for t, v in stores if self._beam_view(t.value)}
        runner = self.ctx.literal(views["runner"]) if "runner" in views else None
        if isinstance(runner, str) and "Dataflow" not in runner:
            return
        for key in ("region", "worker_region", "zone", "worker_zone"):
            if key in views:
                self.check(views[key], "gcp")

    def _beam_view(self, node: ast.AST) -> bool:
        """An options view of Beam's (`options.view_as(GoogleCloudOptions)`), or a name bound to one."""
        if isinstance(node, ast.Name):
            node = self.ctx.binding_value(node)
        if not (isinstance(node, ast.Call) and node.args and call_name(node).endswith("view_as")):
            return False
        return (self.ctx.qualname(node.args[0]) or "").startswith("apache_beam")

    def settings_dicts(self) -> None:
        """A dict written out as a job's settings, with a `region` (or Google Cloud / Azure
        `location`) key beside a key that describes compute, at any depth (Dataflow's `{'runner':
        ..., 'machine_type': 'n1-standard-2', 'region': 'us-central1'}`, AI Platform's `{'region':
        ..., 'masterConfig': {'imageUri': ...}}`): its region places that job wherever the dict is
        passed, as the same map in a config file does. Not a dict of tags or labels."""
        hint = default_hint(self.ctx)
        for node in self.ctx.nodes_of(ast.Dict):
            keys = [str_const(k) if k is not None else None for k in node.keys]
            placed = next(((k, v) for k, v in zip(keys, node.values) if k and norm(k) in ("region", "location")), None)
            if placed is None or not self._describes_compute(node) or self._describes_an_object(node) \
                    or self._only_shown(node):
                continue
            self.check(placed[1], hint, location_key=norm(placed[0]) == "location")

    def _describes_compute(self, settings: ast.Dict) -> bool:
        words = set().union(*(key_words(k) for n in walk(settings) if isinstance(n, ast.Dict)
                              for k in map(str_const, n.keys) if k))
        return bool(words & COMPUTE_WORDS) and not any(key_words(k) & self.words
                                                       for k in map(str_const, settings.keys) if k)

    def _only_shown(self, settings: ast.Dict) -> bool:
        """A dict bound to a name that is only ever printed, logged or spelled into an f-string
        (`reasoning.append(f"{json.dumps(api_evidence)}")`): a record of settings, not settings."""
        name = bound_name(self.ctx, settings)
        if name is None:
            return False
        reads = self.ctx.reads_of(name, self.ctx.enclosing_function(settings) or self.ctx.tree)
        return bool(reads) and all(any(isinstance(a, ast.JoinedStr) or isinstance(a, ast.Call) and (
            call_name(a) in DISPLAYS or call_name(a).startswith(("logging.", "logger.", "log."))) for a in self.ctx.ancestors(r))
            for r in reads)

    def _describes_an_object(self, settings: ast.Dict) -> bool:
        """`labels={'region': ...}`, `tags=...`, or the value of such a key: names, not placement."""
        holder = self.ctx.parent(settings)
        key = holder.arg if isinstance(holder, ast.keyword) else None
        if isinstance(holder, ast.Dict):
            key = next((str_const(k) for k, v in zip(holder.keys, holder.values) if v is settings and k is not None), None)
        return key is not None and norm(key) in DESCRIPTIVE_KEYS

    def environ(self) -> None:
        """os.environ["AWS_DEFAULT_REGION"] = "...". The same region written to several region
        variables in one scope (`AWS_REGION`, `AWS_DEFAULT_REGION`) is one placement: reported once."""
        written: set[tuple[int, str]] = set()
        for node in self.ctx.nodes_of(ast.Assign):
            if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Subscript):
                continue
            target = node.targets[0]
            if self.ctx.qualname(target.value) == "os.environ":
                key = str_const(target.slice)
                if key and norm(key) in REGION_ENV:
                    value = str_const(node.value) if not isinstance(node.value, ast.Name) else node.value.id
                    placement = (id(self.ctx.enclosing_function(node) or self.ctx.tree), value or "")
                    if value is not None and placement in written:
                        continue
                    written.add(placement)
                    self.check(node.value, env_hint(key), location_key=norm(key).endswith("location"))


@detector("GL401", "python")
def carbon_intensive_region_python(ctx) -> None:
    if is_test_suite(ctx):
        return
    start = len(ctx.findings)
    scan = _PythonScan(ctx)
    scan.project_calls()
    if _uses_a_cloud_sdk(ctx):
        scan.constants()
        scan.calls()
        scan.environ()
        scan.parameter_defaults()
        scan.settings_dicts()
        scan.beam_option_stores()
    shell_regions(ctx, scan.variable)
    _one_finding_per_zoned_region(ctx, start)


def _uses_a_cloud_sdk(ctx) -> bool:
    """The file imports a cloud SDK or operator package, or calls one through a package it imports
    (`from tfx import v1 as tfx`, then `tfx.extensions.google_cloud_ai_platform.Trainer(...)`)."""
    return ctx.imports.uses(*SDKS_AND_OPERATORS) or any(
        (ctx.qualname(call.func) or "").startswith(SDKS_AND_OPERATORS) for call in ctx.calls)


def _one_finding_per_zoned_region(ctx, start: int) -> None:
    """One placement, one finding: a zone (`ZONE = "us-east4-a"` beside `REGION = "us-east4"`, read
    by different calls or commands) of a region the file already reports is not reported again,
    and several zones of one region are reported once; so is the fallback of an environment lookup
    (`os.environ.get("GOOGLE_CLOUD_LOCATION", "us-central1")` in a deployed agent's code) of a
    region the file already sets itself."""
    def written(finding) -> str:
        line = ctx.lines[finding.line - 1] if finding.line == finding.end_line else ""
        return line[finding.column - 1:finding.end_column - 1].strip("\"' ").lower()

    def fallback(finding) -> bool:
        before = ctx.lines[finding.line - 1][:finding.column - 1].rstrip(" \"'") if finding.line <= len(ctx.lines) else ""
        return before.endswith((",", " or")) and ("getenv(" in before or "environ.get(" in before)

    mine = [f for f in ctx.findings[start:] if f.code == "GL401"]
    region_of = {id(f): (f.impact.get("provider"), str(f.impact.get("region", "")).lower()) for f in mine}
    zoned = {id(f) for f in mine if written(f) != region_of[id(f)][1] and written(f).startswith(region_of[id(f)][1])
             or fallback(f)}
    placed = {region_of[id(f)] for f in mine if id(f) not in zoned}
    dropped = set()
    for f in mine:
        if id(f) in zoned:
            if region_of[id(f)] in placed:
                dropped.add(id(f))
            placed.add(region_of[id(f)])
    if dropped:
        ctx.findings[start:] = [f for f in ctx.findings[start:] if id(f) not in dropped]
