"""Authentications: validated by the connector, secrets sealed, visible and editable per scope and role."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from switchboard.auth.authentications import AuthenticationStore, Scope, public_view
from switchboard.auth.encryption import SecretBox
from switchboard.auth.errors import AuthenticationInvalid, Conflict, PermissionDenied
from switchboard.auth.users import create_user
from switchboard.errors import NotFound
from switchboard.settings import Settings
from switchboard.store.database import Database, open_database

from .conftest import AUTH_ID, AUTH_TOKEN, REGISTRY, Team, sms_fields


def test_the_database_file_holds_no_secret_in_clear(tmp_path: Path) -> None:
    path = tmp_path / "raw.db"
    database = open_database(f"sqlite:///{path}")
    store = AuthenticationStore(database, SecretBox.from_settings(Settings()), REGISTRY)
    owner = create_user(database, "olga", "owner")
    store.create(owner, connector="sms", name="Plivo Sandbox", fields=sms_fields())
    store.update("Plivo Sandbox", owner, fields={"messages_per_second": 2})
    database.dispose()

    raw = b"".join(file.read_bytes() for file in tmp_path.iterdir() if file.name.startswith("raw.db"))
    assert AUTH_ID.encode() in raw
    assert AUTH_TOKEN.encode() not in raw
    assert AUTH_TOKEN.encode("utf-16-le") not in raw


def test_secret_fields_are_sealed_and_the_others_kept_readable(
    store: AuthenticationStore, team: Team
) -> None:
    auth = store.create(team.alice, connector="sms", name="Plivo", fields=sms_fields(messages_per_second=2))
    assert auth.fields == {"auth_id": AUTH_ID, "messages_per_second": 2.0}
    assert auth.secrets == {"auth_token": AUTH_TOKEN}
    assert AUTH_TOKEN not in repr(auth)


def test_the_public_view_says_which_secrets_are_set_never_their_values(
    store: AuthenticationStore, team: Team
) -> None:
    auth = store.create(team.alice, connector="sms", name="Plivo", fields=sms_fields())
    view = public_view(auth)
    assert AUTH_TOKEN not in repr(view)
    assert view["fields"] == {"auth_id": AUTH_ID}
    assert view["secrets_set"] == ["auth_token"]
    assert view["owner"] == {"id": team.alice.id, "name": "alice"}
    assert view["scope"] == "personal"
    assert set(view) == {
        "id",
        "name",
        "connector",
        "scope",
        "owner",
        "fields",
        "secrets_set",
        "created_at",
        "updated_at",
    }


def test_every_invalid_field_is_named(store: AuthenticationStore, team: Team) -> None:
    with pytest.raises(AuthenticationInvalid) as raised:
        store.create(
            team.alice,
            connector="sms",
            name="Plivo",
            fields={"auth_id": "nope", "base_url": "x", "colour": 1},
        )
    paths = [p.path for p in raised.value.problems]
    assert paths == ["fields.auth_id", "fields.auth_token", "fields.base_url", "fields.colour"]
    assert "fields.auth_id: String should match pattern" in raised.value.message
    assert raised.value.to_dict()["details"][1] == {"path": "fields.auth_token", "message": "Field required"}


def test_one_invalid_field_is_the_whole_message(store: AuthenticationStore, team: Team) -> None:
    with pytest.raises(AuthenticationInvalid, match=r"^fields\.auth_token: Field required$"):
        store.create(team.alice, connector="sms", name="Plivo", fields={"auth_id": AUTH_ID})


def test_an_unknown_connector_is_a_problem_with_a_suggestion(store: AuthenticationStore, team: Team) -> None:
    with pytest.raises(
        AuthenticationInvalid, match="connector: unknown connector 'smss' \\(did you mean 'sms'\\?\\)"
    ):
        store.create(team.alice, connector="smss", name="Plivo", fields=sms_fields())


def test_personal_names_are_unique_per_owner(store: AuthenticationStore, team: Team) -> None:
    store.create(team.alice, connector="sms", name="Plivo", fields=sms_fields())
    with pytest.raises(Conflict, match="'Plivo' already exists among your personal ones"):
        store.create(team.alice, connector="chat", name="Plivo", fields={"token": "t"})
    assert store.create(team.bob, connector="sms", name="Plivo", fields=sms_fields()).owner_id == team.bob.id


def test_organisational_names_are_unique_across_the_organisation(
    store: AuthenticationStore, team: Team
) -> None:
    store.create(team.admin, connector="sms", name="Plivo", fields=sms_fields(), scope="organisational")
    with pytest.raises(Conflict, match="'Plivo' already exists in the organisation"):
        store.create(
            team.owner, connector="sms", name="Plivo", fields=sms_fields(), scope=Scope.ORGANISATIONAL
        )


def test_a_viewer_cannot_create_an_authentication(store: AuthenticationStore, team: Team) -> None:
    with pytest.raises(
        PermissionDenied, match="vera is a viewer: only members, admins and owners may create"
    ):
        store.create(team.viewer, connector="sms", name="Plivo", fields=sms_fields())


def test_a_member_cannot_create_an_organisational_authentication(
    store: AuthenticationStore, team: Team
) -> None:
    with pytest.raises(
        PermissionDenied, match="only admins and owners may create organisational authentications"
    ):
        store.create(team.alice, connector="sms", name="Plivo", fields=sms_fields(), scope="organisational")


def test_a_member_sees_their_own_and_the_organisational_authentications_only(
    store: AuthenticationStore, team: Team
) -> None:
    store.create(team.alice, connector="sms", name="Alice SMS", fields=sms_fields())
    store.create(team.bob, connector="sms", name="Bob SMS", fields=sms_fields())
    store.create(
        team.admin, connector="chat", name="Team chat", fields={"token": "t"}, scope="organisational"
    )
    assert [a.name for a in store.list(team.alice)] == ["Alice SMS", "Team chat"]
    assert [a.name for a in store.list(team.viewer)] == ["Team chat"]
    assert [a.name for a in store.list(team.admin)] == ["Team chat"]
    assert [a.name for a in store.list(team.alice, connector="sms")] == ["Alice SMS"]


def test_another_members_personal_authentication_does_not_exist_for_a_member(
    store: AuthenticationStore, team: Team
) -> None:
    bobs = store.create(team.bob, connector="sms", name="Bob SMS", fields=sms_fields())
    for ref in (bobs.id, bobs.name):
        with pytest.raises(NotFound, match=f"no authentication '{ref}'"):
            store.get(ref, team.alice)
        with pytest.raises(NotFound):
            store.update(ref, team.alice, fields={"auth_token": "stolen"})
        with pytest.raises(NotFound):
            store.delete(ref, team.alice)
        with pytest.raises(NotFound):
            store.get(ref, team.admin)
    assert store.get(bobs.id, team.bob).secrets == {"auth_token": AUTH_TOKEN}


def test_a_member_uses_but_cannot_change_an_organisational_authentication(
    store: AuthenticationStore, team: Team
) -> None:
    shared = store.create(
        team.admin, connector="sms", name="Shared", fields=sms_fields(), scope="organisational"
    )
    assert store.get("Shared", team.alice).id == shared.id
    with pytest.raises(
        PermissionDenied, match="alice is a member: only admins and owners may change organisational"
    ):
        store.update("Shared", team.alice, name="Mine")
    with pytest.raises(PermissionDenied, match="may delete organisational"):
        store.delete("Shared", team.alice)


def test_an_admin_edits_an_organisational_authentication_another_admin_made(
    store: AuthenticationStore, team: Team
) -> None:
    store.create(team.owner, connector="sms", name="Shared", fields=sms_fields(), scope="organisational")
    changed = store.update("Shared", team.admin, name="Shared SMS", fields={"messages_per_second": 1})
    assert (changed.name, changed.fields["messages_per_second"]) == ("Shared SMS", 1.0)
    store.delete("Shared SMS", team.admin)
    assert store.list(team.owner) == []


def test_secrets_left_out_of_an_update_keep_their_value(store: AuthenticationStore, team: Team) -> None:
    store.create(
        team.alice, connector="sms", name="Plivo", fields=sms_fields(base_url="https://sandbox.test")
    )
    changed = store.update("Plivo", team.alice, fields={"auth_id": "SAYYYYYYYYYYYYYYYYYY", "auth_token": ""})
    assert changed.secrets == {"auth_token": AUTH_TOKEN}
    assert changed.fields["auth_id"] == "SAYYYYYYYYYYYYYYYYYY"
    assert changed.fields["base_url"] == "https://sandbox.test/"
    assert changed.updated_at >= changed.created_at
    assert store.update("Plivo", team.alice, fields={"auth_token": "new"}).secrets == {"auth_token": "new"}


def test_a_field_set_to_null_goes_back_to_its_default(store: AuthenticationStore, team: Team) -> None:
    store.create(
        team.alice, connector="sms", name="Plivo", fields=sms_fields(base_url="https://sandbox.test")
    )
    assert "base_url" not in store.update("Plivo", team.alice, fields={"base_url": None}).fields


def test_an_update_is_validated_like_a_creation(store: AuthenticationStore, team: Team) -> None:
    store.create(team.alice, connector="sms", name="Plivo", fields=sms_fields())
    with pytest.raises(AuthenticationInvalid, match=r"fields\.messages_per_second"):
        store.update("Plivo", team.alice, fields={"messages_per_second": "fast"})


def test_renaming_onto_a_taken_name_is_a_conflict(store: AuthenticationStore, team: Team) -> None:
    store.create(team.alice, connector="sms", name="One", fields=sms_fields())
    store.create(team.alice, connector="sms", name="Two", fields=sms_fields())
    with pytest.raises(Conflict):
        store.update("Two", team.alice, name="One")
    assert store.update("Two", team.alice, name="Two").name == "Two"


def test_making_a_personal_authentication_organisational_needs_an_admin(
    store: AuthenticationStore, team: Team
) -> None:
    store.create(team.alice, connector="sms", name="Plivo", fields=sms_fields())
    with pytest.raises(PermissionDenied):
        store.update("Plivo", team.alice, scope="organisational")
    store.create(team.admin, connector="sms", name="Admin SMS", fields=sms_fields())
    shared = store.update("Admin SMS", team.admin, scope="organisational")
    assert store.get(shared.id, team.bob).scope is Scope.ORGANISATIONAL


def test_a_viewer_cannot_delete_even_an_organisational_authentication(
    store: AuthenticationStore, team: Team
) -> None:
    store.create(team.owner, connector="chat", name="Chat", fields={"token": "t"}, scope="organisational")
    with pytest.raises(PermissionDenied):
        store.delete("Chat", team.viewer)


def test_a_personal_name_shadows_the_organisational_one_for_its_owner(
    store: AuthenticationStore, team: Team, database: Database
) -> None:
    shared = store.create(
        team.admin, connector="sms", name="SMS", fields=sms_fields(), scope="organisational"
    )
    own = store.create(team.alice, connector="sms", name="SMS", fields=sms_fields("alice-token"))
    assert store.get("SMS", team.alice).id == own.id
    assert store.get("SMS", team.bob).id == shared.id
    assert store.get(shared.id, team.alice).id == shared.id


def test_an_unknown_scope_names_the_choices(store: AuthenticationStore, team: Team) -> None:
    with pytest.raises(AuthenticationInvalid, match="scope: 'public' is not a scope"):
        store.create(team.alice, connector="sms", name="Plivo", fields=sms_fields(), scope="public")


def test_concurrent_creations_of_one_name_give_exactly_one_authentication(
    store: AuthenticationStore, team: Team
) -> None:
    barrier = threading.Barrier(6)

    def create() -> str:
        barrier.wait()
        try:
            store.create(
                team.admin, connector="sms", name="Shared", fields=sms_fields(), scope="organisational"
            )
        except Conflict:
            return "conflict"
        return "created"

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = sorted(pool.map(lambda _: create(), range(6)))
    assert outcomes == ["conflict"] * 5 + ["created"]
    assert [a.name for a in store.list(team.admin)] == ["Shared"]
