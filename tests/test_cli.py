"""The `switchboard` command as a user runs it: run, validate, connectors; exit codes 0, 1, 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from switchboard.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()

ACCEPTANCE = {
    "version": 1,
    "title": "Greet the team",
    "trigger": {"type": "manual"},
    "steps": [
        {
            "title": "Greeting",
            "connector": "text-helpers",
            "operation": "concatenate",
            "input": {"values": ["Hello ", "{$.steps.trigger.team}"], "separator": ""},
        },
        {
            "connector": "boolean-condition",
            "operation": "boolean_condition",
            "input": {
                "conditions": [{"value1": "{$.steps.trigger.people}", "comparison_type": "is_not_empty"}]
            },
            "then": [
                {
                    "connector": "loop",
                    "operation": "loop_array",
                    "input": {"array": "{$.steps.trigger.people}"},
                    "do": [
                        {
                            "connector": "text-helpers",
                            "operation": "concatenate",
                            "input": {
                                "values": ["{$.steps.text-helpers-1.result}", "{$.steps.loop-1.value}"],
                                "separator": ", ",
                            },
                        }
                    ],
                }
            ],
        },
    ],
}


def write(tmp_path: Path, document: Any, name: str = "workflow.yaml") -> Path:
    path = tmp_path / name
    path.write_text(
        yaml.safe_dump(document, sort_keys=False) if name.endswith(".yaml") else json.dumps(document)
    )
    return path


def run_json(*args: str) -> tuple[int, dict[str, Any]]:
    result = runner.invoke(app, ["run", *args, "--json"])
    return result.exit_code, json.loads(result.stdout)


def test_run_json_prints_every_steps_input_and_output_loop_iterations_included(tmp_path: Path) -> None:
    code, record = run_json(
        str(write(tmp_path, ACCEPTANCE)), "--input", '{"team": "Ops", "people": ["Ada", "Grace"]}'
    )
    assert code == 0
    assert record["status"] == "succeeded"
    assert record["workflow_version"] == 1
    steps = [(s["name"], s["status"], s["loop_index"], s["input"], s["output"]) for s in record["steps"]]
    assert steps == [
        (
            "trigger",
            "succeeded",
            None,
            {"team": "Ops", "people": ["Ada", "Grace"]},
            {"team": "Ops", "people": ["Ada", "Grace"]},
        ),
        (
            "text-helpers-1",
            "succeeded",
            None,
            {"values": ["Hello ", "Ops"], "separator": ""},
            {"result": "Hello Ops"},
        ),
        (
            "boolean-condition-1",
            "succeeded",
            None,
            {"conditions": [{"value1": ["Ada", "Grace"], "comparison_type": "is_not_empty"}]},
            {"result": True},
        ),
        (
            "loop-1",
            "succeeded",
            None,
            {"array": ["Ada", "Grace"]},
            {"iterations": 2, "count": 2, "broken": False},
        ),
        (
            "text-helpers-2",
            "succeeded",
            0,
            {"values": ["Hello Ops", "Ada"], "separator": ", "},
            {"result": "Hello Ops, Ada"},
        ),
        (
            "text-helpers-2",
            "succeeded",
            1,
            {"values": ["Hello Ops", "Grace"], "separator": ", "},
            {"result": "Hello Ops, Grace"},
        ),
    ]
    assert all(s["started_at"] and s["finished_at"] and s["error"] is None for s in record["steps"])


def test_each_change_to_a_file_is_a_new_version_and_an_unchanged_file_is_not(tmp_path: Path) -> None:
    path = write(tmp_path, ACCEPTANCE)
    first = run_json(str(path), "--input", '{"team": "A", "people": []}')[1]
    again = run_json(str(path), "--input", '{"team": "A", "people": []}')[1]
    path.write_text(path.read_text().replace("Hello ", "Hi "))
    changed = run_json(str(path), "--input", '{"team": "A", "people": []}')[1]
    assert first["workflow_id"] == again["workflow_id"] == changed["workflow_id"]
    assert [first["workflow_version"], again["workflow_version"], changed["workflow_version"]] == [1, 1, 2]


def test_a_failed_run_exits_1_and_says_which_step_failed(tmp_path: Path) -> None:
    code, record = run_json(str(write(tmp_path, ACCEPTANCE)), "--input", '{"people": []}')
    assert code == 1
    assert record["status"] == "failed"
    assert record["error"]["step"] == "text-helpers-1"
    assert (
        record["error"]["message"]
        == "input.values[1]: $.steps.trigger.team found nothing (trigger output has: people)"
    )


def test_the_debug_view_shows_status_input_and_output(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["run", str(write(tmp_path, ACCEPTANCE)), "--input", '{"team": "Ops", "people": ["Ada"]}']
    )
    assert result.exit_code == 0
    for text in (
        "Greet the team",
        "succeeded",
        "text-helpers-1",
        "text-helpers.concatenate",
        "Hello Ops, Ada",
        "[loop-1:0]",
    ):
        assert text in result.stdout


def test_an_invalid_workflow_exits_2_listing_every_problem(tmp_path: Path) -> None:
    broken = json.loads(json.dumps(ACCEPTANCE))
    broken["steps"][0]["input"]["values"][1] = "{$.steps.text-helpers-9.result}"
    broken["steps"][1]["then"][0]["operation"] = "loop_list"
    for name in ("workflow.yaml", "workflow.json"):
        for command in ("validate", "run"):
            result = runner.invoke(app, [command, str(write(tmp_path, broken, name))])
            assert result.exit_code == 2
            assert (
                "steps[0].input.values[1]: $.steps.text-helpers-9.result refers to no step named 'text-helpers-9'"
                in result.stderr
            )
            assert (
                "steps[1].then[0].operation: connector 'loop' has no operation 'loop_list'" in result.stderr
            )


def test_invalid_input_json_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["run", str(write(tmp_path, ACCEPTANCE)), "--input", "{team: Ops}"])
    assert result.exit_code == 2
    assert "--input is not valid JSON" in result.stderr


def test_input_can_come_from_a_file(tmp_path: Path) -> None:
    (tmp_path / "input.json").write_text('{"team": "Files", "people": []}')
    code, record = run_json(str(write(tmp_path, ACCEPTANCE)), "--input", f"@{tmp_path / 'input.json'}")
    assert (code, record["steps"][1]["output"]) == (0, {"result": "Hello Files"})


def test_validate_accepts_the_shipped_demo() -> None:
    result = runner.invoke(app, ["validate", str(ROOT / "examples" / "demo.yaml")])
    assert result.exit_code == 0, result.stderr
    assert "valid" in result.stdout


def test_the_installed_command_runs_the_demo_through_entry_point_discovery(tmp_path: Path) -> None:
    command = Path(sys.executable).parent / "switchboard"
    completed = subprocess.run(
        [
            str(command),
            "run",
            str(ROOT / "examples" / "demo.yaml"),
            "--json",
            "--input",
            '{"people": ["Ada"]}',
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["status"] == "succeeded"


def test_connectors_lists_operations_and_marks_unsafe_ones() -> None:
    result = runner.invoke(app, ["connectors"])
    assert result.exit_code == 0
    assert "text-helpers" in result.stdout and "concatenate" in result.stdout


def test_workflows_can_be_imported_listed_and_exported(tmp_path: Path) -> None:
    imported = runner.invoke(app, ["workflows", "import", str(write(tmp_path, ACCEPTANCE))])
    assert imported.exit_code == 0, imported.stderr
    workflow_id = imported.stdout.strip()
    listed = runner.invoke(app, ["workflows", "list"])
    assert f"{workflow_id}  v1  manual" in listed.stdout and "Greet the team" in listed.stdout
    out = tmp_path / "exported.json"
    assert runner.invoke(app, ["workflows", "export", workflow_id, "-o", str(out)]).exit_code == 0
    exported = json.loads(out.read_text())
    assert exported["title"] == "Greet the team"
    assert exported["steps"][0]["name"] == "text-helpers-1"
    assert runner.invoke(app, ["validate", str(out)]).exit_code == 0
    assert runner.invoke(app, ["workflows", "export", "nope"]).exit_code == 2
