"""Rented numbers (``/Number/``) and the number inventory (``/PhoneNumber/``), reference/plivo.md §6.

Linking a number to an application (``POST /Number/{number}/`` with ``app_id``) is what routes inbound
messages to the application's ``message_url``.
"""

import re

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from switchboard.sim.plivo import params
from switchboard.sim.plivo.access import PlivoRoute, authenticator
from switchboard.sim.plivo.errors import bad_request, new_api_id, not_found
from switchboard.sim.plivo.inventory import NumberFacts, country_name, stock, stock_holding
from switchboard.sim.plivo.paging import Page
from switchboard.sim.plivo.params import body_params
from switchboard.sim.plivo.records import Account, JsonObject, RentedNumber, amount
from switchboard.sim.plivo.state import PlivoSimState

PREFIX = "/v1/Account/{auth_id}"
SEARCH_KINDS = {"local": "fixed", "fixed": "fixed", "mobile": "mobile", "tollfree": "tollfree"}


def number_routes(state: PlivoSimState) -> APIRouter:
    """Routes of ``…/Number/…`` and ``…/PhoneNumber/…``."""
    router = APIRouter(prefix=PREFIX, route_class=PlivoRoute)
    authenticate = authenticator(state)

    def rented(caller: Account, number: str) -> RentedNumber:
        found = state.numbers.get(number.removeprefix("+"))
        if found is None or not state.can_see(caller, found.owner_auth_id, found.subaccount):
            raise not_found()
        return found

    @router.get("/Number/")
    async def list_numbers(request: Request, caller: Account = Depends(authenticate)) -> JSONResponse:
        query = dict(request.query_params)
        found = [
            number
            for number in state.numbers.values()
            if state.can_see(caller, number.owner_auth_id, number.subaccount)
            and _number_matches(number, query)
        ]
        objects = [number.body() for number in found]
        return JSONResponse(Page.from_query(query).body(objects, request.url.path, query))

    @router.get("/Number/{number}/")
    async def get_number(number: str, caller: Account = Depends(authenticate)) -> JSONResponse:
        return JSONResponse({"api_id": new_api_id(), **rented(caller, number).body()})

    @router.post("/Number/{number}/")
    async def update_number(
        request: Request, number: str, caller: Account = Depends(authenticate)
    ) -> JSONResponse:
        found = rented(caller, number)
        body = await body_params(request)
        if "app_id" in body:
            app_id = params.text(body, "app_id") or None
            if app_id is not None and app_id not in state.applications:
                raise bad_request(f"application {app_id} does not exist")
            found.app_id = app_id
        if "alias" in body:
            found.alias = params.text(body, "alias")
        if "subaccount" in body:
            found.subaccount = _subaccount_of(state, caller, params.text(body, "subaccount"))
        return JSONResponse({"api_id": new_api_id(), "message": "changed"}, status_code=202)

    @router.delete("/Number/{number}/")
    async def unrent_number(number: str, caller: Account = Depends(authenticate)) -> Response:
        del state.numbers[rented(caller, number).number]
        return Response(status_code=204)

    @router.get("/PhoneNumber/")
    async def search_numbers(request: Request, caller: Account = Depends(authenticate)) -> JSONResponse:
        query = dict(request.query_params)
        country_iso = params.required_text(query, "country_iso").upper()
        if country_name(country_iso) is None:
            raise bad_request(f"country_iso {country_iso} is not a valid country code")
        objects = [
            _listing(state, caller, facts)
            for facts in stock(country_iso)
            if facts.number not in state.numbers and _listing_matches(facts, query)
        ]
        return JSONResponse(Page.from_query(query).body(objects, request.url.path, query))

    @router.post("/PhoneNumber/{number}/")
    async def buy_number(
        request: Request, number: str, caller: Account = Depends(authenticate)
    ) -> JSONResponse:
        digits = number.removeprefix("+")
        for_sale = next((facts for facts in stock_holding(digits) if facts.number == digits), None)
        if for_sale is None or digits in state.numbers:
            raise not_found()
        body = await body_params(request)
        app_id = params.text(body, "app_id") or None
        if app_id is not None and app_id not in state.applications:
            raise bad_request(f"application {app_id} does not exist")
        state.rent_number(caller, digits, app_id)
        return JSONResponse(
            {
                "api_id": new_api_id(),
                "message": "created",
                "numbers": [{"number": digits, "status": "Success"}],
                "status": "fulfilled",
            },
            status_code=201,
        )

    return router


def _subaccount_of(state: PlivoSimState, caller: Account, subaccount: str | None) -> str | None:
    if not subaccount:
        return None
    account = state.accounts.get(subaccount)
    if account is None or account.parent_auth_id != caller.main_auth_id:
        raise bad_request(f"subaccount {subaccount} does not exist")
    return subaccount


def _number_matches(number: RentedNumber, query: dict[str, str]) -> bool:
    if "number_startswith" in query and not number.number.startswith(query["number_startswith"].lstrip("+")):
        return False
    if "type" in query and number.number_type != query["type"]:
        return False
    if "subaccount" in query and number.subaccount != query["subaccount"]:
        return False
    return not ("alias" in query and number.alias != query["alias"])


def _listing_matches(facts: NumberFacts, query: dict[str, str]) -> bool:
    """Filter the stock by ``type`` and ``pattern`` (digits after the country code; ``*`` any digit)."""
    wanted_kind = query.get("type")
    if wanted_kind and SEARCH_KINDS.get(wanted_kind) != facts.kind:
        return False
    pattern = query.get("pattern")
    if not pattern:
        return True
    return re.match(re.escape(pattern).replace(r"\*", r"\d"), facts.national) is not None


def _listing(state: PlivoSimState, caller: Account, facts: NumberFacts) -> JsonObject:
    return {
        "country": facts.country.upper(),
        "lata": None,
        "monthly_rental_rate": amount(state.settings.number_monthly_rate),
        "number": facts.number,
        "prefix": facts.prefix,
        "rate_center": None,
        "region": facts.country,
        "resource_uri": f"/v1/Account/{caller.auth_id}/PhoneNumber/{facts.number}/",
        "restriction": None,
        "restriction_text": None,
        "setup_rate": "0.00000",
        "sms_enabled": True,
        "sms_rate": amount(state.settings.inbound_rate),
        "type": facts.kind,
        "voice_enabled": True,
        "voice_rate": "0.00500",
    }
