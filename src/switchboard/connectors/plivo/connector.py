"""The Plivo connector object that every operation, the authentication test and the triggers register on."""

from __future__ import annotations

from switchboard.connectors.base import Connector

from .auth import PlivoAuth

connector = Connector(
    "plivo",
    title="Plivo",
    description="Send SMS and MMS, make calls, manage numbers and applications, look numbers up, call any "
    "Plivo API, and start workflows from inbound messages, delivery reports and incoming calls.",
    auth=PlivoAuth,
)
