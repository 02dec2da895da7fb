"""`storage`: values kept between steps, runs and workflows, in the database.

Scopes, as in Tray: `run` (this run only), `workflow` (every run of this workflow) and `account`
(every workflow). Stored values are visible in the journal: keep credentials in authentications.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from switchboard.connectors.base import Connector, Context, Input, Output, RunServices, StorageScope
from switchboard.errors import OperationFailed

connector = Connector("storage", title="Data Storage", description="Keep values between steps and runs.")


class Key(Input):
    key: str = Field(min_length=1, max_length=255)
    scope: StorageScope = "run"


class GetInput(Key):
    default_value: Any = None


class SetInput(Key):
    value: Any


class AppendInput(Key):
    value: Any
    create_if_missing: bool = True


class Value(Output):
    value: Any
    found: bool = True


class Deleted(Output):
    deleted: bool


def _services(ctx: Context[None]) -> RunServices:
    if ctx.services is None:
        raise OperationFailed("storage needs a process that keeps data (switchboard run or serve)")
    return ctx.services


@connector.operation("get", title="Get value", repeat_safe=True)
async def get(data: GetInput, ctx: Context[None]) -> Value:
    """The stored value, or `default_value` (with `found: false`) when the key is not set."""
    found, value = await _services(ctx).storage_get(data.scope, data.key)
    return Value(value=value if found else data.default_value, found=found)


@connector.operation("set", title="Set value", repeat_safe=True)
async def set_value(data: SetInput, ctx: Context[None]) -> Value:
    """Store a value under the key, replacing what was there."""
    await _services(ctx).storage_put(data.scope, data.key, data.value)
    return Value(value=data.value)


@connector.operation("append_to_list", title="Append to list", repeat_safe=False)
async def append_to_list(data: AppendInput, ctx: Context[None]) -> Value:
    """Add to the end of the list at the key, atomically; repeating it would add the value twice."""
    updated = await _services(ctx).storage_append(
        data.scope, data.key, data.value, create=data.create_if_missing
    )
    return Value(value=updated)


@connector.operation("delete", title="Delete value", repeat_safe=True)
async def delete(data: Key, ctx: Context[None]) -> Deleted:
    return Deleted(deleted=await _services(ctx).storage_delete(data.scope, data.key))
