"""Signed HTTP callbacks to users' servers, retried the way Plivo retries them.

Plivo sends form data for POST and query parameters for GET, signs each request with the V2 and V3
header families (reference/plivo.md §3-4), waits up to 8 seconds for an answer, and retries a non-2xx
answer or a timeout up to three times, 60, 120 and 240 seconds later. The simulator does the same, with
the delays multiplied by ``time_scale``; every attempt is recorded for tests and the sandbox UI.
"""

import asyncio
from typing import Literal

import httpx

from switchboard.connectors.plivo.signatures import signature_headers
from switchboard.sim.plivo.records import Account, CallbackAttempt
from switchboard.sim.plivo.state import PlivoSimState

CallbackKind = Literal["message_status", "inbound_message", "call"]


async def send_callback(
    state: PlivoSimState,
    kind: CallbackKind,
    url: str,
    method: str,
    params: dict[str, str],
    signer: Account,
    *,
    retry: bool = True,
) -> bool:
    """Send one callback, retrying on failure when ``retry``; return whether a 2xx answer came back.

    ``signer`` is the (sub)account whose token signs the ``-V2``/``-V3`` headers; its main account's
    token signs the ``-Ma-`` headers.
    """
    verb = "GET" if method.upper() == "GET" else "POST"
    retry_delays = state.settings.callback_retry_delays if retry else ()
    for attempt, delay in enumerate((0.0, *retry_delays), start=1):
        if delay:
            await asyncio.sleep(state.settings.scaled(delay))
        record = CallbackAttempt(kind=kind, url=url, method=verb, params=params, headers={}, attempt=attempt)
        await _attempt(state, record, signer)
        if record.succeeded:
            return True
    return False


async def _attempt(state: PlivoSimState, record: CallbackAttempt, signer: Account) -> None:
    """Send one attempt and record it, with the headers it carried and the answer or the error."""
    url, params = record.url, record.params
    main_token = state.main_account_of(signer).auth_token
    state.callbacks.append(record)
    client = state.http_client()
    timeout = httpx.Timeout(state.settings.callback_timeout)
    try:
        if record.method == "GET":
            record.url = str(httpx.URL(url).copy_merge_params(params))
            record.headers = _signed(state, "GET", record.url, {}, signer.auth_token, main_token)
            request = client.build_request("GET", record.url, headers=record.headers, timeout=timeout)
        else:
            record.headers = _signed(state, "POST", url, params, signer.auth_token, main_token)
            request = client.build_request("POST", url, data=params, headers=record.headers, timeout=timeout)
        response = await client.send(request)
        record.status_code = response.status_code
    except (httpx.HTTPError, httpx.InvalidURL) as error:
        record.error = f"{type(error).__name__}: {error}"


def _signed(
    state: PlivoSimState, method: str, url: str, params: dict[str, str], token: str, main_token: str
) -> dict[str, str]:
    return signature_headers(
        method, url, params, token, main_token, versions=state.settings.signature_versions
    )
