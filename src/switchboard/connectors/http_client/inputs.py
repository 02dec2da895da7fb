"""What a request step takes: URL, headers, query, one kind of body, and what counts as success.

Headers and query may also be given as Tray's ``[{key, value}]`` lists, so imported Tray workflows
keep working.
"""

from __future__ import annotations

from typing import Any, Self

from pydantic import ConfigDict, Field, field_validator, model_validator

from switchboard.connectors.base import Input, JsonScalar

MEBIBYTE = 1024 * 1024
QueryValue = JsonScalar | list[JsonScalar]


class StatusRange(Input):
    """The statuses that count as success; any other fails the step (``{from: 200, to: 299}``)."""

    model_config = ConfigDict(populate_by_name=True)

    from_: int = Field(default=200, alias="from", ge=100, le=599)
    to: int = Field(default=299, ge=100, le=599)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.from_ > self.to:
            raise ValueError(f"'from' ({self.from_}) is above 'to' ({self.to})")
        return self

    def __contains__(self, status: object) -> bool:
        return isinstance(status, int) and self.from_ <= status <= self.to


class JsonBody(Input):
    """``{json: <any JSON>}``: sent as application/json."""

    model_config = ConfigDict(populate_by_name=True)

    json_: Any = Field(alias="json")


class FormBody(Input):
    """``{form: {field: value}}``: sent as application/x-www-form-urlencoded."""

    form: dict[str, QueryValue]


class RawBody(Input):
    """``{raw: "text", content_type: "..."}``: sent as given."""

    raw: str
    content_type: str = "text/plain; charset=utf-8"


class NoBody(Input):
    """``{none: null}``: Tray's way of saying there is no body."""

    none: None


RequestBody = JsonBody | FormBody | RawBody | NoBody


def _pairs_to_mapping(value: Any) -> Any:
    """Tray's ``[{key, value}]`` lists become a mapping; anything else is left for validation."""
    if isinstance(value, list) and all(
        isinstance(item, dict) and set(item) == {"key", "value"} for item in value
    ):
        return {item["key"]: item["value"] for item in value}
    return value


class HttpRequest(Input):
    """One HTTP request."""

    url: str = Field(
        min_length=1, description="A full URL, or a path joined to the authentication's base_url."
    )
    headers: dict[str, JsonScalar] = Field(default_factory=dict)
    query: dict[str, QueryValue] = Field(
        default_factory=dict, description="A list value repeats the parameter."
    )
    body: RequestBody | None = Field(
        default=None, description="One of {json: ...}, {form: {...}}, {raw: 'text', content_type: '...'}."
    )
    status_code: StatusRange = Field(default_factory=StatusRange)
    follow_redirects: bool = True
    timeout: float = Field(default=30.0, gt=0, le=900, description="Seconds for the whole exchange.")
    max_response_bytes: int = Field(
        default=10 * MEBIBYTE, ge=1, le=100 * MEBIBYTE, description="A longer response body fails the step."
    )

    @field_validator("headers", "query", mode="before")
    @classmethod
    def _accept_tray_pairs(cls, value: Any) -> Any:
        return _pairs_to_mapping(value)
