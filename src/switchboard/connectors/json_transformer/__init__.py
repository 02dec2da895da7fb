"""`json-transformer`: reshape JSON with a JMESPath query (https://jmespath.org); result under `result`.

`people[?age > `30`].name` picks the names of people over 30; `{total: length(items), first: items[0]}`
builds a new object. A query that selects nothing gives null.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import jmespath
from pydantic import Field

from switchboard.connectors.base import Connector, Input, Output
from switchboard.errors import OperationFailed

connector = Connector(
    "json-transformer",
    title="JSON Transformer",
    description="Select and reshape JSON with a JMESPath query.",
)


class Transform(Input):
    data: Any = Field(description="The JSON to query, often another step's output.")
    query: str = Field(
        min_length=1,
        description="A JMESPath expression.",
        examples=["people[?age > `30`].name", "{count: length(items), ids: items[*].id}"],
    )


class TransformResult(Output):
    result: Any


@connector.operation("transform", title="Transform", repeat_safe=True)
async def transform(request: Transform) -> TransformResult:
    """What the JMESPath query gives for the data (null when it selects nothing)."""
    expression = _compiled(request.query)
    try:
        result: Any = expression.search(request.data)
    except ValueError as exc:  # jmespath's errors (wrong type for a function...) are ValueErrors
        raise OperationFailed(
            f"input.query: {request.query!r} failed on input.data: {_explain(exc)}"
        ) from None
    return TransformResult(result=result)


@lru_cache(maxsize=256)
def _compiled(query: str) -> Any:
    """The parsed query, cached: a workflow runs the same query many times."""
    try:
        return jmespath.compile(query)
    except ValueError as exc:
        raise OperationFailed(
            f"input.query: {query!r} is not a valid JMESPath expression: {_explain(exc)}"
        ) from None


def _explain(exc: ValueError) -> str:
    """jmespath's message on one line, without the echo of the expression it adds."""
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return re.sub(r",?\s*for expression:?$", "", first).removesuffix(":").strip()
