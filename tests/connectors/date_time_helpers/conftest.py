"""Call date-time-helpers operations as the engine does."""

from __future__ import annotations

from switchboard.connectors.date_time_helpers import connector
from switchboard.connectors.registry import discover

from ...support import operation_caller

REGISTRY = discover()
call, result = operation_caller(connector)
