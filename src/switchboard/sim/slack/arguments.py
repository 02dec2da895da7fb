"""Reading a Web API call's arguments the way Slack does: from the query string, a JSON body, a form, or
multipart, with the token from ``Authorization: Bearer`` (or a ``token`` argument).

slack_sdk sends ``chat.postMessage`` and ``chat.update`` as JSON, most other methods as query
parameters on a POST, and ``conversations.list`` or ``users.info`` as a GET; values arrive as strings
(``"1"``/``"0"`` for booleans, JSON text for ``blocks``) or, from JSON bodies, as JSON values.
"""

import json
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

from fastapi import Request

from .errors import SlackError


@dataclass(frozen=True)
class FormPart:
    """One part of a ``multipart/form-data`` body."""

    name: str
    filename: str | None
    content: bytes


def media_type_of(content_type: str) -> str:
    """``application/json`` from ``application/json; charset=utf-8``."""
    return content_type.split(";", 1)[0].strip().lower()


def read_multipart(content_type: str, body: bytes) -> list[FormPart]:
    """Split a ``multipart/form-data`` body into its parts (the stdlib email parser does the work)."""
    envelope = f"Content-Type: {content_type}\r\n\r\n".encode() + body
    message = BytesParser(policy=HTTP).parsebytes(envelope)
    if not message.is_multipart():
        raise SlackError("invalid_form_data")
    parts: list[FormPart] = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if isinstance(name, str) and isinstance(payload, bytes):
            parts.append(FormPart(name=name, filename=part.get_filename(), content=payload))
    return parts


def _decoded(body: bytes) -> str:
    try:
        return body.decode()
    except UnicodeDecodeError:
        raise SlackError("invalid_charset") from None


def _body_values(content_type: str, body: bytes) -> dict[str, Any]:
    media_type = media_type_of(content_type)
    if media_type == "application/json":
        try:
            values = json.loads(_decoded(body))
        except json.JSONDecodeError:
            raise SlackError("invalid_json") from None
        if not isinstance(values, dict):
            raise SlackError("json_not_object")
        return values
    if media_type in ("application/x-www-form-urlencoded", "text/plain"):
        return dict(parse_qsl(_decoded(body), keep_blank_values=True))
    if media_type == "multipart/form-data":
        parts = read_multipart(content_type, body)
        return {part.name: _decoded(part.content) for part in parts if part.filename is None}
    if not media_type:
        raise SlackError("missing_post_type")
    raise SlackError("invalid_post_type")


class Arguments:
    """A call's arguments, with readers that fail with the Slack error code the method documents."""

    def __init__(self, values: dict[str, Any]) -> None:
        self._values = values

    def as_logged(self) -> dict[str, Any]:
        """The arguments as recorded in the call log (the token is never among them)."""
        return dict(self._values)

    def text(self, name: str, *, error: str = "invalid_arguments") -> str | None:
        """A string argument; numbers are accepted as their text, absent is ``None``."""
        value = self._values.get(name)
        if value is None:
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str | int | float):
            return str(value)
        raise SlackError(error)

    def required(self, name: str, *, error: str) -> str:
        """A string argument that must be present and not blank, else ``error``."""
        value = self.text(name, error=error)
        if value is None or not value.strip():
            raise SlackError(error)
        return value

    def flag(self, name: str, default: bool = False) -> bool:
        """A boolean argument: ``true``/``false``, ``1``/``0`` or JSON booleans."""
        value = self._values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        return str(value).strip().lower() in ("1", "true", "yes")

    def integer(self, name: str, *, default: int, error: str) -> int:
        """An integer argument, or ``default`` when absent."""
        value = self._values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            raise SlackError(error)
        try:
            return int(value)
        except (TypeError, ValueError):
            raise SlackError(error) from None

    def json(self, name: str, *, error: str) -> Any:
        """A structured argument: JSON text in a form or query, or a JSON value in a JSON body."""
        value = self._values.get(name)
        if not isinstance(value, str):
            return value
        if not value.strip():
            return None
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            raise SlackError(error) from None

    def id_list(self, name: str) -> list[str]:
        """A list of ids, given comma-separated (``U1,U2``) or as a JSON list."""
        value = self._values.get(name)
        if value is None:
            return []
        items = value if isinstance(value, list) else str(value).split(",")
        return [str(item).strip() for item in items if str(item).strip()]


async def read_call(request: Request) -> tuple[str | None, Arguments]:
    """The token and arguments of a Web API request; raises :class:`SlackError` for a malformed body."""
    values: dict[str, Any] = dict(request.query_params)
    body = await request.body()
    if body:
        values.update(_body_values(request.headers.get("content-type", ""), body))
    token_argument = values.pop("token", None)
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip(), Arguments(values)
    return (str(token_argument) if token_argument else None), Arguments(values)
