"""Plivo's rate limits: refused requests (429) and paced, never refused, outbound messages.

* API requests: 300 per 5 seconds per account; excess requests are answered 429.
* Listing messages has its own, stricter limit: 20 requests per minute.
* Outbound messages beyond the account's messages-per-second are accepted (202) and stay ``queued``
  until their turn: Plivo paces them, it does not refuse them.

Limits are read from the settings at each call, so changing them while the simulator runs takes effect
at once.
"""

import time
from collections import deque


class SlidingWindowLimiter:
    """Counts the requests each account made in the last ``window`` seconds."""

    def __init__(self) -> None:
        self._seen: dict[str, deque[float]] = {}

    def allow(self, account: str, limit: int, window: float) -> bool:
        """Record one request and tell whether it is within ``limit`` requests per ``window`` seconds.

        A refused request is not recorded, so a client that backs off recovers after one window.
        """
        moment = time.monotonic()
        seen = self._seen.setdefault(account, deque())
        while seen and seen[0] <= moment - window:
            seen.popleft()
        if len(seen) >= limit:
            return False
        seen.append(moment)
        return True

    def clear(self) -> None:
        """Forget every request, as after a reset."""
        self._seen.clear()


class MessagePacer:
    """Hands out departure slots so that each account sends at most N messages per second."""

    def __init__(self) -> None:
        self._next_slot: dict[str, float] = {}

    def wait_for_slot(self, account: str, messages_per_second: float | None) -> float:
        """Reserve the account's next departure slot; return the seconds to wait until it comes."""
        if messages_per_second is None:
            return 0.0
        moment = time.monotonic()
        slot = max(moment, self._next_slot.get(account, moment))
        self._next_slot[account] = slot + 1.0 / messages_per_second
        return slot - moment

    def clear(self) -> None:
        """Forget reserved slots, as after a reset."""
        self._next_slot.clear()
