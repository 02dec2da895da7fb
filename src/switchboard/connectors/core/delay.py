"""`delay`: wait before the next step."""

from __future__ import annotations

import asyncio
from typing import Literal

from pydantic import Field

from switchboard.connectors.base import Connector, Input, Output

connector = Connector("delay", title="Delay", description="Wait for a while before the next step.")


class DelayInput(Input):
    delay_value: float = Field(ge=0, le=600)
    time_unit: Literal["seconds", "minutes"] = "seconds"


class Delayed(Output):
    delayed_seconds: float


@connector.operation("delay", title="Delay", repeat_safe=True)
async def delay(data: DelayInput) -> Delayed:
    """Up to 600 seconds or 600 minutes; longer waits belong in a schedule."""
    seconds = data.delay_value * (60 if data.time_unit == "minutes" else 1)
    await asyncio.sleep(seconds)
    return Delayed(delayed_seconds=seconds)
