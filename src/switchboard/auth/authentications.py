"""Authentications: named credentials for one connector, personal or organisational.

The connector's `AuthFields` model decides what is valid; its `Secret` fields are sealed in the
encrypted `secrets` column and everything else is kept readable in `fields`. Who sees what:

- a **personal** authentication is seen, used, changed and deleted by its owner only; to anyone
  else it does not exist (they get NotFound, not Forbidden, so its name does not leak);
- an **organisational** one is seen and used by every user, and changed by admins and owners.

Names are unique per scope: across the organisation for organisational ones, per owner for
personal ones. A personal name may shadow an organisational one: a run uses its owner's own first.
"""

from __future__ import annotations

import asyncio
import builtins
import time
import unicodedata
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, NoReturn

import sqlalchemy as sa
from pydantic import BaseModel, ValidationError

from switchboard.auth.encryption import SecretBox
from switchboard.auth.errors import AuthenticationInvalid, Conflict, PermissionDenied
from switchboard.auth.roles import Permission, require
from switchboard.auth.users import User, find_local_owner
from switchboard.connectors.base import AuthFields, ClientPool, Connector, Context, secret_field_names
from switchboard.connectors.registry import Registry
from switchboard.engine.records import now, timestamp, utc
from switchboard.engine.redaction import Redactor
from switchboard.engine.runner import ResolvedAuth
from switchboard.errors import NotFound, Problem, SwitchboardError
from switchboard.store.database import Database
from switchboard.store.tables import authentications, users

MAX_NAME_LENGTH = 200
AUTH_TEST_TIMEOUT = 30.0
"""Seconds `test_authentication` waits for the provider before reporting that it did not answer."""


class Scope(StrEnum):
    PERSONAL = "personal"
    ORGANISATIONAL = "organisational"


class AuthenticationUnusable(SwitchboardError):
    """An authentication a step cannot use: for another connector, or stored values no longer valid."""

    code = "authentication_unusable"


@dataclass(frozen=True)
class Authentication:
    """One stored authentication, its secrets decrypted (kept out of `repr`, so logs do not show them)."""

    id: str
    name: str
    connector: str
    scope: Scope
    owner_id: str
    owner_name: str
    fields: dict[str, Any]
    """The values that are not secret, as given (defaults of the connector's model are not stored)."""
    secrets: dict[str, str] = field(repr=False)
    created_at: datetime
    updated_at: datetime

    @property
    def secrets_set(self) -> list[str]:
        """Names of the secret fields that have a value."""
        return sorted(name for name, value in self.secrets.items() if value)

    def values(self) -> dict[str, Any]:
        """Every stored value, secrets included: what the connector's model validates."""
        return {**self.fields, **self.secrets}


def public_view(auth: Authentication) -> dict[str, Any]:
    """What the API and the CLI may show of an authentication: which secrets are set, never their values."""
    return {
        "id": auth.id,
        "name": auth.name,
        "connector": auth.connector,
        "scope": auth.scope.value,
        "owner": {"id": auth.owner_id, "name": auth.owner_name},
        "fields": dict(auth.fields),
        "secrets_set": auth.secrets_set,
        "created_at": timestamp(auth.created_at),
        "updated_at": timestamp(auth.updated_at),
    }


