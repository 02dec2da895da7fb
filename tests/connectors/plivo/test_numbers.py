"""Phone numbers: E.164 normalisation, clear errors, Plivo's bare digits and ``<`` lists."""

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from switchboard.connectors.plivo.numbers import (
    E164_EXAMPLE,
    InvalidPhoneNumber,
    UnknownRegion,
    is_valid_number,
    normalise_destinations,
    normalise_e164,
    plivo_number,
    split_destinations,
)


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("+14155550100", None, "+14155550100"),
        ("+1 (415) 555-2671", None, "+14155552671"),
        ("(415) 555-2671", "US", "+14155552671"),
        ("07911 123456", "GB", "+447911123456"),
        ("07911 123456", "gb", "+447911123456"),
        ("+91 98765 43210", "US", "+919876543210"),
        ("+14155552671ext12", None, "+14155552671"),
    ],
)
def test_numbers_are_normalised_to_e164(raw: str, region: str | None, expected: str) -> None:
    assert normalise_e164(raw, region) == expected


def test_a_bad_number_is_named_in_the_error() -> None:
    with pytest.raises(InvalidPhoneNumber) as refused:
        normalise_e164("+4477009")
    assert (
        str(refused.value) == f"'+4477009' is not a valid phone number (E.164 expected, e.g. {E164_EXAMPLE})"
    )
    assert refused.value.number == "+4477009"


@pytest.mark.parametrize("raw", ["12345", "", "not a number", "+1555", "+1111111", "+15555555555"])
def test_unreadable_or_invalid_numbers_are_refused(raw: str) -> None:
    with pytest.raises(InvalidPhoneNumber):
        normalise_e164(raw)
    assert not is_valid_number(raw)


def test_the_example_in_the_error_message_is_itself_valid() -> None:
    assert normalise_e164(E164_EXAMPLE) == E164_EXAMPLE


def test_errors_are_value_errors_for_callers_that_catch_broadly() -> None:
    assert issubclass(InvalidPhoneNumber, ValueError)
    assert issubclass(UnknownRegion, ValueError)


def test_an_unknown_default_region_is_its_own_error() -> None:
    with pytest.raises(UnknownRegion, match="'XX' is not a known region code"):
        normalise_e164("4155552671", "XX")


def test_plivo_numbers_have_no_plus() -> None:
    assert plivo_number("+1 415 555 2671") == "14155552671"


def test_destinations_split_on_angle_brackets_and_lists() -> None:
    assert split_destinations("14155550101<14155550102") == ["14155550101", "14155550102"]
    assert split_destinations(["+14155550101", "14155550102< 14155550103"]) == [
        "+14155550101",
        "14155550102",
        "14155550103",
    ]
    assert split_destinations("<<") == []


def test_destinations_are_validated_and_joined_for_plivo() -> None:
    assert normalise_destinations(["(415) 555-2671", "+447911123456"], "US") == "+14155552671<+447911123456"
    with pytest.raises(InvalidPhoneNumber, match="'\\+1555'"):
        normalise_destinations("+14155552671<+1555")
    with pytest.raises(InvalidPhoneNumber):
        normalise_destinations([])


@given(st.sampled_from(["US", "GB", "IN", "DE", "FR", "BR", "JP"]), st.integers(min_value=0, max_value=99))
def test_normalising_is_idempotent_for_valid_numbers(region: str, ending: int) -> None:
    example = phonenumbers.example_number(region)
    assert example is not None
    national = phonenumbers.national_significant_number(example)
    candidate = f"+{example.country_code}{national[:-2]}{ending:02d}"
    if not is_valid_number(candidate):
        return
    once = normalise_e164(candidate)
    assert normalise_e164(once) == once
    assert plivo_number(once) == once[1:]
