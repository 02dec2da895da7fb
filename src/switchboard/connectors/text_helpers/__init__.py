"""`text-helpers`: operations on text; every result is under `result`, as in Tray.

Positions and lengths count characters (Unicode code points), not bytes. Regular expressions use
Python's syntax (`(?P<name>...)` for named groups, `\\1` in replacements).
"""

from __future__ import annotations

import html
from typing import Any, Literal

from pydantic import Field

from switchboard.connectors.base import Connector, Input, JsonScalar, Output
from switchboard.connectors.text_helpers import conversion, encoding, patterns, slugs
from switchboard.connectors.text_helpers.conversion import TargetType
from switchboard.connectors.text_helpers.patterns import RegexMatch

connector = Connector("text-helpers", title="Text Helpers", description="Join, split and reshape text.")


class TextResult(Output):
    result: str


class TextListResult(Output):
    result: list[str]


class NumberResult(Output):
    result: int


class BooleanResult(Output):
    result: bool


class ValueResult(Output):
    result: Any


class TextInput(Input):
    text: str = Field(description="The text to work on.")


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


# -- splitting and replacing ----------------------------------------------------------------------


class Split(TextInput):
    separator: str = Field(",", description="What separates the parts; empty splits into characters.")
    limit: int | None = Field(
        None, ge=1, description="At most this many parts; the last part keeps the rest of the text."
    )


@connector.operation("split", title="Split", repeat_safe=True)
async def split(data: Split) -> TextListResult:
    """The parts of the text between separators; empty text gives an empty list."""
    if data.text == "":
        return TextListResult(result=[])
    if data.separator == "":
        parts = list(data.text)
        if data.limit is not None and len(parts) > data.limit:
            parts = [*parts[: data.limit - 1], "".join(parts[data.limit - 1 :])]
        return TextListResult(result=parts)
    maxsplit = -1 if data.limit is None else data.limit - 1
    return TextListResult(result=data.text.split(data.separator, maxsplit))


class Replace(TextInput):
    find: str = Field(min_length=1, description="The text, or the regular expression, to look for.")
    replacement: str = Field(
        "", description=r"What to put instead; with use_regex, \1 or \g<name> insert groups."
    )
    use_regex: bool = Field(False, description="Read `find` as a regular expression.")
    count: int | None = Field(
        None, ge=1, description="Replace only the first `count` occurrences; all if unset."
    )
    case_sensitive: bool = True


@connector.operation("replace", title="Replace", repeat_safe=True)
async def replace(data: Replace) -> TextResult:
    """Replace occurrences of a text or of a regular expression."""
    return TextResult(
        result=patterns.replace_text(
            data.text,
            data.find,
            data.replacement,
            use_regex=data.use_regex,
            count=data.count,
            case_sensitive=data.case_sensitive,
        )
    )


class Trim(TextInput):
    side: Literal["both", "left", "right"] = "both"
    characters: str | None = Field(
        None, description="The characters to remove (any of them, in any order); whitespace if unset."
    )


@connector.operation("trim", title="Trim", repeat_safe=True)
async def trim(data: Trim) -> TextResult:
    """Remove whitespace, or the given characters, from the ends of the text."""
    strip = {"both": str.strip, "left": str.lstrip, "right": str.rstrip}[data.side]
    return TextResult(result=strip(data.text, data.characters))


# -- case ----------------------------------------------------------------------------------------


@connector.operation("lower_case", title="Lower case", repeat_safe=True)
async def lower_case(data: TextInput) -> TextResult:
    """The text in lower case."""
    return TextResult(result=data.text.lower())


@connector.operation("upper_case", title="Upper case", repeat_safe=True)
async def upper_case(data: TextInput) -> TextResult:
    """The text in upper case."""
    return TextResult(result=data.text.upper())


@connector.operation("title_case", title="Title case", repeat_safe=True)
async def title_case(data: TextInput) -> TextResult:
    """Each word with a capital first letter and the rest in lower case (`o'neil` gives `O'neil`)."""
    return TextResult(result=patterns.title_case(data.text))


# -- measuring and cutting -----------------------------------------------------------------------


class Substring(TextInput):
    start: int = Field(0, description="First character (0-based); negative counts from the end.")
    end: int | None = Field(None, description="Stop before this character; negative counts from the end.")


@connector.operation("substring", title="Substring", repeat_safe=True)
async def substring(data: Substring) -> TextResult:
    """The characters from `start` up to (not including) `end`; out-of-range positions are clamped."""
    return TextResult(result=data.text[data.start : data.end])


@connector.operation("length", title="Length", repeat_safe=True)
async def length(data: TextInput) -> NumberResult:
    """The number of characters in the text."""
    return NumberResult(result=len(data.text))


class Search(TextInput):
    value: str = Field(description="The text to look for.")
    case_sensitive: bool = True


