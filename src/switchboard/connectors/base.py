"""The connector SDK: what a connector declares and what the engine sees of it.

A connector is a named set of operations plus, optionally, the fields of its authentication.
Each operation is one coroutine with a pydantic input model and output model; the models give the
JSON Schemas that the validator, the API and the builder UI use. The engine only ever sees
`Connector`, `Operation`, `Input`/`Output` and `Context`: it never imports a connector, and a
connector never touches the database, the journal or the HTTP server.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Generic, Literal, Protocol, TypeVar, cast, get_type_hints
from urllib.parse import parse_qsl

from pydantic import BaseModel, ConfigDict, Field

from switchboard.errors import SwitchboardError

JsonScalar = str | int | float | bool | None
"""A JSON value that is not a container; what most text operations accept."""

SECRET_MARK = "secret"

_SECRET_SCHEMA = {SECRET_MARK: True, "writeOnly": True, "format": "password"}

Secret = Annotated[str, Field(json_schema_extra=_SECRET_SCHEMA)]
"""An authentication field that is encrypted at rest and redacted wherever it would be shown."""

OptionalSecret = Annotated[str | None, Field(default=None, json_schema_extra=_SECRET_SCHEMA)]
"""A secret that may be left out. `Secret | None` would lose the mark inside the union; this keeps it."""


class Input(BaseModel):
    """Base of operation inputs: unknown properties are an error, so typos surface at validation."""

    model_config = ConfigDict(extra="forbid")


class Output(BaseModel):
    """Base of operation outputs: what later steps read through `$.steps.<name>`."""

    model_config = ConfigDict(extra="allow")


class AuthFields(BaseModel):
    """Base of a connector's authentication fields; mark secrets with `Secret`."""

    model_config = ConfigDict(extra="forbid")


VERBATIM_MARK = "verbatim"


def verbatim(description: str, **schema: Any) -> Any:
    """A text input taken as written, never as a template: code, where `{` and `}` are the language's own."""
    return Field(description=description, json_schema_extra={VERBATIM_MARK: True, **schema})


def _marked_fields(model: type[BaseModel], mark: str) -> frozenset[str]:
    names = set()
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra
        if isinstance(extra, dict) and extra.get(mark):
            names.add(name)
    return frozenset(names)


def secret_field_names(model: type[AuthFields]) -> frozenset[str]:
    """The fields of an authentication model that hold secrets."""
    return _marked_fields(model, SECRET_MARK)


AuthT = TypeVar("AuthT", bound=AuthFields | None)
ClientT = TypeVar("ClientT")


class ClientPool:
    """Long-lived clients (HTTP pools, rate limiters) shared by every step using one authentication.

    Keyed by the factory and a digest of the authentication's values, so editing an authentication
    gives its next step a fresh client while unchanged ones keep their connection pool.
    """

    def __init__(self) -> None:
        self._clients: dict[tuple[Any, str], Any] = {}

    def get(self, factory: Callable[[Any], ClientT], auth: AuthFields | None) -> ClientT:
        digest = "" if auth is None else hashlib.sha256(auth.model_dump_json().encode()).hexdigest()
        key = (factory, digest)
        if key not in self._clients:
            self._clients[key] = factory(auth)
        return cast(ClientT, self._clients[key])

    async def aclose(self) -> None:
        """Close every client that has an `aclose` (httpx clients, aiohttp sessions)."""
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            close = getattr(client, "aclose", None)
            if close is not None:
                await close()


class RunServices(Protocol):
    """What the process running a workflow offers its steps beyond the step's own input.

    Core connectors use it (`webhook-response` answers the request that started the run,
    `storage` keeps values, `call-workflow` starts another workflow); a connector to an outside
    service never needs it.
    """

    def respond(self, response: HookResponse | Any) -> bool:
        """Answer whoever started the run and waits: an HTTP request (a `HookResponse`) or a calling
        workflow (any JSON value). False when nobody waits for an answer."""
        ...

    async def storage_get(self, scope: StorageScope, key: str) -> tuple[bool, Any]:
        """`(found, value)` of a stored key."""
        ...

    async def storage_put(self, scope: StorageScope, key: str, value: Any) -> None: ...

    async def storage_append(self, scope: StorageScope, key: str, value: Any, *, create: bool) -> list[Any]:
        """Append to the list at `key` atomically; the list after the append."""
        ...

    async def storage_delete(self, scope: StorageScope, key: str) -> bool: ...

    async def call_workflow(self, workflow_id: str, data: Any, *, wait: bool) -> dict[str, Any]:
        """Start a `callable` workflow; with `wait`, its `callable-response` value and final status."""
        ...


