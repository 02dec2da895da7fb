"""Plivo's Lookup API: what a number is (country, formats, carrier, line type), on Plivo's lookup host."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field

from switchboard.connectors.base import Context, Input, Output

from . import addresses
from .auth import PlivoAuth
from .client import path_segment, plivo_api
from .connector import connector


class LookupNumber(Input):
    """The number to look up."""

    number: Annotated[str, AfterValidator(addresses.e164)] = Field(
        description="The number in E.164 (+14155550100); '+' may be left out."
    )
    type: Literal["carrier"] = Field(default="carrier", description="What to look up (Plivo offers carrier).")


class NumberFacts(Output):
    """What Plivo knows about a number."""

    api_id: str | None = None
    phone_number: str = Field(description="The number in E.164.")
    country: dict[str, Any] | None = Field(default=None, description="name, iso2, iso3.")
    format: dict[str, Any] | None = Field(default=None, description="e164, national, international, rfc3966.")
    carrier: dict[str, Any] | None = Field(
        default=None,
        description="name, type (mobile, fixed, voip, toll-free...), ported, mobile country/network codes.",
    )
    resource_uri: str | None = None


@connector.operation("lookup_number", title="Look up a number", repeat_safe=True)
async def lookup_number(data: LookupNumber, ctx: Context[PlivoAuth]) -> NumberFacts:
    """Find a number's country, formats, carrier and line type (billed per lookup by Plivo)."""
    url = f"{ctx.auth.lookup_root}/v1/Number/{path_segment(data.number)}"
    return NumberFacts.model_validate(await plivo_api(ctx).get(url, {"type": data.type}))


class GetPricing(Input):
    """Which country's prices."""

    country_iso: str = Field(pattern=r"^[A-Za-z]{2}$", description="The country, e.g. US or GB.")


class Pricing(Output):
    """Plivo's prices for one country (USD)."""

    api_id: str | None = None
    country: str | None = None
    country_code: int | None = None
    country_iso: str | None = None
    message: dict[str, Any] | None = Field(default=None, description="Inbound and outbound SMS rates.")
    phone_numbers: dict[str, Any] | None = Field(
        default=None, description="Monthly rental, local and toll-free."
    )
    voice: dict[str, Any] | None = Field(
        default=None, description="Inbound and outbound call rates per minute."
    )


@connector.operation("get_pricing", title="Get prices for a country", repeat_safe=True)
async def get_pricing(data: GetPricing, ctx: Context[PlivoAuth]) -> Pricing:
    """Read Plivo's SMS, voice and number prices for a country."""
    return Pricing.model_validate(
        await plivo_api(ctx).get("Pricing/", {"country_iso": data.country_iso.upper()})
    )
