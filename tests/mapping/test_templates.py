"""Input templates: placeholders keep their type, interpolate among text, fall back, escape braces."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from switchboard.errors import MappingError
from switchboard.mapping import TemplateSyntaxError, compile_template

SCOPE: dict[str, Any] = {
    "steps": {
        "trigger": {
            "name": "Ada",
            "count": 3,
            "tags": ["a", "b"],
            "profile": {"city": "Paris"},
            "empty": None,
        },
        "plivo-1": {"api_id": "x", "message": "message(s) queued", "message_uuid": ["u-1", "u-2"]},
        "text-helpers-1": {"result": "done"},
    },
    "env": {"run_id": "r1"},
    "config": {"sender": "+14155550100"},
    "auth": {},
    "errors": {},
}


def resolve(value: Any) -> Any:
    return compile_template(value).resolve(SCOPE, "input.value")


def test_a_whole_placeholder_keeps_the_type_of_what_it_finds() -> None:
    assert resolve("{$.steps.trigger.count}") == 3
    assert resolve("{$.steps.trigger.tags}") == ["a", "b"]
    assert resolve("{$.steps.trigger.profile}") == {"city": "Paris"}
    assert resolve("{$.steps.trigger.empty}") is None


def test_trays_hyphenated_step_names_resolve() -> None:
    assert resolve("{$.steps.plivo-1.message_uuid[0]}") == "u-1"
    assert resolve("{$.steps.text-helpers-1.result}") == "done"
    assert resolve({"$jsonpath": "$.steps['plivo-1'].message_uuid[-1]"}) == "u-2"


def test_placeholders_among_text_interpolate_to_a_string() -> None:
    assert resolve("Hi {$.steps.trigger.name}, {$.steps.trigger.count} new") == "Hi Ada, 3 new"
    assert resolve("tags={$.steps.trigger.tags}") == 'tags=["a","b"]'
    assert resolve("[{$.steps.trigger.empty}]") == "[]"


def test_a_fallback_is_used_only_when_the_path_finds_nothing() -> None:
    assert resolve("{$.steps.trigger.missing or:'nobody'}") == "nobody"
    assert resolve("{$.steps.trigger.name or:'nobody'}") == "Ada"
    assert resolve("{$.steps.trigger.missing or:0}") == 0
    assert resolve("Dear {$.steps.trigger.missing or:'friend'}!") == "Dear friend!"
    assert resolve({"$jsonpath": "$.steps.trigger.missing", "$fallback": [1]}) == [1]


def test_double_braces_are_literal_braces() -> None:
    assert resolve("{{$.steps.trigger.name}}") == "{$.steps.trigger.name}"
    assert resolve("{{ {$.steps.trigger.name} }}") == "{ Ada }"
    assert resolve("a { b } c") == "a { b } c"


def test_a_wildcard_gives_every_match_as_a_list() -> None:
    assert resolve("{$.steps.plivo-1.message_uuid[*]}") == ["u-1", "u-2"]
    assert resolve("{$.steps.trigger.tags[?@ == 'z']}") == []


def test_brackets_and_quotes_inside_a_placeholder_do_not_end_it() -> None:
    scope = {"steps": {"trigger": {"a}b": 1, "x y": "z"}}}
    assert compile_template("{$.steps.trigger['a}b']}").resolve(scope) == 1
    assert compile_template("<{$.steps.trigger['x y']}>").resolve(scope) == "<z>"


def test_nested_values_resolve_in_place() -> None:
    value = {"to": ["{$.config.sender}", "+1"], "meta": {"run": "{$.env.run_id}", "n": 1}}
    assert resolve(value) == {"to": ["+14155550100", "+1"], "meta": {"run": "r1", "n": 1}}


def test_a_path_that_finds_nothing_names_the_path_the_property_and_what_was_there() -> None:
    with pytest.raises(MappingError) as error:
        compile_template(["x", "{$.steps.plivo-1.message_uuids[0]}"]).resolve(SCOPE, "input.values")
    assert str(error.value) == (
        "input.values[1]: $.steps.plivo-1.message_uuids[0] found nothing "
        "(plivo-1 output has: api_id, message, message_uuid)"
    )


def test_a_step_that_has_not_run_is_named_in_the_error() -> None:
    with pytest.raises(MappingError, match=r"slack-1 has not run; available: trigger, plivo-1"):
        resolve("{$.steps.slack-1.ts}")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{$.steps[}", "unclosed placeholder"),
        ("{$.steps..[0}", "unclosed placeholder"),
        ("{$.steps.a b}", "is not a valid jsonpath"),
        ("{$.trigger.name}", "must start with one of $.steps, $.env"),
        ("{$.steps.a or:nope}", "fallback 'nope' must be 'quoted text' or a JSON value"),
        ({"$jsonpath": 5}, "$jsonpath must be a string"),
        ({"$jsonpath": "$.steps.a", "other": 1}, "unexpected key"),
    ],
)
def test_malformed_templates_are_refused_with_a_reason(text: Any, message: str) -> None:
    with pytest.raises(TemplateSyntaxError, match=message.replace("$", r"\$").replace("[", r"\[")):
        compile_template(text)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=12,
)


@given(json_values)
def test_any_value_found_by_a_whole_placeholder_comes_back_unchanged(value: Any) -> None:
    scope = {"steps": {"trigger": {"value": value}}}
    assert compile_template("{$.steps.trigger.value}").resolve(scope) == value


@given(st.text().filter(lambda t: "{" not in t and "}" not in t))
def test_text_without_braces_is_itself(text: str) -> None:
    template = compile_template(text)
    assert not template.dynamic
    assert template.resolve(SCOPE) == text


@given(st.text(), st.text())
def test_escaped_braces_round_trip_any_text(before: str, after: str) -> None:
    escaped = before.replace("{", "{{").replace("}", "}}")
    tail = after.replace("{", "{{").replace("}", "}}")
    scope = {"steps": {"trigger": {"name": "Ada"}}}
    assert (
        compile_template(f"{escaped}{{$.steps.trigger.name}}{tail}").resolve(scope) == f"{before}Ada{after}"
    )


brace_free_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet=st.characters(blacklist_characters="{}")),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=12,
)


@given(brace_free_values)
def test_json_without_braces_in_its_strings_is_returned_as_is(value: Any) -> None:
    template = compile_template(value)
    assert not template.dynamic
    assert template.resolve(SCOPE) == value
