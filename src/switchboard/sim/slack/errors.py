"""The one way a simulated Web API method fails: Slack's ``{"ok": false, "error": "<code>"}``."""

from typing import Any


class SlackError(Exception):
    """A Web API call refused with one of Slack's documented error codes (``channel_not_found``...).

    Slack answers these with HTTP 200 and ``ok: false``; ``details`` are extra top-level fields some
    errors carry (``errors``, ``response_metadata``), merged into the answer as Slack does.
    """

    def __init__(self, code: str, **details: Any) -> None:
        super().__init__(code)
        self.code = code
        self.details = details

    def to_api(self) -> dict[str, Any]:
        """The JSON body Slack sends for this error."""
        return {"ok": False, "error": self.code, **self.details}
