"""Which conversations a caller can see and write to, with the error Slack gives for each refusal."""

from ..errors import SlackError
from ..state import Channel, SlackSimState, User


def visible_channel(workspace: SlackSimState, caller: User, reference: str | None) -> Channel:
    """A channel the caller can see: any public one, or a private one it is in; else ``channel_not_found``."""
    channel = workspace.find_channel(reference) if reference else None
    if channel is None or (channel.is_private and not channel.has_member(caller.id)):
        raise SlackError("channel_not_found")
    return channel


def channel_by_id(workspace: SlackSimState, caller: User, channel_id: str | None) -> Channel:
    """Like :func:`visible_channel`, for methods that take only an id, not a ``#name``."""
    channel = workspace.channels.get(channel_id or "")
    if channel is None:
        raise SlackError("channel_not_found")
    return visible_channel(workspace, caller, channel.id)


def joined_channel(channel: Channel, caller: User, *, archived_error: str = "is_archived") -> Channel:
    """A channel the caller may change: not archived, and the caller is a member."""
    if channel.is_archived:
        raise SlackError(archived_error)
    if not channel.has_member(caller.id):
        raise SlackError("not_in_channel")
    return channel
