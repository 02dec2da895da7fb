"""Call json-transformer operations as the engine does."""

from __future__ import annotations

from switchboard.connectors.json_transformer import connector

from ...support import operation_caller

call, result = operation_caller(connector)
