"""The Account API: the account itself (also the authentication test) and its subaccounts.

A subaccount's Auth Token is a credential of its own. Plivo returns it when a subaccount is created or
listed; it is left out of the step's output unless asked for, because the output is written to the run
journal, where only the step's own authentication is redacted.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from switchboard.connectors.base import Context, Input, Output

from .auth import PlivoAuth
from .client import plivo_api
from .connector import connector
from .paging import Paging, collect


class NoInput(Input):
    """This operation takes no input."""


class Account(Output):
    """The account behind the authentication."""

    auth_id: str
    name: str | None = None
    account_type: str | None = Field(default=None, description="standard or developer.")
    billing_mode: str | None = Field(default=None, description="prepaid or postpaid.")
    cash_credits: str | None = Field(default=None, description="Balance in USD.")
    auto_recharge: bool | None = None
    timezone: str | None = None
    address: str | None = None
    city: str | None = None
    state: str | None = None
    resource_uri: str | None = None
    api_id: str | None = None


@connector.operation("get_account", title="Get the account", repeat_safe=True)
async def get_account(data: NoInput, ctx: Context[PlivoAuth]) -> Account:
    """Read the account: name, type, billing mode and cash balance."""
    return await _read_account(ctx)


@connector.test
async def check_authentication(ctx: Context[PlivoAuth]) -> str:
    """Read the account: Plivo answers 401 when the Auth ID and Auth Token do not match."""
    account = await _read_account(ctx)
    balance = f", balance {account.cash_credits} USD" if account.cash_credits is not None else ""
    return f"Plivo account {account.name or account.auth_id!r} ({account.auth_id}){balance}"


class Subaccount(Output):
    """A subaccount: its own credentials, billed to the main account."""

    auth_id: str
    name: str | None = None
    enabled: bool | None = None
    created: str | None = None
    modified: str | None = None
    resource_uri: str | None = None
    auth_token: str | None = Field(default=None, description="Only when include_auth_tokens is true.")


class ListSubaccounts(Paging):
    """Which subaccounts to read, and whether to show their tokens."""

    include_auth_tokens: bool = Field(
        default=False,
        description="Include each subaccount's Auth Token (it is then kept in the run's record).",
    )

    def filters(self) -> dict[str, str | int | float | bool]:
        return {}


class SubaccountList(Output):
    """The main account's subaccounts."""

    subaccounts: list[Subaccount]
    count: int
    total_count: int | None = None
    has_more: bool


@connector.operation("list_subaccounts", title="List subaccounts", repeat_safe=True)
async def list_subaccounts(data: ListSubaccounts, ctx: Context[PlivoAuth]) -> SubaccountList:
    """List the subaccounts of the main account (a subaccount's authentication may not)."""
    found = await collect(plivo_api(ctx), "Subaccount/", data)
    subaccounts = [_subaccount(record, data.include_auth_tokens) for record in found.objects]
    return SubaccountList(
        subaccounts=subaccounts,
        count=len(subaccounts),
        total_count=found.total_count,
        has_more=found.has_more,
    )


class CreateSubaccount(Input):
    """A new subaccount."""

    name: str = Field(min_length=1, description="A name to recognise it by.")
    enabled: bool = Field(default=False, description="Whether it may be used at once (Plivo's default: no).")
    include_auth_token: bool = Field(
        default=False,
        description="Include the new Auth Token in the output (it is then kept in the run's record).",
    )


class SubaccountCreated(Output):
    """The new subaccount's Auth ID (and token, when asked for)."""

    api_id: str | None = None
    auth_id: str
    message: str = ""
    auth_token: str | None = None


@connector.operation("create_subaccount", title="Create a subaccount", repeat_safe=False)
async def create_subaccount(data: CreateSubaccount, ctx: Context[PlivoAuth]) -> SubaccountCreated:
    """Create a subaccount with its own credentials; charges go to the main account."""
    answer = await plivo_api(ctx).post("Subaccount/", {"name": data.name, "enabled": data.enabled})
    if not data.include_auth_token:
        answer.pop("auth_token", None)
    return SubaccountCreated.model_validate(answer)


async def _read_account(ctx: Context[PlivoAuth]) -> Account:
    return Account.model_validate(await plivo_api(ctx).get(""))


def _subaccount(record: dict[str, Any], with_token: bool) -> Subaccount:
    secret = ("auth_token", "new_auth_token")
    kept = {name: value for name, value in record.items() if with_token or name not in secret}
    return Subaccount.model_validate(kept)
