"""http-client: call any HTTP API from a workflow, one operation per method as in Tray.

``get_request``, ``post_request``, ``put_request``, ``patch_request``, ``delete_request`` and
``head_request`` take a URL (or a path under the authentication's ``base_url``), headers, query,
one body (``{json}``, ``{form}`` or ``{raw, content_type}``), the expected status range, whether to
follow redirects and a timeout, and output ``{status_code, headers, body}``. The authentication is
optional: Basic, Bearer or a custom header. Link-local and cloud metadata addresses are refused
unless the authentication allows private networks (see ``destinations``); loopback is allowed.

Register with ``http-client = "switchboard.connectors.http_client:connector"`` in the
``switchboard.connectors`` entry-point group.
"""

from . import operations
from .auth import HttpAuth
from .connector import connector
from .destinations import check_destination, refusal
from .inputs import HttpRequest, StatusRange
from .responses import HttpResponse

__all__ = [
    "HttpAuth",
    "HttpRequest",
    "HttpResponse",
    "StatusRange",
    "check_destination",
    "connector",
    "operations",
    "refusal",
]
