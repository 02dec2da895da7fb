"""Step inputs as templates: literals, jsonpath placeholders and interpolated text.

The forms, as SPEC §2 gives them:

* any JSON literal is itself;
* `"{$.steps.plivo-1.message_uuid[0]}"`, a string that is exactly one placeholder, keeps the type of
  what it finds (number, list, object);
* `"Sent {$.steps.plivo-1.message_uuid[0]} at {$.env.started_at}"` interpolates to a string;
* `{$.path or:'default'}` falls back when the path finds nothing; `{{` and `}}` are literal braces;
* `{"$jsonpath": "$.path", "$fallback": ...}` is the explicit typed form the builder writes.

A template is compiled once per workflow (each path parsed once) and resolved for every run.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from switchboard.errors import MappingError
from switchboard.mapping.paths import ROOTS, CompiledPath, PathSyntaxError, compile_path

JSONPATH_KEY = "$jsonpath"
FALLBACK_KEY = "$fallback"
_NO_FALLBACK: Any = object()


class TemplateSyntaxError(ValueError):
    """A malformed template; `location` is where inside the value (`values[1]`), or ''."""

    def __init__(self, location: str, message: str) -> None:
        super().__init__(f"{location}: {message}" if location else message)
        self.location = location
        self.message = message


@dataclass(frozen=True)
class Placeholder:
    """One jsonpath to look up, with its fallback when it finds nothing."""

    path: CompiledPath
    fallback: Any = _NO_FALLBACK

    @property
    def has_fallback(self) -> bool:
        return self.fallback is not _NO_FALLBACK

    def lookup(self, scope: Mapping[str, Any], location: str) -> Any:
        """The value found; a non-singular path (wildcard, filter) gives the list of matches."""
        found = self.path.find(scope)
        if not self.path.singular:
            return found if found or not self.has_fallback else self.fallback
        if found:
            return found[0]
        if self.has_fallback:
            return self.fallback
        where = f"{location}: " if location else ""
        raise MappingError(f"{where}{self.path.text} found nothing{_hint(self.path, scope)}")


class Template:
    """A compiled input value; `resolve` gives the value for one run's data."""

    dynamic = False
    """Whether the value depends on run data (contains a placeholder somewhere)."""

    def resolve(self, scope: Mapping[str, Any], location: str = "") -> Any:
        raise NotImplementedError

    def placeholders(self, location: str = "") -> Iterator[tuple[str, Placeholder]]:
        """Every placeholder with its location, for validation and for the builder's data picker."""
        return iter(())


@dataclass(frozen=True)
class Literal(Template):
    value: Any

    def resolve(self, scope: Mapping[str, Any], location: str = "") -> Any:
        return self.value


@dataclass(frozen=True)
class Whole(Template):
    """A value that is exactly one placeholder: it keeps the found value's type."""

    placeholder: Placeholder
    dynamic = True

    def resolve(self, scope: Mapping[str, Any], location: str = "") -> Any:
        return self.placeholder.lookup(scope, location)

    def placeholders(self, location: str = "") -> Iterator[tuple[str, Placeholder]]:
        yield location, self.placeholder


@dataclass(frozen=True)
class Text(Template):
    """Text with placeholders among it: always resolves to a string."""

    parts: tuple[str | Placeholder, ...]
    dynamic = True

    def resolve(self, scope: Mapping[str, Any], location: str = "") -> Any:
        return "".join(
            part if isinstance(part, str) else as_text(part.lookup(scope, location)) for part in self.parts
        )

    def placeholders(self, location: str = "") -> Iterator[tuple[str, Placeholder]]:
        for part in self.parts:
            if isinstance(part, Placeholder):
                yield location, part


@dataclass(frozen=True)
class ListTemplate(Template):
    items: tuple[Template, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "dynamic", any(item.dynamic for item in self.items))

    def resolve(self, scope: Mapping[str, Any], location: str = "") -> Any:
        return [item.resolve(scope, f"{location}[{i}]") for i, item in enumerate(self.items)]

    def placeholders(self, location: str = "") -> Iterator[tuple[str, Placeholder]]:
        for i, item in enumerate(self.items):
            yield from item.placeholders(f"{location}[{i}]")


@dataclass(frozen=True)
class ObjectTemplate(Template):
    items: tuple[tuple[str, Template], ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "dynamic", any(item.dynamic for _, item in self.items))

    def resolve(self, scope: Mapping[str, Any], location: str = "") -> Any:
        return {key: item.resolve(scope, join_location(location, key)) for key, item in self.items}

    def placeholders(self, location: str = "") -> Iterator[tuple[str, Placeholder]]:
        for key, item in self.items:
            yield from item.placeholders(join_location(location, key))


def join_location(location: str, key: str) -> str:
    """`headers` + `Authorization` gives `headers.Authorization`."""
    return f"{location}.{key}" if location else key


def as_text(value: Any) -> str:
    """How a found value reads inside interpolated text: strings as they are, null as nothing."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def compile_template(
    value: Any, location: str = "", problems: list[TemplateSyntaxError] | None = None
) -> Template:
    """Compile an input value. With `problems`, errors are collected there instead of raised."""
    try:
        return _compile(value, location, problems)
    except TemplateSyntaxError as error:
        if problems is None:
            raise
        problems.append(error)
        return Literal(value)


def compile_inputs(
    values: Mapping[str, Any],
    verbatim: Collection[str] = (),
    problems: list[TemplateSyntaxError] | None = None,
) -> dict[str, Template]:
    """A step's input properties as templates; those named in `verbatim` stay literal text."""
    return {
        str(key): Literal(value) if key in verbatim else compile_template(value, str(key), problems)
        for key, value in values.items()
    }


