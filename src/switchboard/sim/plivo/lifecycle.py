"""How messages and calls move on after the API has answered, and the callbacks each step fires.

Outbound: ``queued`` → (paced by messages-per-second) → ``sent`` → ``delivered`` | ``undelivered``, or
``failed`` before reaching the carrier; a callback to the send request's ``url`` on every change, each
with the next ``Sequence``. Inbound: ``received``, posted to the number's application ``message_url``,
then ``delivered`` once that answered 2xx, else ``undelivered`` after the retries.
"""

import asyncio

from switchboard.sim.plivo.callbacks import send_callback
from switchboard.sim.plivo.records import Account, Call, Message, MessageState
from switchboard.sim.plivo.state import PlivoSimState

MESSAGE_EXPIRED = "420"

OPT_OUT_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
OPT_IN_WORDS = frozenset({"START", "YES", "UNSTOP"})
HELP_WORDS = frozenset({"HELP", "INFO"})


def message_intent(text: str) -> str:
    """Plivo's ``MessageIntent`` for an inbound text: ``optout``, ``optin``, ``help`` or empty.

    Carriers' standard keywords are used; Plivo's exact keyword list is not documented.
    """
    word = text.strip().upper()
    if word in OPT_OUT_WORDS:
        return "optout"
    if word in OPT_IN_WORDS:
        return "optin"
    if word in HELP_WORDS:
        return "help"
    return ""


def start_outbound(state: PlivoSimState, message: Message, sender: Account) -> None:
    """Store a just-queued outbound message and start its lifecycle in the background."""
    state.messages[message.uuid] = message
    _report_status(state, message, sender)
    state.spawn(_advance_outbound(state, message, sender))


async def _advance_outbound(state: PlivoSimState, message: Message, sender: Account) -> None:
    settings = state.settings
    wait = state.pacer.wait_for_slot(sender.main_auth_id, settings.messages_per_second)
    if wait > message.expiry_seconds:
        await asyncio.sleep(message.expiry_seconds)
        _change(state, message, sender, "failed", MESSAGE_EXPIRED)
        return
    await asyncio.sleep(wait + settings.scaled(settings.sent_after))
    outcome = state.outcome_for(message.to_number)
    if outcome.state == "failed":
        _change(state, message, sender, "failed", outcome.error_code)
        return
    _change(state, message, sender, "sent")
    if outcome.state == "sent":
        return  # no delivery report, as with carriers that never send one
    await asyncio.sleep(settings.scaled(settings.delivered_after))
    _change(state, message, sender, outcome.state, outcome.error_code)


def _change(
    state: PlivoSimState, message: Message, sender: Account, new_state: MessageState, error: str | None = None
) -> None:
    message.move_to(new_state, error)
    _report_status(state, message, sender)


def _report_status(state: PlivoSimState, message: Message, sender: Account) -> None:
    if not message.callback_url:
        return
    message.callbacks_fired += 1
    params = message.status_callback(message.callbacks_fired)
    state.spawn(
        send_callback(state, "message_status", message.callback_url, message.callback_method, params, sender)
    )


def start_inbound(
    state: PlivoSimState, message: Message, receiver: Account, times: int = 1
) -> asyncio.Task[None]:
    """Store an inbound message and forward it to its number's application, ``times`` times.

    Posting the same message more than once reproduces what a user's server sees when Plivo retries
    after a timeout. Returns the delivery task, so the control API can wait for it.
    """
    state.messages[message.uuid] = message
    return state.spawn(_deliver_inbound(state, message, receiver, times))


async def _deliver_inbound(state: PlivoSimState, message: Message, receiver: Account, times: int) -> None:
    number = state.numbers.get(message.to_number)
    application = state.applications.get(number.app_id or "") if number is not None else None
    if application is None or not application.message_url:
        return  # Plivo keeps the message "received" when there is nowhere to forward it
    params = message.inbound_callback(message_intent(message.text))
    delivered = False
    for _ in range(times):
        url, method = application.message_url, application.message_method
        if await send_callback(state, "inbound_message", url, method, params, receiver):
            delivered = True
    message.move_to("delivered" if delivered else "undelivered")


def announce_call(state: PlivoSimState, call: Call, caller: Account) -> None:
    """Request the call's answer URL, as Plivo does when the callee picks up (the XML is ignored)."""
    params = call.event("StartApp")
    state.spawn(
        send_callback(state, "call", call.answer_url, call.answer_method, params, caller, retry=False)
    )


def finish_call(state: PlivoSimState, call: Call, caller: Account) -> None:
    """Tell the call's hangup URL that the call has ended."""
    if call.hangup_url:
        params = call.event("Hangup")
        params["HangupCause"] = "NORMAL_CLEARING"
        params["Duration"] = str(call.duration)
        params["BillDuration"] = str(call.duration)
        state.spawn(
            send_callback(state, "call", call.hangup_url, call.hangup_method, params, caller, retry=False)
        )
