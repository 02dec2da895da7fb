"""The `switchboard` command: run and validate workflows, list connectors."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich.console import Console

from switchboard.auth.authentications import AuthenticationStore, StoreAuthSource
from switchboard.auth.commands import auth_app, secrets_app, user_app
from switchboard.auth.encryption import SecretBox
from switchboard.auth.users import ensure_local_owner
from switchboard.connectors.registry import discover
from switchboard.debug_view import print_run
from switchboard.definition.loader import load_workflow
from switchboard.dispatch.services import RunContext
from switchboard.engine.plan import Plan, compile_plan
from switchboard.engine.records import RunState
from switchboard.engine.runner import Engine, EngineSettings
from switchboard.errors import SwitchboardError, WorkflowInvalid
from switchboard.settings import Settings
from switchboard.store.database import open_database
from switchboard.store.journal import SqlJournal
from switchboard.store.storage import KeyValueStore
from switchboard.store.workflows import SavedWorkflow, WorkflowStore

app = typer.Typer(
    help="Switchboard: workflow automation for communications.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(user_app, name="user")
app.add_typer(auth_app, name="auth")
app.add_typer(secrets_app, name="secrets")
workflows_app = typer.Typer(help="Workflows stored in the database.", no_args_is_help=True)
app.add_typer(workflows_app, name="workflows")
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
        owner = ensure_local_owner(database)  # the local CLI acts as the owner
        saved = WorkflowStore(database).save_from_source(workflow, str(file.resolve()), owner_id=owner.id)
        store = AuthenticationStore(database, SecretBox.from_settings(settings), discover())
        engine = Engine(
            journal=journal,
            authentications=StoreAuthSource(store),
            settings=EngineSettings(step_timeout=settings.step_timeout, public_url=settings.public_url),
        )
        plan = compile_plan(workflow, discover())
        run_id = uuid.uuid4().hex
        services = RunContext(run_id, saved.id, KeyValueStore(database))
        result = asyncio.run(_run(engine, plan, trigger_data, saved, owner.id, run_id, services))
    finally:
        journal.close()
        database.dispose()
    if as_json:
        typer.echo(json.dumps(result.to_record(), indent=2, ensure_ascii=False))
    else:
        print_run(Console(), workflow.title, result)
    if result.status != "succeeded":
        raise typer.Exit(EXIT_FAILED)


async def _run(
    engine: Engine,
    plan: Plan,
    trigger_data: Any,
    saved: SavedWorkflow,
    owner_id: str,
    run_id: str,
    services: RunContext,
) -> RunState:
    try:
        return await engine.run(
            plan,
            trigger_data,
            workflow_id=saved.id,
            workflow_version=saved.version,
            owner=owner_id,
            run_id=run_id,
            services=services,
        )
    finally:
        await engine.clients.aclose()


@workflows_app.command("list")
def workflows_list() -> None:
    """The stored workflows: id, version, trigger and title."""
    database = open_database(Settings().resolved_database_url())
    try:
        for stored in WorkflowStore(database).list_workflows():
            state = "" if stored.enabled else "  (disabled)"
            typer.echo(f"{stored.id}  v{stored.version}  {stored.trigger_type:<24} {stored.title}{state}")
    finally:
        database.dispose()


@workflows_app.command("export")
def workflows_export(
    workflow_id: Annotated[str, typer.Argument(help="The workflow's id (see `workflows list`).")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write here (.json or .yaml).")
    ] = None,
) -> None:
    """The workflow file of a stored workflow's current version."""
    database = open_database(Settings().resolved_database_url())
    try:
        document = WorkflowStore(database).get(workflow_id).definition
    except SwitchboardError as missing:
        raise _fail_invalid(missing) from None
    finally:
        database.dispose()
    as_json = output is not None and output.suffix.lower() == ".json"
    text = (
        json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        if as_json
        else yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    )
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


@workflows_app.command("import")
def workflows_import(file: Annotated[Path, typer.Argument(help="A workflow file (YAML or JSON).")]) -> None:
    """Store a workflow file as a new workflow owned by the local owner; prints its id."""
    try:
        workflow = load_workflow(file)
    except WorkflowInvalid as invalid:
        raise _fail_invalid(invalid) from None
    database = open_database(Settings().resolved_database_url())
    try:
        stored = WorkflowStore(database).create(workflow, owner_id=ensure_local_owner(database).id)
    finally:
        database.dispose()
    typer.echo(stored.id)


@app.command()
def connectors() -> None:
    """List the installed connectors and their operations."""
    console = Console()
    for connector in discover():
        console.print(f"[bold]{connector.name}[/]  {connector.title}")
        for operation in connector.operations.values():
            safety = "" if operation.repeat_safe else "  [yellow](not repeat-safe)[/]"
            console.print(f"  {operation.name:<24} {operation.title}{safety}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port of the API, the web UI and the trigger URLs.")] = 8080,
    demo: Annotated[
        bool, typer.Option(help="Also serve the sandbox simulators and load the example workflows.")
    ] = False,
    sim_port: Annotated[int, typer.Option(help="Port of the simulators with --demo.")] = 9090,
) -> None:
    """Serve the API, the trigger URLs, the scheduler and an in-process executor."""
    import uvicorn

    from switchboard.api.app import create_app

    settings = Settings()
    if "SWITCHBOARD_PUBLIC_URL" not in os.environ:
        settings.public_url = f"http://{host}:{port}"
    api = create_app(settings, demo_sim_url=f"http://{host}:{sim_port}" if demo else None)
    servers = [uvicorn.Server(uvicorn.Config(api, host=host, port=port, log_level="info"))]
    if demo:
        from switchboard.sim.app import create_sim_app

        servers.append(
            uvicorn.Server(uvicorn.Config(create_sim_app(), host=host, port=sim_port, log_level="warning"))
        )
    _run_event_loop(_serve_all(servers))


def _run_event_loop(main: Any) -> None:
    """uvloop when it is installed (it comes with uvicorn[standard]), else asyncio's own loop."""
    try:
        import uvloop
    except ImportError:
        asyncio.run(main)
    else:
        uvloop.run(main)


async def _serve_all(servers: list[Any]) -> None:
    await asyncio.gather(*(server.serve() for server in servers))


@app.command()
def sim(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port of both simulators.")] = 9090,
) -> None:
    """Serve the Plivo and Slack simulators (Plivo at /v1/..., Slack at /api/...)."""
    import uvicorn

    from switchboard.sim.app import create_sim_app

    uvicorn.run(create_sim_app(), host=host, port=port, log_level="info")


def main() -> None:
    app()
