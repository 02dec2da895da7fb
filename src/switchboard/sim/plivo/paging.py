"""Plivo's list pages: ``{"api_id", "meta": {limit, next, offset, previous, total_count}, "objects"}``.

``limit`` is 1-20 (default 20) and ``offset`` ≥ 0; ``next`` and ``previous`` are relative URLs that keep
the other query parameters, or null at either end (reference/plivo.md §2.4).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from switchboard.sim.plivo.errors import bad_request, new_api_id
from switchboard.sim.plivo.records import JsonObject

MAX_LIMIT = 20


@dataclass(frozen=True)
class Page:
    """Which slice of a list a request asks for."""

    limit: int
    offset: int

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "Page":
        """Read ``limit`` and ``offset``, refusing values Plivo refuses."""
        limit = _whole_number(query, "limit", MAX_LIMIT)
        offset = _whole_number(query, "offset", 0)
        if not 1 <= limit <= MAX_LIMIT:
            raise bad_request(f"limit must be between 1 and {MAX_LIMIT}")
        if offset < 0:
            raise bad_request("offset must be 0 or more")
        return cls(limit, offset)

    def body(self, objects: Sequence[JsonObject], path: str, query: Mapping[str, str]) -> JsonObject:
        """Render this page of ``objects`` (the whole filtered list) with its ``meta``."""
        total = len(objects)
        others = {key: value for key, value in query.items() if key not in ("limit", "offset")}

        def link(offset: int) -> str:
            return f"{path}?{urlencode({**others, 'limit': self.limit, 'offset': offset})}"

        return {
            "api_id": new_api_id(),
            "meta": {
                "limit": self.limit,
                "next": link(self.offset + self.limit) if self.offset + self.limit < total else None,
                "offset": self.offset,
                "previous": link(max(0, self.offset - self.limit)) if self.offset > 0 else None,
                "total_count": total,
            },
            "objects": list(objects[self.offset : self.offset + self.limit]),
        }


def _whole_number(query: Mapping[str, str], name: str, default: int) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise bad_request(f"{name} must be a whole number") from error
