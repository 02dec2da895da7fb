"""data-mapper: each operation's behaviour, its errors on bad input, and its use in workflows."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from switchboard.errors import OperationFailed

from ...support import RunWorkflow, outputs
from .conftest import call, result

STATUSES = [
    {"from": "queued", "to": "Pending"},
    {"from": "delivered", "to": "Done"},
    {"from": 1, "to": "One"},
]

# -- through the engine: Tray's output shapes ----------------------------------------------------------


async def test_map_keys_puts_the_renamed_keys_at_the_root_of_the_output(run_workflow: RunWorkflow) -> None:
    run = await run_workflow(
        {
            "connector": "data-mapper",
            "operation": "map_keys",
            "input": {
                "input": "{$.steps.trigger}",
                "mappings": [{"from": "From", "to": "sender"}, {"from": "Text", "to": "body"}],
                "keep_unmapped": False,
            },
        },
        {
            "connector": "data-mapper",
            "operation": "map_one_value",
            "input": {
                "value": "{$.steps.data-mapper-1.body}",
                "mappings": [{"from": "STOP", "to": "opt-out"}],
            },
        },
        trigger={"From": "+447700900123", "Text": "STOP", "MessageUUID": "abc"},
    )
    assert run.status == "succeeded"
    assert outputs(run)["data-mapper-1"] == {"sender": "+447700900123", "body": "STOP"}
    assert outputs(run)["data-mapper-2"] == {"result": "opt-out"}


async def test_map_values_puts_the_list_under_output(run_workflow: RunWorkflow) -> None:
    run = await run_workflow(
        {
            "connector": "data-mapper",
            "operation": "map_values",
            "input": {"input": "{$.steps.trigger.messages}", "field": "status", "mappings": STATUSES},
        },
        trigger={"messages": [{"id": 1, "status": "queued"}, {"id": 2, "status": "delivered"}]},
    )
    assert outputs(run)["data-mapper-1"] == {
        "output": [{"id": 1, "status": "Pending"}, {"id": 2, "status": "Done"}]
    }


async def test_a_key_mapped_twice_fails_as_invalid_input(run_workflow: RunWorkflow) -> None:
    run = await run_workflow(
        {
            "connector": "data-mapper",
            "operation": "map_keys",
            "input": {
                "input": "{$.steps.trigger}",
                "mappings": [{"from": "a", "to": "x"}, {"from": "b", "to": "x"}],
            },
        },
        trigger={"a": 1, "b": 2},
    )
    [step] = [s for s in run.steps if s.name == "data-mapper-1"]
    assert step.error == {
        "type": "input_invalid",
        "message": "input: mappings[1].to: 'x' is already the 'to' of mappings[0]",
    }


# -- map_keys -----------------------------------------------------------------------------------------


async def test_map_keys_keeps_unmapped_keys_by_default() -> None:
    mapped = await call("map_keys", input={"a": 1, "b": 2}, mappings=[{"from": "a", "to": "alpha"}])
    assert mapped == {"alpha": 1, "b": 2}


async def test_map_keys_skips_mappings_whose_key_is_absent() -> None:
    assert await call("map_keys", input={"b": 2}, mappings=[{"from": "a", "to": "alpha"}]) == {"b": 2}


async def test_map_keys_can_swap_keys_and_a_renamed_key_wins_over_a_kept_one() -> None:
    swapped = await call(
        "map_keys", input={"a": 1, "b": 2}, mappings=[{"from": "a", "to": "b"}, {"from": "b", "to": "a"}]
    )
    assert swapped == {"b": 1, "a": 2}
    clash = await call("map_keys", input={"x": "kept", "a": "renamed"}, mappings=[{"from": "a", "to": "x"}])
    assert clash == {"x": "renamed"}


async def test_map_keys_output_may_use_any_key_name() -> None:
    mapped = await call("map_keys", input={"a": 1}, mappings=[{"from": "a", "to": "model_config"}])
    assert mapped == {"model_config": 1}


async def test_map_keys_refuses_a_non_object_and_malformed_mappings() -> None:
    with pytest.raises(ValidationError, match="valid dictionary"):
        await call("map_keys", input=[1], mappings=[])
    with pytest.raises(ValidationError, match=r"mappings\.0\.to"):
        await call("map_keys", input={}, mappings=[{"from": "a"}])
    with pytest.raises(
        ValidationError, match=re.escape("mappings[1].from: 'a' is already the 'from' of mappings[0]")
    ):
        await call("map_keys", input={}, mappings=[{"from": "a", "to": "x"}, {"from": "a", "to": "y"}])


# -- map_one_value ------------------------------------------------------------------------------------


async def test_map_one_value_uses_the_first_equal_from_with_json_equality() -> None:
    assert await result("map_one_value", value="delivered", mappings=STATUSES) == "Done"
    assert await result("map_one_value", value=1.0, mappings=STATUSES) == "One"
    assert await result("map_one_value", value=True, mappings=STATUSES) is None


async def test_map_one_value_gives_the_default_when_nothing_matches() -> None:
    assert await result("map_one_value", value="failed", mappings=STATUSES, default="Unknown") == "Unknown"


async def test_map_one_value_can_ignore_letter_case() -> None:
    assert await result("map_one_value", value="QUEUED", mappings=STATUSES) is None
    assert await result("map_one_value", value="QUEUED", mappings=STATUSES, case_sensitive=False) == "Pending"


async def test_map_one_value_can_map_to_any_json_value() -> None:
    mappings = [{"from": {"code": 1}, "to": [1, 2]}]
    assert await result("map_one_value", value={"code": 1}, mappings=mappings) == [1, 2]


async def test_map_one_value_needs_a_value_and_from_to_pairs() -> None:
    with pytest.raises(ValidationError, match="value"):
        await call("map_one_value", mappings=STATUSES)
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        await call("map_one_value", value="a", mappings=[{"from": "a", "to": "b", "too": "c"}])


# -- map_values ---------------------------------------------------------------------------------------


async def test_map_values_leaves_unmatched_values_and_objects_without_the_field_alone() -> None:
    items = [{"status": "queued"}, {"status": "bounced"}, {"other": 1}]
    mapped = await call("map_values", input=items, field="status", mappings=STATUSES)
    assert mapped == {"output": [{"status": "Pending"}, {"status": "bounced"}, {"other": 1}]}


async def test_map_values_with_a_default_replaces_unmatched_values() -> None:
    mapped = await call("map_values", input=["queued", "bounced"], mappings=STATUSES, default="Other")
    assert mapped == {"output": ["Pending", "Other"]}


async def test_map_values_without_a_field_translates_plain_items() -> None:
    assert await call("map_values", input=["delivered", 1, None], mappings=STATUSES) == {
        "output": ["Done", "One", None]
    }


async def test_map_values_with_a_field_needs_objects() -> None:
    with pytest.raises(
        OperationFailed, match=re.escape("input.input[1] is not an object, so it has no field 'status'")
    ):
        await call("map_values", input=[{"status": "queued"}, "queued"], field="status", mappings=STATUSES)
    with pytest.raises(ValidationError, match="valid list"):
        await call("map_values", input={"status": "queued"}, field="status", mappings=STATUSES)
