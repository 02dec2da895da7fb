"""JSON values as steps pass them along: the names users read for their types, and their equality."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any


def json_type(value: Any) -> str:
    """The JSON type of a value as error messages name it: boolean, number, text, array, object or null."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def with_article(kind: str) -> str:
    """A type name as a sentence says it: `a number`, `an array`, `null`."""
    return kind if kind == "null" else ("an " if kind[0] in "aeiou" else "a ") + kind


def json_key(value: Any, *, case_sensitive: bool = True) -> Hashable:
    """A hashable form of a JSON value; two values are JSON-equal exactly when their keys are equal
    (and, with `case_sensitive=False`, texts that differ only in letter case are equal too)."""
    if isinstance(value, bool):
        return ("boolean", value)
    if isinstance(value, (int, float)):
        return ("number", value)  # 1 and 1.0 are equal and hash alike
    if isinstance(value, str):
        return ("text", value if case_sensitive else value.casefold())
    if value is None:
        return ("null",)
    if isinstance(value, list):
        return ("array", tuple(json_key(item, case_sensitive=case_sensitive) for item in value))
    if isinstance(value, dict):
        return (
            "object",
            frozenset((key, json_key(item, case_sensitive=case_sensitive)) for key, item in value.items()),
        )
    return ("other", repr(value))
