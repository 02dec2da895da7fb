"""Checking a workflow file and reporting every problem with its path.

The raw document is walked by hand rather than handed to pydantic in one go, so that one broken
step does not hide the problems of the others: `switchboard validate` lists them all, each as
`steps[1].input.dst: ...`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from switchboard.connectors.base import Connector, Operation
from switchboard.connectors.registry import Registry, suggestion
from switchboard.definition.model import TRIGGER_NAME, RetryPolicy, Workflow
from switchboard.errors import Problem, WorkflowInvalid
from switchboard.mapping.templates import (
    ListTemplate,
    ObjectTemplate,
    Template,
    TemplateSyntaxError,
    compile_inputs,
)
from switchboard.triggers.kinds import BUILT_IN

STEP_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")

_CHILD_KEYS: dict[str, tuple[str, ...]] = {
    "boolean-condition": ("then", "else"),
    "branch": ("branches", "default"),
    "loop": ("do",),
    "break-loop": ("target",),
}
"""Which control-flow keys each core connector takes; every other connector takes none."""

_STEP_KEYS = {"name", "title", "connector", "operation", "auth", "input", "on_error", "retry"}
_ALL_CHILD_KEYS = {key for keys in _CHILD_KEYS.values() for key in keys}
_WORKFLOW_KEYS = {"version", "title", "description", "enabled", "trigger", "config", "steps"}


class _Header(BaseModel):
    """The workflow's own fields, checked apart from its steps."""

    model_config = ConfigDict(extra="ignore")

    version: int = 1
    title: str
    description: str = ""
    enabled: bool = True
    config: dict[str, Any] = {}


class _StepFields(BaseModel):
    """A step's own scalar fields, checked apart from its nested steps."""

    model_config = ConfigDict(extra="ignore")

    name: str | None = None
    title: str = ""
    connector: str
    operation: str | None = None
    auth: str | None = None
    input: dict[str, Any] = {}
    retry: RetryPolicy | None = None


@dataclass
class _Scope:
    """What a step may refer to: the steps that ran before it and the errors it is inside of."""

    seen: list[str] = field(default_factory=lambda: [TRIGGER_NAME])
    errors: tuple[str, ...] = ()
    loops: tuple[str, ...] = ()


