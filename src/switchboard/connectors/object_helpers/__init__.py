"""`object-helpers`: read, change, merge and (de)serialise JSON objects; results under `result`.

A key path is a list of keys (`["user", "emails", 0]`, for keys that contain dots) or dotted
text (`user.emails.0`); a number selects a list item, and a negative one counts from the end.
Operations that change an object return a changed copy: the input, often another step's output,
is never modified.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from pydantic import Field

from switchboard.connectors.base import Connector, Input, Output
from switchboard.errors import OperationFailed
from switchboard.mapping.values import json_type, with_article

connector = Connector(
    "object-helpers",
    title="Object Helpers",
    description="Read, change and merge objects; parse and write JSON.",
)

KeyPath = str | list[str | int]
_MISSING: Any = object()


class ObjectResult(Output):
    result: dict[str, Any]


class ValueResult(Output):
    result: Any


class ListResult(Output):
    result: list[Any]


class TextResult(Output):
    result: str


class ObjectInput(Input):
    object: dict[str, Any] = Field(description="The object to work on.")


class PathInput(ObjectInput):
    path: KeyPath = Field(
        description='Dotted text (`user.emails.0`) or a list of keys (`["user", "emails", 0]`).',
        examples=["user.name", ["user", "name.with.dots"]],
    )


def keys_of(path: KeyPath, where: str = "input.path") -> list[str | int]:
    """The keys of a path; dotted text is split at each dot."""
    keys: list[str | int] = list(path.split(".") if isinstance(path, str) else path)
    if not keys or any(key == "" for key in keys):
        raise OperationFailed(f"{where}: {path!r} is not a key path (no key may be empty)")
    return keys


def _step(node: Any, key: str | int) -> Any:
    """The child of `node` at `key`, or `_MISSING`."""
    if isinstance(node, dict):
        return node.get(str(key), _MISSING)
    if isinstance(node, list):
        index = _index(key)
        if index is not None and -len(node) <= index < len(node):
            return node[index]
    return _MISSING


def _index(key: str | int) -> int | None:
    if isinstance(key, int):
        return key
    try:
        return int(key)
    except ValueError:
        return None


def _walk(root: Any, keys: list[str | int]) -> tuple[Any, str]:
    """The value at `keys`, or `_MISSING` with a sentence saying where the path stopped."""
    node = root
    for depth, key in enumerate(keys):
        child = _step(node, key)
        if child is _MISSING:
            here = ".".join(str(k) for k in keys[:depth]) or "the object"
            if isinstance(node, dict):
                has = ", ".join(list(node)[:10]) or "no keys"
                return _MISSING, f"{here} has no key {str(key)!r} (it has: {has})"
            if isinstance(node, list):
                return _MISSING, f"{here} is a list of {len(node)} items, with no item {key!r}"
            return _MISSING, f"{here} is {with_article(json_type(node))}, not an object or a list"
        node = child
    return node, ""


class GetValue(PathInput):
    default: Any = Field(None, description="Given when the path finds nothing; without it, that is an error.")


@connector.operation("get_value", title="Get value", repeat_safe=True)
async def get_value(data: GetValue) -> ValueResult:
    """The value at a key path; a path that finds nothing is an error unless `default` is set."""
    value, problem = _walk(data.object, keys_of(data.path))
    if value is _MISSING:
        if "default" in data.model_fields_set:
            return ValueResult(result=data.default)
        raise OperationFailed(f"input.path: {data.path!r} found nothing: {problem}")
    return ValueResult(result=value)


class SetValue(PathInput):
    value: Any = Field(description="The value to put at the path.")
    create_missing: bool = Field(True, description="Create objects on the way for keys that do not exist.")


@connector.operation("set_value", title="Set value", repeat_safe=True)
async def set_value(data: SetValue) -> ObjectResult:
    """A copy of the object with `value` at the key path (replacing what was there)."""
    keys = keys_of(data.path)
    result = copy.deepcopy(data.object)
    node: Any = result
    for depth, key in enumerate(keys[:-1]):
        child = _step(node, key)
        if child is _MISSING and isinstance(node, dict) and data.create_missing:
            child = node[str(key)] = {}
        elif child is _MISSING or not isinstance(child, (dict, list)):
            _, problem = _walk(result, keys[: depth + 2])
            raise OperationFailed(
                f"input.path: cannot set {data.path!r}: {problem or 'it is not a container'}"
            )
        node = child
    _put(node, keys[-1], data.value, data.path)
    return ObjectResult(result=result)


def _put(node: Any, key: str | int, value: Any, path: KeyPath) -> None:
    if isinstance(node, dict):
        node[str(key)] = value
        return
    index = _index(key)
    if index is None:
        raise OperationFailed(f"input.path: cannot set {path!r}: {key!r} is not a list index")
    if index == len(node):
        node.append(value)
    elif -len(node) <= index < len(node):
        node[index] = value
    else:
        raise OperationFailed(
            f"input.path: cannot set {path!r}: index {index} is out of range for a list of {len(node)} items"
        )


class DeleteKey(PathInput):
    ignore_missing: bool = Field(True, description="When false, a path that finds nothing is an error.")


@connector.operation("delete_key", title="Delete key", repeat_safe=True)
async def delete_key(data: DeleteKey) -> ObjectResult:
    """A copy of the object without the key (or list item) at the path."""
    keys = keys_of(data.path)
    result = copy.deepcopy(data.object)
    parent, problem = _walk(result, keys[:-1])
    target = _MISSING if parent is _MISSING else _step(parent, keys[-1])
    if target is _MISSING:
        if data.ignore_missing:
            return ObjectResult(result=result)
        problem = problem or _walk(result, keys)[1]
        raise OperationFailed(f"input.path: {data.path!r} found nothing to delete: {problem}")
    if isinstance(parent, dict):
        del parent[str(keys[-1])]
    else:
        index = _index(keys[-1])
        assert index is not None
        del parent[index]
    return ObjectResult(result=result)


class Merge(Input):
    objects: list[dict[str, Any]] = Field(min_length=1, description="The objects; later ones win on a clash.")
    deep: bool = Field(
        False, description="Merge nested objects key by key, instead of the later one replacing the earlier."
    )


@connector.operation("merge", title="Merge objects", repeat_safe=True)
async def merge(data: Merge) -> ObjectResult:
    """One object with the keys of all; on a clash the later object's value wins."""
    result: dict[str, Any] = {}
    for item in data.objects:
        if data.deep:
            _deep_merge(result, item)
        else:
            result.update(copy.deepcopy(item))
    return ObjectResult(result=result)


