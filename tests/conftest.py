"""Fixtures shared by the whole suite: a private Switchboard home and real databases."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from switchboard.store.database import Database, open_database

from .support import sqlite_database

POSTGRES_ADMIN_URL = os.environ.get(
    "SWITCHBOARD_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@pytest.fixture(autouse=True)
def switchboard_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own SWITCHBOARD_HOME, so no test sees another's database or keys."""
    home = tmp_path / "home"
    monkeypatch.setenv("SWITCHBOARD_HOME", str(home))
    monkeypatch.delenv("SWITCHBOARD_DATABASE_URL", raising=False)
    return home


def _postgres_available() -> bool:
    try:
        engine = sa.create_engine(POSTGRES_ADMIN_URL)
        with engine.connect():
            pass
        engine.dispose()
        return True
    except sa.exc.OperationalError:
        return False


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty database: a SQLite file, and a fresh PostgreSQL database when one runs."""
    if request.param == "sqlite":
        with sqlite_database(tmp_path) as db:
            yield db
        return
    if os.environ.get("CI") and not _postgres_available():
        pytest.fail("PostgreSQL must run in CI (.ci/run starts it)")
    if not _postgres_available():
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    name = f"switchboard_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    db = open_database(url)
    try:
        yield db
    finally:
        db.dispose()
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
