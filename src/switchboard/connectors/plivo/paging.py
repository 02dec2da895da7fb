"""Reading a Plivo list across pages: ``meta.next`` is followed until the caller has enough.

Plivo pages hold at most 20 objects (``limit``) and say where the next page is in ``meta.next``, a relative
URL with ``offset`` (or, for newer call and recording lists, an opaque ``cursor``). Only the paging
parameters are taken from it; the filters are the caller's own, so a ``base_url`` with a path prefix keeps
working.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlsplit

from pydantic import Field, PlainSerializer

from switchboard.connectors.base import Input

from .client import PlivoApi

PAGE_SIZE = 20
"""Plivo's largest page."""
PAGING_PARAMETERS = frozenset({"limit", "offset", "cursor"})


def plivo_time(moment: datetime) -> str:
    """A time as Plivo's list filters take it: ``YYYY-MM-DD HH:MM:SS[.ffffff]`` in UTC."""
    utc = moment.astimezone(UTC) if moment.tzinfo else moment
    return utc.replace(tzinfo=None).isoformat(sep=" ")


PlivoTime = Annotated[datetime, PlainSerializer(plivo_time, return_type=str)]
"""A time filter: any ISO 8601 time in (``2024-08-21T18:28:49Z``; UTC without a zone), Plivo's format out."""


class Paging(Input):
    """How much of a list to read; every list operation's input extends it with its filters."""

    max_results: int = Field(
        default=20,
        ge=1,
        le=1000,
        description="Stop after this many objects, following as many pages as needed.",
    )
    offset: int = Field(default=0, ge=0, description="Objects to skip at the start of the list.")

    def filters(self) -> dict[str, str | int | float | bool]:
        """The filters that were given, as Plivo's query parameters."""
        given = self.model_dump(mode="json", exclude={"max_results", "offset"}, exclude_none=True)
        return {name: value for name, value in given.items() if isinstance(value, str | int | float | bool)}


@dataclass(frozen=True)
class Collected:
    """The objects read, what Plivo says the whole list holds, and whether more were left unread."""

    objects: list[dict[str, Any]]
    total_count: int | None
    has_more: bool


async def collect(api: PlivoApi, path: str, paging: Paging) -> Collected:
    """Read ``path`` page after page, filtered, until ``paging.max_results`` objects or the end."""
    wanted = paging.max_results
    params: dict[str, str | int | float | bool] = {
        **paging.filters(),
        "limit": min(PAGE_SIZE, wanted),
        "offset": paging.offset,
    }
    objects: list[dict[str, Any]] = []
    total: int | None = None
    while True:
        page = await api.get(path, params)
        meta = page.get("meta") or {}
        total = meta.get("total_count", total)
        found = page.get("objects") or []
        objects.extend(found)
        following = meta.get("next")
        if len(objects) >= wanted or not following or not found:
            return Collected(objects[:wanted], total, bool(following) or len(objects) > wanted)
        params = {name: value for name, value in params.items() if name not in PAGING_PARAMETERS}
        params.update(_paging_of(str(following)))
        params["limit"] = min(PAGE_SIZE, wanted - len(objects))


def _paging_of(next_url: str) -> dict[str, str]:
    """The paging parameters of a ``meta.next`` URL."""
    return {name: value for name, value in parse_qsl(urlsplit(next_url).query) if name in PAGING_PARAMETERS}
