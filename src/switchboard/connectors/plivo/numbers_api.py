"""Phone numbers: the ones the account rents (``Number/``) and the ones Plivo sells (``PhoneNumber/``)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from switchboard.connectors.base import Context, Input, Output

from . import addresses
from .acknowledgements import Changed
from .auth import PlivoAuth
from .client import path_segment, plivo_api
from .connector import connector
from .paging import Paging, collect

CNAM = "Caller name lookup on incoming calls (US numbers)."
PlivoNumber = Annotated[
    str,
    AfterValidator(addresses.plivo_digits),
    Field(description="The number, with or without '+' (Plivo writes it without)."),
]


class RentedNumber(Output):
    """A number the account rents, and where its calls and messages go."""

    number: str
    alias: str | None = None
    number_type: str | None = Field(default=None, description="local, mobile, tollfree...")
    application: str | None = Field(default=None, description="The application's resource URI, if any.")
    country: str | None = None
    region: str | None = None
    sms_enabled: bool | None = None
    mms_enabled: bool | None = None
    voice_enabled: bool | None = None
    monthly_rental_rate: str | None = None
    renewal_date: str | None = None
    sub_account: str | None = None


class ListNumbers(Paging):
    """Plivo's filters for rented numbers."""

    type: Literal["local", "mobile", "tollfree", "national", "fixed"] | None = Field(
        default=None, description="Only numbers of this type."
    )
    number_startswith: str | None = Field(default=None, description="Digits the number starts with.")
    subaccount: str | None = Field(default=None, description="Only numbers assigned to this subaccount.")
    alias: str | None = Field(default=None, description="Only the number with this alias.")
    services: str | None = Field(default=None, description="voice, sms, mms or combinations like voice,sms.")
    renewal_date: str | None = Field(default=None, description="YYYY-MM-DD.")
    renewal_date__gt: str | None = Field(default=None, description="Renewed after this date.")
    renewal_date__gte: str | None = Field(default=None, description="Renewed on or after this date.")
    renewal_date__lt: str | None = Field(default=None, description="Renewed before this date.")
    renewal_date__lte: str | None = Field(default=None, description="Renewed on or before this date.")
    cnam_lookup: Literal["enabled", "disabled"] | None = Field(default=None, description=CNAM)


class NumberList(Output):
    """Rented numbers."""

    numbers: list[RentedNumber]
    count: int
    total_count: int | None = None
    has_more: bool


@connector.operation("list_numbers", title="List your numbers", repeat_safe=True)
async def list_numbers(data: ListNumbers, ctx: Context[PlivoAuth]) -> NumberList:
    """List the numbers the account rents."""
    found = await collect(plivo_api(ctx), "Number/", data)
    numbers = [RentedNumber.model_validate(record) for record in found.objects]
    return NumberList(
        numbers=numbers, count=len(numbers), total_count=found.total_count, has_more=found.has_more
    )


class SearchPhoneNumbers(Paging):
    """What kind of number to look for."""

    country_iso: str = Field(min_length=2, max_length=2, description="The country, e.g. US or GB.")
    type: Literal["local", "mobile", "tollfree", "fixed", "national", "any"] | None = Field(
        default=None, description="The kind of number."
    )
    pattern: str | None = Field(
        default=None, description="Digits after the country code the number starts with."
    )
    region: str | None = Field(default=None, description="A state or region name.")
    services: str | None = Field(default=None, description="voice, sms, mms or combinations like voice,sms.")
    lata: str | None = Field(default=None, description="US: the LATA the number belongs to.")
    rate_center: str | None = Field(default=None, description="US: the rate center.")
    city: str | None = Field(default=None, description="The city.")


class NumberForSale(Output):
    """A number Plivo offers."""

    number: str
    type: str | None = None
    country: str | None = None
    region: str | None = None
    prefix: str | None = None
    monthly_rental_rate: str | None = None
    setup_rate: str | None = None
    sms_enabled: bool | None = None
    voice_enabled: bool | None = None


class NumbersForSale(Output):
    """Numbers Plivo offers that match the search."""

    numbers: list[NumberForSale]
    count: int
    total_count: int | None = None
    has_more: bool


@connector.operation("search_phone_numbers", title="Search numbers to buy", repeat_safe=True)
async def search_phone_numbers(data: SearchPhoneNumbers, ctx: Context[PlivoAuth]) -> NumbersForSale:
    """Search the numbers Plivo sells in a country, by type and digits."""
    found = await collect(plivo_api(ctx), "PhoneNumber/", data)
    numbers = [NumberForSale.model_validate(record) for record in found.objects]
    return NumbersForSale(
        numbers=numbers, count=len(numbers), total_count=found.total_count, has_more=found.has_more
    )


class BuyNumber(Input):
    """The number to rent, and the application to route it to."""

    number: PlivoNumber
    app_id: str | None = Field(default=None, description="Route its calls and messages to this application.")
    cnam_lookup: Literal["enabled", "disabled"] | None = Field(default=None, description=CNAM)


class NumberBought(Output):
    """Plivo's answer to a purchase."""

    api_id: str | None = None
    message: str = ""
    status: str | None = Field(default=None, description="fulfilled, or pending when Plivo must verify it.")
    numbers: list[dict[str, str]] = Field(default_factory=list, description="Each number and its status.")


@connector.operation("buy_phone_number", title="Buy a number", repeat_safe=False)
async def buy_phone_number(data: BuyNumber, ctx: Context[PlivoAuth]) -> NumberBought:
    """Rent a number found with search_phone_numbers (it is billed monthly)."""
    body = data.model_dump(exclude={"number"}, exclude_none=True)
    answer = await plivo_api(ctx).post(f"PhoneNumber/{path_segment(data.number)}/", body)
    return NumberBought.model_validate(answer)


class NumberId(Input):
    """Which rented number."""

    number: PlivoNumber


class NumberReleased(Output):
    """The number given back to Plivo."""

    number: str
    unrented: bool = True


@connector.operation("unrent_number", title="Release a number", repeat_safe=False)
async def unrent_number(data: NumberId, ctx: Context[PlivoAuth]) -> NumberReleased:
    """Give a rented number back to Plivo; it stops receiving calls and messages at once."""
    await plivo_api(ctx).delete(f"Number/{path_segment(data.number)}/")
    return NumberReleased(number=data.number)


class UpdateNumber(NumberId):
    """What to change about a rented number; fields left out stay as they are."""

    app_id: str | None = Field(default=None, description="The application its calls and messages go to.")
    subaccount: str | None = Field(default=None, description="The subaccount (Auth ID) to assign it to.")
    alias: str | None = Field(default=None, description="A name to recognise it by.")
    cnam_lookup: Literal["enabled", "disabled"] | None = Field(default=None, description=CNAM)


@connector.operation("update_number", title="Update a number", repeat_safe=False)
async def update_number(data: UpdateNumber, ctx: Context[PlivoAuth]) -> Changed:
    """Route a rented number to an application, assign it to a subaccount, or rename it."""
    body = data.model_dump(exclude={"number"}, exclude_none=True)
    return Changed.model_validate(await plivo_api(ctx).post(f"Number/{path_segment(data.number)}/", body))
