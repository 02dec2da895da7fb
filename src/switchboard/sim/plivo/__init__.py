"""A local Plivo: the REST API paths, auth, bodies, limits and signed callbacks, in memory.

Start one with ``uvicorn --factory switchboard.sim.plivo:create_plivo_app`` or mount
``create_plivo_router(PlivoSimState())`` in another FastAPI app. Default credentials are
``DEFAULT_AUTH_ID`` / ``DEFAULT_AUTH_TOKEN``; the account rents ``DEFAULT_NUMBER``.
"""

from switchboard.sim.plivo.app import create_plivo_app, create_plivo_router
from switchboard.sim.plivo.settings import (
    DEFAULT_AUTH_ID,
    DEFAULT_AUTH_TOKEN,
    DEFAULT_NUMBER,
    AccountSeed,
    PlivoSimSettings,
)
from switchboard.sim.plivo.state import PlivoSimState

__all__ = [
    "DEFAULT_AUTH_ID",
    "DEFAULT_AUTH_TOKEN",
    "DEFAULT_NUMBER",
    "AccountSeed",
    "PlivoSimSettings",
    "PlivoSimState",
    "create_plivo_app",
    "create_plivo_router",
]
