"""The Plivo connector: SMS, MMS, calls, numbers, applications, lookups, and Plivo's callbacks as triggers.

Everything registers on one ``Connector`` (``switchboard.connectors.plivo:connector``, the entry point);
each module is one part of Plivo's API. Requests go through ``PlivoClient``, Switchboard's own async
client, pooled and rate-limited per authentication.
"""

from . import account, applications, calls, checks, lookup, messages, numbers_api, raw, triggers
from .auth import PlivoAuth
from .client import PlivoClient
from .connector import connector

__all__ = [
    "PlivoAuth",
    "PlivoClient",
    "account",
    "applications",
    "calls",
    "checks",
    "connector",
    "lookup",
    "messages",
    "numbers_api",
    "raw",
    "triggers",
]
