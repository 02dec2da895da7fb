"""What a Web API method implementation is given: the workspace, who calls, and with what."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from ..arguments import Arguments
from ..state import SlackSimState, User

JsonObject = dict[str, Any]


class FileLinks(Protocol):
    """Builds URLs that point back at this simulator, wherever it is served from."""

    def upload_url(self, ticket: str) -> str:
        """Where ``files_upload_v2`` POSTs the bytes of a reserved file."""
        ...

    def download_url(self, file_id: str) -> str:
        """Where a file's content can be read back (its ``url_private``)."""
        ...


@dataclass(frozen=True)
class MethodCall:
    """One authenticated call: its arguments, the member the token acts for, and URL building."""

    arguments: Arguments
    caller: User
    links: FileLinks


Method = Callable[[SlackSimState, MethodCall], JsonObject]
"""A Web API method: answers the ``ok: true`` fields, or raises ``SlackError``."""
