"""script: Python `step(input)` in a limited process of its own, run as a workflow step."""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from textwrap import dedent

import pytest

from switchboard.definition import check_workflow
from switchboard.errors import WorkflowInvalid

from ...support import RunWorkflow
from .conftest import REGISTRY, error, script_step, step

# -- what a script gives later steps ---------------------------------------------------------------------


async def test_a_script_computes_a_result_from_jsonpath_input_that_later_steps_read(
    run_workflow: RunWorkflow,
) -> None:
    order_total = dedent(
        """
        def step(input):
            total = sum(line["price"] * line["quantity"] for line in input["lines"])
            return {"total": round(total, 2), "currency": input["currency"], "skus": tuple(input["skus"])}
        """
    )
    run = await run_workflow(
        script_step(
            order_total,
            input={
                "lines": "{$.steps.trigger.order.lines}",
                "currency": "{$.steps.trigger.order.currency}",
                "skus": "{$.steps.trigger.order.lines[*].sku}",
            },
        ),
        {
            "connector": "text-helpers",
            "operation": "concatenate",
            "input": {"values": ["{$.steps.script-1.result.total}", "{$.steps.script-1.result.currency}"]},
        },
        trigger={
            "order": {
                "currency": "EUR",
                "lines": [
                    {"sku": "A", "price": 2.5, "quantity": 3},
                    {"sku": "B", "price": 0.1, "quantity": 2},
                ],
            }
        },
    )
    assert run.status == "succeeded"
    assert step(run).output == {
        "result": {"total": 7.7, "currency": "EUR", "skus": ["A", "B"]},
        "console": "",
    }
    assert step(run, "text-helpers-1").output == {"result": "7.7EUR"}


async def test_what_a_script_prints_is_its_console(run_workflow: RunWorkflow) -> None:
    greeting = dedent(
        """
        import sys

        def step(input):
            print("hello", input)
            print("a warning", file=sys.stderr)
            return None
        """
    )
    run = await run_workflow(script_step(greeting, input="{$.steps.trigger.name}"), trigger={"name": "Ada"})
    assert step(run).output == {"result": None, "console": "hello Ada\na warning\n"}


async def test_a_long_console_is_cut_off_saying_how_much_was_left_out(run_workflow: RunWorkflow) -> None:
    run = await run_workflow(script_step("def step(input):\n    print('x' * 100_000)\n"))
    console = step(run).output["console"]
    assert console == "x" * 64_000 + "\n[console truncated: 36001 more characters]"


# -- mistakes in the script, in the user's own line numbers ------------------------------------------------


async def test_a_syntax_error_names_its_line_and_column(run_workflow: RunWorkflow) -> None:
    run = await run_workflow(script_step("def step(input):\n    x = 1\n    return x +\n"))
    assert run.status == "failed"
    assert step(run).error == {
        "type": "operation_failed",
        "message": "syntax error at line 3, column 15: invalid syntax\n"
        "  3 |     return x +\n"
        "    |               ^",
        "reason": "syntax_error",
        "console": "",
    }


async def test_an_exception_names_the_scripts_lines_that_led_to_it(run_workflow: RunWorkflow) -> None:
    script = dedent(
        """\
        def average(values):
            return sum(values) / len(values)

        def step(input):
            print("averaging", input)
            return average(input)
        """
    )
    run = await run_workflow(script_step(script, input=[]))
    assert run.error is not None
    assert run.error["step"] == "script-1"
    assert run.error["message"] == (
        "ZeroDivisionError: division by zero, at line 2, in average\n"
        "  line 6, in step: return average(input)\n"
        "  line 2, in average: return sum(values) / len(values)"
    )
    assert error(run)["reason"] == "exception"
    assert error(run)["console"] == "averaging []\n"


async def test_a_script_without_a_step_function_says_what_to_add(run_workflow: RunWorkflow) -> None:
    run = await run_workflow(script_step("def main(input):\n    return 1\n"))
    assert error(run)["message"] == "the script defines no `step` function: add `def step(input): ...`"
    assert error(run)["reason"] == "no_step"


async def test_a_result_that_is_not_json_fails_naming_where_and_what_it_is(run_workflow: RunWorkflow) -> None:
    run = await run_workflow(script_step("def step(input):\n    return {'tags': ['a', {'b', 'c'}]}\n"))
    assert error(run)["message"] == (
        "result['tags'][1] is a set, which is not JSON; "
        "return text, numbers, True/False, None, lists (or tuples) and dicts"
    )
    assert error(run)["reason"] == "not_json"


async def test_an_error_branch_reads_why_the_script_failed_and_what_it_printed(
    run_workflow: RunWorkflow,
) -> None:
    script = "def step(input):\n    print('checking', input)\n    raise ValueError('no customer')\n"
    run = await run_workflow(
        script_step(script, input=7, on_error="continue"),
        {
            "connector": "text-helpers",
            "operation": "concatenate",
            "input": {
                "values": ["{$.steps.script-1.error.reason}", ": ", "{$.steps.script-1.error.console}"]
            },
        },
    )
    assert run.status == "succeeded"
    assert step(run, "text-helpers-1").output == {"result": "exception: checking 7\n"}


# -- limits ---------------------------------------------------------------------------------------------


async def test_a_script_that_loops_forever_is_stopped_at_its_time_limit_and_not_retried(
    run_workflow: RunWorkflow,
) -> None:
    run = await run_workflow(
        script_step(
            "def step(input):\n    while True:\n        pass\n",
            timeout=1,
            retry={"attempts": 3, "initial_delay": 0},
        )
    )
    assert run.status == "failed"
    assert run.error is not None
    assert (run.error["step"], run.error["message"]) == (
        "script-1",
        "the script ran longer than 1 s and was stopped",
    )
    assert error(run)["reason"] == "timeout"
    assert step(run).attempts == 1


