"""Plivo's short answers to changes, shared by the operations that change things."""

from __future__ import annotations

from pydantic import Field

from switchboard.connectors.base import Output


class Changed(Output):
    """Plivo's answer to a change: ``{"api_id": ..., "message": "changed"}``."""

    api_id: str | None = Field(default=None, description="Plivo's id for this request.")
    message: str = Field(default="", description="'changed'.")
