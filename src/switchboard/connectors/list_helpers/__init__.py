"""`list-helpers`: count, pick, sort, filter and reshape lists; every result is under `result`.

Items are compared with JSON's notion of equality: `1` equals `1.0`, `true` is not `1`, and two
objects are equal when they have the same keys and values, in any order.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from pydantic import Field

from switchboard.connectors.base import Connector, Input, Output
from switchboard.errors import OperationFailed
from switchboard.mapping.paths import PathSyntaxError, compile_path
from switchboard.mapping.templates import as_text
from switchboard.mapping.values import json_key, json_type, with_article

connector = Connector(
    "list-helpers", title="List Helpers", description="Count, pick, sort and reshape lists."
)

# The input field is named `list`, which hides the builtin inside the model classes: annotate
# with these aliases there, never with `list[...]` itself.
AnyList = list[Any]
ListOfLists = list[list[Any]]


class ListInput(Input):
    list: AnyList = Field(description="The list to work on.")


class ListResult(Output):
    result: AnyList


class CountResult(Output):
    result: int


class BooleanResult(Output):
    result: bool


class ItemResult(Output):
    result: Any


class ChunksResult(Output):
    result: ListOfLists


class TextResult(Output):
    result: str


@connector.operation("count_items", title="Count items", repeat_safe=True)
async def count_items(data: ListInput) -> CountResult:
    """The number of items in the list."""
    return CountResult(result=len(data.list))


class PickItem(ListInput):
    default: Any = Field(None, description="Given when the list is empty; without it, that is an error.")


@connector.operation("first_item", title="First item", repeat_safe=True)
async def first_item(data: PickItem) -> ItemResult:
    """The first item; an empty list is an error unless `default` is set."""
    return ItemResult(result=_item_at(data, 0, "first"))


@connector.operation("last_item", title="Last item", repeat_safe=True)
async def last_item(data: PickItem) -> ItemResult:
    """The last item; an empty list is an error unless `default` is set."""
    return ItemResult(result=_item_at(data, -1, "last"))


class GetItem(PickItem):
    index: int = Field(description="0 is the first item, -1 the last.")
    default: Any = Field(None, description="Given when there is no such item; without it, that is an error.")


@connector.operation("get_item", title="Get item", repeat_safe=True)
async def get_item(data: GetItem) -> ItemResult:
    """The item at `index` (negative counts from the end)."""
    return ItemResult(result=_item_at(data, data.index, f"index {data.index}"))


def _item_at(data: PickItem, index: int, which: str) -> Any:
    if -len(data.list) <= index < len(data.list):
        return data.list[index]
    if "default" in data.model_fields_set:
        return data.default
    if not data.list:
        raise OperationFailed(
            f"input.list is empty, so it has no {which} item (set input.default to allow this)"
        )
    raise OperationFailed(
        f"input.index: {index} is out of range for a list of {len(data.list)} items "
        f"(valid: {-len(data.list)} to {len(data.list) - 1})"
    )


@connector.operation("remove_duplicates", title="Remove duplicates", repeat_safe=True)
async def remove_duplicates(data: ListInput) -> ListResult:
    """The list without repeated items, keeping the first of each in order."""
    seen: set[Hashable] = set()
    kept = []
    for item in data.list:
        key = json_key(item)
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return ListResult(result=kept)


class ContainsItem(ListInput):
    item: Any = Field(description="The value to look for.")


@connector.operation("contains_item", title="Contains item", repeat_safe=True)
async def contains_item(data: ContainsItem) -> BooleanResult:
    """Whether an item of the list equals `item`."""
    target = json_key(data.item)
    return BooleanResult(result=any(json_key(item) == target for item in data.list))


class Sort(ListInput):
    key: str | None = Field(None, description="For a list of objects: the name of the property to sort by.")
    descending: bool = False
    case_sensitive: bool = Field(True, description="When false, `apple` and `Apple` sort together.")


@connector.operation("sort", title="Sort", repeat_safe=True)
async def sort(data: Sort) -> ListResult:
    """Numbers, texts or booleans in order (equal items keep their order); nulls go last.

    With `key`, objects are sorted by that property; objects without it go last, like nulls.
    """
    values = [_sort_value(item, index, data.key) for index, item in enumerate(data.list)]
    kind = _sort_kind(values, data.key)
    present = [(value, item) for value, item in zip(values, data.list, strict=True) if value is not None]
    missing = [item for value, item in zip(values, data.list, strict=True) if value is None]

    def order(pair: tuple[Any, Any]) -> Any:
        value = pair[0]
        return value.casefold() if kind == "text" and not data.case_sensitive else value

    present.sort(key=order, reverse=data.descending)
    return ListResult(result=[item for _, item in present] + missing)


def _sort_value(item: Any, index: int, key: str | None) -> Any:
    if key is None:
        return item
    if not isinstance(item, dict):
        raise OperationFailed(
            f"input.list[{index}] is {with_article(json_type(item))}, not an object, "
            f"so it has no {key!r} to sort by"
        )
    return item.get(key)


def _sort_kind(values: list[Any], key: str | None) -> str:
    """`number`, `text` or `boolean`: what every non-null value is, or an error naming two that differ."""
    first: tuple[int, str] | None = None
    for index, value in enumerate(values):
        if value is None:
            continue
        kind = json_type(value)
        where = f"input.list[{index}]" + (f".{key}" if key else "")
        if kind in ("object", "array"):
            hint = "" if key else "; give input.key to sort objects by a property"
            raise OperationFailed(f"cannot sort: {where} is {with_article(kind)}{hint}")
        if first is None:
            first = (index, kind)
        elif kind != first[1]:
            first_where = f"input.list[{first[0]}]" + (f".{key}" if key else "")
            raise OperationFailed(
                f"cannot sort: {first_where} is {with_article(first[1])} but {where} is {with_article(kind)} "
                "(all must be numbers, all texts or all booleans)"
            )
    return "" if first is None else first[1]


class Chunk(ListInput):
    size: int = Field(ge=1, description="Items per chunk; the last chunk may be shorter.")


@connector.operation("chunk", title="Chunk", repeat_safe=True)
async def chunk(data: Chunk) -> ChunksResult:
    """The list cut into lists of `size` items, in order (to send in batches)."""
    return ChunksResult(result=[data.list[i : i + data.size] for i in range(0, len(data.list), data.size)])


class Flatten(ListInput):
    depth: int | None = Field(1, ge=1, description="How many levels of nested lists to open; null for all.")


@connector.operation("flatten", title="Flatten", repeat_safe=True)
async def flatten(data: Flatten) -> ListResult:
    """Items of nested lists brought up into the list: `[1, [2, [3]]]` gives `[1, 2, [3]]` at depth 1."""
    return ListResult(result=_flatten(data.list, data.depth))


def _flatten(items: AnyList, depth: int | None) -> AnyList:
    if depth == 0:
        return list(items)
    flat: AnyList = []
    for item in items:
        if isinstance(item, list):
            flat.extend(_flatten(item, None if depth is None else depth - 1))
        else:
            flat.append(item)
    return flat


class FilterByJsonpath(ListInput):
    jsonpath: str = Field(
        description="An RFC 9535 jsonpath over the list, e.g. `$[?@.status == 'delivered']`.",
        examples=["$[?@.status == 'delivered']", "$[?@.price < 10].name"],
    )


@connector.operation("filter_by_jsonpath", title="Filter by jsonpath", repeat_safe=True)
async def filter_by_jsonpath(data: FilterByJsonpath) -> ListResult:
    """Everything the jsonpath selects in the list, in order: the items a filter expression keeps."""
    try:
        path = compile_path(data.jsonpath)
    except PathSyntaxError as exc:
        raise OperationFailed(f"input.jsonpath: {data.jsonpath!r} is not a valid jsonpath: {exc}") from None
    return ListResult(result=path.find(data.list))


class Join(ListInput):
    separator: str = ","


@connector.operation("join", title="Join", repeat_safe=True)
async def join(data: Join) -> TextResult:
    """The items as one text with `separator` between them; null is nothing, objects are JSON."""
    return TextResult(result=data.separator.join(as_text(item) for item in data.list))


@connector.operation("reverse", title="Reverse", repeat_safe=True)
async def reverse(data: ListInput) -> ListResult:
    """The items in the opposite order."""
    return ListResult(result=data.list[::-1])


class Slice(ListInput):
    start: int = Field(0, description="First item (0-based); negative counts from the end.")
    end: int | None = Field(None, description="Stop before this item; negative counts from the end.")


@connector.operation("slice", title="Slice", repeat_safe=True)
async def slice_list(data: Slice) -> ListResult:
    """The items from `start` up to (not including) `end`; out-of-range positions are clamped."""
    return ListResult(result=data.list[data.start : data.end])