def _deep_merge(into: dict[str, Any], other: dict[str, Any]) -> None:
    for key, value in other.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _deep_merge(into[key], value)
        else:
            into[key] = copy.deepcopy(value)


@connector.operation("keys", title="Keys", repeat_safe=True)
async def keys(data: ObjectInput) -> ListResult:
    """The object's keys, in order."""
    return ListResult(result=list(data.object))


@connector.operation("values", title="Values", repeat_safe=True)
async def values(data: ObjectInput) -> ListResult:
    """The object's values, in the order of its keys."""
    return ListResult(result=list(data.object.values()))


class ParseJson(Input):
    text: str = Field(description="JSON text, e.g. an HTTP response body or a webhook field.")


@connector.operation("parse_json", title="Parse JSON", repeat_safe=True)
async def parse_json(data: ParseJson) -> ValueResult:
    """The value that JSON text spells; invalid JSON is an error that says the line and column."""
    try:
        return ValueResult(result=json.loads(data.text))
    except json.JSONDecodeError as exc:
        near = data.text[max(exc.pos - 15, 0) : exc.pos + 15].replace("\n", " ")
        raise OperationFailed(
            f"input.text is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno} "
            f"(near {near!r})"
        ) from None
    except RecursionError:
        raise OperationFailed("input.text is JSON nested too deeply to read") from None


class StringifyJson(Input):
    value: Any = Field(description="Any JSON value.")
    pretty: bool = Field(False, description="Indent by two spaces, one item per line.")
    sort_keys: bool = False


@connector.operation("stringify_json", title="Write JSON", repeat_safe=True)
async def stringify_json(data: StringifyJson) -> TextResult:
    """The value as JSON text: compact, or indented with `pretty`."""
    indent, separators = (2, (",", ": ")) if data.pretty else (None, (",", ":"))
    return TextResult(
        result=json.dumps(
            data.value, indent=indent, separators=separators, sort_keys=data.sort_keys, ensure_ascii=False
        )
    )


class PropertiesExist(ObjectInput):
    properties: list[KeyPath] = Field(min_length=1, description="Key paths that must all be present.")


class PropertiesFound(Output):
    result: bool = Field(description="Whether every property exists (a null value counts as existing).")
    missing: list[KeyPath] = Field(description="The properties that do not exist, as given.")


@connector.operation("properties_exist", title="Properties exist", repeat_safe=True)
async def properties_exist(data: PropertiesExist) -> PropertiesFound:
    """Whether the object has every one of the key paths, and which are missing."""
    missing = [
        path
        for index, path in enumerate(data.properties)
        if _walk(data.object, keys_of(path, f"input.properties[{index}]"))[0] is _MISSING
    ]
    return PropertiesFound(result=not missing, missing=missing)
