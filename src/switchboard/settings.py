"""Configuration from the environment (`SWITCHBOARD_*`), with defaults that need nothing installed."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting a user may change, read from `SWITCHBOARD_<NAME>` variables."""

    model_config = SettingsConfigDict(env_prefix="SWITCHBOARD_", extra="ignore")

    home: Path = Field(default_factory=lambda: Path.home() / ".switchboard")
    database_url: str | None = None
    step_timeout: float = 300.0
    public_url: str = "http://127.0.0.1:8080"
    secret_key: str | None = None
    """One or more comma-separated Fernet keys, newest first; else a 0600 key file in the home."""
    max_concurrent_runs: int = 64
    max_runs_per_workflow: int = 16
    webhook_body_limit: int = 1024 * 1024
    webhook_response_timeout: float = 300.0
    run_retention_days: int = 30

    def resolved_database_url(self) -> str:
        """The configured database, else a SQLite file in the home folder."""
        if self.database_url:
            return self.database_url
        self.home.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{self.home / 'switchboard.db'}"
