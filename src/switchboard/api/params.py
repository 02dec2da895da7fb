"""Reading query parameters the same way in every route."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Query

from switchboard.engine.records import utc
from switchboard.errors import SwitchboardError
from switchboard.store.runs import RunFilter


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
    return utc(moment)


@dataclass(frozen=True)
class RunPage:
    """The filters and the page of a run listing, as query parameters."""

    where: RunFilter
    limit: int
    cursor: str | None


def run_page(
    status: str | None = None,
    since: str | None = None,
    until: str | None = None,
    q: str | None = Query(None, description="Text to find in the trigger's data."),
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = None,
) -> RunPage:
    """A FastAPI dependency shared by every route that lists runs."""
    where = RunFilter(None, status, parse_moment(since, "since"), parse_moment(until, "until"), q)
    return RunPage(where, limit, cursor)


RunPageDep = Annotated[RunPage, Depends(run_page)]
