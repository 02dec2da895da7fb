"""A broken workflow file is refused with every problem, each at its path."""

from __future__ import annotations

from typing import Any

import pytest

from switchboard.connectors.registry import discover
from switchboard.definition import check_workflow, parse_document
from switchboard.errors import WorkflowInvalid


def problems(document: Any) -> list[str]:
    with pytest.raises(WorkflowInvalid) as invalid:
        check_workflow(document, discover())
    return [str(p) for p in invalid.value.problems]


def workflow(*steps: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"version": 1, "title": "t", "trigger": {"type": "manual"}, "steps": list(steps), **extra}


def concat(*values: Any, **extra: Any) -> dict[str, Any]:
    return {
        "connector": "text-helpers",
        "operation": "concatenate",
        "input": {"values": list(values)},
        **extra,
    }


def test_steps_without_names_are_named_per_connector_like_tray() -> None:
    checked = check_workflow(
        workflow(concat("a"), concat("b", name="text-helpers-1"), concat("c")), discover()
    )
    assert [s.name for s in checked.steps] == ["text-helpers-2", "text-helpers-1", "text-helpers-3"]


def test_every_problem_is_listed_with_its_path() -> None:
    found = problems(
        workflow(
            concat("a", name="greet"),
            concat("b", name="greet"),
            {
                "name": "bad name!",
                "connector": "text-helpers",
                "operation": "concatenate",
                "input": {"values": []},
            },
            {"connector": "text-helper", "operation": "concatenate"},
            {"connector": "text-helpers", "operation": "concat"},
            {"connector": "text-helpers", "operation": "concatenate", "input": {"separator": 5}},
            concat("{$.steps.greet.result[}"),
            concat("{$.steps.nobody.result}"),
            concat("{$.steps.later.result}"),
            concat("x", name="later"),
        )
    )
    assert found == [
        "steps[1].name: duplicate step name 'greet'",
        "steps[2].name: 'bad name!' is not a valid step name (letters, digits, - and _)",
        "steps[3].connector: unknown connector 'text-helper' (did you mean 'text-helpers'?)",
        "steps[4].operation: connector 'text-helpers' has no operation 'concat' (did you mean 'concatenate'?)",
        "steps[5].input.values: required",
        "steps[5].input.separator: input should be a valid string (got 5)",
        "steps[6].input.values[0]: unclosed placeholder starting at character 1 of '{$.steps.greet.result[}'",
        "steps[7].input.values[0]: $.steps.nobody.result refers to no step named 'nobody'",
        "steps[8].input.values[0]: $.steps.later.result refers to 'later', which runs later (or on another branch)",
    ]


def test_a_value_from_a_jsonpath_is_not_type_checked_before_the_run() -> None:
    checked = check_workflow(
        workflow(
            {
                "connector": "text-helpers",
                "operation": "concatenate",
                "input": {"values": "{$.steps.trigger.v}"},
            }
        ),
        discover(),
    )
    assert checked.steps[0].input == {"values": "{$.steps.trigger.v}"}


def test_a_literal_of_the_wrong_type_inside_a_list_is_reported_at_its_index() -> None:
    assert problems(workflow(concat("a", {"b": 1}))) == [
        "steps[0].input.values[1].str: input should be a valid string",
        "steps[0].input.values[1].int: input should be a valid integer",
        "steps[0].input.values[1].float: input should be a valid number",
        "steps[0].input.values[1].bool: input should be a valid boolean",
    ]


def test_unknown_properties_and_triggers_are_named_with_a_suggestion() -> None:
    found = problems(
        {
            "version": 1,
            "title": "t",
            "trigger": {"type": "webhok"},
            "stepz": [],
            "steps": [concat("a", inptu={})],
        }
    )
    assert found == [
        "stepz: unknown property (did you mean 'steps'?)",
        "trigger.type: unknown trigger type 'webhok' (did you mean 'webhook'?)",
        "steps[0].inptu: unknown property (did you mean 'input'?)",
    ]


def test_nested_steps_are_checked_at_their_own_paths() -> None:
    found = problems(
        workflow(
            {
                "connector": "boolean-condition",
                "input": {"conditions": [{"value1": 1, "comparison_type": "equals", "value2": 1}]},
                "then": [concat("{$.steps.boolean-condition-1.result}", name="inside")],
                "else": [{"connector": "loop", "operation": "loop_array", "input": {"array": [1]}}],
            },
            {"connector": "break-loop"},
            concat("a", then=[]),
        )
    )
    assert found[0].startswith("steps[0].input.conditions[0].comparison_type: input should be '===', '!=='")
    assert found[1:] == [
        "steps[0].else[0]: a loop needs 'do' steps",
        "steps[1]: break-loop must be inside a loop's 'do' steps",
        "steps[2].then: only boolean-condition steps take 'then'",
    ]


def test_errors_are_readable_only_inside_the_error_branch() -> None:
    found = problems(
        workflow(
            concat("a", name="risky", on_error={"steps": [concat("{$.errors.risky.message}")]}),
            concat("{$.errors.risky.message}"),
        )
    )
    assert found == [
        "steps[1].input.values[0]: $.errors.risky.message: $.errors.risky exists only in risky's error branch"
    ]


def test_a_step_cannot_read_its_own_output() -> None:
    assert problems(workflow(concat("{$.steps.me.result}", name="me"))) == [
        "steps[0].input.values[0]: $.steps.me.result: a step cannot read its own output"
    ]


def test_schedule_settings_are_checked() -> None:
    found = problems(
        {
            "version": 1,
            "title": "t",
            "trigger": {"type": "schedule", "cron": "61 * * * *", "timezone": "Mars/Base"},
        }
    )
    assert found == [
        "trigger.cron: '61 * * * *' is not a valid cron expression (e.g. '30 2 * * *')",
        "trigger.timezone: unknown time zone 'Mars/Base' (e.g. 'Europe/London')",
    ]


def test_a_yaml_syntax_error_says_where() -> None:
    with pytest.raises(WorkflowInvalid, match=r"line 3 column 3: expected the node content"):
        parse_document("title: x\nsteps: [\n  - a: b: c\n")