class _Checker:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.problems: list[Problem] = []
        self.names: set[str] = set()
        self.counters: dict[str, int] = {}

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    # -- the document -------------------------------------------------------------------------

    def check(self, raw: Any) -> Any:
        if not isinstance(raw, Mapping):
            self.add("", f"a workflow must be a mapping with title, trigger and steps, not {_kind(raw)}")
            return raw
        document = dict(raw)
        for key in sorted(set(document) - _WORKFLOW_KEYS):
            self.add(key, f"unknown property{suggestion(key, _WORKFLOW_KEYS)}")
        if document.get("version", 1) != 1:
            self.add("version", f"unsupported version {document.get('version')!r}; this Switchboard reads 1")
        self.check_model(_Header, document, "")
        document["trigger"] = self.check_trigger(document.get("trigger", {"type": "manual"}))
        steps = document.get("steps", [])
        if not isinstance(steps, list):
            self.add("steps", f"must be a list of steps, not {_kind(steps)}")
            return document
        self.collect_names(steps, "steps")
        document["steps"] = self.check_steps(steps, "steps", _Scope())
        return document

    def check_trigger(self, raw: Any) -> Any:
        if isinstance(raw, str):
            raw = {"type": raw}
        if not isinstance(raw, Mapping):
            self.add("trigger", f"must be a mapping such as {{type: manual}}, not {_kind(raw)}")
            return raw
        kind_name = raw.get("type", "manual")
        settings = {k: v for k, v in raw.items() if k not in ("type", "auth")}
        kind = BUILT_IN.get(kind_name) if isinstance(kind_name, str) else None
        connector: Connector | None = None
        if kind is None and isinstance(kind_name, str) and "." in kind_name:
            connector_name, _, trigger_name = kind_name.partition(".")
            if connector_name in self.registry:
                connector = self.registry.get(connector_name)
                kind = connector.triggers.get(trigger_name)
        if kind is None:
            known = [*BUILT_IN, *(f"{c.name}.{t}" for c in self.registry for t in c.triggers)]
            self.add("trigger.type", f"unknown trigger type {kind_name!r}{suggestion(str(kind_name), known)}")
            return raw
        if kind.settings is not None:
            self.check_model(kind.settings, settings, "trigger")
        if kind.needs_auth and not raw.get("auth"):
            self.add("trigger.auth", f"the {kind_name} trigger needs an authentication to verify signatures")
        return raw

    # -- names --------------------------------------------------------------------------------

    def collect_names(self, steps: list[Any], path: str) -> None:
        """First pass: the explicit names, so generated names never collide with later ones."""
        for index, raw in enumerate(steps):
            if not isinstance(raw, Mapping):
                continue
            name = raw.get("name")
            here = f"{path}[{index}]"
            if isinstance(name, str):
                if name == TRIGGER_NAME:
                    self.add(f"{here}.name", "'trigger' is reserved for the workflow's trigger")
                elif not STEP_NAME.match(name):
                    self.add(f"{here}.name", f"{name!r} is not a valid step name (letters, digits, - and _)")
                elif name in self.names:
                    self.add(f"{here}.name", f"duplicate step name {name!r}")
                self.names.add(name)
            for key, children in _child_lists(raw):
                self.collect_names(children, f"{here}.{key}")

    def assign_name(self, connector: str) -> str:
        """Tray's `<connector>-<n>`, the lowest n not taken."""
        n = self.counters.get(connector, 0)
        while True:
            n += 1
            candidate = f"{connector}-{n}"
            if candidate not in self.names:
                self.counters[connector] = n
                self.names.add(candidate)
                return candidate

    # -- steps --------------------------------------------------------------------------------

    def check_steps(self, steps: list[Any], path: str, scope: _Scope) -> list[Any]:
        return [self.check_step(raw, f"{path}[{index}]", scope) for index, raw in enumerate(steps)]

    def check_step(self, raw: Any, path: str, scope: _Scope) -> Any:
        if not isinstance(raw, Mapping):
            self.add(path, f"a step must be a mapping with connector and operation, not {_kind(raw)}")
            return raw
        step = dict(raw)
        fields = self.check_model(_StepFields, step, path)
        connector_name = step.get("connector") if isinstance(step.get("connector"), str) else None
        if not isinstance(step.get("name"), str) and connector_name:
            step["name"] = self.assign_name(connector_name)
        name = step.get("name") if isinstance(step.get("name"), str) else path
        allowed = _STEP_KEYS | set(_CHILD_KEYS.get(connector_name or "", ()))
        for key in sorted(set(step) - allowed):
            if key in _ALL_CHILD_KEYS:
                self.add(f"{path}.{key}", f"only {_owner_of(key)} steps take {key!r}")
            else:
                self.add(f"{path}.{key}", f"unknown property{suggestion(key, allowed)}")
        operation = self.check_operation(step, connector_name, path)
        if fields is not None and connector_name is not None and connector_name in self.registry:
            self.check_auth(self.registry.get(connector_name), operation, fields.auth, path)
        self.check_input(step.get("input", {}), operation, path, scope, fields, str(name))
        scope.seen.append(str(name))
        self.check_children(step, str(name), connector_name, path, scope)
        return step

    def check_operation(
        self, step: dict[str, Any], connector_name: str | None, path: str
    ) -> Operation | None:
        if connector_name is None:
            return None
        if connector_name not in self.registry:
            known = [c.name for c in self.registry]
            self.add(
                f"{path}.connector",
                f"unknown connector {connector_name!r}{suggestion(connector_name, known)}",
            )
            return None
        connector = self.registry.get(connector_name)
        op_name = step.get("operation")
        if op_name is None and len(connector.operations) == 1:
            op_name = step["operation"] = next(iter(connector.operations))
        if op_name is None:
            names = ", ".join(connector.operations)
            self.add(f"{path}.operation", f"required: one of the {connector_name} operations ({names})")
            return None
        if not isinstance(op_name, str):
            return None
        operation = connector.operations.get(op_name)
        if operation is None:
            self.add(
                f"{path}.operation",
                f"connector {connector_name!r} has no operation {op_name!r}"
                f"{suggestion(op_name, connector.operations)}",
            )
        return operation

    def check_auth(
        self, connector: Connector, operation: Operation | None, auth: str | None, path: str
    ) -> None:
        if connector.auth is None and auth is not None:
            self.add(f"{path}.auth", f"connector {connector.name!r} takes no authentication")
        elif auth is None and (operation.needs_auth if operation else connector.auth_required):
            self.add(f"{path}.auth", f"required: connector {connector.name!r} needs an authentication")

    def check_input(
        self,
        raw: Any,
        operation: Operation | None,
        path: str,
        scope: _Scope,
        fields: _StepFields | None,
        own: str,
    ) -> None:
        if not isinstance(raw, Mapping):
            return  # already reported by the step's own fields
        syntax: list[TemplateSyntaxError] = []
        templates = compile_inputs(raw, operation.verbatim_inputs if operation else (), syntax)
        for error in syntax:
            self.add(f"{path}.input.{error.location}", error.message)
        for key, template in templates.items():
            self.check_references(
                key, template, f"{path}.input", scope, own=own, has_auth=bool(fields and fields.auth)
            )
        if operation is not None:
            self.check_literal_input(dict(raw), templates, operation, f"{path}.input")

    def check_references(
        self, key: str, template: Template, path: str, scope: _Scope, *, own: str, has_auth: bool
    ) -> None:
        for location, placeholder in template.placeholders(key):
            where = f"{path}.{location}"
            compiled = placeholder.path
            if compiled.root == "steps" and compiled.step is not None and not placeholder.has_fallback:
                target = compiled.step
                if target in scope.seen:
                    continue
                if target == own:
                    self.add(where, f"{compiled.text}: a step cannot read its own output")
                elif target not in self.names:
                    self.add(
                        where,
                        f"{compiled.text} refers to no step named {target!r}{suggestion(target, scope.seen)}",
                    )
                else:
                    self.add(
                        where,
                        f"{compiled.text} refers to {target!r}, which runs later (or on another branch)",
                    )
            elif (
                compiled.root == "errors" and compiled.step is not None and compiled.step not in scope.errors
            ):
                branch = f"{compiled.step}'s error branch"
                self.add(where, f"{compiled.text}: $.errors.{compiled.step} exists only in {branch}")
            elif compiled.root == "auth" and not has_auth:
                self.add(where, f"{compiled.text}: this step has no authentication to read $.auth from")

    def check_literal_input(
        self, raw: dict[str, Any], templates: Mapping[str, Template], operation: Operation, path: str
    ) -> None:
        """Type-check what is known now; a value that comes from a jsonpath is checked at run time."""
        dynamic = {key: template for key, template in templates.items() if template.dynamic}
        try:
            operation.input_model.model_validate(raw)
        except ValidationError as exc:
            for error in exc.errors():
                loc = error["loc"]
                if (
                    loc
                    and isinstance(loc[0], str)
                    and loc[0] in dynamic
                    and _under_dynamic(dynamic[loc[0]], loc)
                ):
                    continue
                if not loc and dynamic:  # a check across fields, some of which are known only at run time
                    continue
                self.add(_join(path, loc), _message(error))

    def check_children(
        self, step: dict[str, Any], name: str, connector: str | None, path: str, scope: _Scope
    ) -> None:
        for key, value in step.items():
            if key in ("then", "else", "default", "do"):
                if value is None:
                    continue
                if not isinstance(value, list):
                    self.add(f"{path}.{key}", f"must be a list of steps, not {_kind(value)}")
                    continue
                inner = _Scope(scope.seen, scope.errors, (*scope.loops, name) if key == "do" else scope.loops)
                step[key] = self.check_steps(value, f"{path}.{key}", inner)
            elif key == "branches":
                step[key] = self.check_branches(value, step.get("input"), path, scope)
        if connector == "break-loop":
            target = step.get("target")
            if target is None and scope.loops:
                step["target"] = scope.loops[-1]
            elif target is None:
                self.add(path, "break-loop must be inside a loop's 'do' steps")
            elif target not in scope.loops:
                self.add(f"{path}.target", f"{target!r} is not a loop around this step")
        if connector == "boolean-condition" and "then" not in step and "else" not in step:
            self.add(path, "a boolean-condition needs 'then' or 'else' steps")
        if connector == "loop" and "do" not in step:
            self.add(path, "a loop needs 'do' steps")
        on_error = step.get("on_error", "stop")
        if isinstance(on_error, Mapping):
            branch = on_error.get("steps")
            if set(on_error) != {"steps"} or not isinstance(branch, list):
                self.add(f"{path}.on_error", "must be 'stop', 'continue' or {steps: [...]}")
            else:
                inner = _Scope(scope.seen, (*scope.errors, name), scope.loops)
                step["on_error"] = {"steps": self.check_steps(branch, f"{path}.on_error.steps", inner)}
        elif on_error not in ("stop", "continue"):
            self.add(f"{path}.on_error", f"must be 'stop', 'continue' or {{steps: [...]}}, not {on_error!r}")

    def check_branches(self, value: Any, raw_input: Any, path: str, scope: _Scope) -> Any:
        if not isinstance(value, Mapping):
            self.add(f"{path}.branches", f"must map each branch label to a list of steps, not {_kind(value)}")
            return value
        labels = _declared_labels(raw_input)
        result = {}
        for label, steps in value.items():
            where = f"{path}.branches.{label}"
            if labels is not None and label not in labels:
                self.add(where, f"no entry of input.branches has the label {label!r}")
            if not isinstance(steps, list):
                self.add(where, f"must be a list of steps, not {_kind(steps)}")
                result[label] = steps
                continue
            result[label] = self.check_steps(steps, where, scope)
        return result

    # -- pydantic -----------------------------------------------------------------------------

    def check_model(self, model: type[BaseModel], raw: Mapping[str, Any], path: str) -> Any:
        try:
            return model.model_validate(raw)
        except ValidationError as exc:
            for error in exc.errors():
                self.add(_join(path, error["loc"]), _message(error))
            return None


