"""Comparisons of the boolean-condition connector, as a condition step evaluates them."""

from __future__ import annotations

from typing import Any

import pytest

from switchboard.connectors.core.boolean_condition import (
    BooleanConditionInput,
    Condition,
    boolean_condition,
    compare,
)
from switchboard.errors import OperationFailed


@pytest.mark.parametrize(
    ("value1", "op", "value2", "expected"),
    [
        (1, "===", 1.0, True),
        (True, "===", 1, False),
        ("5", "===", 5, False),
        ("5", "==", 5, True),
        ("5.0", "==", 5, True),
        ("abc", "!=", "abd", True),
        ({"a": [1]}, "===", {"a": [1]}, True),
        (10, ">", 9, True),
        ("10", ">", "9", True),
        ("2026-01-02", ">", "2026-01-01", True),
        (3, "<=", 3, True),
        ("hello world", "contains", "lo w", True),
        (["a", "b"], "contains", "b", True),
        ({"key": 1}, "contains", "key", True),
        ("b", "in", ["a", "b"], True),
        ("z", "not_in", ["a", "b"], True),
        ("+447700900123", "starts_with", "+44", True),
        ("report.pdf", "ends_with", ".pdf", True),
        ("order 1234", "matches", r"\d{4}", True),
        ("", "is_empty", None, True),
        ([], "is_empty", None, True),
        ({}, "is_not_empty", None, False),
        (None, "is_null", None, True),
        (0, "is_not_null", None, True),
    ],
)
def test_comparison(value1: Any, op: str, value2: Any, expected: bool) -> None:
    assert compare(Condition(value1=value1, comparison_type=op, value2=value2)) is expected  # type: ignore[arg-type]


def test_case_insensitive_comparisons_fold_text() -> None:
    condition = Condition(value1="STOP", comparison_type="===", value2="stop", is_case_sensitive=False)
    assert compare(condition) is True
    assert compare(Condition(value1="STOP", comparison_type="===", value2="stop")) is False


def test_ordering_text_against_a_number_is_an_error_that_shows_both_values() -> None:
    with pytest.raises(OperationFailed, match=r"cannot compare 'abc' > 3: both must be numbers or both text"):
        compare(Condition(value1="abc", comparison_type=">", value2=3))


def test_a_bad_regular_expression_is_reported() -> None:
    with pytest.raises(OperationFailed, match="value2 is not a valid regular expression"):
        compare(Condition(value1="x", comparison_type="matches", value2="("))


async def test_all_needs_every_condition_and_any_needs_one() -> None:
    conditions = [
        Condition(value1=1, comparison_type="===", value2=1),
        Condition(value1=1, comparison_type="===", value2=2),
    ]
    every = await boolean_condition(BooleanConditionInput(conditions=conditions, strictness="All"))
    some = await boolean_condition(BooleanConditionInput(conditions=conditions, strictness="Any"))
    assert (every.result, some.result) == (False, True)
