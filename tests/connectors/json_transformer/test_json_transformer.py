"""json-transformer: JMESPath queries over step outputs, and their errors."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from switchboard.errors import OperationFailed

from ...support import RunWorkflow, outputs
from .conftest import call, result

CONTACTS = {
    "people": [
        {"name": "Ada", "age": 36, "phone": "+447700900123"},
        {"name": "Grace", "age": 45, "phone": None},
        {"name": "Alan", "age": 28, "phone": "+447700900456"},
    ]
}


async def test_a_workflow_reshapes_a_step_output_with_a_query(run_workflow: RunWorkflow) -> None:
    run = await run_workflow(
        {
            "connector": "json-transformer",
            "operation": "transform",
            "input": {
                "data": "{$.steps.trigger}",
                "query": "{reachable: people[?phone].name, count: length(people)}",
            },
        },
        trigger=CONTACTS,
    )
    assert run.status == "succeeded"
    assert outputs(run)["json-transformer-1"] == {"result": {"reachable": ["Ada", "Alan"], "count": 3}}


async def test_an_invalid_query_fails_the_step_saying_where(run_workflow: RunWorkflow) -> None:
    run = await run_workflow(
        {
            "connector": "json-transformer",
            "operation": "transform",
            "input": {"data": {}, "query": "people[?age >"},
        },
    )
    [step] = [s for s in run.steps if s.name == "json-transformer-1"]
    assert step.error is not None
    assert step.error["type"] == "operation_failed"
    assert step.error["message"].startswith(
        "input.query: 'people[?age >' is not a valid JMESPath expression: "
    )


async def test_transform_filters_with_literals_and_projects_fields() -> None:
    assert await result("transform", data=CONTACTS, query="people[?age > `30`].name") == ["Ada", "Grace"]


async def test_transform_gives_null_when_the_query_selects_nothing() -> None:
    assert await result("transform", data=CONTACTS, query="nobody") is None


async def test_transform_works_on_lists_and_scalars() -> None:
    assert await result("transform", data=[3, 1, 2], query="sort(@)") == [1, 2, 3]
    assert await result("transform", data="text", query="length(@)") == 4


async def test_a_function_given_the_wrong_type_is_reported() -> None:
    with pytest.raises(
        OperationFailed, match=re.escape("input.query: 'sum(people)' failed on input.data: In function sum()")
    ):
        await call("transform", data=CONTACTS, query="sum(people)")


async def test_an_unknown_function_is_reported() -> None:
    with pytest.raises(OperationFailed, match=r"input\.query: 'shout\(name\)'"):
        await call("transform", data={"name": "a"}, query="shout(name)")


async def test_transform_needs_a_query() -> None:
    with pytest.raises(ValidationError, match="at least 1 character"):
        await call("transform", data={}, query="")
    with pytest.raises(ValidationError, match="query"):
        await call("transform", data={})
