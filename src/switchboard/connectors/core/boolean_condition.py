"""`boolean-condition`: decide between the `then` and `else` steps."""

from __future__ import annotations

import math
import operator
import re
from typing import Any, Literal

from pydantic import Field

from switchboard.connectors.base import Connector, Input, Output
from switchboard.errors import OperationFailed

connector = Connector(
    "boolean-condition",
    title="Boolean Condition",
    description="Run the 'then' steps when the conditions hold, else the 'else' steps.",
)

Comparison = Literal[
    "===", "!==", "==", "!=", ">", ">=", "<", "<=",
    "contains", "not_contains", "starts_with", "ends_with", "in", "not_in",
    "matches", "is_empty", "is_not_empty", "is_null", "is_not_null",
]  # fmt: skip


class Condition(Input):
    value1: Any = None
    comparison_type: Comparison = "==="
    value2: Any = None
    is_case_sensitive: bool = True


class BooleanConditionInput(Input):
    conditions: list[Condition] = Field(min_length=1)
    strictness: Literal["All", "Any"] = "All"


class ConditionResult(Output):
    result: bool


@connector.operation("boolean_condition", title="Boolean condition", repeat_safe=True)
async def boolean_condition(data: BooleanConditionInput) -> ConditionResult:
    """All (every condition) or Any (at least one) of the comparisons."""
    outcomes = (compare(c) for c in data.conditions)
    return ConditionResult(result=all(outcomes) if data.strictness == "All" else any(outcomes))


def compare(condition: Condition) -> bool:
    """One comparison, with JSON's notion of equality (1 == 1.0, but true is not 1)."""
    left, right = condition.value1, condition.value2
    if not condition.is_case_sensitive:
        left, right = _fold(left), _fold(right)
    op = condition.comparison_type
    if op in ("===", "!=="):
        return _json_equal(left, right) == (op == "===")
    if op in ("==", "!="):
        return _loose_equal(left, right) == (op == "==")
    if op in (">", ">=", "<", "<="):
        return _order(left, right, op)
    if op in ("contains", "not_contains"):
        return _contains(left, right) == (op == "contains")
    if op in ("in", "not_in"):
        return _contains(right, left) == (op == "in")
    if op == "starts_with":
        return isinstance(left, str) and isinstance(right, str) and left.startswith(right)
    if op == "ends_with":
        return isinstance(left, str) and isinstance(right, str) and left.endswith(right)
    if op == "matches":
        return _matches(left, right, condition.is_case_sensitive)
    if op in ("is_empty", "is_not_empty"):
        empty = left is None or (isinstance(left, (str, list, dict)) and len(left) == 0)
        return empty == (op == "is_empty")
    return (left is None) == (op == "is_null")


def _fold(value: Any) -> Any:
    if isinstance(value, str):
        return value.casefold()
    if isinstance(value, list):
        return [_fold(v) for v in value]
    return value


def _json_equal(left: Any, right: Any) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    return bool(left == right)


def _loose_equal(left: Any, right: Any) -> bool:
    """Equal after reading numbers in strings: "5" == 5, as a form user expects."""
    if _json_equal(left, right):
        return True
    numbers = _as_number(left), _as_number(right)
    if numbers[0] is not None and numbers[1] is not None:
        return numbers[0] == numbers[1]
    return (
        isinstance(left, (str, int, float))
        and isinstance(right, (str, int, float))
        and str(left) == str(right)
    )


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


_ORDERINGS = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le}


def _order(left: Any, right: Any, op: str) -> bool:
    a, b = _as_number(left), _as_number(right)
    pair: tuple[Any, Any]
    if a is not None and b is not None:
        pair = (a, b)
    elif isinstance(left, str) and isinstance(right, str):
        pair = (left, right)  # ISO 8601 dates compare correctly as text
    else:
        raise OperationFailed(f"cannot compare {left!r} {op} {right!r}: both must be numbers or both text")
    return bool(_ORDERINGS[op](*pair))


def _contains(container: Any, item: Any) -> bool:
    if isinstance(container, str):
        return isinstance(item, str) and item in container
    if isinstance(container, list):
        return any(_json_equal(element, item) for element in container)
    if isinstance(container, dict):
        return isinstance(item, str) and item in container
    return False


def _matches(text: Any, pattern: Any, case_sensitive: bool) -> bool:
    if not isinstance(text, str) or not isinstance(pattern, str):
        return False
    try:
        return re.search(pattern, text, 0 if case_sensitive else re.IGNORECASE) is not None
    except re.error as exc:
        raise OperationFailed(f"value2 is not a valid regular expression: {exc}") from None
