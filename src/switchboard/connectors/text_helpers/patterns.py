"""Finding things in text: regular expressions, text between markers, `{name}` templates."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import BaseModel, Field

from switchboard.errors import OperationFailed
from switchboard.mapping.templates import as_text


class RegexMatch(BaseModel):
    """One match of a regular expression, as later steps read it."""

    match: str = Field(description="The whole text that matched.")
    start: int = Field(description="Where the match starts in the text (0-based, in characters).")
    end: int = Field(description="Where the match ends (exclusive).")
    groups: list[str | None] = Field(
        description="The numbered groups, in order; null for one that took no part."
    )
    named_groups: dict[str, str | None] = Field(description="The `(?P<name>...)` groups by name.")


def compile_regex(
    pattern: str, *, case_sensitive: bool = True, multiline: bool = False, where: str = "input.pattern"
) -> re.Pattern[str]:
    """Compile a user's pattern; a syntax error says where in the pattern it is."""
    flags = (0 if case_sensitive else re.IGNORECASE) | (re.MULTILINE if multiline else 0)
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        at = f" at position {exc.pos}" if exc.pos is not None else ""
        raise OperationFailed(
            f"{where}: {pattern!r} is not a valid regular expression: {exc.msg}{at}"
        ) from None


def describe_match(found: re.Match[str]) -> RegexMatch:
    return RegexMatch(
        match=found.group(0),
        start=found.start(),
        end=found.end(),
        groups=list(found.groups()),
        named_groups=found.groupdict(),
    )


def replace_text(
    text: str, find: str, replacement: str, *, use_regex: bool, count: int | None, case_sensitive: bool
) -> str:
    """Replace `count` (or every) occurrence; with a regex, `\\1` and `\\g<name>` insert groups."""
    limit = count or 0
    if not use_regex:
        if case_sensitive:
            return text.replace(find, replacement, -1 if count is None else count)
        pattern = compile_regex(re.escape(find), case_sensitive=False, where="input.find")
        return pattern.sub(lambda _: replacement, text, count=limit)
    pattern = compile_regex(find, case_sensitive=case_sensitive, where="input.find")
    try:
        return pattern.sub(replacement, text, count=limit)
    except (re.error, IndexError) as exc:
        message = exc.msg if isinstance(exc, re.error) else str(exc)
        raise OperationFailed(
            f"input.replacement: {replacement!r} is not a valid replacement for {find!r}: {message} "
            "(groups are written \\1 or \\g<name>; write \\\\ for a backslash)"
        ) from None


def extract_between(text: str, start: str, end: str) -> Iterator[str]:
    """The texts between each `start` and the next `end` after it, in order, not overlapping."""
    position = 0
    while True:
        opened = text.find(start, position)
        if opened < 0:
            return
        inner = opened + len(start)
        closed = text.find(end, inner)
        if closed < 0:
            return
        yield text[inner:closed]
        position = closed + len(end)


_WORD_START = re.compile(r"(?<![\w'\u2019])\w")


def title_case(text: str) -> str:
    """Capitalise the first letter of each word and lower the rest; `jean-luc` gives `Jean-Luc`."""
    return _WORD_START.sub(lambda found: found.group(0).upper(), text.lower())


_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_.-]*)\}")


def fill_template(text: str, values: Mapping[str, Any]) -> str:
    """Replace each `{name}` with `values[name]` (`{a.b}` reads nested objects); `{{`, `}}` are braces.

    Braces around anything that is not a name (`{"a": 1}`, `{ }`) stay as they are, so JSON
    and prose can be templated without escaping.
    """

    def fill(found: re.Match[str]) -> str:
        name = found.group(1)
        if name is None:
            return found.group(0)[0]
        return as_text(_lookup(values, name))

    return _PLACEHOLDER.sub(fill, text)


def _lookup(values: Mapping[str, Any], name: str) -> Any:
    if name in values:
        return values[name]
    node: Any = values
    for part in name.split("."):
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            known = ", ".join(sorted(values)) or "nothing"
            raise OperationFailed(
                f"input.text: the placeholder {{{name}}} has no value in input.values (values has: {known})"
            )
    return node
