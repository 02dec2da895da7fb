"""text-helpers: each operation's behaviour, its errors on bad input, and its use in workflows."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from switchboard.definition import check_workflow
from switchboard.errors import OperationFailed, WorkflowInvalid

from ...support import RunWorkflow, outputs
from .conftest import REGISTRY, call, result

# -- through the engine ----------------------------------------------------------------------------


async def test_a_workflow_splits_text_and_reads_the_parts_with_jsonpaths(run_workflow: RunWorkflow) -> None:
    run = await run_workflow(
        {"connector": "text-helpers", "operation": "split", "input": {"text": "{$.steps.trigger.tags}"}},
        {
            "connector": "text-helpers",
            "operation": "template",
            "input": {
                "text": "First tag: {first}, {count} in all",
                "values": {"first": "{$.steps.text-helpers-1.result[0]}", "count": 3},
            },
        },
        trigger={"tags": "urgent,billing,vip"},
    )
    assert run.status == "succeeded"
    assert outputs(run)["text-helpers-1"] == {"result": ["urgent", "billing", "vip"]}
    assert outputs(run)["text-helpers-2"] == {"result": "First tag: urgent, 3 in all"}


async def test_a_bad_regex_fails_the_step_saying_which_input_and_where_in_the_pattern(
    run_workflow: RunWorkflow,
) -> None:
    run = await run_workflow(
        {
            "connector": "text-helpers",
            "operation": "regex_match",
            "input": {"text": "order 123", "pattern": "{$.steps.trigger.pattern}"},
        },
        trigger={"pattern": "(\\d+"},
    )
    assert run.status == "failed"
    [step] = [s for s in run.steps if s.name == "text-helpers-1"]
    assert step.error == {
        "type": "operation_failed",
        "message": "input.pattern: '(\\\\d+' is not a valid regular expression: "
        "missing ), unterminated subpattern at position 0",
    }
    assert run.error is not None and run.error["step"] == "text-helpers-1"


async def test_text_of_the_wrong_type_fails_the_step_as_invalid_input(run_workflow: RunWorkflow) -> None:
    run = await run_workflow(
        {
            "connector": "text-helpers",
            "operation": "upper_case",
            "input": {"text": "{$.steps.trigger.count}"},
        },
        trigger={"count": 12},
    )
    [step] = [s for s in run.steps if s.name == "text-helpers-1"]
    assert step.error == {"type": "input_invalid", "message": "input.text: Input should be a valid string"}


def test_a_literal_input_of_the_wrong_type_is_reported_when_the_workflow_is_checked() -> None:
    document = {
        "version": 1,
        "title": "t",
        "trigger": {"type": "manual"},
        "steps": [
            {
                "connector": "text-helpers",
                "operation": "pad",
                "input": {"text": "7", "width": 3, "fill": "00"},
            }
        ],
    }
    with pytest.raises(
        WorkflowInvalid, match=r"steps\[0\]\.input\.fill: string should have at most 1 character \(got '00'\)"
    ):
        check_workflow(document, REGISTRY)


async def test_change_type_and_typecast_give_later_steps_real_numbers(run_workflow: RunWorkflow) -> None:
    run = await run_workflow(
        {"connector": "text-helpers", "operation": "typecast", "input": {"text": "{$.steps.trigger.amount}"}},
        {
            "connector": "text-helpers",
            "operation": "change_type",
            "input": {"value": "{$.steps.trigger.flag}", "type2": "boolean"},
        },
        {
            "connector": "boolean-condition",
            "input": {
                "conditions": [
                    {"value1": "{$.steps.text-helpers-1.result}", "comparison_type": ">", "value2": 10},
                    {"value1": "{$.steps.text-helpers-2.result}", "comparison_type": "===", "value2": True},
                ]
            },
            "then": [{"connector": "text-helpers", "operation": "concatenate", "input": {"values": ["big"]}}],
        },
        trigger={"amount": "12.5", "flag": "yes"},
    )
    assert outputs(run)["text-helpers-1"] == {"result": 12.5}
    assert outputs(run)["text-helpers-2"] == {"result": True}
    assert outputs(run)["text-helpers-3"] == {"result": "big"}


# -- concatenate (unchanged) -------------------------------------------------------------------------


async def test_concatenate_joins_values_with_null_as_nothing_and_booleans_as_json() -> None:
    assert await result("concatenate", values=["a", None, 1, True], separator="-") == "a--1-true"


# -- split ------------------------------------------------------------------------------------------


async def test_split_cuts_at_each_separator_keeping_empty_parts() -> None:
    assert await result("split", text="a,,b", separator=",") == ["a", "", "b"]


async def test_split_with_a_limit_keeps_the_rest_in_the_last_part() -> None:
    assert await result("split", text="k=v=w", separator="=", limit=2) == ["k", "v=w"]


async def test_split_with_an_empty_separator_gives_characters() -> None:
    assert await result("split", text="abc", separator="") == ["a", "b", "c"]
    assert await result("split", text="abcd", separator="", limit=2) == ["a", "bcd"]


async def test_split_of_empty_text_is_an_empty_list() -> None:
    assert await result("split", text="") == []


async def test_split_refuses_a_limit_below_one_and_non_text() -> None:
    with pytest.raises(ValidationError, match="greater than or equal to 1"):
        await call("split", text="a", limit=0)
    with pytest.raises(ValidationError, match="valid string"):
        await call("split", text=["a"])


# -- replace ----------------------------------------------------------------------------------------


async def test_replace_replaces_every_occurrence_of_plain_text_literally() -> None:
    assert await result("replace", text="1.2.3", find=".", replacement="-") == "1-2-3"


async def test_replace_with_count_replaces_only_the_first_ones() -> None:
    assert await result("replace", text="aaa", find="a", replacement="b", count=2) == "bba"


async def test_replace_ignoring_case_keeps_the_replacement_literal() -> None:
    assert (
        await result("replace", text="Hi hI", find="hi", replacement="\\1", case_sensitive=False) == "\\1 \\1"
    )


async def test_replace_with_a_regex_can_insert_numbered_and_named_groups() -> None:
    text = "2024-05-01"
    assert (
        await result(
            "replace", text=text, find=r"(\d+)-(?P<m>\d+)-(\d+)", replacement=r"\3/\g<m>/\1", use_regex=True
        )
        == "01/05/2024"
    )


async def test_replace_reports_a_bad_regex_and_a_bad_group_reference() -> None:
    with pytest.raises(OperationFailed, match=r"input\.find: '\[a' is not a valid regular expression"):
        await call("replace", text="x", find="[a", use_regex=True)
    with pytest.raises(OperationFailed, match=r"input\.replacement: '\\\\2' is not a valid replacement"):
        await call("replace", text="ab", find="(a)", replacement="\\2", use_regex=True)


async def test_replace_needs_something_to_find() -> None:
    with pytest.raises(ValidationError, match="at least 1 character"):
        await call("replace", text="x", find="")


# -- trim and case ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("side", "expected"), [("both", "ab"), ("left", "ab  "), ("right", "  ab")])
async def test_trim_removes_whitespace_from_the_chosen_side(side: str, expected: str) -> None:
    assert await result("trim", text="  ab  ", side=side) == expected


async def test_trim_can_remove_given_characters() -> None:
    assert await result("trim", text="--**ab*-", characters="*-") == "ab"


async def test_trim_refuses_an_unknown_side() -> None:
    with pytest.raises(ValidationError, match="'both', 'left' or 'right'"):
        await call("trim", text="a", side="middle")


async def test_lower_and_upper_case_follow_unicode_rules() -> None:
    assert await result("lower_case", text="ÀB c") == "àb c"
    assert await result("upper_case", text="straße") == "STRASSE"


async def test_title_case_capitalises_words_but_not_after_an_apostrophe() -> None:
    text = "o'neil's JEAN-LUC 3rd they\u2019re"
    assert await result("title_case", text=text) == "O'neil's Jean-Luc 3rd They\u2019re"


async def test_case_operations_need_text() -> None:
    for operation in ("lower_case", "upper_case", "title_case"):
        with pytest.raises(ValidationError, match="valid string"):
            await call(operation, text=None)


# -- substring, length, search ----------------------------------------------------------------------


async def test_substring_counts_characters_and_accepts_negative_positions() -> None:
    assert await result("substring", text="héllo wörld", start=6) == "wörld"
    assert await result("substring", text="héllo", start=-3, end=-1) == "ll"
    assert await result("substring", text="abc", start=1, end=99) == "bc"


async def test_substring_needs_whole_numbers() -> None:
    with pytest.raises(ValidationError, match="valid integer"):
        await call("substring", text="abc", start=1.5)


async def test_length_counts_characters_not_bytes() -> None:
    assert await result("length", text="héllo 👋") == 7


async def test_length_needs_text() -> None:
    with pytest.raises(ValidationError, match="valid string"):
        await call("length", text=12345)


async def test_contains_starts_with_and_ends_with_are_case_sensitive_unless_told() -> None:
    assert await result("contains", text="Reply STOP to end", value="stop") is False
    assert await result("contains", text="Reply STOP to end", value="stop", case_sensitive=False) is True
    assert await result("starts_with", text="Straße 1", value="STRASSE", case_sensitive=False) is True
    assert await result("ends_with", text="report.PDF", value=".pdf") is False
    assert await result("ends_with", text="report.PDF", value=".pdf", case_sensitive=False) is True


async def test_search_operations_need_text_to_look_for() -> None:
    with pytest.raises(ValidationError, match="value"):
        await call("contains", text="abc")
    with pytest.raises(ValidationError, match="valid string"):
        await call("starts_with", text="abc", value=1)


# -- pad and truncate -------------------------------------------------------------------------------


async def test_pad_fills_to_the_width_on_the_chosen_side() -> None:
    assert await result("pad", text="7", width=3, fill="0") == "007"
    assert await result("pad", text="ab", width=4, side="right", fill=".") == "ab.."
    assert await result("pad", text="long text", width=3) == "long text"


async def test_pad_needs_one_fill_character_and_a_sane_width() -> None:
    with pytest.raises(ValidationError, match="at least 1 character"):
        await call("pad", text="7", width=3, fill="")
    with pytest.raises(ValidationError, match="less than or equal to 100000"):
        await call("pad", text="7", width=10**9)


async def test_truncate_cuts_long_text_and_ends_with_the_ellipsis() -> None:
    assert await result("truncate", text="Hello world", length=8) == "Hello..."
    assert await result("truncate", text="Hello world", length=6, ellipsis="…") == "Hello…"
    assert await result("truncate", text="Hi", length=8) == "Hi"
    assert await result("truncate", text="Hello", length=2) == ".."


async def test_truncate_refuses_a_negative_length() -> None:
    with pytest.raises(ValidationError, match="greater than or equal to 0"):
        await call("truncate", text="abc", length=-1)


# -- regular expressions ----------------------------------------------------------------------------


async def test_regex_match_gives_the_first_match_with_its_groups() -> None:
    match = await result("regex_match", text="codes: 123456, 654321", pattern=r"(?P<code>\d{3})(\d{3})")
    assert match == {
        "match": "123456",
        "start": 7,
        "end": 13,
        "groups": ["123", "456"],
        "named_groups": {"code": "123"},
    }


async def test_regex_match_gives_null_for_no_match_and_for_groups_that_took_no_part() -> None:
    assert await result("regex_match", text="abc", pattern=r"\d") is None
    match = await result("regex_match", text="a", pattern=r"(a)|(b)")
    assert match["groups"] == ["a", None]


async def test_regex_match_can_ignore_case_and_match_per_line() -> None:
    text = "first\nSecond"
    assert (await result("regex_match", text=text, pattern="^second$", case_sensitive=False)) is None
    match = await result("regex_match", text=text, pattern="^second$", case_sensitive=False, multiline=True)
    assert match["match"] == "Second"


async def test_regex_match_all_gives_every_match_in_order() -> None:
    matches = await result("regex_match_all", text="a1 b22 c333", pattern=r"(?P<letter>[a-z])(\d+)")
    assert [(m["match"], m["named_groups"]["letter"]) for m in matches] == [
        ("a1", "a"),
        ("b22", "b"),
        ("c333", "c"),
    ]
    assert await result("regex_match_all", text="none", pattern=r"\d") == []


async def test_regex_operations_report_an_invalid_pattern() -> None:
    for operation in ("regex_match", "regex_match_all"):
        with pytest.raises(
            OperationFailed, match=re.escape("input.pattern: '*a' is not a valid regular expression")
        ):
            await call(operation, text="a", pattern="*a")


# -- extract between --------------------------------------------------------------------------------


async def test_extract_between_gives_the_first_text_between_the_markers() -> None:
    assert (
        await result("extract_between", text="<b>one</b><b>two</b>", start_text="<b>", end_text="</b>")
        == "one"
    )


async def test_extract_between_can_give_every_occurrence() -> None:
    text = "[a] [b] [c"
    assert await result("extract_between", text=text, start_text="[", end_text="]", return_all=True) == [
        "a",
        "b",
    ]


async def test_extract_between_gives_null_or_an_empty_list_when_nothing_is_found() -> None:
    assert await result("extract_between", text="abc", start_text="<", end_text=">") is None
    assert await result("extract_between", text="abc", start_text="<", end_text=">", return_all=True) == []


async def test_extract_between_needs_both_markers() -> None:
    with pytest.raises(ValidationError, match="at least 1 character"):
        await call("extract_between", text="abc", start_text="", end_text=">")


# -- template ---------------------------------------------------------------------------------------


async def test_template_fills_placeholders_by_name_with_values_as_text() -> None:
    filled = await result(
        "template",
        text="{name} has {count} items {tags} {missing_ok}",
        values={"name": "Ada", "count": 2, "tags": ["a", "b"], "missing_ok": None},
    )
    assert filled == 'Ada has 2 items ["a","b"] '


async def test_template_reads_nested_values_with_dots() -> None:
    assert await result("template", text="Hi {user.name}!", values={"user": {"name": "Grace"}}) == "Hi Grace!"


async def test_template_leaves_json_alone_and_reads_double_braces_as_braces() -> None:
    text = '{"id": {id}} {{id}} { spaced }'
    assert await result("template", text=text, values={"id": 7}) == '{"id": 7} {id} { spaced }'


async def test_template_names_a_placeholder_without_a_value_and_the_values_it_has() -> None:
    with pytest.raises(
        OperationFailed, match=re.escape("{nme} has no value in input.values (values has: name)")
    ):
        await call("template", text="Hi {nme}", values={"name": "Ada"})


async def test_template_needs_an_object_of_values() -> None:
    with pytest.raises(ValidationError, match="valid dictionary"):
        await call("template", text="Hi {name}", values=["Ada"])


# -- base64 -----------------------------------------------------------------------------------------


async def test_base64_encodes_and_decodes_utf8_text() -> None:
    assert await result("base64_encode", text="héllo") == "aMOpbGxv"
    assert await result("base64_decode", text="aMOpbGxv") == "héllo"


async def test_base64_decode_ignores_line_breaks_and_missing_padding() -> None:
    assert await result("base64_decode", text="aGVs\nbG8") == "hello"


async def test_base64_has_a_url_safe_alphabet() -> None:
    assert await result("base64_encode", text="??>", url_safe=True) == "Pz8-"
    assert await result("base64_decode", text="Pz8-", url_safe=True) == "??>"


async def test_base64_decode_explains_url_safe_input_invalid_input_and_binary_data() -> None:
    with pytest.raises(OperationFailed, match="set url_safe: true"):
        await call("base64_decode", text="Pz8-")
    with pytest.raises(OperationFailed, match=r"input\.text: 'not base64!' is not valid base64"):
        await call("base64_decode", text="not base64!")
    with pytest.raises(OperationFailed, match=r"not UTF-8 text \(byte 0xff at position 0\)"):
        await call("base64_decode", text="/w==")


async def test_tray_s_base64_encoderdecoder_does_both_directions() -> None:
    assert await result("base64_encoderdecoder", text="hi", operation="encode") == "aGk="
    assert await result("base64_encoderdecoder", text="aGk=", operation="decode") == "hi"
    with pytest.raises(ValidationError, match="'encode' or 'decode'"):
        await call("base64_encoderdecoder", text="hi", operation="rot13")


@given(st.text(), st.booleans())
async def test_base64_decoding_undoes_encoding(text: str, url_safe: bool) -> None:
    encoded = await result("base64_encode", text=text, url_safe=url_safe)
    assert await result("base64_decode", text=encoded, url_safe=url_safe) == text


# -- URL and HTML -----------------------------------------------------------------------------------


async def test_url_encode_encodes_everything_but_unreserved_characters() -> None:
    assert await result("url_encode", text="a b&c/é") == "a%20b%26c%2F%C3%A9"
    assert await result("url_encode", text="a b/c", plus_for_spaces=True, safe="/") == "a+b/c"


async def test_url_decode_undoes_percent_encoding_and_optionally_plus() -> None:
    assert await result("url_decode", text="a%20b+c%C3%A9") == "a b+cé"
    assert await result("url_decode", text="a%20b+c", plus_as_space=True) == "a b c"


async def test_url_decode_refuses_bytes_that_are_not_utf8() -> None:
    with pytest.raises(OperationFailed, match=r"input\.text: its percent-encoded bytes are not UTF-8 text"):
        await call("url_decode", text="%FF%FE")


@given(st.text(), st.booleans())
async def test_url_decoding_undoes_encoding(text: str, plus: bool) -> None:
    encoded = await result("url_encode", text=text, plus_for_spaces=plus)
    assert await result("url_decode", text=encoded, plus_as_space=plus) == text


async def test_html_escape_and_unescape() -> None:
    assert await result("html_escape", text="<a href=\"x\">Tom & 'Jerry'</a>") == (
        "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#x27;Jerry&#x27;&lt;/a&gt;"
    )
    assert await result("html_escape", text='"<"', quote=False) == '"&lt;"'
    assert await result("html_unescape", text="caf&eacute; &amp; &#39;bar&#39; &lt;3") == "café & 'bar' <3"


async def test_html_operations_need_text() -> None:
    with pytest.raises(ValidationError, match="valid string"):
        await call("html_escape", text=None)
    with pytest.raises(ValidationError, match="valid string"):
        await call("html_unescape", text=1)


# -- slugify ----------------------------------------------------------------------------------------


async def test_slugify_drops_accents_punctuation_and_apostrophes() -> None:
    assert await result("slugify", text="  Crème Brûlée, 2 ways! Don't  ") == "creme-brulee-2-ways-dont"
    assert await result("slugify", text="Straße & Smørrebrød") == "strasse-smorrebrod"


async def test_slugify_options() -> None:
    assert await result("slugify", text="Hello World", separator="_", lowercase=False) == "Hello_World"
    assert await result("slugify", text="Привет мир") == ""
    assert await result("slugify", text="Привет, мир!", allow_unicode=True) == "привет-мир"
    assert await result("slugify", text="one two three", max_length=9) == "one-two"
    assert await result("slugify", text="incomprehensibilities", max_length=5) == "incom"


async def test_slugify_refuses_a_long_separator_and_a_zero_length() -> None:
    with pytest.raises(ValidationError, match="at most 5 characters"):
        await call("slugify", text="a b", separator="------")
    with pytest.raises(ValidationError, match="greater than or equal to 1"):
        await call("slugify", text="a b", max_length=0)


@given(st.text())
async def test_a_slug_has_only_lowercase_ascii_words_and_single_hyphens(text: str) -> None:
    slug = await result("slugify", text=text)
    assert re.fullmatch(r"([a-z0-9]+(-[a-z0-9]+)*)?", slug)


# -- change_type and typecast -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "type2", "expected"),
    [
        (12, "string", "12"),
        (1.5, "string", "1.5"),
        (True, "string", "true"),
        (None, "string", ""),
        ({"a": [1]}, "string", '{"a":[1]}'),
        (" 42 ", "number", 42),
        ("-4.5e1", "number", -45.0),
        (True, "number", 1),
        ("42.0", "integer", 42),
        (7.0, "integer", 7),
        ("Yes", "boolean", True),
        ("off", "boolean", False),
        (0, "boolean", False),
        (2.5, "boolean", True),
        ("[1, 2]", "array", [1, 2]),
        ("a,b", "array", ["a,b"]),
        (5, "array", [5]),
        (None, "array", []),
        ('{"a": 1}', "object", {"a": 1}),
        ({"a": 1}, "object", {"a": 1}),
    ],
)
async def test_change_type_converts_between_json_types(value: object, type2: str, expected: object) -> None:
    converted = await result("change_type", value=value, type2=type2)
    assert converted == expected
    assert type(converted) is type(expected)


@pytest.mark.parametrize(
    ("value", "type2", "message"),
    [
        ("abc", "number", 'input.value: text "abc" cannot be read as a number'),
        ("1_000", "number", "cannot be read as a number"),
        ("nan", "number", "cannot be read as a number"),
        (None, "number", "input.value: null cannot be read as a number"),
        ([1], "integer", "input.value: array [1] cannot be read as a number"),
        ("4.5", "integer", "is not a whole number"),
        ("maybe", "boolean", "cannot be read as a boolean (expected true/false, yes/no, on/off or 1/0)"),
        ("[1, 2", "array", "looks like an array but is not valid JSON: Expecting ',' delimiter at line 1"),
        ("a=1", "object", "cannot be read as an object"),
        ([["a", 1]], "object", "cannot be read as an object"),
    ],
)
async def test_change_type_says_why_a_value_cannot_be_converted(
    value: object, type2: str, message: str
) -> None:
    with pytest.raises(OperationFailed, match=re.escape(message)):
        await call("change_type", value=value, type2=type2)


async def test_change_type_refuses_an_unknown_target_type() -> None:
    with pytest.raises(
        ValidationError, match="'string', 'number', 'integer', 'boolean', 'array' or 'object'"
    ):
        await call("change_type", value="1", type2="date")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("42", 42),
        (" -3.5 ", -3.5),
        ("1e3", 1000.0),
        ("true", True),
        ("FALSE", False),
        ("null", None),
        ('{"a": [1, 2]}', {"a": [1, 2]}),
        ('[1, "x"]', [1, "x"]),
        ("007", "007"),
        ("+447700900123", "+447700900123"),
        ("1e999", "1e999"),
        ("{not json}", "{not json}"),
        ("hello", "hello"),
        ("", ""),
    ],
)
async def test_typecast_gives_the_json_value_the_text_looks_like(text: str, expected: object) -> None:
    cast = await result("typecast", text=text)
    assert cast == expected
    assert type(cast) is type(expected)


async def test_typecast_needs_text() -> None:
    with pytest.raises(ValidationError, match="valid string"):
        await call("typecast", text=42)
