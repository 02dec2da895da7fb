"""The Call API: make (201 "call fired"), get, list, live calls and hang up (204); reference/plivo.md §6.

The simulator answers every call at once (it requests ``answer_url`` but ignores the XML) and keeps it
live until it is hung up; the call detail record (``GET /Call/{uuid}/``) exists once the call ended.
Making calls is not counted against the 300 requests / 5 s limit, as on Plivo.
"""

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from switchboard.sim.plivo import lifecycle, params
from switchboard.sim.plivo.access import PlivoRoute, authenticator
from switchboard.sim.plivo.errors import (
    ALL_DESTINATIONS_INVALID,
    bad_request,
    invalid_number,
    new_api_id,
    not_found,
)
from switchboard.sim.plivo.identifiers import new_uuid
from switchboard.sim.plivo.inventory import parse_plivo_number
from switchboard.sim.plivo.paging import Page
from switchboard.sim.plivo.params import body_params
from switchboard.sim.plivo.records import Account, Call, now
from switchboard.sim.plivo.state import PlivoSimState

PREFIX = "/v1/Account/{auth_id}"


def call_routes(state: PlivoSimState) -> APIRouter:
    """Routes of ``…/Call/…``."""
    router = APIRouter(prefix=PREFIX, route_class=PlivoRoute)
    authenticate = authenticator(state)
    authenticate_unlimited = authenticator(state, rate_limited=False)

    def visible(caller: Account, call_uuid: str) -> Call:
        call = state.calls.get(call_uuid)
        if call is None or not state.can_see(caller, call.owner_auth_id):
            raise not_found()
        return call

    @router.post("/Call/")
    async def make_call(request: Request, caller: Account = Depends(authenticate_unlimited)) -> JSONResponse:
        body = await body_params(request)
        source = params.required_text(body, "from").removeprefix("+")
        destinations = _destinations(params.required_text(body, "to"))
        answer_url = params.url(body, "answer_url")
        if answer_url is None:
            raise bad_request("missing mandatory parameter: answer_url")
        uuids: list[str] = []
        for destination in destinations:
            call = Call(
                call_uuid=new_uuid(),
                owner_auth_id=caller.auth_id,
                from_number=source,
                to_number=destination,
                answer_url=answer_url,
                answer_method=params.http_method(body, "answer_method"),
                hangup_url=params.url(body, "hangup_url"),
                hangup_method=params.http_method(body, "hangup_method"),
                caller_name=params.text(body, "caller_name", "") or "",
                rate=state.settings.call_rate_per_minute,
            )
            state.calls[call.call_uuid] = call
            lifecycle.announce_call(state, call, caller)
            uuids.append(call.call_uuid)
        request_uuid: str | list[str] = uuids[0] if len(uuids) == 1 else uuids
        return JSONResponse(
            {"api_id": new_api_id(), "message": "call fired", "request_uuid": request_uuid}, status_code=201
        )

    @router.get("/Call/")
    async def list_calls(request: Request, caller: Account = Depends(authenticate)) -> JSONResponse:
        query = dict(request.query_params)
        visible_calls = [call for call in state.calls.values() if state.can_see(caller, call.owner_auth_id)]
        if query.get("status") == "live":
            live = [call.call_uuid for call in visible_calls if call.status == "in-progress"]
            return JSONResponse({"api_id": new_api_id(), "calls": live})
        ended = sorted(
            (call for call in visible_calls if call.status == "completed"),
            key=lambda call: call.initiated_at,
            reverse=True,
        )
        objects = [call.cdr() for call in ended]
        return JSONResponse(Page.from_query(query).body(objects, request.url.path, query))

    @router.get("/Call/{call_uuid}/")
    async def get_call(
        request: Request, call_uuid: str, caller: Account = Depends(authenticate)
    ) -> JSONResponse:
        call = visible(caller, call_uuid)
        wants_live = request.query_params.get("status") == "live"
        if wants_live and call.status == "in-progress":
            return JSONResponse({"api_id": new_api_id(), **call.live_body()})
        if not wants_live and call.status == "completed":
            return JSONResponse({"api_id": new_api_id(), **call.cdr()})
        raise not_found()

    @router.delete("/Call/{call_uuid}/")
    async def hang_up(call_uuid: str, caller: Account = Depends(authenticate)) -> Response:
        call = visible(caller, call_uuid)
        if call.status != "in-progress":
            raise not_found()
        call.status = "completed"
        call.ended_at = now()
        lifecycle.finish_call(state, call, caller)
        return Response(status_code=204)

    return router


def _destinations(raw: str) -> list[str]:
    numbers = [part.strip().removeprefix("+") for part in raw.split("<") if part.strip()]
    valid = [number for number in numbers if parse_plivo_number(number) is not None]
    if not valid:
        raise bad_request(invalid_number(numbers[0]) if len(numbers) == 1 else ALL_DESTINATIONS_INVALID)
    return valid
