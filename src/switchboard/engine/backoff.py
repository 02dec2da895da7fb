"""How long to wait before retrying a step: exponential, capped, with jitter."""

from __future__ import annotations

import random

from switchboard.definition.model import RetryPolicy

MAX_PROVIDER_WAIT = 3600.0


def retry_delay(policy: RetryPolicy, attempt: int, retry_after: float | None = None) -> float:
    """Seconds to wait after failed attempt number `attempt` (1-based).

    A provider's `Retry-After` wins over our own schedule: waiting less would only earn another 429.
    """
    if retry_after is not None:
        return min(max(retry_after, 0.0), MAX_PROVIDER_WAIT)
    delay = min(policy.max_delay, policy.initial_delay * policy.factor ** (attempt - 1))
    return delay * random.uniform(0.5, 1.0) if policy.jitter else delay
