"""list-helpers: each operation's behaviour, its errors on bad input, and its use in workflows."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from switchboard.errors import OperationFailed

from ...support import RunWorkflow, outputs
from .conftest import call, result

MESSAGES = [
    {"id": "m1", "status": "delivered", "cost": 0.5},
    {"id": "m2", "status": "failed", "cost": 0.25},
    {"id": "m3", "status": "delivered", "cost": 0.75},
]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3)
    ),
    max_leaves=8,
)

# -- through the engine ----------------------------------------------------------------------------


async def test_a_workflow_keeps_the_delivered_messages_and_loops_over_them(run_workflow: RunWorkflow) -> None:
    run = await run_workflow(
        {
            "connector": "list-helpers",
            "operation": "filter_by_jsonpath",
            "input": {"list": "{$.steps.trigger.messages}", "jsonpath": "$[?@.status == 'delivered']"},
        },
        {
            "connector": "loop",
            "operation": "loop_array",
            "input": {"array": "{$.steps.list-helpers-1.result}"},
            "do": [
                {
                    "connector": "list-helpers",
                    "operation": "count_items",
                    "input": {"list": "{$.steps.trigger.messages}"},
                }
            ],
        },
        trigger={"messages": MESSAGES},
    )
    assert run.status == "succeeded"
    assert [m["id"] for m in outputs(run)["list-helpers-1"]["result"]] == ["m1", "m3"]
    assert outputs(run)["list-helpers-2@loop-1:1"] == {"result": 3}


async def test_an_index_out_of_range_fails_the_step_with_the_valid_range(run_workflow: RunWorkflow) -> None:
    run = await run_workflow(
        {"connector": "list-helpers", "operation": "get_item", "input": {"list": ["a", "b"], "index": 5}},
    )
    [step] = [s for s in run.steps if s.name == "list-helpers-1"]
    assert run.status == "failed"
    assert step.error == {
        "type": "operation_failed",
        "message": "input.index: 5 is out of range for a list of 2 items (valid: -2 to 1)",
    }


async def test_a_list_input_that_is_not_a_list_is_invalid_input(run_workflow: RunWorkflow) -> None:
    run = await run_workflow(
        {
            "connector": "list-helpers",
            "operation": "count_items",
            "input": {"list": "{$.steps.trigger.text}"},
        },
        trigger={"text": "a,b"},
    )
    [step] = [s for s in run.steps if s.name == "list-helpers-1"]
    assert step.error == {"type": "input_invalid", "message": "input.list: Input should be a valid list"}


# -- counting and picking ---------------------------------------------------------------------------


async def test_count_items_counts_the_top_level_items() -> None:
    assert await result("count_items", list=[1, [2, 3], None]) == 3
    assert await result("count_items", list=[]) == 0


async def test_count_items_needs_a_list() -> None:
    with pytest.raises(ValidationError, match="valid list"):
        await call("count_items", list={"a": 1})


async def test_first_and_last_item() -> None:
    assert await result("first_item", list=["a", "b", "c"]) == "a"
    assert await result("last_item", list=["a", "b", "c"]) == "c"


async def test_first_and_last_item_of_an_empty_list_is_an_error_unless_a_default_is_given() -> None:
    with pytest.raises(OperationFailed, match=r"input\.list is empty, so it has no first item"):
        await call("first_item", list=[])
    with pytest.raises(OperationFailed, match=r"input\.list is empty, so it has no last item"):
        await call("last_item", list=[])
    assert await result("first_item", list=[], default=None) is None
    assert await result("last_item", list=[], default="none") == "none"


async def test_get_item_counts_from_zero_and_from_the_end_with_negative_indexes() -> None:
    assert await result("get_item", list=["a", "b", "c"], index=1) == "b"
    assert await result("get_item", list=["a", "b", "c"], index=-1) == "c"


async def test_get_item_out_of_range_gives_the_default_when_one_is_set() -> None:
    assert await result("get_item", list=["a"], index=3, default="?") == "?"


async def test_get_item_needs_an_integer_index() -> None:
    with pytest.raises(OperationFailed, match=r"-3 is out of range for a list of 2 items"):
        await call("get_item", list=[1, 2], index=-3)
    with pytest.raises(ValidationError, match="valid integer"):
        await call("get_item", list=[1, 2], index="first")


# -- equality: duplicates and membership ------------------------------------------------------------


async def test_remove_duplicates_keeps_the_first_of_json_equal_items_in_order() -> None:
    items = [1, 1.0, True, "1", {"a": 1, "b": 2}, {"b": 2, "a": 1}, [1, 2], [2, 1], None, None]
    assert await result("remove_duplicates", list=items) == [
        1,
        True,
        "1",
        {"a": 1, "b": 2},
        [1, 2],
        [2, 1],
        None,
    ]


async def test_remove_duplicates_needs_a_list() -> None:
    with pytest.raises(ValidationError, match="valid list"):
        await call("remove_duplicates", list=None)


@given(st.lists(json_values, max_size=8))
async def test_removing_duplicates_twice_changes_nothing_more(items: list[Any]) -> None:
    once = await result("remove_duplicates", list=items)
    assert await result("remove_duplicates", list=once) == once
    assert len(once) <= len(items)


async def test_contains_item_uses_json_equality() -> None:
    assert await result("contains_item", list=[1, {"a": [1]}], item=1.0) is True
    assert await result("contains_item", list=[1, {"a": [1]}], item={"a": [1.0]}) is True
    assert await result("contains_item", list=[1], item=True) is False
    assert await result("contains_item", list=["1"], item=1) is False


async def test_contains_item_needs_an_item_to_look_for() -> None:
    with pytest.raises(ValidationError, match="item"):
        await call("contains_item", list=[1])


# -- sort -------------------------------------------------------------------------------------------


async def test_sort_orders_numbers_texts_and_booleans() -> None:
    assert await result("sort", list=[3, 1.5, 2]) == [1.5, 2, 3]
    assert await result("sort", list=["b", "B", "a"]) == ["B", "a", "b"]
    assert await result("sort", list=[True, False]) == [False, True]


async def test_sort_descending_and_ignoring_case() -> None:
    assert await result("sort", list=[1, 3, 2], descending=True) == [3, 2, 1]
    assert await result("sort", list=["b", "B", "a"], case_sensitive=False) == ["a", "b", "B"]


async def test_sort_puts_nulls_last_in_both_directions() -> None:
    assert await result("sort", list=[2, None, 1]) == [1, 2, None]
    assert await result("sort", list=[2, None, 1], descending=True) == [2, 1, None]


async def test_sort_orders_objects_by_a_key_with_missing_keys_last() -> None:
    people = [{"n": "c", "age": 30}, {"n": "a"}, {"n": "b", "age": 20}]
    assert [p["n"] for p in await result("sort", list=people, key="age")] == ["b", "c", "a"]


@given(st.lists(st.tuples(st.integers(0, 3), st.integers()), max_size=12), st.booleans())
async def test_sort_keeps_equal_items_in_their_original_order(
    pairs: list[tuple[int, int]], descending: bool
) -> None:
    items = [{"k": k, "order": i} for i, (k, _) in enumerate(pairs)]
    ordered = await result("sort", list=items, key="k", descending=descending)
    assert ordered == sorted(items, key=lambda item: item["k"], reverse=descending)
    for first, second in itertools.pairwise(ordered):
        if first["k"] == second["k"]:
            assert first["order"] < second["order"]


async def test_sort_refuses_mixed_types_naming_the_two_items() -> None:
    with pytest.raises(
        OperationFailed,
        match=re.escape(
            "cannot sort: input.list[0] is a number but input.list[2] is a text "
            "(all must be numbers, all texts or all booleans)"
        ),
    ):
        await call("sort", list=[1, None, "2"])
    with pytest.raises(
        OperationFailed, match=re.escape("input.list[0] is a boolean but input.list[1] is a number")
    ):
        await call("sort", list=[True, 1])


async def test_sort_refuses_objects_without_a_key_and_non_objects_with_one() -> None:
    with pytest.raises(OperationFailed, match=r"give input\.key to sort objects by a property"):
        await call("sort", list=[{"a": 1}, {"a": 0}])
    with pytest.raises(
        OperationFailed, match=re.escape("input.list[1] is a number, not an object, so it has no 'a'")
    ):
        await call("sort", list=[{"a": 1}, 5], key="a")
    with pytest.raises(OperationFailed, match=re.escape("input.list[0].a is an array")):
        await call("sort", list=[{"a": [1]}], key="a")


# -- reshaping --------------------------------------------------------------------------------------


async def test_chunk_cuts_the_list_into_batches() -> None:
    assert await result("chunk", list=[1, 2, 3, 4, 5], size=2) == [[1, 2], [3, 4], [5]]
    assert await result("chunk", list=[], size=3) == []


async def test_chunk_needs_a_positive_size() -> None:
    with pytest.raises(ValidationError, match="greater than or equal to 1"):
        await call("chunk", list=[1], size=0)


@given(st.lists(st.integers(), max_size=30), st.integers(1, 7))
async def test_chunks_put_together_give_back_the_list(items: list[int], size: int) -> None:
    chunks = await result("chunk", list=items, size=size)
    assert [item for chunk in chunks for item in chunk] == items
    assert all(len(chunk) == size for chunk in chunks[:-1])
    assert all(0 < len(chunk) <= size for chunk in chunks)


async def test_flatten_opens_one_level_by_default_and_all_with_null() -> None:
    nested = [1, [2, [3, [4]]], [], "ab"]
    assert await result("flatten", list=nested) == [1, 2, [3, [4]], "ab"]
    assert await result("flatten", list=nested, depth=2) == [1, 2, 3, [4], "ab"]
    assert await result("flatten", list=nested, depth=None) == [1, 2, 3, 4, "ab"]


async def test_flatten_needs_a_positive_depth() -> None:
    with pytest.raises(ValidationError, match="greater than or equal to 1"):
        await call("flatten", list=[[1]], depth=0)


nested_ints = st.recursive(st.integers(), lambda children: st.lists(children, max_size=3), max_leaves=12)


@given(st.lists(nested_ints, max_size=5))
async def test_flattening_fully_keeps_every_leaf_in_order(items: list[Any]) -> None:
    def leaves(value: Any) -> list[int]:
        return [leaf for item in value for leaf in leaves(item)] if isinstance(value, list) else [value]

    flat = await result("flatten", list=items, depth=None)
    assert flat == leaves(items)
    assert await result("flatten", list=await result("flatten", list=items), depth=None) == flat


async def test_reverse_and_slice() -> None:
    assert await result("reverse", list=[1, 2, 3]) == [3, 2, 1]
    assert await result("slice", list=[1, 2, 3, 4], start=1, end=3) == [2, 3]
    assert await result("slice", list=[1, 2, 3, 4], start=-2) == [3, 4]
    assert await result("slice", list=[1, 2], start=5) == []


async def test_slice_needs_integer_positions() -> None:
    with pytest.raises(ValidationError, match="valid integer"):
        await call("slice", list=[1, 2], start="one")


# -- filter and join --------------------------------------------------------------------------------


async def test_filter_by_jsonpath_keeps_the_items_the_filter_selects() -> None:
    cheap = await result("filter_by_jsonpath", list=MESSAGES, jsonpath="$[?@.cost < 0.6]")
    assert [m["id"] for m in cheap] == ["m1", "m2"]


async def test_filter_by_jsonpath_can_pick_a_property_of_the_matches() -> None:
    ids = await result("filter_by_jsonpath", list=MESSAGES, jsonpath="$[?@.status == 'delivered'].id")
    assert ids == ["m1", "m3"]


async def test_filter_by_jsonpath_reports_an_invalid_expression() -> None:
    with pytest.raises(
        OperationFailed, match=re.escape("input.jsonpath: \"$[?@.status = 'x']\" is not a valid jsonpath")
    ):
        await call("filter_by_jsonpath", list=MESSAGES, jsonpath="$[?@.status = 'x']")


async def test_join_writes_items_as_text_with_the_separator() -> None:
    assert (
        await result("join", list=["a", 1, None, True, {"k": 1}], separator=" | ")
        == 'a | 1 |  | true | {"k":1}'
    )
    assert await result("join", list=["a", "b"]) == "a,b"


async def test_join_needs_a_text_separator() -> None:
    with pytest.raises(ValidationError, match="valid string"):
        await call("join", list=["a"], separator=1)
