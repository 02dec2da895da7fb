"""Everything one Plivo simulator holds in memory, and the background work it is doing.

One ``PlivoSimState`` is one simulated Plivo: accounts, messages, rented numbers, applications, calls,
the callbacks it sent, and the asyncio tasks that move messages along their lifecycle. There is no
module-level state, so tests and a combined ``switchboard sim`` server can each own an instance.
All methods must be used from the event loop that serves the simulator.
"""

import asyncio
import hmac
import logging
from collections import deque
from collections.abc import Coroutine
from typing import Any, TypeVar

import httpx

from switchboard.sim.plivo.identifiers import new_auth_token, new_main_auth_id, new_subaccount_auth_id
from switchboard.sim.plivo.inventory import facts_about
from switchboard.sim.plivo.limits import MessagePacer, SlidingWindowLimiter
from switchboard.sim.plivo.records import (
    Account,
    Application,
    Call,
    CallbackAttempt,
    DeliveryOutcome,
    Message,
    RentedNumber,
)
from switchboard.sim.plivo.settings import AccountSeed, PlivoSimSettings

ResultT = TypeVar("ResultT")

log = logging.getLogger(__name__)

CALLBACK_HISTORY = 10_000
"""Callback attempts kept for tests and the sandbox UI; older ones are forgotten (benchmarks send many)."""


class PlivoSimState:
    """The in-memory Plivo: resources, settings, limits and the lifecycle tasks in flight."""

    def __init__(self, settings: PlivoSimSettings | None = None) -> None:
        self._initial_settings = settings or PlivoSimSettings()
        self.settings = self._initial_settings.model_copy()
        self.accounts: dict[str, Account] = {}
        self.messages: dict[str, Message] = {}
        self.numbers: dict[str, RentedNumber] = {}
        self.applications: dict[str, Application] = {}
        self.calls: dict[str, Call] = {}
        self.callbacks: deque[CallbackAttempt] = deque(maxlen=CALLBACK_HISTORY)
        self.outcomes: dict[str, DeliveryOutcome] = {}
        self.request_limiter = SlidingWindowLimiter()
        self.message_list_limiter = SlidingWindowLimiter()
        self.pacer = MessagePacer()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._http: httpx.AsyncClient | None = None
        self._seed()

    # accounts

    def authenticate(self, auth_id: str, auth_token: str) -> Account | None:
        """Return the enabled account these Basic credentials open, or None."""
        account = self.accounts.get(auth_id)
        if account is None or not account.enabled:
            return None
        if not hmac.compare_digest(account.auth_token.encode(), auth_token.encode()):
            return None
        return account

    def main_account_of(self, account: Account) -> Account:
        """The main account that owns ``account`` (itself for a main account)."""
        return self.accounts[account.main_auth_id]

    def add_main_account(
        self, auth_id: str | None = None, auth_token: str | None = None, name: str = "Switchboard Simulator"
    ) -> Account:
        """Create (or replace) a main account, e.g. from the control API."""
        account = Account(
            auth_id=auth_id or new_main_auth_id(),
            auth_token=auth_token or new_auth_token(),
            name=name,
            cash_credits=self.settings.cash_credits,
        )
        self.accounts[account.auth_id] = account
        return account

    def add_subaccount(self, parent: Account, name: str, enabled: bool) -> Account:
        """Create a subaccount of a main account, with its own fresh credentials."""
        account = Account(
            auth_id=new_subaccount_auth_id(),
            auth_token=new_auth_token(),
            name=name,
            parent_auth_id=parent.auth_id,
            enabled=enabled,
        )
        self.accounts[account.auth_id] = account
        return account

    def can_see(self, caller: Account, owner_auth_id: str, subaccount: str | None = None) -> bool:
        """Tell whether ``caller`` may see a resource: a main account sees its subaccounts' resources too."""
        if caller.parent_auth_id is None:
            owner = self.accounts.get(owner_auth_id)
            return owner is not None and owner.main_auth_id == caller.auth_id
        return caller.auth_id in (owner_auth_id, subaccount)

    # numbers and outcomes

    def rent_number(self, owner: Account, number: str, app_id: str | None = None) -> RentedNumber:
        """Give a valid number to an account (a subaccount's number is owned by its main account).

        Raises ValueError when the number is not a valid phone number.
        """
        facts = facts_about(number)
        if facts is None:
            raise ValueError(f"{number!r} is not a valid phone number")
        rented = RentedNumber(
            number=facts.number,
            owner_auth_id=owner.main_auth_id,
            number_type=facts.rented_type,
            country=facts.country,
            region=facts.country,
            monthly_rate=self.settings.number_monthly_rate,
            app_id=app_id,
            subaccount=owner.auth_id if owner.parent_auth_id else None,
        )
        self.numbers[rented.number] = rented
        return rented

    def holder_of(self, number: RentedNumber) -> Account:
        """The account a number's messages belong to: its subaccount if assigned, else its owner."""
        return self.accounts.get(number.subaccount or "") or self.accounts[number.owner_auth_id]

    def outcome_for(self, number: str) -> DeliveryOutcome:
        """How the simulated carrier ends a message to ``number`` (delivered unless configured)."""
        return self.outcomes.get(number, DeliveryOutcome())

    # background work

    def spawn(self, work: Coroutine[Any, Any, ResultT]) -> asyncio.Task[ResultT]:
        """Run lifecycle or callback work in the background, tracked so ``settle`` can wait for it."""
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    @property
    def pending(self) -> int:
        """How many lifecycle and callback tasks are still running."""
        return len(self._tasks)

    async def settle(self, timeout: float | None = 10.0) -> None:
        """Wait until every message has reached its final state and every callback has been sent.

        Work started while waiting (a retry, the next state) is waited for too. Raises TimeoutError
        after ``timeout`` seconds; tests use this instead of sleeping.
        """
        async with asyncio.timeout(timeout):
            while self._tasks:
                await asyncio.wait(set(self._tasks))

    def http_client(self) -> httpx.AsyncClient:
        """The client callbacks are sent with, created in the serving event loop on first use."""
        if self._http is None:
            self._http = httpx.AsyncClient(follow_redirects=False)
        return self._http

    async def reset(self) -> None:
        """Stop all background work and return to the initial accounts, numbers and settings."""
        await self._cancel_tasks()
        self.settings = self._initial_settings.model_copy()
        for store in (self.accounts, self.messages, self.numbers, self.applications, self.calls):
            store.clear()
        self.callbacks.clear()
        self.outcomes.clear()
        self.request_limiter.clear()
        self.message_list_limiter.clear()
        self.pacer.clear()
        self._seed()

    async def aclose(self) -> None:
        """Stop background work and close the callback client (on server shutdown)."""
        await self._cancel_tasks()
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    def _seed(self) -> None:
        for seed in self.settings.accounts:
            self._add_seed(seed)

    def _add_seed(self, seed: AccountSeed) -> None:
        account = self.add_main_account(seed.auth_id, seed.auth_token, seed.name)
        for number in seed.numbers:
            self.rent_number(account, number)

    async def _cancel_tasks(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("plivo_sim.task_failed", exc_info=task.exception())
