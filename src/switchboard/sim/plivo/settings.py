"""What a Plivo simulator instance looks like: its accounts, its timings and its limits.

Everything a test or a benchmark may want to change lives here, so one simulator can be instant and
generous in unit tests, Plivo-like in a demo, and fast but paced (e.g. 200 messages/s) in a benchmark.
Settings can be changed while it runs through ``PATCH /sim/plivo/config``.
"""

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_AUTH_ID = "MAXXXXXXXXXXXXXXXXXX"
"""Main account of a fresh simulator: shaped like a real Auth ID, which the official SDKs insist on."""

DEFAULT_AUTH_TOKEN = "simulator-auth-token-0000000000000000000"
"""Auth Token of the default account (40 characters, like Plivo's)."""

DEFAULT_NUMBER = "14155550100"
"""The number the default account rents, so a workflow can send from ``+14155550100`` at once."""

SignatureVersion = Literal["v2", "v3"]
FinalState = Literal["delivered", "undelivered", "failed", "sent"]


class AccountSeed(BaseModel):
    """A main account the simulator starts with, and the numbers it already rents."""

    model_config = ConfigDict(frozen=True)

    auth_id: str = Field(pattern=r"^MA[A-Z0-9]{18}$")
    auth_token: str = Field(min_length=1)
    name: str = "Switchboard Simulator"
    numbers: tuple[str, ...] = ()


def default_accounts() -> tuple[AccountSeed, ...]:
    """One account, with the documented default credentials and one rented number."""
    return (AccountSeed(auth_id=DEFAULT_AUTH_ID, auth_token=DEFAULT_AUTH_TOKEN, numbers=(DEFAULT_NUMBER,)),)


class PlivoSimSettings(BaseModel):
    """Behaviour of one simulator; the defaults are Plivo's documented values.

    Delays are in seconds and multiplied by ``time_scale`` (``0`` makes the message lifecycle and callback
    retries instant, for tests). Message pacing (``messages_per_second``) is a real rate and not scaled.
    """

    model_config = ConfigDict(validate_assignment=True)

    accounts: tuple[AccountSeed, ...] = Field(default_factory=default_accounts)

    time_scale: float = Field(default=1.0, ge=0)
    sent_after: float = Field(default=0.5, ge=0, description="queued → sent, after pacing")
    delivered_after: float = Field(default=1.5, ge=0, description="sent → delivered/undelivered")
    callback_retry_delays: tuple[float, ...] = (60.0, 120.0, 240.0)
    callback_timeout: float = Field(default=8.0, gt=0, description="not scaled: a real network timeout")
    signature_versions: tuple[SignatureVersion, ...] = ("v2", "v3")

    requests_per_window: int = Field(default=300, ge=1)
    window_seconds: float = Field(default=5.0, gt=0)
    list_messages_per_minute: int = Field(default=20, ge=1)
    messages_per_second: float | None = Field(default=5.0, gt=0, description="None: no pacing")

    sms_rate: Decimal = Decimal("0.00500")
    mms_rate: Decimal = Decimal("0.02000")
    inbound_rate: Decimal = Decimal("0.00000")
    call_rate_per_minute: Decimal = Decimal("0.01200")
    number_monthly_rate: Decimal = Decimal("0.80000")
    cash_credits: Decimal = Decimal("100.00000")
    message_list_window_hours: float = Field(default=24.0, gt=0)

    def scaled(self, seconds: float) -> float:
        """Return a lifecycle delay after applying ``time_scale``."""
        return seconds * self.time_scale
