"""What a run gets from the process that runs it: answers to its caller, storage, calling workflows."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from switchboard.connectors.base import StorageScope
from switchboard.errors import OperationFailed
from switchboard.store.storage import KeyValueStore

CALL_CHAIN = "#call_chain"
"""Key of a callable run's trigger data listing the workflows that called it, outermost first."""

ACCOUNT = "account"


class Reply:
    """The one answer a run gives to whoever waits for it (an HTTP request or a calling workflow)."""

    def __init__(self) -> None:
        self.future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()

    def give(self, value: Any) -> bool:
        if self.future.done():
            return False
        self.future.set_result(value)
        return True


Caller = Callable[[str, Any, bool, list[str]], Awaitable[dict[str, Any]]]
"""How a run starts another workflow: (workflow_id, trigger data, wait, call chain)."""


@dataclass
class RunContext:
    """Implements `RunServices` for one run."""

    run_id: str
    workflow_id: str
    storage: KeyValueStore
    caller: Caller | None = None
    reply: Reply | None = None
    call_chain: list[str] = field(default_factory=list)

    def respond(self, response: Any) -> bool:
        return self.reply.give(response) if self.reply is not None else False

    def _scope_id(self, scope: StorageScope) -> str:
        return {"run": self.run_id, "workflow": self.workflow_id, "account": ACCOUNT}[scope]

    async def storage_get(self, scope: StorageScope, key: str) -> tuple[bool, Any]:
        return await asyncio.to_thread(self.storage.get, scope, self._scope_id(scope), key)

    async def storage_put(self, scope: StorageScope, key: str, value: Any) -> None:
        await asyncio.to_thread(self.storage.put, scope, self._scope_id(scope), key, value)

    async def storage_append(self, scope: StorageScope, key: str, value: Any, *, create: bool) -> list[Any]:
        try:
            updated = await asyncio.to_thread(
                self.storage.append, scope, self._scope_id(scope), key, value, create=create
            )
        except TypeError as error:
            raise OperationFailed(str(error)) from None
        if updated is None:
            raise OperationFailed(
                f"no list is stored at {key!r} in the {scope} scope (set create_if_missing)"
            )
        return updated

    async def storage_delete(self, scope: StorageScope, key: str) -> bool:
        return await asyncio.to_thread(self.storage.delete, scope, self._scope_id(scope), key)

    async def call_workflow(self, workflow_id: str, data: Any, *, wait: bool) -> dict[str, Any]:
        chain = [*self.call_chain, self.workflow_id]
        if workflow_id in chain:
            cycle = " → ".join([*chain[chain.index(workflow_id) :], workflow_id])
            raise OperationFailed(f"calling workflow {workflow_id} would make a cycle: {cycle}")
        if self.caller is None:
            raise OperationFailed("call-workflow needs a process that can start runs (switchboard serve)")
        return await self.caller(workflow_id, data, wait, chain)
