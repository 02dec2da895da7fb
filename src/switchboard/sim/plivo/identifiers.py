"""Fresh identifiers shaped like Plivo's, so clients that check formats accept the simulator's."""

import secrets
import string
import uuid


def new_uuid() -> str:
    """A message, call or media id: a random UUID."""
    return str(uuid.uuid4())


def new_app_id() -> str:
    """An application id: 17 digits, like ``20468599130939380``."""
    return str(secrets.randbelow(9 * 10**16) + 10**16)


def new_subaccount_auth_id() -> str:
    """A subaccount Auth ID: ``SA`` and 18 capital letters or digits."""
    return "SA" + "".join(secrets.choice(string.ascii_uppercase + string.digits) for _ in range(18))


def new_main_auth_id() -> str:
    """A main account Auth ID: ``MA`` and 18 capital letters or digits."""
    return "MA" + "".join(secrets.choice(string.ascii_uppercase + string.digits) for _ in range(18))


def new_auth_token() -> str:
    """An Auth Token: 40 letters and digits."""
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(40))
