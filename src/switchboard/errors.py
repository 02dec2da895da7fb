"""One exception hierarchy for everything a user can be told.

Every error carries a stable ``code`` that the CLI, the API and the run journal show, so that a
user (or a script) can tell errors apart without parsing messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class SwitchboardError(Exception):
    """Base of every error Switchboard reports to a user."""

    code = "switchboard_error"
    retryable = False

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_dict(self) -> dict[str, Any]:
        """The JSON form stored in the run journal and returned by the API."""
        return {"type": self.code, "message": self.message}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a workflow file, at a path such as ``steps[1].input.dst``."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class WorkflowInvalid(SwitchboardError):
    """A workflow file that cannot run; lists every problem found, not just the first."""

    code = "workflow_invalid"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(f"the workflow is invalid ({count}):\n" + "\n".join(f"  {p}" for p in problems))

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.code,
            "message": self.message,
            "details": [{"path": p.path, "message": p.message} for p in self.problems],
        }


class MappingError(SwitchboardError):
    """A jsonpath that found nothing, or a template that cannot be resolved. Never retried."""

    code = "mapping_error"


class InputInvalid(SwitchboardError):
    """A step's resolved input does not fit its operation's schema. Never retried."""

    code = "input_invalid"


class OperationFailed(SwitchboardError):
    """An operation could not do what it was asked (bad regex, unknown key...). Not retried."""

    code = "operation_failed"


class ProviderError(SwitchboardError):
    """A provider (Plivo, Slack, an HTTP API) answered with an error or could not be reached.

    ``retryable`` marks transient failures (timeouts, 429, 5xx) that a step's retry policy may
    repeat; ``retry_after`` is the provider's own hint in seconds, honoured over our backoff.
    """

    code = "provider_error"

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        retryable: bool = False,
        retry_after: float | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.retryable = retryable
        self.retry_after = retry_after
        self.details = details or {}

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        if self.status is not None:
            data["status"] = self.status
        if self.retryable:
            data["retryable"] = True
        if self.retry_after is not None:
            data["retry_after"] = self.retry_after
        data.update(self.details)
        return data


class StepTimeout(ProviderError):
    """An operation ran past its time limit; treated as transient."""

    code = "timeout"

    def __init__(self, message: str) -> None:
        super().__init__(message, retryable=True)


class RunTerminated(SwitchboardError):
    """Raised by the `terminate` connector to end the run early, as succeeded or failed."""

    code = "terminated"

    def __init__(self, message: str, *, failed: bool) -> None:
        super().__init__(message)
        self.failed = failed


class StepFailed(SwitchboardError):
    """A step failed and its error handling stopped the run; wraps the step's own error."""

    code = "step_failed"

    def __init__(self, step: str, cause: SwitchboardError) -> None:
        super().__init__(f"{step}: {cause.message}")
        self.step = step
        self.cause = cause

    def to_dict(self) -> dict[str, Any]:
        data = self.cause.to_dict()
        data["step"] = self.step
        return data


class NotFound(SwitchboardError):
    """A named thing (workflow, run, authentication, connector) does not exist."""

    code = "not_found"
