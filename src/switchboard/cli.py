"""The `switchboard` command: run and validate workflows, list connectors."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from switchboard.connectors.registry import discover
from switchboard.debug_view import print_run
from switchboard.definition.loader import load_workflow
from switchboard.engine.plan import compile_plan
from switchboard.engine.records import RunState
from switchboard.engine.runner import Engine, EngineSettings
from switchboard.errors import SwitchboardError, WorkflowInvalid
from switchboard.settings import Settings
from switchboard.store.database import open_database
from switchboard.store.journal import SqlJournal
from switchboard.store.workflows import save_workflow_from_source

app = typer.Typer(
    help="Switchboard: workflow automation for communications.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
EXIT_FAILED = 1
EXIT_INVALID = 2

stderr = Console(stderr=True)


def _fail_invalid(error: SwitchboardError) -> typer.Exit:
    stderr.print(f"[bold red]error:[/] {error.message}", highlight=False, markup=True, soft_wrap=True)
    return typer.Exit(EXIT_INVALID)


def _parse_input(raw: str | None) -> Any:
    """`--input` as JSON text, or `@file.json`."""
    if raw is None:
        return {}
    if raw.startswith("@"):
        try:
            raw = Path(raw[1:]).read_text(encoding="utf-8")
        except OSError as exc:
            raise SwitchboardError(f"--input: cannot read {raw[1:]}: {exc.strerror or exc}") from None
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise SwitchboardError(f"--input is not valid JSON: {exc.msg} at character {exc.pos + 1}") from None


@app.command()
def validate(file: Annotated[Path, typer.Argument(help="The workflow file (YAML or JSON).")]) -> None:
    """Check a workflow file and list every problem with its path; exit 2 when there are any."""
    try:
        workflow = load_workflow(file)
    except WorkflowInvalid as invalid:
        raise _fail_invalid(invalid) from None
    count = sum(1 for _ in workflow.walk())
    Console().print(
        f"{file}: valid ({count} step{'s' if count != 1 else ''}, trigger {workflow.trigger.type})"
    )


@app.command()
def run(
    file: Annotated[Path, typer.Argument(help="The workflow file (YAML or JSON).")],
    input: Annotated[
        str | None, typer.Option("--input", "-i", help="The trigger's data as JSON, or @file.json.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run record as JSON.")] = False,
) -> None:
    """Run a workflow once in this process and show every step's input and output.

    Exit status: 0 the run succeeded, 1 it failed, 2 the workflow or the input is invalid.
    """
    try:
        workflow = load_workflow(file)
        trigger_data = _parse_input(input)
    except SwitchboardError as invalid:
        raise _fail_invalid(invalid) from None
    settings = Settings()
    database = open_database(settings.resolved_database_url())
    journal = SqlJournal(database)
    try:
        saved = save_workflow_from_source(database, workflow, str(file.resolve()))
        engine = Engine(
            journal=journal,
            settings=EngineSettings(step_timeout=settings.step_timeout, public_url=settings.public_url),
        )
        plan = compile_plan(workflow, discover())
        result = asyncio.run(_run(engine, plan, trigger_data, saved.id, saved.version))
    finally:
        journal.close()
        database.dispose()
    if as_json:
        typer.echo(json.dumps(result.to_record(), indent=2, ensure_ascii=False))
    else:
        print_run(Console(), workflow.title, result)
    if result.status != "succeeded":
        raise typer.Exit(EXIT_FAILED)


async def _run(engine: Engine, plan: Any, trigger_data: Any, workflow_id: str, version: int) -> RunState:
    try:
        return await engine.run(plan, trigger_data, workflow_id=workflow_id, workflow_version=version)
    finally:
        await engine.clients.aclose()


@app.command()
def connectors() -> None:
    """List the installed connectors and their operations."""
    console = Console()
    for connector in discover():
        console.print(f"[bold]{connector.name}[/]  {connector.title}")
        for operation in connector.operations.values():
            safety = "" if operation.repeat_safe else "  [yellow](not repeat-safe)[/]"
            console.print(f"  {operation.name:<24} {operation.title}{safety}")


def main() -> None:
    app()
