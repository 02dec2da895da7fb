"""`switchboard user ...`, `switchboard auth ...` and `switchboard secrets ...`.

Three Typer apps, mounted by `switchboard.cli` as top-level groups. Whoever runs the CLI can open
the database and the key file, so the CLI acts as the local owner (created on first use).
Secret values are never printed back; an API token is printed once, alone on the last line, so a
script can take it with `tail -n 1`.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from switchboard.auth.authentications import (
    AuthenticationStore,
    Scope,
    public_view,
    test_authentication,
)
from switchboard.auth.encryption import SecretBox
from switchboard.auth.errors import AuthenticationInvalid, Conflict, UserInvalid
from switchboard.auth.keys import generate_key
from switchboard.auth.roles import Role
from switchboard.auth.rotation import rotate_keys
from switchboard.auth.users import (
    create_user,
    ensure_local_owner,
    get_user,
    issue_token,
    list_tokens,
    list_users,
    revoke_token,
)
from switchboard.connectors.base import secret_field_names
from switchboard.connectors.registry import discover
from switchboard.errors import Problem, SwitchboardError
from switchboard.settings import Settings
from switchboard.store.database import Database, open_database

EXIT_FAILED = 1
EXIT_INVALID = 2
_INVALID = (AuthenticationInvalid, UserInvalid, Conflict)

user_app = typer.Typer(help="Users and their API tokens.", no_args_is_help=True)
auth_app = typer.Typer(help="Authentications: named credentials for a connector.", no_args_is_help=True)
secrets_app = typer.Typer(help="The key that encrypts secrets at rest.", no_args_is_help=True)


@contextmanager
def _database() -> Iterator[Database]:
    """The configured database, migrated, closed at the end; any Switchboard error exits cleanly."""
    try:
        database = open_database(Settings().resolved_database_url())
        try:
            yield database
        finally:
            database.dispose()
    except SwitchboardError as error:
        typer.echo(f"error: {error.message}", err=True)
        raise typer.Exit(EXIT_INVALID if isinstance(error, _INVALID) else EXIT_FAILED) from None


def _store(database: Database) -> AuthenticationStore:
    return AuthenticationStore(database, SecretBox.from_settings(Settings()), discover())


def _table(*headers: str) -> Table:
    """A table whose cells wrap rather than cut: ids must stay whole to be copied."""
    table = Table()
    for header in headers:
        table.add_column(header, overflow="fold")
    return table


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


# --- user -------------------------------------------------------------------------------------


@user_app.command("add")
def add_user(
    name: Annotated[str, typer.Argument(help="The user's name, unique.")],
    role: Annotated[Role, typer.Option(help="What the user may do.", case_sensitive=False)] = Role.MEMBER,
) -> None:
    """Add a user and print their first API token (shown once, alone on the last line)."""
    with _database() as database:
        user = create_user(database, name, role)
        token = issue_token(database, user.id, label="first token")
    typer.echo(
        f"Added {user.role.value} {user.name!r} (id {user.id}). Their API token, shown only this once:"
    )
    typer.echo(token)


@user_app.command("list")
def show_users(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List the users and their roles."""
    with _database() as database:
        found = [(user, list_tokens(database, user.id)) for user in list_users(database)]
    if as_json:
        _print_json([user.to_dict() for user, _ in found])
        return
    table = _table("name", "role", "id", "created", "active tokens")
    for user, tokens in found:
        active = sum(1 for token in tokens if token.revoked_at is None)
        table.add_row(
            Text(user.name), user.role.value, user.id, f"{user.created_at:%Y-%m-%d %H:%M}", str(active)
        )
    Console().print(table)


@user_app.command("token")
def add_token(
    name: Annotated[str, typer.Argument(help="The user's name or id.")],
    label: Annotated[str, typer.Option(help="What the token is for, to recognise it later.")] = "",
) -> None:
    """Issue another API token for a user (shown once, alone on the last line)."""
    with _database() as database:
        user = get_user(database, name)
        token = issue_token(database, user.id, label=label)
    typer.echo(f"New API token for {user.name!r}, shown only this once:")
    typer.echo(token)


@user_app.command("tokens")
def show_tokens(name: Annotated[str, typer.Argument(help="The user's name or id.")]) -> None:
    """List a user's API tokens (their prefixes: tokens themselves are never stored)."""
    with _database() as database:
        tokens = list_tokens(database, get_user(database, name).id)
    table = _table("id", "prefix", "label", "created", "last used", "revoked")
    for token in tokens:
        table.add_row(
            token.id,
            token.prefix + "…",
            Text(token.label),
            f"{token.created_at:%Y-%m-%d %H:%M}",
            f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never",
            f"{token.revoked_at:%Y-%m-%d %H:%M}" if token.revoked_at else "",
        )
    Console().print(table)