async def test_a_script_is_stopped_when_the_engine_gives_up_on_its_step(
    run_workflow: RunWorkflow, tmp_path: Path
) -> None:
    sleeper = dedent(
        """
        import os, time

        def step(input):
            with open(input, "w") as pid_file:
                pid_file.write(str(os.getpid()))
            time.sleep(60)
        """
    )
    pid_file = tmp_path / "script.pid"
    run = await run_workflow(script_step(sleeper, input=str(pid_file), timeout=60), step_timeout=0.5)
    assert error(run)["message"] == "no answer within 0.5 s"
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text()), 0)


@pytest.mark.skipif(
    sys.platform != "linux", reason="the memory limit is RLIMIT_AS, which only Linux enforces"
)
async def test_a_script_that_allocates_far_beyond_its_memory_limit_fails_naming_the_limit(
    run_workflow: RunWorkflow,
) -> None:
    hoarder = dedent(
        """\
        def step(input):
            chunks = []
            while True:
                chunks.append(bytearray(10_000_000))
        """
    )
    run = await run_workflow(script_step(hoarder, memory_mb=64))
    assert error(run)["message"] == (
        "the script needed more than its 64 MB of memory (memory_mb), at line 4, in step"
    )
    assert error(run)["reason"] == "memory"


def test_limits_beyond_the_maximum_are_refused_when_the_workflow_is_checked() -> None:
    document = {
        "version": 1,
        "title": "test",
        "trigger": {"type": "manual"},
        "steps": [script_step("def step(input):\n    return 1\n", timeout=301, memory_mb=4096)],
    }
    with pytest.raises(WorkflowInvalid) as invalid:
        check_workflow(document, REGISTRY)
    assert {problem.path for problem in invalid.value.problems} == {
        "steps[0].input.timeout",
        "steps[0].input.memory_mb",
    }


# -- nothing outside the script's own process ---------------------------------------------------------------


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A real TCP port on 127.0.0.1 that would accept a connection, were one allowed."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.setblocking(False)
        yield server


async def test_a_script_cannot_open_a_network_connection(
    run_workflow: RunWorkflow, listener: socket.socket
) -> None:
    caller = dedent(
        """\
        import socket

        def step(input):
            connection = socket.create_connection(("127.0.0.1", input))
            return "connected"
        """
    )
    run = await run_workflow(script_step(caller, input=listener.getsockname()[1]))
    assert error(run)["message"] == (
        "network access is not allowed in a script (socket.getaddrinfo), at line 4, in step\n"
        '  line 4, in step: connection = socket.create_connection(("127.0.0.1", input))'
    )
    with pytest.raises(BlockingIOError):
        listener.accept()


async def test_a_script_cannot_even_create_a_socket(run_workflow: RunWorkflow) -> None:
    run = await run_workflow(script_step("import socket\n\ndef step(input):\n    socket.socket()\n"))
    first_line = error(run)["message"].splitlines()[0]
    assert first_line == "network access is not allowed in a script (socket.__new__), at line 4, in step"


@pytest.mark.parametrize(
    ("call", "event"),
    [
        ("subprocess.run(['true'])", "subprocess.Popen"),
        ("os.system('true')", "os.system"),
        ("os.execv('/bin/true', ['true'])", "os.exec"),
        ("os.fork()", "os.fork"),
        ("os.kill(os.getppid(), 15)", "os.kill"),
    ],
)
async def test_a_script_cannot_start_or_signal_other_processes(
    run_workflow: RunWorkflow, call: str, event: str
) -> None:
    run = await run_workflow(script_step(f"import os, subprocess\n\ndef step(input):\n    {call}\n"))
    first_line = error(run)["message"].splitlines()[0]
    assert first_line == (
        f"starting or signalling other processes is not allowed in a script ({event}), at line 4, in step"
    )


async def test_a_script_sees_none_of_the_servers_environment(
    run_workflow: RunWorkflow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SWITCHBOARD_TEST_SECRET", "x")
    run = await run_workflow(script_step("import os\n\ndef step(input):\n    return sorted(os.environ)\n"))
    names = step(run).output["result"]
    assert "SWITCHBOARD_TEST_SECRET" not in names
    assert set(names) <= {"TMPDIR", "LC_CTYPE"}  # Python itself may set LC_CTYPE (PEP 538)


async def test_a_script_works_in_a_temporary_directory_that_is_deleted_afterwards(
    run_workflow: RunWorkflow,
) -> None:
    scratch = dedent(
        """
        import os

        def step(input):
            with open("notes.txt", "w") as notes:
                notes.write("draft")
            return [os.getcwd(), os.listdir(".")]
        """
    )
    run = await run_workflow(script_step(scratch))
    workdir, files = step(run).output["result"]
    assert files == ["notes.txt"]
    assert os.path.basename(workdir).startswith("switchboard-script-")
    assert not os.path.exists(workdir)


async def test_a_server_that_cannot_start_the_process_fails_the_step_as_worth_retrying(
    run_workflow: RunWorkflow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    run = await run_workflow(
        script_step("def step(input):\n    return 1\n", retry={"attempts": 2, "initial_delay": 0})
    )
    assert error(run)["reason"] == "not_started"
    assert error(run)["message"].startswith("could not start the script's process: [Errno 2]")
    assert step(run).attempts == 2


# -- code is taken as written --------------------------------------------------------------------------


async def test_braces_in_a_script_reach_python_unchanged(run_workflow: RunWorkflow) -> None:
    run = await run_workflow(script_step("def step(input):\n    return {'a': {'b': 1}}\n"))
    assert step(run).output == {"result": {"a": {"b": 1}}, "console": ""}