class AuthenticationStore:
    """Creates, finds, changes and deletes authentications, checking who asks at every call."""

    def __init__(self, database: Database, box: SecretBox, registry: Registry) -> None:
        self.database = database
        self.box = box
        self.registry = registry
        self.generation = 0
        """Counts this process's writes, so caches of resolved authentications know when to forget."""

    def create(
        self,
        user: User,
        *,
        connector: str,
        name: str,
        fields: Mapping[str, Any],
        scope: Scope | str = Scope.PERSONAL,
    ) -> Authentication:
        """A new authentication owned by `user`; `fields` are checked against the connector's model."""
        scope = parse_scope(scope)
        _require_may_manage(user, scope, "create")
        name = check_name(name)
        found = self.connector(connector)
        plain, sealed = _split(found, self.typed(found, fields))
        moment = now()
        auth_id = uuid.uuid4().hex
        self.generation += 1
        with self.database.engine.begin() as connection:
            lock_authentications(connection)
            self._check_name_free(connection, name, scope, user.id)
            connection.execute(
                authentications.insert().values(
                    id=auth_id,
                    name=name,
                    connector=found.name,
                    scope=scope.value,
                    owner_id=user.id,
                    fields=plain,
                    secrets=self.box.encrypt(sealed),
                    created_at=moment,
                    updated_at=moment,
                )
            )
        return self.get(auth_id, user)

    def list(self, user: User, *, connector: str | None = None) -> builtins.list[Authentication]:
        """What `user` may see: their personal authentications and every organisational one, by name."""
        query = self._select().where(_visible_to(user.id))
        if connector is not None:
            query = query.where(authentications.c.connector == connector)
        with self.database.engine.connect() as connection:
            rows = connection.execute(query.order_by(authentications.c.name, authentications.c.scope)).all()
        return [self._authentication(row) for row in rows]

    def get(self, ref: str, user: User) -> Authentication:
        """An authentication by id or name that `user` may see; NotFound for anyone else's personal one."""
        with self.database.engine.connect() as connection:
            row = connection.execute(
                self._select().where(authentications.c.id == ref, _visible_to(user.id))
            ).first()
            if row is None:
                row = self._by_name(connection, ref, user.id)
        if row is None:
            raise NotFound(f"no authentication {ref!r}")
        return self._authentication(row)

    def update(
        self,
        ref: str,
        user: User,
        *,
        name: str | None = None,
        scope: Scope | str | None = None,
        fields: Mapping[str, Any] | None = None,
    ) -> Authentication:
        """Change an authentication's name, scope or fields; what is not given keeps its value.

        `fields` is partial: a field left out keeps its value; `None` resets a field that is not
        secret to the connector's default; a secret given as `None` or `""` keeps its value (a form
        sends its password boxes empty when they were not touched).
        """
        current = self.get(ref, user)
        _require_may_manage(user, current.scope, "change")
        new_scope = current.scope if scope is None else parse_scope(scope)
        if new_scope is not current.scope:
            _require_may_manage(user, new_scope, "create")
        # An authentication made personal becomes the personal one of whoever made it so.
        owner_id = user.id if new_scope is Scope.PERSONAL else current.owner_id
        new_name = current.name if name is None else check_name(name)
        values: dict[str, Any] = current.values()
        found = self.connector(current.connector)
        secret_names = _secret_names(found)
        for key, value in (fields or {}).items():
            if key in secret_names and value in (None, ""):
                continue
            if value is None:
                values.pop(key, None)
            else:
                values[key] = value
        plain, sealed = _split(found, self.typed(found, values))
        self.generation += 1
        with self.database.engine.begin() as connection:
            # Encrypt under the lock, so that a key rotation cannot slip between encrypting and writing.
            lock_authentications(connection)
            if (new_name, new_scope, owner_id) != (current.name, current.scope, current.owner_id):
                self._check_name_free(connection, new_name, new_scope, owner_id, exclude_id=current.id)
            connection.execute(
                authentications.update()
                .where(authentications.c.id == current.id)
                .values(
                    name=new_name,
                    scope=new_scope.value,
                    owner_id=owner_id,
                    fields=plain,
                    secrets=self.box.encrypt(sealed),
                    updated_at=now(),
                )
            )
        return self.get(current.id, user)

    def delete(self, ref: str, user: User) -> None:
        """Delete an authentication: its owner (personal), or an admin or owner (organisational)."""
        current = self.get(ref, user)
        _require_may_manage(user, current.scope, "delete")
        self.generation += 1
        with self.database.engine.begin() as connection:
            connection.execute(authentications.delete().where(authentications.c.id == current.id))

    def find_for_run(self, ref: str, owner_id: str | None) -> Authentication:
        """The authentication a run of `owner_id` names: their personal one first, then an organisational one.

        Raises PermissionDenied when the only match is another user's personal authentication, so
        the run's error says why, rather than pretending it does not exist to the workflow's author.
        """
        with self.database.engine.connect() as connection:
            row = self._by_name(connection, ref, owner_id)
            if row is None:
                row = connection.execute(self._select().where(authentications.c.id == ref)).first()
                if row is None:
                    row = connection.execute(
                        self._select().where(
                            authentications.c.name == ref, authentications.c.scope == Scope.PERSONAL.value
                        )
                    ).first()
        if row is None:
            raise NotFound(f"no authentication {ref!r}")
        auth = self._authentication(row)
        if auth.scope is Scope.PERSONAL and auth.owner_id != owner_id:
            raise PermissionDenied(
                f"authentication {auth.name!r} is personal to another user: this run cannot use it; "
                "make it organisational, or use an authentication of your own"
            )
        return auth

    def typed(self, connector: Connector, values: Mapping[str, Any], *, subject: str = "") -> AuthFields:
        """The connector's `AuthFields` for `values`, or every problem, each named `fields.<name>`."""
        model = connector.auth
        if model is None:
            raise AuthenticationInvalid(
                [Problem("connector", f"connector {connector.name!r} takes no authentication")]
            )
        try:
            return model.model_validate(dict(values))
        except ValidationError as invalid:
            problems = [
                Problem(_field_path(error["loc"]), str(error["msg"]))
                for error in invalid.errors(include_url=False, include_input=False)
            ]
            raise AuthenticationInvalid(problems, subject=subject or "the authentication") from None

    def connector(self, name: str) -> Connector:
        """The installed connector called `name`; an unknown one is a problem at `connector`."""
        try:
            return self.registry.get(name)
        except NotFound as unknown:
            raise AuthenticationInvalid([Problem("connector", unknown.message)]) from None

    def _select(self) -> sa.Select[Any]:
        return sa.select(authentications, users.c.name.label("owner_name")).join(
            users, users.c.id == authentications.c.owner_id
        )

    def _by_name(self, connection: sa.Connection, name: str, user_id: str | None) -> Any:
        """`user_id`'s personal authentication called `name`, else the organisational one."""
        if user_id is not None:
            row = connection.execute(
                self._select().where(
                    authentications.c.name == name,
                    authentications.c.scope == Scope.PERSONAL.value,
                    authentications.c.owner_id == user_id,
                )
            ).first()
            if row is not None:
                return row
        return connection.execute(
            self._select().where(
                authentications.c.name == name, authentications.c.scope == Scope.ORGANISATIONAL.value
            )
        ).first()

    def _check_name_free(
        self, connection: sa.Connection, name: str, scope: Scope, owner_id: str, exclude_id: str | None = None
    ) -> None:
        query = sa.select(authentications.c.id).where(
            authentications.c.name == name, authentications.c.scope == scope.value
        )
        if scope is Scope.PERSONAL:
            query = query.where(authentications.c.owner_id == owner_id)
        if exclude_id is not None:
            query = query.where(authentications.c.id != exclude_id)
        if connection.execute(query.limit(1)).first() is not None:
            where = "in the organisation" if scope is Scope.ORGANISATIONAL else "among your personal ones"
            raise Conflict(f"name: an authentication named {name!r} already exists {where}")

    def _authentication(self, row: Any) -> Authentication:
        return Authentication(
            id=row.id,
            name=row.name,
            connector=row.connector,
            scope=Scope(row.scope),
            owner_id=row.owner_id,
            owner_name=row.owner_name,
            fields=dict(row.fields),
            secrets=self.box.decrypt(row.secrets, subject=f"the secrets of authentication {row.name!r}"),
            created_at=utc(row.created_at),
            updated_at=utc(row.updated_at),
        )