def _child_lists(raw: Mapping[str, Any]) -> Iterable[tuple[str, list[Any]]]:
    for key in ("then", "else", "default", "do"):
        if isinstance(raw.get(key), list):
            yield key, raw[key]
    branches = raw.get("branches")
    if isinstance(branches, Mapping):
        for label, steps in branches.items():
            if isinstance(steps, list):
                yield f"branches.{label}", steps
    on_error = raw.get("on_error")
    if isinstance(on_error, Mapping) and isinstance(on_error.get("steps"), list):
        yield "on_error.steps", on_error["steps"]


def _declared_labels(raw_input: Any) -> set[str] | None:
    """The labels a branch step's input declares, when they are literal."""
    if not isinstance(raw_input, Mapping) or not isinstance(raw_input.get("branches"), list):
        return None
    labels: set[str] = set()
    for entry in raw_input["branches"]:
        if not isinstance(entry, Mapping):
            return None
        label = entry.get("label", entry.get("value"))
        labels.add(str(label))
    return labels


def _under_dynamic(template: Template, loc: tuple[int | str, ...]) -> bool:
    """Whether a validation error points into a value that is only known at run time."""
    current: Template = template
    for part in loc[1:]:
        if not current.dynamic:
            return False
        if isinstance(current, ListTemplate) and isinstance(part, int) and part < len(current.items):
            current = current.items[part]
        elif isinstance(current, ObjectTemplate) and isinstance(part, str):
            found = dict(current.items).get(part)
            if found is None:
                return True
            current = found
        else:
            return True
    return current.dynamic


