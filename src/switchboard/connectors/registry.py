"""Finding connectors: every package that declares a `switchboard.connectors` entry point.

A third-party package adds a connector with `pip install` and one line in its pyproject:
`[project.entry-points."switchboard.connectors"] my-crm = "my_crm:connector"`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib.metadata import entry_points

from switchboard.connectors.base import Connector, Operation
from switchboard.errors import NotFound

ENTRY_POINT_GROUP = "switchboard.connectors"


class Registry:
    """The connectors a process knows, by name."""

    def __init__(self, connectors: Iterable[Connector]) -> None:
        self._connectors: dict[str, Connector] = {}
        for connector in connectors:
            if connector.name in self._connectors:
                raise ValueError(f"two connectors are named {connector.name!r}")
            self._connectors[connector.name] = connector

    def __iter__(self) -> Iterator[Connector]:
        return iter(sorted(self._connectors.values(), key=lambda c: c.name))

    def __contains__(self, name: object) -> bool:
        return name in self._connectors

    def get(self, name: str) -> Connector:
        try:
            return self._connectors[name]
        except KeyError:
            raise NotFound(f"unknown connector {name!r}{suggestion(name, self._connectors)}") from None

    def operation(self, connector: str, operation: str) -> Operation:
        found = self.get(connector)
        try:
            return found.operations[operation]
        except KeyError:
            hint = suggestion(operation, found.operations)
            raise NotFound(f"connector {connector!r} has no operation {operation!r}{hint}") from None


def suggestion(name: str, known: Iterable[str]) -> str:
    """A ' (did you mean ...?)' tail for an unknown name, or the empty string."""
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


@lru_cache(maxsize=1)
def discover() -> Registry:
    """Every installed connector, loaded once per process."""
    connectors = []
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        connector = entry.load()
        if not isinstance(connector, Connector):
            raise TypeError(f"entry point {entry.name!r} of {ENTRY_POINT_GROUP} is not a Connector")
        connectors.append(connector)
    return Registry(connectors)
