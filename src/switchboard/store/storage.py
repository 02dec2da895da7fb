"""Durable key-value storage for the `storage` connector, scoped to a run, a workflow or the account."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from switchboard.engine.records import now
from switchboard.store.database import Database
from switchboard.store.tables import storage


class KeyValueStore:
    """Values are JSON; every write commits at once, so a value survives a crash of the run."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def get(self, scope: str, scope_id: str, key: str) -> tuple[bool, Any]:
        with self.database.engine.connect() as connection:
            row = connection.execute(
                sa.select(storage.c.value).where(*self._where(scope, scope_id, key))
            ).first()
        return (False, None) if row is None else (True, row.value)

    def put(self, scope: str, scope_id: str, key: str, value: Any) -> None:
        with self.database.engine.begin() as connection:
            self._put(connection, scope, scope_id, key, value)

    def append(self, scope: str, scope_id: str, key: str, value: Any, *, create: bool) -> list[Any] | None:
        """The list after appending, or None when there is no list at `key` and `create` is False.

        The read and the write are one transaction (a row lock on PostgreSQL), so two runs appending
        at once both land.
        """
        with self.database.engine.begin() as connection:
            query = sa.select(storage.c.value).where(*self._where(scope, scope_id, key))
            if self.database.dialect == "postgresql":
                query = query.with_for_update()
            row = connection.execute(query).first()
            if row is None and not create:
                return None
            current = [] if row is None or row.value is None else row.value
            if not isinstance(current, list):
                raise TypeError(f"the value at {key!r} is {type(current).__name__}, not a list")
            updated = [*current, value]
            self._put(connection, scope, scope_id, key, updated)
            return updated

    def delete(self, scope: str, scope_id: str, key: str) -> bool:
        with self.database.engine.begin() as connection:
            return bool(
                connection.execute(storage.delete().where(*self._where(scope, scope_id, key))).rowcount
            )

    def _put(self, connection: sa.Connection, scope: str, scope_id: str, key: str, value: Any) -> None:
        connection.execute(storage.delete().where(*self._where(scope, scope_id, key)))
        connection.execute(
            storage.insert().values(scope=scope, scope_id=scope_id, key=key, value=value, updated_at=now())
        )

    @staticmethod
    def _where(scope: str, scope_id: str, key: str) -> tuple[sa.ColumnElement[bool], ...]:
        return storage.c.scope == scope, storage.c.scope_id == scope_id, storage.c.key == key
