"""JSONPath queries: RFC 9535 through python-jsonpath in strict mode, compiled once and cached.

Strict mode passes the whole RFC 9535 compliance suite and also accepts Tray's hyphenated member
names (`$.steps.text-helpers-1.result`), which RFC 9535's shorthand does not allow but which no
valid RFC expression can mean anything else by. A test pins that behaviour.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import jsonpath
from jsonpath.segments import JSONPathChildSegment
from jsonpath.selectors import IndexSelector, NameSelector

_ENV = jsonpath.JSONPathEnvironment(strict=True)

ROOTS = ("steps", "env", "config", "auth", "errors")
"""The names a workflow's jsonpaths may start with: `$.steps...`, `$.env...` and so on."""


class PathSyntaxError(ValueError):
    """A jsonpath that does not parse; the message says where."""


@dataclass(frozen=True)
class CompiledPath:
    """A parsed jsonpath with what the validator needs to know about it."""

    text: str
    query: jsonpath.JSONPath
    singular: bool
    root: str | None
    """The first member name (`steps`, `env`...), when the path starts with a plain name."""
    step: str | None
    """For `$.steps.<name>...` and `$.errors.<name>...`, the step the path reads."""
    keys: tuple[str | int, ...] | None
    """For a path of plain names and indexes only (most mappings), the keys to walk directly."""

    def find(self, document: Any) -> list[Any]:
        """Every value the path selects, in document order (RFC 9535's nodelist)."""
        if self.keys is None:
            return self.query.findall(document)
        node = document
        for key in self.keys:
            if isinstance(key, str):
                if not isinstance(node, Mapping) or key not in node:
                    return []
            elif not isinstance(node, list) or not -len(node) <= key < len(node):
                return []
            node = node[key]
        return [node]


@lru_cache(maxsize=8192)
def compile_path(text: str) -> CompiledPath:
    """Parse a jsonpath once; later calls with the same text are a dictionary look-up."""
    try:
        compiled = _ENV.compile(text)
    except jsonpath.JSONPathError as exc:
        raise PathSyntaxError(_first_line(str(exc))) from None
    if not isinstance(compiled, jsonpath.JSONPath):  # compound paths exist only outside strict mode
        raise PathSyntaxError(f"{text!r} is not a single jsonpath")
    names = _leading_names(compiled, 2)
    root = names[0] if names else None
    step = names[1] if root in ("steps", "errors") and len(names) > 1 else None
    return CompiledPath(
        text=text,
        query=compiled,
        singular=compiled.singular_query(),
        root=root,
        step=step,
        keys=_plain_keys(compiled),
    )


def query(text: str, document: Any) -> list[Any]:
    """The values `text` selects in `document`; raises `PathSyntaxError` for an invalid path."""
    return compile_path(text).find(document)


def _leading_names(compiled: jsonpath.JSONPath, count: int) -> list[str]:
    """The plain member names the path starts with (`$.steps.plivo-1...` gives steps, plivo-1)."""
    names: list[str] = []
    for segment in compiled.segments[:count]:
        if not isinstance(segment, JSONPathChildSegment) or len(segment.selectors) != 1:
            break
        selector = segment.selectors[0]
        if not isinstance(selector, NameSelector):
            break
        names.append(selector.name)
    return names


def _plain_keys(compiled: jsonpath.JSONPath) -> tuple[str | int, ...] | None:
    """The keys of a path made only of `.name`, `['name']` and `[index]` segments, else None.

    Such paths are most of what workflows use; walking them directly skips building match
    objects and is what makes a mapping cost a microsecond rather than tens.
    """
    keys: list[str | int] = []
    for segment in compiled.segments:
        if not isinstance(segment, JSONPathChildSegment) or len(segment.selectors) != 1:
            return None
        selector = segment.selectors[0]
        if isinstance(selector, NameSelector):
            keys.append(selector.name)
        elif isinstance(selector, IndexSelector):
            keys.append(selector.index)
        else:
            return None
    return tuple(keys)


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "invalid jsonpath"
