"""Plivo webhook signatures, V2 and V3, computed and checked without the plivo SDK.

Plivo signs every request it sends to your server (delivery reports, inbound messages, call events).
Switchboard's triggers check those signatures before trusting a request, and the simulator uses the
same functions to sign the callbacks it sends, so both sides of the sandbox agree byte for byte.

The algorithms follow Plivo's official SDKs (reference/plivo.md §4) and are pinned by their test vectors:

* V2 signs only ``scheme://netloc/path`` followed directly by the nonce; the query string and the body
  are not covered, so V2 cannot detect tampered parameters.
* V3 also signs the parameters: for GET the merged, sorted query (``k=v&...``); for POST the sorted URL
  query plus the sorted body parameters concatenated as ``k1v1k2v2``. The signed string ends in
  ``"." + nonce``.

Each header may carry several signatures separated by commas (one per active auth token); a request is
genuine when any of them matches. ``-Ma-`` headers are signed with the main account's token.
"""

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import parse_qs, urlsplit, urlunsplit

V2_SIGNATURE = "X-Plivo-Signature-V2"
V2_MAIN_ACCOUNT_SIGNATURE = "X-Plivo-Signature-Ma-V2"
V2_NONCE = "X-Plivo-Signature-V2-Nonce"
V3_SIGNATURE = "X-Plivo-Signature-V3"
V3_MAIN_ACCOUNT_SIGNATURE = "X-Plivo-Signature-Ma-V3"
V3_NONCE = "X-Plivo-Signature-V3-Nonce"

ParamValue = str | Sequence[str]
"""A request parameter: one value, or several when the key is repeated."""

Params = Mapping[str, ParamValue]
"""Decoded request parameters: form fields for POST, query parameters for GET."""


def new_nonce() -> str:
    """Return a fresh 20-digit nonce, shaped like the ones Plivo sends."""
    return "".join(secrets.choice("0123456789") for _ in range(20))


def base_url(url: str) -> str:
    """Return ``scheme://netloc/path`` of a URL: the part both signature versions start from.

    The query and fragment are dropped; the port (part of netloc) is kept, and nothing is case-folded,
    exactly as Plivo's SDKs do.
    """
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def sign_v2(url: str, nonce: str, auth_token: str) -> str:
    """Compute the ``X-Plivo-Signature-V2`` value for a request to ``url``."""
    return _hmac_base64(auth_token, base_url(url) + nonce)


def verify_v2(url: str, nonce: str, signatures: str, auth_tokens: str | Iterable[str]) -> bool:
    """Tell whether any comma-separated signature in ``signatures`` is a V2 signature of ``url``."""
    return _matches_any(signatures, (sign_v2(url, nonce, token) for token in _usable_tokens(auth_tokens)))


def v3_signed_string(method: str, url: str, params: Params) -> str:
    """Return the string V3 signs (before ``"." + nonce``), so failures can be explained and tested.

    Raises ValueError for methods other than GET and POST, the only ones Plivo uses for callbacks.
    """
    verb = method.upper()
    if verb not in ("GET", "POST"):
        raise ValueError(f"Plivo signs GET and POST requests only, not {method!r}")
    query = _query_params(url)
    if verb == "GET":
        merged: dict[str, ParamValue] = {**params, **query}  # on a clash the URL's query wins, as in the SDK
        rendered = _sorted_query(merged)
        return base_url(url) + ("?" + rendered if rendered else "")
    rendered_query = _sorted_query(query)
    rendered_params = _sorted_concatenation(params)
    signed = base_url(url)
    if rendered_query or params:
        signed += "?" + rendered_query
    if rendered_query and params:
        signed += "."
    return signed + rendered_params


def sign_v3(method: str, url: str, params: Params, nonce: str, auth_token: str) -> str:
    """Compute the ``X-Plivo-Signature-V3`` value for a request with these parameters."""
    return _hmac_base64(auth_token, v3_signed_string(method, url, params) + "." + nonce)


def verify_v3(
    method: str,
    url: str,
    params: Params,
    nonce: str,
    signatures: str,
    auth_tokens: str | Iterable[str],
) -> bool:
    """Tell whether any comma-separated signature in ``signatures`` is a V3 signature of the request."""
    if method.upper() not in ("GET", "POST"):
        return False
    tokens = _usable_tokens(auth_tokens)
    return _matches_any(signatures, (sign_v3(method, url, params, nonce, token) for token in tokens))