def _folded(data: Search) -> tuple[str, str]:
    if data.case_sensitive:
        return data.text, data.value
    return data.text.casefold(), data.value.casefold()


@connector.operation("contains", title="Contains", repeat_safe=True)
async def contains(data: Search) -> BooleanResult:
    """Whether `value` occurs in the text."""
    text, value = _folded(data)
    return BooleanResult(result=value in text)


@connector.operation("starts_with", title="Starts with", repeat_safe=True)
async def starts_with(data: Search) -> BooleanResult:
    """Whether the text begins with `value`."""
    text, value = _folded(data)
    return BooleanResult(result=text.startswith(value))


@connector.operation("ends_with", title="Ends with", repeat_safe=True)
async def ends_with(data: Search) -> BooleanResult:
    """Whether the text ends with `value`."""
    text, value = _folded(data)
    return BooleanResult(result=text.endswith(value))


class Pad(TextInput):
    width: int = Field(ge=0, le=100_000, description="The length to pad to; longer text is left as it is.")
    side: Literal["left", "right"] = Field("left", description="Where the fill goes: left right-aligns.")
    fill: str = Field(" ", min_length=1, max_length=1, description="The one character to pad with.")


@connector.operation("pad", title="Pad", repeat_safe=True)
async def pad(data: Pad) -> TextResult:
    """The text padded to `width` characters (`7` padded left with `0` to 3 gives `007`)."""
    aligned = data.text.rjust if data.side == "left" else data.text.ljust
    return TextResult(result=aligned(data.width, data.fill))


class Truncate(TextInput):
    length: int = Field(ge=0, description="The longest the result may be, ellipsis included.")
    ellipsis: str = Field("...", description="Put at the end when the text is cut.")


@connector.operation("truncate", title="Truncate", repeat_safe=True)
async def truncate(data: Truncate) -> TextResult:
    """The text cut to `length` characters, ending with the ellipsis when it was cut."""
    if len(data.text) <= data.length:
        return TextResult(result=data.text)
    keep = max(data.length - len(data.ellipsis), 0)
    return TextResult(result=(data.text[:keep] + data.ellipsis)[: data.length])


# -- regular expressions and extraction ----------------------------------------------------------


class RegexInput(TextInput):
    pattern: str = Field(description="A regular expression (Python syntax), e.g. `(?P<code>\\d{6})`.")
    case_sensitive: bool = True
    multiline: bool = Field(False, description="`^` and `$` match at each line, not only the text's ends.")


class RegexMatchResult(Output):
    result: RegexMatch | None = Field(description="The first match, or null when nothing matches.")


class RegexMatchesResult(Output):
    result: list[RegexMatch]


@connector.operation("regex_match", title="Regex match", repeat_safe=True)
async def regex_match(data: RegexInput) -> RegexMatchResult:
    """The first match of the pattern, with its groups and named groups; null when none."""
    pattern = patterns.compile_regex(
        data.pattern, case_sensitive=data.case_sensitive, multiline=data.multiline
    )
    found = pattern.search(data.text)
    return RegexMatchResult(result=patterns.describe_match(found) if found else None)


@connector.operation("regex_match_all", title="Regex match all", repeat_safe=True)
async def regex_match_all(data: RegexInput) -> RegexMatchesResult:
    """Every non-overlapping match of the pattern, in order."""
    pattern = patterns.compile_regex(
        data.pattern, case_sensitive=data.case_sensitive, multiline=data.multiline
    )
    return RegexMatchesResult(
        result=[patterns.describe_match(found) for found in pattern.finditer(data.text)]
    )


class ExtractBetween(TextInput):
    start_text: str = Field(min_length=1, description="The text just before what to extract.")
    end_text: str = Field(min_length=1, description="The text just after what to extract.")
    return_all: bool = Field(False, description="Every occurrence as a list, instead of the first one.")


class ExtractResult(Output):
    result: str | list[str] | None = Field(
        description="The first text found (null when none), or with return_all the list of every one."
    )


@connector.operation("extract_between", title="Extract between", repeat_safe=True)
async def extract_between(data: ExtractBetween) -> ExtractResult:
    """The text between `start_text` and the next `end_text`: the first one, or all of them."""
    found = patterns.extract_between(data.text, data.start_text, data.end_text)
    if data.return_all:
        return ExtractResult(result=list(found))
    return ExtractResult(result=next(found, None))


class Template(TextInput):
    text: str = Field(description="Text with `{name}` placeholders; `{{` and `}}` stand for braces.")
    values: dict[str, Any] = Field(description="The value of each placeholder by name.")


@connector.operation("template", title="Fill a template", repeat_safe=True)
async def template(data: Template) -> TextResult:
    """Fill each `{name}` from `values` (objects and lists as JSON, null as nothing)."""
    return TextResult(result=patterns.fill_template(data.text, data.values))


# -- encodings -----------------------------------------------------------------------------------


