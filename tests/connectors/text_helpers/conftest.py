"""Call text-helpers operations as the engine does."""

from __future__ import annotations

from switchboard.connectors.registry import discover
from switchboard.connectors.text_helpers import connector

from ...support import operation_caller

REGISTRY = discover()
call, result = operation_caller(connector)
