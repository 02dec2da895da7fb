"""People: find a member by email address or by user ID."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from switchboard.connectors.base import Context, Input, Output

from .answers import answer_as
from .auth import SlackAuth
from .client import read
from .connector import connector


class FindUserByEmail(Input):
    """The email address a member signed up with (case does not matter)."""

    email: str = Field(min_length=3, pattern=r"^[^@\s]+@[^@\s]+$")


class GetUser(Input):
    """A member's user ID."""

    user: str = Field(min_length=1, description="A user ID, e.g. U0123ABCD.")


class UserFound(Output):
    """Slack's user object: id, name, real_name, profile (email, phone...), is_bot..."""

    ok: bool = True
    user: dict[str, Any]


@connector.operation("find_user_by_email", title="Find user by email", repeat_safe=True)
async def find_user_by_email(data: FindUserByEmail, ctx: Context[SlackAuth]) -> UserFound:
    """Find a member by email (needs the users:read.email scope)."""
    answer = await read(ctx, "users.lookupByEmail", {"email": data.email})
    return answer_as(UserFound, answer, "users.lookupByEmail")


@connector.operation("get_user", title="Get user", repeat_safe=True)
async def get_user(data: GetUser, ctx: Context[SlackAuth]) -> UserFound:
    """A member's profile by user ID."""
    answer = await read(ctx, "users.info", {"user": data.user})
    return answer_as(UserFound, answer, "users.info")
