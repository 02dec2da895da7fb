"""Plivo's error answers: ``{"api_id": "<uuid>", "error": "<free text>"}`` with the fitting status.

The texts Plivo is known to send (reference/plivo.md §2.2) are constants here so tests can pin them;
the others are plain descriptions, since Plivo's ``error`` is free text, not an enum.
"""

import uuid

from fastapi.responses import JSONResponse

NOT_AUTHENTICATED = "authentication credentials were not provided"
NOT_FOUND = "not found"
INVALID_JSON = "invalid json data sent in raw POST"
TOO_MANY_REQUESTS = "too many requests"
ALL_DESTINATIONS_INVALID = "invalid phone numbers."
UCS2_TOO_LONG = "text parameter length exceeds 737 unicode characters"
GSM7_TOO_LONG = "text parameter length exceeds 1600 characters"


def new_api_id() -> str:
    """Return a fresh ``api_id``: Plivo tags every answer with one so support can trace it."""
    return str(uuid.uuid4())


def invalid_number(number: str) -> str:
    """The error for one destination that is not a phone number (Plivo shows it without ``+``)."""
    return f"'{number}' is not a valid phone number."


class PlivoApiError(Exception):
    """An error the simulated API answers with; raised anywhere in a request, rendered by the route."""

    def __init__(self, status_code: int, error: str) -> None:
        super().__init__(error)
        self.status_code = status_code
        self.error = error

    def response(self) -> JSONResponse:
        """Render the error exactly as Plivo does."""
        return JSONResponse({"api_id": new_api_id(), "error": self.error}, status_code=self.status_code)


def bad_request(error: str) -> PlivoApiError:
    """A 400: a missing or invalid parameter."""
    return PlivoApiError(400, error)


def not_found() -> PlivoApiError:
    """A 404 for an unknown resource or path."""
    return PlivoApiError(404, NOT_FOUND)
