"""`text-helpers`: operations on text; every result is under `result`, as in Tray."""

from __future__ import annotations

from switchboard.connectors.base import Connector, Input, JsonScalar, Output

connector = Connector("text-helpers", title="Text Helpers", description="Join, split and reshape text.")


class TextResult(Output):
    result: str


class Concatenate(Input):
    values: list[JsonScalar]
    separator: str = ""


@connector.operation("concatenate", title="Concatenate", repeat_safe=True)
async def concatenate(data: Concatenate) -> TextResult:
    """Join the values, in order; null becomes the empty string."""
    return TextResult(result=data.separator.join("" if v is None else _text(v) for v in data.values))


def _text(value: JsonScalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
