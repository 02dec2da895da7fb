"""Users, roles and API tokens: a token is shown once, stored as a digest, refused once revoked."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from switchboard.auth.errors import Conflict, PermissionDenied, Unauthenticated, UserInvalid
from switchboard.auth.roles import Permission, Role, allows
from switchboard.auth.users import (
    authenticate_token,
    create_user,
    ensure_local_owner,
    get_user,
    issue_token,
    list_tokens,
    list_users,
    revoke_token,
    token_digest,
)
from switchboard.errors import NotFound
from switchboard.store.database import Database
from switchboard.store.tables import api_tokens


def test_a_token_is_stored_only_as_its_digest_and_a_short_prefix(database: Database) -> None:
    user = create_user(database, "alice", Role.MEMBER)
    token = issue_token(database, user.id, label="laptop")
    assert token.startswith("sb_") and len(token) > 40
    with database.engine.connect() as connection:
        [row] = connection.execute(sa.select(api_tokens)).all()
    assert token not in [str(value) for value in row]
    assert row.token_hash == token_digest(token)
    assert token.startswith(row.prefix) and len(row.prefix) < 16
    [info] = list_tokens(database, user.id)
    assert (info.label, info.prefix, info.revoked_at) == ("laptop", row.prefix, None)


def test_a_token_authenticates_its_user_and_records_when_it_was_used(database: Database) -> None:
    user = create_user(database, "alice", Role.ADMIN)
    token = issue_token(database, user.id)
    assert list_tokens(database, user.id)[0].last_used_at is None
    assert authenticate_token(database, token) == user
    assert list_tokens(database, user.id)[0].last_used_at is not None


def test_an_unknown_token_is_refused(database: Database) -> None:
    create_user(database, "alice", Role.MEMBER)
    with pytest.raises(Unauthenticated, match="unknown or revoked"):
        authenticate_token(database, "sb_not-a-real-token")
    with pytest.raises(Unauthenticated, match="required"):
        authenticate_token(database, "")


def test_a_revoked_token_is_refused_while_the_users_other_tokens_still_work(database: Database) -> None:
    user = create_user(database, "alice", Role.MEMBER)
    laptop, phone = issue_token(database, user.id, "laptop"), issue_token(database, user.id, "phone")
    [laptop_info] = [t for t in list_tokens(database, user.id) if t.label == "laptop"]
    revoke_token(database, laptop_info.id)
    revoke_token(database, laptop_info.id)  # twice is fine
    with pytest.raises(Unauthenticated):
        authenticate_token(database, laptop)
    assert authenticate_token(database, phone).id == user.id
    with pytest.raises(NotFound):
        revoke_token(database, "no-such-token")


def test_a_user_may_revoke_only_their_own_tokens_when_limited_to_them(database: Database) -> None:
    alice, bob = create_user(database, "alice"), create_user(database, "bob")
    issue_token(database, alice.id)
    [token] = list_tokens(database, alice.id)
    with pytest.raises(NotFound):
        revoke_token(database, token.id, user_id=bob.id)


def test_a_duplicate_user_name_is_a_conflict_that_names_it(database: Database) -> None:
    create_user(database, "alice", Role.MEMBER)
    with pytest.raises(Conflict, match="a user named 'alice' already exists"):
        create_user(database, " alice ", Role.VIEWER)


def test_an_unknown_role_lists_the_roles(database: Database) -> None:
    with pytest.raises(UserInvalid, match=r"role: 'boss' is not a role \(owner, admin, member, viewer\)"):
        create_user(database, "alice", "boss")


def test_an_empty_name_is_refused(database: Database) -> None:
    with pytest.raises(UserInvalid, match="name: must not be empty"):
        create_user(database, "  ", Role.MEMBER)


def test_users_are_found_by_name_or_id_and_listed_oldest_first(database: Database) -> None:
    alice = create_user(database, "alice", "member")
    bob = create_user(database, "bob", "viewer")
    assert get_user(database, "bob") == bob
    assert get_user(database, alice.id) == alice
    assert [u.name for u in list_users(database)] == ["alice", "bob"]
    with pytest.raises(NotFound):
        get_user(database, "carol")


def test_the_local_owner_is_created_once_and_an_existing_owner_is_reused(database: Database) -> None:
    first = ensure_local_owner(database)
    assert (first.name, first.role) == ("owner", Role.OWNER)
    assert ensure_local_owner(database) == first
    assert [u.name for u in list_users(database)] == ["owner"]


def test_the_local_owner_is_the_first_owner_when_one_exists(database: Database) -> None:
    create_user(database, "member", Role.MEMBER)
    olga = create_user(database, "olga", Role.OWNER)
    assert ensure_local_owner(database) == olga


def test_admins_add_users_but_only_owners_add_owners(database: Database) -> None:
    owner = create_user(database, "olga", Role.OWNER)
    admin = create_user(database, "adam", Role.ADMIN, by=owner)
    member = create_user(database, "alice", Role.MEMBER, by=admin)
    with pytest.raises(PermissionDenied, match="only owners may make 'eve' an owner"):
        create_user(database, "eve", Role.OWNER, by=admin)
    with pytest.raises(PermissionDenied, match="alice is a member: only admins and owners may add users"):
        create_user(database, "mallory", Role.VIEWER, by=member)
    assert create_user(database, "oscar", Role.OWNER, by=owner).role is Role.OWNER


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.VIEWER, {Permission.READ}),
        (Role.MEMBER, {Permission.READ, Permission.EDIT_WORKFLOWS, Permission.MANAGE_OWN_AUTHENTICATIONS}),
        (Role.ADMIN, set(Permission)),
        (Role.OWNER, set(Permission)),
    ],
)
def test_each_role_has_exactly_its_permissions(role: Role, allowed: set[Permission]) -> None:
    assert {p for p in Permission if allows(role, p)} == allowed