class StoreAuthSource:
    """The engine's `AuthSource`: a step's authentication, by name or id, as the run's owner may use it.

    A run without an owner (started from the local CLI, or a workflow saved from a file) acts as the
    local owner, as the CLI does.
    """

    cache_seconds = 5.0
    """How long a resolved authentication is reused; changes made by this process apply at once,
    changes made by another process (the CLI, another server) within this time."""

    def __init__(self, store: AuthenticationStore) -> None:
        self.store = store
        self._cache: dict[tuple[str, str | None, str], tuple[float, int, ResolvedAuth]] = {}

    async def resolve(self, name: str, connector: Connector, *, owner: str | None) -> ResolvedAuth:
        """Look-ups and decryption cost a query and a Fernet decryption; a run of many steps reuses them."""
        key = (name, owner, connector.name)
        cached = self._cache.get(key)
        moment = time.monotonic()
        if cached is not None and cached[0] > moment and cached[1] == self.store.generation:
            return cached[2]
        resolved = self._resolve(name, connector, owner)
        self._cache[key] = (moment + self.cache_seconds, self.store.generation, resolved)
        return resolved

    def _resolve(self, name: str, connector: Connector, owner: str | None) -> ResolvedAuth:
        if owner is None:
            local_owner = find_local_owner(self.store.database)
            owner = local_owner.id if local_owner is not None else None
        auth = self.store.find_for_run(name, owner)
        if auth.connector != connector.name:
            raise AuthenticationUnusable(
                f"authentication {auth.name!r} is for connector {auth.connector!r}, not {connector.name!r}"
            )
        fields = self.store.typed(connector, auth.values(), subject=f"authentication {auth.name!r}")
        return ResolvedAuth(
            name=auth.name, fields=fields, secrets=tuple(v for v in auth.secrets.values() if v)
        )


