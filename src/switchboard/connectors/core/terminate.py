"""`terminate`: end the run now, as succeeded or as failed with a message."""

from __future__ import annotations

from switchboard.connectors.base import Connector, Input, Output
from switchboard.errors import RunTerminated

connector = Connector("terminate", title="Terminate", description="End the run early.")


class TerminateInput(Input):
    message: str = "terminated by the workflow"


class FailInput(Input):
    message: str


class Never(Output):
    """Never returned: both operations end the run."""


@connector.operation("terminate_run", title="Terminate run", repeat_safe=True)
async def terminate_run(data: TerminateInput) -> Never:
    """The run ends as succeeded; steps after this one do not run."""
    raise RunTerminated(data.message, failed=False)


@connector.operation("fail_run", title="Fail run", repeat_safe=True)
async def fail_run(data: FailInput) -> Never:
    """The run ends as failed with this message, whatever the step's error handling says."""
    raise RunTerminated(data.message, failed=True)
