"""Reading messages back: one record, lists across pages with Plivo's filters, an MMS's media."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from .conftest import ALICE, BOB, OUR_NUMBER, Simulator, Workflows


async def send(workflows: Workflows, dst: str | list[str], text: str = "hi") -> list[str]:
    output = await workflows.output("send_sms", src=OUR_NUMBER, dst=dst, text=text)
    return list(output["message_uuid"])


async def test_a_sent_message_reads_back_with_its_state_and_units(
    workflows: Workflows, sim: Simulator
) -> None:
    [uuid] = await send(workflows, ALICE, "x" * 161)
    await sim.settle()
    record = await workflows.output("get_message", message_uuid=uuid)
    assert record["message_uuid"] == uuid
    assert (record["from_number"], record["to_number"]) == ("14155550100", "14155550101")
    assert (record["message_state"], record["error_code"], record["units"]) == ("delivered", "000", 2)
    assert record["total_amount"] == "0.01000"


async def test_a_list_follows_pages_up_to_max_results(workflows: Workflows, sim: Simulator) -> None:
    await send(workflows, [ALICE] * 15 + [BOB] * 10)
    listed = await workflows.output("list_messages", max_results=23)
    assert (listed["count"], listed["total_count"], listed["has_more"]) == (23, 25, True)
    assert len({message["message_uuid"] for message in listed["messages"]}) == 23
    everything = await workflows.output("list_messages", max_results=100)
    assert (everything["count"], everything["has_more"]) == (25, False)


async def test_a_list_applies_plivos_filters(workflows: Workflows, sim: Simulator) -> None:
    await send(workflows, [ALICE, BOB, BOB])
    since = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    listed = await workflows.output(
        "list_messages", to_number=BOB, message_direction="outbound", message_time__gte=since, max_results=50
    )
    assert listed["count"] == 2
    assert {message["to_number"] for message in listed["messages"]} == {"14155550102"}
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    assert (await workflows.output("list_messages", message_time__gt=future))["count"] == 0


async def test_an_offset_skips_the_newest(workflows: Workflows, sim: Simulator) -> None:
    await send(workflows, [ALICE] * 5)
    listed = await workflows.output("list_messages", offset=3)
    assert listed["count"] == 2


async def test_a_received_messages_media_are_listed(workflows: Workflows, sim: Simulator) -> None:
    media = ["https://example.com/a.png", "https://example.com/b.pdf"]
    sent = await workflows.output("send_mms", src=OUR_NUMBER, dst=ALICE, media_urls=media)
    listed = await workflows.output("list_message_media", message_uuid=sent["message_uuid"][0])
    assert listed["count"] == 2
    assert [item["content_type"] for item in listed["media"]] == ["image/png", "application/pdf"]
    assert all(item["media_url"].startswith(sim.url) for item in listed["media"])


async def test_an_unknown_messages_media_is_a_404(workflows: Workflows, sim: Simulator) -> None:
    error = await workflows.error("list_message_media", message_uuid="nope")
    assert error["status"] == 404
