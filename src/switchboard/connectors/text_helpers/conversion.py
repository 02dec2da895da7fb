"""Reading text as other JSON types: the rules behind `change_type` and `typecast`."""

from __future__ import annotations

import json
import math
import re
from typing import Any, Literal

from switchboard.errors import OperationFailed
from switchboard.mapping.templates import as_text
from switchboard.mapping.values import json_type

TargetType = Literal["string", "number", "integer", "boolean", "array", "object"]

_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_TRUE = frozenset({"true", "yes", "y", "on", "1"})
_FALSE = frozenset({"false", "no", "n", "off", "0"})


def change_type(value: Any, target: TargetType, where: str = "input.value") -> Any:
    """`value` as the JSON type `target`, or an `OperationFailed` that says why it cannot be."""
    if target == "string":
        return as_text(value)
    if target == "number":
        return _as_number(value, where)
    if target == "integer":
        return _as_integer(value, where)
    if target == "boolean":
        return _as_boolean(value, where)
    if target == "array":
        return _as_array(value, where)
    return _as_object(value, where)


def typecast(text: str) -> Any:
    """The JSON value `text` spells (`"42"` is 42, `"true"` is true, `"[1]"` a list), else the text."""
    stripped = text.strip()
    lowered = stripped.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered == "null":
        return None
    if _JSON_NUMBER.fullmatch(stripped):
        try:
            return _number_from_text(stripped)
        except ValueError:  # too large for a float, such as 1e999: keep the text
            return text
    if stripped[:1] in ("{", "["):
        try:
            return json.loads(stripped)
        except (json.JSONDecodeError, RecursionError):
            return text
    return text


def describe(value: Any) -> str:
    """A short description of a value for error messages: its JSON type and a preview."""
    preview = json.dumps(value, ensure_ascii=False, default=str)
    if len(preview) > 60:
        preview = preview[:57] + "..."
    if value is None:
        return "null"
    return f"{json_type(value)} {preview}"


def _number_from_text(text: str) -> int | float:
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(text)
    return number


def _as_number(value: Any, where: str) -> int | float:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str) and _DECIMAL.fullmatch(value.strip()):
        try:
            return _number_from_text(value.strip())
        except (ValueError, OverflowError):
            pass
    raise OperationFailed(f"{where}: {describe(value)} cannot be read as a number")


def _as_integer(value: Any, where: str) -> int:
    number = _as_number(value, where)
    if isinstance(number, float):
        if not number.is_integer():
            raise OperationFailed(
                f"{where}: {describe(value)} is not a whole number (round it first with math-helpers round)"
            )
        return int(number)
    return number


def _as_boolean(value: Any, where: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise OperationFailed(
        f"{where}: {describe(value)} cannot be read as a boolean (expected true/false, yes/no, on/off or 1/0)"
    )


def _as_array(value: Any, where: str) -> list[Any]:
    if isinstance(value, list):
        return value
    if value is None:
        return []
    if isinstance(value, str) and value.strip().startswith("["):
        parsed = _parse_json(value, where, "an array")
        if isinstance(parsed, list):
            return parsed
    return [value]


def _as_object(value: Any, where: str) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    if isinstance(value, str) and value.strip().startswith("{"):
        parsed = _parse_json(value, where, "an object")
        if isinstance(parsed, dict):
            return parsed
    raise OperationFailed(
        f"{where}: {describe(value)} cannot be read as an object (JSON object text expected)"
    )


def _parse_json(text: str, where: str, kind: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise OperationFailed(
            f"{where} looks like {kind} but is not valid JSON: "
            f"{exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    except RecursionError:
        raise OperationFailed(f"{where} is JSON nested too deeply to read") from None
