"""The Message API: send (202), get, list with filters and paging, and MMS media.

Paths and bodies follow reference/plivo.md §2: one ``message_uuid`` per valid destination, an
``invalid_number`` list for the others; lists default to the last 24 hours and have their own limit
of 20 requests per minute.
"""

import operator
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from switchboard.sim.plivo import lifecycle
from switchboard.sim.plivo.access import PlivoRoute, authenticator
from switchboard.sim.plivo.errors import TOO_MANY_REQUESTS, PlivoApiError, bad_request, new_api_id, not_found
from switchboard.sim.plivo.identifiers import new_uuid
from switchboard.sim.plivo.paging import Page
from switchboard.sim.plivo.params import body_params
from switchboard.sim.plivo.records import Account, Media, Message, now
from switchboard.sim.plivo.sending import read_send_request
from switchboard.sim.plivo.state import PlivoSimState

PREFIX = "/v1/Account/{auth_id}"
EXACT_FILTERS = ("message_direction", "message_state", "message_type", "error_code", "powerpack_id")
TIME_FILTERS: dict[str, Callable[[datetime, datetime], bool]] = {
    "message_time": lambda sent, bound: sent.replace(microsecond=0) == bound,
    "message_time__gt": operator.gt,
    "message_time__gte": operator.ge,
    "message_time__lt": operator.lt,
    "message_time__lte": operator.le,
}


def message_routes(state: PlivoSimState) -> APIRouter:
    """Routes of ``/v1/Account/{auth_id}/Message/…``."""
    router = APIRouter(prefix=PREFIX, route_class=PlivoRoute)
    authenticate = authenticator(state)

    @router.post("/Message/")
    async def send_message(request: Request, caller: Account = Depends(authenticate)) -> JSONResponse:
        send = read_send_request(state, caller, await body_params(request))
        uuids: list[str] = []
        for destination in send.destinations:
            message = Message(
                uuid=new_uuid(),
                owner_auth_id=caller.auth_id,
                main_auth_id=caller.main_auth_id,
                direction="outbound",
                message_type=send.message_type,
                from_number=send.source,
                to_number=destination,
                text=send.text,
                units=send.units,
                rate=send.rate,
                state="queued",
                callback_url=send.callback_url,
                callback_method=send.callback_method,
                powerpack_uuid=send.powerpack_uuid,
                expiry_seconds=send.expiry_seconds,
                media=[Media(new_uuid(), media_url) for media_url in send.media_urls],
            )
            lifecycle.start_outbound(state, message, caller)
            uuids.append(message.uuid)
        body: dict[str, object] = {
            "api_id": new_api_id(),
            "message": "message(s) queued",
            "message_uuid": uuids,
        }
        if send.invalid_destinations:
            body["invalid_number"] = send.invalid_destinations
        return JSONResponse(body, status_code=202)

    @router.get("/Message/")
    async def list_messages(request: Request, caller: Account = Depends(authenticate)) -> JSONResponse:
        settings = state.settings
        if not state.message_list_limiter.allow(caller.main_auth_id, settings.list_messages_per_minute, 60.0):
            raise PlivoApiError(429, TOO_MANY_REQUESTS)
        query = dict(request.query_params)
        page = Page.from_query(query)
        found = [message for message in state.messages.values() if _matches(state, caller, message, query)]
        found.sort(key=lambda message: message.created_at, reverse=True)
        return JSONResponse(page.body([message.mdr() for message in found], request.url.path, query))

    @router.get("/Message/{message_uuid}/")
    async def get_message(message_uuid: str, caller: Account = Depends(authenticate)) -> JSONResponse:
        message = _visible_message(state, caller, message_uuid)
        return JSONResponse({"api_id": new_api_id(), **message.mdr()})

    @router.get("/Message/{message_uuid}/Media/")
    async def list_media(
        request: Request, message_uuid: str, caller: Account = Depends(authenticate)
    ) -> JSONResponse:
        message = _visible_message(state, caller, message_uuid)
        api_root = str(request.base_url)
        return JSONResponse(
            {
                "api_id": new_api_id(),
                "message_uuid": message.uuid,
                "objects": [message.media_body(media, api_root) for media in message.media],
            }
        )

    @router.get("/Message/{message_uuid}/Media/{media_id}/")
    async def get_media(
        request: Request, message_uuid: str, media_id: str, caller: Account = Depends(authenticate)
    ) -> JSONResponse:
        message = _visible_message(state, caller, message_uuid)
        for media in message.media:
            if media.media_id == media_id:
                return JSONResponse(
                    {"api_id": new_api_id(), **message.media_body(media, str(request.base_url))}
                )
        raise not_found()

    return router


def _visible_message(state: PlivoSimState, caller: Account, message_uuid: str) -> Message:
    message = state.messages.get(message_uuid)
    if message is None or not state.can_see(caller, message.owner_auth_id):
        raise not_found()
    return message


def _matches(state: PlivoSimState, caller: Account, message: Message, query: dict[str, str]) -> bool:
    """Apply the documented list filters; without a time filter only the last 24 hours are listed."""
    if not state.can_see(caller, message.owner_auth_id):
        return False
    subaccount = query.get("subaccount")
    if subaccount and message.owner_auth_id != subaccount:
        return False
    mdr = message.mdr()
    for name in EXACT_FILTERS:
        if name in query and str(mdr.get(name)) != query[name]:
            return False
    for name in ("from_number", "to_number"):
        if name in query and mdr[name] != query[name].strip().removeprefix("+"):
            return False
    time_filters = {name: _time(query[name], name) for name in TIME_FILTERS if name in query}
    if not time_filters:
        window = timedelta(hours=state.settings.message_list_window_hours)
        return message.created_at >= now() - window
    return all(TIME_FILTERS[name](message.created_at, bound) for name, bound in time_filters.items())


def _time(value: str, name: str) -> datetime:
    """Read ``YYYY-MM-DD HH:MM[:ss[.uuuuuu]]`` (UTC), the format of the list filters."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise bad_request(f"{name} must look like YYYY-MM-DD HH:MM[:ss[.uuuuuu]]") from error
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