def _compile(value: Any, location: str, problems: list[TemplateSyntaxError] | None) -> Template:
    if isinstance(value, str):
        return _compile_string(value, location)
    if isinstance(value, list):
        items = tuple(compile_template(v, f"{location}[{i}]", problems) for i, v in enumerate(value))
        return ListTemplate(items) if any(item.dynamic for item in items) else Literal(value)
    if isinstance(value, dict):
        if JSONPATH_KEY in value:
            return _compile_typed(value, location)
        pairs = tuple(
            (str(key), compile_template(v, join_location(location, str(key)), problems))
            for key, v in value.items()
        )
        return ObjectTemplate(pairs) if any(item.dynamic for _, item in pairs) else Literal(value)
    return Literal(value)


def _compile_typed(value: dict[str, Any], location: str) -> Template:
    unknown = set(value) - {JSONPATH_KEY, FALLBACK_KEY}
    if unknown:
        raise TemplateSyntaxError(location, f"unexpected key(s) {sorted(unknown)} beside {JSONPATH_KEY}")
    text = value[JSONPATH_KEY]
    if not isinstance(text, str):
        raise TemplateSyntaxError(location, f"{JSONPATH_KEY} must be a string")
    fallback = value.get(FALLBACK_KEY, _NO_FALLBACK)
    return Whole(Placeholder(_compile_path(text, location), fallback))


def _compile_path(text: str, location: str) -> CompiledPath:
    try:
        path = compile_path(text)
    except PathSyntaxError as exc:
        raise TemplateSyntaxError(location, f"{text!r} is not a valid jsonpath: {exc}") from None
    if path.root not in ROOTS:
        roots = ", ".join(f"$.{root}" for root in ROOTS)
        raise TemplateSyntaxError(location, f"{text!r} must start with one of {roots}")
    return path


def _compile_string(text: str, location: str) -> Template:
    if "{" not in text and "}}" not in text:
        return Literal(text)
    parts: list[str | Placeholder] = []
    buffer: list[str] = []
    i, n = 0, len(text)
    while i < n:
        pair = text[i : i + 2]
        if pair in ("{{", "}}"):
            buffer.append(pair[0])
            i += 2
        elif pair == "{$":
            end, split = _placeholder_end(text, i, location)
            if buffer:
                parts.append("".join(buffer))
                buffer = []
            parts.append(_placeholder(text[i + 1 : split], text[split:end], location))
            i = end + 1
        else:
            buffer.append(text[i])
            i += 1
    if buffer:
        parts.append("".join(buffer))
    if len(parts) == 1 and isinstance(parts[0], Placeholder):
        return Whole(parts[0])
    if not any(isinstance(part, Placeholder) for part in parts):
        return Literal("".join(part for part in parts if isinstance(part, str)))
    return Text(tuple(parts))


def _placeholder_end(text: str, start: int, location: str) -> tuple[int, int]:
    """Index of the `}` closing the placeholder at `start`, and where its ` or:` begins (or the end).

    Brackets and quoted strings are skipped, so `{$.a['}']}` and filters with braces-free
    comparisons parse as one placeholder.
    """
    depth = 0
    quote = ""
    split = -1
    i = start + 1
    while i < len(text):
        char = text[i]
        if quote:
            if char == "\\":
                i += 1
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        elif depth == 0 and split < 0 and text.startswith(" or:", i):
            split = i
            i += 4
            continue
        elif char == "}" and depth == 0:
            return i, split if split >= 0 else i
        i += 1
    raise TemplateSyntaxError(location, f"unclosed placeholder starting at character {start + 1} of {text!r}")


def _placeholder(path_text: str, fallback_text: str, location: str) -> Placeholder:
    path = _compile_path(path_text.strip(), location)
    if not fallback_text:
        return Placeholder(path)
    raw = fallback_text[len(" or:") :].strip()
    return Placeholder(path, _fallback_value(raw, location))


def _fallback_value(raw: str, location: str) -> Any:
    """`'text'` (Tray's form) or any JSON literal: `or:0`, `or:null`, `or:[]`."""
    if len(raw) >= 2 and raw[0] == raw[-1] == "'":
        return raw[1:-1].replace("\\'", "'")
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        raise TemplateSyntaxError(
            location, f"fallback {raw!r} must be 'quoted text' or a JSON value"
        ) from None


def _hint(path: CompiledPath, scope: Mapping[str, Any]) -> str:
    """What was there instead, so the user can see why a path found nothing."""
    if path.root in ("steps", "errors") and path.step is not None:
        steps = scope.get(path.root) or {}
        if path.step not in steps:
            known = ", ".join(steps) or "none"
            verb = "has not run" if path.root == "steps" else "has no error here"
            return f" ({path.step} {verb}; available: {known})"
        output = steps[path.step]
        if isinstance(output, Mapping):
            return f" ({path.step} output has: {', '.join(map(str, output)) or 'nothing'})"
        return f" ({path.step} output is {type(output).__name__})"
    if path.root is not None:
        section = scope.get(path.root)
        if isinstance(section, Mapping):
            return f" ($.{path.root} has: {', '.join(map(str, section)) or 'nothing'})"
    return ""
