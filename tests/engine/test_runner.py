"""The engine runs the step tree, handles errors and retries, and journals every step as it goes."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from switchboard.engine.plan import Plan
from switchboard.engine.runner import Engine
from switchboard.store.database import Database
from switchboard.store.journal import load_run

from ..support import Sleeps, outputs
from .sample_connectors import CALLS

PlanFactory = Callable[..., Plan]


def echo(value: Any, **extra: Any) -> dict[str, Any]:
    return {"connector": "sample", "operation": "echo", "input": {"value": value}, **extra}


async def test_outputs_flow_from_step_to_step_keeping_their_types(engine: Engine, plan: PlanFactory) -> None:
    run = await engine.run(
        plan(
            echo("{$.steps.trigger.numbers}"),
            {
                "connector": "text-helpers",
                "operation": "concatenate",
                "input": {"values": ["n=", "{$.steps.sample-1.value[1]}"]},
            },
        ),
        {"numbers": [1, 2, 3]},
    )
    assert run.status == "succeeded"
    assert outputs(run) == {
        "trigger": {"numbers": [1, 2, 3]},
        "sample-1": {"value": [1, 2, 3], "header": ""},
        "text-helpers-1": {"result": "n=2"},
    }


async def test_a_loop_runs_its_steps_once_per_item_and_journals_each_iteration(
    engine: Engine, plan: PlanFactory, database: Database
) -> None:
    run = await engine.run(
        plan(
            {
                "connector": "loop",
                "operation": "loop_array",
                "input": {"array": "{$.steps.trigger.people}"},
                "do": [echo("{$.steps.loop-1.value}-{$.steps.loop-1.index}-{$.steps.loop-1.is_last}")],
            },
            echo("after"),
        ),
        {"people": ["ada", "grace"]},
    )
    stored = load_run(database, run.id)
    assert [(e.name, e.iteration, e.loop_index, e.output) for e in stored.steps] == [
        ("trigger", "", None, {"people": ["ada", "grace"]}),
        ("loop-1", "", None, {"iterations": 2, "count": 2, "broken": False}),
        ("sample-1", "loop-1:0", 0, {"value": "ada-0-false", "header": ""}),
        ("sample-1", "loop-1:1", 1, {"value": "grace-1-true", "header": ""}),
        ("sample-2", "", None, {"value": "after", "header": ""}),
    ]


async def test_break_loop_ends_the_loop_it_targets(engine: Engine, plan: PlanFactory) -> None:
    run = await engine.run(
        plan(
            {
                "connector": "loop",
                "operation": "loop_object",
                "input": {"object": {"a": 1, "b": 2, "c": 3}},
                "do": [
                    echo("{$.steps.loop-1.key}"),
                    {
                        "connector": "boolean-condition",
                        "input": {
                            "conditions": [
                                {"value1": "{$.steps.loop-1.value}", "comparison_type": ">=", "value2": 2}
                            ]
                        },
                        "then": [{"connector": "break-loop"}],
                    },
                ],
            }
        ),
        {},
    )
    assert [e.output["value"] for e in run.steps if e.name == "sample-1"] == ["a", "b"]
    assert outputs(run)["loop-1"] == {"iterations": 2, "count": 3, "broken": True}


async def test_a_condition_chooses_then_or_else_with_all_or_any(engine: Engine, plan: PlanFactory) -> None:
    def condition(strictness: str) -> dict[str, Any]:
        return {
            "connector": "boolean-condition",
            "input": {
                "strictness": strictness,
                "conditions": [
                    {
                        "value1": "{$.steps.trigger.text}",
                        "comparison_type": "contains",
                        "value2": "stop",
                        "is_case_sensitive": False,
                    },
                    {"value1": "{$.steps.trigger.count}", "comparison_type": ">", "value2": 5},
                ],
            },
            "then": [echo("then")],
            "else": [echo("else")],
        }

    all_run = await engine.run(plan(condition("All")), {"text": "STOP now", "count": 2})
    any_run = await engine.run(plan(condition("Any")), {"text": "STOP now", "count": 2})
    assert [e.output for e in all_run.steps if e.name == "sample-2"] == [{"value": "else", "header": ""}]
    assert [e.output for e in any_run.steps if e.name == "sample-1"] == [{"value": "then", "header": ""}]


async def test_a_branch_runs_the_matching_label_or_the_default(engine: Engine, plan: PlanFactory) -> None:
    workflow = plan(
        {
            "connector": "branch",
            "input": {
                "value": "{$.steps.trigger.keyword}",
                "branches": [{"value": "STOP", "label": "stop"}, {"value": "HELP"}],
            },
            "branches": {"stop": [echo("unsubscribed")], "HELP": [echo("help text")]},
            "default": [echo("forwarded")],
        }
    )
    chosen = {}
    for keyword in ("STOP", "HELP", "hello"):
        run = await engine.run(workflow, {"keyword": keyword})
        chosen[keyword] = [e.output["value"] for e in run.steps if e.connector == "sample"]
    assert chosen == {"STOP": ["unsubscribed"], "HELP": ["help text"], "hello": ["forwarded"]}


async def test_stop_fails_the_run_and_names_the_step(engine: Engine, plan: PlanFactory) -> None:
    run = await engine.run(
        plan({"connector": "sample", "operation": "broken", "input": {"value": 7}}, echo("never")), {}
    )
    assert run.status == "failed"
    assert run.error == {"type": "operation_failed", "message": "cannot handle 7", "step": "sample-1"}
    assert [e.name for e in run.steps] == ["trigger", "sample-1"]
    assert CALLS.count == {"broken": 1}


async def test_continue_makes_the_error_the_steps_output(engine: Engine, plan: PlanFactory) -> None:
    run = await engine.run(
        plan(
            {"connector": "sample", "operation": "broken", "input": {"value": 7}, "on_error": "continue"},
            echo("{$.steps.sample-1.error.message}"),
        ),
        {},
    )
    assert run.status == "succeeded"
    assert run.steps[1].status == "failed"
    assert outputs(run)["sample-2"] == {"value": "cannot handle 7", "header": ""}


async def test_an_error_branch_reads_the_error_and_the_run_goes_on(engine: Engine, plan: PlanFactory) -> None:
    run = await engine.run(
        plan(
            {
                "name": "risky",
                "connector": "sample",
                "operation": "broken",
                "input": {"value": 7},
                "on_error": {"steps": [echo("handled: {$.errors.risky.message}")]},
            },
            echo("after"),
        ),
        {},
    )
    assert run.status == "succeeded"
    assert [e.output["value"] for e in run.steps if e.connector == "sample" and e.output] == [
        "handled: cannot handle 7",
        "after",
    ]


async def test_transient_errors_are_retried_with_exponential_backoff(
    engine: Engine, plan: PlanFactory, sleeps: Sleeps
) -> None:
    CALLS.failures_left = 3
    retry = {"attempts": 5, "initial_delay": 1, "factor": 2, "max_delay": 3, "jitter": False}
    run = await engine.run(
        plan({"connector": "sample", "operation": "flaky", "input": {"value": 1}, "retry": retry}), {}
    )
    assert run.status == "succeeded"
    assert run.steps[1].attempts == 4
    assert sleeps == [1, 2, 3]


async def test_jitter_keeps_each_wait_between_half_and_all_of_the_backoff(
    engine: Engine, plan: PlanFactory, sleeps: Sleeps
) -> None:
    CALLS.failures_left = 3
    retry = {"attempts": 4, "initial_delay": 2, "factor": 2, "max_delay": 60}
    await engine.run(plan({"connector": "sample", "operation": "flaky", "input": {}, "retry": retry}), {})
    assert [1 <= sleeps[0] <= 2, 2 <= sleeps[1] <= 4, 4 <= sleeps[2] <= 8] == [True, True, True]


async def test_a_providers_retry_after_is_honoured(engine: Engine, plan: PlanFactory, sleeps: Sleeps) -> None:
    CALLS.failures_left, CALLS.retry_after = 1, 7.5
    run = await engine.run(
        plan({"connector": "sample", "operation": "flaky", "input": {}, "retry": {"attempts": 2}}), {}
    )
    assert run.status == "succeeded"
    assert sleeps == [7.5]


async def test_retries_stop_at_the_last_attempt(engine: Engine, plan: PlanFactory, sleeps: Sleeps) -> None:
    CALLS.failures_left = 10
    run = await engine.run(
        plan({"connector": "sample", "operation": "flaky", "input": {}, "retry": {"attempts": 3}}), {}
    )
    assert run.status == "failed"
    assert run.steps[1].attempts == 3
    assert run.steps[1].error == {
        "type": "provider_error",
        "message": "service unavailable",
        "status": 503,
        "retryable": True,
    }


async def test_errors_that_are_not_transient_are_never_retried(
    engine: Engine, plan: PlanFactory, sleeps: Sleeps
) -> None:
    run = await engine.run(
        plan(
            {
                "connector": "sample",
                "operation": "broken",
                "input": {},
                "retry": {"attempts": 5},
                "on_error": "continue",
            },
            {
                "connector": "sample",
                "operation": "echo",
                "input": {"value": "{$.steps.trigger.nothing}"},
                "retry": {"attempts": 5},
            },
        ),
        {},
    )
    assert (CALLS.count, sleeps) == ({"broken": 1}, [])
    assert run.steps[2].attempts == 0
    assert run.error == {
        "type": "mapping_error",
        "message": "input.value: $.steps.trigger.nothing found nothing (trigger output has: nothing)",
        "step": "sample-2",
    }


async def test_an_unexpected_exception_in_a_connector_fails_the_step_instead_of_hanging_the_run(
    engine: Engine, plan: PlanFactory
) -> None:
    run = await engine.run(plan({"connector": "sample", "operation": "crash", "input": {}}), {})
    assert run.status == "failed"
    assert run.error == {
        "type": "operation_failed",
        "message": "the operation failed unexpectedly: KeyError: 'missing'",
        "step": "sample-1",
    }


async def test_an_input_of_the_wrong_type_fails_with_the_property_named(
    engine: Engine, plan: PlanFactory
) -> None:
    run = await engine.run(
        plan(
            {
                "connector": "text-helpers",
                "operation": "concatenate",
                "input": {"values": "{$.steps.trigger.v}"},
            }
        ),
        {"v": {"not": "a list"}},
    )
    assert run.error == {
        "type": "input_invalid",
        "message": "input.values: Input should be a valid list",
        "step": "text-helpers-1",
    }


async def test_terminate_ends_the_run_early_as_succeeded_or_failed(engine: Engine, plan: PlanFactory) -> None:
    ended = await engine.run(
        plan({"connector": "terminate", "operation": "terminate_run", "input": {}}, echo("x")), {}
    )
    failed = await engine.run(
        plan(
            {
                "connector": "terminate",
                "operation": "fail_run",
                "input": {"message": "no stock"},
                "on_error": "continue",
            },
            echo("x"),
        ),
        {},
    )
    assert (ended.status, ended.error, [e.name for e in ended.steps]) == (
        "succeeded",
        None,
        ["trigger", "terminate-1"],
    )
    assert (failed.status, failed.error) == ("failed", {"type": "terminated", "message": "no stock"})
    assert CALLS.count == {}


async def test_secrets_never_reach_the_journal_even_inside_longer_text(
    engine: Engine, plan: PlanFactory, database: Database
) -> None:
    run = await engine.run(
        plan(
            {
                "connector": "sample",
                "operation": "echo",
                "auth": "Test Auth",
                "input": {"value": "{$.auth.user}", "header": "Bearer {$.auth.token}"},
            },
            {"connector": "sample", "operation": "whoami", "auth": "Test Auth", "input": {}},
        ),
        {},
    )
    stored = load_run(database, run.id)
    assert stored.steps[1].input == {"value": "ada", "header": "Bearer [redacted]"}
    assert stored.steps[1].output == {"value": "ada", "header": "Bearer [redacted]"}
    assert stored.steps[2].output == {"value": {"user": "ada", "said": "token is [redacted]"}, "header": ""}
    with database.engine.connect() as connection:
        dump = (
            "\n".join(connection.connection.driver_connection.iterdump())
            if database.dialect == "sqlite"
            else ""
        )
    assert "s3cr3t-t0ken" not in dump


async def test_the_journal_holds_each_step_before_it_finishes(
    engine: Engine, plan: PlanFactory, database: Database
) -> None:
    task = asyncio.create_task(
        engine.run(
            plan(
                echo("first"),
                {"connector": "sample", "operation": "block", "input": {"value": "{$.steps.sample-1.value}"}},
            ),
            {},
        )
    )
    await CALLS.started.wait()
    [run_id] = _run_ids(database)
    during = load_run(database, run_id)
    CALLS.release.set()
    await task
    assert during.status == "running"
    assert [(e.name, e.status, e.input, e.output) for e in during.steps] == [
        ("trigger", "succeeded", {}, {}),
        ("sample-1", "succeeded", {"value": "first"}, {"value": "first", "header": ""}),
        ("sample-2", "running", {"value": "first"}, None),
    ]


async def test_a_resumed_run_skips_finished_steps_and_parks_an_interrupted_send(
    engine: Engine, plan: PlanFactory, database: Database
) -> None:
    workflow = plan(
        echo("first"),
        {"connector": "sample", "operation": "send", "input": {"value": "sms"}},
        {"connector": "sample", "operation": "block", "input": {"value": "wait"}},
    )
    task = asyncio.create_task(engine.run(workflow, {}))
    await CALLS.started.wait()
    [run_id] = _run_ids(database)
    interrupted = load_run(database, run_id)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    CALLS.release.set()

    # The process died while `block` ran: resuming re-runs it (repeat-safe) and nothing before it.
    resumed = await engine.resume(workflow, interrupted)
    assert resumed.status == "succeeded"
    assert CALLS.count == {"echo": 1, "send": 1, "block": 2}

    # Had it died during the send, the send is not repeated: the run waits for a person.
    stored = load_run(database, run_id)
    stored.steps[2].status = "running"
    stored.steps = stored.steps[:3]
    parked = await engine.resume(workflow, stored)
    assert parked.status == "needs_review"
    assert parked.steps[2].status == "needs_review"
    assert CALLS.count == {"echo": 1, "send": 1, "block": 2}


def _run_ids(database: Database) -> list[str]:
    from switchboard.store.tables import runs

    with database.engine.connect() as connection:
        return list(connection.execute(runs.select().with_only_columns(runs.c.id)).scalars())
