"""What a run gets: `StoreAuthSource` hands a step the authentication its owner may use; auth tests."""

from __future__ import annotations

import pytest

from switchboard.auth import authentications
from switchboard.auth.authentications import AuthenticationStore, AuthenticationUnusable, StoreAuthSource
from switchboard.auth.errors import PermissionDenied
from switchboard.auth.users import ensure_local_owner
from switchboard.errors import NotFound
from switchboard.store.database import Database

from .conftest import AUTH_ID, AUTH_TOKEN, SmsAuth, Team, chat, sms, sms_fields


async def test_a_run_gets_its_owners_authentication_typed_with_the_secrets_to_redact(
    store: AuthenticationStore, team: Team
) -> None:
    store.create(
        team.alice, connector="sms", name="Plivo", fields=sms_fields(base_url="https://sandbox.test")
    )
    resolved = await StoreAuthSource(store).resolve("Plivo", sms, owner=team.alice.id)
    assert resolved.name == "Plivo"
    assert isinstance(resolved.fields, SmsAuth)
    assert (resolved.fields.auth_id, resolved.fields.auth_token) == (AUTH_ID, AUTH_TOKEN)
    assert str(resolved.fields.base_url) == "https://sandbox.test/"
    assert resolved.fields.messages_per_second == 5.0
    assert resolved.secrets == (AUTH_TOKEN,)


async def test_a_run_may_use_an_organisational_authentication_by_name_or_id(
    store: AuthenticationStore, team: Team
) -> None:
    shared = store.create(
        team.admin, connector="sms", name="Shared", fields=sms_fields(), scope="organisational"
    )
    source = StoreAuthSource(store)
    assert (await source.resolve("Shared", sms, owner=team.bob.id)).name == "Shared"
    assert (await source.resolve(shared.id, sms, owner=team.bob.id)).name == "Shared"


async def test_a_run_refuses_another_members_personal_authentication(
    store: AuthenticationStore, team: Team
) -> None:
    bobs = store.create(team.bob, connector="sms", name="Bob SMS", fields=sms_fields())
    source = StoreAuthSource(store)
    for ref in ("Bob SMS", bobs.id):
        with pytest.raises(PermissionDenied, match="authentication 'Bob SMS' is personal to another user"):
            await source.resolve(ref, sms, owner=team.alice.id)


async def test_a_run_prefers_its_owners_personal_authentication_over_the_organisational_one(
    store: AuthenticationStore, team: Team
) -> None:
    store.create(team.admin, connector="sms", name="SMS", fields=sms_fields("shared"), scope="organisational")
    store.create(team.alice, connector="sms", name="SMS", fields=sms_fields("alices"))
    source = StoreAuthSource(store)
    assert (await source.resolve("SMS", sms, owner=team.alice.id)).secrets == ("alices",)
    assert (await source.resolve("SMS", sms, owner=team.bob.id)).secrets == ("shared",)


async def test_a_run_refuses_an_authentication_for_another_connector(
    store: AuthenticationStore, team: Team
) -> None:
    store.create(team.alice, connector="sms", name="Plivo", fields=sms_fields())
    with pytest.raises(AuthenticationUnusable, match="'Plivo' is for connector 'sms', not 'chat'"):
        await StoreAuthSource(store).resolve("Plivo", chat, owner=team.alice.id)


async def test_an_unknown_authentication_is_not_found(store: AuthenticationStore, team: Team) -> None:
    with pytest.raises(NotFound, match="no authentication 'Nope'"):
        await StoreAuthSource(store).resolve("Nope", sms, owner=team.alice.id)


async def test_a_run_without_an_owner_acts_as_the_local_owner(
    store: AuthenticationStore, database: Database
) -> None:
    owner = ensure_local_owner(database)
    store.create(owner, connector="sms", name="Local", fields=sms_fields())
    assert (await StoreAuthSource(store).resolve("Local", sms, owner=None)).name == "Local"


async def test_testing_an_authentication_calls_the_connectors_check_and_shows_its_answer_redacted(
    store: AuthenticationStore, team: Team
) -> None:
    auth = store.create(team.alice, connector="sms", name="Plivo", fields=sms_fields())
    result = await authentications.test_authentication(store, auth.id, team.alice)
    assert result == {
        "ok": True,
        "message": "SMS Provider accepted authentication 'Plivo'",
        "details": {"account": AUTH_ID, "request": "Basic [redacted]"},
    }


async def test_a_refused_authentication_reports_why_without_its_secret(
    store: AuthenticationStore, team: Team
) -> None:
    store.create(team.alice, connector="sms", name="Plivo", fields=sms_fields("wrong"))
    result = await authentications.test_authentication(store, "Plivo", team.alice)
    assert result == {"ok": False, "message": f"401: token [redacted] is not valid for {AUTH_ID}"}


async def test_a_connector_without_a_check_says_only_the_fields_were_validated(
    store: AuthenticationStore, team: Team
) -> None:
    store.create(team.alice, connector="chat", name="Chat", fields={"token": "t"})
    result = await authentications.test_authentication(store, "Chat", team.alice)
    assert result == {"ok": True, "message": "the fields are valid; Chat offers no live check"}


async def test_nobody_tests_another_members_personal_authentication(
    store: AuthenticationStore, team: Team
) -> None:
    store.create(team.bob, connector="sms", name="Bob SMS", fields=sms_fields())
    with pytest.raises(NotFound):
        await authentications.test_authentication(store, "Bob SMS", team.alice)
