"""`math-helpers`: arithmetic on numbers; every result is under `result`.

Inputs must be JSON numbers: text such as `"5"` and booleans are errors (convert text first with
text-helpers `typecast` or `change_type`). Results are given to 15 significant digits, as
spreadsheets do, so 0.1 + 0.2 is 0.3; a whole result is an integer (6 / 3 is 2, not 2.0).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Annotated, Any

from pydantic import Field, PlainValidator, WithJsonSchema

from switchboard.connectors.base import Connector, Input, Output
from switchboard.errors import OperationFailed

connector = Connector(
    "math-helpers", title="Math Helpers", description="Add, divide, round and total numbers."
)

_LARGEST_DIGITS = 10_000
"""The most digits a whole-number result may have (a guard against `power(10, 10**9)`)."""


def _number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise ValueError(f"must be a number, not a boolean ({str(value).lower()})")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"must be a finite number, not {value}")
        return value
    if isinstance(value, str):
        raise ValueError(
            f"must be a number, not text ({value!r}); convert text with text-helpers typecast first"
        )
    kind = "null" if value is None else ("an object" if isinstance(value, dict) else "an array")
    raise ValueError(f"must be a number, not {kind}")


Number = Annotated[int | float, PlainValidator(_number), WithJsonSchema({"type": "number"})]
"""A JSON number; booleans and numeric text are refused with a message saying so."""


class NumberResult(Output):
    result: int | float


class TwoNumbers(Input):
    first_value: Number
    second_value: Number


class OneNumber(Input):
    value: Number


class Numbers(Input):
    values: list[Number] = Field(min_length=1, description="At least one number.")


def tidy(value: int | float) -> int | float:
    """A result as users expect to read it: 15 significant digits, and whole numbers as integers."""
    if isinstance(value, int):
        if value.bit_length() > _LARGEST_DIGITS * 3.33:
            raise OperationFailed(f"the result has more than {_LARGEST_DIGITS} digits")
        return value
    if not math.isfinite(value):
        raise OperationFailed("the result is too large to be a number")
    rounded = float(f"{value:.15g}")
    if rounded.is_integer() and abs(rounded) < 2**53:
        return int(rounded)
    return rounded


@connector.operation("add", title="Add", repeat_safe=True)
async def add(data: TwoNumbers) -> NumberResult:
    """first_value + second_value."""
    return NumberResult(result=tidy(data.first_value + data.second_value))


@connector.operation("subtract", title="Subtract", repeat_safe=True)
async def subtract(data: TwoNumbers) -> NumberResult:
    """first_value - second_value."""
    return NumberResult(result=tidy(data.first_value - data.second_value))


@connector.operation("multiply", title="Multiply", repeat_safe=True)
async def multiply(data: TwoNumbers) -> NumberResult:
    """first_value times second_value."""
    return NumberResult(result=tidy(data.first_value * data.second_value))


@connector.operation("divide", title="Divide", repeat_safe=True)
async def divide(data: TwoNumbers) -> NumberResult:
    """first_value ÷ second_value; dividing by zero is an error."""
    if data.second_value == 0:
        raise OperationFailed(f"input.second_value: cannot divide {data.first_value} by zero")
    if isinstance(data.first_value, int) and isinstance(data.second_value, int):
        quotient, remainder = divmod(data.first_value, data.second_value)
        if remainder == 0:
            return NumberResult(result=quotient)
    return NumberResult(result=tidy(data.first_value / data.second_value))


@connector.operation("modulo", title="Modulo", repeat_safe=True)
async def modulo(data: TwoNumbers) -> NumberResult:
    """The remainder of first_value ÷ second_value, with the sign of second_value (as in spreadsheets)."""
    if data.second_value == 0:
        raise OperationFailed(f"input.second_value: cannot take {data.first_value} modulo zero")
    return NumberResult(result=tidy(data.first_value % data.second_value))


@connector.operation("power", title="Power", repeat_safe=True)
async def power(data: TwoNumbers) -> NumberResult:
    """first_value raised to the power second_value."""
    base, exponent = data.first_value, data.second_value
    if base == 0 and exponent < 0:
        raise OperationFailed("input.second_value: 0 cannot be raised to a negative power")
    if base < 0 and not float(exponent).is_integer():
        raise OperationFailed(
            f"input.second_value: a negative number ({base}) to a fractional power ({exponent}) "
            "is not a real number"
        )
    if abs(base) > 1 and exponent > 0 and exponent * math.log10(abs(base)) > _LARGEST_DIGITS:
        raise OperationFailed(
            f"the result of {base} to the power {exponent} has more than {_LARGEST_DIGITS} digits"
        )
    try:
        result = base**exponent
    except OverflowError:
        raise OperationFailed(f"the result of {base} to the power {exponent} is too large") from None
    return NumberResult(result=tidy(result))


class Round(OneNumber):
    decimals: int = Field(0, ge=-15, le=15, description="Digits after the point; negative rounds to tens...")


@connector.operation("round", title="Round", repeat_safe=True)
async def round_number(data: Round) -> NumberResult:
    """The value rounded to `decimals` digits, halves away from zero (2.5 gives 3, -2.5 gives -3)."""
    # repr is the shortest decimal that reads back as the value: 2.675, not 2.67499999...
    exact = Decimal(repr(data.value))
    precision = max(len(exact.as_tuple().digits), exact.adjusted() + 1) + abs(data.decimals) + 2
    rounded = exact.quantize(
        Decimal(1).scaleb(-data.decimals), rounding=ROUND_HALF_UP, context=Context(prec=precision)
    )
    return NumberResult(result=int(rounded) if data.decimals <= 0 else tidy(float(rounded)))


@connector.operation("floor", title="Round down", repeat_safe=True)
async def floor(data: OneNumber) -> NumberResult:
    """The largest whole number not above the value (-2.5 gives -3)."""
    return NumberResult(result=math.floor(data.value))


@connector.operation("ceil", title="Round up", repeat_safe=True)
async def ceil(data: OneNumber) -> NumberResult:
    """The smallest whole number not below the value (2.1 gives 3)."""
    return NumberResult(result=math.ceil(data.value))


@connector.operation("absolute", title="Absolute value", repeat_safe=True)
async def absolute(data: OneNumber) -> NumberResult:
    """The value without its sign."""
    return NumberResult(result=tidy(abs(data.value)))


@connector.operation("min", title="Smallest", repeat_safe=True)
async def minimum(data: Numbers) -> NumberResult:
    """The smallest of the values."""
    return NumberResult(result=min(data.values))


@connector.operation("max", title="Largest", repeat_safe=True)
async def maximum(data: Numbers) -> NumberResult:
    """The largest of the values."""
    return NumberResult(result=max(data.values))


class Sum(Input):
    values: list[Number] = Field(description="The numbers to add up; an empty list sums to 0.")


@connector.operation("sum", title="Sum", repeat_safe=True)
async def total(data: Sum) -> NumberResult:
    """All the values added up."""
    return NumberResult(result=_sum(data.values))


@connector.operation("average", title="Average", repeat_safe=True)
async def average(data: Numbers) -> NumberResult:
    """The mean of the values: their sum divided by how many there are."""
    return NumberResult(result=tidy(_sum(data.values) / len(data.values)))


def _sum(values: list[int | float]) -> int | float:
    if all(isinstance(value, int) for value in values):
        return sum(values)
    return tidy(math.fsum(values))
