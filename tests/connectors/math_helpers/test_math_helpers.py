"""math-helpers: each operation's behaviour, its errors on bad input, and its use in workflows."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from switchboard.errors import OperationFailed

from ...support import RunWorkflow, outputs
from .conftest import call, result

# -- through the engine ----------------------------------------------------------------------------


async def test_a_workflow_totals_prices_and_divides_them(run_workflow: RunWorkflow) -> None:
    run = await run_workflow(
        {"connector": "math-helpers", "operation": "sum", "input": {"values": "{$.steps.trigger.prices}"}},
        {
            "connector": "math-helpers",
            "operation": "divide",
            "input": {"first_value": "{$.steps.math-helpers-1.result}", "second_value": 2},
        },
        trigger={"prices": [0.1, 0.2, 1]},
    )
    assert run.status == "succeeded"
    assert outputs(run)["math-helpers-1"] == {"result": 1.3}
    assert outputs(run)["math-helpers-2"] == {"result": 0.65}


async def test_dividing_by_zero_fails_the_step_saying_so(run_workflow: RunWorkflow) -> None:
    run = await run_workflow(
        {"connector": "math-helpers", "operation": "divide", "input": {"first_value": 5, "second_value": 0}},
    )
    [step] = [s for s in run.steps if s.name == "math-helpers-1"]
    assert run.status == "failed"
    assert step.error == {
        "type": "operation_failed",
        "message": "input.second_value: cannot divide 5 by zero",
    }


async def test_a_number_in_text_fails_the_step_with_how_to_convert_it(run_workflow: RunWorkflow) -> None:
    run = await run_workflow(
        {
            "connector": "math-helpers",
            "operation": "add",
            "input": {"first_value": "{$.steps.trigger.count}", "second_value": 1},
        },
        trigger={"count": "41"},
    )
    [step] = [s for s in run.steps if s.name == "math-helpers-1"]
    assert step.error == {
        "type": "input_invalid",
        "message": "input.first_value: must be a number, not text ('41'); "
        "convert text with text-helpers typecast first",
    }


# -- inputs are numbers only --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (True, "must be a number, not a boolean (true)"),
        ("5", "must be a number, not text ('5')"),
        (None, "must be a number, not null"),
        ([1], "must be a number, not an array"),
        ({"n": 1}, "must be a number, not an object"),
        (float("inf"), "must be a finite number, not inf"),
    ],
)
async def test_every_operation_refuses_what_is_not_a_number(value: object, message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        await call("add", first_value=1, second_value=value)
    with pytest.raises(ValidationError, match=re.escape(message)):
        await call("round", value=value)
    with pytest.raises(ValidationError, match=re.escape(message)):
        await call("sum", values=[1, value])


# -- two numbers --------------------------------------------------------------------------------------


async def test_add_subtract_multiply_keep_whole_numbers_whole() -> None:
    assert await result("add", first_value=2, second_value=3) == 5
    assert await result("subtract", first_value=2, second_value=3.5) == -1.5
    assert await result("multiply", first_value=4, second_value=2.5) == 10
    assert isinstance(await result("multiply", first_value=4, second_value=2.5), int)


async def test_results_are_given_to_fifteen_significant_digits() -> None:
    assert await result("add", first_value=0.1, second_value=0.2) == 0.3
    assert await result("multiply", first_value=1.1, second_value=1.1) == 1.21


async def test_large_whole_numbers_stay_exact() -> None:
    assert await result("add", first_value=2**60, second_value=1) == 2**60 + 1


async def test_divide_gives_an_integer_when_it_divides_exactly() -> None:
    assert await result("divide", first_value=6, second_value=3) == 2
    assert await result("divide", first_value=1, second_value=3) == 0.333333333333333
    assert await result("divide", first_value=-7, second_value=2) == -3.5


async def test_modulo_has_the_sign_of_the_divisor() -> None:
    assert await result("modulo", first_value=7, second_value=3) == 1
    assert await result("modulo", first_value=-7, second_value=3) == 2
    assert await result("modulo", first_value=5.5, second_value=2) == 1.5


async def test_modulo_by_zero_is_an_error() -> None:
    with pytest.raises(OperationFailed, match=r"input\.second_value: cannot take 7 modulo zero"):
        await call("modulo", first_value=7, second_value=0)


async def test_power() -> None:
    assert await result("power", first_value=2, second_value=10) == 1024
    assert await result("power", first_value=2, second_value=-1) == 0.5
    assert await result("power", first_value=9, second_value=0.5) == 3
    assert await result("power", first_value=-8, second_value=3) == -512


async def test_power_refuses_results_that_are_not_real_finite_numbers() -> None:
    with pytest.raises(OperationFailed, match="0 cannot be raised to a negative power"):
        await call("power", first_value=0, second_value=-1)
    with pytest.raises(
        OperationFailed, match=re.escape("a negative number (-8) to a fractional power (0.5)")
    ):
        await call("power", first_value=-8, second_value=0.5)
    with pytest.raises(OperationFailed, match="has more than 10000 digits"):
        await call("power", first_value=10, second_value=10**9)
    with pytest.raises(OperationFailed, match="is too large"):
        await call("power", first_value=10.5, second_value=400)


async def test_two_number_operations_need_both_values() -> None:
    with pytest.raises(ValidationError, match="second_value"):
        await call("subtract", first_value=1)


# -- one number ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (2.5, 0, 3),
        (-2.5, 0, -3),
        (2.675, 2, 2.68),
        (1.005, 2, 1.01),
        (1234.5, -2, 1200),
        (7, 2, 7),
        (0.125, 2, 0.13),
    ],
)
async def test_round_rounds_halves_away_from_zero_as_written(
    value: float, decimals: int, expected: float
) -> None:
    assert await result("round", value=value, decimals=decimals) == expected


async def test_round_gives_an_integer_with_no_decimals() -> None:
    assert isinstance(await result("round", value=2.4), int)


async def test_round_handles_numbers_of_any_size() -> None:
    assert await result("round", value=10**500 + 7, decimals=-1) == 10**500 + 10
    assert await result("round", value=1.5e300, decimals=2) == 1.5e300


async def test_round_refuses_too_many_decimals() -> None:
    with pytest.raises(ValidationError, match="less than or equal to 15"):
        await call("round", value=1.5, decimals=16)


async def test_floor_ceil_and_absolute() -> None:
    assert await result("floor", value=-2.5) == -3
    assert await result("ceil", value=2.1) == 3
    assert await result("ceil", value=4) == 4
    assert await result("absolute", value=-2.5) == 2.5
    assert await result("absolute", value=-3) == 3


async def test_one_number_operations_need_a_value() -> None:
    for operation in ("floor", "ceil", "absolute"):
        with pytest.raises(ValidationError, match="value"):
            await call(operation)


# -- lists --------------------------------------------------------------------------------------------


async def test_min_max_sum_and_average_of_a_list() -> None:
    values = [4, -1.5, 10, 2]
    assert await result("min", values=values) == -1.5
    assert await result("max", values=values) == 10
    assert await result("sum", values=values) == 14.5
    assert await result("average", values=values) == 3.625


async def test_sum_of_an_empty_list_is_zero_but_other_list_operations_need_numbers() -> None:
    assert await result("sum", values=[]) == 0
    for operation in ("min", "max", "average"):
        with pytest.raises(ValidationError, match="at least 1 item"):
            await call(operation, values=[])


async def test_a_list_operation_names_the_item_that_is_not_a_number() -> None:
    with pytest.raises(ValidationError, match=r"values\.2\n.*must be a number, not text \('3'\)"):
        await call("average", values=[1, 2, "3"])


@given(st.lists(st.integers(-(10**6), 10**6), min_size=1, max_size=20))
async def test_the_average_of_whole_numbers_lies_between_the_smallest_and_the_largest(
    values: list[int],
) -> None:
    average = await result("average", values=values)
    assert await result("min", values=values) <= average <= await result("max", values=values)
    assert await result("sum", values=values) == sum(values)
