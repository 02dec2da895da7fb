"""The Lookup API, which Plivo serves on another host: ``GET /v1/Number/{+E164}?type=carrier`` (§6).

Mounted on the simulator's own host, so a connector points its lookup base URL at the same server.
Country, formats and line type come from phonenumbers; mobile network codes are unknown (empty).
"""

import phonenumbers
from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from switchboard.sim.plivo.access import PlivoRoute, account_from_credentials
from switchboard.sim.plivo.errors import new_api_id
from switchboard.sim.plivo.inventory import carrier_name, facts_about, parse_plivo_number
from switchboard.sim.plivo.records import Account
from switchboard.sim.plivo.state import PlivoSimState

LINE_TYPES = {
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE: "fixed",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed",
    PhoneNumberType.VOIP: "voip",
    PhoneNumberType.TOLL_FREE: "toll-free",
}


def lookup_routes(state: PlivoSimState) -> APIRouter:
    """Routes of ``/v1/Number/{number}``."""
    router = APIRouter(route_class=PlivoRoute)
    authenticate = account_from_credentials(state)

    @router.get("/v1/Number/{number}")
    async def look_up(number: str, caller: Account = Depends(authenticate)) -> JSONResponse:
        parsed = parse_plivo_number(number)
        facts = facts_about(number)
        if parsed is None or facts is None:
            return JSONResponse(
                {
                    "api_id": new_api_id(),
                    "error_code": 404,
                    "message": f"{number!r} is not a valid phone number",
                },
                status_code=404,
            )
        e164 = phonenumbers.format_number(parsed, PhoneNumberFormat.E164)
        return JSONResponse(
            {
                "api_id": new_api_id(),
                "phone_number": e164,
                "country": {"name": facts.country, "iso2": facts.country_iso, "iso3": None},
                "format": {
                    "e164": e164,
                    "national": phonenumbers.format_number(parsed, PhoneNumberFormat.NATIONAL),
                    "international": phonenumbers.format_number(parsed, PhoneNumberFormat.INTERNATIONAL),
                    "rfc3966": phonenumbers.format_number(parsed, PhoneNumberFormat.RFC3966),
                },
                "carrier": {
                    "mobile_country_code": "",
                    "mobile_network_code": "",
                    "name": carrier_name(number) or None,
                    "type": LINE_TYPES.get(phonenumbers.number_type(parsed), "unknown"),
                    "ported": "unknown",
                },
                "resource_uri": f"/v1/Number/{e164}?type=carrier",
            }
        )

    return router