@user_app.command("revoke")
def revoke(
    token_id: Annotated[str, typer.Argument(help="The token's id, from `switchboard user tokens`.")],
) -> None:
    """Revoke an API token: requests carrying it are refused from now on."""
    with _database() as database:
        revoke_token(database, token_id)
    typer.echo(f"Revoked API token {token_id}.")


# --- auth -------------------------------------------------------------------------------------


@auth_app.command("add")
def add_authentication(
    connector: Annotated[str, typer.Argument(help="The connector, e.g. plivo.")],
    name: Annotated[str, typer.Option(help="The name steps use to refer to it.")],
    scope: Annotated[Scope, typer.Option(help="Who may use it.", case_sensitive=False)] = Scope.PERSONAL,
    values: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            help="A field: key=value (text) or key:=JSON. Secrets left out are asked for without echo.",
        ),
    ] = None,
) -> None:
    """Add an authentication for a connector, owned by the local owner."""
    with _database() as database:
        store = _store(database)
        fields = parse_assignments(values or [])
        model = store.connector(connector).auth
        if model is not None:
            for secret in sorted(secret_field_names(model) - fields.keys()):
                if model.model_fields[secret].is_required():
                    fields[secret] = typer.prompt(secret, hide_input=True)
        auth = store.create(
            ensure_local_owner(database), connector=connector, name=name, fields=fields, scope=scope
        )
    typer.echo(f"Added {auth.scope.value} authentication {auth.name!r} for {auth.connector} (id {auth.id}).")
    for key, value in auth.fields.items():
        typer.echo(f"  {key}: {json.dumps(value, ensure_ascii=False)}")
    for key in auth.secrets_set:
        typer.echo(f"  {key}: (secret, set)")


@auth_app.command("list")
def show_authentications(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (never secret values).")] = False,
) -> None:
    """List the authentications the local owner can see."""
    with _database() as database:
        found = _store(database).list(ensure_local_owner(database))
    if as_json:
        _print_json([public_view(auth) for auth in found])
        return
    table = _table("name", "connector", "scope", "owner", "fields", "secrets set")
    for auth in found:
        fields = ", ".join(
            f"{key}={json.dumps(value, ensure_ascii=False)}" for key, value in auth.fields.items()
        )
        table.add_row(
            Text(auth.name),
            auth.connector,
            auth.scope.value,
            Text(auth.owner_name),
            Text(fields),
            ", ".join(auth.secrets_set),
        )
    Console().print(table)


@auth_app.command("test")
def check_authentication(
    name: Annotated[str, typer.Argument(help="The authentication's name or id.")],
) -> None:
    """Check with the provider that an authentication works; exit 1 when it does not."""
    with _database() as database:
        result = asyncio.run(test_authentication(_store(database), name, ensure_local_owner(database)))
    typer.echo(f"{'ok' if result['ok'] else 'failed'}: {result['message']}")
    for key, value in result.get("details", {}).items():
        typer.echo(f"  {key}: {json.dumps(value, ensure_ascii=False)}")
    if not result["ok"]:
        raise typer.Exit(EXIT_FAILED)


@auth_app.command("delete")
def delete_authentication(
    name: Annotated[str, typer.Argument(help="The authentication's name or id.")],
) -> None:
    """Delete an authentication; workflows that use it fail until they get another."""
    with _database() as database:
        store = _store(database)
        owner = ensure_local_owner(database)
        auth = store.get(name, owner)
        store.delete(auth.id, owner)
    typer.echo(f"Deleted authentication {auth.name!r} ({auth.connector}).")


def parse_assignments(assignments: list[str]) -> dict[str, Any]:
    """`key=value` (text) and `key:=JSON` (typed) pairs from `--set`, as fields."""
    fields: dict[str, Any] = {}
    for assignment in assignments:
        key, equals, value = assignment.partition("=")
        if not equals or not key.rstrip(":"):
            raise AuthenticationInvalid([Problem(f"--set {assignment}", "expected key=value or key:=JSON")])
        if key.endswith(":"):
            key = key[:-1]
            try:
                fields[key] = json.loads(value)
            except json.JSONDecodeError as invalid:
                raise AuthenticationInvalid(
                    [
                        Problem(
                            f"fields.{key}", f"not valid JSON: {invalid.msg} at character {invalid.pos + 1}"
                        )
                    ]
                ) from None
        else:
            fields[key] = value
    return fields


# --- secrets ----------------------------------------------------------------------------------


@secrets_app.command("rotate")
def rotate() -> None:
    """Encrypt every stored secret with a new key and drop the old one (with a key file).

    With SWITCHBOARD_SECRET_KEY set, re-encrypts with the first configured key and says how to
    change the variable.
    """
    with _database() as database:
        rotation = rotate_keys(database, Settings())
    typer.echo(rotation.message)


@secrets_app.command("generate-key")
def print_new_key() -> None:
    """Print a new random key, for SWITCHBOARD_SECRET_KEY (put it first, then rotate)."""
    typer.echo(generate_key().decode("ascii"))
