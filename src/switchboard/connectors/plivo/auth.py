"""The fields of a Plivo authentication: whose account, where its API is, and how fast it may go.

The rates are Plivo's documented defaults (5 SMS and 0.25 MMS per second, 300 API requests per
5 seconds); an account with raised limits, or the simulator in a benchmark, sets its own.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import Field

from switchboard.connectors.base import AuthFields, Secret

DEFAULT_BASE_URL = "https://api.plivo.com"
PLIVO_API_HOST = "api.plivo.com"
PLIVO_LOOKUP_ROOT = "https://lookup.plivo.com"


class PlivoAuth(AuthFields):
    """A Plivo account or subaccount, as every Plivo step and trigger uses it."""

    auth_id: str = Field(
        pattern=r"^[MS]A[A-Z0-9]{18}$",
        description="The Auth ID from the Plivo console: MA... for an account, SA... for a subaccount.",
    )
    auth_token: Secret = Field(
        description="The Auth Token next to the Auth ID; it also verifies the signatures of callbacks."
    )
    base_url: str = Field(
        default=DEFAULT_BASE_URL,
        pattern=r"^https?://[^/?#\s]+(/[^?#\s]*)?$",
        description="The API root; requests go to {base_url}/v1/Account/{auth_id}/... Point it at a sandbox "
        "or at the simulator, e.g. http://127.0.0.1:9090.",
    )
    messages_per_second: float = Field(
        default=5.0, gt=0, le=10_000, description="SMS this account may send per second (Plivo's default: 5)."
    )
    mms_per_second: float = Field(
        default=0.25,
        gt=0,
        le=10_000,
        description="MMS this account may send per second (Plivo's default: 0.25).",
    )
    requests_per_5s: int = Field(
        default=300, ge=1, le=1_000_000, description="API requests per 5 seconds (Plivo's limit: 300)."
    )
    timeout_seconds: float = Field(
        default=30.0, gt=0, le=300, description="How long to wait for Plivo's answer to one request."
    )

    @property
    def api_root(self) -> str:
        """The base URL without a trailing slash, so paths can be appended with one."""
        return self.base_url.rstrip("/")

    @property
    def account_url(self) -> str:
        """``{base_url}/v1/Account/{auth_id}/``: every resource path is relative to it."""
        return f"{self.api_root}/v1/Account/{self.auth_id}/"

    @property
    def lookup_root(self) -> str:
        """Where Plivo's Lookup API lives for this authentication.

        Plivo serves Lookup on its own host (``lookup.plivo.com``). Any other base URL is a sandbox or
        the simulator, which serve ``/v1/Number/...`` next to the account API, so the same root is used.
        """
        if urlsplit(self.base_url).hostname == PLIVO_API_HOST:
            return PLIVO_LOOKUP_ROOT
        return self.api_root
