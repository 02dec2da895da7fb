"""Connectors are found through entry points and describe themselves with JSON Schemas."""

from __future__ import annotations

import pytest

from switchboard.connectors.base import AuthFields, Connector, Input, Output, Secret, secret_field_names
from switchboard.connectors.registry import Registry, discover
from switchboard.errors import NotFound


def test_the_shipped_connectors_are_discovered_through_entry_points() -> None:
    names = {connector.name for connector in discover()}
    assert {
        "text-helpers",
        "boolean-condition",
        "branch",
        "loop",
        "break-loop",
        "delay",
        "terminate",
    } <= names


def test_each_operation_describes_its_input_and_output_schema() -> None:
    described = discover().get("text-helpers").describe()
    concatenate = next(op for op in described["operations"] if op["name"] == "concatenate")
    assert concatenate["repeat_safe"] is True
    assert concatenate["input_schema"]["required"] == ["values"]
    assert set(concatenate["input_schema"]["properties"]) == {"values", "separator"}
    assert concatenate["output_schema"]["properties"]["result"]["type"] == "string"


def test_unknown_names_get_a_suggestion() -> None:
    with pytest.raises(NotFound, match=r"unknown connector 'text-helper' \(did you mean 'text-helpers'\?\)"):
        discover().get("text-helper")
    with pytest.raises(NotFound, match=r"has no operation 'concat' \(did you mean 'concatenate'\?\)"):
        discover().operation("text-helpers", "concat")


def test_secret_fields_are_marked_in_the_schema_and_known_to_the_sdk() -> None:
    class Auth(AuthFields):
        auth_id: str
        auth_token: Secret

    connector = Connector("example", title="Example", auth=Auth)
    assert secret_field_names(Auth) == {"auth_token"}
    auth = connector.describe()["auth"]
    assert auth["secret_fields"] == ["auth_token"]
    assert auth["schema"]["properties"]["auth_token"]["writeOnly"] is True


class In(Input):
    x: int


class Out(Output):
    y: int


def test_an_operation_must_declare_its_models() -> None:
    connector = Connector("example", title="Example")
    with pytest.raises(TypeError, match="the return annotation must be an Output model"):

        @connector.operation("bad", title="Bad", repeat_safe=True)
        async def bad(data: In) -> dict:  # type: ignore[type-arg]
            return {}

    @connector.operation("good", title="Good", repeat_safe=True)
    async def good(data: In) -> Out:
        return Out(y=data.x)

    with pytest.raises(ValueError, match="already has an operation 'good'"):
        connector.operation("good", title="Again", repeat_safe=True)(good)


def test_two_connectors_cannot_share_a_name() -> None:
    with pytest.raises(ValueError, match="two connectors are named 'x'"):
        Registry([Connector("x", title="X"), Connector("x", title="X again")])
