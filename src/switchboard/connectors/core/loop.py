"""`loop`: run the `do` steps once per item of a list or entry of an object, or until a break.

Inside the loop, `$.steps.loop-1` reads the current iteration: `value`, `index`, `key` (objects),
`is_first`, `is_last` and `count`.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from switchboard.connectors.base import Connector, Input, Output

connector = Connector("loop", title="Loop", description="Repeat the 'do' steps for each item.")


class LoopArray(Input):
    array: list[Any]


class LoopObject(Input):
    object: dict[str, Any]


class LoopForever(Input):
    max_iterations: int = Field(1000, ge=1, le=100_000, description="A guard against a missing break.")


class LoopItem(Output):
    key: str | int
    value: Any


class LoopPlan(Output):
    """The iterations to run; `items` is None for a loop that runs until a break-loop."""

    items: list[LoopItem] | None
    max_iterations: int | None = None


@connector.operation("loop_array", title="Loop over a list", repeat_safe=True)
async def loop_array(data: LoopArray) -> LoopPlan:
    """One iteration per item, in order."""
    return LoopPlan(items=[LoopItem(key=i, value=v) for i, v in enumerate(data.array)])


@connector.operation("loop_object", title="Loop over an object", repeat_safe=True)
async def loop_object(data: LoopObject) -> LoopPlan:
    """One iteration per key, in the object's order; `key` and `value` are both readable."""
    return LoopPlan(items=[LoopItem(key=k, value=v) for k, v in data.object.items()])


@connector.operation("loop_forever", title="Loop until a break", repeat_safe=True)
async def loop_forever(data: LoopForever) -> LoopPlan:
    """Until a break-loop step targets this loop, or `max_iterations` (then the step fails)."""
    return LoopPlan(items=None, max_iterations=data.max_iterations)
