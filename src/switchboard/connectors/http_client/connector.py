"""The http-client connector object that its operations register on."""

from __future__ import annotations

from switchboard.connectors.base import Connector

from .auth import HttpAuth

connector = Connector(
    "http-client",
    title="HTTP Client",
    description="Call any HTTP API: GET, POST, PUT, PATCH, DELETE and HEAD, with optional Basic, Bearer or "
    "header authentication. Requests to link-local and cloud metadata addresses are refused unless the "
    "authentication allows private networks.",
    auth=HttpAuth,
    auth_required=False,
)
