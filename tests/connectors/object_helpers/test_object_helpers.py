"""object-helpers: each operation's behaviour, its errors on bad input, and its use in workflows."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from switchboard.errors import OperationFailed

from ...support import RunWorkflow, outputs
from .conftest import call, result

CONTACT = {"name": "Ada", "phones": [{"type": "mobile", "number": "+447700900123"}], "tags": {"vip": True}}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=4), children, max_size=3)
    ),
    max_leaves=10,
)

# -- through the engine ----------------------------------------------------------------------------


async def test_a_workflow_parses_a_json_body_and_reads_a_nested_value(run_workflow: RunWorkflow) -> None:
    run = await run_workflow(
        {
            "connector": "object-helpers",
            "operation": "parse_json",
            "input": {"text": "{$.steps.trigger.body}"},
        },
        {
            "connector": "object-helpers",
            "operation": "get_value",
            "input": {"object": "{$.steps.object-helpers-1.result}", "path": "phones.0.number"},
        },
        trigger={"body": json.dumps(CONTACT)},
    )
    assert run.status == "succeeded"
    assert outputs(run)["object-helpers-2"] == {"result": "+447700900123"}


async def test_changing_an_object_leaves_the_step_it_came_from_unchanged(run_workflow: RunWorkflow) -> None:
    run = await run_workflow(
        {
            "connector": "object-helpers",
            "operation": "set_value",
            "input": {"object": "{$.steps.trigger}", "path": "tags.vip", "value": False},
        },
        {
            "connector": "object-helpers",
            "operation": "delete_key",
            "input": {"object": "{$.steps.trigger}", "path": ["phones", 0]},
        },
        trigger=CONTACT,
    )
    assert outputs(run)["object-helpers-1"]["result"]["tags"] == {"vip": False}
    assert outputs(run)["object-helpers-2"]["result"]["phones"] == []
    assert outputs(run)["trigger"] == CONTACT


async def test_invalid_json_fails_the_step_with_line_and_column(run_workflow: RunWorkflow) -> None:
    run = await run_workflow(
        {
            "connector": "object-helpers",
            "operation": "parse_json",
            "input": {"text": '{\n  "a": 1,\n  "b": }'},
        },
    )
    [step] = [s for s in run.steps if s.name == "object-helpers-1"]
    assert step.error == {
        "type": "operation_failed",
        "message": 'input.text is not valid JSON: Expecting value at line 3, column 8 (near \'"a": 1,   "b": }\')',
    }


# -- get_value ----------------------------------------------------------------------------------------


async def test_get_value_reads_a_dotted_path_or_a_list_of_keys() -> None:
    assert await result("get_value", object=CONTACT, path="tags.vip") is True
    assert await result("get_value", object=CONTACT, path=["phones", -1, "type"]) == "mobile"
    assert await result("get_value", object={"a.b": 1}, path=["a.b"]) == 1
    assert await result("get_value", object={"1": "x"}, path="1") == "x"


async def test_get_value_of_a_missing_path_says_where_it_stopped() -> None:
    with pytest.raises(
        OperationFailed,
        match=re.escape("input.path: 'tags.gold' found nothing: tags has no key 'gold' (it has: vip)"),
    ):
        await call("get_value", object=CONTACT, path="tags.gold")
    with pytest.raises(OperationFailed, match=re.escape("phones is a list of 1 items, with no item '3'")):
        await call("get_value", object=CONTACT, path="phones.3")
    with pytest.raises(OperationFailed, match=re.escape("name is a text, not an object or a list")):
        await call("get_value", object=CONTACT, path="name.first")


async def test_get_value_gives_the_default_when_one_is_set() -> None:
    assert await result("get_value", object=CONTACT, path="email", default=None) is None
    assert await result("get_value", object=CONTACT, path="email", default="none") == "none"


async def test_get_value_refuses_empty_keys_and_a_non_object() -> None:
    with pytest.raises(OperationFailed, match=re.escape("input.path: 'a..b' is not a key path")):
        await call("get_value", object=CONTACT, path="a..b")
    with pytest.raises(ValidationError, match="valid dictionary"):
        await call("get_value", object=[1], path="0")


# -- set_value and delete_key -------------------------------------------------------------------------


async def test_set_value_creates_missing_objects_on_the_way() -> None:
    assert await result("set_value", object={}, path="a.b.c", value=1) == {"a": {"b": {"c": 1}}}


async def test_set_value_replaces_or_appends_list_items() -> None:
    assert await result("set_value", object={"l": [1, 2]}, path="l.0", value=9) == {"l": [9, 2]}
    assert await result("set_value", object={"l": [1, 2]}, path="l.2", value=3) == {"l": [1, 2, 3]}


async def test_set_value_says_why_it_cannot_set_a_path() -> None:
    with pytest.raises(OperationFailed, match=re.escape("cannot set 'name.first': name is a text")):
        await call("set_value", object=CONTACT, path="name.first", value="A")
    with pytest.raises(OperationFailed, match=re.escape("index 5 is out of range for a list of 1 items")):
        await call("set_value", object=CONTACT, path="phones.5", value={})
    with pytest.raises(OperationFailed, match=re.escape("'x' is not a list index")):
        await call("set_value", object=CONTACT, path="phones.x", value={})
    with pytest.raises(OperationFailed, match=re.escape("cannot set 'a.b': the object has no key 'a'")):
        await call("set_value", object={}, path="a.b", value=1, create_missing=False)


async def test_set_value_needs_a_value() -> None:
    with pytest.raises(ValidationError, match="value"):
        await call("set_value", object={}, path="a")


async def test_delete_key_removes_a_key_or_a_list_item() -> None:
    assert await result("delete_key", object={"a": 1, "b": 2}, path="a") == {"b": 2}
    assert await result("delete_key", object={"l": [1, 2, 3]}, path="l.-1") == {"l": [1, 2]}


async def test_delete_key_of_a_missing_path_is_ignored_unless_asked_otherwise() -> None:
    assert await result("delete_key", object={"a": 1}, path="b.c") == {"a": 1}
    with pytest.raises(
        OperationFailed, match=re.escape("'b.c' found nothing to delete: the object has no key 'b'")
    ):
        await call("delete_key", object={"a": 1}, path="b.c", ignore_missing=False)


# -- merge --------------------------------------------------------------------------------------------


async def test_merge_lets_later_objects_win() -> None:
    merged = await result("merge", objects=[{"a": 1, "n": {"x": 1}}, {"b": 2, "n": {"y": 2}}])
    assert merged == {"a": 1, "n": {"y": 2}, "b": 2}


async def test_deep_merge_merges_nested_objects_and_replaces_lists() -> None:
    merged = await result(
        "merge", objects=[{"n": {"x": 1, "l": [1]}}, {"n": {"y": 2, "l": [2]}}, {"n": {"x": 3}}], deep=True
    )
    assert merged == {"n": {"x": 3, "l": [2], "y": 2}}


async def test_merge_needs_objects() -> None:
    with pytest.raises(ValidationError, match="at least 1 item"):
        await call("merge", objects=[])
    with pytest.raises(ValidationError, match="valid dictionary"):
        await call("merge", objects=[{"a": 1}, [1]])


@given(st.lists(st.dictionaries(st.text(max_size=3), json_values, max_size=4), min_size=1, max_size=4))
async def test_a_shallow_merge_has_every_key_with_the_last_value_given(objects: list[dict[str, Any]]) -> None:
    merged = await result("merge", objects=objects)
    expected: dict[str, Any] = {}
    for item in objects:
        expected.update(item)
    assert merged == json.loads(json.dumps(expected))


# -- keys, values, properties_exist -------------------------------------------------------------------


async def test_keys_and_values_keep_the_object_order() -> None:
    assert await result("keys", object={"b": 1, "a": 2}) == ["b", "a"]
    assert await result("values", object={"b": 1, "a": [2]}) == [1, [2]]


async def test_keys_and_values_need_an_object() -> None:
    for operation in ("keys", "values"):
        with pytest.raises(ValidationError, match="valid dictionary"):
            await call(operation, object="abc")


async def test_properties_exist_lists_the_missing_ones() -> None:
    found = await call(
        "properties_exist", object=CONTACT, properties=["name", "phones.0.number", ["tags", "vip"]]
    )
    assert found == {"result": True, "missing": []}
    found = await call("properties_exist", object={"a": None}, properties=["a", "b", "a.c"])
    assert found == {"result": False, "missing": ["b", "a.c"]}


async def test_properties_exist_needs_at_least_one_well_formed_property() -> None:
    with pytest.raises(ValidationError, match="at least 1 item"):
        await call("properties_exist", object={}, properties=[])
    with pytest.raises(OperationFailed, match=re.escape("input.properties[1]: '' is not a key path")):
        await call("properties_exist", object={}, properties=["a", ""])


# -- JSON text ----------------------------------------------------------------------------------------


async def test_parse_json_gives_any_json_value() -> None:
    assert await result("parse_json", text='{"a": [1, 2.5, null, true]}') == {"a": [1, 2.5, None, True]}
    assert await result("parse_json", text=" 42 ") == 42


async def test_parse_json_refuses_text_that_is_not_json() -> None:
    with pytest.raises(
        OperationFailed, match=re.escape("input.text is not valid JSON: Expecting value at line 1, column 1")
    ):
        await call("parse_json", text="")
    with pytest.raises(ValidationError, match="valid string"):
        await call("parse_json", text={"a": 1})


async def test_stringify_json_is_compact_or_pretty_and_keeps_unicode() -> None:
    assert await result("stringify_json", value={"b": "é", "a": [1]}) == '{"b":"é","a":[1]}'
    assert await result("stringify_json", value={"b": 1, "a": 2}, pretty=True, sort_keys=True) == (
        '{\n  "a": 2,\n  "b": 1\n}'
    )


async def test_stringify_json_needs_a_value() -> None:
    with pytest.raises(ValidationError, match="value"):
        await call("stringify_json")


@given(json_values, st.booleans())
async def test_parsing_written_json_gives_back_the_value(value: Any, pretty: bool) -> None:
    text = await result("stringify_json", value=value, pretty=pretty)
    assert await result("parse_json", text=text) == value