class Base64Input(TextInput):
    url_safe: bool = Field(False, description="Use the URL-safe alphabet (`-` and `_` for `+` and `/`).")


@connector.operation("base64_encode", title="Base64 encode", repeat_safe=True)
async def base64_encode(data: Base64Input) -> TextResult:
    """The base64 of the text's UTF-8 bytes."""
    return TextResult(result=encoding.base64_encode(data.text, url_safe=data.url_safe))


@connector.operation("base64_decode", title="Base64 decode", repeat_safe=True)
async def base64_decode(data: Base64Input) -> TextResult:
    """The UTF-8 text that base64 encodes; an error if it is not base64, or not text."""
    return TextResult(result=encoding.base64_decode(data.text, url_safe=data.url_safe))


class Base64EncoderDecoder(Base64Input):
    operation: Literal["encode", "decode"]


@connector.operation("base64_encoderdecoder", title="Base64 encode or decode", repeat_safe=True)
async def base64_encoderdecoder(data: Base64EncoderDecoder) -> TextResult:
    """Tray's single base64 operation: `operation` is `encode` or `decode`."""
    if data.operation == "encode":
        return TextResult(result=encoding.base64_encode(data.text, url_safe=data.url_safe))
    return TextResult(result=encoding.base64_decode(data.text, url_safe=data.url_safe))


class UrlEncode(TextInput):
    plus_for_spaces: bool = Field(False, description="Spaces as `+` (HTML forms), not `%20`.")
    safe: str = Field("", description="Characters to leave as they are, e.g. `/` for a path.")


@connector.operation("url_encode", title="URL encode", repeat_safe=True)
async def url_encode(data: UrlEncode) -> TextResult:
    """Percent-encode the text for use in a URL (`a b&c` gives `a%20b%26c`)."""
    return TextResult(
        result=encoding.url_encode(data.text, plus_for_spaces=data.plus_for_spaces, safe=data.safe)
    )


class UrlDecode(TextInput):
    plus_as_space: bool = Field(False, description="Read `+` as a space (HTML forms).")


@connector.operation("url_decode", title="URL decode", repeat_safe=True)
async def url_decode(data: UrlDecode) -> TextResult:
    """Undo percent-encoding."""
    return TextResult(result=encoding.url_decode(data.text, plus_as_space=data.plus_as_space))


class HtmlEscape(TextInput):
    quote: bool = Field(True, description="Also escape `\"` and `'`, for use inside attributes.")


@connector.operation("html_escape", title="HTML escape", repeat_safe=True)
async def html_escape(data: HtmlEscape) -> TextResult:
    """Escape `&`, `<`, `>` (and quotes) so the text shows as text in HTML."""
    return TextResult(result=html.escape(data.text, quote=data.quote))


@connector.operation("html_unescape", title="HTML unescape", repeat_safe=True)
async def html_unescape(data: TextInput) -> TextResult:
    """Turn HTML character references (`&amp;`, `&#39;`, `&eacute;`) back into characters."""
    return TextResult(result=html.unescape(data.text))


class Slugify(TextInput):
    separator: str = Field("-", max_length=5, description="Put between words.")
    lowercase: bool = True
    allow_unicode: bool = Field(False, description="Keep non-ASCII letters (accents are still dropped).")
    max_length: int | None = Field(None, ge=1, description="Cut at a word boundary to at most this length.")


@connector.operation("slugify", title="Slugify", repeat_safe=True)
async def slugify(data: Slugify) -> TextResult:
    """Text made safe for a URL or file name: `Crème Brûlée, 2 ways!` gives `creme-brulee-2-ways`."""
    return TextResult(
        result=slugs.slugify(
            data.text,
            separator=data.separator,
            lowercase=data.lowercase,
            allow_unicode=data.allow_unicode,
            max_length=data.max_length,
        )
    )


# -- types ---------------------------------------------------------------------------------------


class ChangeType(Input):
    value: Any = Field(description="The value to convert.")
    type2: TargetType = Field(description="The type to convert to (Tray's name for this field).")


@connector.operation("change_type", title="Change type", repeat_safe=True)
async def change_type(data: ChangeType) -> ValueResult:
    """Convert a value to string, number, integer, boolean, array or object; an error if it cannot be.

    Text is read as the target type (`"42"` to 42, `"yes"` to true, `"[1,2]"` to a list); a
    non-list becomes a one-item array; to a string, objects and lists become JSON.
    """
    return ValueResult(result=conversion.change_type(data.value, data.type2))


@connector.operation("typecast", title="Typecast", repeat_safe=True)
async def typecast(data: TextInput) -> ValueResult:
    """The JSON value the text looks like: `"42"` gives 42, `"true"` true, `"null"` null, JSON as parsed.

    Anything else, including `"007"` and `"+4477..."`, stays text.
    """
    return ValueResult(result=conversion.typecast(data.text))
