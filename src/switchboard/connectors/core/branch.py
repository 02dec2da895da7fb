"""`branch`: run the steps of the first branch whose value equals the tested value."""

from __future__ import annotations

from typing import Any

from switchboard.connectors.base import Connector, Input, Output
from switchboard.connectors.core.boolean_condition import Condition, compare

connector = Connector(
    "branch",
    title="Branch",
    description="Run the steps of the branch whose value matches, else the 'default' steps.",
)

DEFAULT = "default"


class BranchCase(Input):
    value: Any
    label: str | None = None


class BranchInput(Input):
    value: Any
    branches: list[BranchCase]


class BranchChoice(Output):
    branch: str
    """The label of the chosen branch, or `default`."""


@connector.operation("simple", title="Branch on a value", repeat_safe=True)
async def simple(data: BranchInput) -> BranchChoice:
    """The first case whose value equals the tested one (JSON equality) wins."""
    for case in data.branches:
        if compare(Condition(value1=data.value, comparison_type="===", value2=case.value)):
            return BranchChoice(branch=case.label if case.label is not None else str(case.value))
    return BranchChoice(branch=DEFAULT)