StorageScope = Literal["run", "workflow", "account"]


@dataclass
class Context(Generic[AuthT]):
    """What an operation may know about the run it is part of, and the shared clients it may use."""

    auth: AuthT
    run_id: str
    step: str
    auth_name: str | None = None
    workflow_id: str | None = None
    attempt: int = 1
    clients: ClientPool = field(default_factory=ClientPool)
    services: RunServices | None = None
    log: logging.LoggerAdapter[logging.Logger] = field(
        default_factory=lambda: logging.LoggerAdapter(logging.getLogger("switchboard.connector"), {})
    )

    def client(self, factory: Callable[[AuthT], ClientT]) -> ClientT:
        """The pooled client that `factory` builds for this step's authentication."""
        return self.clients.get(factory, self.auth)


@dataclass(frozen=True)
class InboundRequest:
    """An HTTP request that reached a trigger's URL, as a trigger handler sees it."""

    method: str
    url: str
    """The full URL the provider called, as it signed it (scheme, host, path and query)."""
    headers: Mapping[str, str]
    """Header names in lower case."""
    body: bytes
    query: Mapping[str, str] = field(default_factory=dict)

    def form(self) -> dict[str, str]:
        """The body as `application/x-www-form-urlencoded` fields (last value wins)."""
        return dict(parse_qsl(self.body.decode("utf-8", errors="replace"), keep_blank_values=True))

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass(frozen=True)
class HookResponse:
    """What the trigger's URL answers when no `webhook-response` step sets the answer."""

    status: int = 200
    body: str = ""
    media_type: str = "text/plain"
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TriggerEvent:
    """A verified inbound event: what the run's trigger step outputs, and how to answer."""

    output: Any
    dedup_key: str | None = None
    """Provider retries carry the same key; a second event with a key already seen starts nothing."""
    start_run: bool = True
    """False for handshakes (Slack's url_verification) that only need an answer."""
    response: HookResponse | None = None


class TriggerRejected(SwitchboardError):
    """A request that must not start anything: bad or missing signature, stale timestamp."""

    code = "trigger_rejected"

    def __init__(self, message: str, *, status: int = 403) -> None:
        super().__init__(message)
        self.status = status


TriggerHandler = Callable[[InboundRequest, Any, Mapping[str, Any]], Awaitable[TriggerEvent]]
"""`handler(request, auth_fields_or_None, trigger_settings)`: verify the request and describe the event."""


@dataclass(frozen=True)
class TriggerKind:
    """A kind of trigger (`schedule`, `plivo.incoming_message`) and the settings it reads.

    Connector triggers have a `handler` that verifies the provider's signature with the
    authentication named in the workflow's trigger, and turns the request into a `TriggerEvent`.
    """

    name: str
    title: str
    description: str = ""
    settings: type[BaseModel] | None = None
    needs_auth: bool = False
    handler: TriggerHandler | None = None

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "needs_auth": self.needs_auth,
            "settings_schema": self.settings.model_json_schema() if self.settings else None,
        }


OperationFunc = Callable[..., Awaitable[Output]]
ReconcileFunc = Callable[..., Awaitable[Output | None]]
AuthTestFunc = Callable[[Context[Any]], Awaitable[object]]


