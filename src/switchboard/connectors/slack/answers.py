"""Reading Slack's answer into an operation's output model, without trusting its shape blindly."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import ValidationError

from switchboard.connectors.base import Output
from switchboard.errors import ProviderError

OutputT = TypeVar("OutputT", bound=Output)


def answer_as(model: type[OutputT], answer: dict[str, Any], method: str) -> OutputT:
    """The output for Slack's answer; every field Slack sent is kept, the declared ones are checked."""
    try:
        return model.model_validate(answer)
    except ValidationError as problem:
        fields = ", ".join(".".join(str(part) for part in error["loc"]) for error in problem.errors())
        raise ProviderError(
            f"Slack's answer to {method} is not what it documents (unexpected: {fields})",
            details={"slack_answer_keys": sorted(answer)},
        ) from None
