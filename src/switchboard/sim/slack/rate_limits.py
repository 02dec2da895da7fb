"""Slack's per-method rate limits, so that clients meet HTTP 429 and ``Retry-After`` before production does.

Slack limits each method per app and workspace in "tiers" of calls per minute, and ``chat.postMessage``
to about one message per second per channel, with short bursts allowed. A limit here is a sliding
window: ``calls`` within any ``per_seconds``. Tests can lower a limit, or force the next calls of a
method to be refused, to check that a client waits out ``Retry-After`` and sends the call once.
"""

import math
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class RateLimit:
    """At most ``calls`` calls of one method within any ``per_seconds``, per token (and channel)."""

    calls: int
    per_seconds: float = 60.0
    per_channel: bool = False


TIER_1 = RateLimit(calls=1)
TIER_2 = RateLimit(calls=20)
TIER_3 = RateLimit(calls=50)
TIER_4 = RateLimit(calls=100)
POSTING_TO_A_CHANNEL = RateLimit(calls=60, per_seconds=60.0, per_channel=True)
"""``chat.postMessage``: Slack's "1 per second per channel, short bursts allowed" as 60 a minute."""

DEFAULT_RATE_LIMITS: Mapping[str, RateLimit] = MappingProxyType(
    {
        "auth.test": TIER_4,
        "chat.postMessage": POSTING_TO_A_CHANNEL,
        "chat.update": TIER_3,
        "chat.delete": TIER_3,
        "reactions.add": TIER_3,
        "conversations.list": TIER_2,
        "conversations.create": TIER_2,
        "conversations.invite": TIER_3,
        "conversations.setTopic": TIER_2,
        "conversations.join": TIER_3,
        "conversations.info": TIER_3,
        "conversations.history": TIER_3,
        "users.info": TIER_4,
        "users.lookupByEmail": TIER_3,
        "files.getUploadURLExternal": TIER_4,
        "files.completeUploadExternal": TIER_4,
    }
)


@dataclass
class ForcedRefusals:
    """The next ``remaining`` calls of a method are answered 429 whatever the limit says."""

    remaining: int
    retry_after: int


class RateLimiter:
    """Admits or refuses each call, the way Slack's rate limiter would."""

    def __init__(self, limits: Mapping[str, RateLimit], clock: Callable[[], float]) -> None:
        self.limits: dict[str, RateLimit] = dict(limits)
        self._clock = clock
        self._forced: dict[str, ForcedRefusals] = {}
        self._recent_calls: dict[tuple[str, ...], deque[float]] = {}

    def set_limit(self, method: str, limit: RateLimit | None) -> None:
        """Change one method's limit; ``None`` lets the method be called without limit."""
        if limit is None:
            self.limits.pop(method, None)
        else:
            self.limits[method] = limit
        self._recent_calls = {key: calls for key, calls in self._recent_calls.items() if key[0] != method}

    def force_refusals(self, method: str, times: int, retry_after: int) -> None:
        """Answer the next ``times`` calls of ``method`` with 429 and ``Retry-After: retry_after``."""
        self._forced[method] = ForcedRefusals(remaining=times, retry_after=retry_after)

    def retry_after(self, method: str, token: str, channel: str | None = None) -> int | None:
        """Count this call and return ``None`` if it is admitted, else the seconds Slack asks to wait."""
        forced = self._forced.get(method)
        if forced is not None and forced.remaining > 0:
            forced.remaining -= 1
            return forced.retry_after
        limit = self.limits.get(method)
        if limit is None:
            return None
        key = (method, token, channel or "") if limit.per_channel else (method, token)
        recent = self._recent_calls.setdefault(key, deque())
        now = self._clock()
        while recent and recent[0] <= now - limit.per_seconds:
            recent.popleft()
        if len(recent) >= limit.calls:
            return max(1, math.ceil(recent[0] + limit.per_seconds - now))
        recent.append(now)
        return None
