"""Reading request parameters the way Plivo's API reads them.

POST bodies are JSON (what the SDKs send); form-encoded bodies are accepted too. GET and DELETE take
their arguments from the query string. A body that is not a JSON object is answered like Plivo:
400 ``invalid json data sent in raw POST``.
"""

import json
from collections.abc import Mapping
from urllib.parse import parse_qsl

from fastapi import Request

from switchboard.sim.plivo.errors import INVALID_JSON, bad_request

Params = Mapping[str, object]


async def body_params(request: Request) -> dict[str, object]:
    """Return the parameters of a POST body (JSON object or form), ``{}`` for an empty body."""
    raw = await request.body()
    if not raw.strip():
        return {}
    if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
    try:
        decoded = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise bad_request(INVALID_JSON) from error
    if not isinstance(decoded, dict):
        raise bad_request(INVALID_JSON)
    return decoded


def text(params: Params, name: str, default: str | None = None) -> str | None:
    """A string parameter; numbers are accepted and turned into text, other types are a 400."""
    value = params.get(name)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise bad_request(f"{name} must be a string")
    return str(value)


def required_text(params: Params, name: str) -> str:
    """A string parameter that must be present and not empty."""
    value = text(params, name)
    if value is None or not value.strip():
        raise bad_request(f"missing mandatory parameter: {name}")
    return value


def flag(params: Params, name: str, default: bool = False) -> bool:
    """A boolean parameter: JSON true/false or the strings ``true``/``false``."""
    value = params.get(name)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise bad_request(f"{name} must be true or false")


def http_method(params: Params, name: str) -> str:
    """A callback method parameter: ``GET`` or ``POST`` (the default)."""
    value = (text(params, name) or "POST").upper()
    if value not in ("GET", "POST"):
        raise bad_request(f"{name} must be GET or POST")
    return value


def url(params: Params, name: str) -> str | None:
    """An optional callback URL, which must be absolute http(s)."""
    value = text(params, name)
    if value is None or value == "":
        return None
    if not value.startswith(("http://", "https://")):
        raise bad_request(f"{name} must be an http or https URL")
    return value


def string_list(params: Params, name: str) -> list[str]:
    """A list parameter sent as a JSON array or as one comma-separated string."""
    value = params.get(name)
    if value is None:
        return []
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return [str(item) for item in value]
    raise bad_request(f"{name} must be a list of strings")