def signature_headers(
    method: str,
    url: str,
    params: Params,
    auth_token: str,
    main_auth_token: str | None = None,
    *,
    versions: Iterable[str] = ("v2", "v3"),
) -> dict[str, str]:
    """Build the signature headers Plivo would attach to a callback (used by the simulator).

    ``auth_token`` is the token of the (sub)account that owns the number or message; the ``-Ma-``
    variants use ``main_auth_token`` (the same token when the owner is a main account).
    """
    main_token = main_auth_token or auth_token
    wanted = {version.lower() for version in versions}
    headers: dict[str, str] = {}
    if "v2" in wanted:
        nonce = new_nonce()
        headers[V2_SIGNATURE] = sign_v2(url, nonce, auth_token)
        headers[V2_MAIN_ACCOUNT_SIGNATURE] = sign_v2(url, nonce, main_token)
        headers[V2_NONCE] = nonce
    if "v3" in wanted:
        nonce = new_nonce()
        headers[V3_SIGNATURE] = sign_v3(method, url, params, nonce, auth_token)
        headers[V3_MAIN_ACCOUNT_SIGNATURE] = sign_v3(method, url, params, nonce, main_token)
        headers[V3_NONCE] = nonce
    return headers


def verify_request(
    method: str,
    url: str,
    params: Params,
    headers: Mapping[str, str],
    auth_tokens: str | Iterable[str],
) -> bool:
    """Tell whether a request really comes from Plivo, whichever signature family it carries.

    When V3 headers are present only V3 decides: V3 covers the parameters and V2 does not, so falling
    back to V2 would let a replayed V2 signature vouch for altered parameters. Both the plain and the
    ``-Ma-`` header are tried against every token given (pass the subaccount's and the main account's
    tokens when both may sign). Never raises: a malformed request is simply not genuine.
    """
    try:
        found = {name.lower(): value for name, value in headers.items()}
        tokens = _usable_tokens(auth_tokens)
        v3_signatures = _joined(found, V3_SIGNATURE, V3_MAIN_ACCOUNT_SIGNATURE)
        if v3_signatures:
            nonce = found.get(V3_NONCE.lower())
            return nonce is not None and verify_v3(method, url, params, nonce, v3_signatures, tokens)
        v2_signatures = _joined(found, V2_SIGNATURE, V2_MAIN_ACCOUNT_SIGNATURE)
        nonce = found.get(V2_NONCE.lower())
        return bool(v2_signatures) and nonce is not None and verify_v2(url, nonce, v2_signatures, tokens)
    except (ValueError, TypeError, UnicodeError):
        return False


def _hmac_base64(auth_token: str, message: str) -> str:
    digest = hmac.new(auth_token.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def _usable_tokens(auth_tokens: str | Iterable[str]) -> tuple[str, ...]:
    """Keep non-empty tokens: an empty HMAC key is public, so it must never validate anything."""
    tokens = (auth_tokens,) if isinstance(auth_tokens, str) else tuple(auth_tokens)
    return tuple(token for token in tokens if token)


def _matches_any(signatures: str, expected: Iterable[str]) -> bool:
    received = [candidate.strip().encode("utf-8", "replace") for candidate in signatures.split(",")]
    received = [candidate for candidate in received if candidate]
    return any(
        hmac.compare_digest(computed.encode("ascii"), candidate)
        for computed in expected
        for candidate in received
    )


def _joined(headers: Mapping[str, str], *names: str) -> str:
    return ",".join(headers[name.lower()] for name in names if headers.get(name.lower()))


def _query_params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def _values(value: ParamValue) -> list[str]:
    return [value] if isinstance(value, str) else sorted(value)


def _sorted_query(params: Params) -> str:
    """Render ``k=v`` pairs sorted by key (and repeated values sorted), joined with ``&``; no encoding."""
    return "&".join(f"{key}={value}" for key in sorted(params) for value in _values(params[key]))


def _sorted_concatenation(params: Params) -> str:
    """Render ``k1v1k2v2...`` sorted by key (and repeated values sorted), as V3 signs POST bodies."""
    return "".join(f"{key}{value}" for key in sorted(params) for value in _values(params[key]))
