"""The built-in trigger kinds and the settings each reads from the workflow file's `trigger`."""

from __future__ import annotations

from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from switchboard.connectors.base import TriggerKind


class ManualSettings(BaseModel):
    """A run started by hand (CLI, API, UI); its input is the trigger's output."""

    model_config = ConfigDict(extra="forbid")


class ScheduleSettings(BaseModel):
    """Cron with a time zone, or every N minutes."""

    model_config = ConfigDict(extra="forbid")

    cron: str | None = None
    every_minutes: int | None = Field(None, ge=1, le=60 * 24 * 31)
    timezone: str = "UTC"

    @field_validator("cron")
    @classmethod
    def _cron_parses(cls, value: str | None) -> str | None:
        if value is not None and not croniter.is_valid(value):
            raise ValueError(f"{value!r} is not a valid cron expression (e.g. '30 2 * * *')")
        return value

    @field_validator("timezone")
    @classmethod
    def _zone_exists(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (e.g. 'Europe/London')") from None
        return value

    @model_validator(mode="after")
    def _one_rule(self) -> ScheduleSettings:
        if (self.cron is None) == (self.every_minutes is None):
            raise ValueError("a schedule needs exactly one of 'cron' and 'every_minutes'")
        return self


class WebhookSettings(BaseModel):
    """An HTTP endpoint: answer at once, or wait for a `webhook-response` step."""

    model_config = ConfigDict(extra="forbid")

    mode: Literal["fire_and_forget", "respond"] = "fire_and_forget"


class CallableSettings(BaseModel):
    """Started by another workflow's `call-workflow` step."""

    model_config = ConfigDict(extra="forbid")


BUILT_IN: dict[str, TriggerKind] = {
    kind.name: kind
    for kind in (
        TriggerKind("manual", "Manual", "Run by hand from the CLI, the API or the UI.", ManualSettings),
        TriggerKind("schedule", "Schedule", "Run on a cron schedule or every N minutes.", ScheduleSettings),
        TriggerKind("webhook", "Webhook", "Run when a request reaches the workflow's URL.", WebhookSettings),
        TriggerKind("callable", "Callable", "Run when another workflow calls this one.", CallableSettings),
    )
}
