"""An http-client authentication: how requests prove who they are, and where they may go.

Credentials are sent as headers built here, so that the request loop knows exactly which headers
carry them and drops them when a redirect leaves the origin they were given for.
"""

from __future__ import annotations

import base64
from typing import Any, Literal, Self

from pydantic import Field, model_validator

from switchboard.connectors.base import AuthFields, OptionalSecret

HEADER_NAME = r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"
CONCEALED = "[redacted]"


class HttpAuth(AuthFields):
    """Credentials for one HTTP API, its base URL, and whether it may reach private networks."""

    type: Literal["none", "basic", "bearer", "header"] = "none"
    username: str | None = None
    password: OptionalSecret = None
    token: OptionalSecret = Field(default=None, description="Sent as Authorization: Bearer <token>.")
    header_name: str | None = Field(default=None, pattern=HEADER_NAME, description="e.g. X-API-Key.")
    header_value: OptionalSecret = None
    base_url: str | None = Field(
        default=None, pattern=r"^https?://", description="Relative request URLs are joined to it."
    )
    allow_private_networks: bool = Field(
        default=False,
        description="Allow requests to link-local and cloud metadata addresses (169.254.0.0/16, fe80::/10, "
        "169.254.169.254...), which are refused by default so a workflow cannot read a server's cloud "
        "credentials.",
    )

    @model_validator(mode="after")
    def _has_what_its_type_needs(self) -> Self:
        needed = {
            "basic": ("username", "password"),
            "bearer": ("token",),
            "header": ("header_name", "header_value"),
        }
        missing = [name for name in needed.get(self.type, ()) if getattr(self, name) is None]
        if missing:
            raise ValueError(f"{self.type} authentication needs {' and '.join(missing)}")
        return self

    def credential_headers(self) -> dict[str, str]:
        """The headers that carry the credentials, for every request made with this authentication."""
        if self.type == "basic":
            pair = f"{self.username}:{self.password}".encode()
            return {"Authorization": f"Basic {base64.b64encode(pair).decode()}"}
        if self.type == "bearer":
            return {"Authorization": f"Bearer {self.token}"}
        if self.type == "header" and self.header_name and self.header_value is not None:
            return {self.header_name: self.header_value}
        return {}

    def derived_secrets(self) -> tuple[str, ...]:
        """Secret text the engine cannot recognise because it is computed: Basic's base64 pair.

        The engine redacts the secret fields themselves; a server that echoes the Authorization header
        would still show the encoded pair, which is as good as the password.
        """
        if self.type != "basic":
            return ()
        return (self.credential_headers()["Authorization"].removeprefix("Basic "),)


def conceal(value: Any, hidden: tuple[str, ...]) -> Any:
    """A copy of JSON-like data with each hidden string replaced wherever it appears."""
    if not hidden:
        return value
    if isinstance(value, str):
        for secret in hidden:
            value = value.replace(secret, CONCEALED)
        return value
    if isinstance(value, list):
        return [conceal(item, hidden) for item in value]
    if isinstance(value, dict):
        return {conceal(str(key), hidden): conceal(item, hidden) for key, item in value.items()}
    return value