def _join(path: str, loc: Iterable[int | str]) -> str:
    text = path
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text = f"{text}.{part}" if text else str(part)
    return text


def _message(error: Any) -> str:
    kind = error.get("type")
    if kind == "missing":
        return "required"
    if kind == "extra_forbidden":
        return "unknown property"
    message = str(error.get("msg", "invalid"))
    message = message.removeprefix("Value error, ")
    value = error.get("input")
    if kind not in ("value_error", "assertion_error") and not isinstance(value, (dict, list)):
        message += f" (got {value!r})"
    return message[0].lower() + message[1:] if message else message


def _kind(value: Any) -> str:
    return {list: "a list", dict: "a mapping", str: "a string", type(None): "nothing"}.get(
        type(value), type(value).__name__
    )


def _owner_of(key: str) -> str:
    return " and ".join(name for name, keys in _CHILD_KEYS.items() if key in keys)


def check_workflow(raw: Any, registry: Registry) -> Workflow:
    """The typed workflow for a raw document, or `WorkflowInvalid` with every problem found."""
    checker = _Checker(registry)
    document = checker.check(raw)
    if checker.problems:
        raise WorkflowInvalid(checker.problems)
    try:
        return Workflow.model_validate(document)
    except ValidationError as exc:  # a shape the walk did not foresee: still report it with paths
        raise WorkflowInvalid([Problem(_join("", e["loc"]), _message(e)) for e in exc.errors()]) from None