@dataclass(frozen=True)
class Operation:
    """One thing a connector can do, with the models that describe its input and output."""

    connector: str
    name: str
    title: str
    description: str
    input_model: type[Input]
    output_model: type[Output]
    func: OperationFunc
    takes_context: bool
    repeat_safe: bool
    reconcile: ReconcileFunc | None = None
    needs_auth: bool = False
    """Whether a step must name an authentication (local helpers of a connector may need none)."""

    async def __call__(self, data: Input, ctx: Context[Any]) -> Output:
        if self.takes_context:
            return await self.func(data, ctx)
        return await self.func(data)

    @property
    def verbatim_inputs(self) -> frozenset[str]:
        """Input properties passed as written: no placeholders are looked for in them."""
        return _marked_fields(self.input_model, VERBATIM_MARK)

    def input_schema(self) -> dict[str, Any]:
        return self.input_model.model_json_schema()

    def output_schema(self) -> dict[str, Any]:
        return self.output_model.model_json_schema()

    def describe(self) -> dict[str, Any]:
        """The public description served by `GET /api/v1/connectors`."""
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "repeat_safe": self.repeat_safe,
            "needs_auth": self.needs_auth,
            "input_schema": self.input_schema(),
            "output_schema": self.output_schema(),
        }


class Connector:
    """A named integration: its authentication fields and its operations.

    Operations are registered with the `operation` decorator, whose function signature gives the
    input model (first parameter), whether it wants a `Context` (a second parameter) and the output
    model (the return annotation).
    """

    def __init__(
        self,
        name: str,
        *,
        title: str,
        description: str = "",
        auth: type[AuthFields] | None = None,
        auth_required: bool = True,
        version: str = "1.0",
    ) -> None:
        self.name = name
        self.title = title
        self.description = description
        self.auth = auth
        self.auth_required = auth is not None and auth_required
        self.version = version
        self.operations: dict[str, Operation] = {}
        self.auth_test: AuthTestFunc | None = None
        self.triggers: dict[str, TriggerKind] = {}

    def operation(
        self,
        name: str,
        *,
        title: str,
        repeat_safe: bool,
        reconcile: ReconcileFunc | None = None,
        description: str | None = None,
        needs_auth: bool | None = None,
    ) -> Callable[[OperationFunc], OperationFunc]:
        """Register a coroutine as the operation `name` of this connector.

        `needs_auth` defaults to the connector's `auth_required`; a local helper that calls no API
        (Plivo's `validate_number`) says False.
        """

        def register(func: OperationFunc) -> OperationFunc:
            if name in self.operations:
                raise ValueError(f"connector {self.name!r} already has an operation {name!r}")
            hints = get_type_hints(func)
            params = list(inspect.signature(func).parameters)
            if not params or len(params) > 2:
                raise TypeError(f"{func.__qualname__}: an operation takes (input) or (input, ctx)")
            input_model = hints.get(params[0])
            output_model = hints.get("return")
            if not (isinstance(input_model, type) and issubclass(input_model, Input)):
                raise TypeError(f"{func.__qualname__}: the first parameter must be an Input model")
            if not (isinstance(output_model, type) and issubclass(output_model, Output)):
                raise TypeError(f"{func.__qualname__}: the return annotation must be an Output model")
            self.operations[name] = Operation(
                connector=self.name,
                name=name,
                title=title,
                description=description or inspect.getdoc(func) or "",
                input_model=input_model,
                output_model=output_model,
                func=func,
                takes_context=len(params) == 2,
                repeat_safe=repeat_safe,
                reconcile=reconcile,
                needs_auth=self.auth_required if needs_auth is None else needs_auth,
            )
            return func

        return register

    def add_trigger(self, kind: TriggerKind) -> None:
        """Declare a trigger this connector provides; workflows name it `<connector>.<kind>`."""
        self.triggers[kind.name] = kind

    def test(self, func: AuthTestFunc) -> AuthTestFunc:
        """Register the call that checks an authentication works (e.g. Plivo's get account).

        `func(ctx)` gets a `Context` whose `auth` is the typed fields; it raises a
        `SwitchboardError` when the provider refuses them, and may return a short text to show.
        """
        self.auth_test = func
        return func

    def describe(self) -> dict[str, Any]:
        """The public description served by `GET /api/v1/connectors`."""
        auth: dict[str, Any] | None = None
        if self.auth is not None:
            auth = {
                "schema": self.auth.model_json_schema(),
                "secret_fields": sorted(secret_field_names(self.auth)),
                "required": self.auth_required,
            }
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "version": self.version,
            "auth": auth,
            "operations": [op.describe() for op in self.operations.values()],
            "triggers": [kind.describe() for kind in self.triggers.values()],
        }
