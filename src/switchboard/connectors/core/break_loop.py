"""`break-loop`: leave the loop named by `target` (by default the innermost one)."""

from __future__ import annotations

from switchboard.connectors.base import Connector, Input, Output

connector = Connector("break-loop", title="Break Loop", description="Stop the enclosing loop.")


class BreakInput(Input):
    pass


class BreakDone(Output):
    pass


@connector.operation("break", title="Break loop", repeat_safe=True)
async def break_loop(data: BreakInput) -> BreakDone:
    """The engine ends the target loop after this step; the operation itself has nothing to do."""
    return BreakDone()
