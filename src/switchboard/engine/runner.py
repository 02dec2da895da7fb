"""Running one run: the trigger's output, then the step tree, written to the journal as it goes.

Each step: resolve its input from earlier outputs, check it against the operation's model, record
the start, call the operation (retrying transient errors per the step's policy), record the result,
then follow control flow. A run that was interrupted can be resumed from its journal: steps that
finished are not executed again, and a step that is not safe to repeat is parked for review.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import ValidationError

from switchboard.connectors.base import AuthFields, ClientPool, Connector, Context, Input, RunServices
from switchboard.connectors.core.loop import LoopPlan
from switchboard.definition.model import TRIGGER_NAME, ErrorBranch, Step
from switchboard.engine.backoff import retry_delay
from switchboard.engine.plan import Plan, PlannedStep
from switchboard.engine.records import Journal, RunState, StepEntry, StepStatus, now, timestamp
from switchboard.engine.redaction import Redactor
from switchboard.errors import (
    InputInvalid,
    OperationFailed,
    RunTerminated,
    StepFailed,
    StepTimeout,
    SwitchboardError,
)


@dataclass(frozen=True)
class ResolvedAuth:
    """An authentication ready for a step: its typed fields and the secret values to redact."""

    name: str
    fields: AuthFields
    secrets: tuple[str, ...]


class AuthSource(Protocol):
    """Where the engine finds a step's authentication by name (the store, in a server)."""

    async def resolve(self, name: str, connector: Connector, *, owner: str | None) -> ResolvedAuth: ...


class NoAuthentications:
    """The source for runs without a store of authentications: every look-up is a clear error."""

    async def resolve(self, name: str, connector: Connector, *, owner: str | None) -> ResolvedAuth:
        raise SwitchboardError(f"unknown authentication {name!r}: none are configured")


class NeedsReview(SwitchboardError):
    """A step that is not safe to repeat was interrupted; a person must resend it or mark it done."""

    code = "needs_review"


class _BreakLoop(Exception):
    def __init__(self, target: str) -> None:
        self.target = target


SHUTDOWN = "switchboard is shutting down"
"""The message a run's task is cancelled with when the process stops, as opposed to a user's cancel."""

Sleep = Callable[[float], Awaitable[None]]
log = logging.getLogger("switchboard.engine")


@dataclass
class EngineSettings:
    step_timeout: float = 300.0
    """Seconds an operation may run before it fails as a (retryable) timeout."""
    public_url: str = "http://127.0.0.1:8080"


@dataclass
class Engine:
    """Runs workflows; one engine serves many concurrent runs."""

    journal: Journal
    authentications: AuthSource = field(default_factory=NoAuthentications)
    clients: ClientPool = field(default_factory=ClientPool)
    settings: EngineSettings = field(default_factory=EngineSettings)
    sleep: Sleep = asyncio.sleep

    async def run(
        self,
        plan: Plan,
        trigger_output: Any,
        *,
        workflow_id: str | None = None,
        workflow_version: int | None = None,
        trigger_type: str | None = None,
        run_id: str | None = None,
        owner: str | None = None,
        replay_of: str | None = None,
        services: RunServices | None = None,
    ) -> RunState:
        """Start a new run and wait for its end."""
        run = RunState(
            id=run_id or uuid.uuid4().hex,
            workflow_id=workflow_id,
            workflow_version=workflow_version,
            trigger_type=trigger_type or plan.workflow.trigger.type,
            trigger_data=trigger_output,
            owner_id=owner,
            replay_of=replay_of,
        )
        trigger = StepEntry(
            name=TRIGGER_NAME,
            connector=run.trigger_type,
            operation=run.trigger_type,
            title=plan.workflow.trigger.type,
            status="succeeded",
            attempts=1,
            input=trigger_output,
            output=trigger_output,
            started_at=run.started_at,
            finished_at=run.started_at,
        )
        run.steps.append(trigger)
        await self.journal.run_started(run)
        return await _Execution(self, plan, run, prior={}, services=services).execute()

    async def resume(
        self, plan: Plan, run: RunState, *, resend: bool = False, services: RunServices | None = None
    ) -> RunState:
        """Continue an interrupted or failed run from its journal.

        Steps that succeeded keep their recorded output and are not executed again; the step that
        failed or was interrupted runs again. With `resend`, a person has confirmed that an
        interrupted step which is not safe to repeat (an SMS) should be sent again.
        """
        prior = {entry.key: entry for entry in run.steps if entry.name != TRIGGER_NAME}
        if resend:
            for entry in prior.values():
                if entry.status in ("running", "needs_review"):
                    entry.status = "failed"
        run.steps = [entry for entry in run.steps if entry.name == TRIGGER_NAME]
        run.status, run.finished_at, run.error = "running", None, None
        await self.journal.run_started(run)
        return await _Execution(self, plan, run, prior, services=services).execute()


