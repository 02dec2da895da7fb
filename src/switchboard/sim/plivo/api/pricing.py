"""The Pricing API: ``GET /Pricing/?country_iso=US`` with the simulator's configured rates (§6)."""

import phonenumbers
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from switchboard.sim.plivo import params
from switchboard.sim.plivo.access import PlivoRoute, authenticator
from switchboard.sim.plivo.errors import bad_request, new_api_id
from switchboard.sim.plivo.inventory import country_name
from switchboard.sim.plivo.records import Account, amount
from switchboard.sim.plivo.state import PlivoSimState

PREFIX = "/v1/Account/{auth_id}"


def pricing_routes(state: PlivoSimState) -> APIRouter:
    """Routes of ``…/Pricing/``."""
    router = APIRouter(prefix=PREFIX, route_class=PlivoRoute)
    authenticate = authenticator(state)

    @router.get("/Pricing/")
    async def get_pricing(request: Request, caller: Account = Depends(authenticate)) -> JSONResponse:
        country_iso = params.required_text(dict(request.query_params), "country_iso").upper()
        name = country_name(country_iso)
        if name is None:
            raise bad_request(f"country_iso {country_iso} is not a valid country code")
        settings = state.settings
        country_code = phonenumbers.country_code_for_region(country_iso)
        outbound_sms = amount(settings.sms_rate)
        voice = amount(settings.call_rate_per_minute)
        return JSONResponse(
            {
                "api_id": new_api_id(),
                "country": name,
                "country_code": country_code,
                "country_iso": country_iso,
                "message": {
                    "inbound": {"rate": amount(settings.inbound_rate)},
                    "outbound": {"rate": outbound_sms},
                    "outbound_networks_list": [{"group_name": country_iso, "rate": outbound_sms}],
                },
                "phone_numbers": {
                    "local": {"rate": amount(settings.number_monthly_rate)},
                    "tollfree": {"rate": amount(settings.number_monthly_rate)},
                },
                "voice": {
                    "inbound": {"ip": {"rate": voice}, "local": {"rate": voice}, "tollfree": {"rate": voice}},
                    "outbound": {
                        "ip": {"rate": voice},
                        "local": {"rate": voice},
                        "rates": [{"prefix": [str(country_code)], "rate": voice}],
                        "tollfree": {"rate": voice},
                    },
                },
            }
        )

    return router
