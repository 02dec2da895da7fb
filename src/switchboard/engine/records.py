"""What a run leaves behind: the run and one entry per executed step (SPEC §5, the run record)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

RunStatus = Literal["queued", "running", "succeeded", "failed", "needs_review", "cancelled"]
StepStatus = Literal["running", "succeeded", "failed", "needs_review", "cancelled"]
FINISHED_RUN_STATUSES = ("succeeded", "failed", "needs_review", "cancelled")


def now() -> datetime:
    return datetime.now(UTC)


def utc(moment: datetime) -> datetime:
    """A time as UTC: naive times are UTC (SQLite gives back naive datetimes; every time we store is UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def utc_or_none(moment: datetime | None) -> datetime | None:
    """`utc` of a time that may be missing."""
    return None if moment is None else utc(moment)


def timestamp(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with milliseconds, as the run record shows times."""
    if moment is None:
        return None
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class StepEntry:
    """One execution of one step; a step inside a loop has one entry per iteration."""

    name: str
    connector: str
    operation: str
    title: str = ""
    iteration: str = ""
    """Which loop iterations enclose this execution (`loop-1:2/loop-2:0`); '' outside loops."""
    loop_index: int | None = None
    status: StepStatus = "running"
    attempts: int = 0
    input: Any = None
    output: Any = None
    error: dict[str, Any] | None = None
    started_at: datetime = field(default_factory=now)
    finished_at: datetime | None = None
    seq: int = 0
    """Order of execution within the run."""

    @property
    def key(self) -> tuple[str, str]:
        return self.name, self.iteration

    def to_record(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "connector": self.connector,
            "operation": self.operation,
            "status": self.status,
            "attempts": self.attempts,
            "input": self.input,
            "output": self.output,
            "error": self.error,
            "started_at": timestamp(self.started_at),
            "finished_at": timestamp(self.finished_at),
            "duration_ms": _duration_ms(self.started_at, self.finished_at),
            "loop_index": self.loop_index,
            "iteration": self.iteration,
        }


@dataclass
class RunState:
    """A run as the journal stores it."""

    id: str
    workflow_id: str | None
    workflow_version: int | None
    status: RunStatus = "running"
    trigger_type: str = "manual"
    trigger_data: Any = None
    started_at: datetime = field(default_factory=now)
    finished_at: datetime | None = None
    error: dict[str, Any] | None = None
    steps: list[StepEntry] = field(default_factory=list)
    owner_id: str | None = None
    """The user whose authentications the run may use: the workflow's owner."""
    replay_of: str | None = None

    def to_record(self) -> dict[str, Any]:
        """The run record of SPEC §5, as `switchboard run --json` prints it."""
        return {
            "id": self.id,
            "workflow_id": self.workflow_id,
            "workflow_version": self.workflow_version,
            "status": self.status,
            "trigger_type": self.trigger_type,
            "started_at": timestamp(self.started_at),
            "finished_at": timestamp(self.finished_at),
            "duration_ms": _duration_ms(self.started_at, self.finished_at),
            "error": self.error,
            "replay_of": self.replay_of,
            "steps": [entry.to_record() for entry in self.steps],
        }


def _duration_ms(start: datetime, end: datetime | None) -> float | None:
    return None if end is None else round((end - start).total_seconds() * 1000, 3)


class Journal(Protocol):
    """Where a run is written as it goes, so that a crash leaves an exact record."""

    async def run_started(self, run: RunState) -> None:
        """Record a new run (or mark a resumed one running again), with the steps it already has
        (the trigger's), in one write."""

    async def save_step(self, run: RunState, entry: StepEntry) -> None:
        """Record a step's state: before it runs (with its redacted input) and right after.

        A step is identified by (run, name, iteration), so saving it again updates its record.
        """

    async def run_finished(self, run: RunState) -> None:
        """Record the run's final status."""
