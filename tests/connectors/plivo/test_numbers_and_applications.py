"""Numbers (rented and for sale), applications, and wiring a number to a workflow's trigger URL."""

from __future__ import annotations

from .conftest import ALICE, Endpoint, Simulator, Workflows


async def test_the_rented_numbers_are_listed(workflows: Workflows, sim: Simulator) -> None:
    listed = await workflows.output("list_numbers")
    assert [number["number"] for number in listed["numbers"]] == ["14155550100"]


async def test_a_number_is_found_bought_renamed_and_released(workflows: Workflows, sim: Simulator) -> None:
    found = await workflows.output("search_phone_numbers", country_iso="GB", type="mobile", max_results=3)
    assert found["count"] == 3
    number = found["numbers"][0]["number"]
    bought = await workflows.output("buy_phone_number", number="+" + number)
    assert (bought["status"], bought["numbers"]) == ("fulfilled", [{"number": number, "status": "Success"}])
    assert (await workflows.output("update_number", number=number, alias="Support line"))[
        "message"
    ] == "changed"
    listed = await workflows.output("list_numbers", alias="Support line")
    assert [rented["number"] for rented in listed["numbers"]] == [number]
    assert await workflows.output("unrent_number", number=number) == {"number": number, "unrented": True}
    assert (await workflows.output("list_numbers"))["count"] == 1


async def test_buying_a_number_that_is_not_for_sale_is_plivos_404(
    workflows: Workflows, sim: Simulator
) -> None:
    assert (await workflows.error("buy_phone_number", number="14155550100"))["status"] == 404


async def test_an_application_is_created_read_listed_changed_and_deleted(
    workflows: Workflows, sim: Simulator
) -> None:
    created = await workflows.output(
        "create_application", app_name="support-bot", message_url="https://example.com/in", answer_url=None
    )
    app_id = created["app_id"]
    read = await workflows.output("get_application", app_id=app_id)
    assert (read["app_name"], read["message_url"]) == ("support-bot", "https://example.com/in")
    changed = await workflows.output(
        "update_application", app_id=app_id, message_url="https://example.com/new"
    )
    assert changed["message"] == "changed"
    listed = await workflows.output("list_applications")
    assert [(app["app_id"], app["message_url"]) for app in listed["applications"]] == [
        (app_id, "https://example.com/new")
    ]
    assert await workflows.output("delete_application", app_id=app_id) == {"app_id": app_id, "deleted": True}
    assert (await workflows.error("get_application", app_id=app_id))["status"] == 404


async def test_connecting_a_number_makes_its_messages_reach_the_trigger_url(
    workflows: Workflows, sim: Simulator, endpoint: Endpoint
) -> None:
    connected = await workflows.output(
        "connect_number_to_trigger", number="+14155550100", trigger_url=endpoint.url
    )
    assert (connected["app_name"], connected["created"], connected["message_url"]) == (
        "switchboard",
        True,
        endpoint.url,
    )
    await sim.inbound("Hello?", frm=ALICE)
    [delivered] = endpoint.requests()
    assert delivered.form()["Text"] == "Hello?"


async def test_connecting_again_updates_the_same_application(
    workflows: Workflows, sim: Simulator, endpoint: Endpoint
) -> None:
    first = await workflows.output(
        "connect_number_to_trigger", number="14155550100", trigger_url="https://a.example/x"
    )
    again = await workflows.output(
        "connect_number_to_trigger", number="14155550100", trigger_url=endpoint.url
    )
    assert (again["app_id"], again["created"]) == (first["app_id"], False)
    assert (await workflows.output("list_applications"))["count"] == 1
    await sim.inbound("Still there?")
    assert len(endpoint.requests()) == 1
