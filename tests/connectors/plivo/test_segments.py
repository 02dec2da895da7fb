"""SMS encoding and segment counting, with the boundary cases of reference/deps.md §4."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from switchboard.connectors.plivo.segments import (
    GSM7_BASIC,
    GSM7_EXTENSION,
    MAX_GSM7_CHARACTERS,
    MAX_UCS2_CHARACTERS,
    TextTooLong,
    check_text_length,
    cost_of,
    count_segments,
    encoding_of,
    plivo_length,
)

EMOJI = "😀"


def test_a_short_gsm_text_is_one_unit_with_room_left() -> None:
    segments = count_segments("Hello")
    assert (segments.encoding, segments.units, segments.length, segments.remaining) == ("GSM-7", 1, 5, 155)


def test_160_gsm_characters_fit_one_unit_and_161_need_two() -> None:
    assert count_segments("a" * 160).units == 1
    assert count_segments("a" * 160).remaining == 0
    two = count_segments("a" * 161)
    assert (two.units, two.capacity, two.remaining) == (2, 153, 145)
    assert [len(part) for part in two.parts] == [153, 8]


def test_extension_characters_take_two_septets() -> None:
    assert count_segments("€" * 80).units == 1
    assert count_segments("€" * 81).units == 2
    assert count_segments("[]{}").length == 8


def test_an_escape_pair_straddling_the_153_boundary_moves_to_the_next_unit() -> None:
    text = "a" * 152 + "€" + "a" * 152
    segments = count_segments(text)
    assert segments.units == 3
    assert [len(part) for part in segments.parts] == [152, 152, 1]
    assert segments.parts[1].startswith("€")


def test_one_non_gsm_character_makes_the_whole_text_ucs2() -> None:
    segments = count_segments("Hello ç")
    assert (segments.encoding, segments.capacity, segments.remaining) == ("UCS-2", 70, 63)


def test_70_ucs2_units_fit_one_unit_and_71_need_two_of_67() -> None:
    assert count_segments("ç" * 70).units == 1
    split = count_segments("ç" * 71)
    assert (split.units, [len(part) for part in split.parts]) == (2, [67, 4])


def test_36_emoji_are_72_units_so_two_parts() -> None:
    segments = count_segments(EMOJI * 36)
    assert (segments.length, segments.units, [len(part) for part in segments.parts]) == (72, 2, [33, 3])


def test_35_emoji_fit_one_unit() -> None:
    assert count_segments(EMOJI * 35).units == 1


def test_a_surrogate_pair_straddling_the_67_boundary_moves_to_the_next_unit() -> None:
    text = "ç" * 66 + EMOJI + "ç" * 66
    segments = count_segments(text)
    assert segments.units == 3
    assert segments.parts[1].startswith(EMOJI)


def test_the_escape_character_itself_and_lookalikes_are_not_gsm() -> None:
    assert encoding_of("\x1b") == "UCS-2"
    assert encoding_of("ç") == "UCS-2"  # the GSM table has the capital Ç only
    assert encoding_of("Ç") == "GSM-7"
    assert encoding_of("\u2019") == "UCS-2"  # a smart quote


def test_the_tables_have_the_standard_sizes() -> None:
    assert len(GSM7_BASIC) == 127
    assert len(GSM7_EXTENSION) == 10


def test_an_empty_text_is_one_empty_unit() -> None:
    segments = count_segments("")
    assert (segments.units, segments.parts, segments.remaining) == (1, ("",), 160)


def test_plivo_counts_gsm_characters_and_ucs2_code_units() -> None:
    assert plivo_length("€" * 10) == 10
    assert plivo_length(EMOJI * 10) == 20


def test_1600_gsm_characters_are_accepted_and_1601_refused() -> None:
    assert check_text_length("a" * MAX_GSM7_CHARACTERS).units == 11
    with pytest.raises(TextTooLong, match="1601 characters long; Plivo accepts at most 1600"):
        check_text_length("a" * 1601)


def test_1600_extension_characters_are_accepted_although_they_take_3200_septets() -> None:
    assert check_text_length("€" * 1600).units == math.ceil(1600 / 76)  # 76 escape pairs per 153 septets


def test_737_ucs2_units_are_accepted_and_738_refused() -> None:
    assert check_text_length("ç" * MAX_UCS2_CHARACTERS).units == 11
    with pytest.raises(TextTooLong) as refused:
        check_text_length("ç" * 737 + EMOJI)
    assert (refused.value.encoding, refused.value.length, refused.value.limit) == ("UCS-2", 739, 737)


# Properties

sms_text = st.one_of(
    st.text(alphabet=sorted(GSM7_BASIC | GSM7_EXTENSION), max_size=700),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400),
    st.text(alphabet=st.sampled_from(["a", "€", "ç", EMOJI, "{"]), max_size=400),
)


@given(sms_text)
def test_joined_parts_give_back_the_text(text: str) -> None:
    assert "".join(count_segments(text).parts) == text


@given(sms_text)
def test_units_stay_within_the_capacity_bounds(text: str) -> None:
    segments = count_segments(text)
    single = 160 if segments.encoding == "GSM-7" else 70
    if segments.length <= single:
        assert segments.units == 1
        return
    fewest = math.ceil(segments.length / segments.capacity)
    most = math.ceil(segments.length / (segments.capacity - 1))  # a moved pair wastes one per unit
    assert fewest <= segments.units <= most


@given(sms_text)
def test_no_part_overflows_and_remaining_is_what_the_last_part_leaves(text: str) -> None:
    segments = count_segments(text)
    used = [sum(cost_of(char, segments.encoding) for char in part) for part in segments.parts]
    assert all(cost <= segments.capacity for cost in used)
    assert segments.remaining == segments.capacity - used[-1]
    assert sum(used) == segments.length
