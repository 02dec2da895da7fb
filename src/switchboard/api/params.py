"""Reading query parameters the same way in every route."""

from __future__ import annotations

from datetime import UTC, datetime

from switchboard.errors import SwitchboardError


def parse_moment(value: str | None, name: str) -> datetime | None:
    """An ISO 8601 time from a query parameter; naive times are UTC."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise SwitchboardError(
            f"{name}: {value!r} is not an ISO 8601 time (e.g. 2026-11-29T10:00:00Z)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
