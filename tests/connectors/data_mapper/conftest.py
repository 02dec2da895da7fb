"""Call data-mapper operations as the engine does."""

from __future__ import annotations

from switchboard.connectors.data_mapper import connector

from ...support import operation_caller

call, result = operation_caller(connector)
