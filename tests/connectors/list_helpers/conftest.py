"""Call list-helpers operations as the engine does."""

from __future__ import annotations

from switchboard.connectors.list_helpers import connector

from ...support import operation_caller

call, result = operation_caller(connector)