class _Execution:
    """The state of one run while it executes."""

    def __init__(
        self,
        engine: Engine,
        plan: Plan,
        run: RunState,
        prior: dict[tuple[str, str], StepEntry],
        services: RunServices | None,
    ) -> None:
        self.engine = engine
        self.plan = plan
        self.run = run
        self.owner = run.owner_id
        self.prior = prior
        self.services = services
        self.seq = max([entry.seq for entry in run.steps] + [entry.seq for entry in prior.values()])
        workflow = plan.workflow
        self.steps: dict[str, Any] = {TRIGGER_NAME: run.trigger_data}
        self.errors: dict[str, Any] = {}
        self.scope: dict[str, Any] = {
            "steps": self.steps,
            "env": {
                "run_id": run.id,
                "execution_uuid": run.id,
                "workflow_id": run.workflow_id,
                "workflow_uuid": run.workflow_id,
                "workflow_title": workflow.title,
                "workflow_version": run.workflow_version,
                "started_at": timestamp(run.started_at),
                "execution_start_time": timestamp(run.started_at),
                "public_url": engine.settings.public_url,
            },
            "config": workflow.config,
            "auth": {},
            "errors": self.errors,
        }

    async def execute(self) -> RunState:
        run = self.run
        try:
            await self.execute_list(self.plan.workflow.steps, "", None)
            run.status = "succeeded"
        except StepFailed as failure:
            run.status = "needs_review" if isinstance(failure.cause, NeedsReview) else "failed"
            run.error = failure.to_dict()
        except RunTerminated as ended:
            run.status = "failed" if ended.failed else "succeeded"
            run.error = ended.to_dict() if ended.failed else None
        except asyncio.CancelledError as stopped:
            if SHUTDOWN in stopped.args:  # the process is stopping: the run stays `running` to be resumed
                raise
            run.status = "cancelled"
            run.finished_at = now()
            await self.engine.journal.run_finished(run)
            raise
        run.finished_at = now()
        await self.engine.journal.run_finished(run)
        return run

    async def execute_list(self, steps: list[Step], iteration: str, loop_index: int | None) -> None:
        for step in steps:
            await self.execute_step(self.plan[step.name], iteration, loop_index)

    async def execute_step(self, planned: PlannedStep, iteration: str, loop_index: int | None) -> None:
        step = planned.step
        earlier = self.prior.get((step.name, iteration))
        if earlier is not None and earlier.status == "succeeded" and step.connector != "loop":
            self.run.steps.append(earlier)
            self.steps[step.name] = earlier.output
            await self.follow(planned, earlier.output, iteration, loop_index)
            return
        self.seq += 1
        entry = StepEntry(
            name=step.name,
            connector=step.connector,
            operation=step.operation,
            title=step.title,
            iteration=iteration,
            loop_index=loop_index,
            seq=self.seq,
        )
        self.run.steps.append(entry)
        redactor = Redactor()
        try:
            auth = await self.authentication(planned)
            if auth is not None:
                redactor = Redactor(auth.secrets)
            output = await self.attempt(planned, entry, earlier, auth, redactor)
        except RunTerminated as ended:
            await self.finish(entry, redactor, "failed" if ended.failed else "succeeded", error=ended)
            raise
        except SwitchboardError as error:
            status: StepStatus = "needs_review" if isinstance(error, NeedsReview) else "failed"
            await self.finish(entry, redactor, status, error=error)
            await self.handle_error(step, error, iteration, loop_index)
            return
        if step.connector == "loop":
            assert isinstance(output, LoopPlan)
            summary = await self.iterate(planned, output, iteration)
            self.steps[step.name] = summary
            await self.finish(entry, redactor, "succeeded", output=summary)
            return
        data = output.model_dump(mode="json")
        self.steps[step.name] = data
        await self.finish(entry, redactor, "succeeded", output=data)
        await self.follow(planned, data, iteration, loop_index)

    async def attempt(
        self,
        planned: PlannedStep,
        entry: StepEntry,
        earlier: StepEntry | None,
        auth: ResolvedAuth | None,
        redactor: Redactor,
    ) -> Any:
        """Resolve, validate and call the operation, retrying transient errors; returns its output."""
        step, operation = planned.step, planned.operation
        self.scope["auth"] = auth.fields.model_dump(mode="json") if auth else {}
        try:
            resolved = {key: template.resolve(self.scope, f"input.{key}") for key, template in planned.inputs}
        finally:
            self.scope["auth"] = {}
        entry.input = redactor.data(resolved)
        data = _validate_input(operation.input_model, resolved)
        context = Context(
            auth=auth.fields if auth else None,
            run_id=self.run.id,
            step=step.name,
            auth_name=auth.name if auth else None,
            workflow_id=self.run.workflow_id,
            clients=self.engine.clients,
            services=self.services,
        )
        if earlier is not None and earlier.status in ("running", "needs_review"):
            entry.attempts = earlier.attempts
            if not operation.repeat_safe:
                return await self.reconcile(planned, data, context)
        policy = step.retry
        while True:
            entry.attempts += 1
            context.attempt = entry.attempts
            await self.engine.journal.save_step(self.run, entry)  # this attempt is under way
            try:
                async with asyncio.timeout(self.engine.settings.step_timeout):
                    return await operation(data, context)
            except TimeoutError:
                error: SwitchboardError = StepTimeout(
                    f"no answer within {self.engine.settings.step_timeout:g} s"
                )
            except SwitchboardError as raised:
                error = raised
            except Exception as unexpected:  # a connector's bug must fail the step, not hang the run
                log.exception(
                    "step %s of run %s raised %s", step.name, self.run.id, type(unexpected).__name__
                )
                error = OperationFailed(
                    f"the operation failed unexpectedly: {type(unexpected).__name__}: {unexpected}"
                )
            if isinstance(error, RunTerminated):
                raise error
            if policy is None or not error.retryable or entry.attempts >= policy.attempts:
                raise error
            await self.engine.sleep(retry_delay(policy, entry.attempts, getattr(error, "retry_after", None)))

    async def reconcile(self, planned: PlannedStep, data: Input, context: Context[Any]) -> Any:
        """An interrupted send: ask the provider whether it happened, else park it for a person."""
        operation = planned.operation
        if operation.reconcile is not None:
            found = await operation.reconcile(data, context)
            if found is not None:
                return found
        raise NeedsReview(
            f"{operation.connector}.{operation.name} was interrupted and is not safe to repeat; "
            "resend it or mark it done"
        )

    async def authentication(self, planned: PlannedStep) -> ResolvedAuth | None:
        name = planned.step.auth
        if name is None:
            return None
        return await self.engine.authentications.resolve(name, planned.connector, owner=self.owner)

    async def finish(
        self,
        entry: StepEntry,
        redactor: Redactor,
        status: StepStatus,
        *,
        output: Any = None,
        error: SwitchboardError | None = None,
    ) -> None:
        entry.status = status
        entry.output = redactor.data(output)
        entry.error = redactor.data(error.to_dict()) if error is not None else None
        entry.finished_at = now()
        await self.engine.journal.save_step(self.run, entry)

    async def handle_error(
        self, step: Step, error: SwitchboardError, iteration: str, loop_index: int | None
    ) -> None:
        if isinstance(error, NeedsReview) or step.on_error == "stop":
            raise StepFailed(step.name, error)
        details = error.to_dict()
        if step.on_error == "continue":
            self.steps[step.name] = {"error": details}
            return
        assert isinstance(step.on_error, ErrorBranch)
        self.errors[step.name] = details
        try:
            await self.execute_list(step.on_error.steps, iteration, loop_index)
        finally:
            self.errors.pop(step.name, None)

    async def follow(
        self, planned: PlannedStep, output: Mapping[str, Any], iteration: str, loop_index: int | None
    ) -> None:
        """Run the nested steps a control-flow step chose."""
        step = planned.step
        if step.connector == "boolean-condition":
            chosen = step.then if output.get("result") else step.else_
            await self.execute_list(chosen or [], iteration, loop_index)
        elif step.connector == "branch":
            label = output.get("branch")
            chosen = (step.branches or {}).get(str(label), step.default or [])
            await self.execute_list(chosen, iteration, loop_index)
        elif step.connector == "break-loop":
            raise _BreakLoop(step.target or "")

    async def iterate(self, planned: PlannedStep, plan: LoopPlan, iteration: str) -> dict[str, Any]:
        """Run the loop's `do` steps per item; `$.steps.<loop>` reads the current item meanwhile."""
        step = planned.step
        items = plan.items
        limit = len(items) if items is not None else (plan.max_iterations or 0)
        index, broken = 0, False
        while index < limit:
            item = items[index] if items is not None else None
            self.steps[step.name] = {
                "value": item.value if item else None,
                "key": item.key if item else index,
                "index": index,
                "count": len(items) if items is not None else None,
                "is_first": index == 0,
                "is_last": items is not None and index == len(items) - 1,
            }
            here = f"{iteration}/{step.name}:{index}" if iteration else f"{step.name}:{index}"
            try:
                await self.execute_list(step.do or [], here, index)
            except _BreakLoop as signal:
                if signal.target != step.name:
                    raise
                broken = True
                index += 1
                break
            index += 1
        if items is None and not broken:
            raise StepFailed(
                step.name,
                OperationFailed(
                    f"no break-loop ended the loop within max_iterations ({plan.max_iterations})"
                ),
            )
        return {"iterations": index, "count": len(items) if items is not None else index, "broken": broken}


def _validate_input(model: type[Input], resolved: dict[str, Any]) -> Input:
    try:
        return model.model_validate(resolved)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            where = "input" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error["loc"])
            message = (
                "required" if error["type"] == "missing" else str(error["msg"]).removeprefix("Value error, ")
            )
            problems.append(f"{where}: {message}")
        raise InputInvalid("; ".join(problems)) from None
