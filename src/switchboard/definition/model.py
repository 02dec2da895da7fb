"""The workflow file as typed models (SPEC §2): a title, one trigger and a tree of steps."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

TRIGGER_NAME = "trigger"
"""The trigger's step name: its output is `$.steps.trigger`."""


class RetryPolicy(BaseModel):
    """How often to repeat a step that failed with a transient error, and how long to wait between."""

    model_config = ConfigDict(extra="forbid")

    attempts: int = Field(3, ge=1, le=20, description="Attempts in all, the first one included.")
    initial_delay: float = Field(1.0, ge=0, le=3600, description="Seconds before the second attempt.")
    factor: float = Field(2.0, ge=1, le=10, description="Each wait is this many times the previous one.")
    max_delay: float = Field(60.0, ge=0, le=3600, description="No wait is longer than this.")
    jitter: bool = Field(True, description="Randomise each wait (0.5x to 1x) so retries do not align.")


class ErrorBranch(BaseModel):
    """Steps that run instead of failing the run; they read the error at `$.errors.<step>`."""

    model_config = ConfigDict(extra="forbid")

    steps: list[Step]


ErrorHandling = Literal["stop", "continue"] | ErrorBranch


class Step(BaseModel):
    """One step of a workflow; control-flow steps carry nested step lists."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: str
    title: str = ""
    connector: str
    operation: str
    auth: str | None = None
    input: dict[str, Any] = Field(default_factory=dict)
    on_error: ErrorHandling = "stop"
    retry: RetryPolicy | None = None
    then: list[Step] | None = None
    else_: list[Step] | None = Field(None, alias="else")
    branches: dict[str, list[Step]] | None = None
    default: list[Step] | None = None
    do: list[Step] | None = None
    target: str | None = None

    def children(self) -> Iterator[tuple[str, list[Step]]]:
        """Every nested step list with its key (`then`, `branches.stop`, `on_error.steps`...)."""
        for key in ("then", "else_", "default", "do"):
            steps = getattr(self, key)
            if steps is not None:
                yield key.rstrip("_"), steps
        for label, steps in (self.branches or {}).items():
            yield f"branches.{label}", steps
        if isinstance(self.on_error, ErrorBranch):
            yield "on_error.steps", self.on_error.steps


class Trigger(BaseModel):
    """What starts a run; each trigger type reads its own extra settings (cron, mode, auth...)."""

    model_config = ConfigDict(extra="allow")

    type: str = "manual"
    auth: str | None = None

    @property
    def settings(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class Workflow(BaseModel):
    """A whole workflow file."""

    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    title: str = Field(min_length=1)
    description: str = ""
    enabled: bool = True
    trigger: Trigger = Field(default_factory=Trigger)
    config: dict[str, Any] = Field(default_factory=dict)
    steps: list[Step] = Field(default_factory=list)

    def walk(self) -> Iterator[Step]:
        """Every step, depth first, in the order they appear in the file."""
        yield from _walk(self.steps)

    def to_document(self) -> dict[str, Any]:
        """The workflow as its file would say it (JSON-ready, aliases such as `else` restored)."""
        return {"version": self.version, **self.model_dump(mode="json", by_alias=True, exclude_defaults=True)}


def _walk(steps: list[Step]) -> Iterator[Step]:
    for step in steps:
        yield step
        for _, children in step.children():
            yield from _walk(children)
