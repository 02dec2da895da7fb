"""``users.info``, ``users.lookupByEmail`` and ``auth.test``: who is who in the workspace."""

from ..errors import SlackError
from ..state import JsonObject, SlackSimState
from .call import MethodCall


def user_info(workspace: SlackSimState, call: MethodCall) -> JsonObject:
    """A member's profile by user id."""
    user = workspace.users.get(call.arguments.text("user") or "")
    if user is None:
        raise SlackError("user_not_found")
    return {"user": user.to_api()}


def lookup_user_by_email(workspace: SlackSimState, call: MethodCall) -> JsonObject:
    """A member's profile by email address."""
    user = workspace.find_user_by_email(call.arguments.text("email") or "")
    if user is None:
        raise SlackError("users_not_found")
    return {"user": user.to_api()}


def check_authentication(workspace: SlackSimState, call: MethodCall) -> JsonObject:
    """Which workspace and member the token belongs to: how an authentication is tested."""
    answer: JsonObject = {
        "url": workspace.team.url,
        "team": workspace.team.name,
        "user": call.caller.name,
        "team_id": workspace.team.id,
        "user_id": call.caller.id,
        "is_enterprise_install": False,
    }
    if call.caller.bot_id is not None:
        answer["bot_id"] = call.caller.bot_id
    return answer
