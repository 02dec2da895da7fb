"""`data-mapper`: rename keys and translate values with a table of `{from, to}` mappings.

Output shapes follow Tray's: `map_keys` gives the renamed object at the root of the step's output
(`$.steps.data-mapper-1.<new key>`), `map_one_value` gives `result`, `map_values` gives `output`.
Values match with JSON equality (`1` matches `1.0`, `true` does not match `1`).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from pydantic import ConfigDict, Field, model_validator

from switchboard.connectors.base import Connector, Input, Output
from switchboard.errors import OperationFailed
from switchboard.mapping.values import json_key

connector = Connector(
    "data-mapper",
    title="Data Mapper",
    description="Rename keys and translate values with a from/to table.",
)


class KeyMapping(Input):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: str = Field(alias="from", min_length=1, description="The key in the input object.")
    to: str = Field(min_length=1, description="The key in the output.")


class ValueMapping(Input):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: Any = Field(alias="from", description="A value to translate.")
    to: Any = Field(description="What it becomes.")


class MapKeys(Input):
    input: dict[str, Any] = Field(description="The object whose keys to rename.")
    mappings: list[KeyMapping] = Field(description="`from` key becomes `to` key.")
    keep_unmapped: bool = Field(True, description="Keep keys no mapping names, as they are.")

    @model_validator(mode="after")
    def _one_source_per_key(self) -> MapKeys:
        sources: dict[str, int] = {}
        targets: dict[str, int] = {}
        for index, mapping in enumerate(self.mappings):
            for seen, key, role in ((sources, mapping.from_, "from"), (targets, mapping.to, "to")):
                if key in seen:
                    raise ValueError(
                        f"mappings[{index}].{role}: {key!r} is already the {role!r} of mappings[{seen[key]}]"
                    )
                seen[key] = index
        return self


class MappedKeys(Output):
    """The renamed object itself: each key is a property of the step's output."""


@connector.operation("map_keys", title="Map keys", repeat_safe=True)
async def map_keys(data: MapKeys) -> MappedKeys:
    """The object with keys renamed; keys that are not in the object are skipped."""
    renames = {mapping.from_: mapping.to for mapping in data.mappings}
    renamed: dict[str, Any] = {}
    for key, value in data.input.items():
        if key in renames:
            renamed[renames[key]] = value
        elif data.keep_unmapped and key not in renamed:  # a renamed key wins over a kept one
            renamed[key] = value
    return MappedKeys.model_validate(renamed)


class MapOneValue(Input):
    value: Any = Field(description="The value to translate.")
    mappings: list[ValueMapping] = Field(description="The first mapping whose `from` equals the value wins.")
    default: Any = Field(None, description="The result when no mapping matches.")
    case_sensitive: bool = Field(True, description="When false, text matches whatever its letter case.")


class OneValueResult(Output):
    result: Any


@connector.operation("map_one_value", title="Map one value", repeat_safe=True)
async def map_one_value(data: MapOneValue) -> OneValueResult:
    """The `to` of the first mapping whose `from` equals the value, else `default`."""
    table = _table(data.mappings, data.case_sensitive)
    return OneValueResult(
        result=table.get(json_key(data.value, case_sensitive=data.case_sensitive), data.default)
    )


class MapValues(Input):
    input: list[Any] = Field(description="The items: objects (with `field`) or plain values.")
    field: str | None = Field(None, description="The property of each object to translate; unset: each item.")
    mappings: list[ValueMapping] = Field(description="The first mapping whose `from` equals the value wins.")
    default: Any = Field(None, description="What unmatched values become; unset: they stay as they are.")
    case_sensitive: bool = Field(True, description="When false, text matches whatever its letter case.")


class MappedValues(Output):
    output: list[Any]


@connector.operation("map_values", title="Map values", repeat_safe=True)
async def map_values(data: MapValues) -> MappedValues:
    """Each item (or each item's `field`) translated through the mappings; results under `output`."""
    table = _table(data.mappings, data.case_sensitive)
    keep = "default" not in data.model_fields_set

    def translate(value: Any) -> Any:
        found = table.get(json_key(value, case_sensitive=data.case_sensitive), _UNMATCHED)
        if found is _UNMATCHED:
            return value if keep else data.default
        return found

    if data.field is None:
        return MappedValues(output=[translate(item) for item in data.input])
    output = []
    for index, item in enumerate(data.input):
        if not isinstance(item, dict):
            raise OperationFailed(
                f"input.input[{index}] is not an object, so it has no field {data.field!r} "
                "(leave input.field unset to translate plain values)"
            )
        if data.field in item:
            item = {**item, data.field: translate(item[data.field])}
        output.append(item)
    return MappedValues(output=output)


_UNMATCHED: Any = object()


def _table(mappings: list[ValueMapping], case_sensitive: bool) -> dict[Hashable, Any]:
    table: dict[Hashable, Any] = {}
    for mapping in mappings:
        table.setdefault(json_key(mapping.from_, case_sensitive=case_sensitive), mapping.to)
    return table