async def test_authentication(
    store: AuthenticationStore, auth_id: str, user: User, *, timeout: float = AUTH_TEST_TIMEOUT
) -> dict[str, Any]:
    """Check that an authentication works by calling its connector's test: `{"ok": bool, "message": str}`.

    The contract for connectors: `Connector.test` registers `async def check(ctx: Context[MyAuth])`,
    called with a `Context` whose `auth` is the typed fields (and `auth_name`, `clients` as in a
    step). It raises a `SwitchboardError` (usually `ProviderError`) when the provider refuses the
    credentials. On success it may return a short text (the message), or the provider's answer as a
    dict or model (shown as `details`, e.g. which account or workspace the credentials open).
    Secret values are redacted from whatever comes back.
    """
    auth = store.get(auth_id, user)
    connector = store.connector(auth.connector)
    redactor = Redactor(auth.secrets.values())
    try:
        fields = store.typed(connector, auth.values(), subject=f"authentication {auth.name!r}")
    except AuthenticationInvalid as invalid:
        return {"ok": False, "message": redactor.text(invalid.message)}
    check = connector.auth_test
    if check is None:
        return {"ok": True, "message": f"the fields are valid; {connector.title} offers no live check"}
    clients = ClientPool()
    context: Context[AuthFields] = Context(
        auth=fields,
        run_id=f"auth-test-{uuid.uuid4().hex}",
        step="auth-test",
        auth_name=auth.name,
        clients=clients,
    )
    try:
        result: object = await asyncio.wait_for(check(context), timeout)
    except TimeoutError:
        return {"ok": False, "message": f"{connector.title} did not answer within {timeout:g} s"}
    except SwitchboardError as refused:
        return {"ok": False, "message": redactor.text(refused.message)}
    finally:
        await clients.aclose()
    if isinstance(result, str) and result:
        return {"ok": True, "message": redactor.text(result)}
    answer: dict[str, Any] = {
        "ok": True,
        "message": f"{connector.title} accepted authentication {auth.name!r}",
    }
    if isinstance(result, BaseModel):
        answer["details"] = redactor.data(result.model_dump(mode="json"))
    elif isinstance(result, Mapping):
        answer["details"] = redactor.data(dict(result))
    return answer


test_authentication.__test__ = False  # type: ignore[attr-defined]  # a function, not a pytest test


def lock_authentications(connection: sa.Connection) -> None:
    """Hold off other writers of authentications until this transaction ends; readers go on.

    So that a name checked free stays free until it is inserted, and a rotation re-encrypts every
    row that exists. PostgreSQL: a self-exclusive table lock. SQLite: a write that changes nothing,
    which takes the database's write lock now (the driver begins transactions only at the first write).
    """
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("LOCK TABLE authentications IN SHARE ROW EXCLUSIVE MODE"))
    else:
        connection.execute(authentications.update().where(sa.false()).values(name=authentications.c.name))


def parse_scope(scope: Scope | str) -> Scope:
    """A scope from its name, or `AuthenticationInvalid` naming the choices."""
    try:
        return Scope(scope)
    except ValueError:
        return _raise_problem("scope", f"{scope!r} is not a scope (personal or organisational)")


def check_name(name: str) -> str:
    """The name without surrounding spaces, or `AuthenticationInvalid` saying what is wrong."""
    name = name.strip()
    if not name:
        _raise_problem("name", "must not be empty")
    if len(name) > MAX_NAME_LENGTH:
        _raise_problem("name", f"must be at most {MAX_NAME_LENGTH} characters")
    if any(unicodedata.category(char).startswith("C") for char in name):
        _raise_problem("name", "must not contain control characters")
    return name


def _raise_problem(path: str, message: str) -> NoReturn:
    raise AuthenticationInvalid([Problem(path, message)])


def _require_may_manage(user: User, scope: Scope, verb: str) -> None:
    if scope is Scope.ORGANISATIONAL:
        require(
            user, Permission.MANAGE_ORGANISATIONAL_AUTHENTICATIONS, f"{verb} organisational authentications"
        )
    else:
        require(user, Permission.MANAGE_OWN_AUTHENTICATIONS, f"{verb} authentications")


def _visible_to(user_id: str) -> sa.ColumnElement[bool]:
    return sa.or_(
        authentications.c.scope == Scope.ORGANISATIONAL.value,
        sa.and_(authentications.c.scope == Scope.PERSONAL.value, authentications.c.owner_id == user_id),
    )


def _secret_names(connector: Connector) -> frozenset[str]:
    return secret_field_names(connector.auth) if connector.auth is not None else frozenset()


def _split(connector: Connector, typed: AuthFields) -> tuple[dict[str, Any], dict[str, str]]:
    """The values as given, split into (readable fields, secrets to seal)."""
    secret_names = _secret_names(connector)
    given = typed.model_dump(mode="json", exclude_unset=True)
    plain = {key: value for key, value in given.items() if key not in secret_names}
    sealed = {key: str(value) for key, value in given.items() if key in secret_names and value is not None}
    return plain, sealed


def _field_path(location: tuple[int | str, ...]) -> str:
    path = "fields"
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path
