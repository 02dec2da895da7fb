"""The simulator-only control API under ``/sim/plivo``: see and steer what the fake Plivo does.

Used by the sandbox UI (the "phones" view: what was sent, a form to send an inbound SMS) and by tests:
inject inbound messages, choose how deliveries to a number end, read the callbacks that were sent,
change timings and limits, wait until everything in flight is done, reset. No authentication: the
simulator is a local tool. Errors here are plain ``{"error": ...}`` (this is not Plivo's API).
"""

import asyncio
from typing import Literal

from fastapi import APIRouter, HTTPException, Query, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from switchboard.sim.plivo import lifecycle
from switchboard.sim.plivo.identifiers import new_uuid
from switchboard.sim.plivo.records import Account, DeliveryOutcome, JsonObject, Media, Message
from switchboard.sim.plivo.settings import FinalState, PlivoSimSettings
from switchboard.sim.plivo.state import PlivoSimState

PREFIX = "/sim/plivo"
DEFAULT_ERROR_CODES: dict[FinalState, str | None] = {
    "delivered": None,
    "sent": None,
    "undelivered": "50",
    "failed": "10",
}


class InboundRequest(BaseModel):
    """A message a simulated phone sends to one of the accounts' numbers."""

    model_config = ConfigDict(populate_by_name=True)

    from_number: str = Field(alias="from", min_length=1)
    to: str = Field(min_length=1)
    text: str = ""
    type: Literal["sms", "mms"] = "sms"
    media_urls: list[str] = Field(default_factory=list, max_length=10)
    times: int = Field(default=1, ge=1, le=10, description="deliveries of the same message (Plivo retries)")
    wait: bool = Field(default=False, description="answer only once the application has been called")


class OutcomeRequest(BaseModel):
    """How deliveries to one number end from now on."""

    state: FinalState
    error_code: str | None = None


class AccountRequest(BaseModel):
    """A main account to add; missing credentials are generated."""

    auth_id: str | None = Field(default=None, pattern=r"^MA[A-Z0-9]{18}$")
    auth_token: str | None = Field(default=None, min_length=1)
    name: str = "Switchboard Simulator"
    numbers: list[str] = Field(default_factory=list)


def control_routes(state: PlivoSimState) -> APIRouter:
    """Routes of ``/sim/plivo/…``."""
    router = APIRouter(prefix=PREFIX, tags=["plivo simulator"])

    @router.get("/accounts")
    async def list_accounts() -> JsonObject:
        return {"accounts": [_account_view(state, account) for account in state.accounts.values()]}

    @router.post("/accounts", status_code=201)
    async def add_account(request: AccountRequest) -> JsonObject:
        account = state.add_main_account(request.auth_id, request.auth_token, request.name)
        for number in request.numbers:
            try:
                state.rent_number(account, _digits(number))
            except ValueError as error:
                raise HTTPException(400, str(error)) from error
        return _account_view(state, account)

    @router.get("/messages")
    async def list_messages(
        number: str | None = None, direction: Literal["inbound", "outbound"] | None = None
    ) -> JsonObject:
        wanted = None if number is None else _digits(number)
        found = [
            message.sandbox_view()
            for message in state.messages.values()
            if (wanted is None or wanted in (message.from_number, message.to_number))
            and (direction is None or message.direction == direction)
        ]
        return {"messages": found}

    @router.get("/phones")
    async def list_phones() -> JsonObject:
        phones: dict[str, list[JsonObject]] = {}
        for message in state.messages.values():
            handset = message.to_number if message.direction == "outbound" else message.from_number
            phones.setdefault(handset, []).append(message.sandbox_view())
        return {"phones": [{"number": number, "messages": messages} for number, messages in phones.items()]}

    @router.post("/inbound", status_code=202)
    async def send_inbound(request: InboundRequest, response: Response) -> JsonObject:
        to_number = _digits(request.to)
        rented = state.numbers.get(to_number)
        if rented is None:
            raise HTTPException(
                404, f"no account rents {request.to}; rent it first (or add it to an account)"
            )
        receiver = state.holder_of(rented)
        message = Message(
            uuid=new_uuid(),
            owner_auth_id=receiver.auth_id,
            main_auth_id=receiver.main_auth_id,
            direction="inbound",
            message_type=request.type,
            from_number=_digits(request.from_number),
            to_number=to_number,
            text=request.text,
            units=1,
            rate=state.settings.inbound_rate,
            state="received",
            media=[Media(new_uuid(), media_url) for media_url in request.media_urls],
        )
        delivery = lifecycle.start_inbound(state, message, receiver, request.times)
        if request.wait:
            await asyncio.shield(delivery)
            response.status_code = 200
        application = state.applications.get(rented.app_id or "")
        return {
            "message_uuid": message.uuid,
            "message_state": message.state,
            "message_url": None if application is None else application.message_url,
        }

    @router.get("/callbacks")
    async def list_callbacks(kind: str | None = None, message_uuid: str | None = None) -> JsonObject:
        found = [
            attempt.body()
            for attempt in state.callbacks
            if (kind is None or attempt.kind == kind)
            and (message_uuid is None or attempt.params.get("MessageUUID") == message_uuid)
        ]
        return {"callbacks": found}

    @router.get("/outcomes")
    async def list_outcomes() -> JsonObject:
        return {
            "outcomes": [
                {"number": number, "state": outcome.state, "error_code": outcome.error_code}
                for number, outcome in state.outcomes.items()
            ]
        }

    @router.put("/outcomes/{number}")
    async def set_outcome(number: str, request: OutcomeRequest) -> JsonObject:
        error_code = request.error_code or DEFAULT_ERROR_CODES[request.state]
        state.outcomes[_digits(number)] = DeliveryOutcome(request.state, error_code)
        return {"number": _digits(number), "state": request.state, "error_code": error_code}

    @router.delete("/outcomes/{number}", status_code=204)
    async def clear_outcome(number: str) -> Response:
        state.outcomes.pop(_digits(number), None)
        return Response(status_code=204)

    @router.get("/config")
    async def get_config() -> JsonObject:
        return state.settings.model_dump(mode="json")

    @router.patch("/config")
    async def change_config(changes: dict[str, object]) -> JsonObject:
        if "accounts" in changes:
            raise HTTPException(400, "accounts are seeded at start; add one with POST /sim/plivo/accounts")
        try:
            state.settings = PlivoSimSettings.model_validate({**state.settings.model_dump(), **changes})
        except ValidationError as error:
            raise HTTPException(422, error.errors(include_url=False, include_context=False)) from error
        return state.settings.model_dump(mode="json")

    @router.post("/reset")
    async def reset() -> JsonObject:
        await state.reset()
        return {"reset": True}

    @router.post("/settle")
    async def settle(timeout: float = Query(default=10.0, gt=0, le=300)) -> JSONResponse:
        try:
            await state.settle(timeout)
        except TimeoutError:
            return JSONResponse({"error": "still busy", "pending": state.pending}, status_code=504)
        return JSONResponse({"pending": 0})

    return router


def _digits(number: str) -> str:
    """Numbers in the control API may be written ``+1 (415) 555-0100``; Plivo stores ``14155550100``."""
    return "".join(char for char in number if char.isalnum())


def _account_view(state: PlivoSimState, account: Account) -> JsonObject:
    return {
        "auth_id": account.auth_id,
        "auth_token": account.auth_token,
        "name": account.name,
        "parent_auth_id": account.parent_auth_id,
        "enabled": account.enabled,
        "numbers": [
            number.number
            for number in state.numbers.values()
            if state.can_see(account, number.owner_auth_id, number.subaccount)
        ],
    }
